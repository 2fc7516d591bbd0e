"""wandb.plot's simple presets: line, scatter, bar, histogram and line_series, each a table plus a spec."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import TableError
from ..table import Table
from .custom_chart import CustomChart, plot_table
from .specs import preset_spec, without_unset_color


def line(
    table: Table, x: str, y: str, stroke: str | None = None, title: str = "", split_table: bool = False
) -> CustomChart:
    """A line of `y` over `x` (one line per value of `stroke`, if given)."""
    fields = {"x": x, "y": y, **({"stroke": stroke} if stroke else {})}
    return plot_table(without_unset_color(preset_spec("line"), bool(stroke)), table, fields, {"title": title})


def scatter(table: Table, x: str, y: str, title: str = "", split_table: bool = False) -> CustomChart:
    """Points of `y` against `x`."""
    return plot_table(preset_spec("scatter"), table, {"x": x, "y": y}, {"title": title})


def bar(table: Table, label: str, value: str, title: str = "", split_table: bool = False) -> CustomChart:
    """One bar per `label`, of length `value`."""
    return plot_table(preset_spec("bar"), table, {"label": label, "value": value}, {"title": title})


def histogram(table: Table, value: str, title: str = "", split_table: bool = False) -> CustomChart:
    """The distribution of column `value` (binned by Vega-Lite in the browser)."""
    return plot_table(preset_spec("histogram"), table, {"value": value}, {"title": title})


def line_series(
    xs: Sequence[Any],
    ys: Sequence[Sequence[Any]],
    keys: Sequence[str] | None = None,
    title: str = "",
    xname: str = "x",
    split_table: bool = False,
) -> CustomChart:
    """Several lines in one chart: `ys[i]` over `xs` (or over `xs[i]` when xs is a list of lists)."""
    if not ys:
        raise TableError("line_series needs at least one series in ys.")
    per_line = len(xs) > 0 and hasattr(xs[0], "__len__") and not isinstance(xs[0], str)
    names = list(keys) if keys is not None else [f"key_{index}" for index in range(len(ys))]
    if len(names) != len(ys):
        raise TableError(f"line_series got {len(names)} keys for {len(ys)} series.")
    table = Table(columns=["step", "lineKey", "lineVal"])
    for index, series in enumerate(ys):
        x_values = xs[index] if per_line else xs
        # A series and its x values of unequal length are cut to the shorter one, as wandb does (zip).
        for x_value, y_value in zip(x_values, series, strict=False):
            table.add_data(x_value, names[index], y_value)
    spec = preset_spec("line")
    spec["encoding"]["x"]["title"] = xname
    return plot_table(spec, table, {"x": "step", "y": "lineVal", "stroke": "lineKey"}, {"title": title})
