"""sg.compare_evaluations(project, [names]): the comparison as a dict, shown in a cell as the comparison panel
(evals MIME type), with static HTML (every value escaped) for viewers without the extension."""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from typing import Any

from ..base.protocol_constants import EVALS_MIME_TYPE
from ..store.run_store import resolve_store_root
from .comparison import DEFAULT_VALUE_LIMIT, compare
from .errors import EvaluationError
from .stored_evaluations import find_evaluations, list_evaluations, read_results

COMMAND = "spyglass:compare-evaluations"
SHOWN_EXAMPLES = 10  # rows of the cell's static view; the panel and the dict hold every example


class EvaluationComparison(dict):
    """What /evals/compare answers (a dict): `evaluations` (baseline first, with aggregates), `scores`,
    `counts`, `examples` (regressions first). `.regressions` lists the regressed examples."""

    project: str
    store_root: str

    @property
    def regressions(self) -> list[dict[str, Any]]:
        return [e for e in self["examples"] if e["outcome"] == "regression"]

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        # JupyterLab draws the comparison panel for the evals type (EvalsOutputRenderer), other viewers the
        # escaped HTML; a report draws the comparison from the store (report/evals_block.py).
        run_ids = [e["run_id"] for e in self["evaluations"]]
        return {
            EVALS_MIME_TYPE: {"project": self.project, "store_root": self.store_root, "run_ids": run_ids},
            "text/html": comparison_html(self),
            "text/plain": repr(self),
        }

    def __repr__(self) -> str:
        labels = " vs ".join(e["label"] for e in self["evaluations"])
        counts = ", ".join(f"{n} {k}" for k, n in self["counts"].items() if n)
        return f"<EvaluationComparison {labels}: {counts}>"


def compare_evaluations(
    project: str,
    evaluations: Sequence[Any] | None = None,
    *,
    dir: str | os.PathLike[str] | None = None,
    value_limit: int = DEFAULT_VALUE_LIMIT,
) -> EvaluationComparison:
    """Compare evaluations of `project` (run ids, run names, `project/run_id`, or evaluate()'s summaries; the
    first is the baseline); without `evaluations`, the two newest (the older one the baseline)."""
    root = resolve_store_root(dir)
    if evaluations is None:
        newest = list_evaluations(root, project)[:2]
        if len(newest) < 2:
            raise EvaluationError(
                f"project {project!r} in {root} has {len(newest)} evaluation(s); comparing needs two"
            )
        chosen = newest[::-1]
    else:
        names = [_name_of(item) for item in evaluations]
        if not names:
            raise EvaluationError("compare_evaluations() needs at least one evaluation to show")
        chosen = find_evaluations(root, project, names)
    tables = [read_results(evaluation) for evaluation in chosen]
    result = EvaluationComparison(
        compare([e.entry() for e in chosen], tables, value_limit=value_limit, example_limit=10**9)
    )
    result.project, result.store_root = project, str(root)
    return result


def _name_of(item: Any) -> str:
    # evaluate()'s summary names its run as "project/run_id".
    return str(item["run"]) if isinstance(item, dict) and "run" in item else str(item)


def comparison_html(result: dict[str, Any]) -> str:
    """The comparison as inert HTML: aggregates per evaluation and the first examples, regressions first."""
    esc = html.escape
    evaluations, scores = result["evaluations"], result["scores"]
    head = "".join(f"<th>{esc(s)}</th>" for s in scores)
    rows = []
    for e in evaluations:
        agg = e["aggregates"]
        means = "".join(f"<td>{_number(agg['scores'][s].get('mean'))}</td>" for s in scores)
        latency, cost = agg["latency"], agg["cost"]
        rows.append(
            f"<tr><td>{esc(e['label'])}</td><td>{esc(e['run_id'])}</td>{means}"
            f"<td>{_number(latency.get('p50'))}</td><td>{_number(latency.get('p95'))}</td>"
            f"<td>{_number(cost.get('total'))}</td><td>{agg['failed']}/{agg['examples']}</td></tr>"
        )
    counts = ", ".join(f"{n} {esc(k)}" for k, n in result["counts"].items() if n)
    examples = []
    for example in result["examples"][:SHOWN_EXAMPLES]:
        outputs = "".join(
            f"<td>{'—' if r is None else esc(_short(r['output']))}</td>" for r in example["results"]
        )
        examples.append(
            f"<tr><td>{esc(example['outcome'])}</td><td>{esc(str(example['example']))}</td>"
            f"<td>{esc(_short(example['inputs']))}</td>{outputs}</tr>"
        )
    output_heads = "".join(f"<th>output: {esc(e['label'])}</th>" for e in evaluations)
    return (
        '<div class="spyglass-eval-compare">'
        f"<p>Evaluations of {esc(getattr(result, 'project', ''))}: {counts}. "
        f"Open the interactive panel with the command <code>{COMMAND}</code>.</p>"
        f"<table><thead><tr><th>evaluation</th><th>run</th>{head}<th>latency p50 s</th>"
        f"<th>latency p95 s</th><th>cost</th><th>failed</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<table><thead><tr><th>outcome</th><th>example</th><th>inputs</th>{output_heads}</tr></thead>"
        f"<tbody>{''.join(examples)}</tbody></table></div>"
    )


def _number(value: Any) -> str:
    return "" if not isinstance(value, int | float) else f"{value:.4g}"


def _short(value: Any, limit: int = 200) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "…"
