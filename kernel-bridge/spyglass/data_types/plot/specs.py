"""Vega-Lite specs of the plot presets, with wandb's `${field:...}` placeholders (see custom_chart)."""

from __future__ import annotations

import copy
from typing import Any

from ..errors import TableError

_TITLE = {"text": "${string:title}"}
_DATA = {"name": "table"}

SPECS: dict[str, dict[str, Any]] = {
    "line": {
        "title": _TITLE,
        "data": _DATA,
        "mark": {"type": "line", "point": False},
        "encoding": {
            "x": {"field": "${field:x}", "type": "quantitative"},
            "y": {"field": "${field:y}", "type": "quantitative"},
            "color": {"field": "${field:stroke}", "type": "nominal"},
        },
    },
    "scatter": {
        "title": _TITLE,
        "data": _DATA,
        "mark": "point",
        "encoding": {
            "x": {"field": "${field:x}", "type": "quantitative"},
            "y": {"field": "${field:y}", "type": "quantitative"},
        },
    },
    "bar": {
        "title": _TITLE,
        "data": _DATA,
        "mark": "bar",
        "encoding": {
            "y": {"field": "${field:label}", "type": "nominal", "sort": None},
            "x": {"field": "${field:value}", "type": "quantitative"},
        },
    },
    "histogram": {
        "title": _TITLE,
        "data": _DATA,
        "mark": "bar",
        "encoding": {
            "x": {"field": "${field:value}", "type": "quantitative", "bin": {"maxbins": 64}},
            "y": {"aggregate": "count", "type": "quantitative"},
        },
    },
    "confusion_matrix": {
        "title": _TITLE,
        "data": _DATA,
        "encoding": {
            "x": {"field": "${field:Predicted}", "type": "nominal", "sort": None},
            "y": {"field": "${field:Actual}", "type": "nominal", "sort": None},
        },
        "layer": [
            {
                "mark": "rect",
                "encoding": {"color": {"field": "${field:nPredictions}", "type": "quantitative"}},
            },
            {
                "mark": {"type": "text"},
                "encoding": {"text": {"field": "${field:nPredictions}", "type": "quantitative"}},
            },
        ],
    },
    "curve": {
        "title": _TITLE,
        "data": _DATA,
        "mark": {"type": "line", "interpolate": "linear"},
        "encoding": {
            "x": {"field": "${field:x}", "type": "quantitative", "title": "${string:x-axis-title}"},
            "y": {"field": "${field:y}", "type": "quantitative", "title": "${string:y-axis-title}"},
            "color": {"field": "${field:class}", "type": "nominal"},
            "order": {"field": "${field:x}"},
        },
    },
}

# wandb's preset ids, so that `plot_table("wandb/line/v0", table, fields)` keeps working.
WANDB_PRESETS = {
    "wandb/line/v0": "line",
    "wandb/scatter/v0": "scatter",
    "wandb/bar/v0": "bar",
    "wandb/histogram/v0": "histogram",
    "wandb/lineseries/v0": "line",
    "wandb/confusion_matrix/v1": "confusion_matrix",
    "wandb/area-under-curve/v0": "curve",
}


def preset_spec(name: str) -> dict[str, Any]:
    """A preset's spec by our name ("line") or wandb's id ("wandb/line/v0")."""
    key = WANDB_PRESETS.get(name, name)
    if key not in SPECS:
        raise TableError(
            f"unknown chart preset {name!r}; pass a Vega-Lite spec (dict) or one of "
            f"{sorted(SPECS) + sorted(WANDB_PRESETS)}."
        )
    return copy.deepcopy(SPECS[key])


def without_unset_color(spec: dict[str, Any], has_color: bool) -> dict[str, Any]:
    """Drop the color channel when the chart has no series column."""
    if not has_color:
        spec.get("encoding", {}).pop("color", None)
    return spec
