"""Table bundles (application/vnd.spyglass.table.v1+json) as table blocks: the first rows, cells as text."""

from __future__ import annotations

import base64
import math
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from ..base.path_confinement import Roots, stays_within
from . import messages
from .budgets import CELL_TEXT_LIMIT, TABLE_ROW_BUDGET
from .table_media import MediaBudget, media_cell


def table_block(
    bundle: dict[str, Any],
    store: Path | None,
    roots: Roots | None = None,
    media: MediaBudget | None = None,
) -> dict[str, Any]:
    """The block of one table output; an unreadable table (or, with `roots`, one outside them) becomes a
    notice with the reason. Image cells become thumbnails charged to `media` (the report's budget)."""
    title = str(bundle.get("key") or "Table")
    try:
        table, base = _read(bundle, store, roots)
    except (OSError, ValueError, pa.ArrowException) as error:
        return {"kind": "notice", "text": messages.TABLE_UNREADABLE.format(error=error), "detail": None}
    total = table.num_rows
    shown = table.slice(0, TABLE_ROW_BUDGET)
    budget = media if media is not None else MediaBudget()
    left = total - shown.num_rows
    return {
        "kind": "table",
        "title": title,
        "columns": [{"name": f.name, "type": str(f.type)} for f in shown.schema],
        "data": [
            [media_cell(v, base, roots, budget) or _cell(v) for v in column.to_pylist()]
            for column in shown.columns
        ],
        "nrows": total,
        "note": messages.TABLE_TRUNCATED.format(
            shown=shown.num_rows, total=total, left=left, limit=TABLE_ROW_BUDGET
        )
        if left > 0
        else None,
    }


def rows_block(
    title: str, names: list[str], rows: list[list[Any]], total: int | None = None, note: str | None = None
) -> dict[str, Any]:
    """A table block of rows the builder made (not read from a file), cells cut as a table output's are; a
    column of numbers (or of booleans) keeps that type so the page sorts it as such."""
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in names]
    return {
        "kind": "table",
        "title": title,
        "columns": [{"name": n, "type": _type_of(c)} for n, c in zip(names, columns, strict=True)],
        "data": [[_cell(v) for v in column] for column in columns],
        "nrows": len(rows) if total is None else total,
        "note": note,
    }


def _type_of(column: list[Any]) -> str:
    present = [v for v in column if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "bool"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "double"
    return "string"


def table_rows(block: dict[str, Any]) -> list[list[Any]]:
    """Row-major cells of a table block."""
    return [list(row) for row in zip(*block["data"], strict=True)] if block["data"] else []


def _read(bundle: dict[str, Any], store: Path | None, roots: Roots | None) -> tuple[pa.Table, Path | None]:
    """The table and the directory its media paths are relative to (None when it has none)."""
    inline = bundle.get("inline_arrow")
    run_dir, rel = bundle.get("run_dir"), bundle.get("path")
    if inline:
        table = ipc.open_stream(base64.b64decode(inline)).read_all()
        bases = [b for b in _places(Path(run_dir), store) if b.is_dir()] if run_dir else []
        return table, bases[0] if bases else None
    if not run_dir or not rel:
        raise ValueError("the output names no table file")
    for base in _places(Path(run_dir), store):
        path = (base / rel).resolve()
        # Only a Parquet file inside the run (or .tables) directory: a crafted notebook must not make the
        # report embed other files of the machine that builds it.
        inside = path.is_relative_to(base.resolve()) and stays_within(path, roots)
        if path.suffix == ".parquet" and inside and path.is_file():
            return pq.read_table(path), base
    raise ValueError(f"{rel} is not in {run_dir}" + (f" nor in the store {store}" if store else ""))


def _places(run_dir: Path, store: Path | None) -> list[Path]:
    places = []
    if store is not None:
        # A run dir recorded on another machine: the same <project>/<run_id> (or .tables) under --store.
        tail = run_dir.parts[-1:] if run_dir.name == ".tables" else run_dir.parts[-2:]
        places.append(store.joinpath(*tail))
    places.append(run_dir)
    return places


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= CELL_TEXT_LIMIT else text[:CELL_TEXT_LIMIT] + "…"
