"""One LLM client call as a traced call: its start, its end with usage and cost, and streams consumed later.

The patched client methods (openai_patch.py, anthropic_patch.py, litellm_patch.py) call `traced_call` and
friends. They record through the same lifecycle as @sg.op (a child of the op running, or a root call of the
active trace session; untraced when tracing is off). The client's answer, stream or exception reaches the
caller unchanged: a stream is the same object, its item iterator wrapped to see each item as it passes. A
failure inside the recorder is a TracingFailedWarning and never fails the call.
"""

from __future__ import annotations

import contextvars
import time
import warnings
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..traces import TracingFailedWarning
from ..traces.call_lifecycle import OpSpec, end_call, fail_call, start_call, task_name
from ..traces.call_record import CallRecord
from .pricing import cost_of
from .usage_extraction import field, usage_of

# Set while a traced LLM call runs: an LLM client called by another (LiteLLM calls openai) is not recorded
# twice, nor are its tokens counted twice.
_inside_llm_call: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "spyglass_inside_llm_call", default=False
)
_warned = False
# Streams being traced -> (their trace, a weak reference to the wrapping generator): close() ends the call.
_following: weakref.WeakKeyDictionary[Any, tuple[StreamTrace, Any]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class LLMKind:
    """One traced client method: the op name, the provider, and how its streams are folded."""

    name: str
    provider: str
    accumulator: Callable[[], Any] | None = None


def warn_once(error: BaseException) -> None:
    global _warned
    if not _warned:
        _warned = True
        warnings.warn(
            f"an LLM call could not be traced ({type(error).__name__}: {error}); it ran as usual",
            TracingFailedWarning,
            stacklevel=3,
        )


def _keywords(**kwargs: Any) -> None:
    """The recorded signature of a client method: its keyword arguments by name (self left out)."""


def method_spec(kind: LLMKind) -> OpSpec:
    return OpSpec(_keywords, kind.name)


def start(spec: OpSpec, args: tuple[Any, ...], kwargs: dict[str, Any], *, in_task: bool = False) -> Any:
    """The record of a new LLM call, or None (tracing off, or inside another traced LLM call)."""
    if _inside_llm_call.get():
        return None
    record = start_call(spec, args, kwargs)
    if record is not None and in_task:
        record.task = task_name()
    return record


def run_recorded(record: CallRecord, invoke: Callable[[], Any], done: Callable[[Any], None]) -> Any:
    """`invoke()` as the recorded call: its exception fails the call and is raised; then `done(result)`."""
    token = _inside_llm_call.set(True)
    try:
        result = invoke()
    except BaseException as error:
        _inside_llm_call.reset(token)
        fail_call(record, error)
        raise
    _inside_llm_call.reset(token)
    done(result)
    return result


async def await_recorded(record: CallRecord, invoke: Callable[[], Any], done: Callable[[Any], None]) -> Any:
    """run_recorded for `await invoke()`."""
    token = _inside_llm_call.set(True)
    try:
        result = await invoke()
    except BaseException as error:
        _inside_llm_call.reset(token)
        fail_call(record, error)
        raise
    _inside_llm_call.reset(token)
    done(result)
    return result


def end_response(record: CallRecord, kind: LLMKind, request_model: Any, response: Any) -> None:
    """End a call that returned its whole answer: usage, cost and model read from the response."""
    try:
        usage = usage_of(response)
        model = field(response, "model") or request_model
        _annotate(record, kind, model, usage, stream=False)
    except Exception as error:
        warn_once(error)
    end_call(record, response)


def end_stream(
    record: CallRecord, kind: LLMKind, request_model: Any, folded: Any, first_ns: int | None, complete: bool
) -> None:
    """End a streamed call once its items are consumed (or the consumer stopped: complete=False)."""
    output = None
    try:
        usage = folded.usage()
        extra: dict[str, Any] = {"stream": True}
        if first_ns is not None:
            extra["time_to_first_token"] = (first_ns - record.started_ns) / 1e9
        if not complete:
            extra["stream_complete"] = False  # the consumer stopped early: the output is what it read
        _annotate(record, kind, folded.model or request_model, usage, **extra)
        output = folded.output()
    except Exception as error:
        warn_once(error)
    end_call(record, output)


def _annotate(record: CallRecord, kind: LLMKind, model: Any, usage: dict | None, **extra: Any) -> None:
    model = model if isinstance(model, str) else None
    record.usage = usage
    record.cost = cost_of(model, usage)
    # attributes set by sg.attributes() are shared between calls: a new dict, never a change to theirs.
    record.attributes = {
        **(record.attributes or {}),
        "llm": {"provider": kind.provider, "model": model, **extra},
    }


class StreamTrace:
    """A streamed call between its start and its end: folds each item, notes when output first came."""

    __slots__ = ("record", "kind", "request_model", "folded", "first_ns", "open")

    def __init__(self, record: CallRecord, kind: LLMKind, request_model: Any) -> None:
        self.record, self.kind, self.request_model = record, kind, request_model
        self.folded = kind.accumulator()
        self.first_ns: int | None = None
        self.open = True

    def add(self, item: Any) -> None:
        try:
            if self.folded.add(item) and self.first_ns is None:
                self.first_ns = time.time_ns()
        except Exception as error:
            warn_once(error)

    def end(self, *, complete: bool) -> None:
        if self.open:
            self.open = False
            end_stream(self.record, self.kind, self.request_model, self.folded, self.first_ns, complete)

    def fail(self, error: BaseException) -> None:
        if self.open:
            self.open = False
            fail_call(self.record, error)


def traced_items(trace: StreamTrace, items: Iterator[Any]) -> Iterator[Any]:
    """The stream's items unchanged; the call ends when they run out, fail, or the consumer stops."""
    try:
        for item in items:
            trace.add(item)
            yield item
    except GeneratorExit:
        trace.end(complete=False)
        raise
    except BaseException as error:
        trace.fail(error)
        raise
    trace.end(complete=True)


async def traced_async_items(trace: StreamTrace, items: AsyncIterator[Any]) -> AsyncIterator[Any]:
    """traced_items for an async stream."""
    try:
        async for item in items:
            trace.add(item)
            yield item
    except GeneratorExit:
        trace.end(complete=False)
        raise
    except BaseException as error:
        trace.fail(error)
        raise
    trace.end(complete=True)


def end_or_follow_stream(
    record: CallRecord, kind: LLMKind, request_model: Any, result: Any, stream_types: tuple
) -> None:
    """After the client returned: a stream of `stream_types` gets its iterator wrapped, else the call ends."""
    if stream_types and isinstance(result, stream_types) and kind.accumulator is not None:
        try:
            items, trace = result._iterator, StreamTrace(record, kind, request_model)
            if hasattr(items, "__anext__"):
                result._iterator = traced_async_items(trace, items)
            else:
                result._iterator = traced_items(trace, items)
            # A weak reference: the generator's frames hold the stream, which would never be let go.
            _following[result] = (trace, weakref.ref(result._iterator))
            return
        except Exception as error:
            warn_once(error)
    end_response(record, kind, request_model, result)


def end_at_close(stream: Any) -> None:
    """The consumer closed `stream` (close(), or leaving `with stream:`): its call ends with what was read.

    A close the stream makes itself while its items are still being read (at their end) is left alone.
    """
    try:
        trace, generator_ref = _following.pop(stream, (None, None))
        generator = generator_ref() if generator_ref is not None else None
        if (
            trace is not None
            and not getattr(generator, "gi_running", False)
            and not getattr(generator, "ag_running", False)
        ):
            trace.end(complete=False)
    except Exception as error:
        warn_once(error)
