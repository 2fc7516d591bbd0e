"""Stores for the read API and CLI tests: real runs through spyglass.init, plus hand-made run.json."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa

import spyglass as sg
from spyglass.store.arrow_codec import encode_batch
from spyglass.store.framed_log import FramedLogWriter
from spyglass.store.run_store import RunDirectory


def logged_run(
    root: Path,
    project: str,
    run_id: str,
    rows: Iterable[dict[str, Any]],
    config: dict | None = None,
    **meta: Any,
) -> RunDirectory:
    """A run written with the public run API; `meta` fields are then merged into its run.json."""
    name = meta.get(
        "name", run_id
    )  # the id, so tests can name runs by it (init() would pick "adjective-noun-N")
    run = sg.init(project=project, id=run_id, name=name, dir=root, config=config or {}, reinit="create_new")
    for row in rows:
        run.log(row)
    run.finish()
    directory = RunDirectory(Path(root) / project / run_id)
    if meta:
        patch_metadata(directory, **meta)
    return directory


def patch_metadata(directory: RunDirectory, **fields: Any) -> None:
    """Merge `fields` into run.json (as the run API's later fields, summary and heartbeat, would be)."""
    directory.write_metadata({**directory.read_metadata(), **fields})


def framed_run(
    root: Path, project: str, run_id: str, frames: Iterable[pa.RecordBatch], **meta: Any
) -> RunDirectory:
    """A run whose history frames are written one by one (each batch becomes one frame)."""
    directory = RunDirectory.create(root, project, run_id)
    directory.write_metadata(
        {
            "format": 1,
            "run_id": run_id,
            "project": project,
            "name": run_id,
            "state": "finished",
            "created_at": 1_700_000_000.0,
            "finished_at": 1_700_000_100.0,
            "config": {},
            **meta,
        }
    )
    with FramedLogWriter(directory.log_path) as writer:
        for batch in frames:
            writer.append(encode_batch(batch))
    return directory


def history_batch(steps: list[int], **metrics: list[Any]) -> pa.RecordBatch:
    """One record batch of history rows at `steps`."""
    columns = {
        "_step": pa.array(steps, pa.int64()),
        "_timestamp": pa.array([1_700_000_000.0 + step for step in steps]),
        "_runtime": pa.array([float(step) for step in steps]),
    }
    columns.update({name: pa.array(values) for name, values in metrics.items()})
    return pa.record_batch(columns)


def live_metadata() -> dict[str, Any]:
    """run.json fields of a run that is alive right now in this process."""
    return {"state": "running", "heartbeat_at": time.time(), "host": socket.gethostname(), "pid": os.getpid()}


def killed_metadata() -> dict[str, Any]:
    """run.json fields of a run whose process died an hour ago without finishing."""
    return {"state": "running", "heartbeat_at": time.time() - 3600, "host": "elsewhere", "pid": 1}
