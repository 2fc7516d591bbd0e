"""spyglass.integration.keras with real Keras 3 (torch backend): the store holds what `model.fit` reported."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")

import pyarrow.parquet as pq  # noqa: E402
from stored_history import stored_rows  # noqa: E402

import spyglass as sg  # noqa: E402
from spyglass.integration.active_run import IntegrationError  # noqa: E402
from spyglass.integration.keras import (  # noqa: E402
    SpyglassMetricsLogger,
    WandbEvalCallback,
    WandbMetricsLogger,
    WandbModelCheckpoint,
)


def data(rows: int = 96, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(rows, 4)).astype("float32")
    return features, (features[:, 0] - features[:, 2] > 0).astype("int64")


def classifier(learning_rate=1e-2) -> keras.Model:
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(2)]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


class RecordBatchLogs(keras.callbacks.Callback):
    """What Keras hands every callback at the end of each training batch."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[tuple[int, dict]] = []

    def on_train_batch_end(self, batch, logs=None):
        self.batches.append((batch, dict(logs or {})))


def test_epoch_logging_stores_kerass_epoch_logs_under_epoch_keys_against_epoch_epoch(store) -> None:
    features, labels = data()
    run = sg.init(project="keras")
    history = classifier().fit(
        features[:64], labels[:64], validation_data=(features[64:], labels[64:]), epochs=3, batch_size=16,
        verbose=0, callbacks=[WandbMetricsLogger()],
    )  # fmt: skip
    run.finish()

    rows = stored_rows("keras", run.id)
    assert [row["_step"] for row in rows] == [0, 1, 2]
    for epoch, row in enumerate(rows):
        assert set(row) == {"_step", "epoch/epoch", "epoch/learning_rate"} | {
            f"epoch/{k}" for k in history.history
        }
        assert row["epoch/epoch"] == epoch and type(row["epoch/epoch"]) is int
        for key, values in history.history.items():
            assert row[f"epoch/{key}"] == pytest.approx(values[epoch], rel=1e-6)
        assert row["epoch/learning_rate"] == pytest.approx(1e-2)
    metrics = sg.Api().run(f"keras/{run.id}").metadata["metrics"]
    assert metrics["epoch/*"]["step_metric"] == "epoch/epoch"


def test_batch_logging_every_n_batches_counts_batch_step_as_wandb_and_reads_a_learning_rate_schedule(
    store,
) -> None:
    features, labels = data(rows=64)
    schedule = keras.optimizers.schedules.ExponentialDecay(0.05, decay_steps=1, decay_rate=0.9)
    recorder = RecordBatchLogs()
    run = sg.init(project="keras")
    classifier(schedule).fit(
        features, labels, epochs=2, batch_size=16, verbose=0,
        callbacks=[SpyglassMetricsLogger(log_freq=2), recorder],
    )  # fmt: skip
    run.finish()

    rows = stored_rows("keras", run.id)
    kinds = ["batch" if "batch/batch_step" in row else "epoch" for row in rows]
    assert kinds == [
        "batch",
        "batch",
        "epoch",
        "batch",
        "batch",
        "epoch",
    ]  # 4 batches an epoch, every 2nd logged
    batch_rows = [row for row in rows if "batch/batch_step" in row]
    assert [row["batch/batch_step"] for row in batch_rows] == [0, 2, 4, 6]
    logged = [logs for batch, logs in recorder.batches if batch % 2 == 0]
    for row, logs in zip(batch_rows, logged, strict=True):
        for key, value in logs.items():
            assert row[f"batch/{key}"] == pytest.approx(float(value), rel=1e-6)
    # Keras reads the schedule at the optimizer's step: 4, 8 after the first and second epoch's batches.
    epoch_rows = [row for row in rows if "epoch/epoch" in row]
    assert [row["epoch/learning_rate"] for row in epoch_rows] == pytest.approx([0.05 * 0.9**4, 0.05 * 0.9**8])
    metrics = sg.Api().run(f"keras/{run.id}").metadata["metrics"]
    assert metrics["batch/*"]["step_metric"] == "batch/batch_step" and "epoch/*" not in metrics


def test_model_checkpoint_logs_each_saved_checkpoint_and_marks_the_best(store, tmp_path) -> None:
    features, labels = data()
    run = sg.init(project="keras")
    model = classifier()
    history = model.fit(
        features[:64], labels[:64], validation_data=(features[64:], labels[64:]), epochs=4, batch_size=16,
        verbose=0, callbacks=[WandbModelCheckpoint(tmp_path / "ckpt" / "model.keras", save_best_only=True)],
    )  # fmt: skip
    run.finish()

    losses = history.history["val_loss"]
    improved = [epoch for epoch, loss in enumerate(losses) if loss < min(losses[:epoch], default=np.inf)]
    versions = sg.Api().artifact_versions(f"keras/run_{run.id}_model")
    assert len(versions) == len(improved)
    best = sg.Api().artifact(f"keras/run_{run.id}_model:best", type="model")
    assert {"best", "latest", f"epoch_{improved[-1]}"} <= set(best.aliases)
    restored = keras.models.load_model(f"{best.download(tmp_path / 'best')}/model.keras")
    if improved[-1] == len(losses) - 1:
        np.testing.assert_allclose(restored.predict(features, verbose=0), model.predict(features, verbose=0))


def test_weights_saved_every_n_batches_are_logged_with_epoch_and_batch_aliases(store, tmp_path) -> None:
    features, labels = data(rows=64)
    run = sg.init(project="keras")
    checkpoint = WandbModelCheckpoint(
        str(tmp_path / "w-{epoch}.weights.h5"), save_weights_only=True, save_freq=2
    )
    classifier().fit(features, labels, epochs=1, batch_size=16, verbose=0, callbacks=[checkpoint])
    run.finish()
    versions = sg.Api().artifact_versions(f"keras/run_{run.id}_model")
    assert [artifact.files() for artifact in versions] == [["w-1.weights.h5"], ["w-1.weights.h5"]]
    assert "epoch_0_batch_3" in versions[-1].aliases


class PredictionTable(WandbEvalCallback):
    def __init__(self, features, labels) -> None:
        super().__init__(["index", "label"], ["epoch", "index", "label", "prediction"])
        self.features, self.labels = features, labels

    def add_ground_truth(self, logs=None):
        for index, label in enumerate(self.labels):
            self.data_table.add_data(index, int(label))

    def add_model_predictions(self, epoch, logs=None):
        predicted = self.model.predict(self.features, verbose=0).argmax(axis=1)
        for index in self.data_table_ref.get_index():
            row = self.data_table_ref.data[index]
            self.pred_table.add_data(epoch, row[0], row[1], int(predicted[index]))


def artifact_table(artifact, name: str) -> dict:
    reference = json.loads(artifact.get_path(f"{name}.table.json").read_text())
    return pq.read_table(artifact.get_path(reference["path"])).to_pydict()


def test_eval_callback_logs_the_data_table_once_and_a_prediction_table_version_per_epoch(store) -> None:
    features, labels = data(rows=48)
    run = sg.init(project="keras")
    model = classifier()
    model.fit(features, labels, epochs=2, verbose=0, callbacks=[PredictionTable(features[:10], labels[:10])])
    run.finish()

    data_artifact = sg.Api().artifact("keras/val:latest", type="dataset")
    assert [user.id for user in data_artifact.used_by()] == [run.id]
    assert artifact_table(data_artifact, "val_data") == {
        "index": list(range(10)),
        "label": labels[:10].tolist(),
    }
    predictions = sg.Api().artifact_versions(f"keras/run_{run.id}_pred")
    assert [artifact.type for artifact in predictions] == ["evaluation", "evaluation"]
    last = artifact_table(predictions[-1], "eval_data")
    assert last["epoch"] == [1] * 10 and last["index"] == list(range(10))
    assert last["prediction"] == model.predict(features[:10], verbose=0).argmax(axis=1).tolist()


def test_callbacks_need_a_run(store) -> None:
    with pytest.raises(IntegrationError, match="WandbMetricsLogger\\(\\) needs a run"):
        WandbMetricsLogger()
    with pytest.raises(IntegrationError, match="WandbModelCheckpoint\\(\\) needs a run"):
        WandbModelCheckpoint("model.keras")
    with pytest.raises(ValueError, match="log_freq must be 'epoch', 'batch' or an int > 0"):
        sg.init(project="keras")
        WandbMetricsLogger(log_freq=0)


def test_the_original_wandb_callback_logs_epochs_keeps_the_best_in_the_summary_and_saves_the_best_model(
    store,
) -> None:
    from spyglass.keras import WandbCallback

    features, labels = data()
    run = sg.init(project="keras")
    model = classifier()
    history = model.fit(
        features[:64], labels[:64], validation_data=(features[64:], labels[64:]), epochs=3, batch_size=16,
        verbose=0, callbacks=[WandbCallback(log_weights=True)],
    )  # fmt: skip
    run.finish()

    rows = stored_rows("keras", run.id)
    layers = [layer.name for layer in model.layers]
    weights = {f"parameters/{name}{suffix}" for name in layers for suffix in (".weights", ".bias")}
    for epoch, row in enumerate(rows):
        assert set(row) == {"_step", "epoch", *history.history} | weights
        assert row["epoch"] == epoch
        for key, values in history.history.items():
            assert row[key] == pytest.approx(values[epoch], rel=1e-6)
    losses = history.history["val_loss"]
    stored = sg.Api().run(f"keras/{run.id}")
    assert stored.summary["best_val_loss"] == pytest.approx(min(losses), rel=1e-6)
    assert stored.summary["best_epoch"] == losses.index(min(losses))
    saved = Path(stored.dir) / "files" / "model-best.h5"
    restored = keras.models.load_model(saved)
    assert [layer.name for layer in restored.layers] == layers
    if losses.index(min(losses)) == len(losses) - 1:
        np.testing.assert_allclose(restored.predict(features, verbose=0), model.predict(features, verbose=0))
