"""Charts for any fitted classifier or regressor: summary metrics and the learning curve."""

from __future__ import annotations

from typing import Any

import numpy as np

from .charts import CHART_LIMIT, curve_chart, log_chart, make_table, preset_chart
from .checks import ready


def plot_summary_metrics(
    model: Any = None,
    X: Any = None,  # noqa: N803 (scikit-learn's names)
    y: Any = None,
    X_test: Any = None,  # noqa: N803
    y_test: Any = None,
) -> None:
    """Test-set metrics as bars under "summary_metrics" (columns metric_name, metric_value, model_name).

    Classifiers: accuracy_score and weighted precision, recall, f1_score; regressors: mae, mse, r2_score;
    rounded to two decimals, as wandb shows them.
    """
    from sklearn import metrics
    from sklearn.base import is_classifier

    if not ready("summary_metrics", model=model, kind="model", X=X, y=y, X_test=X_test, y_test=y_test):
        return
    predicted = model.predict(X_test)
    if is_classifier(model):
        values = {
            "accuracy_score": metrics.accuracy_score(y_test, predicted),
            "precision": metrics.precision_score(y_test, predicted, average="weighted"),
            "recall": metrics.recall_score(y_test, predicted, average="weighted"),
            "f1_score": metrics.f1_score(y_test, predicted, average="weighted"),
        }
    else:
        values = {
            "mae": metrics.mean_absolute_error(y_test, predicted),
            "mse": metrics.mean_squared_error(y_test, predicted),
            "r2_score": metrics.r2_score(y_test, predicted),
        }
    name = type(model).__name__
    rows = [[metric, round(float(value), 2), name] for metric, value in values.items()]
    table = make_table(["metric_name", "metric_value", "model_name"], rows)
    fields = {"label": "metric_name", "value": "metric_value"}
    log_chart("summary_metrics", preset_chart("bar", table, fields, f"Summary Metrics ({name})"))


def plot_learning_curve(
    model: Any = None,
    X: Any = None,  # noqa: N803
    y: Any = None,
    cv: Any = None,
    shuffle: bool = False,
    random_state: Any = None,
    train_sizes: Any = None,
    n_jobs: int | None = 1,
    scoring: Any = None,
) -> None:
    """Mean train and cross-validation score by training set size under "learning_curve" (columns dataset,
    score, train_size). Fits clones of the model (sklearn.model_selection.learning_curve)."""
    from sklearn.model_selection import learning_curve

    if not ready("learning_curve", model=model, kind="model", X=X, y=y):
        return
    sizes, train_scores, test_scores = learning_curve(
        model,
        X,
        np.asarray(y),
        cv=cv,
        n_jobs=n_jobs,
        train_sizes=np.linspace(0.1, 1.0, 5) if train_sizes is None else train_sizes,
        scoring=scoring,
        shuffle=shuffle,
        random_state=random_state,
    )
    rows = []
    for size, train, test in zip(sizes, train_scores.mean(axis=1), test_scores.mean(axis=1), strict=True):
        rows.append(["train", round(float(train), 2), size])
        rows.append(["test", round(float(test), 2), size])
    table = make_table(["dataset", "score", "train_size"], rows[:CHART_LIMIT])
    axes = (("train_size", "Training set size"), ("score", "Score"))
    log_chart("learning_curve", curve_chart(table, *axes, "dataset", "Learning Curve"))
