"""`Artifact.add(obj, name)`: turn a value into files (a table or media value, a data frame, or JSON)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from ..data_types.media_store import MediaWriter
from .artifact_errors import ArtifactError


def value_files(obj: Any, name: str, scratch: str | Path) -> list[tuple[Path, str]]:
    """Write `obj` under a new directory in `scratch`; return (file, entry path) pairs to add.

    - Spyglass tables and media (anything with `to_reference`, issue 5): their files at the same relative
      paths as in a run directory (`media/...`), plus `<name>.<type>.json` holding the reference JSON;
    - pandas, polars or pyarrow tables: `<name>.parquet` (zstd);
    - anything JSON-serialisable: `<name>.json`.
    """
    staging = Path(tempfile.mkdtemp(dir=scratch))
    if hasattr(obj, "to_reference"):
        reference = obj.to_reference(MediaWriter(staging / "files"), name, None)
        files = [
            (path, path.relative_to(staging / "files").as_posix()) for path in _files_below(staging / "files")
        ]
        kind = str(reference.get("_type", "media"))
        return [
            *files,
            (_write(staging / "reference.json", json.dumps(reference, indent=1)), f"{name}.{kind}.json"),
        ]
    table = _as_arrow_table(obj)
    if table is not None:
        import pyarrow.parquet as pq

        path = staging / "table.parquet"
        pq.write_table(table, path, compression="zstd")
        return [(path, f"{name}.parquet")]
    try:
        text = json.dumps(obj, indent=1, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ArtifactError(
            f"add(): cannot store a {type(obj).__name__} as {name!r}: {error}. Pass a spyglass.Table or "
            "media value, a pandas/pyarrow table, a JSON-serialisable value, or write it with new_file()"
        ) from None
    return [(_write(staging / "value.json", text), f"{name}.json")]


def _files_below(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.is_file()) if directory.exists() else []


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _as_arrow_table(obj: Any) -> Any:
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover
        return None
    if isinstance(obj, pa.Table):
        return obj
    if type(obj).__module__.startswith(("pandas", "polars")) and hasattr(obj, "columns"):
        return obj.to_arrow() if hasattr(obj, "to_arrow") else pa.Table.from_pandas(obj, preserve_index=False)
    return None
