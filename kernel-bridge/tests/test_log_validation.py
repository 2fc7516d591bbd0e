"""log() accepts numbers, strings and None (nested dicts flattened); bad keys and kinds are refused with a
clear message before recording anything of the row; values of unsupported types are left out with one
warning per key."""

from __future__ import annotations

import json
import math
import threading
import time
import warnings

import pytest

import spyglass as sg
from spyglass.base.text_checks import InvalidTextError, LimitExceededError, TextReplacedWarning
from spyglass.rows.flusher import NonFiniteValueWarning
from spyglass.rows.history import CHUNK_ROWS, RefusedValueWarning
from spyglass.store.run_store import RunDirectory


def finished_history(run):
    run.finish()
    return RunDirectory(run.dir).read_history()


def test_nested_dicts_are_flattened_with_slashes(store):
    run = sg.init(project="p")
    run.log({"train": {"loss": 1.5, "deep": {"x": 2}}, "lr": 0.1})
    table = finished_history(run)
    assert table.column_names == ["_step", "_timestamp", "_runtime", "train/loss", "train/deep/x", "lr"]


def test_odd_characters_in_keys_are_kept_verbatim(store):
    run = sg.init(project="p")
    run.log({"val loss (ü)": 1, "a.b": 2, "⚡": 3})
    assert {"val loss (ü)", "a.b", "⚡"} <= set(finished_history(run).column_names)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"_private": 1}, "'_private' starts with '_'"),
        ({"": 1}, "empty key"),
        ({"a": {"": 1}}, "empty key inside 'a'"),
        ({3: 1}, "keys must be strings"),
        ({"a/b": 1, "a": {"b": 2}}, "'a/b' twice"),
    ],
)
def test_bad_keys_are_refused_with_a_message_naming_them(store, row, message):
    run = sg.init(project="p")
    with pytest.raises((TypeError, ValueError), match=message):
        run.log(row)


@pytest.mark.parametrize(
    ("value", "described"),
    [([1, 2], "a list of 2 elements"), ((1, 2, 3), "a tuple of 3 elements"), (object(), "an? object"),
     (1j, "a complex")],
)  # fmt: skip
def test_unsupported_values_are_left_out_with_a_warning_naming_key_and_type_and_the_rest_is_recorded(
    store, value, described
):
    run = sg.init(project="p")
    with pytest.warns(RefusedValueWarning, match=rf"metric 'weights': {described}.*rest was recorded"):
        run.log({"weights": value, "loss": 0.5})
    run.finish()
    table = RunDirectory(run.dir).read_history()
    assert "weights" not in table.column_names and table.column("loss").to_pylist() == [0.5]


def test_a_key_changing_from_number_to_string_is_refused_and_nothing_of_the_row_is_recorded(store):
    run = sg.init(project="p")
    run.log({"loss": 1.0, "note": "ok"})
    with pytest.raises(
        TypeError, match=r"'loss' was logged as a number \(float\) before and is now a string \(str"
    ):
        run.log({"other": 5.0, "loss": "high"})
    run.log({"loss": 2.0})
    table = finished_history(run)
    assert table.column("loss").to_pylist() == [1.0, 2.0]
    assert "other" not in table.column_names
    assert run.step == 2


def test_a_non_dict_is_refused(store):
    run = sg.init(project="p")
    with pytest.raises(TypeError, match="expects a dict"):
        run.log([("loss", 1.0)])


def test_ints_bools_strings_and_none_are_stored_with_their_kinds(store):
    run = sg.init(project="p")
    run.log({"n": 3, "flag": True, "text": "hello", "missing": None, "big": 2**70})
    run.log({"n": 4.5, "flag": False, "text": None, "missing": None, "big": 10**400})
    with pytest.warns(NonFiniteValueWarning, match="'big'"):  # beyond float range: stored as inf
        table = finished_history(run)
    assert table.column("n").to_pylist() == [3.0, 4.5]
    assert table.column("flag").to_pylist() == [1.0, 0.0]
    assert table.column("text").to_pylist() == ["hello", None]
    assert table.column("big").to_pylist() == [float(2**70), math.inf]
    assert "missing" not in table.column_names  # never had a value: no column


def test_numpy_scalars_and_zero_d_arrays_are_accepted(store):
    np = pytest.importorskip("numpy")
    run = sg.init(project="p")
    for i in range(3):
        run.log(
            {"f32": np.float32(i + 0.5), "i64": np.int64(i), "b": np.bool_(i % 2), "arr": np.array(i * 2.0)}
        )
    table = finished_history(run)
    assert table.column("f32").to_pylist() == [0.5, 1.5, 2.5]
    assert table.column("i64").to_pylist() == [0.0, 1.0, 2.0]
    assert table.column("b").to_pylist() == [0.0, 1.0, 0.0]
    assert table.column("arr").to_pylist() == [0.0, 2.0, 4.0]


def test_a_numpy_array_with_elements_is_refused_naming_its_shape_and_what_to_log_instead(store):
    np = pytest.importorskip("numpy")
    run = sg.init(project="p")
    with pytest.warns(RefusedValueWarning, match=r"metric 'w': a numpy.ndarray of shape \(3,\).*np.mean"):
        run.log({"w": np.zeros(3)})


class FakeGpuScalar:
    """Looks like a 0-d torch tensor; records whether anything forced a device sync."""

    synced = 0
    synced_in: set[str] = set()

    def __init__(self, value):
        self._value = value
        self.shape = ()
        self.dtype = type("dtype", (), {"is_complex": False})()

    def item(self):
        FakeGpuScalar.synced += 1
        FakeGpuScalar.synced_in.add(threading.current_thread().name)
        return self._value

    def __float__(self):
        return float(self.item())


def test_zero_d_tensors_are_converted_by_the_flusher_never_inside_log(store):
    run = sg.init(project="p", flush_interval=60)
    FakeGpuScalar.synced = 0
    for i in range(5):
        run.log({"loss": FakeGpuScalar(i / 2)})
    assert FakeGpuScalar.synced == 0, "log() must not call .item() (a GPU sync)"
    assert finished_history(run).column("loss").to_pylist() == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert FakeGpuScalar.synced == 5


def test_many_tensor_rows_are_still_converted_off_the_logging_thread(store):
    run = sg.init(project="p")
    FakeGpuScalar.synced_in = set()
    for i in range(CHUNK_ROWS * 3):
        run.log({"loss": FakeGpuScalar(float(i)), "plain": 1.0})
    assert threading.current_thread().name not in FakeGpuScalar.synced_in
    assert finished_history(run).num_rows == CHUNK_ROWS * 3


def test_real_torch_scalars_are_accepted(store):
    torch = pytest.importorskip("torch")
    run = sg.init(project="p")
    run.log({"loss": torch.tensor(0.25), "n": torch.tensor(3)})
    table = finished_history(run)
    assert table.column("loss").to_pylist() == [0.25] and table.column("n").to_pylist() == [3.0]


def test_nan_and_inf_are_kept_and_warned_once_per_key(store):
    run = sg.init(project="p", flush_interval=60)
    run.log({"loss": float("nan"), "acc": 1.0})
    run.log({"loss": float("inf"), "acc": float("-inf")})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run._flusher.flush()
        run.log({"loss": float("nan"), "acc": 0.5})
        table = finished_history(run)
    messages = [str(w.message) for w in caught if issubclass(w.category, NonFiniteValueWarning)]
    assert len(messages) == 2
    assert any("'loss'" in m for m in messages) and any("'acc'" in m for m in messages)
    loss = table.column("loss").to_pylist()
    assert math.isnan(loss[0]) and loss[1] == math.inf and math.isnan(loss[2])


def test_a_dict_of_100k_keys_round_trips(store):
    run = sg.init(project="p")
    row = {f"metric/{i:06d}": float(i) for i in range(100_000)}
    run.log(row)
    run.log(row)
    table = finished_history(run)
    assert table.num_columns == 100_003
    assert table.column("metric/099999").to_pylist() == [99999.0, 99999.0]


def test_a_lone_surrogate_in_a_logged_string_becomes_u_fffd_with_one_warning_and_no_row_is_lost(store):
    # Issue 15: one "\udcff" (what surrogateescape decoding produces) made every later flush fail.
    run = sg.init(project="p")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run.log({"s": "bad\udcff", "x": -1.0})
        for i in range(CHUNK_ROWS + 50):  # the fast path and log()'s own chunk conversion see bad text too
            run.log({"s": f"row {i}\udcff" if i % 100 == 0 else f"row {i}", "x": float(i)})
        run.finish()
    replaced = [w for w in caught if issubclass(w.category, TextReplacedWarning)]
    assert len(replaced) == 1 and "'s'" in str(replaced[0].message) and "\\udcff" in str(replaced[0].message)
    assert run.state == "finished"
    table = RunDirectory(run.dir).read_history()
    assert table.num_rows == CHUNK_ROWS + 51
    texts = table.column("s").to_pylist()
    assert texts[0] == "bad\ufffd" and texts[1] == "row 0\ufffd" and texts[2] == "row 1"
    assert table.column("x").to_pylist()[-1] == CHUNK_ROWS + 49
    assert (
        json.loads(RunDirectory(run.dir).metadata_path.read_text())["summary"]["s"]
        == f"row {CHUNK_ROWS + 49}"
    )


def test_surrogate_pairs_written_as_two_code_points_are_joined_not_replaced(store):
    run = sg.init(project="p")
    with pytest.warns(TextReplacedWarning):
        run.log({"s": "smile \ud83d\ude00"})
    assert finished_history(run).column("s").to_pylist() == ["smile \U0001f600"]


@pytest.mark.parametrize("row", [{"m\udcff": 1.0}, {"train": {"lo\udcffss": 1.0}}])
def test_a_metric_name_with_a_lone_surrogate_is_refused_naming_it_and_the_run_goes_on(store, row):
    run = sg.init(project="p")
    run.log({"x": 1.0})
    with pytest.raises(InvalidTextError, match=r"metric name '.*\\udcff.*' holds a lone surrogate"):
        run.log({**row, "x": 9.0})
    run.log({"x": 2.0})
    table = finished_history(run)
    assert run.state == "finished"
    assert table.column_names[3:] == ["x"] and table.column("x").to_pylist() == [1.0, 2.0]


def test_a_metric_name_longer_than_256_characters_is_refused_with_the_limit_in_the_message(store):
    run = sg.init(project="p")
    run.log({"n" * 256: 1.0, "group": {"g" * 250: 2.0}})  # 256 and 256 ("group/" + 250): at the limit
    with pytest.raises(LimitExceededError, match=r"102400 characters long; names are limited to 256"):
        run.log({"m" * 102_400: 1.0})
    with pytest.raises(LimitExceededError, match="257 characters long"):
        run.log({"group": {"g" * 251: 1.0}})
    table = finished_history(run)
    assert table.num_rows == 1 and table.num_columns == 5


def nested(levels: int, leaf: object = 1.0) -> dict:
    value: object = leaf
    for _ in range(levels):
        value = {"a": value}
    return value  # type: ignore[return-value]


def test_dicts_nested_past_64_levels_are_refused_at_the_call_with_the_limit_in_the_message(store):
    # Issue 15: a config or row nested ~1,000 levels deep made finish() raise RecursionError.
    run = sg.init(project="p")
    run.log(nested(65))  # the row's dict and 64 levels below it
    with pytest.raises(LimitExceededError, match="nested more than 64 levels deep.*Nothing of this row"):
        run.log(nested(66))
    with pytest.raises(LimitExceededError, match="more than 64 levels"):
        run.log({"x": 5.0, "deep": nested(1000)})
    cyclic: dict = {"x": 1.0}
    cyclic["self"] = cyclic
    with pytest.raises(LimitExceededError, match="contains itself"):
        run.log(cyclic)
    run.log({"x": 2.0})
    table = finished_history(run)
    assert run.state == "finished"
    assert table.column("/".join("a" * 65)).to_pylist() == [1.0, None]
    assert table.column("x").to_pylist() == [None, 2.0]


def test_a_million_keys_in_one_log_are_refused_at_once_naming_the_per_run_limit(store):
    # Issue 15: 10**6 keys took 6 s in log() and 246 s and 8 GB at finish().
    run = sg.init(project="p")
    row = {f"k{i}": 1.0 for i in range(1_000_000)}
    started = time.process_time()  # CPU time: the bound is about the work, not the machine's load
    with pytest.raises(LimitExceededError, match=r"1000000 distinct metric keys; a run holds at most 100000"):
        run.log(row)
    assert time.process_time() - started < 2.0
    started = time.process_time()  # CPU time: the bound is about the work, not the machine's load
    with pytest.raises(LimitExceededError, match=r"more than 100000 metric keys in one row"):
        run.log({"nested": row})
    assert time.process_time() - started < 2.0
    del row
    run.log({"x": 1.0})
    assert finished_history(run).column_names == ["_step", "_timestamp", "_runtime", "x"]


def test_the_key_limit_counts_every_key_the_run_has_logged(store, monkeypatch):
    monkeypatch.setattr("spyglass.rows.history.MAX_KEYS_PER_RUN", 50)
    run = sg.init(project="p")
    run.log({f"a{i}": 1.0 for i in range(40)})
    run.log({f"a{i}": 2.0 for i in range(40)})  # known keys do not count twice
    with pytest.raises(LimitExceededError, match="51 distinct metric keys; a run holds at most 50"):
        run.log({f"b{i}": 1.0 for i in range(11)})
    run.log({f"b{i}": 1.0 for i in range(10)})
    assert finished_history(run).num_columns == 3 + 50


def test_storing_many_keys_takes_time_linear_in_their_number(store):
    # CPU time of the whole process (flusher thread included), so another process's load does not count.
    def cost(keys: int) -> float:
        started = time.process_time()
        run = sg.init(project="p", settings={"system_metrics": False})
        run.log({f"metric/{i:06d}": float(i) for i in range(keys)})
        run.log({f"metric/{i:06d}": float(i) for i in range(keys)})
        run.finish()
        return time.process_time() - started

    cost(500)  # warm-up: imports and first-use costs
    small, large = min(cost(2_000) for _ in range(2)), min(cost(8_000) for _ in range(2))
    assert large < 8 * small, (small, large)  # 4x the keys; quadratic storing would cost about 16x


def test_a_step_beyond_2_to_the_53_is_refused_and_later_rows_keep_their_steps(store):
    # Found by tests/torture: step=2**64 was accepted, and every later row then failed to store.
    run = sg.init(project="p")
    run.log({"x": 1.0}, step=2**53 - 2, commit=True)
    with pytest.raises(LimitExceededError, match=r"step must be at most 9007199254740991"):
        run.log({"x": 2.0}, step=2**64)
    run.log({"x": 3.0})
    table = finished_history(run)
    assert run.state == "finished"
    assert table.column("_step").to_pylist() == [2**53 - 2, 2**53 - 1]


class Label(str):
    """A str subclass, as enum-like label types are."""


def test_str_subclass_values_are_checked_on_the_fast_path_too(store):
    run = sg.init(project="p")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i in range(5):
            run.log({"label": Label(f"l{i}\udcff"), "x": float(i)})
        run.finish()
    assert [w.category for w in caught] == [TextReplacedWarning]
    assert finished_history(run).column("label").to_pylist() == [f"l{i}\ufffd" for i in range(5)]
