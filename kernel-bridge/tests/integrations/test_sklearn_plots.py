"""spyglass.sklearn with real scikit-learn models: each chart lands under wandb's key, at its own step, as a
table whose values are what scikit-learn computes, with the chart spec that draws it."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

import spyglass as sg

pytest.importorskip("sklearn")

from sklearn import metrics  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.datasets import make_blobs, make_classification, make_regression  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression, Ridge  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.naive_bayes import MultinomialNB  # noqa: E402

from spyglass.sklearn import SklearnPlotWarning  # noqa: E402


def logged_charts(project: str, run_id: str) -> dict[str, tuple[int, dict]]:
    """key -> (step, reference JSON) of every chart the run logged."""
    charts = {}
    for row in sg.Api().run(f"{project}/{run_id}").scan_history():
        for key, value in row.items():
            if not key.startswith("_"):
                charts[key] = (row["_step"], json.loads(value))
    return charts


def table(project: str, run_id: str, key: str) -> dict[str, list]:
    return sg.Api().run(f"{project}/{run_id}").table(key).to_pydict()


def classification() -> tuple:
    features, labels = make_classification(240, 6, n_informative=4, random_state=0)
    return train_test_split(features, labels, test_size=0.25, random_state=0)


def test_plot_classifier_logs_wandbs_seven_charts_in_order_with_scikit_learns_numbers(store) -> None:
    x_train, x_test, y_train, y_test = classification()
    model = RandomForestClassifier(n_estimators=12, random_state=0).fit(x_train, y_train)
    predicted = model.predict(x_test)
    run = sg.init(project="sk")
    wandb = sg  # the way scripts call it: import spyglass as wandb
    wandb.sklearn.plot_classifier(
        model, x_train, x_test, y_train, y_test, predicted, model.predict_proba(x_test), ["no", "yes"],
        model_name="Forest", feature_names=["a", "b", "c", "d", "e", "f"],
    )  # fmt: skip
    run.finish()

    charts = logged_charts("sk", run.id)
    order = [
        "feature_importances", "confusion_matrix", "summary_metrics", "class_proportions",
        "calibration_curve", "roc", "precision_recall",
    ]  # fmt: skip
    assert {key: step for key, (step, _) in charts.items()} == {key: step for step, key in enumerate(order)}
    for key, (_, reference) in charts.items():
        columns = [column["name"] for column in reference["columns"]]
        assert reference["_type"] == "table" and reference["spec"]["data"] == {"name": "table"}, key
        assert set(reference["fields"].values()) <= set(columns), key

    importances = table("sk", run.id, "feature_importances")
    order_by_importance = np.argsort(model.feature_importances_)[::-1]
    assert importances["feature_names"] == [["a", "b", "c", "d", "e", "f"][i] for i in order_by_importance]
    assert importances["importances"] == pytest.approx(
        model.feature_importances_[order_by_importance].tolist()
    )

    matrix = metrics.confusion_matrix(y_test, predicted)
    cells = table("sk", run.id, "confusion_matrix")
    names = {"no": 0, "yes": 1}
    triples = zip(cells["Actual"], cells["Predicted"], cells["Count"], strict=True)
    stored = {(names[actual], names[guess]): count for actual, guess, count in triples}
    assert stored == {(a, p): int(matrix[a, p]) for a in range(2) for p in range(2)}

    summary = table("sk", run.id, "summary_metrics")
    assert summary["metric_name"] == ["accuracy_score", "precision", "recall", "f1_score"]
    assert summary["metric_value"][0] == round(metrics.accuracy_score(y_test, predicted), 2)
    assert set(summary["model_name"]) == {"RandomForestClassifier"}

    proportions = table("sk", run.id, "class_proportions")
    assert proportions == {
        "class": ["no", "no", "yes", "yes"],
        "dataset": ["train", "test", "train", "test"],
        "count": [int((y_train == 0).sum()), int((y_test == 0).sum()), int((y_train == 1).sum()),
                  int((y_test == 1).sum())],
    }  # fmt: skip

    calibration = table("sk", run.id, "calibration_curve")
    assert set(calibration["model"]) == {
        "Perfectly calibrated",
        "Logistic",
        "Forest Isotonic",
        "Forest Sigmoid",
    }

    roc = table("sk", run.id, "roc")
    fpr, tpr, _ = metrics.roc_curve(y_test, model.predict_proba(x_test)[:, 1])
    yes = [i for i, name in enumerate(roc["class"]) if name == "yes"]
    auc = np.trapezoid([roc["tpr"][i] for i in yes], [roc["fpr"][i] for i in yes])
    assert auc == pytest.approx(metrics.auc(fpr, tpr))


def test_plot_regressor_logs_summary_learning_curve_outliers_and_residuals(store) -> None:
    features, target = make_regression(160, 4, noise=5.0, random_state=0)
    model = Ridge(alpha=0.5).fit(features[:120], target[:120])
    predicted = model.predict(features[120:])  # before plotting: the residuals and outlier charts refit it
    run = sg.init(project="sk")
    sg.sklearn.plot_regressor(model, features[:120], features[120:], target[:120], target[120:], "Ridge")
    run.finish()

    charts = logged_charts("sk", run.id)
    assert {key: step for key, (step, _) in charts.items()} == {
        "summary_metrics": 0, "learning_curve": 1, "outlier_candidates": 2, "residuals": 3,
    }  # fmt: skip
    summary = table("sk", run.id, "summary_metrics")
    assert dict(zip(summary["metric_name"], summary["metric_value"], strict=True)) == {
        "mae": round(metrics.mean_absolute_error(target[120:], predicted), 2),
        "mse": round(metrics.mean_squared_error(target[120:], predicted), 2),
        "r2_score": round(metrics.r2_score(target[120:], predicted), 2),
    }
    curve = table("sk", run.id, "learning_curve")
    assert curve["dataset"] == ["train", "test"] * 5
    assert curve["train_size"][-1] == 96  # all of the 120 training rows but the 5-fold held-out part
    outliers = table("sk", run.id, "outlier_candidates")
    assert outliers["instance_indicies"] == list(range(120))
    assert min(outliers["distance"]) >= 0
    residuals = table("sk", run.id, "residuals")
    assert residuals["dataset"].count("train") == 96 and residuals["dataset"].count("test") == 24


def test_plot_clusterer_logs_the_elbow_curve_and_silhouette_of_kmeans(store) -> None:
    features, _ = make_blobs(120, 2, centers=3, random_state=0)
    model = KMeans(3, n_init=3, random_state=0).fit(features)
    run = sg.init(project="sk")
    sg.sklearn.plot_clusterer(model, features, model.labels_, None, "KMeans")
    run.finish()

    charts = logged_charts("sk", run.id)
    assert {key: step for key, (step, _) in charts.items()} == {"elbow_curve": 0, "silhouette_plot": 1}
    elbow = table("sk", run.id, "elbow_curve")
    assert elbow["cluster_ranges"] == [1, 3, 5, 7, 9]
    expected = [
        abs(KMeans(k, n_init=3, random_state=0).fit(features).score(features)) for k in (1, 3, 5, 7, 9)
    ]
    assert elbow["errors"] == pytest.approx(expected)
    silhouette = table("sk", run.id, "silhouette_plot")
    assert len(silhouette["x2"]) == 120
    assert silhouette["silhouette_avg"][0] == pytest.approx(metrics.silhouette_score(features, model.labels_))
    assert sorted(silhouette["x2"]) == pytest.approx(
        sorted(metrics.silhouette_samples(features, model.labels_))
    )


def test_a_chart_with_unusable_input_is_skipped_with_a_warning_and_the_others_are_logged(store) -> None:
    x_train, x_test, y_train, y_test = classification()
    run = sg.init(project="sk")
    with pytest.warns(SklearnPlotWarning, match="LogisticRegression is not fitted; call fit\\(\\)"):
        sg.sklearn.plot_feature_importances(LogisticRegression())
    with pytest.warns(SklearnPlotWarning, match="y_true is None"):
        sg.sklearn.plot_roc(None, np.zeros((3, 2)))
    with pytest.warns(SklearnPlotWarning, match="X has missing values"):
        sg.sklearn.plot_learning_curve(Ridge(), np.full((4, 2), np.nan), [1, 2, 3, 4])
    with pytest.warns(SklearnPlotWarning, match="binary labels 0 and 1"):
        model = LogisticRegression().fit(x_train, y_train * 2)
        sg.sklearn.plot_calibration_curve(model, x_train, y_train * 2)
    # MultinomialNB has no feature importances or calibration curve in wandb's plot_classifier either.
    positive = np.abs(x_train)
    bayes = MultinomialNB().fit(positive, y_train)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SklearnPlotWarning)
        sg.sklearn.plot_classifier(
            bayes, positive, np.abs(x_test), y_train, y_test, bayes.predict(np.abs(x_test)),
            bayes.predict_proba(np.abs(x_test)), None,
        )  # fmt: skip
    run.finish()
    assert list(logged_charts("sk", run.id)) == [
        "confusion_matrix", "summary_metrics", "class_proportions", "roc", "precision_recall",
    ]  # fmt: skip


def test_confusion_matrix_keeps_chosen_classes_and_normalizes_rows(store) -> None:
    truth = [0, 0, 1, 1, 2, 2, 2]
    guess = [0, 1, 1, 1, 2, 0, 2]
    run = sg.init(project="sk")
    sg.sklearn.plot_confusion_matrix(truth, guess, ["cat", "dog", "owl"], true_labels=[2], normalize=True)
    run.finish()
    cells = table("sk", run.id, "confusion_matrix")
    assert cells == {"Predicted": ["cat", "dog", "owl"], "Actual": ["owl"] * 3, "Count": [0.33, 0.0, 0.67]}
