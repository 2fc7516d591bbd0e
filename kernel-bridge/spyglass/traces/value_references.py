"""Large and binary values of a traced call, stored as files next to the calls and referenced from the row.

A reference is JSON: {"_type": "ref", "kind", "path" (relative to the trace session directory), "size",
"sha256", ...what a viewer needs without opening the file (shape, dtype, columns, width, a text preview)}.
Only the encoding happens in the calling thread; the session's writer thread writes the files, before the
rows that reference them (docs/traces.md#values-stored-by-reference).
"""

from __future__ import annotations

import io
from typing import Any, Protocol

TEXT_PREVIEW_CHARS = 1000
_COLUMNS_SHOWN = 50


class ObjectSink(Protocol):
    """Where encoded files go: returns the path of the stored object, relative to the session directory."""

    def store_object(self, data: bytes, extension: str) -> tuple[str, str]:
        """Queue `data` for writing; return (relative path, sha256 hex)."""
        ...


def reference(sink: ObjectSink, kind: str, data: bytes, extension: str, **details: Any) -> dict[str, Any]:
    """Store `data` through `sink` and return its reference."""
    path, digest = sink.store_object(data, extension)
    return {"_type": "ref", "kind": kind, "path": path, "size": len(data), "sha256": digest, **details}


def text_reference(sink: ObjectSink, text: str) -> dict[str, Any]:
    """A long string: the full text in a file, its start inline (a 10 MB output is not drawn whole)."""
    data = text.encode("utf-8", "surrogatepass")
    return reference(sink, "text", data, ".txt", length=len(text), preview=text[:TEXT_PREVIEW_CHARS])


def binary_reference(value: Any, sink: ObjectSink) -> dict[str, Any] | None:
    """The reference of a binary or array value (bytes, numpy, torch, pandas, pyarrow, PIL), else None."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return reference(sink, "bytes", bytes(value), ".bin")
    family = type(value).__module__.partition(".")[0]
    encode = _BY_FAMILY.get(family)
    return encode(value, sink) if encode is not None else None


def _numpy(value: Any, sink: ObjectSink) -> dict[str, Any] | None:
    import numpy as np

    if isinstance(value, np.generic):
        return None  # a numpy scalar is inlined as the Python number it holds (value_encoding.py)
    if not isinstance(value, np.ndarray) or value.dtype.hasobject:
        return None  # object arrays would need pickle: recorded by type and repr instead
    return _array_reference(sink, "ndarray", value)


def _array_reference(sink: ObjectSink, kind: str, array: Any) -> dict[str, Any]:
    import numpy as np

    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return reference(sink, kind, buffer.getvalue(), ".npy", shape=list(array.shape), dtype=str(array.dtype))


def _torch(value: Any, sink: ObjectSink) -> dict[str, Any] | None:
    if not hasattr(value, "detach") or not hasattr(value, "cpu"):
        return None
    return _array_reference(sink, "tensor", value.detach().cpu().numpy())


def _pandas(value: Any, sink: ObjectSink) -> dict[str, Any] | None:
    import pandas as pd
    import pyarrow as pa

    if isinstance(value, pd.Series):
        value = value.to_frame()
    if not isinstance(value, pd.DataFrame):
        return None
    table = pa.Table.from_pandas(value)
    return _table_reference(sink, "dataframe", table, rows=len(value))


def _pyarrow(value: Any, sink: ObjectSink) -> dict[str, Any] | None:
    import pyarrow as pa

    if isinstance(value, pa.RecordBatch):
        value = pa.Table.from_batches([value])
    if not isinstance(value, pa.Table):
        return None
    return _table_reference(sink, "table", value, rows=value.num_rows)


def _table_reference(sink: ObjectSink, kind: str, table: Any, *, rows: int) -> dict[str, Any]:
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    columns = [str(name) for name in table.column_names[:_COLUMNS_SHOWN]]
    return reference(sink, kind, buffer.getvalue(), ".parquet", rows=rows, columns=columns)


def _pil(value: Any, sink: ObjectSink) -> dict[str, Any] | None:
    from PIL import Image

    if not isinstance(value, Image.Image):
        return None
    buffer = io.BytesIO()
    value.save(buffer, format="PNG")
    return reference(
        sink, "image", buffer.getvalue(), ".png", width=value.width, height=value.height, mode=value.mode
    )


_BY_FAMILY = {"numpy": _numpy, "torch": _torch, "pandas": _pandas, "pyarrow": _pyarrow, "PIL": _pil}
