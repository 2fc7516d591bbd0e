"""XGBoost: `WandbCallback` (wandb.integration.xgboost's name and keys), also exported as `SpyglassCallback`.

    bst = xgb.train(params, dtrain, evals=[(dvalid, "validation")], callbacks=[WandbCallback()])

Per iteration, one row: `<eval name>-<metric>` for every evaluation set and metric (`validation-rmse`) and
`epoch` (the iteration). Before training the booster's configuration goes to the run config; after it, a
"Feature Importance" bar chart, then `best_score`/`best_iteration` when early stopping recorded them; with
`log_model=True` the model is logged as a model artifact named `<run id>_model.json`.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import xgboost as xgb

from ..artifacts import Artifact
from .active_run import active_run, plain_number
from .boosting import define_best_summary, log_importance_chart

MINIMIZE_METRICS = frozenset(
    {"rmse", "rmsle", "mae", "mape", "mphe", "logloss", "error", "error@t", "merror"}
)
MAXIMIZE_METRICS = frozenset({"auc", "aucpr", "ndcg", "map", "ndcg@n", "map@n"})


class WandbCallback(xgb.callback.TrainingCallback):
    """Log XGBoost's evaluation metrics, config, feature importance and (optionally) the model to the run.

    log_model: log the trained booster as a model artifact. log_feature_importance: log a bar chart of
    `booster.get_score(importance_type=importance_type)`. define_metric: summarise each metric by its best
    value (min for losses/errors, max for auc/ndcg/map) instead of its last.
    """

    def __init__(
        self,
        log_model: bool = False,
        log_feature_importance: bool = True,
        importance_type: str = "gain",
        define_metric: bool = True,
    ) -> None:
        active_run("WandbCallback()")
        self.log_model = log_model
        self.log_feature_importance = log_feature_importance
        self.importance_type = importance_type
        self.define_metric = define_metric

    def before_training(self, model: xgb.Booster) -> xgb.Booster:
        folds = getattr(model, "cvfolds", None)  # xgb.cv trains one booster per fold: their shared config
        booster = folds[0].bst if folds else model
        active_run("WandbCallback").config.update(json.loads(booster.save_config()))
        return model

    def after_iteration(self, model: xgb.Booster, epoch: int, evals_log: dict[str, Any]) -> bool:
        run = active_run("WandbCallback")
        row: dict[str, Any] = {}
        for data, metrics in evals_log.items():
            for metric_name, history in metrics.items():
                key = f"{data}-{metric_name}"
                value = history[-1]
                if isinstance(value, tuple):  # xgb.cv: (mean, std) over the folds, named as in its result
                    row[f"{key}-mean"], row[f"{key}-std"] = plain_number(value[0]), plain_number(value[1])
                    key = f"{key}-mean"
                else:
                    row[key] = plain_number(value)
                if self.define_metric:
                    define_best_summary(run, key, metric_name, MINIMIZE_METRICS, MAXIMIZE_METRICS)
        row["epoch"] = epoch
        run.log(row)
        self.define_metric = False  # the definitions are made once, on the first iteration
        return False

    def after_training(self, model: xgb.Booster) -> xgb.Booster:
        run = active_run("WandbCallback")
        if getattr(model, "cvfolds", None):  # xgb.cv: no single model or importance to log
            return model
        if self.log_model:
            _log_model_artifact(run, model)
        if self.log_feature_importance:
            scores = model.get_score(importance_type=self.importance_type)
            log_importance_chart(run, scores.items())
        if model.attr("best_score") is not None:
            run.log(
                {
                    "best_score": float(model.attr("best_score") or "nan"),
                    "best_iteration": int(model.attr("best_iteration") or 0),
                }
            )
        return model


SpyglassCallback = WandbCallback


def _log_model_artifact(run: Any, model: xgb.Booster) -> None:
    name = f"{run.id}_model.json"
    with tempfile.TemporaryDirectory(prefix="spyglass-xgboost-") as folder:
        path = Path(folder) / name
        model.save_model(str(path))
        artifact = Artifact(name, type="model")
        artifact.add_file(path)
        run.log_artifact(artifact)  # copied into the store now, so the folder can go
