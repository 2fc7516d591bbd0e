"""OTLP export and ingest of 10,000 calls: medians, and the OpenTelemetry SDK's own encoder side by side.

    .venv/bin/python bench/otlp/run.py [--calls 10000] [--repeats 5]

Export: a project's calls -> OTLP JSON bytes (spyglass.traces.otlp_export), against the SDK's protobuf encoder
(opentelemetry-exporter-otlp-proto-common) serializing as many SDK spans with the same attributes.
Ingest: one ExportTraceServiceRequest body -> call rows -> durable frame in a trace session (what the server's
endpoint does after reading the body), JSON and protobuf, against protobuf's ParseFromString of the body alone.
"""

from __future__ import annotations

import argparse
import json
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

        parse = median_seconds(
            lambda: trace_service_pb2.ExportTraceServiceRequest().ParseFromString(
                proto_body
            ),
            args.repeats,
        )
        for name, body, kind in (
            ("JSON", json_body, "application/json"),
            ("protobuf", proto_body, "application/x-protobuf"),
        ):
            seconds = median_seconds(
                lambda body=body, kind=kind: ingest(body, kind), args.repeats
            )
            print(
                f"ingest {args.calls} spans ({name}, {len(body) / 1e6:.1f} MB) into a closed session: "
                f"{seconds * 1e3:.0f} ms ({seconds / args.calls * 1e6:.0f} us/span); "
                f"protobuf ParseFromString alone {parse * 1e3:.0f} ms"
            )


if __name__ == "__main__":
    main()
