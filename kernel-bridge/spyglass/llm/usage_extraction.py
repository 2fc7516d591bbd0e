"""Token usage of an LLM response in one shape for every provider: the `usage` a traced LLM call records.

OpenAI chat completions (and LiteLLM) report prompt/completion tokens, OpenAI responses and Anthropic
input/output tokens; Anthropic leaves cache reads and writes out of `input_tokens`, so they are added back:
`input_tokens` is always every prompt token, `cached_input_tokens` the part read from a cache.
"""

from __future__ import annotations

from typing import Any


def field(value: Any, name: str) -> Any:
    """`value.name` or `value[name]` (SDK objects and plain dicts alike), or None."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get(name)
    return getattr(value, name, None)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def usage_of(response: Any) -> dict[str, int] | None:
    """The normalized usage of a response object (or of its `usage` field), or None when it has none."""
    usage = field(response, "usage")
    return normalize_usage(usage) if usage is not None else None


def normalize_usage(usage: Any) -> dict[str, int] | None:
    """{input_tokens, output_tokens, total_tokens, cached_input_tokens?, cache_creation_input_tokens?,
    reasoning_tokens?} from a provider's usage object or dict; None when it holds no token count."""
    input_tokens = _count(field(usage, "input_tokens"))
    if input_tokens is None:
        input_tokens = _count(field(usage, "prompt_tokens"))
    output_tokens = _count(field(usage, "output_tokens"))
    if output_tokens is None:
        output_tokens = _count(field(usage, "completion_tokens"))
    cache_read = _count(field(usage, "cache_read_input_tokens"))  # Anthropic: not part of input_tokens
    cache_write = _count(field(usage, "cache_creation_input_tokens"))
    if cache_read is not None or cache_write is not None:
        input_tokens = (input_tokens or 0) + (cache_read or 0) + (cache_write or 0)
    if input_tokens is None and output_tokens is None:
        return None
    cached = cache_read
    if cached is None:
        details = field(usage, "prompt_tokens_details") or field(usage, "input_tokens_details")
        cached = _count(field(details, "cached_tokens"))
    reasoning_details = field(usage, "completion_tokens_details") or field(usage, "output_tokens_details")
    reasoning = _count(field(reasoning_details, "reasoning_tokens"))
    total = _count(field(usage, "total_tokens"))
    result = {
        "input_tokens": input_tokens or 0,
        "output_tokens": output_tokens or 0,
        "total_tokens": total if total is not None else (input_tokens or 0) + (output_tokens or 0),
    }
    for name, value in (
        ("cached_input_tokens", cached),
        ("cache_creation_input_tokens", cache_write),
        ("reasoning_tokens", reasoning),
    ):
        if value:
            result[name] = value
    return result
