"""sg.Image: numpy arrays, PIL images, torch tensors, files and matplotlib figures, stored as PNG.


Images larger than MAX_SIDE pixels on a side are downscaled (aspect kept) with a warning; anything that is not
an image is refused with a MediaError saying what was seen.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from ..base.user_warnings import user_stacklevel
from .errors import MediaError
from .figures import is_figure
from .image_overlays import boxes_reference, masks_reference
from .media import Media, caption_of
from .media_store import MediaWriter
from .pixel_arrays import to_uint8_pixels

MAX_SIDE = 4096  # longest side kept; larger images are downscaled (a 4096² RGBA PNG is at most 64 MiB raw)
_KEPT_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


class DownscaledImageWarning(UserWarning):
    """An image was larger than MAX_SIDE on a side and was stored downscaled."""


class Image(Media):
    """An image for log() or a table cell: `sg.Image(array_or_pil_or_path, caption=, masks=, boxes=)`.

    numpy: (H, W), (H, W, 1|3|4) uint8, or float in [0, 1] (scaled by 255); torch tensors: (C, H, W).
    """

    _type = "image"

    def __init__(
        self,
        data_or_path: Any,
        mode: str | None = None,
        caption: Any = None,
        grouping: int | None = None,
        classes: Any = None,
        boxes: dict[str, Any] | None = None,
        masks: dict[str, Any] | None = None,
        file_type: str | None = None,
        normalize: bool = True,
    ) -> None:
        self.caption = caption_of(caption)
        self._data, self.format, self.width, self.height = _encode(data_or_path, mode, normalize, file_type)
        self.boxes = boxes
        self.masks = masks
        if boxes is not None:
            boxes_reference(boxes)  # validate now, where the user's call is, not at log time
        self._masks_png = _mask_pngs(masks, self.width, self.height) if masks else {}

    @classmethod
    def from_figure(cls, figure: Any, caption: Any = None) -> Image:
        """A matplotlib figure rendered to PNG (savefig, tight bounding box)."""
        buffer = io.BytesIO()
        try:
            figure.savefig(buffer, format="png", bbox_inches="tight")
        except Exception as error:
            raise MediaError(f"could not render the matplotlib figure to PNG: {error}") from error
        buffer.seek(0)
        return cls(buffer, caption=caption)

    def to_reference(self, writer: MediaWriter, key: str, step: int | None) -> dict[str, Any]:
        path = writer.write_bytes("images", key, step, self.format, self._data)
        reference: dict[str, Any] = {
            "_type": "image",
            "path": path,
            "width": self.width,
            "height": self.height,
            "format": self.format,
            "caption": self.caption,
        }
        if self.boxes is not None:
            reference["boxes"] = boxes_reference(self.boxes)
        if self.masks:
            reference["masks"] = masks_reference(self.masks, self._masks_png, writer, key, step)
        return reference

    def image_bytes(self) -> bytes:
        """The stored file's bytes (PNG unless a JPEG/GIF/WebP file was given)."""
        return self._data

    def _repr_png_(self) -> bytes | None:
        # Shown as itself when it is a notebook cell's value (IPython asks for each format it knows).
        return self._data if self.format == "png" else None

    def _repr_jpeg_(self) -> bytes | None:
        return self._data if self.format == "jpg" else None

    def __repr__(self) -> str:
        return f"<spyglass.Image {self.width}x{self.height} {self.format}>"


def _encode(
    data: Any, mode: str | None, normalize: bool, file_type: str | None
) -> tuple[bytes, str, int, int]:
    from PIL import Image as PILImage

    if isinstance(data, (str, os.PathLike)):
        return _from_file(Path(data))
    if isinstance(data, (bytes, bytearray, io.IOBase)):
        return _from_bytes(bytes(data) if not isinstance(data, io.IOBase) else data.read(), "the given bytes")
    if isinstance(data, PILImage.Image):
        return _png(_fit(data, "the PIL image"))
    if is_figure(data):
        figure = Image.from_figure(data)
        return figure._data, figure.format, figure.width, figure.height
    pixels = to_uint8_pixels(data, normalize)
    picture = PILImage.fromarray(pixels)
    if mode and picture.mode != mode:
        picture = picture.convert(mode)
    return _png(_fit(picture, f"the array of shape {pixels.shape}"))


def _from_file(path: Path) -> tuple[bytes, str, int, int]:
    if not path.is_file():
        raise MediaError(
            f"sg.Image: {str(path)!r} is not a file; pass an image file, an array or a PIL image."
        )
    return _from_bytes(path.read_bytes(), repr(str(path)))


def _from_bytes(data: bytes, shown: str) -> tuple[bytes, str, int, int]:
    from PIL import Image as PILImage

    try:
        picture = PILImage.open(io.BytesIO(data))
        picture.load()
    except PILImage.DecompressionBombError as error:
        raise MediaError(
            f"sg.Image: {shown} is too large to decode safely ({error}); resize it first."
        ) from error
    except Exception as error:
        raise MediaError(f"sg.Image: {shown} is not an image Pillow can read ({error}).") from error
    kept = _KEPT_FORMATS.get(picture.format or "")
    if kept is not None and max(picture.size) <= MAX_SIDE:
        return data, kept, picture.width, picture.height
    return _png(_fit(picture, shown))


def _fit(picture: Any, shown: str) -> Any:
    if picture.width < 1 or picture.height < 1:
        raise MediaError(f"sg.Image: {shown} has no pixels ({picture.width}x{picture.height}).")
    if max(picture.size) <= MAX_SIDE:
        return picture
    original = picture.size
    picture = picture.copy()
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    warnings.warn(
        f"sg.Image: {shown} is {original[0]}x{original[1]} pixels; stored downscaled to "
        f"{picture.width}x{picture.height} (at most {MAX_SIDE} pixels on a side).",
        DownscaledImageWarning,
        stacklevel=user_stacklevel(),
    )
    return picture


def _png(picture: Any) -> tuple[bytes, str, int, int]:
    if picture.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
        picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue(), "png", picture.width, picture.height


def _mask_pngs(masks: dict[str, Any], width: int, height: int) -> dict[str, bytes]:
    from PIL import Image as PILImage

    if not isinstance(masks, dict):
        raise MediaError(
            "sg.Image masks must be a dict: {'name': {'mask_data': 2-D array, 'class_labels': {...}}}."
        )
    encoded = {}
    for name, mask in masks.items():
        if not isinstance(mask, dict) or ("mask_data" not in mask and "path" not in mask):
            raise MediaError(f"sg.Image mask {name!r} must be a dict with 'mask_data' (2-D array) or 'path'.")
        if "path" in mask:
            data = Path(mask["path"]).read_bytes()
        else:
            array = np.asarray(mask["mask_data"])
            if array.ndim != 2:
                raise MediaError(
                    f"sg.Image mask {name!r}: mask_data must be 2-D (H, W), got shape {array.shape}."
                )
            if array.size and (array.min() < 0 or array.max() > 255):
                raise MediaError(f"sg.Image mask {name!r}: class ids must be 0..255.")
            buffer = io.BytesIO()
            PILImage.fromarray(array.astype(np.uint8)).save(buffer, format="PNG")
            data = buffer.getvalue()
        encoded[str(name)] = data
    return encoded
