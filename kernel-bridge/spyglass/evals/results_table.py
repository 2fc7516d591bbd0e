"""An evaluation's per-example results as an sg.Table (one row per example), the shape the table explorer
and the comparison panel read. Columns (docs/evaluations.md "Results table"):

example, example_digest, input.<column>..., output, score.<scorer>[.<key>]..., latency, cost, tokens, usage,
status, error, call_id

Numbers, booleans and text stay typed; lists, dicts and other values are stored as JSON text (the full value
is in the trace store, in the example's call). A column mixing numbers and text is stored as text.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..data_types.table import Table
from ..traces.value_encoding import encode, to_json
from .example_runner import ExampleResult

SUCCESS, ERROR = "success", "error"
_SCALARS = (bool, int, float, str, type(None))


def example_digest(example: dict[str, Any]) -> str:
    """16 hex digits of sha256 over the example's JSON: the same row in two dataset versions joins."""
    return hashlib.sha256(to_json(encode(example, _DigestSink())).encode()).hexdigest()[:16]


def results_table(results: list[ExampleResult], columns: list[str], scorer_names: list[str]) -> Table:
    score_columns = _score_columns(results, scorer_names)
    names = [
        "example",
        "example_digest",
        *(f"input.{name}" for name in columns),
        "output",
        *(name for name, _, _ in score_columns),
        "latency",
        "cost",
        "tokens",
        "usage",
        "status",
        "error",
        "call_id",
    ]
    rows = []
    for result in results:
        scores = [_score_of(result, scorer, key) for _, scorer, key in score_columns]
        rows.append(
            [
                result.index,
                example_digest(result.example),
                *(_cell(result.example.get(name)) for name in columns),
                _cell(result.output),
                *(_cell(score) for score in scores),
                result.latency,
                result.cost,
                result.tokens,
                to_json(result.usage) if result.usage else None,
                ERROR if result.failed else SUCCESS,
                "; ".join(result.errors) or None,
                result.call_id,
            ]
        )
    # Fixed types for the columns every results table has, so tables of two evaluations share a schema even
    # when one has no cost or no error at all.
    fixed = {"example": int, "latency": float, "cost": float, "tokens": int, "usage": str, "error": str}
    return Table(columns=names, data=rows, dtype=fixed, allow_mixed_types=True)


def _score_columns(
    results: list[ExampleResult], scorer_names: list[str]
) -> list[tuple[str, str, str | None]]:
    # A scorer returning dicts gets one column per key; any other scorer one column.
    columns: list[tuple[str, str, str | None]] = []
    for scorer in scorer_names:
        values = [r.scores[scorer] for r in results if scorer in r.scores and r.scores[scorer] is not None]
        if values and all(isinstance(value, dict) for value in values):
            keys = dict.fromkeys(str(key) for value in values for key in value)
            columns.extend((f"score.{scorer}.{key}", scorer, key) for key in keys)
        else:
            columns.append((f"score.{scorer}", scorer, None))
    return columns


def _score_of(result: ExampleResult, scorer: str, key: str | None) -> Any:
    value = result.scores.get(scorer)
    if key is None:
        return value
    return value.get(key) if isinstance(value, dict) else None


def _cell(value: Any) -> Any:
    if isinstance(value, _SCALARS) and not (isinstance(value, str) and len(value) > 1_000_000):
        return value
    return to_json(encode(value, _DigestSink()))


class _DigestSink:
    """Large values in a cell are named by digest with a preview; their bytes live in the trace store."""

    def store_object(self, data: bytes, extension: str) -> tuple[str, str]:
        digest = hashlib.sha256(data).hexdigest()
        return "", digest
