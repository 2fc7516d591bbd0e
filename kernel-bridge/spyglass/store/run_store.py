"""The run store on disk: <root>/<project>/<run_id>/{run.json, history.sglog, history.parquet,
overview.arrow} (overview.arrow: workspace_data/overview_file.py)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..base.atomic_file import atomic_output, fsync_directory, write_atomic
from ..base.errors import InvalidNameError, StoreError
from ..base.text_checks import describe, is_storable, replace_surrogates
from .arrow_codec import decode_payload
from .framed_log import read_framed_log
from .store_faults import store_write_error

# Re-exported: readers and writers have always found the store root here.
from .store_url import DEFAULT_STORE_DIR as DEFAULT_STORE_DIR
from .store_url import resolve_store_root as resolve_store_root

METADATA_FILE = "run.json"
LOG_FILE = "history.sglog"
SYSTEM_LOG_FILE = "system.sglog"  # the system metrics stream (system_metrics.py), same framed format
PARQUET_FILE = "history.parquet"
OVERVIEW_FILE = "overview.arrow"  # the first chart's M4 levels, written after history.parquet
# Every file a reader of a run opens.
RUN_FILES = (METADATA_FILE, LOG_FILE, SYSTEM_LOG_FILE, PARQUET_FILE, OVERVIEW_FILE)

# Characters that would change the meaning of a path or of a URL built from it (the server and the frontend
# put project and run names in URLs), plus path separators of every platform.
_FORBIDDEN_CHARACTERS = ("/", "\\", "#", "?", "%", ":")
_MAX_NAME_BYTES = 255  # NAME_MAX on common filesystems

# The columns every history has, so an empty run still reads as a table with the documented schema.
_EMPTY_HISTORY_SCHEMA = pa.schema(
    [("_step", pa.int64()), ("_timestamp", pa.float64()), ("_runtime", pa.float64())]
)


def validate_name(kind: str, name: str) -> str:
    """Return `name` if it is usable as one directory name in the store; raise InvalidNameError otherwise."""
    if not isinstance(name, str) or not name:
        raise InvalidNameError(f"{kind} must be a non-empty string, got {describe(name)}")
    problem = None
    if any(ch in name for ch in _FORBIDDEN_CHARACTERS):
        problem = "contains one of / \\ # ? % :"
    elif ".." in name or name.startswith("."):
        problem = "contains '..' or starts with '.' (hidden entries are not part of the store)"
    elif any(ord(ch) < 0x20 or ch == "\x7f" for ch in name):
        problem = "contains a control character (NUL, newline, ...)"
    elif not is_storable(name):
        problem = "holds a lone surrogate (no UTF-8 encoding)"
    elif len(name.encode("utf-8", "surrogatepass")) > _MAX_NAME_BYTES:
        problem = f"is longer than {_MAX_NAME_BYTES} bytes in UTF-8"
    if problem is not None:
        raise InvalidNameError(f"{kind} {name!r} {problem}; it is used as a directory name, pick another")
    return name


def is_valid_name(kind: str, name: str) -> bool:
    """validate_name as a test: False for a name that cannot be a directory of the store (a foreign key)."""
    try:
        validate_name(kind, name)
    except InvalidNameError:
        return False
    return True


class RunDirectory:
    """One run's directory in the store, and the files in it."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.metadata_path = self.path / METADATA_FILE
        self.log_path = self.path / LOG_FILE
        self.parquet_path = self.path / PARQUET_FILE

    @classmethod
    def create(
        cls, root: str | os.PathLike[str], project: str, run_id: str, *, exist_ok: bool = False
    ) -> RunDirectory:
        """Create <root>/<project>/<run_id>/ (and parents); refuse an existing run unless exist_ok."""
        project_dir = Path(root) / validate_name("project", project)
        run_path = project_dir / validate_name("run id", run_id)
        try:
            project_dir.mkdir(parents=True, exist_ok=True)
            run_path.mkdir(exist_ok=exist_ok)
        except FileExistsError:
            raise StoreError(
                f"run directory {run_path} already exists; choose another run id or resume the run"
            ) from None
        except OSError as error:  # a read-only store, no permission, a full disk: say which directory
            raise store_write_error(run_path, "create the run directory", error) from error
        fsync_directory(project_dir)
        return cls(run_path)

    def write_metadata(self, meta: dict[str, Any]) -> None:
        """Replace run.json atomically (temp file, fsync, rename, fsync directory)."""
        text = json.dumps(_json_safe(meta), indent=2, ensure_ascii=False, allow_nan=False)
        if not is_storable(text):  # a lone surrogate that got past the checks at the call (text_checks)
            text = replace_surrogates(text)
        try:
            write_atomic(self.metadata_path, (text + "\n").encode("utf-8"))
        except OSError as error:  # StoreWriteError naming run.json: disk full, read-only, directory deleted
            raise store_write_error(self.metadata_path, "write run metadata", error) from error

    def read_metadata(self) -> dict[str, Any]:
        """Return the contents of run.json."""
        try:
            return json.loads(self.metadata_path.read_bytes())
        except json.JSONDecodeError as error:
            raise StoreError(f"{self.metadata_path} is not valid JSON: {error}") from error

    def read_history(self) -> pa.Table:
        """Return every valid row of the log as one table (columns unified by name, nulls where missing)."""
        return read_log_table(self.log_path)

    def export_parquet(self) -> Path:
        """Write history.parquet (zstd) from the log, atomically, and return its path."""
        table = self.read_history()
        with atomic_output(self.parquet_path) as out:
            pq.write_table(table, out, compression="zstd")
        return self.parquet_path

    def __repr__(self) -> str:
        return f"RunDirectory({str(self.path)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RunDirectory) and self.path == other.path

    def __hash__(self) -> int:
        return hash(self.path)


def find_runs(root: str | os.PathLike[str], project: str | None = None) -> list[RunDirectory]:
    """Return the runs under `root` (only `project`'s if given) that have a run.json, sorted by path."""
    root_path = Path(root)
    projects = [root_path / validate_name("project", project)] if project is not None else _subdirs(root_path)
    return [
        RunDirectory(run_path)
        for project_path in projects
        for run_path in _subdirs(project_path)
        if (run_path / METADATA_FILE).is_file()
    ]


def read_log_table(path: str | os.PathLike[str]) -> pa.Table:
    """Return every valid row of a framed log (history or system) as one table; an absent log has no rows."""
    if not os.path.exists(path):
        return _EMPTY_HISTORY_SCHEMA.empty_table()
    batches = [decode_payload(frame.payload) for frame in read_framed_log(path).frames]
    if not batches:
        return _EMPTY_HISTORY_SCHEMA.empty_table()
    # Contiguous arrays: Parquet export and engines reading the table are much faster than over one chunk
    # per frame (a long run has tens of thousands of small frames).
    return concat_unified(_tables_of_equal_schema(batches)).combine_chunks()


def concat_unified(tables: list[pa.Table]) -> pa.Table:
    """Concatenate tables with differing columns: unified by name, nulls where missing, conflicts as text."""
    return _concat_unified(tables)


def _subdirs(path: Path) -> list[Path]:
    try:
        return sorted(entry for entry in path.iterdir() if entry.is_dir() and not entry.name.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []


def _tables_of_equal_schema(batches: list[pa.RecordBatch]) -> list[pa.Table]:
    # Runs of frames with one schema need no promotion; grouping them makes schema unification cheap.
    groups: list[list[pa.RecordBatch]] = []
    for batch in batches:
        if groups and groups[-1][0].schema.equals(batch.schema):
            groups[-1].append(batch)
        else:
            groups.append([batch])
    return [pa.Table.from_batches(group) for group in groups]


def _concat_unified(tables: list[pa.Table]) -> pa.Table:
    # "permissive": a metric stored as int64 while it held only ints becomes float64 once a frame holds a
    # float (docs/store-format.md); every row is kept.
    try:
        return pa.concat_tables(tables, promote_options="permissive")
    except pa.ArrowTypeError:
        pass
    # A metric logged as a number in one frame and as text in another has no common Arrow type. Keep every
    # value by storing that column as text, rather than refusing to read (or export) the whole run.
    types: dict[str, set[pa.DataType]] = {}
    for table in tables:
        for field in table.schema:
            types.setdefault(field.name, set()).add(field.type)
    conflicting = {name for name, seen in types.items() if len(seen) > 1 and not _promotable(seen)}
    widened = [_cast_columns_to_string(table, conflicting) for table in tables]
    return pa.concat_tables(widened, promote_options="permissive")


def _promotable(types: set[pa.DataType]) -> bool:
    schemas = [pa.schema([("column", type_)]) for type_ in types]
    try:
        pa.unify_schemas(schemas, promote_options="permissive")
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return False
    return True


def _cast_columns_to_string(table: pa.Table, names: set[str]) -> pa.Table:
    for index, field in enumerate(table.schema):
        if field.name in names and field.type != pa.string():
            as_text = table.column(index).cast(pa.string())
            table = table.set_column(index, pa.field(field.name, pa.string()), as_text)
    return table


def _json_safe(value: Any) -> Any:
    """Return `value` with NaN/±inf as strings, numpy and path values as plain JSON (browsers reject NaN)."""
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if hasattr(value, "tolist"):  # numpy scalars and arrays, 0-d tensors
        return _json_safe(value.tolist())
    raise TypeError(f"run metadata value {value!r} of type {type(value).__name__} cannot be stored as JSON")
