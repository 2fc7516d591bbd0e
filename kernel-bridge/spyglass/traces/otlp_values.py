"""The pieces of OTLP both directions share: typed AnyValue attributes and the call id <-> span id mapping.

Ids (docs/otlp.md "Ids"): a Spyglass call id is 32 hex digits, an OTel span id 16. A call's span id is the XOR
of its id's two halves; a span ingested from OTLP gets the call id `L + hex(L ^ S)` where L is the low half
of its trace id and S its span id, so exporting it again gives back S (and its parent's S). A trace id is 32
hex digits in both worlds: a native call's trace id is its root call's id, an ingested one keeps its own.
"""

from __future__ import annotations

import base64
import json
import math
import re
from typing import Any

_HEX = re.compile(r"[0-9a-f]+")
_DIRECT = frozenset({"stringValue", "boolValue", "doubleValue"})  # AnyValue fields taken as they are


class OtlpFormatError(ValueError):
    """An OTLP request that does not follow the format (the message names the field and what was expected)."""


def span_id_of(call_id: str) -> str:
    """The 16-hex OTel span id of a 32-hex call id: the XOR of its two halves (never all zeros)."""
    high, low = int(call_id[:16], 16), int(call_id[16:32], 16)
    return f"{(high ^ low) or low or 1:016x}"


def call_id_of(trace_id: str, span_id: str) -> str:
    """The call id of an ingested span: inverse of span_id_of for spans of the same trace."""
    low = int(trace_id[16:], 16)
    return f"{low:016x}{low ^ int(span_id, 16):016x}"


def checked_id(value: Any, digits: int, field: str) -> str | None:
    """A trace (32) or span (16) id as lowercase hex; None when absent or empty; else OtlpFormatError."""
    if value in (None, ""):
        return None
    text = value.lower() if isinstance(value, str) else None
    if text is None or len(text) != digits or not _HEX.fullmatch(text):
        raise OtlpFormatError(
            f"{field} must be {digits} hex digits (OTLP/JSON encodes ids as hex), got {value!r}"
        )
    if int(text, 16) == 0:
        raise OtlpFormatError(f"{field} is all zeros, which OpenTelemetry defines as invalid")
    return text


def any_value(value: Any) -> dict[str, Any]:
    """A Python value as an OTLP AnyValue (JSON encoding): dicts become kvlists, sequences arrays."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        if -(1 << 63) <= value < (1 << 63):
            return {"intValue": str(value)}  # int64 is a string in proto3 JSON
        return {"stringValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value} if math.isfinite(value) else {"stringValue": repr(value)}
    if isinstance(value, str):
        return {"stringValue": value}
    if isinstance(value, bytes | bytearray):
        return {"bytesValue": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {"kvlistValue": {"values": key_values(value)}}
    if isinstance(value, list | tuple):
        return {"arrayValue": {"values": [any_value(item) for item in value]}}
    if value is None:
        return {}
    return {"stringValue": json.dumps(value, default=repr)}


def key_values(mapping: dict[str, Any]) -> list[dict[str, Any]]:
    """A dict as OTLP KeyValue list (None values left out: OTel attributes have no null)."""
    return [
        {"key": str(key), "value": any_value(value)} for key, value in mapping.items() if value is not None
    ]


def python_value(value: Any, field: str = "value") -> Any:
    """An OTLP AnyValue (JSON form, or a protobuf message turned into that form) as a Python value."""
    if not isinstance(value, dict):
        raise OtlpFormatError(
            f"{field} must be an AnyValue object such as {{'stringValue': 'x'}}, got {value!r}"
        )
    if not value:
        return None
    for key in ("stringValue", "boolValue", "doubleValue"):
        if key in value:
            return value[key]
    if "intValue" in value:
        try:
            return int(value["intValue"])
        except (TypeError, ValueError):
            raise OtlpFormatError(f"{field}.intValue must be an integer, got {value['intValue']!r}") from None
    if "bytesValue" in value:
        return value["bytesValue"]  # kept as its base64 text: call rows hold JSON
    if "arrayValue" in value:
        items = (value["arrayValue"] or {}).get("values") or []
        return [python_value(item, f"{field}[{index}]") for index, item in enumerate(items)]
    if "kvlistValue" in value:
        return attribute_dict((value["kvlistValue"] or {}).get("values"), field)
    raise OtlpFormatError(f"{field} has no known AnyValue field: {sorted(value)}")


def attribute_dict(values: Any, field: str = "attributes") -> dict[str, Any]:
    """An OTLP KeyValue list as a dict (a later duplicate key wins, as in the SDKs)."""
    if values is None:
        return {}
    if not isinstance(values, list):
        raise OtlpFormatError(f"{field} must be a list of {{'key', 'value'}} objects")
    result: dict[str, Any] = {}
    for index, item in enumerate(values):
        key = item.get("key") if isinstance(item, dict) else None
        if not isinstance(key, str):
            raise OtlpFormatError(f"{field}[{index}] must be an object with a string 'key'")
        value = item.get("value") or {}
        # The usual AnyValue, one scalar field, read here; others (and errors) in python_value, whose
        # field name (for its messages) is made only then.
        if type(value) is dict and len(value) == 1:
            ((kind, inner),) = value.items()
            if kind in _DIRECT:
                result[key] = inner
                continue
            if kind == "intValue":
                try:
                    result[key] = int(inner)
                    continue
                except (TypeError, ValueError):
                    pass
        result[key] = python_value(value, f"{field}[{key!r}]")
    return result


def json_or_text(value: Any) -> Any:
    """The value of JSON text (attributes carry structured values as JSON text); other values as they are."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
