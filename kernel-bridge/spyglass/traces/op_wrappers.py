"""@sg.op: record each call of a function or method (sync, async, generator, async generator) as a call.

The wrapper returns what the function returns and raises what it raises, the same objects; recording never
fails the call (call_lifecycle.py). Generators are one call from their first step to their end, with the
yielded items as output; the call is the current one while the body runs, so ops it calls are its children.
The generator and async generator drivers mirror each other (send/throw against asend/athrow), as contextlib's
sync and async context managers do. Cost per call: bench/op_overhead.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from .call_lifecycle import (
    OpSpec,
    collect_item,
    end_call,
    end_with_items,
    fail_call,
    start_call,
    task_name,
)
from .call_record import running_call
from .value_encoding import type_name

F = TypeVar("F", bound=Callable[..., Any])


def op(function: F | None = None, *, name: str | None = None) -> Any:
    """Trace calls of `function` (`@sg.op`, `@sg.op()` or `@sg.op(name="...")`); methods work too."""
    if function is None:
        return lambda inner: op(inner, name=name)
    if isinstance(function, (classmethod, staticmethod)):
        return type(function)(op(function.__func__, name=name))
    if not callable(function):
        raise TypeError(f"@sg.op decorates a function or method, got {type_name(function)}")
    spec = OpSpec(function, name)
    if inspect.isasyncgenfunction(function):
        wrapper = _async_generator_wrapper(function, spec)
    elif inspect.iscoroutinefunction(function):
        wrapper = _coroutine_wrapper(function, spec)
    elif inspect.isgeneratorfunction(function):
        wrapper = _generator_wrapper(function, spec)
    else:
        wrapper = _function_wrapper(function, spec)
    wrapper = functools.wraps(function)(wrapper)
    wrapper.__spyglass_op__ = spec
    return wrapper


def _function_wrapper(function: Callable[..., Any], spec: OpSpec) -> Callable[..., Any]:
    def traced(*args: Any, **kwargs: Any) -> Any:
        record = start_call(spec, args, kwargs)
        if record is None:
            return function(*args, **kwargs)
        token = running_call.set(record)
        try:
            output = function(*args, **kwargs)
        except BaseException as error:
            running_call.reset(token)
            fail_call(record, error)
            raise
        running_call.reset(token)
        end_call(record, output)
        return output

    return traced


def _coroutine_wrapper(function: Callable[..., Any], spec: OpSpec) -> Callable[..., Any]:
    async def traced(*args: Any, **kwargs: Any) -> Any:
        record = start_call(spec, args, kwargs)
        if record is None:
            return await function(*args, **kwargs)
        record.task = task_name()
        token = running_call.set(record)
        try:
            output = await function(*args, **kwargs)
        except BaseException as error:
            running_call.reset(token)
            fail_call(record, error)
            raise
        running_call.reset(token)
        end_call(record, output)
        return output

    return traced


def _generator_wrapper(function: Callable[..., Any], spec: OpSpec) -> Callable[..., Any]:
    def traced(*args: Any, **kwargs: Any) -> Any:
        record = start_call(spec, args, kwargs)
        if record is None:
            return (yield from function(*args, **kwargs))
        generator = function(*args, **kwargs)
        items: list[Any] = []
        sent: Any = None
        thrown: BaseException | None = None
        while True:
            token = running_call.set(record)
            try:
                item = generator.send(sent) if thrown is None else generator.throw(thrown)
            except StopIteration as stop:
                running_call.reset(token)
                end_with_items(record, items)
                return stop.value
            except BaseException as error:
                running_call.reset(token)
                fail_call(record, error)
                raise
            running_call.reset(token)
            collect_item(record, items, item)
            thrown = None
            try:
                sent = yield item
            except GeneratorExit:
                token = running_call.set(record)
                try:
                    generator.close()  # the consumer stopped early: run the body's cleanup inside the call
                finally:
                    running_call.reset(token)
                    end_with_items(record, items)
                raise
            except BaseException as error:
                thrown = error

    return traced


def _async_generator_wrapper(function: Callable[..., Any], spec: OpSpec) -> Callable[..., Any]:
    async def traced(*args: Any, **kwargs: Any) -> Any:
        record = start_call(spec, args, kwargs)
        generator = function(*args, **kwargs)
        if record is not None:
            record.task = task_name()
        items: list[Any] = []
        sent: Any = None
        thrown: BaseException | None = None
        while True:
            token = running_call.set(record) if record is not None else None
            try:
                if thrown is not None:
                    item = await generator.athrow(thrown)
                else:
                    item = await generator.asend(sent)
            except StopAsyncIteration:
                if token is not None:
                    running_call.reset(token)
                    end_with_items(record, items)
                return
            except BaseException as error:
                if token is not None:
                    running_call.reset(token)
                    fail_call(record, error)
                raise
            if token is not None:
                running_call.reset(token)
                collect_item(record, items, item)
            thrown = None
            try:
                sent = yield item
            except GeneratorExit:
                token = running_call.set(record) if record is not None else None
                try:
                    await generator.aclose()
                finally:
                    if token is not None:
                        running_call.reset(token)
                        end_with_items(record, items)
                raise
            except BaseException as error:
                thrown = error

    return traced
