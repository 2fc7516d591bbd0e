"""The read API: `spyglass.Api().runs("project", filters=...)`, run metadata, history as pandas or pyarrow."""

from ..base.errors import CorruptRunLogError, FilterError, ProjectNotFoundError, RunNotFoundError
from .public_api import Api
from .runs import Runs
from .stored_calls import Calls, StoredCall
from .stored_run import StoredRun

# wandb's name for a stored run (`wandb.apis.public.Run`, which the wandb shim maps to this module). Inside
# Spyglass, `Run` is the live run init() returns; a run read from the store is a StoredRun.
Run = StoredRun

__all__ = [
    "Api",
    "Calls",
    "CorruptRunLogError",
    "FilterError",
    "ProjectNotFoundError",
    "Run",
    "RunNotFoundError",
    "Runs",
    "StoredCall",
    "StoredRun",
]
