"""SpyglassLogger with a real Lightning Trainer: the store holds exactly what Lightning gave its loggers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import spyglass as sg

pytest.importorskip("lightning")

from lightning.pytorch.callbacks import ModelCheckpoint  # noqa: E402
from lightning_models import RecordingLogger, TinyRegressor, loaders, trainer  # noqa: E402

from spyglass.integration.lightning import SpyglassLogger  # noqa: E402


def stored_rows(store, project: str, run_id: str) -> dict[int, dict]:
    run = sg.Api(dir=store).run(f"{project}/{run_id}")
    return {
        row["_step"]: {k: v for k, v in row.items() if not k.startswith("_")} for row in run.scan_history()
    }


def test_fit_stores_every_metric_at_lightnings_step_with_hparams_then_finishes(store, tmp_path) -> None:
    torch.manual_seed(0)
    logger = SpyglassLogger(project="lit", name="tiny", save_dir=store, tags=["cpu"])
    recorder = RecordingLogger()
    train, valid = loaders()
    trainer(loggers=[logger, recorder], tmp_path=tmp_path).fit(TinyRegressor(lr=0.05, hidden=4), train, valid)

    expected = recorder.rows_by_step()
    assert len(expected) >= 3 * 6, "every training step of 3 epochs x 6 batches is logged"
    assert stored_rows(store, "lit", logger.version) == expected
    keys = {key for row in expected.values() for key in row}
    assert keys == {"train/loss", "val/loss", "val/mae", "epoch"}

    stored = sg.Api(dir=store).run(f"lit/{logger.version}")
    assert stored.state == "finished" and stored.name == "tiny" and stored.tags == ["cpu"]
    assert {k: stored.config[k] for k in ("lr", "hidden")} == {"lr": 0.05, "hidden": 4}
    assert recorder.hyperparameters["lr"] == 0.05
    last_step = max(expected)
    assert stored.summary["val/loss"] == expected[last_step]["val/loss"]
    assert logger.name == "lit" and logger.save_dir == str(store)


def test_test_after_fit_continues_the_same_run_and_finishes_it_again(store, tmp_path) -> None:
    logger = SpyglassLogger(project="lit", save_dir=store)
    recorder = RecordingLogger()
    train, valid = loaders()
    fitted = trainer(loggers=[logger, recorder], tmp_path=tmp_path, max_epochs=1)
    model = TinyRegressor()
    fitted.fit(model, train, valid)
    fit_rows = stored_rows(store, "lit", logger.version)
    assert sg.Api(dir=store).run(f"lit/{logger.version}").state == "finished"

    fitted.test(model, valid)
    rows = stored_rows(store, "lit", logger.version)
    test_values = [metrics["test/loss"] for _, metrics in recorder.calls if "test/loss" in metrics]
    assert len(test_values) == 1
    assert {k: v for k, v in rows.items() if k in fit_rows} == fit_rows, "the fit's rows are kept"
    (test_row,) = [row for row in rows.values() if "test/loss" in row]
    assert test_row["test/loss"] == test_values[0]
    assert sg.Api(dir=store).run(f"lit/{logger.version}").state == "finished"
    assert len(sg.Api(dir=store).runs("lit")) == 1


def test_an_exception_in_training_marks_the_run_failed_with_the_rows_before_it(store, tmp_path) -> None:
    logger = SpyglassLogger(project="lit", save_dir=store)
    recorder = RecordingLogger()
    train, valid = loaders()
    fit = trainer(loggers=[logger, recorder], tmp_path=tmp_path)
    with pytest.raises(RuntimeError, match="diverged"):
        fit.fit(TinyRegressor(fail_at_step=4), train, valid)
    stored = sg.Api(dir=store).run(f"lit/{logger.version}")
    assert stored.state == "failed"
    assert stored_rows(store, "lit", logger.version) == recorder.rows_by_step()
    assert sorted(recorder.rows_by_step()) == [0, 1, 2, 3]


def test_log_model_all_logs_each_checkpoint_as_a_model_artifact_with_best_and_latest(store, tmp_path) -> None:
    torch.manual_seed(1)
    logger = SpyglassLogger(project="lit", save_dir=store, log_model="all")
    checkpoints = ModelCheckpoint(monitor="val/loss", mode="min", save_top_k=1)
    train, valid = loaders()
    fit = trainer(loggers=[logger], tmp_path=tmp_path, enable_checkpointing=True, callbacks=[checkpoints])
    fit.fit(TinyRegressor(), train, valid)

    api = sg.Api(dir=store)
    versions = api.artifact_versions(f"lit/model-{logger.version}")
    assert len(versions) >= 1
    best = api.artifact(f"lit/model-{logger.version}:best")
    assert best.type == "model" and best.files() == ["model.ckpt"]
    assert "latest" in best.aliases
    assert best.metadata["original_filename"] == checkpoints.best_model_path.rsplit("/", 1)[-1]
    assert best.metadata["score"] == pytest.approx(float(checkpoints.best_model_score))
    assert best.metadata["ModelCheckpoint"]["monitor"] == "val/loss"
    downloaded = best.download(root=str(tmp_path / "best"))
    restored = torch.load(f"{downloaded}/model.ckpt", weights_only=False)
    original = torch.load(checkpoints.best_model_path, weights_only=False)
    assert restored["global_step"] == original["global_step"]
    assert checkpoints.best_model_path.startswith(f"{store}/lit/{logger.version}/checkpoints/")


def test_log_model_true_logs_the_kept_checkpoints_when_training_ends_and_prefix_names_the_keys(
    store, tmp_path
) -> None:
    logger = SpyglassLogger(project="lit", save_dir=store, log_model=True, prefix="exp")
    checkpoints = ModelCheckpoint(monitor="val/loss", mode="min", save_top_k=2)
    recorder = RecordingLogger()
    train, valid = loaders()
    fit = trainer(
        loggers=[logger, recorder], tmp_path=tmp_path, enable_checkpointing=True, callbacks=[checkpoints]
    )
    fit.fit(TinyRegressor(), train, valid)

    versions = sg.Api(dir=store).artifact_versions(f"lit/model-{logger.version}")
    kept = sorted(Path(path).name for path in checkpoints.best_k_models)
    assert len(kept) == 2 and sorted(v.metadata["original_filename"] for v in versions) == kept
    rows = stored_rows(store, "lit", logger.version)
    assert {key for row in rows.values() for key in row} == {
        "exp-train/loss",
        "exp-val/loss",
        "exp-val/mae",
        "exp-epoch",
    }
    assert rows == {
        step: {f"exp-{key}": value for key, value in metrics.items()}
        for step, metrics in recorder.rows_by_step().items()
    }


def test_log_table_and_log_text_store_a_table_at_the_given_step(store) -> None:
    logger = SpyglassLogger(project="lit", save_dir=store)
    samples = [["cheese", "en"], ["fromage", "fr"]]
    logger.log_table("samples", columns=["input", "label"], data=samples, step=3)
    logger.log_text("notes", columns=["text"], data=[["first"]], step=5)
    logger.experiment.finish()
    stored = sg.Api(dir=store).run(f"lit/{logger.version}")
    assert stored.table("samples").to_pylist() == [
        {"input": "cheese", "label": "en"},
        {"input": "fromage", "label": "fr"},
    ]
    assert stored.table("notes").to_pylist() == [{"text": "first"}]
    assert [row["_step"] for row in stored.scan_history()] == [3, 5]


class ImageLoggingRegressor(TinyRegressor):
    """Logs two uint8 (C, H, W) images with captions through logger.log_image after each validation epoch."""

    def __init__(self) -> None:
        super().__init__()
        self.logged: list[list[torch.Tensor]] = []

    def on_validation_epoch_end(self) -> None:
        if self.trainer.sanity_checking:
            return
        shade = int(self.current_epoch * 60)
        images = [
            torch.full((3, 4, 5), shade, dtype=torch.uint8),
            torch.randint(0, 256, (3, 4, 5), dtype=torch.uint8),
        ]
        self.logged.append(images)
        captions = [f"epoch {self.current_epoch} flat", f"epoch {self.current_epoch} noise"]
        self.loggers[0].log_image(key="val/samples", images=images, caption=captions)


def test_log_image_in_a_validation_hook_stores_every_image_with_its_caption(store, tmp_path) -> None:
    from PIL import Image as PILImage

    torch.manual_seed(0)
    logger = SpyglassLogger(project="lit", save_dir=store)
    model = ImageLoggingRegressor()
    train, valid = loaders()
    trainer(loggers=[logger], tmp_path=tmp_path, max_epochs=2).fit(model, train, valid)

    stored = sg.Api(dir=store).run(f"lit/{logger.version}")
    references = {
        row["_step"]: json.loads(row["val/samples"])
        for row in stored.scan_history()
        if isinstance(row.get("val/samples"), str)
    }
    assert len(references) == len(model.logged) == 2
    for epoch, step in enumerate(sorted(references)):
        reference = references[step]
        assert reference["_type"] == "images/separated" and reference["count"] == 2
        assert [item["caption"] for item in reference["items"]] == [
            f"epoch {epoch} flat",
            f"epoch {epoch} noise",
        ]
        for item, tensor in zip(reference["items"], model.logged[epoch], strict=True):
            pixels = np.asarray(PILImage.open(store / "lit" / logger.version / item["path"]))
            np.testing.assert_array_equal(pixels, tensor.permute(1, 2, 0).numpy())
    assert json.loads(stored.summary["val/samples"]) == references[max(references)]


def test_log_audio_and_log_video_take_per_item_options_and_refuse_what_wandblogger_refuses(store) -> None:
    logger = SpyglassLogger(project="lit", save_dir=store)
    tone = np.sin(np.linspace(0, 30, 400)).astype(np.float32)
    logger.log_audio("sounds", [tone, tone / 2], step=1, sample_rate=[8000, 4000], caption=["a", "b"])
    logger.log_video("clips", [np.zeros((2, 3, 6, 6), np.uint8)], step=2, fps=[4])
    with pytest.raises(ValueError, match="Expected 2 items but only found 1 for caption"):
        logger.log_image("pics", [np.zeros((2, 2)), np.ones((2, 2))], caption=["one"])
    with pytest.raises(TypeError, match='Expected a list as "images"'):
        logger.log_image("pics", np.zeros((2, 2)))
    logger.experiment.finish()
    rows = {row["_step"]: row for row in sg.Api(dir=store).run(f"lit/{logger.version}").scan_history()}
    sounds = json.loads(rows[1]["sounds"])
    assert sounds["_type"] == "audio/separated"
    assert [(item["sample_rate"], item["caption"]) for item in sounds["items"]] == [(8000, "a"), (4000, "b")]
    [clip] = json.loads(rows[2]["clips"])["items"]
    assert (clip["fps"], clip["frames"]) == (4, 2)
    assert (store / "lit" / logger.version / clip["path"]).is_file()
    assert set(rows) == {1, 2}, "the refused calls recorded nothing"


def test_a_run_the_user_started_is_used_and_left_running(store, tmp_path) -> None:
    run = sg.init(project="mine", dir=store, config={"batch": 8})
    logger = SpyglassLogger(project="ignored", save_dir=store)
    recorder = RecordingLogger()
    train, valid = loaders()
    trainer(loggers=[logger, recorder], tmp_path=tmp_path, max_epochs=1).fit(TinyRegressor(), train, valid)
    assert logger.experiment is run and run.state == "running"
    run.finish()
    assert stored_rows(store, "mine", run.id) == recorder.rows_by_step()
    assert sg.Api(dir=store).run(f"mine/{run.id}").config["batch"] == 8


def test_importing_spyglass_and_its_integration_package_loads_no_framework() -> None:
    code = (
        "import sys, spyglass, spyglass.integration; "
        "loaded = [m for m in ('torch', 'lightning', 'transformers') if m in sys.modules]; "
        "print(loaded); sys.exit(1 if loaded else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
