"""LightGBM: `wandb_callback()` and `log_summary()` (wandb.integration.lightgbm's names and keys).

    gbm = lgb.train(params, train_set, valid_sets=[valid_set], callbacks=[wandb_callback()])
    log_summary(gbm, save_model_checkpoint=True)

Per iteration, one row: `<data name>_<metric>` for each evaluation result (`valid_0_l2`; `lgb.cv` gives
`valid_l2-mean` and `valid_l2-stdv`) and `iteration`. On the first iteration the params go to the run config.
`log_summary` puts `best_iteration` and `best_score` in the summary, logs a "Feature Importance" bar chart and
(optionally) the model as an artifact `model_<run id>` with alias `best`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import lightgbm

from ..artifacts import Artifact
from .active_run import IntegrationError, active_run, plain_number
from .boosting import define_best_summary, log_importance_chart

MINIMIZE_METRICS = frozenset(
    {"l1", "l2", "rmse", "mape", "huber", "fair", "poisson", "gamma", "binary_logloss"}
)
MAXIMIZE_METRICS = frozenset({"map", "auc", "average_precision"})


class _SpyglassCallback:
    """The callback object `wandb_callback()` returns; LightGBM calls it after every iteration."""

    order = 20  # after LightGBM's own recording callbacks, as wandb's
    before_iteration = False

    def __init__(self, log_params: bool, define_metric: bool) -> None:
        self.log_params = log_params
        self.define_metric = define_metric

    def __call__(self, env: Any) -> None:
        run = active_run("wandb_callback()")
        if env.iteration == env.begin_iteration:
            self._first_iteration(run, env)
        row: dict[str, Any] = {}
        for key, value in _results(env.evaluation_result_list):
            row[key] = plain_number(value)
        row["iteration"] = env.iteration
        run.log(row)

    def _first_iteration(self, run: Any, env: Any) -> None:
        if self.log_params:
            run.config.update(_plain_params(env.params))
        if self.define_metric:
            for data_name, metric, suffixes in _metric_names(env.evaluation_result_list):
                for suffix in suffixes:
                    key = f"{data_name}_{metric}{suffix}"
                    define_best_summary(run, key, f"{metric}{suffix}", MINIMIZE_METRICS, MAXIMIZE_METRICS)


def wandb_callback(log_params: bool = True, define_metric: bool = True) -> Callable[[Any], None]:
    """A LightGBM callback logging every evaluation result per iteration (and the params as config)."""
    return _SpyglassCallback(log_params, define_metric)


def log_summary(
    model: lightgbm.Booster,
    feature_importance: bool = True,
    save_model_checkpoint: bool = False,
    *,
    log_feature_importance: bool | None = None,
) -> None:
    """After training: best iteration and score to the summary, feature importance chart, model artifact.

    `log_feature_importance` is accepted as another name for `feature_importance`; a fitted LGBMClassifier or
    LGBMRegressor is taken for its booster.
    """
    run = active_run("log_summary()")
    if isinstance(model, lightgbm.LGBMModel) and model.__sklearn_is_fitted__():
        model = model.booster_  # a fitted LGBMClassifier/LGBMRegressor: its booster (wandb wants that one)
    if not isinstance(model, lightgbm.Booster):
        raise IntegrationError(
            f"log_summary() needs a lightgbm.Booster (what lgb.train returns) or a fitted LGBMModel, "
            f"got {type(model).__name__}."
        )
    run.summary["best_iteration"] = model.best_iteration
    run.summary["best_score"] = _plain_mapping(model.best_score)
    if feature_importance if log_feature_importance is None else log_feature_importance:
        # Left pending (commit=False), as wandb does: it joins the run's next row, or is stored at finish().
        pairs = zip(model.feature_name(), model.feature_importance(), strict=True)
        log_importance_chart(run, pairs, commit=False)
    if save_model_checkpoint:
        _log_checkpoint(run, model, model.best_iteration, aliases=["best"])


def _results(results: list[tuple[Any, ...]]) -> list[tuple[str, Any]]:
    pairs = []
    for item in results:
        data_name, metric = _names(item)
        if len(item) == 4:  # lgb.train: (data name, metric, value, higher is better)
            pairs.append((f"{data_name}_{metric}", item[2]))
        else:  # lgb.cv: (..., mean, higher is better, stdv)
            pairs.append((f"{data_name}_{metric}-mean", item[2]))
            pairs.append((f"{data_name}_{metric}-stdv", item[4]))
    return pairs


def _metric_names(results: list[tuple[Any, ...]]) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(*_names(item), ("",) if len(item) == 4 else ("-mean", "-stdv")) for item in results]


def _names(item: tuple[Any, ...]) -> tuple[str, str]:
    # lgb.cv before 4.6 reports ("cv_agg", "<data name> <metric>", ...); later ones (data name, metric, ...).
    if len(item) == 5 and " " in str(item[1]):
        data_name, metric = str(item[1]).split(maxsplit=1)
        return data_name, metric
    return str(item[0]), str(item[1])


def _plain_params(params: Mapping[str, Any]) -> dict[str, Any]:
    # LightGBM's params may hold callables (a custom objective) or numpy values: keep what config can store.
    return {key: plain_number(value) for key, value in params.items() if not callable(value)}


def _plain_mapping(value: Any) -> Any:
    # best_score is a defaultdict of OrderedDicts of numpy floats.
    if isinstance(value, Mapping):
        return {str(key): _plain_mapping(item) for key, item in value.items()}
    return plain_number(value)


def _log_checkpoint(run: Any, model: lightgbm.Booster, iteration: int, aliases: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="spyglass-lightgbm-") as folder:
        path = Path(folder) / f"model_ckpt_{iteration}.txt"
        model.save_model(str(path), num_iteration=iteration)
        artifact = Artifact(f"model_{run.id}", type="model")
        artifact.add_file(path)
        run.log_artifact(artifact, aliases=aliases)
