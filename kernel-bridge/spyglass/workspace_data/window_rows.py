"""What zoom windows read, per metric: the asked runs' rows as numpy columns and their stored overview levels.

A window's cost must grow with the runs and the range it asks for, not with the project (10,000 runs in a
bucket, of which a chart shows 100). So each request looks up only its own runs (a few stats of each run's
files, run_reads.requested_runs), reads the runs it has not seen or whose files changed, and answers from
those runs alone. A run is held with the mark of what it was read from (the size and mtime of its run.json,
history.parquet, framed log and overview.arrow): a running run's log grows, so its next window reads it again
and stays exact; a finished run is read once.

A held run keeps its steps and values (and, only once a window on another axis asked for them, its wall times
and step metric) as numpy arrays in step order: 16 bytes a row, where the DuckDB tables held before (rows
and a full M4 pyramid) took ~50 and thrashed past 30M rows at 1,000 runs × 100k steps. Every window slices
them by binary search, so it touches only the rows in its range. A finished run's overview.arrow
(overview_file.py) is read too, its levels of the metric copied out (~0.1 MB a run at 100k steps): they answer
the whole buckets of a window (window_m4.py). Runs not asked
for a while are dropped once a metric holds more than MAX_HELD_ROWS rows.
"""

from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ..base.path_confinement import Roots
from ..store.run_state import effective_state
from ..store.run_store import LOG_FILE, METADATA_FILE, OVERVIEW_FILE, PARQUET_FILE, RunDirectory
from .held_levels import MIN_LEVEL, HeldLevel, build_levels
from .overview_file import StoredLevels, open_overview
from .run_reads import read_run, requested_runs
from .series import read_metric

MAX_HELD_ROWS = 150_000_000  # points per metric: ~25 B each with the finer levels (1,000 runs × 100k: 100M)
_LOAD_RUNS = 64
_NONE = np.zeros(0)
_MARKED_FILES = (METADATA_FILE, PARQUET_FILE, LOG_FILE, OVERVIEW_FILE)


@dataclass
class HeldRun:
    """A run's finite points of the metric in step order (steps, values, and only once a window on another
    axis asked, their wall times; the step metric's values with x_metric), what they were read from, its
    stored overview levels when it is finished with a matching overview.arrow, and the finer levels those do
    not hold (held_levels.py: MIN_LEVEL up to the first stored level, or to the run's top without one)."""

    mark: tuple[Any, ...]
    steps: np.ndarray
    values: np.ndarray
    walls: np.ndarray | None = None
    xs: np.ndarray | None = None
    w0: float = math.nan  # the earliest wall time of any row of the metric (the relative axis counts from it)
    stored: StoredLevels | None = None
    levels: list[HeldLevel] = field(default_factory=list)
    used: float = 0.0
    path: Path | None = None
    live: bool = True  # read from its log (running, or ended without history.parquet): its log is watched
    quick: tuple[Any, ...] = ()

    @property
    def rows(self) -> int:
        return len(self.steps)

    def span(self, lo: int, hi: int) -> tuple[int, int]:
        """[start, end) of the rows with lo <= step <= hi (binary search: the rows are in step order)."""
        return int(np.searchsorted(self.steps, lo, "left")), int(np.searchsorted(self.steps, hi, "right"))

    def level(self, level: int) -> tuple[np.ndarray, np.ndarray] | HeldLevel | None:
        """Level `level`'s buckets: stored (b and M4 matrix from overview.arrow) or held ones (positions);
        None when neither holds it (then the raw rows answer)."""
        if self.stored is not None and level >= self.stored.first:
            return self.stored.level_rows(level)
        if level - MIN_LEVEL < len(self.levels):
            return self.levels[level - MIN_LEVEL]
        return self.levels[-1] if self.levels and self.stored is None else None


@dataclass
class MetricRows:
    """One metric's held runs; `lock` guards them (loads and queries of one metric never interleave)."""

    runs: dict[str, HeldRun] = field(default_factory=dict)
    rows: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hold(
        self, store_root: str, project: str, metric: str, x_metric: str | None, run_ids: list[str],
        roots: Roots | None, walls: bool = False,
    ) -> list[tuple[int, HeldRun]]:  # fmt: skip
        """(index in run_ids, held run) of each asked run that has rows of the metric, reading the runs first
        asked or changed since (and those held without wall times when `walls`); a run no longer in the
        project is dropped. Call with `lock` held."""
        # A held run whose directory did not change (files are replaced by rename) and, if it logs, whose log
        # did not grow is as read: one stat or two, not the lookup and five stats of a run not held.
        same = {r for r in run_ids if r in self.runs and self.runs[r].quick == _quick_mark(self.runs[r])}
        others = [r for r in run_ids if r not in same]
        by_id = requested_runs(store_root, project, others, roots)[0] if others else {}
        marks = {run_id: _mark(path) for run_id, path in by_id.items()}
        changed = [
            r
            for r, mark in marks.items()
            if r not in self.runs or self.runs[r].mark != mark or (walls and self.runs[r].walls is None)
        ]
        gone = [r for r in others if r in self.runs and r not in by_id]
        self._drop([r for r in changed + gone if r in self.runs])
        if changed:
            self._load(
                store_root, project, metric, x_metric, {r: marks[r] for r in changed}, by_id, roots, walls
            )
        now = time.monotonic()
        asked = []
        for index, run_id in enumerate(run_ids):
            held = self.runs.get(run_id)
            if held is not None and held.rows:
                held.used = now
                asked.append((index, held))
        self._evict(set(run_ids))
        return asked

    def _load(
        self, store_root: str, project: str, metric: str, x_metric: str | None,
        marks: dict[str, tuple[Any, ...]], paths: dict[str, Path], roots: Roots | None, walls: bool,
    ) -> None:  # fmt: skip
        ids = list(marks)
        quick = {r: _quick_mark(HeldRun(marks[r], _NONE, _NONE, path=paths[r], live=True)) for r in ids}
        for at in range(0, len(ids), _LOAD_RUNS):  # a few runs at a time: the read's copies stay small
            chunk = ids[at : at + _LOAD_RUNS]
            sliced = read_metric(store_root, project, metric, chunk, x_metric, roots, wall=walls)
            read = dict(zip(sliced.run_ids, sliced.per_run, strict=True))
            for run_id in chunk:  # a run without the metric is held too (no rows): not read again
                table = read.get(run_id)
                if table is None:
                    self.runs[run_id] = HeldRun(marks[run_id], np.zeros(0, np.int64), np.zeros(0))
                    continue
                source = read_run(paths[run_id], lambda run: _source(run, metric))
                running, stored = source if isinstance(source, tuple) else (True, None)
                held = _held(marks[run_id], table, walls, x_metric is not None)
                held.path, held.quick, held.stored = paths[run_id], quick[run_id], stored
                held.live = running or marks[run_id][1] is None
                if len(held.steps):
                    top = max(MIN_LEVEL, int(max(-held.steps[0], held.steps[-1], 1)).bit_length())
                    last = held.stored.first - 1 if held.stored is not None else top
                    held.levels = build_levels(held.steps, held.values, last)
                self.runs[run_id] = held
                self.rows += held.rows

    def _drop(self, run_ids: list[str]) -> None:
        for run_id in run_ids:
            self.rows -= self.runs.pop(run_id).rows

    def _evict(self, asked: set[str]) -> None:
        """Drops the runs asked least recently (never those of this request) while over MAX_HELD_ROWS."""
        if self.rows <= MAX_HELD_ROWS:
            return
        dropped, rows = [], self.rows
        for run_id, held in sorted(self.runs.items(), key=lambda item: item[1].used):
            if rows <= MAX_HELD_ROWS:
                break
            if run_id not in asked:
                dropped.append(run_id)
                rows -= held.rows
        self._drop(dropped)


def _held(mark: tuple[Any, ...], table: pa.Table, walls: bool, xs: bool) -> HeldRun:
    """A run's read rows (series.project_metric's columns): its finite points as numpy arrays in step order
    (stable), and the earliest wall time of all its rows."""
    steps = table.column("step").to_numpy()
    values = table.column("value").to_numpy()
    keep = np.flatnonzero(np.isfinite(values))
    if len(keep) > 1 and np.any(np.diff(steps[keep]) < 0):
        keep = keep[np.argsort(steps[keep], kind="stable")]

    def column(name: str) -> np.ndarray:
        return table.column(name).to_numpy(zero_copy_only=False)[keep]

    held = HeldRun(mark, steps[keep], values[keep])
    if walls:
        every = table.column("wall").to_numpy(zero_copy_only=False)
        known = every[~np.isnan(every)]
        held.walls, held.w0 = every[keep], float(known.min()) if len(known) else math.nan
    if xs:
        held.xs = column("x")
    return held


def _source(run: RunDirectory, metric: str) -> tuple[bool, StoredLevels | None]:
    """(is the run running, the stored levels of `metric` in its overview.arrow when it is not and the file
    matches its history; the file is closed after, what a window needs copied out)."""
    if effective_state(run.read_metadata()) == "running":
        return True, None
    stored = open_overview(run)
    return False, stored.levels(metric) if stored is not None and metric in stored.metrics else None


def _quick_mark(run: HeldRun) -> tuple[Any, ...] | None:
    """The run directory's mtime and inode, and its log's size and mtime if it is live; None when gone."""
    try:
        stat = os.stat(run.path or "")
        quick: tuple[Any, ...] = (stat.st_mtime_ns, stat.st_ino)
        if run.live:
            log = os.stat(os.path.join(run.path or "", LOG_FILE))
            quick += (log.st_size, log.st_mtime_ns)
        return quick
    except OSError:
        return None


def _mark(path: Path) -> tuple[Any, ...]:
    """What a run's rows are read from: size and mtime of its run.json, history.parquet, framed log and
    overview.arrow (None for a file it lacks). A logging run's log moves at every flush, so a window after it
    reads the run again."""
    mark = []
    for name in _MARKED_FILES:
        try:
            stat = os.stat(os.path.join(path, name))
            mark.append((stat.st_size, stat.st_mtime_ns))
        except OSError:
            mark.append(None)
    return tuple(mark)
