"""log() follows wandb's step semantics, and a step that goes backwards is warned about, never dropped."""

from __future__ import annotations

import pytest

import spyglass as sg
from spyglass.rows.history import StepOrderWarning


def history(run):
    run.finish()
    from spyglass.store.run_store import RunDirectory

    return RunDirectory(run.dir).read_history().to_pylist()


def rows(run, *keys):
    return [{k: r.get(k) for k in ("_step", *keys)} for r in history(run)]


def test_log_auto_increments_the_step_from_zero(store):
    run = sg.init(project="p")
    for i in range(3):
        run.log({"a": i})
    assert run.step == 3
    assert rows(run, "a") == [{"_step": 0, "a": 0.0}, {"_step": 1, "a": 1.0}, {"_step": 2, "a": 2.0}]


def test_commit_false_accumulates_into_one_row(store):
    run = sg.init(project="p")
    run.log({"a": 1}, commit=False)
    run.log({"b": 2}, commit=False)
    assert run.step == 0
    run.log({"c": 3})
    assert rows(run, "a", "b", "c") == [{"_step": 0, "a": 1.0, "b": 2.0, "c": 3.0}]


def test_a_later_value_for_the_same_key_in_a_pending_row_wins(store):
    run = sg.init(project="p")
    run.log({"a": 1}, commit=False)
    run.log({"a": 2})
    assert rows(run, "a") == [{"_step": 0, "a": 2.0}]


def test_an_explicit_step_equal_to_the_current_one_merges(store):
    run = sg.init(project="p")
    run.log({"a": 1}, step=0)
    run.log({"b": 2}, step=0)
    assert rows(run, "a", "b") == [{"_step": 0, "a": 1.0, "b": 2.0}]


def test_a_greater_step_commits_the_pending_row_and_moves_on(store):
    run = sg.init(project="p")
    run.log({"a": 1}, step=0)
    run.log({"a": 2}, step=5)
    assert run.step == 5
    run.log({"a": 3})  # no step: merges into step 5's pending row and commits it
    assert run.step == 6
    assert rows(run, "a") == [{"_step": 0, "a": 1.0}, {"_step": 5, "a": 3.0}]


def test_an_explicit_step_row_is_committed_by_finish(store):
    run = sg.init(project="p")
    run.log({"a": 1}, step=7)
    assert rows(run, "a") == [{"_step": 7, "a": 1.0}]


def test_commit_true_with_a_step_commits_at_once(store):
    run = sg.init(project="p")
    run.log({"a": 1}, step=3, commit=True)
    assert run.step == 4


def test_a_smaller_step_warns_naming_both_steps_and_records_at_the_current_step(store):
    run = sg.init(project="p")
    run.log({"a": 1}, step=10, commit=True)
    with pytest.warns(StepOrderWarning, match=r"step=4.*current step is already 11.*recorded at step 11"):
        run.log({"b": 2}, step=4)
    assert rows(run, "a", "b") == [{"_step": 10, "a": 1.0, "b": None}, {"_step": 11, "a": None, "b": 2.0}]


def test_sg_log_logs_to_the_current_run(store):
    run = sg.init(project="p")
    sg.log({"a": 1})
    sg.log({"a": 2}, step=4)
    assert sg.run is run
    assert rows(run, "a") == [{"_step": 0, "a": 1.0}, {"_step": 4, "a": 2.0}]


@pytest.mark.parametrize("step", [-1, 1.5, "3", True])
def test_a_step_that_is_not_a_non_negative_integer_is_refused(store, step):
    run = sg.init(project="p")
    with pytest.raises((TypeError, ValueError), match="step"):
        run.log({"a": 1}, step=step)


def test_rows_with_different_keys_come_out_in_step_order(store):
    run = sg.init(project="p")
    for i in range(20):
        run.log({"train": i} if i % 3 else {"train": i, "eval": -i})
    assert [r["_step"] for r in history(run)] == list(range(20))
