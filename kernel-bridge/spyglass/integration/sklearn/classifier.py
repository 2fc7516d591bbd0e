"""Classifier charts: plot_classifier and the single charts it is made of (wandb.sklearn's names and keys)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...data_types import plot
from .calibration import calibration_rows
from .charts import CHART_LIMIT, curve_chart, log_chart, make_table, preset_chart
from .checks import ready, skip
from .model_metrics import plot_learning_curve, plot_summary_metrics


def plot_classifier(
    model: Any,
    X_train: Any,  # noqa: N803 (scikit-learn's names)
    X_test: Any,  # noqa: N803
    y_train: Any,
    y_test: Any,
    y_pred: Any,
    y_probas: Any,
    labels: Sequence[Any] | None,
    is_binary: bool = False,
    model_name: str = "Classifier",
    feature_names: Sequence[str] | None = None,
    log_learning_curve: bool = False,
) -> None:
    """Log every classifier chart: feature importances, (learning curve), confusion matrix, summary metrics,
    class proportions, calibration curve, ROC and precision-recall, each under its own key and step."""
    from sklearn.naive_bayes import MultinomialNB

    multinomial_nb = isinstance(model, MultinomialNB)
    if not multinomial_nb:
        plot_feature_importances(model, feature_names)
    if log_learning_curve:
        plot_learning_curve(model, X_train, y_train)
    plot_confusion_matrix(y_test, y_pred, labels)
    plot_summary_metrics(model, X=X_train, y=y_train, X_test=X_test, y_test=y_test)
    plot_class_proportions(y_train, y_test, labels)
    if not multinomial_nb:
        plot_calibration_curve(model, X_train, y_train, model_name)
    plot_roc(y_test, y_probas, labels)
    plot_precision_recall(y_test, y_probas, labels)


def plot_roc(
    y_true: Any = None,
    y_probas: Any = None,
    labels: Sequence[Any] | None = None,
    plot_micro: bool = True,
    plot_macro: bool = True,
    classes_to_plot: Sequence[int] | None = None,
) -> None:
    """The ROC curve per class, under "roc" (sg.plot.roc_curve)."""
    if ready("roc", y_true=y_true, y_probas=y_probas):
        log_chart("roc", plot.roc_curve(y_true, y_probas, labels, classes_to_plot))


def plot_precision_recall(
    y_true: Any = None,
    y_probas: Any = None,
    labels: Sequence[Any] | None = None,
    plot_micro: bool = True,
    classes_to_plot: Sequence[int] | None = None,
) -> None:
    """The precision-recall curve per class, under "precision_recall" (sg.plot.pr_curve)."""
    if ready("precision_recall", y_true=y_true, y_probas=y_probas):
        log_chart("precision_recall", plot.pr_curve(y_true, y_probas, labels, classes_to_plot))


def plot_confusion_matrix(
    y_true: Any = None,
    y_pred: Any = None,
    labels: Sequence[Any] | None = None,
    true_labels: Sequence[Any] | None = None,
    pred_labels: Sequence[Any] | None = None,
    normalize: bool = False,
) -> None:
    """Counts of (actual, predicted) class pairs under "confusion_matrix" (columns Predicted, Actual, Count).

    `true_labels`/`pred_labels` keep only those rows/columns; `normalize` divides each actual class's row by
    its total (two decimals).
    """
    from sklearn.metrics import confusion_matrix
    from sklearn.utils.multiclass import unique_labels

    if not ready("confusion_matrix", y_true=y_true, y_pred=y_pred):
        return
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    classes = unique_labels(y_true, y_pred)
    counts = confusion_matrix(y_true, y_pred, labels=classes)
    if normalize:
        with np.errstate(invalid="ignore", divide="ignore"):
            counts = np.nan_to_num(np.around(counts / counts.sum(axis=1, keepdims=True), 2))
    names = _class_names(classes, labels)
    true_keep = _kept(classes, names, true_labels)
    pred_keep = _kept(classes, names, pred_labels)
    rows = [
        [names[predicted], names[actual], counts[actual, predicted]]
        for actual in true_keep
        for predicted in pred_keep
    ][:CHART_LIMIT]
    table = make_table(["Predicted", "Actual", "Count"], rows)
    fields = {"Actual": "Actual", "Predicted": "Predicted", "nPredictions": "Count"}
    log_chart("confusion_matrix", preset_chart("confusion_matrix", table, fields, "Confusion Matrix"))


def plot_feature_importances(
    model: Any = None,
    feature_names: Sequence[str] | None = None,
    title: str = "Feature Importance",
    max_num_features: int = 50,
) -> None:
    """The model's feature_importances_ (or coef_, feature_log_prob_) sorted, as bars, under
    "feature_importances" (columns feature_names, importances)."""
    if not ready("feature_importances", model=model, kind="model"):
        return
    found = next((name for name in _IMPORTANCE_ATTRIBUTES if hasattr(model, name)), None)
    if found is None:
        skip("feature_importances", f"the model has none of {', '.join(_IMPORTANCE_ATTRIBUTES)}.")
        return
    importances = np.asarray(getattr(model, found), dtype=float)
    if sum(size > 1 for size in importances.shape) > 1:
        skip("feature_importances", f"{found} has shape {importances.shape}; only one importance per feature")
        return
    importances = importances.reshape(-1)
    order = np.argsort(importances)[::-1]
    names = order if feature_names is None else np.asarray(feature_names)[order]
    table = make_table(["feature_names", "importances"], zip(names, importances[order], strict=True))
    fields = {"label": "feature_names", "value": "importances"}
    log_chart("feature_importances", preset_chart("bar", table, fields, title))


def plot_class_proportions(
    y_train: Any = None, y_test: Any = None, labels: Sequence[Any] | None = None
) -> None:
    """How many samples of each class the train and test sets hold, under "class_proportions"."""
    from sklearn.utils.multiclass import unique_labels

    if not ready("class_proportions", y_train=y_train, y_test=y_test):
        return
    y_train, y_test = np.asarray(y_train), np.asarray(y_test)
    classes = unique_labels(y_train, y_test)
    names = _class_names(classes, labels)
    rows = []
    for index, value in enumerate(classes[:CHART_LIMIT]):
        rows.append([names[index], "train", int((y_train == value).sum())])
        rows.append([names[index], "test", int((y_test == value).sum())])
    table = make_table(["class", "dataset", "count"], rows)
    fields = {"label": "class", "value": "count", "color": "dataset"}
    log_chart("class_proportions", preset_chart("bar", table, fields, "Class Proportions"))


def plot_calibration_curve(
    clf: Any = None,
    X: Any = None,  # noqa: N803
    y: Any = None,
    clf_name: str = "Classifier",
) -> None:
    """Reliability curves of a logistic baseline and of `clf` calibrated (isotonic, sigmoid), under
    "calibration_curve". Fits those models on a split of X, y; binary 0/1 labels only."""
    if not ready("calibration_curve", model=clf, kind="classifier", X=X, y=y):
        return
    y = np.asarray(y)
    if y.dtype.kind not in "biuf" or not np.isin(y, (0, 1)).all():
        skip("calibration_curve", "it needs binary labels 0 and 1.")
        return

    columns = ["model", "fraction_of_positives", "mean_predicted_value", "hist_dict", "edge_dict"]
    table = make_table(columns, calibration_rows(clf, X, y, clf_name))
    x = ("mean_predicted_value", "Mean predicted value")
    y_axis = ("fraction_of_positives", "Fraction of positives")
    log_chart("calibration_curve", curve_chart(table, x, y_axis, "model", "Calibration Curve"))


_IMPORTANCE_ATTRIBUTES = ("feature_importances_", "feature_log_prob_", "coef_")


def _class_names(classes: Any, labels: Sequence[Any] | None) -> list[Any]:
    # Integer classes are looked up in `labels` (labels[2] names class 2); other classes name themselves.

    if labels is None:
        return list(classes)
    if np.asarray(classes).dtype.kind in "iu" and all(0 <= int(c) < len(labels) for c in classes):
        return [labels[int(c)] for c in classes]
    return list(labels)[: len(classes)] if len(labels) >= len(classes) else list(classes)


def _kept(classes: Any, names: list[Any], wanted: Sequence[Any] | None) -> list[int]:
    if wanted is None:
        return list(range(len(classes)))
    chosen = {str(value) for value in wanted}
    return [
        index for index, value in enumerate(classes) if str(value) in chosen or str(names[index]) in chosen
    ]
