"""A chart logged as a table plus a Vega-Lite spec (wandb's CustomChart): `sg.plot_table(spec, t, fields)`.

The spec reads its rows from the named dataset "table" (`"data": {"name": "table"}`); `${field:NAME}` and
`${string:NAME}` placeholders (wandb's spec syntax) are replaced by `fields` and `string_fields`. The
reference stored in history is the table's, with the resolved spec under "spec"; the frontend renders it
through its interpreter-only Vega.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from ..errors import TableError
from ..media import Media
from ..media_store import MediaWriter
from ..table import Table
from .specs import preset_spec

_PLACEHOLDER = re.compile(r"\$\{(field|string):([^}]+)\}")


class CustomChart(Media):
    """A table and the Vega-Lite spec that draws it; log it like any value: run.log({"roc": chart})."""

    _type = "table"

    def __init__(
        self, table: Table, spec: Mapping[str, Any], fields: Mapping[str, str] | None = None
    ) -> None:
        self.table = table
        self.spec = dict(spec)
        self.fields = dict(fields or {})

    def to_reference(self, writer: MediaWriter, key: str, step: int | None) -> dict[str, Any]:
        reference = self.table.to_reference(writer, key, step)
        return {**reference, "spec": self.spec, "fields": self.fields}

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = self.table._repr_mimebundle_()
        for data in bundle.values():
            if isinstance(data, dict):
                data["spec"] = self.spec
        return bundle

    def __repr__(self) -> str:
        return f"<spyglass CustomChart {self.spec.get('title', '')!r} over {self.table!r}>"


def plot_table(
    vega_spec: Mapping[str, Any] | str,
    data_table: Table,
    fields: Mapping[str, str],
    string_fields: Mapping[str, str] | None = None,
    split_table: bool = False,
) -> CustomChart:
    """A custom chart: `vega_spec` (a Vega-Lite dict, or a wandb preset id such as "wandb/line/v0")."""
    if not isinstance(data_table, Table):
        raise TableError(f"plot_table needs an sg.Table, got {type(data_table).__name__}.")
    spec = preset_spec(vega_spec) if isinstance(vega_spec, str) else copy.deepcopy(dict(vega_spec))
    missing = [column for column in fields.values() if column not in data_table.columns]
    if missing:
        raise TableError(
            f"plot_table fields name columns {missing} that the table does not have ({data_table.columns})."
        )
    resolved = _resolve(spec, dict(fields), dict(string_fields or {}))
    resolved.setdefault("data", {"name": "table"})
    return CustomChart(data_table, resolved, fields)


def _resolve(value: Any, fields: dict[str, str], strings: dict[str, str]) -> Any:
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            source = fields if match.group(1) == "field" else strings
            return source.get(match.group(2), match.group(2) if match.group(1) == "field" else "")

        return _PLACEHOLDER.sub(replace, value)
    if isinstance(value, dict):
        return {key: _resolve(item, fields, strings) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, fields, strings) for item in value]
    return value
