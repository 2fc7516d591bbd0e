"""A sweep bundle's snapshot as a chart (metric and best-so-far by trial) and a table of its trials."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import messages
from .chart_panels import ChartContext
from .series_block import finite_series


def sweep_blocks(bundle: dict[str, Any], context: ChartContext) -> list[dict[str, Any]]:
    snap = bundle.get("snapshot") or {}
    sweep = snap.get("sweep") or {}
    trials = [t for t in snap.get("trials") or [] if isinstance(t, dict)]
    counts = snap.get("counts") or {}
    name = str(sweep.get("name") or sweep.get("id") or bundle.get("sweep_id") or "sweep")
    metric = (sweep.get("metric") or {}).get("name") or messages.SWEEP_METRIC
    index = [t.get("index") for t in trials]
    series_ids = {"metric": f"{name}: {messages.SWEEP_METRIC}", "best": f"{name}: {messages.SWEEP_BEST}"}
    refs = []
    for key, field in (("metric", "metric"), ("best", "best_so_far")):
        values = [t.get(field) if isinstance(t.get(field), (int, float)) else None for t in trials]
        x, y = finite_series(
            np.array([np.nan if i is None else i for i in index], dtype=float),
            np.array([np.nan if v is None else v for v in values], dtype=float),
        )
        refs.append(context.series.add(series_ids[key], x, y, 2))
    chart = {"id": context.chart_id(), "metric": str(metric), "x_title": "trial", "series": refs}
    title = messages.SWEEP_TITLE.format(
        name=name,
        method=sweep.get("method"),
        state=sweep.get("state"),
        done=counts.get("done", 0),
        failed=counts.get("failed", 0),
    )
    charts = {
        "kind": "charts",
        "title": title,
        "runs": [{"id": v, "name": v} for v in series_ids.values()],
        "charts": [chart],
        "note": "\n".join(str(w) for w in snap.get("warnings") or []) or None,
    }
    params = sorted({p for t in trials for p in (t.get("params") or {})})
    columns = ["index", "state", "metric", "best_so_far", "run_id", *params]
    rows = [
        [t.get("index"), t.get("state"), t.get("metric"), t.get("best_so_far"), t.get("run_id")]
        + [(t.get("params") or {}).get(p) for p in params]
        for t in trials
    ]
    table = {
        "kind": "table",
        "title": f"{name}: trials",
        "columns": [{"name": c, "type": "param" if c in params else "field"} for c in columns],
        "data": [[_cell(row[i]) for row in rows] for i in range(len(columns))]
        if rows
        else [[] for _ in columns],
        "nrows": len(rows),
        "note": None,
    }
    return [charts, table]


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value if not isinstance(value, float) or np.isfinite(value) else str(value)
    return str(value)
