"""Replacing a client's method (or module function) by its traced form, and putting the original back.

A traced form keeps the original's name, docstring, signature and sync/async nature (functools.wraps), and
keeps the original under `__spyglass_original__`, so patching twice never wraps a wrapper.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from ..traces.call_lifecycle import OpSpec
from .llm_calls import (
    LLMKind,
    await_recorded,
    end_at_close,
    end_or_follow_stream,
    method_spec,
    run_recorded,
    start,
    warn_once,
)

_patched: list[tuple[Any, str, Any]] = []  # (owner, attribute, original) in patch order


def traced_callable(
    original: Callable[..., Any],
    kind: LLMKind,
    stream_types: Callable[[], tuple[type, ...]],
    *,
    bound: bool,
    asynchronous: bool | None = None,
    finish: Callable[[Any, LLMKind, Any, Any], bool] | None = None,
) -> Callable[..., Any]:
    """`original` traced as `kind`; `bound` methods leave `self` out of the recorded inputs.

    `asynchronous` says the original returns an awaitable (the SDKs' async methods are wrapped by sync
    decorators, so inspect cannot always tell); by default inspect decides. `finish(record, kind, model,
    result)` may take over the end of the call (LiteLLM's streams), returning True when it did.
    """
    spec = method_spec(kind) if bound else OpSpec(original, kind.name)

    def split(args: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        return (args[:1], args[1:]) if bound else ((), args)

    def request_model(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if "model" in kwargs:
            return kwargs["model"]
        return args[0] if not bound and args else None  # litellm.completion(model, messages)

    def done(record: Any, model: Any, result: Any) -> None:
        try:
            if finish is not None and finish(record, kind, model, result):
                return
        except Exception as error:
            warn_once(error)
        end_or_follow_stream(record, kind, model, result, stream_types())

    if asynchronous is None:
        asynchronous = inspect.iscoroutinefunction(original)
    if asynchronous:

        async def traced(*args: Any, **kwargs: Any) -> Any:
            _, rest = split(args)
            record = start(spec, rest, kwargs, in_task=True)
            if record is None:
                return await original(*args, **kwargs)
            model = request_model(rest, kwargs)
            return await await_recorded(
                record, lambda: original(*args, **kwargs), lambda result: done(record, model, result)
            )

    else:

        def traced(*args: Any, **kwargs: Any) -> Any:
            _, rest = split(args)
            record = start(spec, rest, kwargs)
            if record is None:
                return original(*args, **kwargs)
            model = request_model(rest, kwargs)
            return run_recorded(
                record, lambda: original(*args, **kwargs), lambda result: done(record, model, result)
            )

    traced = functools.wraps(original)(traced)
    traced.__spyglass_original__ = original
    return traced


def closing_ends_call(original: Callable[..., Any], *, asynchronous: bool) -> Callable[..., Any]:
    """A stream class's close() that first ends the traced call of that stream (llm_calls.end_at_close)."""
    if asynchronous:

        async def close(self: Any, *args: Any, **kwargs: Any) -> Any:
            end_at_close(self)
            return await original(self, *args, **kwargs)

    else:

        def close(self: Any, *args: Any, **kwargs: Any) -> Any:
            end_at_close(self)
            return original(self, *args, **kwargs)

    close = functools.wraps(original)(close)
    close.__spyglass_original__ = original
    return close


def patch(owner: Any, attribute: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    """Replace `owner.attribute` by `make(original)` unless it is traced already."""
    original = owner.__dict__.get(attribute) if isinstance(owner, type) else getattr(owner, attribute, None)
    if original is None or hasattr(original, "__spyglass_original__"):
        return
    setattr(owner, attribute, make(original))
    _patched.append((owner, attribute, original))


def unpatch_all() -> None:
    """Put every original back (latest first)."""
    while _patched:
        owner, attribute, original = _patched.pop()
        setattr(owner, attribute, original)
