"""A stored run as the read API returns it: read-only metadata plus its history as pandas or pyarrow."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..base.errors import CorruptLogError, CorruptRunLogError, StoreError
from ..data_types.table_storage import logged_table
from ..store.run_state import effective_state
from ..store.run_store import SYSTEM_LOG_FILE, RunDirectory, read_log_table
from .history_sampling import STEP, as_frame, iter_rows, sample_rows, select_keys
from .stored_summary import StoredSummary

# run.json stores non-finite numbers as strings (browsers reject NaN in JSON); the read API gives floats back.
_NON_FINITE = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


class StoredRun:
    """One run in the store, read-only. Attributes follow wandb's public API (`wandb.Api().run(...)`)."""

    def __init__(
        self,
        directory: RunDirectory,
        metadata: dict[str, Any] | None = None,
        pull: Callable[[], bool] | None = None,
    ) -> None:
        self._directory = directory
        # A run of a bucket store: `pull` brings its mirror up to date and says whether run.json changed.
        self._pull = pull
        self._load(directory.read_metadata() if metadata is None else metadata)

    def _load(self, metadata: dict[str, Any]) -> None:
        directory = self._directory
        self.metadata: dict[str, Any] = metadata
        meta = self.metadata
        # The directory names, not run.json's fields, so that Api().run(run.path) finds a copied store's runs.
        self.id: str = directory.path.name
        self.project: str = directory.path.parent.name
        self.name: str = meta.get("name") or self.id
        self.state: str = effective_state(meta)
        self.config: dict[str, Any] = decode_non_finite(meta.get("config") or {})
        self.summary: StoredSummary = StoredSummary(
            decode_non_finite(meta.get("summary") or {}), self._write_summary
        )
        self.tags: list[str] = list(meta.get("tags") or [])
        self.notes: str | None = meta.get("notes")
        self.group: str | None = meta.get("group")
        self.job_type: str | None = meta.get("job_type")
        self.created_at: float | None = meta.get("created_at")
        self.heartbeat_at: float | None = meta.get("heartbeat_at")
        self.finished_at: float | None = meta.get("finished_at")
        self.exit_code: int | None = meta.get("exit_code")
        self._last_step: int | None = meta.get("last_step")
        # Why the run's rows could not all be stored when run.json was last written ({"reason": "disk full",
        # "path", "message", "since", "unstored_rows", "dropped_rows"}), else None; rows dropped for good.
        degraded = meta.get("degraded")
        self.degraded: dict[str, Any] | None = degraded if isinstance(degraded, dict) else None
        self.dropped_rows: int = int(meta.get("dropped_rows") or 0)

    @property
    def path(self) -> str:
        """The run's path as Api.run() takes it: "project/run_id"."""
        return f"{self.project}/{self.id}"

    @property
    def record(self) -> dict[str, Any]:
        """The metadata that filters and orders see: run.json with the effective state and decoded values."""
        return {**self.metadata, "state": self.state, "config": self.config, "summary": self.summary}

    @property
    def dir(self) -> str:
        """The run's directory in the store."""
        return str(self._directory.path)

    @property
    def last_step(self) -> int | None:
        """The last committed step: from run.json, else from history.parquet's statistics (no rows read)."""
        if self._last_step is None:
            self._last_step = _last_step_in_parquet(self._directory.parquet_path)
        return self._last_step

    @property
    def duration(self) -> float | None:
        """Seconds from creation to finish (or to the last sign of life for a run not finished)."""
        if self.created_at is None:
            return None
        end = self.finished_at or self.heartbeat_at or self.metadata.get("updated_at")
        if end is None and self.state == "running":
            end = time.time()
        return None if end is None else max(0.0, end - self.created_at)

    def refresh(self) -> None:
        """Pull the run from its bucket (bucket stores only) and re-read run.json when it changed."""
        if self._pull is not None and self._pull():
            self._load(self._directory.read_metadata())

    def history(
        self,
        keys: Sequence[str] | None = None,
        samples: int | None = 500,
        x_axis: str = STEP,
        pandas: bool = True,
    ) -> Any:
        """Up to `samples` evenly spaced history rows (first and last kept; None: all), pandas or pyarrow."""
        table = sample_rows(select_keys(self.to_arrow(), keys, x_axis), samples)
        return as_frame(table, pandas)

    def scan_history(
        self,
        keys: Sequence[str] | None = None,
        page_size: int = 1000,
        min_step: int | None = None,
        max_step: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Iterate over every history row as a dict, decoding one stored frame at a time (memory bounded)."""
        self.refresh()
        with self._naming_corrupt_log():
            yield from iter_rows(
                self._directory.log_path, keys=keys, page_size=page_size, min_step=min_step, max_step=max_step
            )

    def to_arrow(self) -> pa.Table:
        """Return the whole history as one pyarrow Table (columns unified across frames)."""
        self.refresh()
        with self._naming_corrupt_log():
            return self._directory.read_history()

    def table(self, key: str, step: int | None = None) -> pa.Table:
        """The sg.Table logged under `key` at `step` (default: the last one) as a pyarrow Table.

        Media cells hold their reference JSON (paths relative to `run.dir`); KeyError if none was logged.
        """
        return logged_table(self.to_arrow(), self.dir, key, step)

    def system_metrics(self, samples: int | None = None, pandas: bool = True) -> Any:
        """Return the system metrics stream (system.sglog; no rows when it was off) as pandas or pyarrow."""
        self.refresh()
        with self._naming_corrupt_log():
            table = read_log_table(self._directory.path / SYSTEM_LOG_FILE)
        return as_frame(sample_rows(table, samples), pandas)

    def update(self) -> None:
        """Write name, tags, notes, group, job_type, config and summary as changed on this object back to
        run.json (wandb's `run.update()`); refused (StoreError) while the run is live."""
        self._write_fields(
            {
                "name": self.name,
                "tags": list(self.tags),
                "notes": self.notes,
                "group": self.group,
                "job_type": self.job_type,
                "config": self.config,
                "summary": dict(self.summary),
            }
        )

    def _write_summary(self, values: dict[str, Any]) -> None:
        # run.summary["k"] = v on a stored run: run.json is rewritten at once, as wandb's API writes.
        self._write_fields({"summary": values})

    def _write_fields(self, fields: dict[str, Any]) -> None:
        if self._pull is not None:
            raise StoreError(
                f"run {self.path} is in a bucket store, where only its writer writes run.json: change it "
                "from the run (run.summary[...] = ..., run.tags = ...) or resume it with init(resume=...)"
            )
        meta = self._directory.read_metadata()
        if effective_state(meta) in ("running", "preempting"):
            raise StoreError(
                f"run {self.path} is still running: its process owns run.json and would overwrite these "
                "changes. Make them from that process (run.summary[...] = ..., run.tags = ...), or after the "
                "run ended."
            )
        meta.update(fields)
        self._directory.write_metadata(meta)  # atomic (temp file, fsync, rename)
        self.metadata = meta

    @contextlib.contextmanager
    def _naming_corrupt_log(self) -> Iterator[None]:
        try:
            yield
        except CorruptRunLogError:
            raise
        except CorruptLogError as error:
            raise CorruptRunLogError(self.path, error.path, error.offset, error.reason) from error

    def __repr__(self) -> str:
        return f"<Run {self.path} ({self.state})>"


def decode_non_finite(value: Any) -> Any:
    """Return `value` with the strings "NaN", "Infinity", "-Infinity" turned back into floats."""
    if isinstance(value, str):
        return _NON_FINITE.get(value, value)
    if isinstance(value, dict):
        return {key: decode_non_finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode_non_finite(item) for item in value]
    return value


def _last_step_in_parquet(path: os.PathLike[str]) -> int | None:
    try:
        metadata = pq.ParquetFile(path).metadata
    except (OSError, pa.ArrowInvalid):
        return None
    names = metadata.schema.names
    if STEP not in names:
        return None
    column = names.index(STEP)
    maxima = []
    for group in range(metadata.num_row_groups):
        statistics = metadata.row_group(group).column(column).statistics
        if statistics is not None and statistics.has_min_max:
            maxima.append(statistics.max)
    return max(maxima) if maxima else None
