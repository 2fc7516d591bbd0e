"""Validation of one logged row (the slow path of log()): flatten nested dicts, check keys and value types.

Nothing here converts values: numpy scalars and 0-d tensors are kept as they are and turned into floats by the
flusher thread, so log() never calls .item() (which would wait for the GPU).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, Literal

from ..base.nested_values import MAX_NESTING_DEPTH
from ..base.text_checks import MAX_NAME_LENGTH, LimitExceededError, check_name, describe, is_storable, preview

Kind = Literal["number", "string"]

# Exact types that need no further inspection: the common case, decided by one dict lookup.
_PLAIN_KINDS: dict[type, Kind | None] = {float: "number", int: "number", bool: "number", str: "string"}
_PLAIN_KINDS[type(None)] = None


def flatten_row(data: Mapping[str, Any], max_keys: int = sys.maxsize) -> dict[str, Any]:
    """Flatten nested dicts to 'a/b' keys; refuse empty, reserved ('_...'), non-string, unstorable and too
    long keys, dicts nested deeper than MAX_NESTING_DEPTH and dicts that contain themselves."""
    flat: dict[str, Any] = {}
    _flatten_into(flat, data, "", (id(data),), max_keys)
    return flat


def _flatten_into(
    flat: dict[str, Any], data: Mapping[str, Any], prefix: str, inside: tuple[int, ...], max_keys: int
) -> None:
    # `inside`: ids of the dicts from the row down to `data`, so a dict that contains itself is named as such.
    if len(inside) > MAX_NESTING_DEPTH + 1:
        raise LimitExceededError(
            f"run.log() got dicts nested more than {MAX_NESTING_DEPTH} levels deep, under "
            f"{preview(prefix[:-1])}; flatten them. Nothing of this row was recorded."
        )
    for key, value in data.items():
        if not isinstance(key, str):
            raise TypeError(
                f"run.log() keys must be strings; got {describe(key)} ({type(key).__name__})"
                + (f" inside '{prefix[:-1]}'" if prefix else "")
                + ". Convert it, e.g. str(key)."
            )
        if key == "":
            where = f" inside '{prefix[:-1]}'" if prefix else ""
            raise ValueError(f"run.log() got an empty key{where}; give every metric a name.")
        if not prefix and key.startswith("_"):
            raise ValueError(
                f"run.log() key '{key}' starts with '_', which is reserved for Spyglass's own columns "
                "(_step, _timestamp, _runtime); rename it."
            )
        name = prefix + key
        if isinstance(value, Mapping):
            if id(value) in inside:
                raise LimitExceededError(
                    f"run.log() got a dict that contains itself, at {preview(name)}; a row is a tree of "
                    "dicts. Nothing of this row was recorded."
                )
            _flatten_into(flat, value, name + "/", (*inside, id(value)), max_keys)
            continue
        if len(name) > MAX_NAME_LENGTH or not is_storable(name):
            check_name("run.log() metric name", name)
        if name in flat:
            raise ValueError(f"run.log() got metric '{name}' twice (once nested, once as a flat 'a/b' key).")
        elif len(flat) >= max_keys:  # stop early: a million keys would take seconds to flatten
            raise LimitExceededError(
                f"run.log() got more than {max_keys} metric keys in one row; a run holds at most {max_keys} "
                "distinct keys (each is a column). Nothing of this row was recorded."
            )
        else:
            flat[name] = value


def value_kind(key: str, value: object) -> Kind | None:
    """Return 'number', 'string' or None (a missing value) for a loggable value; raise TypeError otherwise."""
    try:
        return _PLAIN_KINDS[type(value)]
    except KeyError:
        pass
    if isinstance(value, str):
        return "string"
    if isinstance(value, (int, float)):  # subclasses, e.g. numpy.float64, IntEnum
        return "number"
    if _is_scalar_array(value):
        return "number"
    raise TypeError(refusal_message(key, value))


def refusal_message(key: str, value: object) -> str:
    """Why `value` cannot be logged under `key`, and what to log instead."""
    shape = getattr(value, "shape", None)
    if isinstance(value, (list, tuple)) or shape is not None:
        what = (
            f"a {_type_name(value)} of shape {tuple(shape)}"
            if shape is not None
            else f"a {_type_name(value)} of {len(value)} elements"  # type: ignore[arg-type]
        )
        advice = (
            "Log a scalar summary of it instead, such as np.mean(x) or float(x.max()), one key per "
            "element, or wrap it: spyglass.Histogram(x) for a distribution, spyglass.Image(x) for an image, "
            "spyglass.Table(...) for rows."
        )
    else:
        what = f"a {_type_name(value)}"
        advice = (
            "Log numbers (int, float, bool, numpy scalars, 0-d numpy arrays or torch tensors), strings or "
            "None."
        )
    return f"run.log() cannot log metric '{key}': {what} is not supported. {advice}"


def _is_scalar_array(value: object) -> bool:
    # numpy scalars and 0-d arrays, torch/jax/cupy 0-d tensors: all have a dtype and an empty shape. Only
    # metadata is read here; the flusher converts the value (and may wait for a GPU there, not here).
    dtype = getattr(value, "dtype", None)
    if dtype is None:
        return False
    try:
        shape = tuple(value.shape)  # type: ignore[attr-defined]
    except (AttributeError, TypeError):
        return False
    if shape != ():
        return False
    kind = getattr(dtype, "kind", None)  # numpy dtypes: b(ool), i(nt), u(nsigned), f(loat)
    if kind is not None:
        return kind in "biuf"
    is_complex = getattr(dtype, "is_complex", False)  # torch dtypes
    return not is_complex


def _type_name(value: object) -> str:
    cls = type(value)
    return cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def check_row(
    flat: Mapping[str, Any],
    kinds: dict[str, tuple[Kind, str]],
    refused: dict[str, str] | None = None,
    unstorable: list[str] | None = None,
) -> dict[str, tuple[Kind, str]]:
    """Check a row's values against the kinds seen so far (key -> (kind, first type name)); return new kinds.

    Raises before anything is recorded, so a bad row leaves no trace. With `refused` given, a value of an
    unsupported type does not raise: its key and the reason go into `refused` and the key gets no kind.
    Keys of strings holding a lone surrogate go into `unstorable` (text_checks), for the caller to replace.
    """
    new: dict[str, tuple[Kind, str]] = {}
    for key, value in flat.items():
        try:
            kind = value_kind(key, value)
        except TypeError as error:
            if refused is None:
                raise
            refused[key] = str(error)
            continue
        if kind is None:
            continue
        if kind == "string" and unstorable is not None and not is_storable(value):
            unstorable.append(key)
        known = kinds.get(key) or new.get(key)
        if known is None:
            new[key] = (kind, _type_name(value))
        elif known[0] != kind:
            raise TypeError(
                f"run.log() metric '{key}' was logged as a {known[0]} ({known[1]}) before and is now a "
                f"{kind} "
                f"({_type_name(value)} {describe(value)}); a metric keeps one kind, so log this under "
                "another name. "
                "Nothing of this row was recorded."
            )
    return new
