"""run.summary follows wandb: last value by default, define_metric aggregates, manual values win."""

from __future__ import annotations

import json
import math

import pyarrow as pa
import pytest

import spyglass as sg
from spyglass.api import Api
from spyglass.base.text_checks import InvalidTextError, LimitExceededError, TextReplacedWarning
from spyglass.rows.flusher import NonFiniteValueWarning
from spyglass.tracking.metric_definitions import MetricDefinitions
from spyglass.tracking.run_summary import Summary


def run_json(run) -> dict:
    with open(f"{run.dir}/run.json") as file:
        return json.load(file)


def test_the_summary_holds_the_last_value_of_every_metric_by_default(store):
    run = sg.init(project="p")
    for i in range(5):
        run.log({"loss": 1.0 / (i + 1), "phase": f"epoch {i}"})
    run.log({"acc": 0.5})
    assert run.summary["loss"] == 0.2 and run.summary["phase"] == "epoch 4" and run.summary["acc"] == 0.5


def test_the_summary_sees_rows_logged_but_not_yet_flushed(store):
    run = sg.init(project="p", settings={"flush_interval": 60.0})
    run.log({"loss": 3.0})
    assert run.summary["loss"] == 3.0


def test_define_metric_aggregates_give_wandb_style_nested_values(store):
    run = sg.init(project="p")
    run.define_metric("loss", summary="min,max,mean,first,last")
    run.define_metric("acc", summary="max")
    for value in (3.0, 1.0, 2.0):
        run.log({"loss": value, "acc": value})
    assert run.summary["loss"] == {"min": 1.0, "max": 3.0, "mean": 2.0, "first": 3.0, "last": 2.0}
    assert run.summary["acc"] == {"max": 3.0}


def test_summary_none_leaves_the_metric_out_and_copy_keeps_the_last_value(store):
    run = sg.init(project="p")
    run.define_metric("noise", summary="none")
    run.define_metric("lr", summary="copy")
    run.log({"noise": 1.0, "lr": 0.1})
    run.log({"noise": 2.0, "lr": 0.01})
    assert "noise" not in run.summary and "noise" not in list(run.summary.keys())
    assert run.summary["lr"] == 0.01


def test_best_follows_the_goal(store):
    run = sg.init(project="p")
    run.define_metric("loss", summary="best", goal="minimize")
    run.define_metric("acc", summary="best,last", goal="maximize")
    for loss, acc in ((2.0, 0.1), (0.5, 0.9), (1.0, 0.4)):
        run.log({"loss": loss, "acc": acc})
    assert run.summary["loss"] == {"best": 0.5}
    assert run.summary["acc"] == {"best": 0.9, "last": 0.4}


def test_aggregates_span_many_frames_and_ignore_nan_for_min_and_max(store):
    run = sg.init(project="p")
    run.define_metric("x", summary="min,max,mean")
    for i in range(10):
        run.log({"x": float(i)})
        run.flush()
    run.log({"x": math.nan})
    with pytest.warns(NonFiniteValueWarning):
        run.finish()
    summary = run.summary["x"]
    assert summary["min"] == 0.0 and summary["max"] == 9.0 and math.isnan(summary["mean"])


def test_a_glob_definition_aggregates_every_metric_with_the_prefix(store):
    run = sg.init(project="p")
    run.define_metric("val/*", summary="max")
    run.log({"val/acc": 0.3, "val/f1": 0.2, "train/acc": 0.1})
    run.log({"val/acc": 0.1, "val/f1": 0.4, "train/acc": 0.05})
    assert run.summary["val/acc"] == {"max": 0.3} and run.summary["val/f1"] == {"max": 0.4}
    assert run.summary["train/acc"] == 0.05


def test_a_value_set_by_hand_wins_over_later_automatic_updates(store):
    run = sg.init(project="p")
    run.log({"acc": 0.5})
    run.summary["acc"] = 0.99
    run.summary["best_epoch"] = 3
    run.log({"acc": 0.6})
    assert run.summary["acc"] == 0.99 and run.summary.best_epoch == 3


def test_reading_a_value_set_by_hand_does_not_flush(store):
    run = sg.init(project="p", settings={"flush_interval": 60.0})
    run.summary["best"] = 1.0
    flushes = []
    sync = run.summary._sync
    object.__setattr__(run.summary, "_sync", lambda: (flushes.append(1), sync()))
    for i in range(1000):
        run.log({"acc": i})
        if run.summary.get("best", 0) < i and "best" in run.summary:
            run.summary["best"] = i
    assert run.summary["best"] == 999 and not flushes
    assert run.summary["acc"] == 999 and flushes


def test_summary_is_a_dict_like_with_update_attributes_keys_items_and_in(store):
    run = sg.init(project="p")
    run.log({"loss": 1.0})
    run.summary.update({"test/acc": 0.8}, note="ok")
    run.summary.final = 7
    assert "loss" in run.summary and "test/acc" in run.summary and "missing" not in run.summary
    assert set(run.summary.keys()) == {"loss", "test/acc", "note", "final"}
    assert dict(run.summary.items())["final"] == 7 and run.summary.get("missing", 1) == 1
    with pytest.raises(KeyError):
        run.summary["missing"]
    with pytest.raises(AttributeError, match="no key 'missing'"):
        _ = run.summary.missing
    del run.summary["note"]
    assert "note" not in run.summary


def test_the_final_summary_is_persisted_in_run_json_and_read_back_by_the_api(store):
    run = sg.init(project="p", id="persisted")
    run.define_metric("loss", summary="min,last")
    for value in (2.0, 0.5, 1.0):
        run.log({"loss": value, "acc": value / 2})
    run.log({"weird": math.inf})
    run.summary["best_acc"] = 0.75
    with pytest.warns(NonFiniteValueWarning):
        run.finish()
    stored = run_json(run)
    assert stored["summary"] == {
        "loss": {"min": 0.5, "last": 1.0},
        "acc": 0.5,
        "weird": "Infinity",
        "best_acc": 0.75,
    }
    read = Api().run("p/persisted").summary
    assert (
        read["loss"] == {"min": 0.5, "last": 1.0} and read["best_acc"] == 0.75 and read["weird"] == math.inf
    )


def test_numpy_values_set_by_hand_are_stored_as_plain_json(store):
    np = pytest.importorskip("numpy")
    run = sg.init(project="p")
    run.summary["acc"] = np.float32(0.5)
    run.summary["confusion"] = np.eye(2)
    run.summary["nan"] = np.float64("nan")
    run.finish()
    assert run_json(run)["summary"] == {"acc": 0.5, "confusion": [[1.0, 0.0], [0.0, 1.0]], "nan": "NaN"}


def test_observe_folds_arrow_batches_and_restore_continues_from_a_stored_summary():
    summary = Summary()
    summary.observe(pa.RecordBatch.from_pydict({"_step": [0, 1], "x": [2.0, None], "s": [None, "a"]}))
    assert summary.snapshot() == {"x": 2.0, "s": "a"}
    definitions = MetricDefinitions()
    definitions.define("x", summary="min,max,last")
    resumed = Summary(definitions)
    resumed.restore({"x": {"min": 1.0, "max": 4.0, "last": 3.0}, "y": "NaN"})
    resumed.observe(pa.RecordBatch.from_pydict({"_step": [5], "x": [0.5]}))
    assert resumed.snapshot() == {"x": {"min": 0.5, "max": 4.0, "last": 0.5}, "y": "NaN"}


def test_summary_keys_with_a_lone_surrogate_and_values_run_json_cannot_hold_are_refused_at_the_call(store):
    run = sg.init(project="p")
    cyclic: dict = {}
    cyclic["me"] = cyclic
    deep: object = 0
    for _ in range(65):
        deep = [deep]
    with pytest.raises(InvalidTextError, match=r"run.summary key 'b\\udcffst'"):
        run.summary["b\udcffst"] = 1.0
    with pytest.raises(LimitExceededError, match=r"run.summary\['c'\]\['me'\] contains itself"):
        run.summary["c"] = cyclic
    with pytest.raises(LimitExceededError, match="nested more than 64 levels"):
        run.summary["deep"] = deep
    with pytest.raises(LimitExceededError, match="int of about 5000 digits"):
        run.summary["huge"] = 10**5000
    with pytest.warns(TextReplacedWarning, match=r"run.summary\['note'\]\['text'\]"):
        run.summary["note"] = {"text": "caf\udce9"}
    run.summary["best"] = 0.5
    run.finish()
    assert run.state == "finished"
    assert run_json(run)["summary"] == {"note": {"text": "caf\ufffd"}, "best": 0.5}
