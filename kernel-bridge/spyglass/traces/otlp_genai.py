"""A recorded LLM call as OpenTelemetry GenAI semantic-convention attributes (docs/otlp.md "LLM calls").

Follows the GenAI conventions as of semconv 1.37: `gen_ai.operation.name`, `gen_ai.provider.name` (and the
older `gen_ai.system` that most backends still read), `gen_ai.request.*`, `gen_ai.response.*`,
`gen_ai.usage.input_tokens`/`output_tokens`, and the chat history as the JSON attributes
`gen_ai.input.messages`, `gen_ai.output.messages` and `gen_ai.system_instructions` (role + typed parts).
Messages are read from the shapes the official clients take and return (OpenAI chat completions and
responses, Anthropic messages), as traces/value_encoding.py records them.
"""

from __future__ import annotations

import json
from typing import Any

from .otlp_values import json_or_text

PROVIDERS = (
    "openai",
    "anthropic",
    "litellm",
    "azure",
    "cohere",
    "mistral",
    "groq",
    "gemini",
    "ollama",
    "bedrock",
)
_REQUEST_PARAMETERS = {
    "temperature": "temperature",
    "top_p": "top_p",
    "top_k": "top_k",
    "max_tokens": "max_tokens",
    "max_completion_tokens": "max_tokens",
    "max_output_tokens": "max_tokens",
    "frequency_penalty": "frequency_penalty",
    "presence_penalty": "presence_penalty",
    "seed": "seed",
    "stop": "stop_sequences",
    "stop_sequences": "stop_sequences",
}
_INPUT_TOKENS = ("input_tokens", "prompt_tokens")
_OUTPUT_TOKENS = ("output_tokens", "completion_tokens")


def plain(value: Any) -> Any:
    """A recorded value without its object wrapper ({"_type": "object", "value": {...}} -> {...})."""
    while isinstance(value, dict) and value.get("_type") == "object" and "value" in value:
        value = value["value"]
    return value


def first_of(mapping: dict[str, Any] | None, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if mapping and mapping.get(key) is not None:
            return mapping[key]
    return None


def is_llm_call(op_name: str, inputs: dict[str, Any], usage: dict[str, Any] | None, attributes: dict) -> bool:
    """An LLM call recorded token usage, has a GenAI model attribute, or got a model and a prompt."""
    if first_of(usage, _INPUT_TOKENS + _OUTPUT_TOKENS) is not None:
        return True
    if "gen_ai.request.model" in attributes or "gen_ai.system" in attributes:
        return True
    prompt = any(key in inputs for key in ("messages", "prompt", "input", "contents"))
    return isinstance(inputs.get("model"), str) and prompt


def genai_attributes(op_name: str, inputs: dict[str, Any], output: Any, usage: dict | None) -> dict[str, Any]:
    """The GenAI attributes of one LLM call (values None are left out by the caller)."""
    provider = _provider(op_name)
    operation = _operation(op_name, inputs)
    result: dict[str, Any] = {
        "gen_ai.operation.name": operation,
        "gen_ai.provider.name": provider,
        "gen_ai.system": provider,
        "gen_ai.request.model": inputs.get("model") if isinstance(inputs.get("model"), str) else None,
    }
    for name, convention in _REQUEST_PARAMETERS.items():
        value = inputs.get(name)
        if isinstance(value, str) and convention == "stop_sequences":
            value = [value]
        if isinstance(value, int | float | list) and not isinstance(value, bool):
            result.setdefault(f"gen_ai.request.{convention}", value)
    response = plain(output)
    if isinstance(response, dict):
        result["gen_ai.response.id"] = response.get("id") if isinstance(response.get("id"), str) else None
        result["gen_ai.response.model"] = (
            response.get("model") if isinstance(response.get("model"), str) else None
        )
    result["gen_ai.usage.input_tokens"] = first_of(usage, _INPUT_TOKENS)
    result["gen_ai.usage.output_tokens"] = first_of(usage, _OUTPUT_TOKENS)
    messages = input_messages(inputs)
    if messages:
        result["gen_ai.input.messages"] = json.dumps(messages, ensure_ascii=False)
    system = inputs.get("system") if isinstance(inputs.get("system"), str) else inputs.get("instructions")
    if isinstance(system, str):
        result["gen_ai.system_instructions"] = json.dumps([{"type": "text", "content": system}])
    outputs = output_messages(response)
    if outputs:
        result["gen_ai.output.messages"] = json.dumps(outputs, ensure_ascii=False)
        reasons = [message["finish_reason"] for message in outputs if message.get("finish_reason")]
        result["gen_ai.response.finish_reasons"] = reasons or None
    return result


def _provider(op_name: str) -> str:
    lowered = op_name.lower()
    return next((name for name in PROVIDERS if lowered.startswith(name)), "_OTHER")


def _operation(op_name: str, inputs: dict[str, Any]) -> str:
    if "embed" in op_name.lower():
        return "embeddings"
    if "messages" in inputs:
        return "chat"
    return "text_completion" if "prompt" in inputs else "generate_content"


def input_messages(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """The request's chat history as GenAI input messages ({role, parts})."""
    given = plain(inputs.get("messages"))
    if given is None:
        given = plain(inputs.get("input"))
    if given is None and isinstance(inputs.get("prompt"), str):
        given = inputs["prompt"]
    if isinstance(given, str):
        return [{"role": "user", "parts": [{"type": "text", "content": given}]}]
    if not isinstance(given, list):
        return []
    return [_message(plain(item)) for item in given if isinstance(plain(item), dict)]


def output_messages(response: Any) -> list[dict[str, Any]]:
    """The response's messages as GenAI output messages ({role, parts, finish_reason})."""
    if isinstance(response, str):
        return [{"role": "assistant", "parts": [{"type": "text", "content": response}]}]
    if not isinstance(response, dict):
        return []
    if isinstance(response.get("choices"), list):  # OpenAI chat completion
        messages = []
        for choice in map(plain, response["choices"]):
            if isinstance(choice, dict) and isinstance(plain(choice.get("message")), dict):
                message = _message(plain(choice["message"]))
                message["finish_reason"] = choice.get("finish_reason")
                messages.append(message)
        return messages
    if isinstance(response.get("output"), list):  # OpenAI responses API
        parts = [part for item in map(plain, response["output"]) for part in _parts_of_block(item)]
        return (
            [{"role": "assistant", "parts": parts, "finish_reason": response.get("status")}] if parts else []
        )
    if "content" in response and "role" in response:  # Anthropic message
        message = _message(response)
        message["finish_reason"] = response.get("stop_reason")
        return [message]
    return []


def _message(message: dict[str, Any]) -> dict[str, Any]:
    role = message.get("role") if isinstance(message.get("role"), str) else "user"
    content = plain(message.get("content"))
    parts: list[dict[str, Any]] = []
    if isinstance(content, str):
        parts.append({"type": "text", "content": content})
    elif isinstance(content, list):
        parts.extend(part for block in content for part in _parts_of_block(plain(block)))
    for call in map(plain, plain(message.get("tool_calls")) or []):
        if isinstance(call, dict):
            function = plain(call.get("function"))
            function = function if isinstance(function, dict) else {}
            arguments = json_or_text(function.get("arguments"))
            parts.append(
                {
                    "type": "tool_call",
                    "id": call.get("id"),
                    "name": function.get("name"),
                    "arguments": arguments,
                }
            )
    if role == "tool":
        parts = [{"type": "tool_call_response", "id": message.get("tool_call_id"), "response": content}]
    return {"role": role, "parts": parts}


def _parts_of_block(block: Any) -> list[dict[str, Any]]:
    if isinstance(block, str):
        return [{"type": "text", "content": block}]
    if not isinstance(block, dict):
        return []
    kind = block.get("type")
    if kind in ("text", "input_text", "output_text"):
        return [{"type": "text", "content": block.get("text")}]
    if kind == "tool_use":  # Anthropic
        return [
            {
                "type": "tool_call",
                "id": block.get("id"),
                "name": block.get("name"),
                "arguments": block.get("input"),
            }
        ]
    if kind == "function_call":  # OpenAI responses
        return [
            {
                "type": "tool_call",
                "id": block.get("call_id"),
                "name": block.get("name"),
                "arguments": json_or_text(block.get("arguments")),
            }
        ]
    if kind == "tool_result":  # Anthropic
        return [
            {"type": "tool_call_response", "id": block.get("tool_use_id"), "response": block.get("content")}
        ]
    if kind == "message":  # an item of the responses API's output list
        return [part for inner in plain(block.get("content")) or [] for part in _parts_of_block(plain(inner))]
    return [{"type": str(kind), "content": block}] if kind else []
