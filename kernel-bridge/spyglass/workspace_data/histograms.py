"""One histogram key across the runs of a project, for the workspace's heat strip panels.

Only `_step` and the key's column are read (Parquet projection for finished runs, the framed log for running
ones). Each run's histograms are evenly thinned to at most `max_steps` (the last one kept), so an answer stays
a few hundred KiB whatever the run's length. Cells that are not histogram references are left out.
"""

from __future__ import annotations

import os
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..base.path_confinement import Roots
from ..data_types.reference import decode_reference
from ..store.arrow_codec import decode_payload
from ..store.framed_log import iter_frames
from ..store.run_state import effective_state
from ..store.run_store import RunDirectory
from .run_reads import read_run, requested_runs

MAX_STEPS = 200
MAX_RUNS = 50  # strips stacked in one panel; the panel says when runs were left out


def read_histograms(
    store_root: str | os.PathLike[str],
    project: str,
    metric: str,
    run_ids: list[str] | None = None,
    roots: Roots | None = None,
    max_steps: int = MAX_STEPS,
) -> dict[str, Any]:
    """{"runs": {run_id: [{"step", "bins", "values"}, ...]}, "skipped": {run_id: why}} in the order asked."""
    by_id, wanted = requested_runs(store_root, project, run_ids, roots)
    runs: dict[str, list[dict[str, Any]]] = {}
    skipped: dict[str, str] = {}
    for run_id in wanted[:MAX_RUNS]:
        found = read_run(by_id.get(run_id), lambda run: _histograms_of(run, metric))
        if isinstance(found, str):
            skipped[run_id] = found
        elif found:
            runs[run_id] = _thinned(found, max_steps)
    for run_id in wanted[MAX_RUNS:]:
        skipped[run_id] = f"more than {MAX_RUNS} runs in one histogram panel"
    return {"runs": runs, "skipped": skipped}


def _histograms_of(run: RunDirectory, metric: str) -> list[dict[str, Any]]:
    running = effective_state(run.read_metadata()) == "running"
    tables: list[pa.Table] = []
    if not running and run.parquet_path.is_file():
        if metric in pq.read_schema(run.parquet_path).names:
            tables.append(pq.read_table(run.parquet_path, columns=["_step", metric]))
    elif run.log_path.exists():
        for frame in iter_frames(run.log_path):
            batch = decode_payload(frame.payload)
            if metric in batch.schema.names:
                tables.append(pa.Table.from_batches([batch.select(["_step", metric])]))
    found = []
    for table in tables:
        if not pa.types.is_string(table.schema.field(metric).type):
            continue
        steps, texts = table.column("_step").to_pylist(), table.column(metric).to_pylist()
        for step, text in zip(steps, texts, strict=True):
            reference = decode_reference(text)
            if reference is not None and reference["_type"] == "histogram":
                found.append({"step": step, "bins": reference.get("bins"), "values": reference.get("values")})
    return found


def _thinned(found: list[dict[str, Any]], max_steps: int) -> list[dict[str, Any]]:
    if len(found) <= max_steps:
        return found
    every = -(-len(found) // max_steps)
    return found[::every] if (len(found) - 1) % every == 0 else [*found[::every], found[-1]]


__all__ = ["MAX_RUNS", "MAX_STEPS", "read_histograms"]
