"""A Run: one experiment's metadata, history and live display. Created by spyglass.init().

(Not named run.py: the submodule would shadow `spyglass.run`, which is the current run as in wandb.)
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
import warnings
from collections.abc import Mapping
from typing import Any

import pyarrow as pa

from . import __version__
from .comm_transport import get_transport
from .flusher import DEFAULT_FLUSH_INTERVAL, Flusher
from .history import History
from .protocol import RUN_MIME_TYPE, RunInfo, RunOutputData, protocol_version
from .run_config import RunConfig
from .run_store import RunDirectory
from .static_chart import MAX_CHARTS, render_svg


class Run:
    """A live run. Log with run.log({...}); end with run.finish() or a `with` block."""

    def __init__(
        self,
        *,
        project: str,
        name: str,
        run_id: str,
        config: Mapping[str, Any],
        root: os.PathLike[str],
        flush_interval: float = DEFAULT_FLUSH_INTERVAL,
    ) -> None:
        self.id = run_id
        self.project = project
        self.name = name
        self.config = RunConfig(config)
        self._store = RunDirectory.create(root, project, run_id)
        self.dir = str(self._store.path)
        self._created_at = time.time()
        self._state = "running"
        self._exit_code: int | None = None
        self._finished_at: float | None = None
        self._finish_lock = threading.Lock()
        self._display_ids: list[str] = []
        self._write_metadata()
        self._history = History(f"'{run_id}' ({project}/{name})")
        # The hot path: run.log is History.log itself, saving a call layer per logged row.
        self.log = self._history.log
        self._transport = get_transport()
        self._flusher = Flusher(
            self._history,
            self._store.log_path,
            run_label=f"'{run_id}'",
            run_id=run_id,
            started_at=self._created_at,
            publish=self._transport.publish,
            interval=flush_interval,
        )
        self._transport.add_run(run_id, self.info, self._store.log_path)

    def log(self, data: Mapping[str, Any], step: int | None = None, commit: bool | None = None) -> None:
        """Log a dict of metrics (wandb semantics; see spyglass.history). Rebound per instance in __init__."""
        self._history.log(data, step, commit)

    def flush(self) -> None:
        """Store everything logged so far durably now (the flusher does this every 250 ms anyway).

        Not in wandb's API; the benchmark uses it to time log() with durable writes but no Parquet export.
        """
        self._flusher.flush()

    @property
    def step(self) -> int:
        """The step the next committed row gets."""
        return self._history.step

    @property
    def state(self) -> str:
        return self._state

    @property
    def finished(self) -> bool:
        return self._state != "running"

    def info(self) -> RunInfo:
        """What the frontend needs to know about this run."""
        return {
            "run_id": self.id,
            "project": self.project,
            "name": self.name,
            "run_dir": self.dir,
            "state": self._state,  # type: ignore[typeddict-item]
            "created_at": self._created_at,
            "config": _json_config(self.config),
        }

    def finish(self, exit_code: int | None = None) -> None:
        """Store every row, mark the run finished (or failed for a non-zero exit code), export Parquet, close.

        Calling it again does nothing. Raises FlushError if logged rows could not be stored (run then failed).
        """
        with self._finish_lock:
            if self._state != "running":
                return
            self._history.close()
            flush_error: BaseException | None = None
            try:
                self._flusher.close()
            except Exception as error:
                flush_error = error
            failed = flush_error is not None or (exit_code not in (None, 0))
            self._state = "failed" if failed else "finished"
            self._exit_code = exit_code if exit_code is not None else (1 if flush_error else 0)
            self._finished_at = time.time()
            self._write_metadata()
            try:
                self._store.export_parquet()
            except Exception as error:
                warnings.warn(
                    f"run '{self.id}': could not write {self._store.parquet_path}: {error}. "
                    "The framed log history.sglog still holds every row.",
                    stacklevel=2,
                )
            self._update_displays()
            self._transport.run_updated(self.id)
            self._transport.flush()
            from .session import forget_run

            forget_run(self)
            if flush_error is not None:
                raise flush_error

    def __enter__(self) -> Run:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        self.finish(exit_code=None if exc_type is None else 1)

    def _write_metadata(self) -> None:
        now = time.time()
        self._store.write_metadata(
            {
                "format": 1,
                "run_id": self.id,
                "project": self.project,
                "name": self.name,
                "state": self._state,
                "created_at": self._created_at,
                "updated_at": now,
                "finished_at": self._finished_at,
                "exit_code": self._exit_code,
                "config": _json_config(self.config),
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "spyglass_version": __version__,
            }
        )

    def output_data(self) -> RunOutputData:
        return {
            "run_id": self.id,
            "project": self.project,
            "name": self.name,
            "run_dir": self.dir,
            "protocol": protocol_version(),
        }

    def static_svg(self) -> str:
        """SVG small multiples of the numeric metrics stored so far."""
        try:
            table = self._store.read_history()
        except Exception as error:  # a picture is not worth failing a display for
            return render_svg(f"{self.name}: history unreadable ({error})", [], {})
        steps = table.column("_step").to_pylist() if table.num_rows else []
        names = [f.name for f in table.schema if not f.name.startswith("_") and pa.types.is_floating(f.type)]
        metrics = {name: table.column(name).to_pylist() for name in names[:MAX_CHARTS]}
        title = f"{self.project} / {self.name} ({self.id}, {self._state})"
        return render_svg(title, steps, metrics, not_given=len(names) - len(metrics))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            RUN_MIME_TYPE: self.output_data(),
            "image/svg+xml": self.static_svg(),
            "text/plain": repr(self),
        }

    def _ipython_display_(self) -> None:
        # A run shown as a cell's last expression becomes a display_data with a display_id (execute_result
        # outputs cannot be updated), so finish() can replace the static picture with the final one.
        self.display()

    def display(self) -> None:
        """Show the run's live panel in the current cell's output."""
        from IPython.display import display

        display_id = f"spyglass-{self.id}-{uuid.uuid4().hex[:8]}"
        self._display_ids.append(display_id)
        display(self._repr_mimebundle_(), raw=True, display_id=display_id)

    def _update_displays(self) -> None:
        if not self._display_ids:
            return
        try:
            from IPython.display import update_display

            bundle = self._repr_mimebundle_()
            for display_id in self._display_ids:
                update_display(bundle, raw=True, display_id=display_id)
        except Exception as error:
            warnings.warn(f"run '{self.id}': could not update its displayed output: {error}", stacklevel=3)

    def __repr__(self) -> str:
        where = f"project={self.project!r} state={self._state} dir={self.dir!r}"
        return f"<spyglass Run {self.id} '{self.name}' {where}>"


def _json_config(config: Mapping[str, Any]) -> dict[str, Any]:
    # run.json and the comm carry JSON; values that are not (objects, paths) are stored as their str().
    import json

    return json.loads(json.dumps(config, default=str))
