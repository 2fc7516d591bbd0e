"""Tracing LiteLLM: litellm.completion and litellm.acompletion, streams included.

LiteLLM's stream is its own CustomStreamWrapper, iterated through `__next__`/`__anext__` (no inner iterator to
wrap per object): those methods are traced on the class, and act only for a stream a traced call returned
(marked by an attribute). A stream dropped before its end ends its call when it is garbage collected. The
openai client LiteLLM calls inside is not recorded again (llm_calls._inside_llm_call).
"""

from __future__ import annotations

import functools
import importlib
import weakref
from collections.abc import Callable
from typing import Any

from .llm_calls import LLMKind, StreamTrace, end_response, warn_once
from .method_patching import patch, traced_callable
from .stream_accumulators import ChatChunks

COMPLETION = LLMKind("litellm.completion", "litellm", ChatChunks)
ACOMPLETION = LLMKind("litellm.acompletion", "litellm", ChatChunks)
_MARK = "_spyglass_stream_trace"


def _stream_class() -> type:
    return importlib.import_module("litellm.litellm_core_utils.streaming_handler").CustomStreamWrapper


def _finish_litellm(record: Any, kind: LLMKind, request_model: Any, result: Any) -> bool:
    """Mark a CustomStreamWrapper for its traced __next__; True when `result` was one."""
    if not isinstance(result, _stream_class()):
        return False
    try:
        trace = StreamTrace(record, kind, request_model)
        setattr(result, _MARK, trace)
        weakref.finalize(result, trace.end, complete=False)
    except Exception as error:
        warn_once(error)
        end_response(record, kind, request_model, result)
    return True


def _traced_next(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def __next__(self: Any) -> Any:
        trace = self.__dict__.get(_MARK)
        if trace is None:
            return original(self)
        try:
            item = original(self)
        except StopIteration:
            trace.end(complete=True)
            raise
        except BaseException as error:
            trace.fail(error)
            raise
        trace.add(item)
        return item

    __next__.__spyglass_original__ = original
    return __next__


def _traced_anext(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    async def __anext__(self: Any) -> Any:
        trace = self.__dict__.get(_MARK)
        if trace is None:
            return await original(self)
        try:
            item = await original(self)
        except StopAsyncIteration:
            trace.end(complete=True)
            raise
        except BaseException as error:
            trace.fail(error)
            raise
        trace.add(item)
        return item

    __anext__.__spyglass_original__ = original
    return __anext__


def patch_litellm() -> None:
    """Trace litellm.completion/acompletion (idempotent; needs the litellm package imported)."""
    litellm = importlib.import_module("litellm")
    for name, kind, asynchronous in (("completion", COMPLETION, False), ("acompletion", ACOMPLETION, True)):
        patch(
            litellm,
            name,
            lambda original, kind=kind, asynchronous=asynchronous: traced_callable(
                original, kind, lambda: (), bound=False, asynchronous=asynchronous, finish=_finish_litellm
            ),
        )
    stream_class = _stream_class()
    patch(stream_class, "__next__", _traced_next)
    patch(stream_class, "__anext__", _traced_anext)
