"""OTLP export and ingest of 10,000 calls: medians, and the OpenTelemetry SDK's own encoder side by side.

    .venv/bin/python bench/otlp/run.py [--calls 10000] [--repeats 5]

Export: a project's calls -> OTLP JSON bytes (spyglass.traces.otlp_export), against the SDK's protobuf encoder
(opentelemetry-exporter-otlp-proto-common) serializing as many SDK spans with the same attributes.
Ingest: one ExportTraceServiceRequest body -> call rows -> durable frame in a trace session, closed (what the
server's endpoint does after reading the body), JSON and protobuf, interleaved with a reference: a Phoenix-like
receiver at its least (opentelemetry-proto's parser, MessageToDict per span, rows inserted into SQLite and
committed), and json.loads of the JSON body alone. Prints wall and CPU medians and the CPU ratio to the reference.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import spyglass as sg
from spyglass.traces.call_reader import read_project_calls
from spyglass.traces.otlp_export import calls_to_otlp
from spyglass.traces.otlp_ingest import OtlpSession, decode_request, request_calls


def make_project(root: Path, calls: int) -> None:
    sg.init_traces("bench", dir=root)

    @sg.op(name="openai.chat.completions.create")
    def chat(model: str, messages: list) -> dict:
        sg.traces.current_call().usage = {"input_tokens": 20, "output_tokens": 5}
        return {
            "id": "c",
            "model": model,
            "choices": [{"message": {"role": "assistant", "content": "ok"}}],
        }

    @sg.op
    def step(question: str, index: int) -> str:
        chat("tiny", [{"role": "user", "content": question}])
        return f"answer {index}"

    for index in range(calls // 2):
        step("what is the question?", index)
    sg.finish_traces()


def median_seconds(work, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sdk_spans(count: int) -> list:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import (
        SimpleSpanProcessor,
        SpanExporter,
        SpanExportResult,
    )

    finished: list = []

    class Keep(SpanExporter):
        def export(self, spans):
            finished.extend(spans)
            return SpanExportResult.SUCCESS

    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(Keep()))
    tracer = provider.get_tracer("bench")
    for index in range(count // 2):
        with tracer.start_as_current_span("step") as span:
            span.set_attributes(
                {
                    "spyglass.inputs": json.dumps(
                        {"question": "what is the question?", "index": index}
                    ),
                    "spyglass.output": json.dumps(f"answer {index}"),
                }
            )
            with tracer.start_as_current_span("chat tiny") as llm:
                llm.set_attributes(
                    {
                        "gen_ai.request.model": "tiny",
                        "gen_ai.usage.input_tokens": 20,
                        "gen_ai.usage.output_tokens": 5,
                        "gen_ai.input.messages": json.dumps(
                            [{"role": "user", "parts": []}]
                        ),
                    }
                )
    return finished


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from google.protobuf import json_format
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        make_project(root, args.calls)
        table = read_project_calls(root, "bench")
        assert table.num_rows == args.calls
        export = median_seconds(
            lambda: json.dumps(calls_to_otlp(table, "bench")).encode(), args.repeats
        )
        spans = sdk_spans(args.calls)
        sdk = median_seconds(
            lambda: encode_spans(spans).SerializeToString(), args.repeats
        )
        print(
            f"export {args.calls} calls: spyglass OTLP JSON {export * 1e3:.0f} ms; "
            f"SDK protobuf encoder {sdk * 1e3:.0f} ms (ratio {export / sdk:.2f})"
        )

        request = calls_to_otlp(table, "bench")
        json_body = json.dumps(request).encode()
        for span in (
            s
            for r in request["resourceSpans"]
            for ss in r["scopeSpans"]
            for s in ss["spans"]
        ):
            for key in ("traceId", "spanId", "parentSpanId"):
                if key in span:
                    span[key] = (
                        __import__("base64")
                        .b64encode(bytes.fromhex(span[key]))
                        .decode()
                    )
        proto_body = json_format.ParseDict(
            request, trace_service_pb2.ExportTraceServiceRequest()
        ).SerializeToString()

        def ingest(body: bytes, kind: str) -> None:
            spans = decode_request(body, kind)
            session = OtlpSession(root, "ingested", f"otlp-bench-{time.monotonic_ns()}")
            session.write_calls(request_calls(spans, None)["bench"])
            session.close()

        contenders = {
            "spyglass JSON": lambda: ingest(json_body, "application/json"),
            "spyglass protobuf": lambda: ingest(proto_body, "application/x-protobuf"),
            "reference protobuf -> SQLite": lambda: reference_ingest(
                proto_body, root / f"reference-{time.monotonic_ns()}.db"
            ),
            "json.loads of the JSON body alone": lambda: json.loads(json_body),
        }
        times = interleaved(contenders, args.repeats)
        print(
            f"ingest {args.calls} spans (JSON {len(json_body) / 1e6:.1f} MB, protobuf "
            f"{len(proto_body) / 1e6:.1f} MB), medians of {args.repeats} interleaved repeats:"
        )
        base_cpu = times["reference protobuf -> SQLite"][1]
        for name, (wall, cpu) in times.items():
            print(
                f"  {name:36} {wall * 1e3:7.0f} ms wall {cpu * 1e3:7.0f} ms CPU "
                f"({cpu / args.calls * 1e6:4.0f} us/span CPU, x reference {cpu / base_cpu:.2f})"
            )
    print(f"load average after: {os.getloadavg()}")


def interleaved(contenders: dict, repeats: int) -> dict[str, tuple[float, float]]:
    """Median wall and process CPU seconds of each contender, run in turn in each repeat (same load)."""
    walls: dict[str, list[float]] = {name: [] for name in contenders}
    cpus: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, work in contenders.items():
            wall, cpu = time.perf_counter(), time.process_time()
            work()
            walls[name].append(time.perf_counter() - wall)
            cpus[name].append(time.process_time() - cpu)
    return {
        name: (statistics.median(walls[name]), statistics.median(cpus[name]))
        for name in contenders
    }


def reference_ingest(body: bytes, database: Path) -> None:
    """A Phoenix-like receiver at its least: opentelemetry-proto parses the request, each span's fields and
    attributes are read (protobuf's MessageToDict, as the SDK's tooling does), and the spans are inserted as
    rows into SQLite and committed (durable)."""
    import sqlite3

    from google.protobuf import json_format
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

    request = trace_service_pb2.ExportTraceServiceRequest()
    request.ParseFromString(body)
    rows = []
    for resource_spans in request.resource_spans:
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                attributes = {
                    item["key"]: next(iter(item.get("value", {}).values()), None)
                    for item in json_format.MessageToDict(span).get("attributes", [])
                }
                rows.append(
                    (
                        span.trace_id.hex(),
                        span.span_id.hex(),
                        span.parent_span_id.hex() or None,
                        span.name,
                        span.start_time_unix_nano,
                        span.end_time_unix_nano,
                        span.status.code,
                        json.dumps(attributes),
                    )
                )
    connection = sqlite3.connect(database)
    try:
        connection.execute("pragma synchronous=full")
        connection.execute(
            "create table spans (trace_id text, span_id text, parent_id text, name text, start_ns integer,"
            " end_ns integer, status integer, attributes text)"
        )
        with connection:
            connection.executemany(
                "insert into spans values (?, ?, ?, ?, ?, ?, ?, ?)", rows
            )
    finally:
        connection.close()


if __name__ == "__main__":
    main()
