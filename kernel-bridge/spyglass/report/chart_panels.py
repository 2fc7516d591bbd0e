"""Run panels and workspace panels as chart blocks: one chart per metric, one series per run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.errors import SpyglassError
from ..charts.m4 import finite_sorted
from . import messages
from .budgets import CHARTS_PER_PANEL
from .run_source import numeric_history
from .series_block import SeriesBlock


@dataclass
class ChartContext:
    """State shared by the panels of one report: the series block, the chart id counter, the runs shown."""

    series: SeriesBlock = field(default_factory=SeriesBlock)
    next_chart: int = 0
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def chart_id(self) -> str:
        self.next_chart += 1
        return f"chart-{self.next_chart}"


def charts_block(
    title: str, runs: list[tuple[dict[str, Any], Path]], context: ChartContext
) -> dict[str, Any]:
    """A charts block over `runs` ((summary, run dir) pairs): the union of their metrics, sorted by name."""
    notes: list[str] = []
    histories: list[tuple[dict[str, Any], Any, dict[str, Any]]] = []
    for summary, path in runs:
        try:
            steps, metrics = numeric_history(path)
        except (SpyglassError, OSError) as error:
            notes.append(
                messages.RUN_UNREADABLE.format(name=summary["name"], run_id=summary["id"], error=error)
            )
            continue
        histories.append((summary, steps, metrics))
    names = sorted({name for _, _, metrics in histories for name in metrics})
    shown, hidden = names[:CHARTS_PER_PANEL], names[CHARTS_PER_PANEL:]
    if hidden:
        notes.append(
            messages.MORE_CHARTS.format(
                count=len(hidden), limit=CHARTS_PER_PANEL, names=", ".join(hidden[:20])
            )
        )
    if not names and histories:
        notes.append(messages.NO_METRICS)
    charts = []
    for metric in shown:
        present = [(s, steps, m[metric]) for s, steps, m in histories if metric in m]
        refs = []
        for summary, steps, values in present:
            x, y = finite_sorted(steps.to_numpy(zero_copy_only=False), values.to_numpy(zero_copy_only=False))
            refs.append(context.series.add(summary["id"], x, y, len(present)))
        charts.append({"id": context.chart_id(), "metric": metric, "x_title": "step", "series": refs})
    return {
        "kind": "charts",
        "title": title,
        "runs": [{"id": s["id"], "name": s["name"]} for s, _, _ in histories],
        "charts": charts,
        "note": "\n".join(notes) or None,
    }
