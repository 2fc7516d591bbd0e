"""sg.inference.client: the official openai client set up for an OpenAI-compatible provider, and traced.

Each provider names where its API lives and which environment variables hold its address and key; the
arguments `base_url` and `api_key` win over them. Any OpenAI-compatible server works with `base_url=`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ..base.errors import SpyglassError
from ..llm import patch_openai


class InferenceConfigError(SpyglassError, ValueError):
    """sg.inference.client could not be set up (unknown provider, no base URL, or no API key)."""


@dataclass(frozen=True)
class Provider:
    """Where an OpenAI-compatible provider is and how its key is found."""

    base_url: str | None  # the default address (None: base_url or the variable must say)
    base_url_variable: str
    key_variable: str | None
    default_key: str | None = None  # local servers accept any key; the openai client still needs one


PROVIDERS: dict[str, Provider] = {
    "wandb": Provider("https://api.inference.wandb.ai/v1", "WANDB_INFERENCE_BASE_URL", "WANDB_API_KEY"),
    "openai": Provider("https://api.openai.com/v1", "OPENAI_BASE_URL", "OPENAI_API_KEY"),
    "openrouter": Provider("https://openrouter.ai/api/v1", "OPENROUTER_BASE_URL", "OPENROUTER_API_KEY"),
    "vllm": Provider("http://127.0.0.1:8000/v1", "VLLM_BASE_URL", "VLLM_API_KEY", "EMPTY"),
    "ollama": Provider("http://127.0.0.1:11434/v1", "OLLAMA_BASE_URL", "OLLAMA_API_KEY", "ollama"),
    "llamacpp": Provider("http://127.0.0.1:8080/v1", "LLAMACPP_BASE_URL", "LLAMACPP_API_KEY", "no-key"),
    "custom": Provider(None, "SPYGLASS_INFERENCE_BASE_URL", "SPYGLASS_INFERENCE_API_KEY", "no-key"),
}


def resolve_provider(
    provider: str, *, base_url: str | None = None, api_key: str | None = None
) -> tuple[str, str]:
    """(base URL, key) of `provider`: the arguments, else its variables, else its defaults.

    InferenceConfigError for an unknown provider, or one whose address or key is nowhere to be found.
    """
    if provider not in PROVIDERS:
        raise InferenceConfigError(
            f"unknown inference provider {provider!r}: use one of {', '.join(sorted(PROVIDERS))}, "
            "or provider='custom' with base_url= for any OpenAI-compatible server"
        )
    spec = PROVIDERS[provider]
    url = base_url or os.environ.get(spec.base_url_variable) or spec.base_url
    if not url:
        raise InferenceConfigError(
            f"provider {provider!r} needs base_url= or ${spec.base_url_variable} (the server's /v1 address)"
        )
    key = api_key or (os.environ.get(spec.key_variable) if spec.key_variable else None) or spec.default_key
    if not key:
        raise InferenceConfigError(f"provider {provider!r} needs api_key= or ${spec.key_variable}")
    return url, key


def client(
    provider: str = "custom",
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    asynchronous: bool = False,
    **options: Any,
) -> Any:
    """An `openai.OpenAI` (or `AsyncOpenAI` with asynchronous=True) for `provider`, its calls traced.

    `options` go to the client as they are (timeout, max_retries, default_headers, project, ...).
    """
    url, key = resolve_provider(provider, base_url=base_url, api_key=api_key)
    import openai

    patch_openai()  # traced even with SPYGLASS_LLM_AUTOPATCH=0: tracing is what this client is for
    factory = openai.AsyncOpenAI if asynchronous else openai.OpenAI
    return factory(base_url=url, api_key=key, **options)
