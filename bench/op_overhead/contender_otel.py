"""OpenTelemetry SDK spans with an in-process exporter (InMemorySpanExporter behind SimpleSpanProcessor).

Two shapes: a bare span per call, and a span recording inputs and output as attributes the way OpenInference
instrumentation does (`input.value` / `output.value` JSON), which is what @sg.op records.
"""

import functools
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from workload import add, measure

exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
tracer = provider.get_tracer("bench")


def bare(function):
    @functools.wraps(function)
    def traced(*args, **kwargs):
        with tracer.start_as_current_span(function.__name__):
            return function(*args, **kwargs)

    return traced


def with_io(function):
    @functools.wraps(function)
    def traced(*args, **kwargs):
        with tracer.start_as_current_span(function.__name__) as span:
            span.set_attribute(
                "input.value", json.dumps({"args": args, "kwargs": kwargs})
            )
            span.set_attribute("input.mime_type", "application/json")
            output = function(*args, **kwargs)
            span.set_attribute("output.value", json.dumps(output))
            return output

    return traced


shape = sys.argv[3] if len(sys.argv) > 3 else "io"
decorate = with_io if shape == "io" else bare
label = (
    "OpenTelemetry span + inputs/output" if shape == "io" else "OpenTelemetry bare span"
)
measure(label, decorate(add), exporter.clear)
