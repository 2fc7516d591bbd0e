"""Inputs and outputs of a traced call as JSON-ready values, built so that recording never fails the call.

Numbers, booleans, None and short strings are kept as they are (the hot path's common case costs one type
check). Containers are copied (a value mutated after the call is recorded as it was), secrets under common
argument and key names are redacted, large and binary values become references to files
(value_references.py), and anything else, including a cycle or a value whose conversion raises, is recorded
by its type and repr. docs/traces.md describes the shapes.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import functools
import json
import os
import uuid
from collections.abc import Mapping
from typing import Any

from .value_references import ObjectSink, binary_reference, reference, text_reference

INLINE_TEXT_CHARS = 65536  # longer strings are stored by reference
MAX_INLINE_ITEMS = 1000  # a list or dict with more items is stored by reference, as JSON
MAX_DEPTH = 20
REPR_CHARS = 1000
REDACTED = "<redacted>"

PLAIN_TYPES = _PLAIN = frozenset({int, float, bool, type(None)})  # recorded as they are
# Values that cannot change after the call: the caller keeps them as they are and the session's writer
# thread encodes them (kept_json: a string over INLINE_TEXT_CHARS becomes a reference there).
KEPT_TYPES = frozenset({int, float, bool, type(None), str})

# Argument and key names whose values are never recorded (compared lowercased, "-" read as "_").
DEFAULT_SECRET_NAMES = frozenset(
    {
        "api_key",
        "apikey",
        "authorization",
        "auth",
        "auth_headers",
        "password",
        "passwd",
        "secret",
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "bearer",
        "client_secret",
        "private_key",
        "x_api_key",
        "cookie",
        "set_cookie",
        "proxy_authorization",
    }
)
DEFAULT_SECRET_SUFFIXES = ("_api_key", "_apikey", "_secret", "_password", "_token", "_secret_key")

_extra_secret_names: frozenset[str] = frozenset()


def redact_names(names: Any) -> None:
    """Add argument and key names to redact in every trace session of this process."""
    global _extra_secret_names
    if isinstance(names, str):
        names = [names]
    _extra_secret_names = _extra_secret_names | {_normalised(name) for name in names}
    is_secret_name.cache_clear()


def _normalised(name: str) -> str:
    return name.lower().replace("-", "_")


@functools.lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    """Whether values under this argument or key name are redacted."""
    key = _normalised(name)
    return key in DEFAULT_SECRET_NAMES or key in _extra_secret_names or key.endswith(DEFAULT_SECRET_SUFFIXES)


def encode(value: Any, sink: ObjectSink) -> Any:
    """`value` as a JSON-ready tree (references for large values); never raises."""
    kind = type(value)
    if kind in _PLAIN or (kind is str and len(value) <= INLINE_TEXT_CHARS):
        return value
    try:
        return _encode(value, sink, 0, set())
    except Exception as error:  # a conversion that fails records the value by type and repr
        return described(value, f"could not be recorded: {type(error).__name__}: {error}")


def encode_named(name: str, value: Any, sink: ObjectSink) -> Any:
    """An argument's value, redacted when its name says it holds a secret."""
    if is_secret_name(name):
        return REDACTED
    return encode(value, sink)


def type_name(value: Any) -> str:
    """`module.Qualname` of the value's type (builtins without module)."""
    kind = type(value)
    module = getattr(kind, "__module__", "")
    qualname = getattr(kind, "__qualname__", kind.__name__)
    return qualname if module in ("builtins", "", None) else f"{module}.{qualname}"


def described(value: Any, reason: str | None = None) -> dict[str, Any]:
    """A value recorded by its type and (shortened) repr; a repr that raises is said so."""
    try:
        text = repr(value)
    except BaseException as error:  # noqa: BLE001 - a hostile __repr__ must not fail the traced call
        text = f"<repr raised {type(error).__name__}>"
    if len(text) > REPR_CHARS:
        text = text[:REPR_CHARS] + "…"
    record = {"_type": "repr", "type": type_name(value), "repr": text}
    if reason is not None:
        record["reason"] = reason
    return record


def _encode(value: Any, sink: ObjectSink, depth: int, enclosing: set[int]) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is str:
        return value if len(value) <= INLINE_TEXT_CHARS else text_reference(sink, value)
    if isinstance(value, (dict, list, tuple, set, frozenset, Mapping)):
        return _container(value, sink, depth, enclosing)
    simple = _simple(value)
    if simple is not _NOT_SIMPLE:
        return simple
    binary = binary_reference(value, sink)
    if binary is not None:
        return binary
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
        return _object(value, fields, sink, depth, enclosing)
    dump = getattr(value, "model_dump", None)  # pydantic models (the OpenAI and Anthropic clients' types)
    if callable(dump) and not isinstance(value, type):
        return _object(value, dump(), sink, depth, enclosing)
    return described(value)


def _container(value: Any, sink: ObjectSink, depth: int, enclosing: set[int]) -> Any:
    identity = id(value)
    if identity in enclosing:
        return described(value, "cycle: the value contains itself")
    if depth >= MAX_DEPTH:
        return described(value, f"nested deeper than {MAX_DEPTH} levels")
    if len(value) > MAX_INLINE_ITEMS:
        # The whole value goes to a file as JSON; the row keeps its length and a few items.
        return _json_reference(sink, value, _encode_items(value, sink, depth, enclosing))
    return _encode_items(value, sink, depth, enclosing)


def _encode_items(value: Any, sink: ObjectSink, depth: int, enclosing: set[int]) -> Any:
    enclosing.add(id(value))
    try:
        if isinstance(value, Mapping):
            return {
                str(key): REDACTED
                if isinstance(key, str) and is_secret_name(key)
                else _encode(item, sink, depth + 1, enclosing)
                for key, item in value.items()
            }
        items = value if isinstance(value, (list, tuple)) else _ordered(value)
        return [_encode(item, sink, depth + 1, enclosing) for item in items]
    finally:
        enclosing.discard(id(value))


def _json_reference(sink: ObjectSink, value: Any, full: Any) -> dict[str, Any]:
    data = to_json(full).encode("utf-8", "surrogatepass")
    shown = list(full.items())[:5] if isinstance(full, dict) else full[:5]
    preview = dict(shown) if isinstance(full, dict) else shown
    return reference(sink, "json", data, ".json", type=type_name(value), length=len(value), preview=preview)


def _ordered(items: Any) -> list[Any]:
    try:
        return sorted(items)
    except TypeError:
        return list(items)


def _object(value: Any, fields: Any, sink: ObjectSink, depth: int, enclosing: set[int]) -> dict[str, Any]:
    identity = id(value)
    if identity in enclosing:
        return described(value, "cycle: the value contains itself")
    enclosing.add(identity)
    try:
        return {
            "_type": "object",
            "type": type_name(value),
            "value": _encode(fields, sink, depth + 1, enclosing),
        }
    finally:
        enclosing.discard(identity)


_NOT_SIMPLE = object()


def _simple(value: Any) -> Any:
    """Values with an obvious text or number form (dates, paths, numpy scalars, enums), else _NOT_SIMPLE."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return {"_type": "enum", "type": type_name(value), "name": value.name}
    if isinstance(value, (uuid.UUID, decimal.Decimal, os.PathLike)):
        return os.fspath(value) if isinstance(value, os.PathLike) else str(value)
    if type(value).__module__ == "numpy" and hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        item = value.item()
        return item if type(item) in _PLAIN or type(item) is str else _NOT_SIMPLE
    if isinstance(value, (int, float, str)):  # subclasses (IntEnum handled above): their plain value
        return (int if isinstance(value, int) else float if isinstance(value, float) else str)(value)
    return _NOT_SIMPLE


def collected(items: list[Any], sink: ObjectSink) -> Any:
    """The encoded items a generator yielded: inline, or by reference past MAX_INLINE_ITEMS."""
    return items if len(items) <= MAX_INLINE_ITEMS else _json_reference(sink, items, items)


_STRICT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
_LENIENT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _refuse(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not an encoded value")


# JSONEncoder.encode builds a new C encoder on every call; the writer thread encodes a few values per call,
# so one C encoder is made once (no cycle markers: encoded values are trees). CPython's json has it; else
# the encoder above does the same, slower.
_C_STRICT = getattr(json.encoder, "c_make_encoder", None)
if _C_STRICT is not None:
    _C_STRICT = _C_STRICT(None, _refuse, json.encoder.encode_basestring, None, ":", ",", False, False, False)


def _float_json(value: float) -> str:
    text = float.__repr__(value)
    if value - value == 0:  # finite (inf - inf and nan - nan are nan)
        return text
    return '"NaN"' if value != value else '"Infinity"' if value > 0 else '"-Infinity"'


# JSON of the scalars the writer thread meets most (kept arguments and outputs), without the encoder.
_SCALAR_JSON: dict[type, Any] = {
    int: int.__repr__,
    str: json.encoder.encode_basestring,
    float: _float_json,
    bool: {True: "true", False: "false"}.__getitem__,
    type(None): lambda _: "null",
}
scalar_json = _SCALAR_JSON.get  # scalar_json(type(value)): its JSON function, or None for other types


def to_json(value: Any) -> str:
    """Strict JSON of an encoded value (NaN and ±inf as strings)."""
    convert = _SCALAR_JSON.get(type(value))
    if convert is not None:
        return convert(value)
    try:
        return "".join(_C_STRICT(value, 0)) if _C_STRICT is not None else _STRICT.encode(value)
    except ValueError:  # a non-finite float somewhere in the tree
        return _LENIENT.encode(_finite(value))


def kept_json(value: Any, sink: ObjectSink) -> str:
    """JSON of a value kept as passed (a number, None or a string): a long string becomes a reference."""
    if type(value) is str and len(value) > INLINE_TEXT_CHARS:
        return to_json(text_reference(sink, value))
    return to_json(value)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value
