"""The rows of the calibration chart: how well predicted probabilities match observed frequencies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

BINS = 10


def calibration_rows(clf: Any, X: Any, y: Any, clf_name: str) -> Iterator[list[Any]]:  # noqa: N803
    """(model, fraction_of_positives, mean_predicted_value, histogram count, bin edge) rows.

    First the diagonal of a perfectly calibrated model, then a logistic regression baseline and `clf` with
    isotonic and with sigmoid calibration, each fitted on 10% of the data and scored on the rest (as wandb).
    """
    from sklearn.calibration import CalibratedClassifierCV, calibration_curve
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.naive_bayes import ComplementNB

    if isinstance(clf, ComplementNB):  # it needs non-negative features
        X = X - X.min()  # noqa: N806
    yield ["Perfectly calibrated", 0, 0, 0, 0]
    yield ["Perfectly calibrated", 1, 1, 0, 0]
    x_train, x_test, y_train, y_test = train_test_split(X, y, test_size=0.9, random_state=42)
    models = [
        ("Logistic", LogisticRegression(C=1.0)),
        (f"{clf_name} Isotonic", CalibratedClassifierCV(clf, cv=2, method="isotonic")),
        (f"{clf_name} Sigmoid", CalibratedClassifierCV(clf, cv=2, method="sigmoid")),
    ]
    for name, model in models:
        model.fit(x_train, y_train)
        if hasattr(model, "predict_proba"):
            positive = model.predict_proba(x_test)[:, 1]
        else:
            scores = model.decision_function(x_test)
            positive = (scores - scores.min()) / (scores.max() - scores.min())
        counts, edges = np.histogram(positive, bins=BINS)
        fractions, means = calibration_curve(y_test, positive, n_bins=BINS)
        for index in range(len(fractions)):
            yield [
                name,
                round(float(fractions[index]), 3),
                round(float(means[index]), 3),
                counts[index],
                edges[index],
            ]
