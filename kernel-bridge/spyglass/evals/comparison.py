"""Two or more evaluations side by side: examples paired across them, regressions first, aggregates per
scorer, cost and latency (docs/evaluations.md "Comparing evaluations").

The first evaluation is the baseline. Examples pair by `example_digest` (the same dataset row, whatever its
version), a row repeated in a dataset by its occurrence. Scores are compared as numbers (booleans as 0/1,
higher is better); an example that failed counts as 0 on the scores it lacks. An example is a regression when
some evaluation scores it lower than the baseline on a scorer (or fails where the baseline succeeded) and
higher on none; it is an improvement the other way round, mixed when both happen. The one place these rules
live: the server's /evals/compare, the report and sg.compare_evaluations all answer from `compare`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from .aggregates import default_summary, latency_summary, total_summary

SCORE_PREFIX, INPUT_PREFIX = "score.", "input."
DEFAULT_VALUE_LIMIT = 20_000  # characters of one output or input shown; the store keeps the whole value
DEFAULT_EXAMPLE_LIMIT = 5_000
OUTCOMES = ("regression", "mixed", "improvement", "same", "missing")


def compare(
    entries: Sequence[dict[str, Any]],
    tables: Sequence[pa.Table],
    *,
    value_limit: int = DEFAULT_VALUE_LIMIT,
    example_limit: int = DEFAULT_EXAMPLE_LIMIT,
) -> dict[str, Any]:
    """The comparison of evaluations (their listing entries and results tables; the first is the baseline)."""
    if len(entries) != len(tables) or not tables:
        raise ValueError("compare() needs one results table per evaluation, at least one")
    rows = [table.to_pylist() for table in tables]
    scores = _score_names(tables)
    paired = _pair(rows)
    examples = [_example(key, found, scores, value_limit) for key, found in paired.items()]
    examples.sort(key=_order)
    counts = {outcome: 0 for outcome in OUTCOMES}
    for example in examples:
        counts[example["outcome"]] += 1
    return {
        "evaluations": [
            {**entry, "aggregates": _aggregates(table_rows, scores)}
            for entry, table_rows in zip(entries, rows, strict=True)
        ],
        "scores": scores,
        "counts": counts,
        "total_examples": len(examples),
        "examples": examples[:example_limit],
        "examples_truncated": len(examples) > example_limit,
    }


def _score_names(tables: Sequence[pa.Table]) -> list[str]:
    """Score columns holding numbers or booleans in some evaluation, in first-seen order (prefix dropped)."""
    names: dict[str, None] = {}
    for table in tables:
        for field in table.schema:
            kind = field.type
            numeric = pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)
            if field.name.startswith(SCORE_PREFIX) and numeric:
                names.setdefault(field.name.removeprefix(SCORE_PREFIX))
    return list(names)


def _pair(rows: list[list[dict[str, Any]]]) -> dict[str, list[dict[str, Any] | None]]:
    """{pair key: [the example's row in each evaluation, or None]} in first-seen order."""
    paired: dict[str, list[dict[str, Any] | None]] = {}
    for position, table_rows in enumerate(rows):
        seen: dict[str, int] = {}
        for row in table_rows:
            base = str(row.get("example_digest") or f"#{row.get('example')}")
            seen[base] = seen.get(base, 0) + 1
            key = f"{base}/{seen[base]}"  # a row repeated in the dataset pairs by its occurrence
            paired.setdefault(key, [None] * len(rows))[position] = row
    return paired


def _example(
    key: str, found: list[dict[str, Any] | None], scores: list[str], value_limit: int
) -> dict[str, Any]:
    first = next(row for row in found if row is not None)
    base = found[0]
    outcome, delta = "same", 0.0
    if base is None or any(row is None for row in found):
        outcome, delta = "missing", None
    elif len(found) > 1:
        verdicts, deltas = zip(*(_versus(base, row, scores) for row in found[1:]), strict=True)
        outcome = _worst(verdicts)
        delta = min(deltas)
    inputs = {
        name.removeprefix(INPUT_PREFIX): _shown(value, value_limit)
        for name, value in first.items()
        if name.startswith(INPUT_PREFIX)
    }
    return {
        "key": key,
        "example": first.get("example"),
        "digest": first.get("example_digest"),
        "inputs": inputs,
        "outcome": outcome,
        "delta": delta,
        "results": [None if row is None else _result(row, scores, value_limit) for row in found],
    }


def _versus(base: dict[str, Any], other: dict[str, Any], scores: list[str]) -> tuple[str, float]:
    """(verdict, summed score change) of one evaluation's row against the baseline's."""
    worse = other.get("status") == "error" and base.get("status") != "error"
    better = base.get("status") == "error" and other.get("status") != "error"
    total = 0.0
    for name in scores:
        a, b = _score_value(base, name), _score_value(other, name)
        if a is None or b is None:
            continue
        total += b - a
        worse, better = worse or b < a, better or b > a
    verdict = "mixed" if worse and better else "regression" if worse else "improvement" if better else "same"
    return verdict, total


def _score_value(row: dict[str, Any], name: str) -> float | None:
    value = row.get(SCORE_PREFIX + name)
    if isinstance(value, bool | int | float) and not (isinstance(value, float) and not math.isfinite(value)):
        return float(value)
    # A failed example scores 0 where it has no score; a scorer that returned None is not compared.
    return 0.0 if value is None and row.get("status") == "error" else None


def _worst(verdicts: Sequence[str]) -> str:
    return min(verdicts, key=OUTCOMES.index)


def _order(example: dict[str, Any]) -> tuple[int, float, int]:
    # Regressions first, the largest drop first; then mixed, improvements, unchanged, unpaired.
    delta = example["delta"]
    index = example["example"] if isinstance(example["example"], int) else 0
    return OUTCOMES.index(example["outcome"]), delta if delta is not None else 0.0, index


def _result(row: dict[str, Any], scores: list[str], value_limit: int) -> dict[str, Any]:
    output = row.get("output")
    text = output if isinstance(output, str) else None
    return {
        "example": row.get("example"),
        "output": _shown(output, value_limit),
        "output_truncated": text is not None and len(text) > value_limit,
        "output_length": len(text) if text is not None else None,
        "scores": {name: _cell(row.get(SCORE_PREFIX + name)) for name in scores},
        "latency": _cell(row.get("latency")),
        "cost": _cell(row.get("cost")),
        "tokens": row.get("tokens"),
        "status": row.get("status"),
        "error": _shown(row.get("error"), value_limit),
        "call_id": row.get("call_id"),
    }


def _aggregates(rows: list[dict[str, Any]], scores: list[str]) -> dict[str, Any]:
    """Per scorer {count, mean[, true_count]} over the rows that have a score; latency, cost and tokens."""

    def present(column: str) -> list[Any]:
        return [row.get(column) for row in rows if row.get(column) is not None]

    return {
        "scores": {name: default_summary(present(SCORE_PREFIX + name)) for name in scores},
        "latency": latency_summary([float(v) for v in present("latency")]),
        "cost": total_summary([float(v) for v in present("cost")]),
        "tokens": total_summary([float(v) for v in present("tokens")]),
        "examples": len(rows),
        "failed": sum(1 for row in rows if row.get("status") == "error"),
    }


def _shown(value: Any, limit: int) -> Any:
    """A value as the comparison sends it: text cut at `limit` characters, non-finite numbers as text."""
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit]
    if isinstance(value, float) and not math.isfinite(value):
        return json.dumps(value)
    return value


def _cell(value: Any) -> Any:
    return _shown(value, 0) if isinstance(value, float) else value
