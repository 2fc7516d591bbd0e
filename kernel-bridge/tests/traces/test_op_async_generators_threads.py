"""@sg.op on coroutines, generators and async generators, and calls made from threads and tasks."""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import threading

import pytest
from conftest import by_op, read_calls

import spyglass as sg


@sg.op
def double(x):
    return 2 * x


@sg.op
async def slow_double(x):
    await asyncio.sleep(0.01)
    return double(x)


@sg.op
async def fan_out(values):
    return await asyncio.gather(*(slow_double(value) for value in values))


def test_coroutines_nest_across_gathered_tasks(traced_store):
    root, _ = traced_store
    assert asyncio.run(fan_out([1, 2, 3])) == [2, 4, 6]
    calls = by_op(read_calls(root))
    (parent,) = calls["fan_out"]
    assert parent.output == [2, 4, 6] and parent.task is not None
    children = calls["slow_double"]
    assert len(children) == 3 and {child.parent_id for child in children} == {parent.id}
    assert len({child.task for child in children}) == 3  # each gathered coroutine ran in its own task
    grandchildren = calls["double"]
    assert {call.parent_id for call in grandchildren} == {child.id for child in children}
    assert {call.trace_id for call in children + grandchildren} == {parent.id}


def test_cancelled_coroutine_raises_as_usual_and_is_recorded(traced_store):
    root, _ = traced_store

    @sg.op
    async def forever():
        await asyncio.sleep(60)

    async def main():
        task = asyncio.ensure_future(forever())
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    (call,) = read_calls(root)
    assert call.status == "error" and call.exception.startswith("asyncio.exceptions.CancelledError")


@sg.op
def count_up(limit):
    total = 0
    try:
        for index in range(limit):
            received = yield double(index)
            if received is not None:
                total += received
    finally:
        count_up.cleaned = True
    return total


def test_generator_is_one_call_with_its_items_and_children(traced_store):
    root, _ = traced_store
    assert list(count_up(3)) == [0, 2, 4]
    calls = by_op(read_calls(root))
    (generator,) = calls["count_up"]
    assert generator.output == [0, 2, 4] and generator.status == "success"
    assert [call.parent_id for call in calls["double"]] == [generator.id] * 3


def test_generator_send_throw_and_early_close_behave_as_without_tracing(traced_store):
    root, _ = traced_store
    generator = count_up(5)
    assert next(generator) == 0
    assert generator.send(10) == 2
    assert [generator.send(None) for _ in range(3)] == [4, 6, 8]
    with pytest.raises(StopIteration) as stopped:
        generator.send(1)
    assert stopped.value.value == 11  # the generator's return value comes through
    count_up.cleaned = False
    early = count_up(100)
    assert next(early) == 0 and next(early) == 2
    early.close()
    assert count_up.cleaned  # the body's finally ran on close

    @sg.op
    def catches():
        try:
            yield 1
        except KeyError:
            yield "caught"

    thrower = catches()
    assert next(thrower) == 1
    assert thrower.throw(KeyError("k")) == "caught"
    calls = by_op(read_calls(root))
    first, closed = calls["count_up"]
    assert first.output == [0, 2, 4, 6, 8] and first.status == "success"
    assert closed.output == [0, 2] and closed.status == "success"


def test_generator_exception_propagates_and_is_recorded(traced_store):
    root, _ = traced_store

    @sg.op
    def breaks():
        yield 1
        raise RuntimeError("mid-stream")

    with pytest.raises(RuntimeError, match="mid-stream"):
        list(breaks())
    (call,) = read_calls(root)
    assert call.status == "error" and call.exception == "RuntimeError: mid-stream"


@sg.op
async def stream(limit):
    for index in range(limit):
        await asyncio.sleep(0)
        yield await slow_double(index)


def test_async_generator_is_one_call_with_children(traced_store):
    root, _ = traced_store

    async def main():
        items = [item async for item in stream(3)]
        early = stream(10)
        first = await early.__anext__()
        await early.aclose()
        echoed = await echo().asend(None)
        return items, first, echoed

    @sg.op
    async def echo():
        received = yield "ready"
        yield received

    assert asyncio.run(main()) == ([0, 2, 4], 0, "ready")
    calls = by_op(read_calls(root))
    full, closed = calls["stream"]
    assert full.output == [0, 2, 4] and closed.output == [0]
    assert {call.parent_id for call in calls["slow_double"]} == {full.id, closed.id}


def test_threads_record_their_own_trees_and_context_copies_keep_the_parent(traced_store):
    root, _ = traced_store
    results = {}

    def worker(name):
        results[name] = double(len(name))

    @sg.op
    def parent():
        context = contextvars.copy_context()
        inherited = threading.Thread(target=context.run, args=(worker, "child-of-parent"), name="inheriting")
        inherited.start()
        inherited.join()
        return "done"

    plain = [threading.Thread(target=worker, args=(f"t{i}",), name=f"plain-{i}") for i in range(3)]
    for thread in plain:
        thread.start()
    for thread in plain:
        thread.join()
    assert parent() == "done"
    calls = by_op(read_calls(root))
    (parent_call,) = calls["parent"]
    roots = [call for call in calls["double"] if call.parent_id is None]
    assert sorted(call.thread_name for call in roots) == ["plain-0", "plain-1", "plain-2"]
    assert len({call.thread_id for call in roots}) >= 1 and len({call.trace_id for call in roots}) == 3
    (nested,) = [call for call in calls["double"] if call.parent_id is not None]
    assert nested.parent_id == parent_call.id and nested.thread_name == "inheriting"
    assert nested.thread_id != parent_call.thread_id
    assert results == {"t0": 4, "t1": 4, "t2": 4, "child-of-parent": 30}


def test_wrappers_keep_the_kind_of_function_inspect_sees():
    assert inspect.iscoroutinefunction(slow_double)
    assert inspect.isgeneratorfunction(count_up)
    assert inspect.isasyncgenfunction(stream)
    assert not inspect.iscoroutinefunction(double) and not inspect.isgeneratorfunction(double)
    assert inspect.signature(stream) == inspect.signature(stream.__wrapped__)
