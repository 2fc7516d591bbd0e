"""Tracing the official `anthropic` client: messages.create (sync, async, stream=True) and messages.stream.

`messages.stream(...)` returns the SDK's stream manager unchanged; the request it makes when entered
(`with ... as stream`) is the traced call, its raw events folded into the message (MessageEvents).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

from .llm_calls import (
    LLMKind,
    await_recorded,
    end_or_follow_stream,
    method_spec,
    run_recorded,
    start,
    warn_once,
)
from .method_patching import closing_ends_call, patch, traced_callable
from .stream_accumulators import MessageEvents

CREATE = LLMKind("anthropic.messages.create", "anthropic", MessageEvents)
STREAM = LLMKind("anthropic.messages.stream", "anthropic", MessageEvents)
# Where the stream managers keep the request they make when entered (name-mangled private attributes).
_REQUEST_ATTRIBUTES = ("_MessageStreamManager__api_request", "_AsyncMessageStreamManager__api_request")


def _stream_types() -> tuple[type, ...]:
    import anthropic

    return (anthropic.Stream, anthropic.AsyncStream)


def _traced_request(request: Any, arguments: tuple[tuple[Any, ...], dict[str, Any]]) -> Any:
    args, kwargs = arguments
    spec = method_spec(STREAM)
    model = kwargs.get("model")

    def done(record: Any) -> Callable[[Any], None]:
        return lambda raw: end_or_follow_stream(record, STREAM, model, raw, _stream_types())

    if callable(request):  # sync: called by MessageStreamManager.__enter__

        def traced() -> Any:
            record = start(spec, args, kwargs)
            return request() if record is None else run_recorded(record, request, done(record))

        return traced

    async def traced_async() -> Any:  # async: the coroutine awaited by __aenter__
        record = start(spec, args, kwargs, in_task=True)
        if record is None:
            return await request
        return await await_recorded(record, lambda: request, done(record))

    return traced_async()


def _traced_stream(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def stream(self: Any, *args: Any, **kwargs: Any) -> Any:
        manager = original(self, *args, **kwargs)
        try:
            for attribute in _REQUEST_ATTRIBUTES:
                if hasattr(manager, attribute):
                    setattr(manager, attribute, _traced_request(getattr(manager, attribute), (args, kwargs)))
                    break
        except Exception as error:
            warn_once(error)
        return manager

    stream.__spyglass_original__ = original
    return stream


def patch_anthropic() -> None:
    """Trace the anthropic client's calls (idempotent; needs the anthropic package imported)."""
    module = importlib.import_module("anthropic.resources.messages")
    for class_name, asynchronous in (("Messages", False), ("AsyncMessages", True)):
        owner = getattr(module, class_name)
        patch(
            owner,
            "create",
            lambda original, asynchronous=asynchronous: traced_callable(
                original, CREATE, _stream_types, bound=True, asynchronous=asynchronous
            ),
        )
        patch(owner, "stream", _traced_stream)
    anthropic_module = importlib.import_module("anthropic")
    patch(anthropic_module.Stream, "close", lambda original: closing_ends_call(original, asynchronous=False))
    patch(
        anthropic_module.AsyncStream, "close", lambda original: closing_ends_call(original, asynchronous=True)
    )
