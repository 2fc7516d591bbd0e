"""sg.Video: a (T, C, H, W) array written as an animated GIF with Pillow, or a video file copied as it is."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import numpy as np

from .errors import MediaError
from .media import Media, caption_of, file_extension, media_file, store_file_or_bytes
from .media_store import MediaWriter
from .pixel_arrays import as_numpy, to_uint8

VIDEO_EXTENSIONS = {"gif", "mp4", "webm", "ogg", "mov"}
MAX_FRAMES = 1000


class Video(Media):
    """`sg.Video(frames, fps=4, format="gif", caption=None)`, frames (T, C, H, W) uint8 or float in [0, 1]
    (torch's layout; (T, H, W, C) is taken too); or `sg.Video("clip.mp4")`.

    Arrays are encoded as GIF only (Pillow ships with Spyglass; mp4/webm would need ffmpeg).
    """

    _type = "video"

    def __init__(
        self, data_or_path: Any, caption: Any = None, fps: int | None = None, format: str | None = None
    ) -> None:
        self.caption = caption_of(caption)
        self.fps = fps
        self._source: Path | None = None
        self._gif: bytes | None = None
        self.width = self.height = self.frames = None
        if isinstance(data_or_path, (str, os.PathLike)):
            self._source = media_file(data_or_path, VIDEO_EXTENSIONS, "sg.Video", "a video file")
            self.format = file_extension(self._source)
            return
        if format not in (None, "gif"):
            raise MediaError(
                f"sg.Video: format={format!r} needs a video encoder; arrays are written as 'gif'. Encode the "
                "file yourself (e.g. with imageio) and pass its path."
            )
        self.format = "gif"
        self.fps = int(fps or 4)
        if self.fps <= 0:
            raise MediaError(f"sg.Video fps must be positive, got {fps}.")
        self._gif, (self.frames, self.height, self.width) = _gif_bytes(data_or_path, self.fps)

    def to_reference(self, writer: MediaWriter, key: str, step: int | None) -> dict[str, Any]:
        path = store_file_or_bytes(writer, "videos", key, step, self._source, "gif", self._gif)
        return {
            "_type": "video",
            "path": path,
            "format": self.format,
            "fps": self.fps,
            "frames": self.frames,
            "width": self.width,
            "height": self.height,
            "caption": self.caption,
        }


def _gif_bytes(data: Any, fps: int) -> tuple[bytes, tuple[int, int, int]]:
    from PIL import Image as PILImage

    array = as_numpy(data)
    if array.ndim != 4:
        raise MediaError(f"sg.Video: an array must be (T, C, H, W) frames, got shape {array.shape}.")
    if array.shape[1] in (1, 3, 4) and array.shape[-1] not in (1, 3, 4):
        array = np.moveaxis(array, 1, -1)  # (T, C, H, W) to (T, H, W, C)
    if array.shape[-1] not in (1, 3, 4):
        raise MediaError(f"sg.Video: frames need 1, 3 or 4 channels, got shape {array.shape}.")
    if not 1 <= array.shape[0] <= MAX_FRAMES:
        raise MediaError(f"sg.Video: {array.shape[0]} frames; between 1 and {MAX_FRAMES} are stored.")
    pixels = to_uint8(array)
    if pixels.shape[-1] == 1:
        pixels = pixels[..., 0]
    frames = [PILImage.fromarray(frame) for frame in pixels]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, format="GIF", save_all=True, append_images=frames[1:], duration=round(1000 / fps), loop=0
    )
    return buffer.getvalue(), (len(frames), pixels.shape[1], pixels.shape[2])
