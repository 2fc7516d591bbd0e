"""Saving from the playground: the prompt as a versioned artifact (type "prompt") and its runs as the rows of
an sg.Dataset, one row per column run, ready for sg.Evaluation (docs/playground.md#reading-them-back)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..base.errors import InvalidNameError
from ..evals import Dataset, DatasetError
from ..store.run_store import validate_name
from .playground_runs import PlaygroundInputError, parse_parameters, parse_prompt

MAX_ROWS = 10_000
# The columns every row has; a prompt variable of the same name would be ambiguous, so it is refused.
ROW_COLUMNS = (
    "prompt",
    "provider",
    "model",
    "parameters",
    "messages",
    "response",
    "error",
    "input_tokens",
    "output_tokens",
    "total_tokens",
    "latency_s",
    "cost",
    "trace_id",
)


def save_prompt_and_runs(root: Path, project: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """Store the prompt (a new version only when its messages changed) and the runs, if any, as a dataset."""
    prompt, _ = parse_prompt(body.get("prompt"))
    _check_name("prompt.name", prompt.name)
    runs = body.get("runs") or []
    if not isinstance(runs, list) or len(runs) > MAX_ROWS:
        raise PlaygroundInputError(f'"runs" must be a list of at most {MAX_ROWS} run results')
    clashing = sorted(set(prompt.variables) & set(ROW_COLUMNS))
    if clashing:
        raise PlaygroundInputError(
            f"prompt variable(s) {', '.join(clashing)} clash with the dataset's own columns: rename them"
        )
    prompt.save(project, dir=root)
    answer: dict[str, Any] = {"prompt": prompt.reference, "dataset": None, "rows": 0}
    if runs:
        name = body.get("dataset") or f"{prompt.name}-runs"
        _check_name("dataset", name)
        rows = [_row(prompt, index, run) for index, run in enumerate(runs)]
        try:
            dataset = Dataset(rows, name=name, description=f"playground runs of {prompt.reference}")
            dataset.save(project, dir=root)
        except DatasetError as error:
            raise PlaygroundInputError(str(error)) from None
        answer.update(dataset=dataset.reference, rows=len(rows))
    return answer


def _row(prompt: Any, index: int, run: Any) -> dict[str, Any]:
    where = f"run {index + 1}"
    if not isinstance(run, Mapping):
        raise PlaygroundInputError(f"{where} must be an object")
    values = run.get("variables") or {}
    if not isinstance(values, Mapping) or not all(isinstance(v, str) for v in values.values()):
        raise PlaygroundInputError(f"{where}: variables must map names to texts")
    usage = run.get("usage") if isinstance(run.get("usage"), Mapping) else {}
    row: dict[str, Any] = {name: values.get(name) for name in prompt.variables}
    row.update(
        prompt=prompt.reference,
        provider=_text(run, "provider", where, required=True),
        model=_text(run, "model", where, required=True),
        parameters=parse_parameters(run.get("parameters"), where),
        messages=prompt.format(**{name: values.get(name, "") for name in prompt.variables}),
        response=_text(run, "output", where),
        error=_text(run, "error", where),
        input_tokens=_count(usage.get("input_tokens")),
        output_tokens=_count(usage.get("output_tokens")),
        total_tokens=_count(usage.get("total_tokens")),
        latency_s=_number(run.get("latency"), f"{where}: latency"),
        cost=_number(run.get("cost"), f"{where}: cost"),
        trace_id=_text(run, "trace_id", where),
    )
    return row


def _text(run: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    value = run.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value):
        raise PlaygroundInputError(f"{where}: {key} must be a text")
    return value


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _number(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise PlaygroundInputError(f"{what} must be a number >= 0")
    return float(value)


def _check_name(what: str, name: Any) -> None:
    try:
        validate_name(what, name)
    except InvalidNameError as error:
        raise PlaygroundInputError(str(error)) from None
