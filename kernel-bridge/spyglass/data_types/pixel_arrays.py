"""Arrays and tensors to uint8 pixels (H, W) or (H, W, C): the layout checks sg.Image and sg.Video share."""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import MediaError


def as_numpy(data: Any) -> Any:
    """A numpy array from numpy, torch/jax tensors or nested lists (tensors detached and copied to CPU)."""
    if type(data).__module__.startswith("torch"):
        data = data.detach().cpu().numpy()
    try:
        array = np.asarray(data)
    except Exception as error:
        raise MediaError(f"could not read a {type(data).__name__} as an array of pixels: {error}") from error
    if array.dtype == object or array.dtype.kind not in "biuf":
        raise MediaError(
            f"expected numbers for pixels, got a {type(data).__name__} of dtype {array.dtype}; pass an image "
            "array (H, W[, C]), a PIL image, a tensor or a file path."
        )
    return array


def to_uint8_pixels(data: Any, normalize: bool = True) -> Any:
    """(H, W) or (H, W, C) uint8 pixels; (C, H, W) tensors are moved to channels-last."""
    from_tensor = type(data).__module__.startswith("torch")
    array = as_numpy(data)
    if array.ndim == 3 and (from_tensor or array.shape[-1] not in (1, 3, 4)) and array.shape[0] in (1, 3, 4):
        array = np.moveaxis(array, 0, -1)  # CHW (torch's layout) to HWC
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[-1] not in (3, 4)):
        raise MediaError(
            "an image array must be (H, W), (H, W, 1|3|4) or a (1|3|4, H, W) tensor; "
            f"got shape {array.shape}."
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise MediaError(f"an image array has no pixels (shape {array.shape}).")
    return to_uint8(array, normalize)


def to_uint8(array: Any, normalize: bool = True) -> Any:
    """uint8 values: floats in [0, 1] are scaled by 255 (when normalize), everything is clipped to 0..255."""
    if array.dtype == np.uint8:
        return array
    if array.dtype.kind == "b":
        return array.astype(np.uint8) * 255
    values = np.nan_to_num(array.astype(np.float64, copy=False), nan=0.0, posinf=255.0, neginf=0.0)
    if normalize and array.dtype.kind == "f" and values.size and values.min() >= 0 and values.max() <= 1:
        values = values * 255.0
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)
