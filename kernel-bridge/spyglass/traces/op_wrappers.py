"""@sg.op: record each call of a function or method (sync, async, generator, async generator) as a call.

The wrapper returns what the function returns and raises what it raises, the same objects; recording never
fails the call (a failure inside the recorder is a warning, once). Generators are one call from their first
step to their end, with the yielded items as output; the call is the current one while the body runs, so
ops it calls are its children. Cost per call: bench/op_overhead.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

from .call_record import ERROR, SUCCESS, CallRecord, current_attributes, current_call, numbers
from .trace_destination import session_for_root_call
from .value_encoding import IMMUTABLE_TYPES as _IMMUTABLE
from .value_encoding import PLAIN_TYPES as _PLAIN
from .value_encoding import REDACTED, collected, encode, encode_named, is_secret_name, type_name

F = TypeVar("F", bound=Callable[..., Any])

_time_ns = time.time_ns
_current_thread = threading.current_thread


class TracingFailedWarning(UserWarning):
    """Spyglass could not record a call; the call itself ran as usual."""


_warned = False


def _warn_once(error: BaseException) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(
            f"a call could not be traced ({type(error).__name__}: {error})",
            TracingFailedWarning,
            stacklevel=4,
        )


class OpSpec:
    """What the wrapper needs to know about the function, worked out once when it is decorated."""

    __slots__ = ("name", "positional", "varargs")

    def __init__(self, function: Callable[..., Any], name: str | None) -> None:
        self.name = name or function.__qualname__.split("<locals>.")[-1]
        try:
            parameters = list(inspect.signature(function).parameters.values())
        except (TypeError, ValueError):  # a builtin without a signature: inputs as args and kwargs
            parameters = []
        positional_kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        # (name, redacted) per positional parameter: the secret check runs once, here.
        self.positional = tuple(
            (p.name, is_secret_name(p.name)) for p in parameters if p.kind in positional_kinds
        )
        variadic = [p.name for p in parameters if p.kind is inspect.Parameter.VAR_POSITIONAL]
        self.varargs = variadic[0] if variadic else "args"

    def inputs(self, args: tuple[Any, ...], kwargs: dict[str, Any], sink: Any) -> dict[str, Any]:
        """The arguments by parameter name, encoded (secrets redacted by name)."""
        inputs = {}
        for (name, secret), value in zip(self.positional, args, strict=False):
            if secret:
                inputs[name] = REDACTED
            elif type(value) in _PLAIN:
                inputs[name] = value
            else:
                inputs[name] = encode(value, sink)
        if len(args) > len(self.positional):
            inputs[self.varargs] = [encode(value, sink) for value in args[len(self.positional) :]]
        if kwargs:
            for name, value in kwargs.items():
                inputs[name] = encode_named(name, value, sink)
        return inputs


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


def _start(spec: OpSpec, args: tuple[Any, ...], kwargs: dict[str, Any]) -> CallRecord | None:
    started = _time_ns()
    try:
        parent = current_call.get()
        if parent is None:
            session = session_for_root_call()
            if session is None:
                return None
        else:
            session = parent.session
            if session.closed:
                return None
        record = CallRecord(
            session,
            next(numbers),
            parent,
            spec,
            args,
            kwargs,
            current_attributes.get(),
            _current_thread(),
            started,
        )
        for value in args:
            if type(value) not in _IMMUTABLE:
                record.encoded_inputs()  # a value that may change after the call: encoded now
                break
        else:
            if kwargs:
                for value in kwargs.values():
                    if type(value) not in _IMMUTABLE:
                        record.encoded_inputs()
                        break
        session.open_calls[record.number] = record  # what a flush writes as "running" if it outlives it
        return record
    except Exception as error:
        _warn_once(error)
        return None


def _end(record: CallRecord, output: Any) -> None:
    record.ended_ns = _time_ns()
    try:
        if type(output) in _IMMUTABLE:
            record.output = output
            record.output_pending = True
        else:
            record.output = encode(output, record.session)
        record.status = SUCCESS
        record.session.call_ended(record)
    except Exception as error:
        _warn_once(error)


def _fail(record: CallRecord, error: BaseException) -> None:
    record.ended_ns = _time_ns()
    try:
        try:
            message = str(error)
        except Exception:
            message = "<str() of the exception raised>"
        record.exception = f"{type_name(error)}: {message}" if message else type_name(error)
        record.status = ERROR
        record.session.call_ended(record)
    except Exception as problem:
        _warn_once(problem)


def _task_name() -> str | None:
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return None
    return None if task is None else task.get_name()


def _function_wrapper(function: Callable[..., Any], spec: OpSpec) -> Callable[..., Any]:
    def traced(*args: Any, **kwargs: Any) -> Any:
        record = _start(spec, args, kwargs)
        if record is None:
            return function(*args, **kwargs)
        token = current_call.set(record)
        try:
            output = function(*args, **kwargs)
        except BaseException as error:
            current_call.reset(token)
            _fail(record, error)
            raise
        current_call.reset(token)
        _end(record, output)
        return output

    return traced


def _coroutine_wrapper(function: Callable[..., Any], spec: OpSpec) -> Callable[..., Any]:
    async def traced(*args: Any, **kwargs: Any) -> Any:
        record = _start(spec, args, kwargs)
        if record is None:
            return await function(*args, **kwargs)
        record.task = _task_name()
        token = current_call.set(record)
        try:
            output = await function(*args, **kwargs)
        except BaseException as error:
            current_call.reset(token)
            _fail(record, error)
            raise
        current_call.reset(token)
        _end(record, output)
        return output

    return traced


def _generator_wrapper(function: Callable[..., Any], spec: OpSpec) -> Callable[..., Any]:
    def traced(*args: Any, **kwargs: Any) -> Any:
        record = _start(spec, args, kwargs)
        if record is None:
            return (yield from function(*args, **kwargs))
        generator = function(*args, **kwargs)
        items: list[Any] = []
        sent: Any = None
        thrown: BaseException | None = None
        while True:
            token = current_call.set(record)
            try:
                item = generator.send(sent) if thrown is None else generator.throw(thrown)
            except StopIteration as stop:
                current_call.reset(token)
                _end_with_items(record, items)
                return stop.value
            except BaseException as error:
                current_call.reset(token)
                _fail(record, error)
                raise
            current_call.reset(token)
            _collect(record, items, item)
            thrown = None
            try:
                sent = yield item
            except GeneratorExit:
                token = current_call.set(record)
                try:
                    generator.close()  # the consumer stopped early: run the body's cleanup inside the call
                finally:
                    current_call.reset(token)
                    _end_with_items(record, items)
                raise
            except BaseException as error:
                thrown = error

    return traced


def _async_generator_wrapper(function: Callable[..., Any], spec: OpSpec) -> Callable[..., Any]:
    async def traced(*args: Any, **kwargs: Any) -> Any:
        record = _start(spec, args, kwargs)
        generator = function(*args, **kwargs)
        if record is not None:
            record.task = _task_name()
        items: list[Any] = []
        sent: Any = None
        thrown: BaseException | None = None
        while True:
            token = current_call.set(record) if record is not None else None
            try:
                if thrown is not None:
                    item = await generator.athrow(thrown)
                else:
                    item = await generator.asend(sent)
            except StopAsyncIteration:
                if token is not None:
                    current_call.reset(token)
                    _end_with_items(record, items)
                return
            except BaseException as error:
                if token is not None:
                    current_call.reset(token)
                    _fail(record, error)
                raise
            if token is not None:
                current_call.reset(token)
                _collect(record, items, item)
            thrown = None
            try:
                sent = yield item
            except GeneratorExit:
                token = current_call.set(record) if record is not None else None
                try:
                    await generator.aclose()
                finally:
                    if token is not None:
                        current_call.reset(token)
                        _end_with_items(record, items)
                raise
            except BaseException as error:
                thrown = error

    return traced


def _collect(record: CallRecord, items: list[Any], item: Any) -> None:
    try:
        items.append(encode(item, record.session))
    except Exception as error:
        _warn_once(error)


def _end_with_items(record: CallRecord, items: list[Any]) -> None:
    record.ended_ns = _time_ns()
    try:
        record.output = collected(items, record.session)
        record.status = SUCCESS
        record.session.call_ended(record)
    except Exception as error:
        _warn_once(error)
