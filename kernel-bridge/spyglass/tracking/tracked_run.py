"""A Run: one experiment's metadata, history and live display. Created by spyglass.init().

(Not named run.py: the submodule would shadow `spyglass.run`, which is the current run as in wandb.)
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from ..base.errors import StoreError
from ..base.user_warnings import user_stacklevel
from ..base.version import __version__
from ..charts.static_chart import MAX_CHARTS, render_svg
from ..data_types.log_values import convert_rich_values
from ..data_types.media_store import MediaWriter
from ..rows.flusher import DEFAULT_FLUSH_INTERVAL, Flusher
from ..rows.history import History
from ..store.run_store import OVERVIEW_FILE, RunDirectory
from ..system.system_metrics import SystemMonitor
from ..torch_watch import watcher_of
from ..transport.protocol import RUN_MIME_TYPE, RunInfo, RunOutputData, StoredFrame, protocol_version
from ..workspace_data.overview_file import write_overview
from .metric_definitions import MetricDefinition, MetricDefinitions
from .notebook_cell import current_cell
from .run_alerts import RunAlerting, RunAlerts
from .run_artifacts import RunArtifacts
from .run_code import RunCodeLogging
from .run_config import RunConfig
from .run_files import RunFileSaving, SavedFiles
from .run_health import RunStoreHealth
from .run_identity import RunIdentity
from .run_lifecycle import LIVE_STATES, RunLifecycle
from .run_models import RunModels
from .run_resume import ResumePoint
from .run_summary import Summary
from .run_urls import RunUrls
from .settings import Settings

if TYPE_CHECKING:  # run_shipping imports the bucket layer, needed only for s3:// stores
    from .run_shipping import RunShipping


class Run(
    RunLifecycle,
    RunArtifacts,
    RunCodeLogging,
    RunModels,
    RunFileSaving,
    RunAlerting,
    RunUrls,
    RunStoreHealth,
    RunIdentity,
):
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
        settings: Settings | None = None,
        group: str | None = None,
        job_type: str | None = None,
        tags: Iterable[str] | None = None,
        notes: str | None = None,
        allow_val_change: bool = False,
        resume: ResumePoint | None = None,
        on_finish: Callable[[Run], object] = lambda run: None,
        shipping: RunShipping | None = None,
    ) -> None:
        """`resume`: continue that stored run (run_resume.plan_resume); metadata not given here is kept.

        `on_finish`: told once the run is finished and stored (the session forgets it then).
        `shipping`: for an s3:// store, ships this run's directory to the bucket (run_shipping.py).
        """
        self._on_finish = on_finish
        self._shipping = shipping
        self.id = run_id
        self.project = project
        self._state = "running"
        self._init_lifecycle(
            settings=settings,
            name=name,
            group=group,
            job_type=job_type,
            tags=tags,
            notes=notes,
            resume=resume,
        )
        previous_config = resume.meta.get("config") or {} if resume is not None else {}
        self.config = RunConfig(
            {**previous_config, **config}, on_change=self._metadata_changed, allow_val_change=allow_val_change
        )
        self._store = RunDirectory.create(root, project, run_id, exist_ok=resume is not None)
        self.dir = str(self._store.path)
        self._created_at = float(resume.meta.get("created_at") or time.time()) if resume else time.time()
        # _runtime continues where a resumed run stopped, not counting the time it was down (as wandb).
        runtime_origin = time.time() - resume.runtime if resume is not None else self._created_at
        self._capture_environment()
        self._exit_code: int | None = None
        self._finished_at: float | None = None
        self._finish_lock = threading.Lock()
        self._display_ids: list[str] = []
        self._shown_in_cell: str | None = None
        self._metric_definitions = MetricDefinitions()
        # A read of the summary from user code first flushes, so rows logged but not yet stored count.
        self.summary = Summary(self._metric_definitions, sync=lambda: self._flusher.flush())
        self._system_monitor: SystemMonitor | None = None
        self._saved_files = SavedFiles(self.dir, f"'{run_id}'")
        self._alerts = RunAlerts(f"'{run_id}'", self.settings.alert_webhook)
        if resume is not None:
            self._saved_files.restore(resume.meta.get("files"))
            self._alerts.restore(resume.meta.get("alerts"))
        self._write_metadata()
        # Strict mode and rich values (tables, media, figures) as references (docs/python-run-api.md).
        self._history = History(
            f"'{run_id}' ({project}/{self.name})",
            strict=self.settings.strict,
            convert_rich=_rich_value_converter(self.dir),
        )
        if resume is not None:
            self._history.start_at(resume.start_step)
        # The hot path: run.log is History.log itself, saving a call layer per logged row.
        self.log = self._history.log
        self._transport = self._choose_transport()
        self._metadata_sync = self._heartbeat()
        self._flusher = Flusher(
            self._history,
            self._store.log_path,
            run_label=f"'{run_id}'",
            run_id=run_id,
            started_at=runtime_origin,
            publish=self._transport.publish,
            interval=flush_interval,
            # define_metric's step_sync fill before a batch is stored, the summary's aggregates after it.
            prepare_batch=self._metric_definitions.fill_step_metrics,
            observe_batch=self.summary.observe,
            on_tick=self._flusher_tick,
            tick_interval=self._tick_interval(),
            on_health_change=self._store_health_changed,
            admit=shipping.admit if shipping is not None else None,
        )
        self._transport.add_run(run_id, self.info, self._store.log_path)
        self._start_system_metrics()
        self._restore_summary(resume)
        self._saved_files.on_change = self._metadata_changed
        if shipping is not None:
            shipping.start(self._store.path, run_id)

    def _flusher_tick(self) -> None:
        # From the flusher's thread: the heartbeat and coalesced run.json writes, then live files re-copied.
        self._metadata_sync.tick()
        self._saved_files.tick()

    def _start_system_metrics(self) -> None:
        settings = self.settings
        if settings.system_metrics and settings.mode != "disabled":
            self._system_monitor = SystemMonitor(
                self._store,
                settings.system_interval,
                self._publish_system_frame,
                started_at=self._created_at,
            )
            self._system_monitor.start()

    def _system_metrics_fields(self) -> dict[str, Any]:
        # run.json "system_metrics": {"interval": s} while a monitor samples this run; absent when off.
        monitor = self._system_monitor
        return {"system_metrics": {"interval": monitor.interval}} if monitor is not None else {}

    def _publish_system_frame(self, seq: int, payload: bytes, rows: int) -> None:
        self._transport.publish(StoredFrame(self.id, seq, rows, payload, "system"))

    def define_metric(
        self,
        name: str,
        step_metric: str | None = None,
        step_sync: bool | None = None,
        hidden: bool | None = None,
        summary: str | None = None,
        goal: str | None = None,
        overwrite: bool | None = None,
        **unsupported: Any,
    ) -> MetricDefinition:
        """Define a metric's step axis, summary aggregates ("min,max"), goal and visibility (as wandb does).

        `name` may end in '*' ("train/*") for every metric with that prefix. Stored in run.json "metrics".
        """
        if unsupported:
            raise TypeError(
                f"run.define_metric() got unexpected keyword argument(s): {', '.join(sorted(unsupported))}"
            )
        definition = self._metric_definitions.define(
            name, step_metric, step_sync, summary, goal, hidden, overwrite
        )
        if self._state == "running":
            self._write_metadata()
        return definition

    def log(self, data: Mapping[str, Any], step: int | None = None, commit: bool | None = None) -> None:
        """Log a dict of metrics (wandb semantics; see rows/history.py). Rebound per instance in __init__."""
        self._history.log(data, step, commit)

    def watch(
        self,
        models: Any,
        criterion: Any = None,
        log: str | None = "gradients",
        log_freq: int = 1000,
        idx: int | None = None,
        log_graph: bool = False,
    ) -> None:
        """Histograms of a PyTorch model's gradients and/or parameters every `log_freq` batches (wandb)."""
        watcher_of(self).watch(models, criterion, log, log_freq, idx, log_graph)

    def unwatch(self, models: Any = None) -> None:
        """Remove watch()'s hooks from `models`, or from every watched model (wandb.unwatch)."""
        watcher_of(self).unwatch(models)

    def _label(self, **labels: str) -> None:
        """Accepted for framework loggers that call wandb's run._label(code="..."): its usage telemetry for
        wandb's servers, which a local store has no use for."""

    def flush(self) -> None:
        """Store everything logged so far durably now (the flusher does this every 250 ms anyway).

        Not in wandb's API; the benchmark uses it to time log() with durable writes but no Parquet export.
        Pending config and metadata changes are written to run.json too. Returns only once every row logged
        before the call is durable (written and fsynced); raises FlushError (a StoreWriteError naming the path
        and the reason: disk full, read-only, directory deleted) if not. The rows are kept and retried.
        """
        self._flusher.flush_durable()
        self._saved_files.refresh()
        self._write_pending_metadata()

    @property
    def step(self) -> int:
        """The step the next committed row gets."""
        return self._history.step

    @property
    def state(self) -> str:
        return self._state

    @property
    def finished(self) -> bool:
        return self._state not in LIVE_STATES

    def info(self) -> RunInfo:
        """What the frontend needs to know about this run."""
        return {
            "run_id": self.id,
            "project": self.project,
            "name": self.name,
            "run_dir": self.dir,
            # protocol 1.x has no "preempting": the run is still live.
            "state": "running" if self._state in LIVE_STATES else self._state,  # type: ignore[typeddict-item]
            "created_at": self._created_at,
            "config": _json_config(self.config),
            **self._run_info_health(),  # type: ignore[typeddict-item]
        }

    def finish(self, exit_code: int | None = None) -> None:
        """Store every row, mark the run finished (or failed for a non-zero exit code), export Parquet, close.

        Calling it again does nothing. Raises FlushError if logged rows could not be stored (run then failed).
        """
        with self._finish_lock:
            if self._state not in LIVE_STATES:
                return
            self._saved_files.refresh(final=True)  # "end" files, and live ones changed since their last copy
            self._alerts.wait_for_posts()
            self._history.close()
            if self._system_monitor is not None:
                self._system_monitor.stop()  # the final sample, published before the last history frames
            flush_error: BaseException | None = None
            try:
                self._flusher.close()
            except Exception as error:
                flush_error = error
            failed = flush_error is not None or (exit_code not in (None, 0))
            self._state = "failed" if failed else "finished"
            self._exit_code = exit_code if exit_code is not None else (1 if flush_error else 0)
            self._finished_at = time.time()
            try:
                self._write_metadata()
            except StoreError as error:  # run.json cannot be written (deleted, read-only): close the run
                flush_error = flush_error or error
            # Not while the store refuses writes: the log lacks rows then, and the error already says why.
            if not isinstance(flush_error, StoreError):
                try:
                    self._store.export_parquet()
                except Exception as error:
                    warnings.warn(
                        f"run '{self.id}': could not write {self._store.parquet_path}: {error}. "
                        "The framed log history.sglog still holds every row.",
                        stacklevel=user_stacklevel(),
                    )
                else:
                    self._write_overview()
            if self._shipping is not None:  # the rest of the spool, history.parquet, the final run.json
                self._shipping.finish(parquet=not isinstance(flush_error, StoreError))
            self._update_displays()
            self._transport.run_updated(self.id)
            self._transport.flush()
            self._on_finish(self)
            if flush_error is not None:
                raise flush_error

    def __enter__(self) -> Run:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        self.finish(exit_code=None if exc_type is None else 1)

    def _write_overview(self) -> None:
        """overview.arrow next to history.parquet: the workspace's first chart reads it, not the rows."""
        try:
            write_overview(self._store)
        except Exception as error:
            warnings.warn(
                f"run '{self.id}': could not write {self._store.path / OVERVIEW_FILE}: {error}. Nothing is "
                "lost; the workspace reads history.parquet instead (a slower first chart).",
                stacklevel=user_stacklevel(),
            )

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
                "summary": self.summary.snapshot(),
                "metrics": self._metric_definitions.to_json(),
                "files": self._saved_files.listing(),
                "alerts": self._alerts.listing(),
                **self._system_metrics_fields(),
                **self._store_health_fields(),
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "spyglass_version": __version__,
                **self._lifecycle_fields(),
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
        names = [f.name for f in table.schema if not f.name.startswith("_") and _is_number(f.type)]
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
        """Show the run's live panel in the current cell's output (once per cell)."""
        from IPython.display import display

        # `run = sg.init(); run` (or `run.display()`) in one cell: init() already showed the panel there.
        if self._shown_in_cell is not None and self._shown_in_cell == current_cell():
            return
        display_id = f"spyglass-{self.id}-{uuid.uuid4().hex[:8]}"
        self._display_ids.append(display_id)
        self._shown_in_cell = current_cell()
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


def _rich_value_converter(run_dir: str) -> Any:
    # Tables and media logged by this run write their files under <run_dir>/media (data_types/).

    writer = MediaWriter(run_dir)
    return lambda flat, step: convert_rich_values(flat, writer, step)


def _is_number(arrow_type: pa.DataType) -> bool:
    return pa.types.is_floating(arrow_type) or pa.types.is_integer(arrow_type)


def _json_config(config: Mapping[str, Any]) -> dict[str, Any]:
    # run.json and the comm carry JSON; values that are not (objects, paths) are stored as their str().

    return json.loads(json.dumps(config, default=str))
