"""Prices per million tokens, and the cost of one LLM call from its token usage (docs/llm.md "Cost").

The built-in table holds list prices (USD) of common OpenAI and Anthropic models; `set_price` adds or replaces
a model for this process. A model is looked up by its exact name, then with each `provider/` prefix left
out in turn (LiteLLM's `openai/gpt-4o`), then by the longest table name it starts with
(`gpt-4o-2024-08-06` -> `gpt-4o`).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Price:
    """USD per million tokens; cached input tokens cost `cached_input` (the input price when None)."""

    input: float
    output: float
    cached_input: float | None = None


# List prices as published by the providers (USD per million tokens; input, output, cached input).
_BUILT_IN = {
    "gpt-4o": Price(2.50, 10.00, 1.25),
    "gpt-4o-mini": Price(0.15, 0.60, 0.075),
    "gpt-4.1": Price(2.00, 8.00, 0.50),
    "gpt-4.1-mini": Price(0.40, 1.60, 0.10),
    "gpt-4.1-nano": Price(0.10, 0.40, 0.025),
    "gpt-5": Price(1.25, 10.00, 0.125),
    "gpt-5-mini": Price(0.25, 2.00, 0.025),
    "gpt-5-nano": Price(0.05, 0.40, 0.005),
    "o3": Price(2.00, 8.00, 0.50),
    "o3-mini": Price(1.10, 4.40, 0.55),
    "o4-mini": Price(1.10, 4.40, 0.275),
    "gpt-3.5-turbo": Price(0.50, 1.50),
    "claude-3-haiku": Price(0.25, 1.25, 0.03),
    "claude-3-5-haiku": Price(0.80, 4.00, 0.08),
    "claude-haiku-4-5": Price(1.00, 5.00, 0.10),
    "claude-3-5-sonnet": Price(3.00, 15.00, 0.30),
    "claude-3-7-sonnet": Price(3.00, 15.00, 0.30),
    "claude-sonnet-4": Price(3.00, 15.00, 0.30),
    "claude-sonnet-4-5": Price(3.00, 15.00, 0.30),
    "claude-opus-4": Price(15.00, 75.00, 1.50),
    "claude-opus-4-1": Price(15.00, 75.00, 1.50),
}
_prices: dict[str, Price] = dict(_BUILT_IN)
_lock = threading.Lock()


class PriceError(ValueError):
    """A price given to sg.llm.set_price is not a finite, non-negative number (or the model has no name)."""


def set_price(
    model: str,
    *,
    input_per_million: float,
    output_per_million: float,
    cached_input_per_million: float | None = None,
) -> None:
    """Price `model`'s tokens (USD per million) for the calls traced from now on in this process."""
    if not isinstance(model, str) or not model:
        raise PriceError(f"set_price needs the model's name as a non-empty string, got {model!r}")
    rates = {"input_per_million": input_per_million, "output_per_million": output_per_million}
    if cached_input_per_million is not None:
        rates["cached_input_per_million"] = cached_input_per_million
    for name, value in rates.items():
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or value < 0
        ):
            raise PriceError(
                f"{name} for {model!r} must be a finite number >= 0 (USD per million tokens), got {value!r}"
            )
    with _lock:
        cached = None if cached_input_per_million is None else float(cached_input_per_million)
        _prices[model] = Price(float(input_per_million), float(output_per_million), cached)


def price_of(model: str | None) -> Price | None:
    """The price of `model` (exact name, without a provider/ prefix, the longest prefix), or None."""
    if not model:
        return None
    prices = _prices
    parts = model.split("/")
    for index in range(len(parts)):  # openrouter/anthropic/claude-x, then anthropic/claude-x, then claude-x
        name = "/".join(parts[index:])
        if name in prices:
            return prices[name]
    name = parts[-1]
    prefixes = [known for known in prices if name.startswith(known + "-") or name.startswith(known + "@")]
    return prices[max(prefixes, key=len)] if prefixes else None


def cost_of(model: str | None, usage: dict[str, Any] | None) -> float | None:
    """USD for one call's usage (as usage_of normalizes it), or None when the model has no price."""
    price = price_of(model)
    if price is None or not usage:
        return None
    input_tokens = usage.get("input_tokens") or 0
    output_tokens = usage.get("output_tokens") or 0
    cached = usage.get("cached_input_tokens") or 0
    # input_tokens counts every prompt token (usage_of adds Anthropic's cache reads and writes back in).
    uncached = max(input_tokens - cached, 0)
    cached_rate = price.input if price.cached_input is None else price.cached_input
    return (uncached * price.input + cached * cached_rate + output_tokens * price.output) / 1_000_000
