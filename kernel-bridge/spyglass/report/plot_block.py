"""Table bundles that carry a Vega-Lite spec (`sg.plot.*`, `sg.plot_table`) as plot blocks: chart + table.

The spec comes from the notebook's data, so it may only read the rows embedded beside it (the named dataset
"table"); a spec that names any other data source is shown as its table with a note, never drawn.
"""

from __future__ import annotations

from typing import Any

from . import messages


def plot_block(spec: Any, table: dict[str, Any]) -> list[dict[str, Any]]:
    """The blocks of one plot output: a plot block holding its table block, or a notice and the table."""
    if not isinstance(spec, dict) or _names_remote_data(spec):
        return [{"kind": "notice", "text": messages.PLOT_SPEC_REFUSED, "detail": None}, table]
    return [{"kind": "plot", "title": table["title"], "spec": spec, "table": table}]


def _names_remote_data(value: Any) -> bool:
    """True when any `data` (or `datasets` entry) of the spec is a URL rather than the named dataset."""
    if isinstance(value, list):
        return any(_names_remote_data(item) for item in value)
    if not isinstance(value, dict):
        return False
    data = value.get("data")
    if isinstance(data, dict) and "url" in data:
        return True
    return any(_names_remote_data(item) for item in value.values())
