"""OTLP tests: a store with traced calls (the parsing helpers are in otlp_helpers.py)."""

from __future__ import annotations

import contextlib

import pytest

import spyglass as sg


@pytest.fixture
def traced_project(store):
    """A project "agent" with a call tree, a failing call and an LLM call with usage; sessions closed."""
    sg.init_traces("agent", dir=store)

    @sg.op
    def lookup(term: str) -> list[str]:
        return [term.upper()]

    @sg.op(name="openai.chat.completions.create")
    def chat(model: str, messages: list, temperature: float = 1.0) -> dict:
        call = sg.traces.call_record.current_call()
        call.usage = {"input_tokens": 11, "output_tokens": 3}
        call.cost = 0.0021
        return {
            "id": "chatcmpl-1",
            "model": model,
            "choices": [{"message": {"role": "assistant", "content": "Paris"}, "finish_reason": "stop"}],
        }

    @sg.op
    def fails() -> None:
        raise ValueError("no answer")

    @sg.op
    def answer(question: str, api_key: str) -> str:
        with sg.attributes({"env": "test", "user": {"id": 7}}):
            lookup("capital")
            reply = chat("tiny-model", [{"role": "user", "content": question}], temperature=0.2)
        with contextlib.suppress(ValueError):
            fails()
        return reply["choices"][0]["message"]["content"]

    assert answer("Capital of France?", api_key="sk-secret") == "Paris"
    sg.finish_traces()
    return store
