"""Regressor charts: plot_regressor, residuals and outlier candidates (wandb.sklearn's names and keys)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .charts import CHART_LIMIT, log_chart, make_table, preset_chart
from .checks import ready
from .model_metrics import plot_learning_curve, plot_summary_metrics

RESIDUAL_POINTS = 100  # per dataset, as wandb


def plot_regressor(
    model: Any,
    X_train: Any,  # noqa: N803 (scikit-learn's names)
    X_test: Any,  # noqa: N803
    y_train: Any,
    y_test: Any,
    model_name: str = "Regressor",
) -> None:
    """Log every regressor chart: summary metrics, learning curve, outlier candidates and residuals."""
    plot_summary_metrics(model, X_train, y_train, X_test, y_test)
    plot_learning_curve(model, X_train, y_train)
    plot_outlier_candidates(model, X_train, y_train)
    plot_residuals(model, X_train, y_train)


def plot_outlier_candidates(regressor: Any = None, X: Any = None, y: Any = None) -> None:  # noqa: N803
    """Each sample's Cook's distance (its influence on the fit) under "outlier_candidates" (columns distance,
    instance_indicies, outlier_percentage, influence_threshold). Refits the regressor on X, y."""
    if not ready("outlier_candidates", model=regressor, kind="regressor", X=X, y=y):
        return
    features, target = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    regressor.fit(X, target)
    leverage = (features * np.linalg.pinv(features).T).sum(1)  # the diagonal of the hat matrix
    freedom = features.shape[0] - np.linalg.matrix_rank(features)
    residuals = target - regressor.predict(X)
    mse = np.dot(residuals, residuals) / freedom
    studentized = residuals / np.sqrt(mse) / np.sqrt(1 - leverage)
    distance = studentized**2 / features.shape[1] * leverage / (1 - leverage)
    threshold = 4 / features.shape[0]  # the usual rule of thumb
    percentage = round(float((distance >= threshold).sum() / features.shape[0] * 100.0), 3)
    rows = [[value, index, percentage, threshold] for index, value in enumerate(distance[:CHART_LIMIT])]
    table = make_table(["distance", "instance_indicies", "outlier_percentage", "influence_threshold"], rows)
    fields = {"x": "instance_indicies", "y": "distance"}
    log_chart(
        "outlier_candidates", preset_chart("scatter", table, fields, "Cook's Distance Outlier Candidates")
    )


def plot_residuals(regressor: Any = None, X: Any = None, y: Any = None) -> None:  # noqa: N803
    """Residual against prediction for a train and a test split under "residuals" (columns dataset, y_pred,
    residuals, train_score, test_score). Refits the regressor on 80% of X, y."""
    from sklearn.model_selection import train_test_split

    if not ready("residuals", model=regressor, kind="regressor", X=X, y=y):
        return
    x_train, x_test, y_train, y_test = train_test_split(X, np.asarray(y), test_size=0.2)
    regressor.fit(x_train, y_train)
    train_score, test_score = regressor.score(x_train, y_train), regressor.score(x_test, y_test)
    rows = []
    for dataset, features, target in (("train", x_train, y_train), ("test", x_test, y_test)):
        predicted = regressor.predict(features)[:RESIDUAL_POINTS]
        for value, residual in zip(predicted, predicted - target[:RESIDUAL_POINTS], strict=True):
            rows.append([dataset, value, residual, train_score, test_score])
    table = make_table(["dataset", "y_pred", "residuals", "train_score", "test_score"], rows)
    fields = {"x": "y_pred", "y": "residuals", "color": "dataset"}
    log_chart("residuals", preset_chart("scatter", table, fields, "Residuals"))
