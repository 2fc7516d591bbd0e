"""Values as strict JSON (what run.json, summaries and table cells hold; browsers reject NaN)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def json_safe(value: Any) -> Any:
    """`value` as strict JSON: numpy scalars and 0-d arrays as numbers, non-finite floats as strings."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    tolist = getattr(value, "tolist", None)  # numpy scalars and arrays, tensors
    if callable(tolist):
        try:
            return json_safe(tolist())
        except Exception:
            pass
    return str(value)
