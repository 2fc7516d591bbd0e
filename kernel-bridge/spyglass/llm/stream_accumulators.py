"""What a streamed LLM call records: its chunks or events folded into the message a plain call returns.

One accumulator per stream shape: OpenAI (and LiteLLM) chat completion chunks, OpenAI responses events and
Anthropic message events. `add` returns True for an item carrying generated output (text, a tool call, a
refusal), which is what time to first token measures; the items themselves are never changed.
"""

from __future__ import annotations

import json
from typing import Any

from .usage_extraction import field, normalize_usage


class ChatChunks:
    """OpenAI chat.completion.chunk items -> a chat.completion dict (content and tool calls joined)."""

    def __init__(self) -> None:
        self.id: str | None = None
        self.model: str | None = None
        self.choices: dict[int, dict[str, Any]] = {}
        self.raw_usage: Any = None

    def add(self, chunk: Any) -> bool:
        self.id = self.id or field(chunk, "id")
        self.model = self.model or field(chunk, "model")
        if field(chunk, "usage") is not None:
            self.raw_usage = field(chunk, "usage")
        produced = False
        for choice in field(chunk, "choices") or ():
            index = field(choice, "index") or 0
            state = self.choices.setdefault(
                index,
                {"index": index, "message": {"role": "assistant", "content": None}, "finish_reason": None},
            )
            message, delta = state["message"], field(choice, "delta")
            for name in ("content", "refusal", "reasoning_content"):
                text = field(delta, name)
                if text:
                    message[name] = (message.get(name) or "") + text
                    produced = True
            for call in field(delta, "tool_calls") or ():
                produced = True
                calls = message.setdefault("tool_calls", {})
                entry = calls.setdefault(
                    field(call, "index") or 0,
                    {"id": None, "type": "function", "function": {"name": "", "arguments": ""}},
                )
                entry["id"] = field(call, "id") or entry["id"]
                function = field(call, "function")
                entry["function"]["name"] += field(function, "name") or ""
                entry["function"]["arguments"] += field(function, "arguments") or ""
            if field(choice, "finish_reason"):
                state["finish_reason"] = field(choice, "finish_reason")
        return produced

    def output(self) -> dict[str, Any]:
        choices = []
        for index in sorted(self.choices):
            choice = self.choices[index]
            message = dict(choice["message"])
            if "tool_calls" in message:
                message["tool_calls"] = [message["tool_calls"][key] for key in sorted(message["tool_calls"])]
            choices.append({**choice, "message": message})
        return {"id": self.id, "object": "chat.completion", "model": self.model, "choices": choices}

    def usage(self) -> dict[str, int] | None:
        return normalize_usage(self.raw_usage) if self.raw_usage is not None else None


class ResponseEvents:
    """OpenAI responses stream events -> the final Response (sent whole with response.completed)."""

    _FINAL = ("response.completed", "response.incomplete", "response.failed")
    _OUTPUT_DELTAS = frozenset(
        {
            "response.output_text.delta",
            "response.refusal.delta",
            "response.function_call_arguments.delta",
            "response.reasoning_text.delta",
        }
    )

    def __init__(self) -> None:
        self.response: Any = None
        self.model: str | None = None
        self.text: list[str] = []

    def add(self, event: Any) -> bool:
        kind = field(event, "type") or ""
        if kind in self._FINAL or kind == "response.created":
            self.response = field(event, "response")
            self.model = field(self.response, "model") or self.model
        if kind == "response.output_text.delta":
            self.text.append(field(event, "delta") or "")
        return kind in self._OUTPUT_DELTAS

    def output(self) -> Any:
        if self.response is not None and field(self.response, "output"):
            return self.response
        return {"object": "response", "model": self.model, "output_text": "".join(self.text)}

    def usage(self) -> dict[str, int] | None:
        raw = field(self.response, "usage")
        return normalize_usage(raw) if raw is not None else None


class MessageEvents:
    """Anthropic message stream events -> a message dict (tool_use input parsed from its JSON deltas)."""

    def __init__(self) -> None:
        self.message: dict[str, Any] = {"type": "message", "role": "assistant", "content": []}
        self.model: str | None = None
        self.raw_usage: dict[str, Any] = {}
        self.json_parts: dict[int, list[str]] = {}

    def add(self, event: Any) -> bool:
        kind = field(event, "type")
        if kind == "message_start":
            started = field(event, "message")
            self.model = field(started, "model")
            self.message.update(id=field(started, "id"), model=self.model)
            self._take_usage(field(started, "usage"))
        elif kind == "content_block_start":
            block = field(event, "content_block")
            data = block.model_dump() if hasattr(block, "model_dump") else dict(block or {})
            self.message["content"].append(data)
            return data.get("type") == "tool_use"
        elif kind == "content_block_delta":
            return self._take_delta(field(event, "index") or 0, field(event, "delta"))
        elif kind == "message_delta":
            self.message["stop_reason"] = field(field(event, "delta"), "stop_reason")
            self._take_usage(field(event, "usage"))
        return False

    def _take_delta(self, index: int, delta: Any) -> bool:
        blocks = self.message["content"]
        if index >= len(blocks):
            return False
        block, kind = blocks[index], field(delta, "type")
        if kind == "text_delta":
            block["text"] = (block.get("text") or "") + (field(delta, "text") or "")
        elif kind == "thinking_delta":
            block["thinking"] = (block.get("thinking") or "") + (field(delta, "thinking") or "")
        elif kind == "input_json_delta":
            self.json_parts.setdefault(index, []).append(field(delta, "partial_json") or "")
        return kind in ("text_delta", "input_json_delta", "thinking_delta")

    def _take_usage(self, usage: Any) -> None:
        # message_start carries the input counts, message_delta the (cumulative) output count.
        for name in (
            "input_tokens",
            "output_tokens",
            "cache_read_input_tokens",
            "cache_creation_input_tokens",
        ):
            value = field(usage, name)
            if value is not None:
                self.raw_usage[name] = value

    def output(self) -> dict[str, Any]:
        for index, parts in self.json_parts.items():
            text = "".join(parts)
            try:
                self.message["content"][index]["input"] = json.loads(text) if text else {}
            except ValueError:
                self.message["content"][index]["input"] = text  # cut off: kept as the text received
        self.message["usage"] = dict(self.raw_usage)
        return self.message

    def usage(self) -> dict[str, int] | None:
        return normalize_usage(self.raw_usage) if self.raw_usage else None
