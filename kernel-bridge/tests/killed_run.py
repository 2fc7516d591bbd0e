"""What a run killed with SIGKILL left in its store (the kill -9 tests: project "kill", run "victim")."""

from __future__ import annotations

from pathlib import Path

from spyglass.store.arrow_codec import decode_payload
from spyglass.store.framed_log import read_framed_log


def stored_rows(root: Path) -> tuple[list[int], list[float]]:
    """(steps, "t" values) of every row in the victim's history log under store `root`; raises if corrupt."""
    log = read_framed_log(root / "kill" / "victim" / "history.sglog")
    steps: list[int] = []
    times: list[float] = []
    for frame in log.frames:
        batch = decode_payload(frame.payload)
        steps += batch.column("_step").to_pylist()
        times += batch.column("t").to_pylist()
    return steps, times
