"""Unmodified framework code that imports wandb (Lightning's WandbLogger, Transformers' report_to="wandb")
logs to Spyglass under `spyglass wandb-compat install`: the store holds what the framework logged."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tiny_transformers import expected_rows
from wandb_shim import run_script

import spyglass as sg
from spyglass.wandb_compat import installer


@pytest.fixture
def shim(tmp_path: Path) -> Path:
    target = tmp_path / "shim-site"
    installer.install(target)
    return target


def test_lightning_wandb_logger_logs_each_call_with_trainer_global_step_and_checkpoint(shim, store, tmp_path):
    out = run_script(shim, "lightning_wandb_logger.py", str(store), str(tmp_path), str(tmp_path / "out.json"))
    assert out["wandb_module"] == str(shim / "wandb" / "__init__.py")

    stored = sg.Api(dir=store).run(f"lit/{out['run_id']}")
    rows = [{k: v for k, v in row.items() if not k.startswith("_")} for row in stored.scan_history()]
    # WandbLogger logs each call as one row (wandb's own step) with Lightning's step as trainer/global_step.
    assert rows == [{**metrics, "trainer/global_step": step} for step, metrics in out["calls"]]
    assert [row["_step"] for row in stored.scan_history()] == list(range(len(rows)))
    assert stored.state == "finished", "the run ends with the process, as under wandb"
    assert stored.tags == ["shim"] and stored.config["lr"] == 0.05 and stored.config["hidden"] == 4
    assert stored.metadata["metrics"]["*"]["step_metric"] == "trainer/global_step"

    best = sg.Api(dir=store).artifact(f"lit/model-{out['run_id']}:best")
    assert best.files() == ["model.ckpt"] and "latest" in best.aliases
    assert best.metadata["score"] == pytest.approx(out["best_model_score"])
    assert best.metadata["original_filename"] == Path(out["best_model_path"]).name


def test_transformers_report_to_wandb_logs_the_history_summary_config_and_model(shim, store, tmp_path):
    env = {"SPYGLASS_DIR": str(store), "WANDB_PROJECT": "hf", "WANDB_LOG_MODEL": "end"}
    script = "transformers_report_to_wandb.py"
    out = run_script(shim, script, str(tmp_path), str(tmp_path / "out.json"), env=env)
    assert out["wandb_module"] == str(shim / "wandb" / "__init__.py")

    stored = sg.Api(dir=store).run(f"hf/{out['run_id']}")
    rows, summary = expected_rows(out["log_history"])
    assert [{k: v for k, v in row.items() if not k.startswith("_")} for row in stored.scan_history()] == rows
    assert stored.state == "finished" and stored.name == "tiny-bert"
    assert {k: stored.summary[k] for k in summary} == summary
    assert stored.config["learning_rate"] == 1e-3 and stored.config["model_type"] == "bert"
    assert stored.config["model/num_parameters"] == out["num_parameters"]
    assert stored.metadata["metrics"]["*"]["step_metric"] == "train/global_step"

    api = sg.Api(dir=store)
    base = api.artifact("hf/model-tiny-bert:base_model")
    assert base.files() == ["model_architecture.txt"] and base.metadata["initial_model"] is True
    final = api.artifact("hf/model-tiny-bert:final_model")
    assert {"config.json", "model.safetensors"} <= set(final.files())
    assert final.metadata["final_model"] is True


def test_lightning_wandb_logger_log_image_and_log_audio_store_every_item(shim, store, tmp_path):
    from PIL import Image as PILImage

    out = run_script(shim, "lightning_wandb_log_image.py", str(store), str(tmp_path / "out.json"))
    stored = sg.Api(dir=store).run(f"lit/{out['run_id']}")
    samples, sounds = [row for row in stored.scan_history()]
    images = json.loads(samples["samples"])
    assert (images["_type"], images["count"]) == ("images/separated", 3)
    assert [item["caption"] for item in images["items"]] == ["a", "b", "c"]
    for item, logged in zip(images["items"], out["images"], strict=True):
        pixels = np.asarray(PILImage.open(store / "lit" / out["run_id"] / item["path"]))
        np.testing.assert_array_equal(pixels, np.array(logged, dtype=np.uint8))
    audio = json.loads(sounds["sounds"])
    assert audio["_type"] == "audio/separated" and [i["sample_rate"] for i in audio["items"]] == [8000, 8000]
    assert stored.summary["samples"] == samples["samples"]
