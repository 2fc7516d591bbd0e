"""sg.inference.client(provider=...): the official openai client for an OpenAI-compatible provider, traced."""

from .provider_clients import PROVIDERS, InferenceConfigError, Provider, client

__all__ = ["PROVIDERS", "InferenceConfigError", "Provider", "client"]
