"""LiteLLM against the real local server: one call recorded (not a second for the openai client it uses)."""

from __future__ import annotations

import asyncio
import os

import pytest

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # litellm fetches its price map otherwise
import litellm  # noqa: E402 - after the variable above

MESSAGES = [{"role": "user", "content": "Hello"}]


def _arguments(server):
    return {"model": f"openai/{server.model}", "api_base": server.base_url, "api_key": "test-key"}


def test_completion_is_one_call_with_usage_and_cost(llm_server, traced):
    response = litellm.completion(messages=MESSAGES, max_tokens=5, **_arguments(llm_server))
    calls = traced()
    assert [call.op_name for call in calls] == ["litellm.completion"]  # the inner openai call is not recorded
    [call] = calls
    assert call.inputs["messages"] == MESSAGES and call.inputs["api_key"] == "<redacted>"
    assert call.usage["output_tokens"] == response.usage.completion_tokens == 5
    # openai/<path>: the price set for <path> applies (conftest: 1 and 4 USD per million)
    assert call.cost == pytest.approx((call.usage["input_tokens"] * 1.0 + 5 * 4.0) / 1e6)
    assert call.attributes["llm"]["provider"] == "litellm"


def test_streamed_completion_ends_with_the_stream(llm_server, traced):
    chunks = list(litellm.completion(messages=MESSAGES, max_tokens=6, stream=True, **_arguments(llm_server)))
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    [call] = traced()
    assert call.op_name == "litellm.completion" and call.status == "success"
    assert (call.output["choices"][0]["message"]["content"] or "") == text
    assert call.attributes["llm"]["stream"] is True


def test_acompletion_is_recorded_in_its_task(llm_server, traced):
    response = asyncio.run(litellm.acompletion(messages=MESSAGES, max_tokens=3, **_arguments(llm_server)))
    [call] = traced()
    assert call.op_name == "litellm.acompletion" and call.task
    assert call.usage["output_tokens"] == response.usage.completion_tokens == 3
