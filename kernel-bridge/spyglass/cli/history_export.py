"""Writing history tables to Parquet or CSV files (CSV cells that a spreadsheet would run are neutralised)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..base.atomic_file import output_file

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}
# A spreadsheet treats a cell starting with one of these as a formula (CSV injection, OWASP).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_format(path: str | os.PathLike[str]) -> str | None:
    """The export format named by the file extension ("parquet" or "csv"), None for any other."""
    return FORMATS.get(Path(path).suffix.lower())


def write_table(table: pa.Table, path: str | os.PathLike[str]) -> None:
    """Write `table` to `path` atomically (never through a symlink), as Parquet (zstd) or CSV by extension."""
    kind = export_format(path)
    if kind is None:
        raise ValueError(f"cannot tell the format of {os.fspath(path)!r}: name it .parquet or .csv")
    with output_file(path) as out:
        if kind == "parquet":
            pq.write_table(table, out, compression="zstd")
        else:
            _write_csv(table, out)


def neutralise_cell(value: Any) -> str:
    """The CSV text of a value; text that a spreadsheet would evaluate gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(_FORMULA_STARTS) else text


def _write_csv(table: pa.Table, out: Any) -> None:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = csv.writer(text)
    writer.writerow([neutralise_cell(name) for name in table.column_names])
    for batch in table.to_batches(max_chunksize=4096):
        columns = [column.to_pylist() for column in batch.columns]
        writer.writerows([neutralise_cell(value) for value in row] for row in zip(*columns, strict=True))
    text.flush()
    text.detach()  # leave `out` open: output_file fsyncs and closes it
