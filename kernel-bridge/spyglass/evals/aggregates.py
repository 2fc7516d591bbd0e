"""Aggregates of an evaluation: per scorer (the mean of numbers and booleans, per key for dict scores) and
the latency of predict. Examples a scorer failed on are left out of that scorer's aggregate."""

from __future__ import annotations

import math
from typing import Any


def default_summary(scores: list[Any]) -> dict[str, Any]:
    """{"mean", "count"} of numbers (booleans count as 0/1, plus "true_count"); dict scores per key."""
    if scores and all(isinstance(score, dict) for score in scores):
        keys = list(dict.fromkeys(key for score in scores for key in score))
        return {key: _scalar_summary([score.get(key) for score in scores]) for key in keys}
    return _scalar_summary(scores)


def _scalar_summary(values: list[Any]) -> dict[str, Any]:
    present = [value for value in values if value is not None]
    numbers = [value for value in present if _is_number(value)]
    summary: dict[str, Any] = {"count": len(present)}
    if numbers and len(numbers) == len(present):
        summary["mean"] = math.fsum(float(value) for value in numbers) / len(numbers)
        if all(isinstance(value, bool) for value in numbers):
            summary["true_count"] = sum(numbers)
    return summary


def _is_number(value: Any) -> bool:
    return isinstance(value, (bool, int, float)) and not (
        isinstance(value, float) and not math.isfinite(value)
    )


def latency_summary(latencies: list[float]) -> dict[str, Any]:
    """Seconds per predict: mean, p50, p95, max (of the examples whose predict returned)."""
    if not latencies:
        return {"count": 0}
    ordered = sorted(latencies)
    return {
        "count": len(ordered),
        "mean": math.fsum(ordered) / len(ordered),
        "p50": _quantile(ordered, 0.5),
        "p95": _quantile(ordered, 0.95),
        "max": ordered[-1],
    }


def total_summary(values: list[float]) -> dict[str, Any]:
    """{"count", "total", "mean"} of a per-example amount (cost, tokens) over the examples that have it."""
    if not values:
        return {"count": 0}
    total = math.fsum(values)
    return {"count": len(values), "total": total, "mean": total / len(values)}


def _quantile(ordered: list[float], q: float) -> float:
    # Linear interpolation between closest ranks (numpy's default).
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
