"""Where an evaluation's results land: the run's history and summary, as the explorer and panels read them.

One `run.log` step holds the per-example table under `eval/results` and the aggregates as numbers
(`eval/<scorer>/mean`, `eval/<scorer>/<key>/mean`, `eval/latency/p95`, `eval/cost/total`, `eval/failed`,
...), so they chart and compare like any metric; `run.summary["evaluation"]` holds the whole summary
(docs/evaluations.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..base.protocol_constants import EVALS_MIME_TYPE
from ..data_types.table import Table
from .example_runner import ExampleResult
from .results_table import results_table

RESULTS_KEY = "eval/results"
SUMMARY_KEY = "evaluation"


class EvaluationSummary(dict):
    """The evaluation's summary (a dict, as weave returns); `.table` is the per-example sg.Table (displays
    as the table explorer), `.results` the per-example results, `.run_path` "project/run_id"."""

    table: Table
    results: list[ExampleResult]
    run_path: str
    store_root: str

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        # The explorer over the results, with the aggregates as the text a viewer without it shows; the evals
        # type lets a report draw the aggregates, cost and latency from the store (report/evals_block.py).
        project, _, run_id = self.run_path.partition("/")
        evals = {"project": project, "store_root": self.store_root, "run_ids": [run_id]}
        bundle = {**self.table._repr_mimebundle_(include, exclude), "text/plain": summary_text(self)}
        return {EVALS_MIME_TYPE: evals, **bundle}


def summary_text(summary: dict[str, Any]) -> str:
    """`capitals-eval on Capitals (v9f3c...) over geo/capitals:v0: 100 examples, 2 failed` and one line per
    scorer and per amount."""
    model = summary["model"]
    lines = [
        f"{summary['evaluation']} on {model['name']} ({model['version']}) over {summary['dataset']}: "
        f"{summary['examples']} examples, {summary['failed']} failed (run {summary['run']})"
    ]
    shown = ("/mean", "/p95", "/total")  # the rest is in the dict
    for key, value in metrics(summary).items():
        if key.endswith(shown):
            lines.append(f"  {key.removeprefix('eval/')} = {value:.6g}")
    return "\n".join(lines)


def log_evaluation(
    run: Any,
    summary: dict[str, Any],
    results: list[ExampleResult],
    columns: list[str],
    scorer_names: list[str],
) -> EvaluationSummary:
    table = results_table(results, columns, scorer_names)
    summary = {**summary, "run": f"{run.project}/{run.id}", "results_key": RESULTS_KEY}
    run.log({RESULTS_KEY: table, **metrics(summary)})
    run.summary[SUMMARY_KEY] = summary
    shown = EvaluationSummary(summary)
    shown.table, shown.results, shown.run_path = table, results, summary["run"]
    shown.store_root = str(Path(run.dir).parent.parent)
    return shown


def metrics(summary: dict[str, Any]) -> dict[str, float]:
    """The summary's numbers as flat history keys: eval/<scorer>[/<key>]/<stat>, eval/latency/<stat>,
    eval/cost/<stat>, eval/tokens/<stat>, eval/examples, eval/failed."""
    flat = {"eval/examples": summary["examples"], "eval/failed": summary["failed"]}
    for scorer, aggregate in summary["scores"].items():
        _flatten(f"eval/{scorer}", aggregate, flat)
    for amount in ("latency", "cost", "tokens"):
        _flatten(f"eval/{amount}", summary[amount], flat)
    return flat


def _flatten(prefix: str, value: Any, into: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}/{key}", inner, into)
    elif isinstance(value, (int, float)):  # booleans too (0/1)
        into[prefix] = float(value)
