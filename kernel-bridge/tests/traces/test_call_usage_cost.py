"""The hook integrations build on: current_call() inside an op, its usage and cost stored with the call."""

from __future__ import annotations

import asyncio

import pytest
from conftest import by_op, read_calls

import spyglass as sg
from spyglass.traces import current_call


def test_usage_and_cost_set_inside_an_op_are_read_back(traced_store):
    root, _ = traced_store
    seen = []

    @sg.op
    def llm(prompt):
        record = current_call()
        seen.append(record)
        usage = {"input_tokens": 12, "output_tokens": 3, "model": "tiny"}
        record.usage = usage
        usage["input_tokens"] = 999  # changed after setting: the value set is what is stored
        record.cost = 0.00042
        return "ok"

    @sg.op
    def agent():
        assert current_call() is not None and current_call().op_name == "agent"
        return llm("hi")

    assert current_call() is None
    assert agent() == "ok"
    assert current_call() is None
    calls = by_op(read_calls(root))
    [stored] = calls["llm"]
    assert stored.id == seen[0].id
    assert stored.usage == {"input_tokens": 12, "output_tokens": 3, "model": "tiny"}
    assert stored.cost == pytest.approx(0.00042)
    [parent] = calls["agent"]
    assert parent.usage is None and parent.cost is None
    assert [call.id for call in read_calls(root, **{"usage.input_tokens": 12})] == [stored.id]
    frame = sg.Api(dir=root).calls("proj").to_pandas()
    assert frame.set_index("op_name").loc["llm", "usage"]["output_tokens"] == 3


def test_usage_set_on_a_failing_call_and_in_async_tasks_is_kept(traced_store):
    root, _ = traced_store

    @sg.op
    def fails():
        current_call().usage = {"input_tokens": 5}
        current_call().cost = 1
        raise RuntimeError("boom")

    @sg.op
    async def step(index):
        await asyncio.sleep(0)
        current_call().usage = {"input_tokens": index}

    @sg.op
    async def fan_out():
        await asyncio.gather(*(step(index) for index in range(3)))

    with pytest.raises(RuntimeError):
        fails()
    asyncio.run(fan_out())
    calls = by_op(read_calls(root))
    [failed] = calls["fails"]
    assert (failed.status, failed.usage, failed.cost) == ("error", {"input_tokens": 5}, 1.0)
    assert sorted(call.usage["input_tokens"] for call in calls["step"]) == [0, 1, 2]


def test_bad_usage_or_cost_is_a_clear_error_and_no_call_is_lost(traced_store):
    root, _ = traced_store
    errors = []

    @sg.op
    def llm():
        record = current_call()
        for name, value in (("usage", [1, 2]), ("cost", "0.1"), ("cost", True), ("cost", float("nan"))):
            try:
                setattr(record, name, value)
            except (TypeError, ValueError) as error:
                errors.append(str(error))
        return "ok"

    assert llm() == "ok"
    assert len(errors) == 4
    assert "usage is a dict" in errors[0] and "cost is a number" in errors[1] and "finite" in errors[3]
    [stored] = read_calls(root)
    assert (stored.output, stored.usage, stored.cost) == ("ok", None, None)


def test_current_call_is_none_without_a_session(store):
    @sg.op
    def untraced():
        return current_call()

    assert untraced() is None
