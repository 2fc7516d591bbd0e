"""SpyglassCallback with a real Transformers Trainer: the store holds what the Trainer logged, wandb-keyed."""

from __future__ import annotations

import pytest

import spyglass as sg

pytest.importorskip("transformers")

from tiny_transformers import SentimentData, expected_rows, model, training_arguments  # noqa: E402
from transformers import Trainer  # noqa: E402

from spyglass.integration.transformers import SpyglassCallback  # noqa: E402


def stored_rows(store, path: str) -> list[dict]:
    run = sg.Api(dir=store).run(path)
    return [{k: v for k, v in row.items() if not k.startswith("_")} for row in run.scan_history()]


def test_training_logs_every_trainer_log_as_one_row_and_the_final_figures_as_summary(store, tmp_path) -> None:
    callback = SpyglassCallback(project="hf", dir=store)
    args = training_arguments(str(tmp_path / "out"), run_name="tiny-bert")
    trainer = Trainer(
        model=model(),
        args=args,
        train_dataset=SentimentData(48, seed=1),
        eval_dataset=SentimentData(16, seed=2),
        callbacks=[callback],
    )
    trainer.train()

    rows, summary = expected_rows(trainer.state.log_history)
    path = f"hf/{callback.run.id}"
    assert stored_rows(store, path) == rows
    assert [row["train/global_step"] for row in rows] == [2, 4, 4, 6, 8, 8, 10, 12, 12, 12]
    assert {"train/loss", "train/learning_rate", "train/epoch", "eval/loss"} <= set(rows[1]) | set(rows[2])

    stored = sg.Api(dir=store).run(path)
    assert stored.state == "finished" and stored.name == "tiny-bert"
    assert {k: stored.summary[k] for k in summary} == summary
    assert stored.summary["eval/loss"] == [row for row in rows if "eval/loss" in row][-1]["eval/loss"]
    assert stored.config["learning_rate"] == 1e-3 and stored.config["max_steps"] == 12
    assert stored.config["hidden_size"] == 16 and stored.config["model_type"] == "bert"
    assert stored.config["model/num_parameters"] == trainer.model.num_parameters()
    assert stored.metadata["metrics"]["*"]["step_metric"] == "train/global_step"


def test_evaluate_after_training_continues_the_run_and_finishes_it(store, tmp_path, monkeypatch) -> None:
    callback = SpyglassCallback(project="hf")  # the store from $SPYGLASS_DIR
    trainer = Trainer(
        model=model(),
        args=training_arguments(str(tmp_path / "out"), max_steps=4, eval_strategy="no"),
        train_dataset=SentimentData(16, seed=1),
        eval_dataset=SentimentData(8, seed=2),
        callbacks=[callback],
    )
    trainer.train()
    monkeypatch.setenv("SPYGLASS_DIR", str(tmp_path / "elsewhere"))  # the run stays where it was started
    metrics = trainer.evaluate()
    rows, _ = expected_rows(trainer.state.log_history)
    assert stored_rows(store, f"hf/{callback.run.id}") == rows
    assert rows[-1]["eval/loss"] == metrics["eval_loss"]
    (stored,) = sg.Api(dir=store).runs("hf")
    assert stored.state == "finished", "evaluate() outside training finishes the run it continued"
    assert not (tmp_path / "elsewhere").exists()


def test_log_model_end_stores_the_trained_model_as_an_artifact_that_loads_back(store, tmp_path) -> None:
    from transformers import BertForSequenceClassification

    callback = SpyglassCallback(project="hf", dir=store, log_model="end")
    trainer = Trainer(
        model=model(),
        args=training_arguments(str(tmp_path / "out"), max_steps=4, eval_strategy="no"),
        train_dataset=SentimentData(16, seed=1),
        callbacks=[callback],
    )
    trainer.train()

    artifact = sg.Api(dir=store).artifact(f"hf/model-{callback.run.id}:final_model")
    assert artifact.type == "model" and "config.json" in artifact.files()
    assert artifact.metadata["model/num_parameters"] == trainer.model.num_parameters()
    loaded = BertForSequenceClassification.from_pretrained(artifact.download(root=str(tmp_path / "model")))
    for name, tensor in trainer.model.state_dict().items():
        assert loaded.state_dict()[name].equal(tensor), name


def test_a_run_started_before_training_gets_the_rows_and_stays_running(store, tmp_path) -> None:
    run = sg.init(project="mine", dir=store)
    trainer = Trainer(
        model=model(),
        args=training_arguments(str(tmp_path / "out"), max_steps=4),
        train_dataset=SentimentData(16, seed=1),
        eval_dataset=SentimentData(8, seed=2),
        callbacks=[SpyglassCallback()],
    )
    trainer.train()
    assert run.state == "running"
    run.finish()
    rows, _ = expected_rows(trainer.state.log_history)
    assert stored_rows(store, f"mine/{run.id}") == rows


def test_an_unknown_log_model_value_is_refused_naming_the_choices() -> None:
    with pytest.raises(ValueError, match="False, 'end' or 'checkpoint'"):
        SpyglassCallback(log_model="best")
