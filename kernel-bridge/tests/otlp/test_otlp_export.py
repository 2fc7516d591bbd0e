"""Calls exported as OTLP JSON: parsed by opentelemetry-proto, GenAI attributes on LLM calls, ids mapped."""

from __future__ import annotations

import json

from otlp_helpers import attributes_of, parse_otlp_json

import spyglass as sg
from spyglass.cli import main
from spyglass.traces.otlp_values import call_id_of, span_id_of


def _spans_by_op(request):
    (resource_spans,) = request.resource_spans
    (scope_spans,) = resource_spans.scope_spans
    return {attributes_of(span)["spyglass.op_name"]: span for span in scope_spans.spans}


def test_export_parses_with_the_otel_proto_classes_and_keeps_the_tree(traced_project, tmp_path):
    path = tmp_path / "calls.otlp.json"
    assert sg.traces.export_otlp("agent", path, dir=traced_project) == 4
    request = parse_otlp_json(json.loads(path.read_text()))
    resource = {item.key: item.value.string_value for item in request.resource_spans[0].resource.attributes}
    assert resource == {"service.name": "agent", "spyglass.project": "agent"}
    assert request.resource_spans[0].scope_spans[0].scope.name == "spyglass"
    spans = _spans_by_op(request)
    assert set(spans) == {"answer", "lookup", "openai.chat.completions.create", "fails"}
    calls = {call.op_name: call for call in sg.Api(traced_project).calls("agent")}
    root = spans["answer"]
    assert root.parent_span_id == b""
    for name, span in spans.items():
        call = calls[name]
        assert span.trace_id.hex() == call.trace_id == calls["answer"].id
        assert span.span_id.hex() == span_id_of(call.id)
        if name != "answer":
            assert span.parent_span_id == root.span_id
        assert span.start_time_unix_nano == int(call.started_at.timestamp() * 1e6) * 1000
        assert span.end_time_unix_nano == int(call.ended_at.timestamp() * 1e6) * 1000
    attributes = attributes_of(root)
    assert json.loads(attributes["spyglass.inputs"]) == {
        "question": "Capital of France?",
        "api_key": "<redacted>",
    }
    assert json.loads(attributes["spyglass.output"]) == "Paris"
    assert root.status.code == 1  # STATUS_CODE_OK
    assert attributes_of(spans["lookup"])["env"] == "test"
    assert attributes_of(spans["lookup"])["user"] == {"values": [{"key": "id", "value": {"intValue": "7"}}]}


def test_an_error_is_an_error_status_with_an_exception_event(traced_project):
    request = parse_otlp_json(sg.Api(traced_project).calls("agent", filters={"op_name": "fails"}).to_otlp())
    span = _spans_by_op(request)["fails"]
    assert span.status.code == 2 and span.status.message == "ValueError: no answer"
    (event,) = span.events
    assert event.name == "exception"
    assert {item.key: item.value.string_value for item in event.attributes} == {
        "exception.type": "ValueError",
        "exception.message": "no answer",
    }


def test_an_llm_call_carries_the_genai_conventions(traced_project):
    request = parse_otlp_json(sg.Api(traced_project).calls("agent").to_otlp())
    span = _spans_by_op(request)["openai.chat.completions.create"]
    assert span.name == "chat tiny-model" and span.kind == 3  # SPAN_KIND_CLIENT
    attributes = attributes_of(span)
    assert attributes["gen_ai.operation.name"] == "chat"
    assert attributes["gen_ai.system"] == attributes["gen_ai.provider.name"] == "openai"
    assert attributes["gen_ai.request.model"] == "tiny-model"
    assert attributes["gen_ai.request.temperature"] == 0.2
    assert attributes["gen_ai.response.model"] == "tiny-model"
    assert attributes["gen_ai.response.id"] == "chatcmpl-1"
    assert attributes["gen_ai.usage.input_tokens"] == 11  # typed: an intValue, not text
    assert attributes["gen_ai.usage.output_tokens"] == 3
    assert attributes["gen_ai.response.finish_reasons"] == {"values": [{"stringValue": "stop"}]}
    assert json.loads(attributes["gen_ai.input.messages"]) == [
        {"role": "user", "parts": [{"type": "text", "content": "Capital of France?"}]}
    ]
    assert json.loads(attributes["gen_ai.output.messages"]) == [
        {"role": "assistant", "parts": [{"type": "text", "content": "Paris"}], "finish_reason": "stop"}
    ]
    assert attributes["spyglass.cost"] == 0.0021
    # An op that is not an LLM call carries no GenAI attributes.
    assert not any(key.startswith("gen_ai.") for key in attributes_of(_spans_by_op(request)["lookup"]))


def test_cli_exports_the_filtered_calls(traced_project, tmp_path, capsys):
    path = tmp_path / "roots.json"
    code = main(
        [
            "traces",
            "export",
            "agent",
            "--otlp",
            str(path),
            "--dir",
            str(traced_project),
            "--filter",
            '{"parent_id": null}',
        ]
    )
    assert code == 0
    assert "1 spans written" in capsys.readouterr().err
    spans = _spans_by_op(parse_otlp_json(json.loads(path.read_text())))
    assert list(spans) == ["answer"]


def test_cli_refuses_a_filter_that_is_not_json(traced_project, tmp_path, capsys):
    try:
        main(["traces", "export", "agent", "--otlp", str(tmp_path / "x.json"), "--filter", "{nope"])
    except SystemExit as exit:
        assert exit.code == 2
    assert "--filter must be JSON" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_id_mapping_is_inverse_for_ingested_spans():
    trace_id, span_id = "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174"
    call_id = call_id_of(trace_id, span_id)
    assert len(call_id) == 32 and span_id_of(call_id) == span_id
    assert call_id_of(trace_id, "eee19b7ec3c1b175") != call_id
