"""run.define_metric(): definitions in run.json, prefix globs, step_metric/step_sync rows, clear errors."""

from __future__ import annotations

import json

import pytest

import spyglass as sg
from spyglass.base.text_checks import InvalidTextError, LimitExceededError
from spyglass.store.run_store import RunDirectory


def stored_rows(run) -> list[dict]:
    run.finish()
    return RunDirectory(run.dir).read_history().to_pylist()


def test_definitions_are_stored_in_run_json_metrics(store):
    run = sg.init(project="p")
    run.define_metric("epoch", hidden=True)
    run.define_metric("val/*", step_metric="epoch", summary="max", goal="maximize")
    with open(f"{run.dir}/run.json") as file:
        metrics = json.load(file)["metrics"]
    assert metrics == {
        "epoch": {"step_metric": None, "step_sync": False, "summary": [], "goal": None, "hidden": True},
        "val/*": {
            "step_metric": "epoch", "step_sync": True, "summary": ["max"], "goal": "maximize", "hidden": False
        },
    }  # fmt: skip


def test_define_metric_returns_the_definition_and_a_second_call_merges_unless_overwrite(store):
    run = sg.init(project="p")
    first = run.define_metric("loss", summary="min")
    assert first.name == "loss" and first.summary == ("min",)
    merged = run.define_metric("loss", goal="minimize")
    assert merged.summary == ("min",) and merged.goal == "minimize"
    replaced = run.define_metric("loss", hidden=True, overwrite=True)
    assert replaced.summary == () and replaced.goal is None and replaced.hidden


def test_step_sync_fills_the_step_metric_with_its_last_value_in_rows_that_lack_it(store):
    run = sg.init(project="p")
    run.define_metric("epoch")
    run.define_metric("val/*", step_metric="epoch")
    run.log({"epoch": 1})
    run.log({"val/acc": 0.5})
    run.log({"train/loss": 2.0})  # not covered by the glob: left alone
    run.flush()  # the last epoch carries over to later frames
    run.log({"epoch": 2, "val/acc": 0.7})
    run.log({"val/f1": 0.1})
    rows = stored_rows(run)
    assert [row["epoch"] for row in rows] == [1.0, 1.0, None, 2.0, 2.0]
    assert [row["val/acc"] for row in rows] == [None, 0.5, None, 0.7, None]


def test_the_step_metrics_last_value_carries_over_from_a_frame_holding_only_the_step_metric(store):
    run = sg.init(project="p")
    run.define_metric("val/*", step_metric="epoch")
    run.log({"epoch": 4})
    run.flush()
    run.log({"val/acc": 0.5})
    assert [row["epoch"] for row in stored_rows(run)] == [4.0, 4.0]


def test_step_metric_may_be_the_definition_returned_earlier_and_aggregates_ignore_case(store):
    run = sg.init(project="p")
    epoch = run.define_metric("epoch")
    definition = run.define_metric("acc", step_metric=epoch, summary="Max, LAST")
    assert definition.step_metric == "epoch" and definition.summary == ("max", "last")


def test_step_sync_false_leaves_rows_as_logged(store):
    run = sg.init(project="p")
    run.define_metric("val/acc", step_metric="epoch", step_sync=False)
    run.log({"epoch": 1})
    run.log({"val/acc": 0.5})
    assert [row["epoch"] for row in stored_rows(run)] == [1.0, None]


def test_a_synced_metric_before_any_step_metric_value_gets_none(store):
    run = sg.init(project="p")
    run.define_metric("acc", step_metric="epoch")
    run.log({"acc": 0.5})
    run.log({"epoch": 1, "acc": 0.6})
    rows = stored_rows(run)
    assert [row["epoch"] for row in rows] == [None, 1.0]


def test_the_longest_matching_glob_wins_and_an_exact_name_beats_globs(store):
    run = sg.init(project="p")
    run.define_metric("train/*", summary="min")
    run.define_metric("train/inner/*", summary="max")
    run.define_metric("train/exact", summary="first")
    run.log({"train/a": 2.0, "train/inner/b": 2.0, "train/exact": 2.0})
    run.log({"train/a": 1.0, "train/inner/b": 3.0, "train/exact": 1.0})
    summary = run.summary
    assert summary["train/a"] == {"min": 1.0} and summary["train/inner/b"] == {"max": 3.0}
    assert summary["train/exact"] == {"first": 2.0}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": ""}, TypeError, "name must be a non-empty string"),
        ({"name": 3}, TypeError, "name must be a non-empty string"),
        ({"name": "a*b"}, ValueError, "only prefix globs"),
        ({"name": "loss", "step_metric": "x*"}, ValueError, "step_metric 'x\\*' may not contain"),
        ({"name": "loss", "summary": "median"}, ValueError, "summary 'median' is not understood"),
        ({"name": "loss", "summary": "none,min"}, ValueError, "combines 'none'"),
        ({"name": "loss", "summary": ["min"]}, TypeError, "summary must be a string"),
        ({"name": "loss", "goal": "up"}, ValueError, "goal must be 'minimize' or 'maximize'"),
        ({"name": "loss", "hidden": "yes"}, TypeError, "hidden must be True, False or None"),
        ({"name": "loss", "step_sync": 1}, TypeError, "step_sync must be True, False or None"),
        ({"name": "loss", "colour": "red"}, TypeError, "unexpected keyword argument.*colour"),
    ],
)
def test_bad_arguments_are_refused_with_a_message_saying_what_is_wrong(store, kwargs, error, message):
    run = sg.init(project="p")
    with pytest.raises(error, match=message):
        run.define_metric(**kwargs)


def test_define_metric_refuses_names_with_a_lone_surrogate_or_over_256_characters(store):
    run = sg.init(project="p")
    with pytest.raises(InvalidTextError, match=r"define_metric\(\): name 'loss\\udcff'"):
        run.define_metric("loss\udcff", summary="min")
    with pytest.raises(LimitExceededError, match="limited to 256"):
        run.define_metric("loss", step_metric="s" * 300)
    run.define_metric("loss", summary="min")
    run.log({"loss": 1.0})
    run.finish()
    assert run.state == "finished" and run.summary["loss"] == {"min": 1.0}
