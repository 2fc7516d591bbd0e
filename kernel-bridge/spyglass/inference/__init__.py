"""sg.inference.client(provider=...): the official openai client for an OpenAI-compatible provider, traced;
sg.inference.Prompt: chat messages with {{variable}} slots, versioned as an artifact (docs/playground.md)."""

from .prompt import Prompt, PromptError
from .provider_clients import PROVIDERS, InferenceConfigError, Provider, client

__all__ = ["PROVIDERS", "InferenceConfigError", "Prompt", "PromptError", "Provider", "client"]
