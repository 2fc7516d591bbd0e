"""OTLP tests: traced calls in a store, and OTLP JSON parsed by opentelemetry-proto's own classes."""

from __future__ import annotations

import base64
import contextlib
import copy

import pytest

import spyglass as sg


def parse_otlp_json(request: dict):
    """An OTLP/JSON request parsed by opentelemetry-proto (json_format), as the collector does.

    OTLP/JSON writes trace and span ids as hex where protobuf's JSON mapping has base64 (the one documented
    difference), so they are turned into base64 first; everything else goes to json_format as exported.
    """
    from google.protobuf import json_format
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

    request = copy.deepcopy(request)
    for resource_spans in request["resourceSpans"]:
        for scope_spans in resource_spans["scopeSpans"]:
            for span in scope_spans["spans"]:
                for key in ("traceId", "spanId", "parentSpanId"):
                    if key in span:
                        span[key] = base64.b64encode(bytes.fromhex(span[key])).decode("ascii")
    return json_format.ParseDict(request, trace_service_pb2.ExportTraceServiceRequest())


def attributes_of(span) -> dict:
    """A protobuf span's attributes as {key: python value} (through the AnyValue's set field)."""
    from google.protobuf.json_format import MessageToDict

    result = {}
    for item in span.attributes:
        kind = item.value.WhichOneof("value")
        value = getattr(item.value, kind)
        result[item.key] = MessageToDict(value) if kind in ("array_value", "kvlist_value") else value
    return result


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
