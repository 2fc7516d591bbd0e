"""The official anthropic client, traced: messages.create (plain, tools, stream=True) and messages.stream.

transformers serve has no Messages API, so these run against recorded_shapes.py (the shapes Anthropic's API
reference documents) on 127.0.0.1, through the real client and its real HTTP and SSE parsing.
"""

from __future__ import annotations

import asyncio

import anthropic
import pytest

import spyglass as sg

MESSAGES = [{"role": "user", "content": "What is the weather in San Francisco?"}]
TOOLS = [{"name": "get_weather", "description": "Weather", "input_schema": {"type": "object"}}]


def _client(server):
    return anthropic.Anthropic(base_url=server.url, api_key="sk-ant-test", max_retries=0)


def _claude_cost(input_tokens, output_tokens, cached=0):
    # claude-sonnet-4-5 in the built-in table: 3 input, 15 output, 0.30 cached input (USD per million)
    return ((input_tokens - cached) * 3.0 + cached * 0.30 + output_tokens * 15.0) / 1e6


def test_messages_create_records_usage_with_cache_reads_and_cost(shapes_server, traced):
    message = _client(shapes_server).messages.create(
        model="claude-sonnet-4-5", max_tokens=100, messages=MESSAGES
    )
    assert (
        isinstance(message, anthropic.types.Message) and message.content[0].text == "Hi! My name is Claude."
    )
    [call] = traced("anthropic.messages.create")
    assert call.inputs["messages"] == MESSAGES and call.inputs["max_tokens"] == 100
    assert call.output["value"]["content"][0]["text"] == "Hi! My name is Claude."
    # Anthropic's input_tokens leave cache reads out; the recorded input_tokens count every prompt token.
    assert call.usage == {
        "input_tokens": 3095,
        "output_tokens": 503,
        "total_tokens": 3598,
        "cached_input_tokens": 1000,
    }
    assert call.cost == pytest.approx(_claude_cost(3095, 503, cached=1000))
    assert call.attributes["llm"] == {
        "provider": "anthropic",
        "model": "claude-sonnet-4-5-20250929",
        "stream": False,
    }


def test_tool_use_is_recorded_in_the_output(shapes_server, traced):
    message = _client(shapes_server).messages.create(
        model="claude-sonnet-4-5", max_tokens=100, messages=MESSAGES, tools=TOOLS
    )
    assert message.stop_reason == "tool_use"
    [call] = traced("anthropic.messages.create")
    assert call.inputs["tools"] == TOOLS
    tool_use = call.output["value"]["content"][1]
    assert tool_use["name"] == "get_weather" and tool_use["input"] == {"location": "San Francisco, CA"}
    assert call.usage["input_tokens"] == 384 and call.cost == pytest.approx(_claude_cost(384, 96))


def test_create_with_stream_true_folds_the_events_into_the_message(shapes_server, traced):
    stream = _client(shapes_server).messages.create(
        model="claude-sonnet-4-5", max_tokens=100, messages=MESSAGES, tools=TOOLS, stream=True
    )
    assert isinstance(stream, anthropic.Stream)
    kinds = [event.type for event in stream]
    assert kinds[0] == "message_start" and kinds[-1] == "message_stop"
    [call] = traced("anthropic.messages.create")
    text, tool_use = call.output["content"]
    assert text == {"type": "text", "text": "Okay, let's check the weather.", "citations": None} or (
        text["type"] == "text" and text["text"] == "Okay, let's check the weather."
    )
    assert tool_use["type"] == "tool_use" and tool_use["input"] == {"location": "San Francisco, CA"}
    assert call.output["stop_reason"] == "tool_use"
    assert call.usage == {"input_tokens": 472, "output_tokens": 89, "total_tokens": 561}
    assert 0 < call.attributes["llm"]["time_to_first_token"] <= call.latency


def test_messages_stream_helper_is_traced_when_entered(shapes_server, traced):
    @sg.op
    def chat():
        with _client(shapes_server).messages.stream(
            model="claude-sonnet-4-5", max_tokens=100, messages=MESSAGES
        ) as stream:
            text = "".join(stream.text_stream)
            final = stream.get_final_message()
        return text, final

    text, final = chat()
    assert text == "Okay, let's check the weather." and final.usage.output_tokens == 89
    [parent] = traced("chat")
    [call] = traced("anthropic.messages.stream")
    assert call.parent_id == parent.id
    assert call.output["content"][0]["text"] == text
    assert call.usage["output_tokens"] == 89 and call.cost == pytest.approx(_claude_cost(472, 89))


def test_async_create_and_stream(shapes_server, traced):
    client = anthropic.AsyncAnthropic(base_url=shapes_server.url, api_key="sk-ant-test", max_retries=0)

    async def run():
        message = await client.messages.create(model="claude-sonnet-4-5", max_tokens=10, messages=MESSAGES)
        async with client.messages.stream(
            model="claude-sonnet-4-5", max_tokens=10, messages=MESSAGES
        ) as stream:
            text = "".join([piece async for piece in stream.text_stream])
        return message, text

    message, text = asyncio.run(run())
    assert message.id == "msg_013Zva2CMHLNnXjNJJKqJ2EF" and text == "Okay, let's check the weather."
    [created] = traced("anthropic.messages.create")
    [streamed] = traced("anthropic.messages.stream")
    assert created.usage["output_tokens"] == 503 and streamed.usage["output_tokens"] == 89
    assert streamed.output["content"][0]["text"] == text


def test_an_api_error_is_raised_unchanged_and_recorded(shapes_server, traced):
    with pytest.raises(anthropic.NotFoundError) as raised:
        _client(shapes_server).messages.create(model="claude-missing", max_tokens=10, messages=MESSAGES)
    assert raised.value.status_code == 404
    [call] = traced("anthropic.messages.create")
    assert call.status == "error" and call.output is None and call.usage is None
    assert call.exception.startswith("anthropic.NotFoundError") and "claude-missing" in call.exception
