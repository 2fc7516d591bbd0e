"""The evaluations of a project as the store holds them: the runs whose summary has an `evaluation`, and
each one's per-example results table (docs/evaluations.md "Comparing evaluations").

Pure reads of the store, shared by the server's /evals endpoints, the report and sg.compare_evaluations.
With `roots` (the server), a run or results file resolving outside them is not read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..base.errors import StoreError
from ..base.path_confinement import Roots, stays_within
from ..data_types.reference import decode_reference
from ..store.run_state import effective_state
from ..store.run_store import RunDirectory, validate_name
from ..workspace_data.index import run_directories
from .errors import EvaluationError
from .evaluation_log import RESULTS_KEY, SUMMARY_KEY


@dataclass(frozen=True)
class StoredEvaluation:
    """One evaluation: its run and the summary evaluate() stored in run.json."""

    run_id: str
    run_name: str
    project: str
    run_dir: Path
    state: str
    created_at: float | None
    summary: dict[str, Any]

    @property
    def label(self) -> str:
        """`<evaluation> · <model>` as the panel and the report name it."""
        return f"{self.summary.get('evaluation', '?')} · {_model_name(self.summary)}"

    def entry(self) -> dict[str, Any]:
        """The listing entry: what a picker and the comparison's header show."""
        summary = self.summary
        model = summary.get("model") if isinstance(summary.get("model"), dict) else {}
        return {
            "run_id": self.run_id,
            "run_name": self.run_name,
            "state": self.state,
            "created_at": self.created_at,
            "label": self.label,
            "evaluation": summary.get("evaluation"),
            "dataset": summary.get("dataset"),
            "model": {"name": model.get("name"), "version": model.get("version")},
            "examples": summary.get("examples"),
            "failed": summary.get("failed"),
            "scores": summary.get("scores") or {},
            "latency": summary.get("latency") or {},
            "cost": summary.get("cost") or {},
            "tokens": summary.get("tokens") or {},
        }


def list_evaluations(
    store_root: str | os.PathLike[str], project: str, roots: Roots | None = None
) -> list[StoredEvaluation]:
    """Every evaluation of the project, newest first (then by run id); unreadable runs are left out."""
    found = []
    for path in run_directories(store_root, project, roots):
        evaluation = _read(path, project)
        if evaluation is not None:
            found.append(evaluation)
    return sorted(found, key=lambda e: (-(e.created_at or 0.0), e.run_id))


def find_evaluations(
    store_root: str | os.PathLike[str], project: str, wanted: list[str], roots: Roots | None = None
) -> list[StoredEvaluation]:
    """The evaluations named by run id, run name, `project/run_id` or evaluation label, in the order asked.

    EvaluationError names what was not found (or matched several runs) and lists what there is.
    """
    every = list_evaluations(store_root, project, roots)
    chosen = []
    for name in wanted:
        name = str(name)
        tail = name.removeprefix(f"{project}/")
        matches = [e for e in every if tail in (e.run_id, e.run_name) or name == e.label]
        if len(matches) != 1:
            listing = ", ".join(f"{e.run_id} ({e.label})" for e in every) or "none"
            problem = "matches no evaluation" if not matches else f"matches {len(matches)} evaluations"
            raise EvaluationError(
                f"{name!r} {problem} of project {project!r}; name one by run id or run name. "
                f"Its evaluations: {listing}"
            )
        chosen.append(matches[0])
    return chosen


def read_results(evaluation: StoredEvaluation, roots: Roots | None = None) -> pa.Table:
    """The evaluation's per-example results table (the last `eval/results` its run logged)."""
    reference = _results_reference(evaluation)
    relative = Path(reference["path"])
    if relative.is_absolute() or ".." in relative.parts:
        raise StoreError(f"run {evaluation.run_id}: results path {reference['path']!r} leaves its run")
    path = evaluation.run_dir / relative
    if roots is not None and not stays_within(path, roots):
        raise StoreError(f"run {evaluation.run_id}: its results file lies outside the server's roots")
    return pq.read_table(path)


def _results_reference(evaluation: StoredEvaluation) -> dict[str, Any]:
    key = evaluation.summary.get("results_key") or RESULTS_KEY
    history = RunDirectory(evaluation.run_dir).read_history()
    if key not in history.column_names:
        raise StoreError(f"run {evaluation.run_id} logged no {key!r} table")
    for value in reversed(history.column(key).to_pylist()):
        reference = decode_reference(value) if value is not None else None
        if reference and reference.get("_type") == "table":
            return reference
    raise StoreError(f"run {evaluation.run_id} logged no {key!r} table")


def _read(path: Path, project: str) -> StoredEvaluation | None:
    try:
        meta = RunDirectory(path).read_metadata()
    except (StoreError, OSError, UnicodeDecodeError, ValueError):
        return None
    summary = (meta.get("summary") or {}).get(SUMMARY_KEY) if isinstance(meta, dict) else None
    if not isinstance(summary, dict) or "evaluation" not in summary:
        return None
    return StoredEvaluation(
        run_id=path.name,
        run_name=str(meta.get("name") or path.name),
        project=validate_name("project", project),
        run_dir=path,
        state=effective_state(meta),
        created_at=meta.get("created_at"),
        summary=summary,
    )


def _model_name(summary: dict[str, Any]) -> str:
    model = summary.get("model")
    return str(model.get("name")) if isinstance(model, dict) else "?"
