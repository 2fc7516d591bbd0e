"""Attribute conventions on their own: GenAI 1.37 messages in, Anthropic and tool calls out."""

from __future__ import annotations

import json

from spyglass.traces.otlp_conventions import call_fields
from spyglass.traces.otlp_genai import genai_attributes, input_messages, output_messages


def test_genai_json_messages_become_inputs_output_and_usage():
    messages = [{"role": "user", "parts": [{"type": "text", "content": "hi"}]}]
    reply = [{"role": "assistant", "parts": [{"type": "text", "content": "yo"}], "finish_reason": "stop"}]
    fields = call_fields(
        "chat m",
        {
            "gen_ai.operation.name": "chat",
            "gen_ai.request.model": "m",
            "gen_ai.input.messages": json.dumps(messages),
            "gen_ai.output.messages": json.dumps(reply),
            "gen_ai.system_instructions": json.dumps([{"type": "text", "content": "Be kind."}]),
            "gen_ai.usage.input_tokens": 3,
            "gen_ai.usage.output_tokens": 1,
            "gen_ai.usage.cost": 0.5,
        },
    )
    assert fields.op_name == "chat m"
    assert fields.inputs == {
        "model": "m",
        "messages": messages,
        "system": [{"type": "text", "content": "Be kind."}],
    }
    assert fields.output == reply
    assert fields.usage == {"input_tokens": 3, "output_tokens": 1}
    assert fields.cost == 0.5
    assert fields.attributes == {"gen_ai.operation.name": "chat", "gen_ai.request.model": "m"}


def test_openinference_text_input_and_content_parts():
    fields = call_fields(
        "llm",
        {
            "input.value": "plain question",
            "llm.output_messages.0.message.role": "assistant",
            "llm.output_messages.0.message.contents.0.message_content.type": "text",
            "llm.output_messages.0.message.contents.0.message_content.text": "answer",
        },
    )
    assert fields.inputs == {"input": "plain question"}
    assert fields.output == [{"role": "assistant", "contents": [{"type": "text", "text": "answer"}]}]


def test_anthropic_message_with_tool_use_as_genai_messages():
    inputs = {
        "model": "claude-x",
        "system": "Use tools.",
        "max_tokens": 64,
        "messages": [
            {"role": "user", "content": "weather?"},
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "t1", "name": "weather", "input": {"c": "P"}}],
            },
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "sunny"}]},
        ],
    }
    output = {
        "_type": "object",
        "type": "anthropic.types.message.Message",
        "value": {
            "id": "msg_1",
            "model": "claude-x",
            "role": "assistant",
            "stop_reason": "end_turn",
            "content": [{"type": "text", "text": "Sunny."}],
        },
    }
    attributes = genai_attributes("anthropic.messages.create", inputs, output, {"input_tokens": 9})
    assert attributes["gen_ai.provider.name"] == "anthropic" and attributes["gen_ai.request.max_tokens"] == 64
    assert json.loads(attributes["gen_ai.system_instructions"]) == [{"type": "text", "content": "Use tools."}]
    assert json.loads(attributes["gen_ai.input.messages"])[1:] == [
        {
            "role": "assistant",
            "parts": [{"type": "tool_call", "id": "t1", "name": "weather", "arguments": {"c": "P"}}],
        },
        {"role": "user", "parts": [{"type": "tool_call_response", "id": "t1", "response": "sunny"}]},
    ]
    assert json.loads(attributes["gen_ai.output.messages"]) == [
        {"role": "assistant", "parts": [{"type": "text", "content": "Sunny."}], "finish_reason": "end_turn"}
    ]


def test_openai_tool_calls_and_tool_results():
    messages = input_messages(
        {
            "messages": [
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {"id": "c1", "type": "function", "function": {"name": "f", "arguments": '{"x": 1}'}}
                    ],
                },
                {"role": "tool", "tool_call_id": "c1", "content": "2"},
            ]
        }
    )
    assert messages == [
        {
            "role": "assistant",
            "parts": [{"type": "tool_call", "id": "c1", "name": "f", "arguments": {"x": 1}}],
        },
        {"role": "tool", "parts": [{"type": "tool_call_response", "id": "c1", "response": "2"}]},
    ]
    responses = {
        "status": "completed",
        "output": [
            {"type": "message", "content": [{"type": "output_text", "text": "done"}]},
            {"type": "function_call", "call_id": "c2", "name": "g", "arguments": "{}"},
        ],
    }
    assert output_messages(responses) == [
        {
            "role": "assistant",
            "finish_reason": "completed",
            "parts": [
                {"type": "text", "content": "done"},
                {"type": "tool_call", "id": "c2", "name": "g", "arguments": {}},
            ],
        }
    ]
