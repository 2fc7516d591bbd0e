"""spyglass.xgboost.WandbCallback with real XGBoost: what the store holds equals what XGBoost reported."""

from __future__ import annotations

import json

import numpy as np
import pytest

import spyglass as sg

xgb = pytest.importorskip("xgboost")

from spyglass.integration.active_run import IntegrationError  # noqa: E402
from spyglass.xgboost import WandbCallback  # noqa: E402


def regression_data(rows: int = 240, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(rows, 5))
    return features, features[:, 0] * 3 - features[:, 2] + rng.normal(scale=0.3, size=rows)


def metric_rows(run_id: str, project: str) -> list[dict]:
    stored = sg.Api().run(f"{project}/{run_id}")
    return [
        {k: v for k, v in row.items() if not k.startswith("_") or k == "_step"}
        for row in stored.scan_history()
    ]


def test_every_iteration_is_one_row_with_xgboost_metric_values_best_score_and_feature_importance(
    store, tmp_path
) -> None:
    features, target = regression_data()
    train = xgb.DMatrix(features[:180], target[:180], feature_names=list("abcde"))
    valid = xgb.DMatrix(features[180:], target[180:], feature_names=list("abcde"))
    run = sg.init(project="xgb")
    reported: dict = {}
    booster = xgb.train(
        {"max_depth": 2, "eta": 0.3, "eval_metric": ["rmse", "mae"]},
        train,
        num_boost_round=40,
        evals=[(train, "train"), (valid, "validation")],
        evals_result=reported,
        early_stopping_rounds=3,
        callbacks=[WandbCallback(log_model=True)],
        verbose_eval=False,
    )
    run.finish()

    rows = metric_rows(run.id, "xgb")
    iterations = len(reported["validation"]["rmse"])
    metric_keys = {"train-rmse", "train-mae", "validation-rmse", "validation-mae", "epoch"}
    for step, row in enumerate(rows[:iterations]):
        assert set(row) == metric_keys | {"_step"}
        assert row["_step"] == step and row["epoch"] == step and type(row["epoch"]) is int
        for data in ("train", "validation"):
            for metric in ("rmse", "mae"):
                assert row[f"{data}-{metric}"] == reported[data][metric][step]
    assert set(rows[iterations]) == {"_step", "Feature Importance"}
    assert rows[iterations + 1] == {
        "_step": iterations + 1,
        "best_score": float(booster.attr("best_score")),
        "best_iteration": int(booster.attr("best_iteration")),
    }
    assert len(rows) == iterations + 2

    stored = sg.Api().run(f"xgb/{run.id}")
    assert stored.summary["validation-rmse"] == {"min": min(reported["validation"]["rmse"])}
    assert stored.summary["best_iteration"] == booster.best_iteration
    # The booster's configuration as it was when training began (base_score is fitted later).
    trained_config = json.loads(booster.save_config())["learner"]
    assert stored.config["learner"]["objective"] == trained_config["objective"]
    assert stored.config["learner"]["gradient_booster"]["tree_train_param"]["max_depth"] == "2"
    importance = stored.table("Feature Importance").to_pydict()
    assert dict(zip(importance["Feature"], importance["Importance"], strict=True)) == pytest.approx(
        booster.get_score(importance_type="gain")
    )

    model = sg.Api().artifact(f"xgb/{run.id}_model.json", type="model")
    reloaded = xgb.Booster(model_file=f"{model.download(tmp_path / 'model')}/{run.id}_model.json")
    np.testing.assert_array_equal(reloaded.predict(valid), booster.predict(valid))


def test_the_scikit_learn_api_logs_eval_set_metrics_under_xgboosts_names(store) -> None:
    features, target = regression_data(seed=1)
    run = sg.init(project="xgb")
    model = xgb.XGBRegressor(
        n_estimators=6, max_depth=2, callbacks=[WandbCallback(log_feature_importance=False)]
    )
    model.fit(features[:180], target[:180], eval_set=[(features[180:], target[180:])], verbose=False)
    run.finish()

    reported = model.evals_result()["validation_0"]["rmse"]
    rows = metric_rows(run.id, "xgb")
    assert [row["validation_0-rmse"] for row in rows] == reported
    assert [row["epoch"] for row in rows] == list(range(6))


def test_define_metric_false_keeps_the_last_value_in_the_summary(store) -> None:
    features, target = regression_data(seed=2)
    run = sg.init(project="xgb")
    reported: dict = {}
    train = xgb.DMatrix(features, target)
    xgb.train(
        {"eval_metric": "rmse"},
        train,
        4,
        evals=[(train, "train")],
        evals_result=reported,
        callbacks=[WandbCallback(define_metric=False, log_feature_importance=False)],
        verbose_eval=False,
    )
    run.finish()
    assert sg.Api().run(f"xgb/{run.id}").summary["train-rmse"] == reported["train"]["rmse"][-1]


def test_the_callback_needs_a_run(store) -> None:
    with pytest.raises(
        IntegrationError, match=r"WandbCallback\(\) needs a run: call spyglass.init\(\) first"
    ):
        WandbCallback()


def test_cross_validation_logs_the_mean_and_std_over_folds_as_xgb_cv_names_them(store) -> None:
    features, target = regression_data(seed=3)
    run = sg.init(project="xgb")
    results = xgb.cv(
        {"max_depth": 2, "eval_metric": "rmse"}, xgb.DMatrix(features, target), 5, nfold=3,
        callbacks=[WandbCallback(log_model=True)],
    )  # fmt: skip
    run.finish()

    rows = metric_rows(run.id, "xgb")
    for column in ("train-rmse-mean", "train-rmse-std", "test-rmse-mean", "test-rmse-std"):
        assert [row[column] for row in rows] == results[column].tolist()
    assert sg.Api().run(f"xgb/{run.id}").summary["test-rmse-mean"] == {"min": results["test-rmse-mean"].min()}
