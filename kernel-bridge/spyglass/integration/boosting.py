"""What the XGBoost and LightGBM callbacks share: best-value summaries and the feature importance chart."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from ..data_types import Table
from ..data_types.plot import bar
from .active_run import plain_number

FEATURE_IMPORTANCE_KEY = "Feature Importance"


def define_best_summary(
    run: Any, key: str, metric_name: str, minimize: Collection[str], maximize: Collection[str]
) -> None:
    """Summarise `key` by its best value (min for losses and errors, max for scores), as wandb's callbacks do.

    A metric in neither list keeps the default summary (its last value).
    """
    lowered = metric_name.lower()
    if "loss" in lowered or lowered in minimize:
        run.define_metric(key, summary="min")
    elif lowered in maximize:
        run.define_metric(key, summary="max")


def log_importance_chart(
    run: Any, importances: Iterable[tuple[Any, Any]], commit: bool | None = None
) -> None:
    """Log a "Feature Importance" bar chart (columns Feature, Importance) from (feature, importance) pairs."""
    table = Table(columns=["Feature", "Importance"])
    for feature, importance in importances:
        table.add_data(str(feature), plain_number(importance))
    chart = bar(table, "Feature", "Importance", title=FEATURE_IMPORTANCE_KEY)
    run.log({FEATURE_IMPORTANCE_KEY: chart}, commit=commit)
