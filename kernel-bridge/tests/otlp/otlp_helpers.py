"""OTLP JSON parsed by opentelemetry-proto's own classes, for the OTLP tests.

A module of its own (not conftest): a test importing from `conftest` at run time gets whichever conftest was
collected last in a full run.
"""

from __future__ import annotations

import base64
import copy


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
