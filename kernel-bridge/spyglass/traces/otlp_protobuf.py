"""A protobuf ExportTraceServiceRequest as the OTLP/JSON shape ingest reads (hex ids, typed values).

Walks the messages directly (protobuf's MessageToDict is several times slower and writes ids as base64).
opentelemetry-proto is imported on the first protobuf body only (docs/otlp.md "Dependencies").
"""

from __future__ import annotations

import base64
from typing import Any

from .otlp_values import OtlpFormatError


class OtlpDependencyError(RuntimeError):
    """A protobuf body arrived but opentelemetry-proto is not installed."""


def protobuf_request(body: bytes) -> dict[str, Any]:
    """The request in the OTLP/JSON shape; OtlpFormatError when the bytes are not one."""
    try:  # imported here: only protobuf bodies need it
        from google.protobuf.message import DecodeError  # noqa: PLC0415
        from opentelemetry.proto.collector.trace.v1 import trace_service_pb2  # noqa: PLC0415
    except ImportError as error:
        raise OtlpDependencyError(
            f"protobuf OTLP bodies need opentelemetry-proto ({error}): pip install 'spyglass[server]' or "
            "opentelemetry-proto, or send JSON (Content-Type: application/json)"
        ) from None
    request = trace_service_pb2.ExportTraceServiceRequest()
    try:
        request.ParseFromString(body)
    except DecodeError as error:
        raise OtlpFormatError(
            f"the body is not an OTLP ExportTraceServiceRequest in protobuf: {error}"
        ) from None
    return {
        "resourceSpans": [
            {
                "resource": {"attributes": _key_values(resource_spans.resource.attributes)},
                "scopeSpans": [
                    {"spans": [_span(span) for span in scope_spans.spans]}
                    for scope_spans in resource_spans.scope_spans
                ],
            }
            for resource_spans in request.resource_spans
        ]
    }


def _span(span: Any) -> dict[str, Any]:
    return {
        "traceId": span.trace_id.hex(),
        "spanId": span.span_id.hex(),
        "parentSpanId": span.parent_span_id.hex(),
        "name": span.name,
        "startTimeUnixNano": span.start_time_unix_nano,
        "endTimeUnixNano": span.end_time_unix_nano,
        "attributes": _key_values(span.attributes),
        "status": {"code": span.status.code, "message": span.status.message},
        "events": [
            {"name": event.name, "attributes": _key_values(event.attributes)} for event in span.events
        ],
    }


def _key_values(items: Any) -> list[dict[str, Any]]:
    return [{"key": item.key, "value": _any_value(item.value)} for item in items]


def _any_value(value: Any) -> dict[str, Any]:
    kind = value.WhichOneof("value")
    if kind is None:
        return {}
    if kind == "array_value":
        return {"arrayValue": {"values": [_any_value(item) for item in value.array_value.values]}}
    if kind == "kvlist_value":
        return {"kvlistValue": {"values": _key_values(value.kvlist_value.values)}}
    if kind == "bytes_value":
        return {"bytesValue": base64.b64encode(value.bytes_value).decode("ascii")}
    return {_JSON_NAMES[kind]: getattr(value, kind)}


_JSON_NAMES = {
    "string_value": "stringValue",
    "bool_value": "boolValue",
    "int_value": "intValue",
    "double_value": "doubleValue",
}
