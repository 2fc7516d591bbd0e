"""Tracing the official `openai` client: chat.completions.create and responses.create, sync and async.

Streams (stream=True) stay the client's own Stream/AsyncStream objects; they are recorded as the message they
add up to, with time to first token. Token usage of a chat stream comes only when the request asked for it
(`stream_options={"include_usage": True}`): the request is never changed.
"""

from __future__ import annotations

import importlib
from typing import Any

from .llm_calls import LLMKind
from .method_patching import closing_ends_call, patch, traced_callable
from .stream_accumulators import ChatChunks, ResponseEvents

CHAT = LLMKind("openai.chat.completions.create", "openai", ChatChunks)
RESPONSES = LLMKind("openai.responses.create", "openai", ResponseEvents)


def _stream_types() -> tuple[type, ...]:
    import openai

    return (openai.Stream, openai.AsyncStream)


def patch_openai() -> None:
    """Trace the openai client's calls (idempotent; needs the openai package imported)."""
    targets: list[tuple[str, str, LLMKind, bool]] = [
        ("openai.resources.chat.completions", "Completions", CHAT, False),
        ("openai.resources.chat.completions", "AsyncCompletions", CHAT, True),
        ("openai.resources.responses", "Responses", RESPONSES, False),
        ("openai.resources.responses", "AsyncResponses", RESPONSES, True),
    ]
    for module_name, class_name, kind, asynchronous in targets:
        owner: Any = getattr(importlib.import_module(module_name), class_name)
        patch(
            owner,
            "create",
            lambda original, kind=kind, asynchronous=asynchronous: traced_callable(
                original, kind, _stream_types, bound=True, asynchronous=asynchronous
            ),
        )
    openai_module = importlib.import_module("openai")
    patch(openai_module.Stream, "close", lambda original: closing_ends_call(original, asynchronous=False))
    patch(openai_module.AsyncStream, "close", lambda original: closing_ends_call(original, asynchronous=True))
