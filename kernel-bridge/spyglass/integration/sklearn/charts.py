"""How the scikit-learn plots become charts: a table, an `sg.plot` preset spec, one logged row per chart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ...data_types import Table
from ...data_types.plot import CustomChart, plot_table
from ...data_types.plot.specs import preset_spec
from ..active_run import active_run, plain_number

# wandb's sklearn charts use at most this many rows (the first ones), to keep them light.
CHART_LIMIT = 1000


def make_table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    """A table of plain Python values (numpy scalars converted, so column types are ints, floats, text)."""
    return Table(columns=list(columns), data=[[_plain(value) for value in row] for row in rows])


def preset_chart(
    preset: str, table: Table, fields: Mapping[str, str], title: str, **strings: str
) -> CustomChart:
    """An `sg.plot` preset over `table`; a "color" field colours the marks by that column."""
    spec = preset_spec(preset)
    if "color" in fields:
        spec["encoding"]["color"] = {"field": "${field:color}", "type": "nominal"}
    return plot_table(spec, table, fields, {"title": title, **strings})


def curve_chart(table: Table, x: tuple[str, str], y: tuple[str, str], series: str, title: str) -> CustomChart:
    """Lines of column y[0] over x[0], one per value of `series`; x[1] and y[1] title the axes."""
    fields = {"x": x[0], "y": y[0], "class": series}
    return preset_chart("curve", table, fields, title, **{"x-axis-title": x[1], "y-axis-title": y[1]})


def log_chart(key: str, chart: CustomChart) -> None:
    """Log the chart under `key` as its own row of the current run (wandb.log({key: chart}))."""
    active_run(f"spyglass.sklearn ({key})").log({key: chart})


def _plain(value: Any) -> Any:
    value = plain_number(value)
    if (
        type(value).__module__ == "numpy"
    ):  # numpy text (np.str_) and other scalars the table should see as Python
        return value.item()
    return value
