"""Scripts written against wandb's documented API run with `import spyglass as wandb`; the store is asserted.

Each script in scripts/ runs in its own interpreter, as a user would run it, with SPYGLASS_DIR pointing at a
fresh store; the assertions read that store back through the read API.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import spyglass as sg

SCRIPTS = Path(__file__).parent / "scripts"


def run_script(name: str, store: Path, *args: object, env: dict[str, str] | None = None):
    inherited = {
        key: value for key, value in os.environ.items() if not key.startswith(("WANDB_", "SPYGLASS_"))
    }
    environment = {**inherited, "SPYGLASS_DIR": str(store), "SPYGLASS_DISABLE_PACKAGES": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, str(SCRIPTS / name), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=store.parent,
    )


@pytest.fixture
def store(tmp_path):
    return tmp_path / "store"


def only_run(store: Path):
    runs = list(sg.Api(dir=store).runs("compat"))
    assert len(runs) == 1, [run.id for run in runs]
    return runs[0]


def test_an_argparse_training_script_with_define_metric_and_commit_false(store):
    result = run_script("train_classifier.py", store, "--epochs", "3", "--batches", "20")
    assert result.returncode == 0, result.stderr
    run = only_run(store)
    name, run_id = result.stdout.split()
    assert (run.name, run.id) == (name, run_id) and re.fullmatch(r"[a-z]+-[a-z]+-1", name)
    assert run.state == "finished"
    assert run.config == {"lr": 0.01, "epochs": 3, "batches": 20, "optimizer": "sgd", "seed": 0}
    assert (run.tags, run.group, run.job_type, run.notes) == (
        ["baseline"],
        "classifier",
        "train",
        "compat suite",
    )
    history = run.history(samples=None, pandas=False)
    assert history.num_rows == 3 * 20 + 3  # one row per batch (commit=False merged into it) and per epoch
    rows = history.to_pylist()
    assert all(row["train/loss"] is not None for row in rows if row["train/batch"] is not None)
    assert [row["epoch"] for row in rows if row["val/acc"] is not None] == [0.0, 1.0, 2.0]
    assert run.summary["best_acc"] == pytest.approx(0.7)
    assert run.summary["val/acc"] == {"max": pytest.approx(0.7)}
    assert run.metadata["metrics"]["val/*"]["step_metric"] == "epoch"


def test_a_with_block_with_explicit_steps_nested_dicts_and_numpy_values(store):
    result = run_script("context_manager_steps.py", store)
    assert result.returncode == 0, result.stderr
    run = only_run(store)
    assert (run.id, run.name, run.tags, run.state) == ("steps", "explicit-steps", ["steps"], "finished")
    rows = run.history(samples=None, pandas=False).to_pylist()
    assert [row["_step"] for row in rows] == list(range(0, 50, 5))  # the last log() merges into step 45
    assert rows[1]["metrics/loss"] == pytest.approx(1 / 6) and rows[1]["extra"] == 5.0
    assert rows[1]["metrics/ok"] == 1.0 and rows[-1]["last"] == 1.0
    assert run.summary["final_loss"] == 0.02 and run.summary["note"] == "done"


def test_a_manual_sweep_with_reinit_and_two_live_runs(store):
    result = run_script("reinit_sweep.py", store)
    assert result.returncode == 0, result.stderr
    runs = {run.name: run for run in sg.Api(dir=store).runs("compat")}
    assert set(runs) == {"lr-0.1", "lr-0.01", "lr-0.001", "teacher", "student"}
    for lr in (0.1, 0.01, 0.001):
        run = runs[f"lr-{lr}"]
        assert run.config == {"lr": lr} and run.group == "sweep" and run.summary["final"] == lr
        assert run.history(samples=None, pandas=False).num_rows == 10
    assert runs["student"].history(samples=None, pandas=False).column("distill").to_pylist() == [0.5] * 5
    assert all(run.state == "finished" for run in runs.values())


def test_a_crashed_script_started_again_with_resume_allow_continues_its_history(store, tmp_path):
    checkpoint = tmp_path / "checkpoint.json"
    crashed = run_script("resume_after_failure.py", store, "resumable", checkpoint, 3)
    assert crashed.returncode == 1 and "simulated crash at epoch 3" in crashed.stderr
    assert only_run(store).state == "failed"
    resumed = run_script("resume_after_failure.py", store, "resumable", checkpoint)
    assert resumed.returncode == 0, resumed.stderr
    run = only_run(store)
    history = run.history(samples=None, pandas=False)
    assert history.column("_step").to_pylist() == list(range(6))
    assert history.column("epoch").to_pylist() == [float(epoch) for epoch in range(6)]
    assert run.state == "finished" and len(run.metadata["resumed_at"]) == 1


def test_a_yaml_config_in_offline_mode_that_is_preempted_and_exits_non_zero(store, tmp_path):
    config = tmp_path / "config-defaults.yaml"
    config.write_text(
        "wandb_version: 1\nlr:\n  desc: learning rate\n  value: 0.003\nlayers:\n  value: 4\ndropout: 0.5\n"
    )
    result = run_script("yaml_config_offline.py", store, config)
    assert result.returncode == 4, result.stderr
    assert "refused: config key 'lr' already holds 0.003" in result.stdout
    run = only_run(store)
    assert run.config == {"lr": 0.003, "layers": 4, "activation": "relu"}
    assert (run.state, run.exit_code) == ("failed", 4)
    assert run.history(samples=None, pandas=False).num_rows == 3


def test_a_script_in_disabled_mode_runs_every_call_and_writes_nothing(store):
    result = run_script("disabled_everything.py", store, env={"WANDB_MODE": "disabled"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("lr 0.1 name ")
    assert not store.exists()
