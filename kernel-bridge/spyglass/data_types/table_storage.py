"""A logged table on disk: one Parquet file per logged version, `media/table/<key>_<step>_<sha8>.parquet`.

zstd-compressed, in row groups of ROW_GROUP_ROWS rows with a page index, so the explorer can fetch a range of
rows (HTTP range requests) without the whole file. Column types (media kinds included) are kept in the schema
metadata under b"spyglass".
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..base.atomic_file import write_atomic
from ..base.errors import StoreError
from .media_store import MEDIA_DIR, MediaWriter
from .reference import decode_reference

ROW_GROUP_ROWS = 65_536
SCHEMA_KEY = b"spyglass"


def write_parquet(arrow: pa.Table, columns: list[dict[str, str]], where: Any) -> None:
    """Write a table's Parquet file to `where` (a path or a stream), column types in the schema metadata."""
    metadata = dict(arrow.schema.metadata or {})
    metadata[SCHEMA_KEY] = json.dumps({"columns": columns}, separators=(",", ":")).encode()
    pq.write_table(
        arrow.replace_schema_metadata(metadata),
        where,
        compression="zstd",
        row_group_size=ROW_GROUP_ROWS,
        # Dictionary pages only for text: with 64k-row groups a float column's dictionary stays under the
        # 1 MiB fallback limit, so Parquet would hash every float (~1.7x the CPU) for a larger file.
        use_dictionary=[field.name for field in arrow.schema if _is_text(field.type)],
        write_page_index=True,
    )


def _is_text(arrow_type: pa.DataType) -> bool:
    return (
        pa.types.is_string(arrow_type)
        or pa.types.is_large_string(arrow_type)
        or pa.types.is_dictionary(arrow_type)
        or pa.types.is_binary(arrow_type)
    )


def table_bytes(arrow: pa.Table, columns: list[dict[str, str]]) -> pa.Buffer:
    """The Parquet file of a table, in memory."""
    sink = pa.BufferOutputStream()
    write_parquet(arrow, columns, sink)
    return sink.getvalue()


def store_table(
    arrow: pa.Table, columns: list[dict[str, str]], writer: MediaWriter, key: str, step: int | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write a new version of a table (its Arrow cells, its column types) under the writer's media/table/.

    Returns its reference and where it was stored (what a displayed table then points at).
    """
    path = writer.write_with("table", key, step, "parquet", lambda temp: write_parquet(arrow, columns, temp))
    stored = {"run_dir": str(writer.base_dir), "path": path, "key": key, "step": step}
    reference = {
        "_type": "table",
        "path": path,
        "nrows": arrow.num_rows,
        "ncols": arrow.num_columns,
        "columns": columns,
    }
    return reference, stored


def write_display_table(table_dir: Path, data: pa.Buffer) -> str:
    """Write a displayed (unlogged) table as `<table_dir>/<sha16>.parquet`; return the file name."""
    name = f"{hashlib.sha256(data).hexdigest()[:16]}.parquet"
    target = table_dir / name
    if not target.exists():
        table_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    return name


def load_table(run_dir: str | os.PathLike[str], reference: str | dict[str, Any]) -> pa.Table:
    """Read a logged table back from its reference (the JSON string in history, or the parsed dict)."""
    parsed = decode_reference(reference) if isinstance(reference, str) else reference
    if not parsed or parsed.get("_type") != "table":
        raise ValueError(f"not a table reference: {str(reference)[:200]!r}")
    relative = Path(parsed["path"])
    if relative.is_absolute() or ".." in relative.parts or relative.parts[:1] != (MEDIA_DIR,):
        raise ValueError(f"table reference path {parsed['path']!r} is not inside the run's media/ directory")
    return pq.read_table(Path(run_dir) / relative)


def logged_table(
    history: pa.Table, run_dir: str | os.PathLike[str], key: str, step: int | None = None
) -> pa.Table:
    """The table logged under `key` at `step` (default: the last one logged), read from its Parquet file."""
    if key not in history.column_names:
        raise KeyError(f"the run logged nothing under {key!r}")
    steps = history.column("_step").to_pylist()
    values = history.column(key).to_pylist()
    found = [(row_step, value) for row_step, value in zip(steps, values, strict=True) if value is not None]
    if step is not None:
        found = [(row_step, value) for row_step, value in found if row_step == step]
    if not found:
        raise KeyError(f"the run logged no {key!r} table" + (f" at step {step}" if step is not None else ""))
    reference = decode_reference(found[-1][1])
    if reference is None or reference.get("_type") != "table":
        raise StoreError(f"{key!r} holds {str(found[-1][1])[:80]!r}, not a table reference")
    return load_table(run_dir, reference)
