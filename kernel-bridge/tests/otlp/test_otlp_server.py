"""The OTLP/HTTP receiver on a real Jupyter server: the OpenTelemetry SDK's own exporter, JSON, bad input."""

from __future__ import annotations

import gzip
import json

import pytest
from otlp_helpers import parse_otlp_json
from server_harness import TOKEN, http, jupyter_server

import spyglass as sg

ENDPOINT = "/spyglass/api/v1/otlp/v1/traces"
EXPORT_TIMEOUT_S = 60
SERVICE_P = {"attributes": [{"key": "service.name", "value": {"stringValue": "p"}}]}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(base URL, store root) of one server for the module; its store is $SPYGLASS_DIR."""
    base = tmp_path_factory.mktemp("otlp-server")
    store = base / "store"
    (base / "root").mkdir()
    with jupyter_server(base / "root", base / "config", store=store) as url:
        yield url, store


def _post(url, body, content_type="application/json", **headers):
    return http(url, ENDPOINT, method="POST", data=body, headers={"Content-Type": content_type, **headers})


def _calls(store, project):
    return {call.op_name: call for call in sg.Api(store).calls(project)}


def test_the_otel_sdk_exporter_delivers_a_trace_as_calls(server):
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.trace import Status, StatusCode

    url, store = server
    # The SDK gives up on an export after 10 s by default, dropping its spans with a log line: the first
    # request to a fresh server on a loaded machine (CI runs other suites beside this one) may take longer.
    exporter = OTLPSpanExporter(
        endpoint=url + ENDPOINT, headers={"Authorization": f"token {TOKEN}"}, timeout=EXPORT_TIMEOUT_S
    )
    provider = TracerProvider(resource=Resource.create({"service.name": "phoenix-app"}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test-app")
    with tracer.start_as_current_span("agent") as agent:
        agent.set_attribute("openinference.span.kind", "AGENT")
        agent.set_attribute("input.value", '{"question": "capital?"}')
        agent.set_attribute("input.mime_type", "application/json")
        with tracer.start_as_current_span("ChatCompletion") as llm:
            llm.set_attributes(
                {
                    "openinference.span.kind": "LLM",
                    "llm.model_name": "tiny-model",
                    "llm.input_messages.0.message.role": "system",
                    "llm.input_messages.0.message.content": "Be brief.",
                    "llm.input_messages.1.message.role": "user",
                    "llm.input_messages.1.message.content": "capital?",
                    "llm.output_messages.0.message.role": "assistant",
                    "llm.output_messages.0.message.content": "Paris",
                    "llm.token_count.prompt": 12,
                    "llm.token_count.completion": 1,
                    "llm.token_count.total": 13,
                    "llm.cost.total": 0.0004,
                }
            )
        with tracer.start_as_current_span("tool") as tool:
            try:
                raise KeyError("city")
            except KeyError as error:
                tool.record_exception(error)
                tool.set_status(Status(StatusCode.ERROR, "lookup failed"))
        agent.set_attribute("output.value", "Paris")
    provider.shutdown()

    calls = _calls(store, "phoenix-app")
    assert set(calls) == {"agent", "ChatCompletion", "tool"}
    agent, llm, tool = calls["agent"], calls["ChatCompletion"], calls["tool"]
    assert agent.parent_id is None and llm.parent_id == agent.id and tool.parent_id == agent.id
    assert agent.trace_id == llm.trace_id == tool.trace_id and len(agent.trace_id) == 32
    assert agent.inputs == {"question": "capital?"} and agent.output == "Paris" and agent.status == "success"
    assert agent.attributes["openinference.span.kind"] == "AGENT"
    assert llm.inputs == {
        "model": "tiny-model",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "capital?"}],
    }
    assert llm.output == [{"role": "assistant", "content": "Paris"}]
    assert llm.usage == {"input_tokens": 12, "output_tokens": 1, "total_tokens": 13}
    assert llm.cost == 0.0004
    assert llm.attributes["llm.model_name"] == "tiny-model"
    assert tool.status == "error" and tool.exception == "KeyError: 'city'" and tool.output is None
    assert llm.started_at >= agent.started_at and llm.ended_at <= agent.ended_at
    # The session is an ordinary trace session of the project: read by DuckDB-able files too.
    assert {call.session_id for call in calls.values()} == {agent.session_id}
    assert agent.session_id.startswith("otlp-")


def test_openllmetry_attributes_and_the_project_header(server):
    url, store = server
    span = {
        "traceId": "5b8efff798038103d269b633813fc60c",
        "spanId": "eee19b7ec3c1b174",
        "name": "openai.chat",
        "kind": 3,
        "startTimeUnixNano": "1700000000000000000",
        "endTimeUnixNano": "1700000001500000000",
        "attributes": [
            {"key": "gen_ai.system", "value": {"stringValue": "openai"}},
            {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-x"}},
            {"key": "gen_ai.prompt.0.role", "value": {"stringValue": "user"}},
            {"key": "gen_ai.prompt.0.content", "value": {"stringValue": "hi"}},
            {"key": "gen_ai.completion.0.role", "value": {"stringValue": "assistant"}},
            {"key": "gen_ai.completion.0.content", "value": {"stringValue": "hello"}},
            {"key": "gen_ai.usage.prompt_tokens", "value": {"intValue": "4"}},
            {"key": "gen_ai.usage.completion_tokens", "value": {"intValue": 2}},
            {"key": "llm.usage.total_tokens", "value": {"intValue": "6"}},
            {"key": "api_key", "value": {"stringValue": "sk-leak"}},
        ],
    }
    workflow = {
        "traceId": "5b8efff798038103d269b633813fc60c",
        "spanId": "0000000000000abc",
        "name": "joke.workflow",
        "startTimeUnixNano": "1699999999000000000",
        "endTimeUnixNano": "1700000002000000000",
        "attributes": [
            {"key": "traceloop.span.kind", "value": {"stringValue": "workflow"}},
            {"key": "traceloop.entity.name", "value": {"stringValue": "joke"}},
            {
                "key": "traceloop.entity.input",
                "value": {"stringValue": '{"args": [], "kwargs": {"topic": "owls"}}'},
            },
            {"key": "traceloop.entity.output", "value": {"stringValue": '"a joke"'}},
        ],
    }
    span["parentSpanId"] = workflow["spanId"]
    body = {"resourceSpans": [{"scopeSpans": [{"spans": [span, workflow]}]}]}
    status, _, answer = _post(url, json.dumps(body).encode(), **{"X-Spyglass-Project": "llmetry"})
    assert (status, json.loads(answer)) == (200, {})
    calls = _calls(store, "llmetry")
    chat, joke = calls["openai.chat"], calls["joke"]
    assert chat.parent_id == joke.id and chat.trace_id == "5b8efff798038103d269b633813fc60c"
    assert chat.inputs == {"model": "gpt-x", "messages": [{"role": "user", "content": "hi"}]}
    assert chat.output == [{"role": "assistant", "content": "hello"}]
    assert chat.usage == {"input_tokens": 4, "output_tokens": 2, "total_tokens": 6}
    assert chat.latency == 1.5
    assert chat.attributes["api_key"] == "<redacted>"  # secrets are redacted as @sg.op redacts them
    assert joke.inputs == {"args": [], "kwargs": {"topic": "owls"}} and joke.output == "a joke"


def test_an_export_posted_back_gives_the_same_calls(server, traced_project):
    url, store = server
    request = sg.Api(traced_project).calls("agent").to_otlp()
    status, _, body = _post(
        url,
        gzip.compress(json.dumps(request).encode()),
        **{"X-Spyglass-Project": "agent-copy", "Content-Encoding": "gzip"},
    )
    assert status == 200, body
    fields = (
        "id",
        "trace_id",
        "parent_id",
        "op_name",
        "status",
        "started_at",
        "ended_at",
        "inputs",
        "output",
        "exception",
        "attributes",
        "usage",
        "cost",
        "thread_id",
        "thread_name",
    )
    original = [[getattr(call, name) for name in fields] for call in sg.Api(traced_project).calls("agent")]
    copied = [[getattr(call, name) for name in fields] for call in sg.Api(store).calls("agent-copy")]
    assert copied == original


def test_protobuf_from_the_exported_json(server, traced_project):
    url, store = server
    message = parse_otlp_json(sg.Api(traced_project).calls("agent").to_otlp())
    status, headers, body = _post(url, message.SerializeToString(), "application/x-protobuf")
    assert (status, body) == (200, b"")
    assert headers["Content-Type"] == "application/x-protobuf"
    # No header: the project is the resource's spyglass.project ("agent").
    copied = _calls(store, "agent")
    assert copied["openai.chat.completions.create"].usage == {"input_tokens": 11, "output_tokens": 3}


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        (b"{not json", "application/json", 400, "the body is not JSON"),
        (b"\x0a\xff\xff\xff", "application/x-protobuf", 400, "not an OTLP ExportTraceServiceRequest"),
        (b"{}", "text/plain", 400, "Content-Type must be application/json or application/x-protobuf"),
        (b"[1]", "application/json", 400, "must be an ExportTraceServiceRequest object"),
        (
            json.dumps(
                {"resourceSpans": [{"resource": SERVICE_P, "scopeSpans": [{"spans": [{"traceId": "xyz"}]}]}]}
            ),
            "application/json",
            400,
            "resourceSpans[0].scopeSpans[0].spans[0].traceId must be 32 hex digits",
        ),
        (
            json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": []}]}]}),
            "application/json",
            400,
            "no project: send the X-Spyglass-Project header",
        ),
    ],
)
def test_bad_input_is_a_clear_400(server, body, content_type, status, message):
    url, _ = server
    answer_status, _, answer = _post(url, body if isinstance(body, bytes) else body.encode(), content_type)
    assert answer_status == status
    assert message in json.loads(answer)["error"]


def test_a_huge_body_or_a_gzip_bomb_is_413(server):
    url, _ = server
    bomb = gzip.compress(b" " * (40 * 1024 * 1024))  # 40 MB of spaces in ~40 kB
    status, _, answer = _post(url, bomb, **{"Content-Encoding": "gzip", "X-Spyglass-Project": "p"})
    assert status == 413 and "inflates past" in json.loads(answer)["error"]
    status, _, answer = _post(url, b" " * (33 * 1024 * 1024), **{"X-Spyglass-Project": "p"})
    assert status == 413 and "at most" in json.loads(answer)["error"]


def test_a_bad_project_name_and_a_store_outside_the_roots(server, tmp_path):
    url, _ = server
    body = json.dumps({"resourceSpans": []}).encode()
    status, _, answer = _post(url, body, **{"X-Spyglass-Project": "../escape"})
    assert status == 400 and "X-Spyglass-Project" in json.loads(answer)["error"]
    status, _, answer = http(
        url,
        ENDPOINT,
        method="POST",
        data=body,
        store_root=str(tmp_path),
        headers={"Content-Type": "application/json"},
    )
    assert status == 403


def test_without_the_token_nothing_is_written(server):
    url, store = server
    body = json.dumps({"resourceSpans": []}).encode()
    status, _, _ = http(
        url,
        ENDPOINT,
        method="POST",
        data=body,
        token=None,
        headers={"Content-Type": "application/json", "X-Spyglass-Project": "intruder"},
    )
    assert status in (401, 403)
    assert not (store / "intruder").exists()


def test_gzip_batches_from_the_sdk_and_the_session_closed_when_the_server_stops(tmp_path):
    from opentelemetry.exporter.otlp.proto.http import Compression
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    store = tmp_path / "store"
    (tmp_path / "root").mkdir()
    with jupyter_server(tmp_path / "root", tmp_path / "config", store=store) as url:
        exporter = OTLPSpanExporter(
            endpoint=url + ENDPOINT,
            headers={"Authorization": f"token {TOKEN}"},
            compression=Compression.Gzip,
            timeout=EXPORT_TIMEOUT_S,
        )
        provider = TracerProvider(resource=Resource.create({"spyglass.project": "batched"}))
        provider.add_span_processor(BatchSpanProcessor(exporter, max_export_batch_size=50))
        tracer = provider.get_tracer("batch-test")
        for index in range(120):
            with tracer.start_as_current_span("step") as span, tracer.start_as_current_span("inner"):
                span.set_attribute("index", index)
        assert provider.force_flush()
        provider.shutdown()
        calls = list(sg.Api(store).calls("batched"))
        assert len(calls) == 240
        assert sorted(call.attributes["index"] for call in calls if call.op_name == "step") == list(
            range(120)
        )
        (session,) = (store / "batched" / ".traces").iterdir()
        assert json.loads((session / "session.json").read_text())["state"] == "running"
    # The server stopped: its ingest session is closed, calls.parquet written, the same calls read from it.
    assert json.loads((session / "session.json").read_text())["state"] == "finished"
    assert (session / "calls.parquet").is_file()
    assert len(sg.Api(store).calls("batched")) == 240


def test_a_login_cookie_needs_the_xsrf_token_as_the_rest_of_the_api(server):
    import http.cookiejar
    import urllib.error
    import urllib.parse
    import urllib.request

    url, store = server
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browser.open(url + "/login").read()
    xsrf = next(cookie.value for cookie in jar if cookie.name == "_xsrf")
    login = urllib.parse.urlencode({"password": TOKEN, "_xsrf": xsrf}).encode()
    browser.open(urllib.request.Request(url + "/login", data=login)).read()
    span = {"traceId": "1" * 32, "spanId": "2" * 16, "name": "from-browser", "startTimeUnixNano": "1000"}
    body = json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": [span]}]}]}).encode()
    headers = {"Content-Type": "application/json", "X-Spyglass-Project": "cookie-auth"}
    with pytest.raises(urllib.error.HTTPError) as refused:
        browser.open(urllib.request.Request(url + ENDPOINT, data=body, headers=headers))
    assert refused.value.code == 403 and "_xsrf" in json.loads(refused.value.read())["error"]
    assert not (store / "cookie-auth").exists()
    accepted = browser.open(
        urllib.request.Request(url + ENDPOINT, data=body, headers={**headers, "X-XSRFToken": xsrf})
    )
    assert accepted.status == 200
    assert [call.op_name for call in sg.Api(store).calls("cookie-auth")] == ["from-browser"]
