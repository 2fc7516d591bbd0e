"""The writer builds a frame's inputs and outputs a column at a time: every row must read as the value passed.

The column paths (a column of ints, floats, strings, None; one op or many; kept or encoded arguments) and the
per-record path must give the same JSON, and the stored calls must hold what was passed.
"""

from __future__ import annotations

import json
import math

from conftest import by_op, read_calls

import spyglass as sg
from spyglass.traces import REDACTED, current_call
from spyglass.traces.json_columns import inputs_column, kept_column
from spyglass.traces.value_encoding import kept_json


@sg.op
def pair(a, b):
    return a


@sg.op
def single(value=None):
    return value


@sg.op
def secret(prompt, api_key):
    return prompt


@sg.op
def spread(first, *rest, **options):
    return len(rest)


LONG = "é" * 70_000  # over the inline limit: a reference, made by the writer thread
# (arguments, expected inputs, expected output) per call of pair/single.
CASES = [
    ((1, 2), {"a": 1, "b": 2}, 1),
    ((1.5, -2), {"a": 1.5, "b": -2}, 1.5),
    ((math.nan, math.inf), {"a": "NaN", "b": "Infinity"}, "NaN"),
    ((True, None), {"a": True, "b": None}, True),
    (('quote " and \\ and \n', "ünïcode ✓"), {"a": 'quote " and \\ and \n', "b": "ünïcode ✓"}, None),
    ((2**70, False), {"a": 2**70, "b": False}, 2**70),
    (([1, {"x": 2}], 3), {"a": [1, {"x": 2}], "b": 3}, [1, {"x": 2}]),  # encoded in the call
]


def test_a_mixed_frame_reads_back_as_passed(traced_store):
    root, session = traced_store
    for args, _, _ in CASES:
        pair(*args)
    single()
    single(7)
    single(value="by keyword")
    secret("hi", "sk-very-secret")
    spread(1, 2, 3, flag=True)
    single(LONG)
    session.flush()  # one frame holds every call above (they ended before the writer's next turn or at it)
    calls = by_op(read_calls(root))
    pairs = calls["pair"]
    for call, (_, inputs, output) in zip(pairs, CASES, strict=True):
        assert call.inputs == inputs
        if output is not None:
            assert call.output == output
    assert pairs[4].output == 'quote " and \\ and \n'
    assert [call.inputs for call in calls["single"][:3]] == [{}, {"value": 7}, {"value": "by keyword"}]
    assert [call.output for call in calls["single"][:3]] == [None, 7, "by keyword"]
    assert calls["secret"][0].inputs == {"prompt": "hi", "api_key": REDACTED}
    assert calls["spread"][0].inputs == {"first": 1, "rest": [2, 3], "flag": True}
    long_call = calls["single"][3]
    for reference in (long_call.inputs["value"], long_call.output):
        assert (reference["_type"], reference["kind"], reference["length"]) == ("ref", "text", 70_000)
        assert (session.path / reference["path"]).read_text("utf-8") == LONG
    assert b"sk-very-secret" not in (session.path / "calls.sglog").read_bytes()


def column_of(records, session):
    """inputs_column over the records' fields, as build_batch passes them."""
    names = ("spec", "args", "kwargs", "inputs")
    fields = [tuple(getattr(record, name) for record in records) for name in names]
    texts = inputs_column(records, (session,) * len(records), *fields)
    return texts if isinstance(texts, list) else texts.to_pylist()  # an Arrow array for one op


def test_column_paths_give_the_same_json_as_each_record(traced_store):
    _, session = traced_store
    records = []

    @sg.op
    def pair_kept(a, b):
        records.append(current_call())

    @sg.op
    def other(value, api_key=None, *rest, **options):
        records.append(current_call())

    for args, _, _ in CASES:
        pair_kept(*args)
    for index in range(50):  # a run of one op and argument count, then others mixed in
        pair_kept(index, index * 0.5)
        pair_kept(index - 25, f"text {index}")
        pair_kept(-index, index * 3)
    pair_kept(2**70, 1)  # past 64 bits
    other("x")
    other("hi", "key")
    other(1, None, 2)
    pair_kept(1, b=2)
    other(LONG)
    per_record = [record.inputs_json() for record in records]
    assert column_of(records, session) == per_record
    same_op = [record for record in records if record.op_name == "pair_kept" and record.inputs is None]
    assert column_of(same_op, session) == [record.inputs_json() for record in same_op]
    ints = [record for record in same_op if {type(v) for v in record.args} == {int} and not record.kwargs]
    small = [record for record in ints if record.args[0] != 2**70]
    assert len(small) == 51 and len(ints) == 52
    for chosen in (ints, small):  # with and without the int past 64 bits: one op, one argument count
        assert column_of(chosen, session) == [record.inputs_json() for record in chosen]
    assert json.loads(column_of(ints, session)[-1]) == {"a": 2**70, "b": 1}
    for values in (
        [1, 2, 3],
        [1.5, 2.0],
        [1.5, math.nan],
        ["a", 'b"'],
        [None, None],
        [True, 1],
        [1, "a", None],
    ):
        assert kept_column(values, [session] * len(values)) == [kept_json(value, session) for value in values]
    assert [json.loads(text) for text in per_record[:2]] == [{"a": 1, "b": 2}, {"a": 1.5, "b": -2}]
    assert json.loads(per_record[-4])["api_key"] == REDACTED
