"""LLM calls traced automatically (openai, anthropic, LiteLLM), with token usage and cost (docs/llm.md)."""

from .autopatch import autopatch, unpatch
from .openai_patch import patch_openai
from .pricing import Price, PriceError, cost_of, price_of, set_price
from .usage_extraction import normalize_usage, usage_of

__all__ = [
    "Price",
    "PriceError",
    "autopatch",
    "cost_of",
    "normalize_usage",
    "patch_openai",
    "price_of",
    "set_price",
    "unpatch",
    "usage_of",
]
