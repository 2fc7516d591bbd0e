"""sg.Object3D: a point cloud stored as JSON, or a 3-D model file (.glb, .gltf, .obj, .stl, .ply) copied."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .errors import MediaError
from .media import Media, caption_of, file_extension, media_file
from .media_store import MediaWriter
from .pixel_arrays import as_numpy

MODEL_EXTENSIONS = {"glb", "gltf", "obj", "stl", "ply"}


class Object3D(Media):
    """`sg.Object3D(points)`: points (N, 3) xyz, (N, 4) xyz+category or (N, 6) xyz+rgb; or a model file."""

    _type = "object3d"

    def __init__(self, data_or_path: Any, caption: Any = None) -> None:
        self.caption = caption_of(caption)
        self._source: Path | None = None
        self._points: list[list[float]] | None = None
        if isinstance(data_or_path, (str, os.PathLike)):
            self._source = media_file(data_or_path, MODEL_EXTENSIONS, "sg.Object3D", "a 3-D model file")
            return

        points = as_numpy(data_or_path)
        if points.ndim != 2 or points.shape[1] not in (3, 4, 6):
            raise MediaError(
                f"sg.Object3D: points must be (N, 3), (N, 4) or (N, 6), got shape {points.shape}."
            )
        self._points = points.astype(float).tolist()

    def to_reference(self, writer: MediaWriter, key: str, step: int | None) -> dict[str, Any]:
        if self._source is not None:
            path = writer.copy_file("object3d", key, step, self._source)
            return {
                "_type": "object3d",
                "path": path,
                "format": file_extension(self._source),
                "caption": self.caption,
            }
        text = json.dumps(
            {"type": "lidar/beta", "points": self._points}, separators=(",", ":"), allow_nan=False
        )
        path = writer.write_bytes("object3d", key, step, "pts.json", text.encode())
        return {
            "_type": "object3d",
            "path": path,
            "format": "points",
            "points": len(self._points or []),
            "caption": self.caption,
        }
