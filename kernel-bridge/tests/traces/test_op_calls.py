"""@sg.op records a call tree for functions and methods and changes nothing the caller sees."""

from __future__ import annotations

import pytest
from conftest import by_op, read_calls

import spyglass as sg


@sg.op
def add(a, b):
    return a + b


@sg.op
def pipeline(x):
    return add(add(x, 1), 10)


@sg.op
def fail(message):
    raise ValueError(message)


@sg.op
def recovers():
    try:
        fail("inner")
    except ValueError:
        return "recovered"


class Model:
    def __init__(self, prompt):
        self.prompt = prompt

    @sg.op
    def predict(self, question):
        return f"{self.prompt}: {question}"

    @sg.op
    @classmethod
    def build(cls, prompt):
        return cls(prompt)

    @sg.op
    @staticmethod
    def normalise(text):
        return text.strip()


def test_nested_calls_form_one_tree_with_inputs_outputs_and_times(traced_store):
    root, _ = traced_store
    assert pipeline(1) == 12
    calls = read_calls(root)
    assert [call.op_name for call in calls] == ["pipeline", "add", "add"]
    parent, first, second = calls
    assert parent.parent_id is None and parent.trace_id == parent.id
    assert first.parent_id == parent.id and second.parent_id == parent.id
    assert {call.trace_id for call in calls} == {parent.id}
    assert (parent.inputs, parent.output) == ({"x": 1}, 12)
    assert (first.inputs, first.output, second.inputs, second.output) == (
        {"a": 1, "b": 1},
        2,
        {"a": 2, "b": 10},
        12,
    )
    assert all(call.status == "success" and call.exception is None for call in calls)
    assert parent.started_at <= first.started_at <= first.ended_at <= second.started_at <= parent.ended_at
    assert len({call.id for call in calls}) == 3 and all(len(call.id) == 32 for call in calls)


def test_return_value_is_the_same_object(traced_store):
    marker = object()

    @sg.op
    def identity(value):
        return value

    assert identity(marker) is marker


def test_exception_is_the_same_object_and_recorded(traced_store):
    root, _ = traced_store
    error = KeyError("missing")

    @sg.op
    def raises():
        raise error

    with pytest.raises(KeyError) as caught:
        raises()
    assert caught.value is error
    with pytest.raises(ValueError, match="^boom$"):
        fail("boom")
    assert recovers() == "recovered"
    calls = by_op(read_calls(root))
    assert calls["raises"][0].status == "error"
    assert calls["raises"][0].exception == "KeyError: 'missing'"
    assert calls["raises"][0].output is None
    outer_fail, inner_fail = calls["fail"]
    assert outer_fail.exception == "ValueError: boom" and outer_fail.parent_id is None
    assert inner_fail.parent_id == calls["recovers"][0].id
    assert calls["recovers"][0].status == "success" and calls["recovers"][0].output == "recovered"


def test_methods_classmethods_and_staticmethods(traced_store):
    root, _ = traced_store
    model = Model.build("Answer")
    assert isinstance(model, Model) and model.prompt == "Answer"
    assert model.predict("why?") == "Answer: why?"
    assert Model.normalise("  hi ") == "hi"
    calls = by_op(read_calls(root))
    assert set(calls) == {"Model.build", "Model.predict", "Model.normalise"}
    predict = calls["Model.predict"][0]
    assert predict.inputs["question"] == "why?"
    assert predict.inputs["self"]["_type"] == "repr" and predict.inputs["self"]["type"].endswith("Model")
    assert calls["Model.normalise"][0].inputs == {"text": "  hi "}
    assert calls["Model.build"][0].inputs["prompt"] == "Answer"


def test_named_op_varargs_and_kwargs(traced_store):
    root, _ = traced_store

    @sg.op(name="custom")
    def gather(first, *rest, **options):
        return [first, *rest, options]

    assert gather(1, 2, 3, flag=True) == [1, 2, 3, {"flag": True}]
    (call,) = read_calls(root)
    assert call.op_name == "custom"
    assert call.inputs == {"first": 1, "rest": [2, 3], "flag": True}
    assert gather.__name__ == "gather" and gather.__wrapped__ is not None


def test_attributes_apply_inside_the_block_and_nest(traced_store):
    root, _ = traced_store
    with sg.attributes({"env": "test", "user": "ada"}):
        add(1, 1)
        with sg.attributes({"user": "bob", "tries": 2}):
            add(2, 2)
    add(3, 3)
    first, second, third = read_calls(root)
    assert first.attributes == {"env": "test", "user": "ada"}
    assert second.attributes == {"env": "test", "user": "bob", "tries": 2}
    assert third.attributes == {}
    with pytest.raises(sg.traces.AttributesError, match="dict"), sg.attributes(["not", "a", "dict"]):
        pass
    with pytest.raises(sg.traces.AttributesError, match="strings"), sg.attributes({1: "x"}):
        pass


def test_ops_without_a_session_run_untraced(store):
    sg.finish_traces()
    assert pipeline(1) == 12
    assert not (store / "proj").exists()


def test_calls_inside_a_run_go_to_the_runs_trace_session(store):
    run = sg.init(project="runproj", dir=store)
    try:
        assert pipeline(2) == 13
        calls = read_calls(store, "runproj")
    finally:
        run.finish()
        sg.finish_traces()
    assert [call.op_name for call in calls] == ["pipeline", "add", "add"]
    assert {call.run_id for call in calls} == {run.id} and {call.session_id for call in calls} == {run.id}
    assert (store / "runproj" / ".traces" / run.id / "calls.parquet").is_file()
    assert len(sg.Api(dir=store).runs("runproj")) == 1  # the trace directory is not taken for a run
