"""The wandb calls of issue 16 run as scripts with `import spyglass as wandb` (as test_compat_scripts.py)."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
from test_compat_scripts import run_script

import spyglass as sg


def runs_by_name(store):
    return {run.name: run for run in sg.Api(dir=store).runs("compat")}


def test_save_log_model_link_model_alert_and_save_as_the_last_line(store):
    result = run_script("save_models_alerts.py", store)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "weights"  # use_model gave the path of the one file
    trainer, consumer = sorted(sg.Api(dir=store).runs("compat"), key=lambda run: run.created_at)
    assert trainer.state == consumer.state == "finished"
    assert [f["path"] for f in trainer.metadata["files"]] == [f"checkpoints/epoch-{i}.pt" for i in range(3)]
    assert (store / "compat" / trainer.id / "files" / "checkpoints" / "epoch-2.pt").read_bytes() == b"\2\2\2"
    assert [f["path"] for f in consumer.metadata["files"]] == ["model.bin"]
    [alert] = trainer.metadata["alerts"]
    assert (alert["title"], alert["level"]) == ("Low loss", "WARN")


def test_run_urls_join_and_a_pool_whose_worker_fails_do_not_hang(store):
    result = run_script("urls_join_workers.py", store)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "True True None"
    assert lines[1:] == ["worker None", "worker None", "worker failed: task 2 failed"]
    runs = runs_by_name(store)
    assert runs["parent"].state == "finished" and runs["parent"].summary["workers"] == 3
    assert {f"worker-{task}" for task in range(3)} <= set(runs)


def test_the_csv_export_recipe_reads_summaries_with_integers_kept(store, tmp_path):
    csv = tmp_path / "project.csv"
    result = run_script("summary_csv_export.py", store, csv)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[(40, 'int'), (40, 'int')]"
    frame = pd.read_csv(csv)
    assert sorted(frame["config"]) == ["{'lr': 0.01}", "{'lr': 0.1}"] and len(frame) == 2


def test_tables_with_numpy_scalars_unequal_line_series_and_pyplot_are_logged(store):
    result = run_script("tables_plots_figures.py", store)
    assert result.returncode == 0, result.stderr
    assert "dropped" not in result.stderr and "left out" not in result.stderr
    [run] = sg.Api(dir=store).runs("compat")
    history = run.history(samples=None, pandas=False)
    assert history.schema.field("iter").type == pa.int64()
    assert history.column("iter").to_pylist()[:4] == [0, 10, 20, 30]
    assert run.table("table").to_pylist() == [
        {"id": 0, "score": 0.0},
        {"id": 1, "score": 0.5},
        {"id": 2, "score": 1.0},
    ]
    series = run.table("series").to_pylist()
    assert [row["lineVal"] for row in series if row["lineKey"] == "b"] == [2, 4]
    curve = json.loads(history.column("curve").to_pylist()[-1])
    assert curve["_type"] == "image" and (store / "compat" / run.id / curve["path"]).stat().st_size > 1000


def test_lists_of_media_under_one_key_store_every_file_and_the_summary_keeps_the_last(store):
    result = run_script("media_lists.py", store)
    assert result.returncode == 0, result.stderr
    assert "refused: run.log() key 'mixed' holds a list mixing sg.Html, sg.Image" in result.stdout
    [run] = sg.Api(dir=store).runs("compat")
    rows = list(run.scan_history())
    assert [row["epoch"] for row in rows] == [0, 1, 2]
    for epoch, row in enumerate(rows):
        examples = json.loads(row["examples"])
        assert (examples["_type"], examples["count"]) == ("images/separated", 4)
        assert [item["caption"] for item in examples["items"]] == [f"{epoch}-{i}" for i in range(4)]
        sounds = json.loads(row["sounds"])
        assert sounds["_type"] == "audio/separated" and sounds["items"][0]["sample_rate"] == 16000
        for item in examples["items"] + sounds["items"]:
            assert (store / "compat" / run.id / item["path"]).stat().st_size > 0
        assert row.get("none") is None and row.get("mixed") is None
    assert run.summary["examples"] == rows[-1]["examples"]
    assert "none" not in run.summary and "mixed" not in run.summary
