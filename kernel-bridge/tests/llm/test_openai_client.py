"""The official openai client against the real local server (transformers serve): every call is recorded."""

from __future__ import annotations

import asyncio
import gc

import openai
import pytest

import spyglass as sg

MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Why is the sky blue?"}]


def _cost(usage):
    # conftest prices the tiny model at 1 (input) and 4 (output) USD per million tokens
    return (usage["input_tokens"] * 1.0 + usage["output_tokens"] * 4.0) / 1e6


def _client(server, **options):
    return openai.OpenAI(base_url=server.base_url, api_key="test-key", **options)


def test_chat_completion_is_a_child_call_with_messages_output_usage_and_cost(llm_server, traced):
    client = _client(llm_server)

    @sg.op
    def answer(question):
        return client.chat.completions.create(model=llm_server.model, messages=MESSAGES, max_tokens=6)

    response = answer("sky")
    assert isinstance(response, openai.types.chat.ChatCompletion)  # the client's own object, returned
    [parent] = traced("answer")
    [call] = traced("openai.chat.completions.create")
    assert call.parent_id == parent.id and call.trace_id == parent.id and call.status == "success"
    assert call.inputs["messages"] == MESSAGES and call.inputs["model"] == llm_server.model
    assert call.inputs["max_tokens"] == 6
    recorded = call.output["value"]
    assert recorded["id"] == response.id
    assert recorded["choices"][0]["message"]["content"] == response.choices[0].message.content
    assert call.usage == {
        "input_tokens": response.usage.prompt_tokens,
        "output_tokens": response.usage.completion_tokens,
        "total_tokens": response.usage.total_tokens,
    }
    assert call.usage["output_tokens"] == 6
    assert call.cost == pytest.approx(_cost(call.usage))
    assert call.attributes["llm"] == {"provider": "openai", "model": llm_server.model, "stream": False}
    assert 0 < call.latency <= parent.latency


def test_stream_is_the_clients_stream_and_records_the_joined_message_and_time_to_first_token(
    llm_server, traced
):
    client = _client(llm_server)
    stream = client.chat.completions.create(
        model=llm_server.model,
        messages=MESSAGES,
        max_tokens=8,
        stream=True,
        stream_options={"include_usage": True},
    )
    assert isinstance(stream, openai.Stream)
    chunks = list(stream)
    assert all(isinstance(chunk, openai.types.chat.ChatCompletionChunk) for chunk in chunks)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    [call] = traced("openai.chat.completions.create")
    assert call.parent_id is None and call.inputs["stream"] is True
    message = call.output["choices"][0]["message"]
    assert (message["content"] or "") == text
    assert call.output["choices"][0]["finish_reason"] == "length"
    assert call.usage["output_tokens"] == 8 and call.usage == {
        "input_tokens": chunks[-1].usage.prompt_tokens,
        "output_tokens": 8,
        "total_tokens": chunks[-1].usage.total_tokens,
    }
    assert call.cost == pytest.approx(_cost(call.usage))
    llm = call.attributes["llm"]
    assert llm["stream"] is True
    if text:  # random weights may answer with nothing but special tokens
        assert 0 < llm["time_to_first_token"] <= call.latency


def test_a_stream_left_early_ends_its_call_with_what_was_read(llm_server, traced):
    client = _client(llm_server)
    stream = client.chat.completions.create(
        model=llm_server.model, messages=MESSAGES, max_tokens=8, stream=True
    )
    first = next(iter(stream))
    assert first.choices[0].delta.role == "assistant"
    stream.close()  # ends the call with what was read
    [call] = traced("openai.chat.completions.create")
    assert call.status == "success" and call.attributes["llm"]["stream_complete"] is False
    assert call.usage is None and call.cost is None  # usage was not asked for (include_usage)
    assert call.output["choices"][0]["message"]["role"] == "assistant"


def test_a_stream_dropped_unread_ends_its_call_when_collected(llm_server, traced):
    stream = _client(llm_server).chat.completions.create(
        model=llm_server.model, messages=MESSAGES, max_tokens=8, stream=True
    )
    next(iter(stream))
    del stream
    gc.collect()  # the stream and its iterators form a cycle: the collector closes them, which ends the call
    [call] = traced("openai.chat.completions.create")
    assert call.status == "success" and call.attributes["llm"]["stream_complete"] is False


def test_async_calls_and_streams_are_recorded_in_their_tasks(llm_server, traced):
    client = openai.AsyncOpenAI(base_url=llm_server.base_url, api_key="test-key")

    @sg.op
    async def both():
        plain = client.chat.completions.create(model=llm_server.model, messages=MESSAGES, max_tokens=3)
        streamed = client.chat.completions.create(
            model=llm_server.model,
            messages=MESSAGES,
            max_tokens=4,
            stream=True,
            stream_options={"include_usage": True},
        )
        plain, streamed = await asyncio.gather(plain, streamed)
        assert isinstance(streamed, openai.AsyncStream)
        chunks = [chunk async for chunk in streamed]
        return plain, chunks

    plain, chunks = asyncio.run(both())
    [parent] = traced("both")
    calls = traced("openai.chat.completions.create")
    assert len(calls) == 2 and {call.parent_id for call in calls} == {parent.id}
    by_stream = {call.attributes["llm"]["stream"]: call for call in calls}
    assert by_stream[False].output["value"]["id"] == plain.id
    assert by_stream[False].usage["output_tokens"] == 3
    assert by_stream[True].usage["output_tokens"] == 4
    assert by_stream[True].output["id"] == chunks[0].id
    assert all(call.task for call in calls)


def test_tools_are_recorded_with_the_request(llm_server, traced):
    tools = [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Weather in a city",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            },
        }
    ]
    response = _client(llm_server).chat.completions.create(
        model=llm_server.model, messages=MESSAGES, tools=tools, max_tokens=3
    )
    [call] = traced("openai.chat.completions.create")
    assert call.inputs["tools"] == tools
    assert call.usage["input_tokens"] == response.usage.prompt_tokens  # the tools are in the prompt


def test_streamed_tool_call_deltas_are_joined(shapes_server, traced):
    client = openai.OpenAI(base_url=shapes_server.url + "/v1", api_key="test-key")
    stream = client.chat.completions.create(
        model="gpt-4o-mini", messages=MESSAGES, stream=True, stream_options={"include_usage": True}, tools=[]
    )
    arguments = "".join(
        c.choices[0].delta.tool_calls[0].function.arguments
        for c in stream
        if c.choices and c.choices[0].delta.tool_calls
    )
    assert arguments == '{"location":"Paris"}'
    [call] = traced("openai.chat.completions.create")
    [tool_call] = call.output["choices"][0]["message"]["tool_calls"]
    assert tool_call == {
        "id": "call_DdmO9pD3xa9XTPNJ32zg2hcA",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"location":"Paris"}'},
    }
    assert call.output["choices"][0]["finish_reason"] == "tool_calls"
    assert call.usage == {"input_tokens": 82, "output_tokens": 17, "total_tokens": 99}
    assert call.cost == pytest.approx((82 * 0.15 + 17 * 0.60) / 1e6)  # gpt-4o-mini from the built-in table
    assert call.attributes["llm"]["model"] == "gpt-4o-mini-2024-07-18"
    assert 0 < call.attributes["llm"]["time_to_first_token"] <= call.latency


def test_responses_create_plain_and_streamed(llm_server, traced):
    client = _client(llm_server)
    response = client.responses.create(model=llm_server.model, input="Hello", max_output_tokens=5)
    events = list(
        client.responses.create(model=llm_server.model, input="Hello", max_output_tokens=4, stream=True)
    )
    assert events[-1].type == "response.completed"
    plain, streamed = traced("openai.responses.create")
    assert plain.inputs["input"] == "Hello"
    assert plain.output["value"]["id"] == response.id
    assert plain.usage["input_tokens"] == response.usage.input_tokens and plain.usage["output_tokens"] == 5
    assert plain.cost == pytest.approx(_cost(plain.usage))
    assert streamed.output["value"]["id"] == events[-1].response.id
    assert streamed.usage["output_tokens"] == events[-1].response.usage.output_tokens
    assert streamed.attributes["llm"]["stream"] is True


def test_an_error_is_raised_unchanged_and_recorded(traced):
    client = openai.OpenAI(base_url="http://127.0.0.1:9/v1", api_key="test-key", max_retries=0)
    with pytest.raises(openai.APIConnectionError) as raised:
        client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    [call] = traced("openai.chat.completions.create")
    assert call.status == "error" and call.output is None
    assert call.exception.startswith("openai.APIConnectionError") or "APIConnectionError" in call.exception
    assert str(raised.value) in call.exception


def test_no_call_is_recorded_without_tracing(llm_server, store):
    response = _client(llm_server).chat.completions.create(
        model=llm_server.model, messages=MESSAGES, max_tokens=2
    )
    assert response.usage.completion_tokens == 2
    assert not (store / "llm").exists()


def test_secrets_in_headers_are_redacted(llm_server, traced):
    _client(llm_server).chat.completions.create(
        model=llm_server.model,
        messages=MESSAGES,
        max_tokens=1,
        extra_headers={"Authorization": "Bearer sk-secret"},
    )
    [call] = traced("openai.chat.completions.create")
    assert call.inputs["extra_headers"] == {"Authorization": "<redacted>"}
