"""Input checks of the scikit-learn plots: like wandb's, a problem is reported and that chart is skipped.

wandb prints an error and goes on with the next chart, so a script that plots several keeps running; here the
report is a `SklearnPlotWarning` naming the chart, the argument and what to do.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ...base.user_warnings import user_stacklevel


class SklearnPlotWarning(UserWarning):
    """A scikit-learn chart was skipped: an argument missing or of the wrong kind, or the model not fitted."""


def skip(chart: str, reason: str) -> bool:
    """Warn that `chart` is not logged because of `reason`; returns False, for `return skip(...)`."""
    # The warning points at the user's line that called spyglass.sklearn, however deep the check ran.
    warnings.warn(f"{chart} not logged: {reason}", SklearnPlotWarning, stacklevel=user_stacklevel())
    return False


def ready(chart: str, model: Any = None, kind: str | None = None, **values: Any) -> bool:
    """True when every value is given, numeric features have no missing values and `model` is a fitted `kind`.

    kind: "classifier", "regressor", "clusterer", or "model" (a classifier or a regressor).
    """
    named = {"model": model, **values} if kind is not None else values
    for name, value in named.items():
        if value is None:
            return skip(chart, f"{name} is None; pass it to the plot function.")
    for name in ("X", "X_test", "X_train"):
        if name in values and not _numeric_features(chart, name, values[name]):
            return False
    if kind is None:
        return True
    if not _is_kind(model, kind):
        return skip(chart, f"model is a {type(model).__name__}, not a scikit-learn {kind}.")
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(model)
    except NotFittedError:
        return skip(chart, f"the {type(model).__name__} is not fitted; call fit() before plotting.")
    except TypeError:  # not an estimator sklearn can check: trust the caller, as wandb does
        pass
    return True


def _is_kind(model: Any, kind: str) -> bool:
    from sklearn.base import is_classifier, is_regressor

    if kind == "classifier":
        return bool(is_classifier(model))
    if kind == "regressor":
        return bool(is_regressor(model))
    if kind == "clusterer":
        return _estimator_type(model) == "clusterer"
    return bool(is_classifier(model) or is_regressor(model))


def _estimator_type(model: Any) -> str | None:
    # scikit-learn >= 1.6 describes estimators with tags; older versions with _estimator_type.
    try:
        from sklearn.utils import get_tags

        return get_tags(model).estimator_type
    except (ImportError, AttributeError, TypeError, ValueError):
        return getattr(model, "_estimator_type", None)


def _numeric_features(chart: str, name: str, features: Any) -> bool:
    if hasattr(features, "toarray"):  # a scipy sparse matrix
        features = features.toarray()
    try:
        array = np.asarray(features, dtype=float)
    except (TypeError, ValueError):
        return skip(chart, f"{name} has values that are not numbers; encode them (one-hot, ordinal) first.")
    if np.isnan(array).any():
        return skip(chart, f"{name} has missing values (NaN or None); impute or drop them first.")
    return True
