"""sg.inference.client against the real local server: the official client, its calls traced."""

from __future__ import annotations

import asyncio

import openai

import spyglass as sg

MESSAGES = [{"role": "user", "content": "Hello"}]


def test_custom_provider_client_calls_the_server_and_is_traced(llm_server, traced, monkeypatch):
    monkeypatch.setenv("SPYGLASS_LLM_AUTOPATCH", "0")  # the inference client is traced all the same
    client = sg.inference.client(base_url=llm_server.base_url)
    assert type(client) is openai.OpenAI
    response = client.chat.completions.create(model=llm_server.model, messages=MESSAGES, max_tokens=4)
    [call] = traced("openai.chat.completions.create")
    assert call.output["value"]["id"] == response.id and call.usage["output_tokens"] == 4
    assert call.cost is not None


def test_llamacpp_provider_from_its_variable_async(llm_server, traced, monkeypatch):
    monkeypatch.setenv("LLAMACPP_BASE_URL", llm_server.base_url)
    client = sg.inference.client("llamacpp", asynchronous=True)
    response = asyncio.run(
        client.chat.completions.create(model=llm_server.model, messages=MESSAGES, max_tokens=2)
    )
    [call] = traced("openai.chat.completions.create")
    assert call.usage["output_tokens"] == response.usage.completion_tokens == 2 and call.task
