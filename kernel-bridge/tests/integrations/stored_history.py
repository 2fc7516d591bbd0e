"""Reading a finished run's history back through the read API, as the integration tests compare it."""

from __future__ import annotations

import spyglass as sg


def stored_rows(project: str, run_id: str) -> list[dict]:
    """Every stored row of `project/run_id` in the current store, without `_timestamp` and `_runtime`."""
    return [
        {k: v for k, v in row.items() if k not in ("_timestamp", "_runtime")}
        for row in sg.Api().run(f"{project}/{run_id}").scan_history()
    ]
