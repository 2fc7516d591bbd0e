"""Warnings about logged values come once per key (or once per run for steps), even at 10k steps; strict mode
turns a backwards step or a refused value into an error raised before anything of the row is recorded."""

from __future__ import annotations

import math
import re
import warnings

import pytest

import spyglass as sg
from spyglass.base.text_checks import InvalidTextError
from spyglass.errors import StepOrderError
from spyglass.rows.flusher import NonFiniteValueWarning
from spyglass.rows.history import RefusedValueWarning, StepOrderWarning
from spyglass.store.run_store import RunDirectory

STEPS = 10_000


def subject(message: str) -> str:
    """The metric a warning names, or the step it complains about."""
    found = re.search(r"metric '([^']+)'", message) or re.search(r"(step=\d+)", message)
    return found.group(1) if found else message


def test_10k_bad_steps_give_one_warning_per_key_and_every_good_value_is_kept(store):
    run = sg.init(project="p")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # count every warning issued, not just the first per location
        for i in range(STEPS):
            run.log(
                {"loss": math.nan, "ratio": math.inf, "weights": [1.0, 2.0], "grads": (1,), "ok": float(i)}
            )
        run.log({"late": 1.0}, step=3)  # backwards
        for i in range(STEPS):
            run.log({"ok": float(i)}, step=i)  # all behind the current step: merged into its pending row
        run.finish()
    kinds = [(type(w.message).__name__, subject(str(w.message))) for w in caught]
    assert sorted(kinds) == sorted(
        [
            ("NonFiniteValueWarning", "loss"),
            ("NonFiniteValueWarning", "ratio"),
            ("RefusedValueWarning", "weights"),
            ("RefusedValueWarning", "grads"),
            ("StepOrderWarning", "step=3"),
        ]
    ), [str(w.message) for w in caught]
    table = RunDirectory(run.dir).read_history()
    assert table.num_rows == STEPS + 1
    assert table.slice(STEPS).to_pylist()[0] | {"_timestamp": 0, "_runtime": 0} == {
        "_step": STEPS, "_timestamp": 0, "_runtime": 0, "loss": None, "ratio": None, "ok": STEPS - 1.0,
        "late": 1.0,
    }  # fmt: skip
    assert table.column("ok").to_pylist()[:STEPS] == [float(i) for i in range(STEPS)]
    assert "weights" not in table.column_names and "grads" not in table.column_names


def test_a_refused_value_warning_names_the_key_the_type_the_shape_and_what_to_do(store):
    np = pytest.importorskip("numpy")
    run = sg.init(project="p")
    with pytest.warns(RefusedValueWarning) as caught:
        run.log({"layer": {"w": np.ones((2, 3))}})
    text = str(caught[0].message)
    assert "'layer/w'" in text and "numpy.ndarray of shape (2, 3)" in text and "np.mean(x)" in text


def test_the_step_order_warning_names_both_steps_once_per_run(store):
    run = sg.init(project="p")
    run.log({"a": 1.0}, step=10)
    with pytest.warns(StepOrderWarning, match=r"step=4.*already 10") as caught:
        run.log({"a": 2.0}, step=4)
        run.log({"a": 3.0}, step=5)
    assert len(caught) == 1


def test_strict_mode_raises_step_order_error_before_recording_anything_of_the_row(store):
    run = sg.init(project="p", settings={"strict": True})
    run.log({"a": 1.0}, step=10, commit=True)
    with pytest.raises(StepOrderError, match=r"step=4.*already 11.*settings.strict.*Nothing of this row"):
        run.log({"a": 2.0, "b": 5.0}, step=4)
    assert isinstance(StepOrderError("x"), ValueError)
    run.log({"a": 3.0})
    run.finish()
    table = RunDirectory(run.dir).read_history()
    assert table.column("_step").to_pylist() == [10, 11] and "b" not in table.column_names


def test_strict_mode_raises_for_a_refused_value_and_records_nothing_of_the_row(store):
    run = sg.init(project="p", settings={"strict": True})
    with pytest.raises(TypeError, match=r"metric 'w': a list of 2 elements.*strict"):
        run.log({"w": [1, 2], "a": 1.0})
    run.finish()
    assert RunDirectory(run.dir).read_history().num_rows == 0


def test_nan_is_still_stored_and_warned_once(store):
    run = sg.init(project="p")
    with pytest.warns(NonFiniteValueWarning):
        for _ in range(3):
            run.log({"x": math.nan})
        run.finish()
    assert len(RunDirectory(run.dir).read_history().column("x")) == 3


def test_strict_mode_refuses_a_lone_surrogate_in_a_string_value_even_on_a_row_shaped_like_the_last(store):
    run = sg.init(project="p", settings={"strict": True})
    run.log({"s": "fine", "a": 1.0})
    with pytest.raises(InvalidTextError, match=r"metric 's' holds a lone surrogate.*strict"):
        run.log({"s": "bad\udcff", "a": 2.0})  # same keys and types: what would be the fast path
    run.log({"s": "fine again", "a": 3.0})
    run.finish()
    table = RunDirectory(run.dir).read_history()
    assert table.column("a").to_pylist() == [1.0, 3.0] and table.column("_step").to_pylist() == [0, 1]
