"""An evaluation output (sg.compare_evaluations, or evaluate()'s summary) as report blocks: a bar chart of
the mean score per scorer and evaluation (a plot block over its rows), cost and latency per evaluation, and
for two or more evaluations the examples side by side with regressions first (spyglass/evals/comparison.py).

Read from the store when the report is built; every cell is text the runtime sets with textContent, so model
outputs stay inert, and long values are cut to CELL_TEXT_LIMIT characters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from ..base.errors import SpyglassError
from ..base.path_confinement import Roots
from ..evals.comparison import compare
from ..evals.errors import EvaluationError
from ..evals.stored_evaluations import find_evaluations, read_results
from . import messages
from .budgets import CELL_TEXT_LIMIT, TABLE_ROW_BUDGET
from .table_rows import rows_block

_AMOUNT_COLUMNS = ["evaluation", "run", "examples", "failed", "latency mean (s)", "latency p50 (s)",
                   "latency p95 (s)", "cost total", "cost per example", "tokens"]  # fmt: skip


def evals_blocks(
    bundle: dict[str, Any], root: Path | None, places: list[Path], roots: Roots | None
) -> list[dict[str, Any]]:
    """[scores plot, cost and latency table, examples table (two or more evaluations)], or a notice."""
    project = str(bundle.get("project", ""))
    run_ids = [str(run_id) for run_id in bundle.get("run_ids") or []]
    if root is None:
        where = ", ".join(str(p / project) for p in places)
        return [_notice(messages.EVALS_NOT_REACHABLE.format(project=project, places=where))]
    try:
        chosen = find_evaluations(root, project, run_ids, roots)
        tables = [read_results(evaluation, roots) for evaluation in chosen]
    except (EvaluationError, SpyglassError, OSError, ValueError, pa.ArrowException) as error:
        return [_notice(messages.EVALS_UNREADABLE.format(project=project, error=error))]
    if not chosen:
        return [_notice(messages.EVALS_UNREADABLE.format(project=project, error="it names no evaluation"))]
    result = compare([e.entry() for e in chosen], tables, value_limit=CELL_TEXT_LIMIT)
    names = _names(result["evaluations"])
    blocks = [_scores_plot(result, names), _amounts(result, names)]
    if len(chosen) > 1:
        blocks.append(_examples(result, names))
    return blocks


def _names(evaluations: list[dict[str, Any]]) -> list[str]:
    # Two evaluations with one label (the same model evaluated twice) are told apart by their run id.
    labels = [e["label"] for e in evaluations]
    return [
        f"{e['label']} ({e['run_id']})" if labels.count(e["label"]) > 1 else e["label"] for e in evaluations
    ]


def _scores_plot(result: dict[str, Any], names: list[str]) -> dict[str, Any]:
    rows = [
        [names[i], score, aggregate["mean"], aggregate.get("count")]
        for score in result["scores"]
        for i, evaluation in enumerate(result["evaluations"])
        if isinstance((aggregate := evaluation["aggregates"]["scores"][score]).get("mean"), int | float)
    ]
    table = rows_block(messages.EVALS_SCORES_TITLE, ["evaluation", "score", "mean", "count"], rows)
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"name": "table"},
        "mark": {"type": "bar", "tooltip": True},
        "height": {"step": 14},
        "encoding": {
            "y": {"field": "score", "type": "nominal", "title": None, "sort": None},
            "yOffset": {"field": "evaluation", "type": "nominal", "sort": names},
            "x": {"field": "mean", "type": "quantitative", "title": "mean score"},
            "color": {
                "field": "evaluation",
                "type": "nominal",
                "sort": names,
                "legend": {"orient": "bottom"},
            },
        },
    }
    return {"kind": "plot", "title": table["title"], "spec": spec, "table": table}


def _amounts(result: dict[str, Any], names: list[str]) -> dict[str, Any]:
    rows = []
    for name, evaluation in zip(names, result["evaluations"], strict=True):
        agg = evaluation["aggregates"]
        latency, cost, tokens = agg["latency"], agg["cost"], agg["tokens"]
        rows.append(
            [name, evaluation["run_id"], agg["examples"], agg["failed"], latency.get("mean"),
             latency.get("p50"), latency.get("p95"), cost.get("total"), cost.get("mean"), tokens.get("total")]
        )  # fmt: skip
    return rows_block(messages.EVALS_AMOUNTS_TITLE, _AMOUNT_COLUMNS, rows)


def _examples(result: dict[str, Any], names: list[str]) -> dict[str, Any]:
    scores = result["scores"]
    columns = ["outcome", "example", "inputs"]
    for name in names:
        columns += [
            f"{name}: output",
            *(f"{name}: {s}" for s in scores),
            f"{name}: latency (s)",
            f"{name}: cost",
        ]
    rows = []
    for example in result["examples"][:TABLE_ROW_BUDGET]:
        row = [example["outcome"], example["example"], _inputs(example["inputs"])]
        for found in example["results"]:
            if found is None:
                row += [None] * (3 + len(scores))
                continue
            output = found["error"] if found["status"] == "error" else found["output"]
            row += [output, *(found["scores"][s] for s in scores), found["latency"], found["cost"]]
        rows.append(row)
    total = result["total_examples"]
    note = messages.EVALS_EXAMPLES_NOTE.format(counts=_counts(result["counts"]), baseline=names[0])
    if total > len(rows):
        note += " " + messages.TABLE_TRUNCATED.format(
            shown=len(rows), total=total, left=total - len(rows), limit=TABLE_ROW_BUDGET
        )
    return rows_block(messages.EVALS_EXAMPLES_TITLE, columns, rows, total=total, note=note)


def _inputs(inputs: dict[str, Any]) -> str:
    return ", ".join(f"{name}: {value}" for name, value in inputs.items())


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {outcome}" for outcome, count in counts.items() if count)


def _notice(text: str) -> dict[str, Any]:
    return {"kind": "notice", "text": text, "detail": None}
