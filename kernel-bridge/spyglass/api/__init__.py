"""The read API: `spyglass.Api().runs("project", filters=...)`, run metadata, history as pandas or pyarrow."""

from ..base.errors import CorruptRunLogError, FilterError, ProjectNotFoundError, RunNotFoundError
from .public_api import Api
from .run import Run
from .runs import Runs

__all__ = [
    "Api",
    "CorruptRunLogError",
    "FilterError",
    "ProjectNotFoundError",
    "Run",
    "RunNotFoundError",
    "Runs",
]
