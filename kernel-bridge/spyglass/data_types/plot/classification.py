"""Classification presets: confusion_matrix, pr_curve and roc_curve (numpy only, one-vs-rest per class)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import TableError
from ..table import Table
from .custom_chart import CustomChart, plot_table
from .specs import preset_spec

MAX_CURVE_POINTS = 1000  # per class; a longer ROC curve is thinned evenly (ends kept)


def confusion_matrix(
    probs: Any = None,
    y_true: Sequence[Any] | None = None,
    preds: Sequence[Any] | None = None,
    class_names: Sequence[str] | None = None,
    title: str = "Confusion Matrix",
    split_table: bool = False,
) -> CustomChart:
    """Counts of (actual, predicted) class pairs; give `preds` (class ids) or `probs` (N, C), not both."""
    if (probs is None) == (preds is None):
        raise TableError("confusion_matrix takes probs= or preds=, exactly one of them.")
    if y_true is None:
        raise TableError("confusion_matrix needs y_true= (the true class ids).")
    actual = np.asarray(y_true).astype(int).ravel()
    predicted = (
        np.argmax(np.asarray(probs), axis=1) if probs is not None else np.asarray(preds).astype(int).ravel()
    )
    if actual.shape != predicted.shape:
        raise TableError(f"confusion_matrix: {len(actual)} true labels for {len(predicted)} predictions.")
    count = int(max(actual.max(initial=-1), predicted.max(initial=-1)) + 1)
    names = list(class_names) if class_names is not None else [f"Class_{index + 1}" for index in range(count)]
    if len(names) < count:
        raise TableError(
            f"confusion_matrix: class ids go up to {count - 1} but only {len(names)} class_names."
        )
    matrix = np.zeros((len(names), len(names)), dtype=np.int64)
    np.add.at(matrix, (actual, predicted), 1)
    table = Table(columns=["Actual", "Predicted", "nPredictions"])
    for row, actual_name in enumerate(names):
        for column, predicted_name in enumerate(names):
            table.add_data(actual_name, predicted_name, int(matrix[row, column]))
    fields = {"Actual": "Actual", "Predicted": "Predicted", "nPredictions": "nPredictions"}
    return plot_table(preset_spec("confusion_matrix"), table, fields, {"title": title})


def pr_curve(
    y_true: Sequence[Any],
    y_probas: Any,
    labels: Sequence[str] | None = None,
    classes_to_plot: Sequence[int] | None = None,
    interp_size: int = 21,
    title: str = "Precision-Recall Curve",
    split_table: bool = False,
) -> CustomChart:
    """Precision over recall per class, sampled at `interp_size` recall levels (interpolated precision)."""
    table = Table(columns=["class", "recall", "precision"])
    grid = np.linspace(0.0, 1.0, interp_size)
    for _index, name, positives, scores in _one_vs_rest(y_true, y_probas, labels, classes_to_plot):
        order = np.argsort(-scores, kind="stable")
        hits = positives[order]
        true_positives = np.cumsum(hits)
        precision = true_positives / np.arange(1, len(hits) + 1)
        recall = true_positives / max(1, int(hits.sum()))
        # Interpolated precision: the best precision at any recall at least this high (as in PASCAL VOC).
        best = np.maximum.accumulate(precision[::-1])[::-1]
        for level in grid:
            reached = np.nonzero(recall >= level)[0]
            table.add_data(name, round(float(level), 6), float(best[reached[0]]) if len(reached) else 0.0)
    return _curve(table, "recall", "precision", title, "Recall", "Precision")


def roc_curve(
    y_true: Sequence[Any],
    y_probas: Any,
    labels: Sequence[str] | None = None,
    classes_to_plot: Sequence[int] | None = None,
    title: str = "ROC",
    split_table: bool = False,
) -> CustomChart:
    """True positive rate over false positive rate per class."""
    table = Table(columns=["class", "fpr", "tpr"])
    for _index, name, positives, scores in _one_vs_rest(y_true, y_probas, labels, classes_to_plot):
        order = np.argsort(-scores, kind="stable")
        hits = positives[order]
        distinct = np.r_[np.nonzero(np.diff(scores[order]))[0], len(hits) - 1]  # last index of each threshold
        tpr = np.r_[0.0, np.cumsum(hits)[distinct] / max(1, int(hits.sum()))]
        fpr = np.r_[0.0, np.cumsum(~hits)[distinct] / max(1, int((~hits).sum()))]
        keep = np.unique(np.linspace(0, len(fpr) - 1, min(len(fpr), MAX_CURVE_POINTS)).astype(int))
        for x, y in zip(fpr[keep], tpr[keep], strict=True):
            table.add_data(name, float(x), float(y))
    return _curve(table, "fpr", "tpr", title, "False positive rate", "True positive rate")


def _one_vs_rest(y_true: Any, y_probas: Any, labels: Any, classes_to_plot: Any):
    probas = np.asarray(y_probas, dtype=float)
    if probas.ndim == 1:
        probas = np.stack([1.0 - probas, probas], axis=1)
    truth = np.asarray(y_true).ravel()
    if probas.ndim != 2 or len(probas) != len(truth):
        raise TableError(
            f"y_probas must be (N, classes) for N={len(truth)} labels, got shape {probas.shape}."
        )
    names = list(labels) if labels is not None else [str(index) for index in range(probas.shape[1])]
    wanted = range(probas.shape[1]) if classes_to_plot is None else classes_to_plot
    for index in wanted:
        index = int(index)
        positives = (truth == index) | (truth.astype(str) == str(names[index]))
        yield index, str(names[index]), positives, probas[:, index]


def _curve(table: Table, x: str, y: str, title: str, x_title: str, y_title: str) -> CustomChart:
    strings = {"title": title, "x-axis-title": x_title, "y-axis-title": y_title}
    return plot_table(preset_spec("curve"), table, {"x": x, "y": y, "class": "class"}, strings)
