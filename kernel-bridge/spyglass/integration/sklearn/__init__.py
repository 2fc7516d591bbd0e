"""scikit-learn charts, logged to the current run under wandb.sklearn's names and keys.

    spyglass.sklearn.plot_classifier(model, X_train, X_test, y_train, y_test, y_pred, y_probas, labels)

Each `plot_*` logs one chart (a table plus an `sg.plot` preset spec) as its own row; `plot_classifier`,
`plot_regressor` and `plot_clusterer` log the set wandb logs for that kind of model. A chart whose inputs are
missing or unusable is skipped with a `SklearnPlotWarning` and the others are still logged, as in wandb.
"""

from .checks import SklearnPlotWarning
from .classifier import (
    plot_calibration_curve,
    plot_class_proportions,
    plot_classifier,
    plot_confusion_matrix,
    plot_feature_importances,
    plot_precision_recall,
    plot_roc,
)
from .clusterer import plot_clusterer, plot_elbow_curve, plot_silhouette
from .model_metrics import plot_learning_curve, plot_summary_metrics
from .regressor import plot_outlier_candidates, plot_regressor, plot_residuals

__all__ = [
    "SklearnPlotWarning",
    "plot_calibration_curve",
    "plot_class_proportions",
    "plot_classifier",
    "plot_clusterer",
    "plot_confusion_matrix",
    "plot_elbow_curve",
    "plot_feature_importances",
    "plot_learning_curve",
    "plot_outlier_candidates",
    "plot_precision_recall",
    "plot_regressor",
    "plot_residuals",
    "plot_roc",
    "plot_silhouette",
    "plot_summary_metrics",
]
