"""spyglass.lightgbm's wandb_callback and log_summary with real LightGBM: the store holds what it reported."""

from __future__ import annotations

import numpy as np
import pytest

import spyglass as sg

lgb = pytest.importorskip("lightgbm")

from stored_history import stored_rows  # noqa: E402

from spyglass.integration.active_run import IntegrationError  # noqa: E402
from spyglass.lightgbm import log_summary, wandb_callback  # noqa: E402

PARAMS = {
    "objective": "regression",
    "metric": ["l2", "l1"],
    "num_leaves": 7,
    "learning_rate": 0.2,
    "verbose": -1,
}


def datasets(seed: int = 0) -> tuple:
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(300, 4))
    target = 2 * features[:, 1] - features[:, 3] + rng.normal(scale=0.2, size=300)
    train = lgb.Dataset(features[:240], target[:240], feature_name=["f0", "f1", "f2", "f3"])
    return train, lgb.Dataset(features[240:], target[240:], reference=train)


def test_each_iteration_logs_lightgbms_results_as_data_metric_and_the_summary_keeps_the_best(
    store, tmp_path
) -> None:
    train, valid = datasets()
    run = sg.init(project="lgb")
    reported: dict = {}
    booster = lgb.train(
        PARAMS,
        train,
        num_boost_round=8,
        valid_sets=[train, valid],
        valid_names=["training", "valid"],
        callbacks=[wandb_callback(), lgb.record_evaluation(reported)],
    )
    log_summary(booster, save_model_checkpoint=True)
    run.finish()

    rows = stored_rows("lgb", run.id)
    assert len(rows) == 9  # 8 iterations, then the feature importance chart left pending by log_summary
    for iteration, row in enumerate(rows[:8]):
        assert set(row) == {"_step", "iteration", "training_l2", "training_l1", "valid_l2", "valid_l1"}
        assert row["_step"] == iteration and row["iteration"] == iteration
        for data in ("training", "valid"):
            for metric in ("l2", "l1"):
                assert row[f"{data}_{metric}"] == reported[data][metric][iteration]
    assert set(rows[8]) == {"_step", "Feature Importance"}

    stored = sg.Api().run(f"lgb/{run.id}")
    assert stored.summary["valid_l1"] == {"min": min(reported["valid"]["l1"])}
    assert stored.summary["best_iteration"] == booster.best_iteration
    assert stored.summary["best_score"] == {
        data: dict(scores.items()) for data, scores in booster.best_score.items()
    }
    assert stored.config["num_leaves"] == 7 and stored.config["metric"] == ["l2", "l1"]
    importance = stored.table("Feature Importance").to_pydict()
    assert importance["Feature"] == booster.feature_name()
    assert importance["Importance"] == booster.feature_importance().tolist()

    model = sg.Api().artifact(f"lgb/model_{run.id}:best", type="model")
    folder = model.download(tmp_path / "model")
    reloaded = lgb.Booster(model_file=f"{folder}/model_ckpt_{booster.best_iteration}.txt")
    features = np.random.default_rng(5).normal(size=(10, 4))
    np.testing.assert_allclose(reloaded.predict(features), booster.predict(features))


def test_cross_validation_logs_mean_and_stdv_per_iteration(store) -> None:
    train, _ = datasets(seed=1)
    run = sg.init(project="lgb")
    results = lgb.cv(
        {**PARAMS, "metric": "l2"}, train, 4, nfold=3, stratified=False, callbacks=[wandb_callback()]
    )
    run.finish()

    rows = stored_rows("lgb", run.id)
    assert [row["valid_l2-mean"] for row in rows] == results["valid l2-mean"]
    assert [row["valid_l2-stdv"] for row in rows] == results["valid l2-stdv"]
    # As with wandb, "l2-mean" is not a known metric name, so the summary keeps the last value.
    assert sg.Api().run(f"lgb/{run.id}").summary["valid_l2-mean"] == results["valid l2-mean"][-1]


def test_log_params_false_leaves_the_config_alone_and_log_summary_wants_a_booster(store) -> None:
    train, valid = datasets(seed=2)
    run = sg.init(project="lgb", config={"mine": 1})
    booster = lgb.train(PARAMS, train, 2, valid_sets=[valid], callbacks=[wandb_callback(log_params=False)])
    with pytest.raises(IntegrationError, match="log_summary\\(\\) needs a lightgbm.Booster"):
        log_summary(object())
    log_summary(booster, log_feature_importance=False)
    run.finish()
    stored = sg.Api().run(f"lgb/{run.id}")
    assert stored.config == {"mine": 1}
    assert [set(row) for row in stored_rows("lgb", run.id)] == [
        {"_step", "iteration", "valid_0_l2", "valid_0_l1"}
    ] * 2


def test_the_scikit_learn_api_logs_eval_results_and_log_summary_takes_the_fitted_estimator(store) -> None:
    rng = np.random.default_rng(4)
    features = rng.normal(size=(200, 3))
    labels = (features[:, 0] > 0).astype(int)
    run = sg.init(project="lgb")
    model = lgb.LGBMClassifier(n_estimators=5, num_leaves=4, verbose=-1)
    held_out = [(features[150:], labels[150:])]
    model.fit(features[:150], labels[:150], eval_set=held_out, callbacks=[wandb_callback()])
    log_summary(model)
    run.finish()

    reported = model.evals_result_["valid_0"]["binary_logloss"]
    rows = stored_rows("lgb", run.id)
    assert [row["valid_0_binary_logloss"] for row in rows[:5]] == reported
    assert sg.Api().run(f"lgb/{run.id}").summary["best_score"] == {
        "valid_0": {"binary_logloss": model.best_score_["valid_0"]["binary_logloss"]}
    }
