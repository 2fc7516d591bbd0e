"""Constants the Python package shares with the page: the comm protocol's version, target and message size
bound, every Spyglass MIME type, the comm error codes and the run palette.

A mirror of packages/protocol/fixtures/constants.json, the one source (the TypeScript package imports that
file; the wheel does not carry it): tests/test_protocol_constants.py fails when a value here differs from it.
"""

from __future__ import annotations

from typing import Literal, get_args

PROTOCOL_MAJOR = 1
# 1.1: frame chunks and replay requests may name a stream ("history" or "system").
# 1.2: run info may carry `degraded` (the run's rows cannot be stored right now, and why).
# 1.3: `calls` messages carry a trace session's call rows while they happen (Arrow IPC in the buffers).
PROTOCOL_MINOR = 3
COMM_TARGET = "spyglass"
# Upper bound for the sum of a comm message's binary buffers (Tornado closes the socket at 10 MiB).
MAX_MESSAGE_BYTES = 8 * 1024 * 1024

# Every Spyglass MIME type starts with this, a newer one too (a report names outputs it cannot draw by it).
MIME_TYPE_PREFIX = "application/vnd.spyglass."
RUN_MIME_TYPE = "application/vnd.spyglass.run.v1+json"
TABLE_MIME_TYPE = "application/vnd.spyglass.table.v1+json"
SWEEP_MIME_TYPE = "application/vnd.spyglass.sweep.v1+json"
WORKSPACE_MIME_TYPE = "application/vnd.spyglass.workspace.v1+json"
LINEAGE_MIME_TYPE = "application/vnd.spyglass.lineage.v1+json"
TRACES_MIME_TYPE = "application/vnd.spyglass.traces.v1+json"
# An evaluation comparison {project, store_root, run_ids}: the comparison panel in a cell, and in reports.
EVALS_MIME_TYPE = "application/vnd.spyglass.evals.v1+json"
MIME_TYPES = {
    "run": RUN_MIME_TYPE,
    "table": TABLE_MIME_TYPE,
    "sweep": SWEEP_MIME_TYPE,
    "workspace": WORKSPACE_MIME_TYPE,
    "lineage": LINEAGE_MIME_TYPE,
    "traces": TRACES_MIME_TYPE,
    "evals": EVALS_MIME_TYPE,
}

# Machine-readable reason of an `error` comm message (constants.json "errorCodes" says what each means).
ErrorCode = Literal["bad_message", "protocol_major", "unknown_run", "internal"]
ERROR_CODES: tuple[str, ...] = get_args(ErrorCode)

# The 20-colour run palette of the page's charts (packages/charts), readable on light and dark backgrounds.
RUN_PALETTE: tuple[str, ...] = (
    "#2d78bd",
    "#f68c11",
    "#d984ed",
    "#449d2e",
    "#c23d5d",
    "#5fbaca",
    "#906e30",
    "#9351bd",
    "#c9818c",
    "#a0b751",
    "#8688fe",
    "#268676",
    "#c656a6",
    "#d75928",
    "#8e7ab5",
    "#b69255",
    "#1ab28c",
    "#fe77a6",
    "#aaa1e0",
    "#9c5e7c",
)
