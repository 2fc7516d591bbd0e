"""Tables and media for log() and display: sg.Table, sg.Image, ... (docs/tables-and-media.md)."""

from .audio import Audio
from .errors import ColumnTypeError, MediaError, TableError
from .histogram import Histogram
from .html import Html
from .image import DownscaledImageWarning, Image
from .media import Media
from .object3d import Object3D
from .table import Table
from .video import Video

__all__ = [
    "Audio",
    "ColumnTypeError",
    "DownscaledImageWarning",
    "Histogram",
    "Html",
    "Image",
    "Media",
    "MediaError",
    "Object3D",
    "Table",
    "TableError",
    "Video",
]
