"""Reading a span's attributes as a call: Spyglass's own, OpenInference, OpenLLMetry and GenAI conventions.

Each field is taken from the first convention that has it (docs/otlp.md "Which attributes become what"):
the op name, inputs, output, token usage and cost; what is left stays in the call's attributes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .otlp_values import json_or_text

_INDEX = re.compile(r"\d+")
_INPUT_MESSAGES = ("gen_ai.input.messages", "llm.input_messages", "gen_ai.prompt")
_OUTPUT_MESSAGES = ("gen_ai.output.messages", "llm.output_messages", "gen_ai.completion")
# (usage key, attributes carrying it, first wins): GenAI now, GenAI before 1.27 (OpenLLMetry), OpenInference.
_USAGE = (
    ("input_tokens", ("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt")),
    (
        "output_tokens",
        ("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion"),
    ),
    ("total_tokens", ("llm.usage.total_tokens", "gen_ai.usage.total_tokens", "llm.token_count.total")),
)
_COST = ("spyglass.cost", "llm.cost.total", "gen_ai.usage.cost")
_MODEL = ("gen_ai.request.model", "llm.model_name", "gen_ai.response.model")
_OWN = ("spyglass.", "thread.id", "thread.name")


@dataclass
class CallFields:
    op_name: str
    inputs: dict[str, Any]
    output: Any
    usage: dict[str, Any] | None
    cost: float | None
    attributes: dict[str, Any]
    status: str | None = None  # spyglass.status of a span Spyglass exported (running, unfinished)
    thread_id: int | None = None
    thread_name: str | None = None
    task: str | None = None
    ids: tuple[Any, Any] = (None, None)  # spyglass.call_id and spyglass.parent_id of a Spyglass export


def call_fields(span_name: str, attributes: dict[str, Any]) -> CallFields:
    """The call a span's attributes describe."""
    taken: set[str] = set()

    def take(key: str) -> Any:
        if key in attributes:
            taken.add(key)
            return attributes[key]
        return None

    own_inputs = json_or_text(take("spyglass.inputs"))
    exported = own_inputs is not None  # a span Spyglass exported: its GenAI attributes derive from its inputs
    inputs = own_inputs if exported else _inputs(attributes, take)
    output = (
        json_or_text(take("spyglass.output"))
        if "spyglass.output" in attributes
        else _output(attributes, take)
    )
    usage = (
        json_or_text(take("spyglass.usage")) if "spyglass.usage" in attributes else _usage(attributes, take)
    )
    cost = next((attributes[key] for key in _COST if _number(attributes.get(key))), None)
    taken.update(key for key in _COST if key in attributes)
    op_name = take("spyglass.op_name") or take("traceloop.entity.name") or span_name
    left = {
        key: value
        for key, value in attributes.items()
        if key not in taken and not key.startswith(_OWN) and not (exported and key.startswith("gen_ai."))
    }
    thread_id = attributes.get("thread.id")
    return CallFields(
        op_name=str(op_name),
        inputs=inputs if isinstance(inputs, dict) else {"input": inputs},
        output=output,
        usage=usage if isinstance(usage, dict) else None,
        cost=float(cost) if cost is not None else None,
        attributes=left,
        status=attributes.get("spyglass.status")
        if isinstance(attributes.get("spyglass.status"), str)
        else None,
        thread_id=thread_id if isinstance(thread_id, int) else None,
        thread_name=str(attributes["thread.name"]) if "thread.name" in attributes else None,
        task=attributes.get("spyglass.task") if isinstance(attributes.get("spyglass.task"), str) else None,
        ids=(attributes.get("spyglass.call_id"), attributes.get("spyglass.parent_id")),
    )


def _inputs(attributes: dict[str, Any], take: Any) -> Any:
    for key, mime in (("input.value", "input.mime_type"), ("traceloop.entity.input", None)):
        if key in attributes:
            value = _typed(take(key), take(mime) if mime else "application/json")
            return value if isinstance(value, dict) else {"input": value}
    messages = _messages(attributes, _INPUT_MESSAGES, take)
    inputs: dict[str, Any] = {}
    model = next((attributes[key] for key in _MODEL if isinstance(attributes.get(key), str)), None)
    if model is not None and messages is not None:
        inputs["model"] = model
    if messages is not None:
        inputs["messages"] = messages
    system = json_or_text(take("gen_ai.system_instructions"))
    if system is not None:
        inputs["system"] = system
    return inputs


def _output(attributes: dict[str, Any], take: Any) -> Any:
    for key, mime in (("output.value", "output.mime_type"), ("traceloop.entity.output", None)):
        if key in attributes:
            return _typed(take(key), take(mime) if mime else "application/json")
    return _messages(attributes, _OUTPUT_MESSAGES, take)


def _usage(attributes: dict[str, Any], take: Any) -> dict[str, Any] | None:
    usage = {}
    for name, keys in _USAGE:
        key = next((key for key in keys if _number(attributes.get(key))), None)
        if key is not None:
            usage[name] = take(key)
    return usage or None


def _messages(attributes: dict[str, Any], prefixes: tuple[str, ...], take: Any) -> list[Any] | None:
    """Chat messages from a JSON attribute (GenAI) or flattened indexed keys (OpenInference, OpenLLMetry)."""
    for prefix in prefixes:
        if prefix in attributes:
            value = json_or_text(take(prefix))
            return value if isinstance(value, list) else [value]
        flat = {key[len(prefix) + 1 :]: key for key in attributes if key.startswith(prefix + ".")}
        if flat:
            nested = _unflatten({path: take(key) for path, key in flat.items()})
            items = nested if isinstance(nested, list) else [nested]
            # OpenInference nests each as {"message": {...}} and content parts as {"message_content": {...}}.
            return [_unwrapped(item) for item in items]
    return None


def _unflatten(flat: dict[str, Any]) -> Any:
    tree: dict[str, Any] = {}
    for path, value in flat.items():
        node = tree
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node[parts[-1]] = value
    return _lists(tree)


def _lists(node: Any) -> Any:
    # A dict whose keys are all indices is a list (in index order).
    if not isinstance(node, dict):
        return node
    if node and all(_INDEX.fullmatch(key) for key in node):
        return [_lists(node[key]) for key in sorted(node, key=int)]
    return {key: _lists(value) for key, value in node.items()}


def _unwrapped(item: Any) -> Any:
    if (
        isinstance(item, dict)
        and len(item) == 1
        and next(iter(item)) in ("message", "message_content", "tool_call")
    ):
        return _unwrapped(next(iter(item.values())))
    if isinstance(item, dict):
        return {key: _unwrapped(value) for key, value in item.items()}
    if isinstance(item, list):
        return [_unwrapped(value) for value in item]
    return item


def _typed(value: Any, mime: Any) -> Any:
    # OpenInference marks JSON text with input.mime_type / output.mime_type; plain text stays text.
    return json_or_text(value) if mime == "application/json" else value


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
