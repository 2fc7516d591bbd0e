"""Runs: the lazy, filtered and ordered collection that Api.runs() returns."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import pyarrow as pa

from ..store.run_store import RunDirectory, concat_unified
from .history_sampling import as_frame
from .run_filters import matches, sort_records
from .stored_run import StoredRun


class Runs:
    """The runs of a project that match a filter, read from the store on first use (iterate, len(), index)."""

    def __init__(
        self,
        list_directories: Callable[[], list[RunDirectory]],
        filters: Mapping[str, Any] | None = None,
        order: str | None = "-created_at",
        open_run: Callable[[RunDirectory], StoredRun] = StoredRun,
    ) -> None:
        self._list_directories = list_directories
        self._open_run = open_run
        self.filters = dict(filters or {})
        self.order = order
        self._runs: list[StoredRun] | None = None

    def _load(self) -> list[StoredRun]:
        if self._runs is None:
            opened = map(self._open_run, self._list_directories())
            selected = [run for run in opened if matches(run.record, self.filters)]
            self._runs = sort_records(selected, self.order, lambda run: run.record)
        return self._runs

    def __iter__(self) -> Iterator[StoredRun]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __getitem__(self, index: int | slice) -> Any:
        return self._load()[index]

    def histories(
        self, keys: Sequence[str] | None = None, samples: int | None = 500, pandas: bool = True
    ) -> Any:
        """Every run's sampled history in one table, with `run_id` as the first column."""
        tables = []
        for run in self._load():
            table = run.history(keys=keys, samples=samples, pandas=False)
            tables.append(table.add_column(0, "run_id", pa.array([run.id] * table.num_rows, pa.string())))
        if not tables:
            return as_frame(pa.table({"run_id": pa.array([], pa.string())}), pandas)
        return as_frame(concat_unified(tables), pandas)

    def __repr__(self) -> str:
        state = "not loaded" if self._runs is None else f"{len(self._runs)} runs"
        return f"<Runs filters={self.filters!r} order={self.order!r} ({state})>"
