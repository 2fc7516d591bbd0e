"""Parameter importance over finished trials: Pearson correlation with the metric, and a random forest's
feature importance (scikit-learn), as wandb's panel shows. None below MIN_TRIALS finished trials."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

MIN_TRIALS = 5
_cache: dict[Any, list[dict[str, Any]] | None] = {}
_CACHE_SIZE = 64


def importance(parameters: list[dict[str, Any]], trials: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """[{param, correlation, importance}] for each parameter, or None with too few finished trials."""
    done = [t for t in trials if t["state"] in ("finished", "stopped_early") and _number(t.get("metric"))]
    if len(done) < MIN_TRIALS:
        return None
    names = [p["name"] for p in parameters if p["kind"] != "constant"]
    if not names:
        return None
    key = (tuple(names), tuple((t["index"], t["metric"]) for t in done))
    if key in _cache:
        return _cache[key]
    result = _compute(parameters, names, done)
    if len(_cache) >= _CACHE_SIZE:
        _cache.pop(next(iter(_cache)))
    _cache[key] = result
    return result


def _compute(
    parameters: list[dict[str, Any]], names: list[str], done: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    from sklearn.ensemble import RandomForestRegressor

    kinds = {p["name"]: p for p in parameters}
    y = np.array([float(t["metric"]) for t in done])
    columns: list[np.ndarray] = []
    owners: list[int] = []  # which parameter each feature column belongs to
    correlations: list[float | None] = []
    for position, name in enumerate(names):
        raw = [t["params"].get(name) for t in done]
        if kinds[name]["kind"] == "categorical" or not all(_number(v) for v in raw):
            # One column per category (one-hot); a correlation has no meaning for categories.
            categories = list(dict.fromkeys(map(repr, raw)))
            for category in categories:
                columns.append(np.array([1.0 if repr(v) == category else 0.0 for v in raw]))
                owners.append(position)
            correlations.append(None)
        else:
            values = np.array([float(v) for v in raw])
            if kinds[name].get("log") and np.all(values > 0):
                values = np.log(values)
            columns.append(values)
            owners.append(position)
            correlations.append(_pearson(values, y))
    features = np.column_stack(columns)
    forest = RandomForestRegressor(n_estimators=50, random_state=0, n_jobs=1)
    forest.fit(features, y)
    per_param = np.zeros(len(names))
    for column, owner in enumerate(owners):
        per_param[owner] += forest.feature_importances_[column]
    return [
        {"param": name, "correlation": correlations[i], "importance": _clean(per_param[i])}
        for i, name in enumerate(names)
    ]


def _pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    if np.std(x) == 0 or np.std(y) == 0:
        return None
    return _clean(np.corrcoef(x, y)[0, 1])


def _clean(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
