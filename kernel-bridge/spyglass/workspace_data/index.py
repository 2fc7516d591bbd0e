"""The runs of a project as the workspace lists them: flat config and summary, effective state, metric names.

Pure functions over the store (no server), shared by the server's /runs endpoint, tests and scripts. A
run whose files cannot be read is listed with `damaged` set to the reason; it never fails the listing. Metric
names are read from the Parquet footer (finished runs) or from the frame schemas of the framed log (running
runs), cached by file size and mtime so polling a large project stays cheap.
"""

from __future__ import annotations

import json
import math
import os
import threading
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..base.errors import SpyglassError, StoreError
from ..base.path_confinement import Roots, entries_within
from ..store.framed_log import iter_frames
from ..store.project_names import close_projects
from ..store.run_state import effective_state
from ..store.run_store import METADATA_FILE, PARQUET_FILE, RUN_FILES, RunDirectory, validate_name

# History columns that are not metrics (the step, wall clock and runtime of each row).
INDEX_COLUMNS = frozenset({"_step", "_timestamp", "_runtime"})
_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
MAX_LISTED_ALERTS = 20

_cache_lock = threading.Lock()
_metric_cache: dict[str, tuple[tuple[int, int], list[str]]] = {}


def list_projects(store_root: str | os.PathLike[str], roots: Roots | None = None) -> list[str]:
    """Project directories of a store root (dot-directories are feature data, not projects), sorted; with
    `roots`, only those whose real path lies inside them."""
    try:
        entries = os.scandir(store_root)
    except (FileNotFoundError, NotADirectoryError):
        return []
    keeps = entries_within(store_root, roots)
    with entries:
        return sorted(e.name for e in entries if e.is_dir() and not e.name.startswith(".") and keeps(e))


def run_directories(
    store_root: str | os.PathLike[str], project: str, roots: Roots | None = None
) -> list[Path]:
    """Run directories of a project (those holding a run.json), sorted by name; with `roots`, a run whose
    directory or files (run.json, history.sglog, ...) resolve outside them is not part of the project."""
    project_dir = Path(store_root) / validate_name("project", project)
    try:
        entries = sorted(os.scandir(project_dir), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    keeps = entries_within(project_dir, roots)
    return [
        Path(e.path)
        for e in entries
        if e.is_dir()
        and not e.name.startswith(".")
        and os.path.isfile(os.path.join(e.path, METADATA_FILE))
        and keeps(e, RUN_FILES)
    ]


def list_runs(
    store_root: str | os.PathLike[str], project: str, now: float | None = None, roots: Roots | None = None
) -> dict[str, Any]:
    """The /runs answer: {"runs": [entry, ...], "projects": [...]}, plus "close_matches" (projects named
    like it, project_names.py) when the project does not exist; a run deleted meanwhile is left out, and
    so is one leading outside `roots` when they are given (run_directories)."""
    runs = []
    for path in run_directories(store_root, project, roots):
        entry = run_entry(path, now=now)
        if entry is not None:
            runs.append(entry)
    return project_listing(store_root, project, runs, roots)


def project_listing(
    store_root: str | os.PathLike[str], project: str, runs: list[dict[str, Any]], roots: Roots | None
) -> dict[str, Any]:
    """The /runs answer around a project's run entries: the store's projects, and close matches when the
    project does not exist."""
    projects = list_projects(store_root, roots)
    if project in projects:
        return {"runs": runs, "projects": projects}
    return {"runs": runs, "projects": projects, "close_matches": close_projects(project, projects)}


def run_entry(path: Path, now: float | None = None) -> dict[str, Any] | None:
    """One run's listing entry; None if the directory vanished while it was read."""
    run = RunDirectory(path)
    entry = empty_entry(path)
    try:
        meta = run.read_metadata()
        if not isinstance(meta, dict):
            raise StoreError(f"{run.metadata_path} holds {type(meta).__name__}, not an object")
    except FileNotFoundError:
        return None
    except (StoreError, OSError, UnicodeDecodeError) as error:
        entry["damaged"] = f"run.json cannot be read: {error}"
        return entry
    fill_entry(entry, meta, path.name, now)
    try:
        entry["metrics"] = metric_names(run, running=entry["state"] == "running") or indexed_metrics(meta)
    except FileNotFoundError:
        if not path.exists():
            return None
    except (SpyglassError, OSError, pa.ArrowException) as error:
        entry["damaged"] = f"history cannot be read: {error}"
    return entry


def empty_entry(path: Path) -> dict[str, Any]:
    """A run's listing entry before its run.json is read (what a run that cannot be read shows)."""
    return {
        "run_dir": os.path.abspath(path),
        "run_id": path.name,
        "name": path.name,
        "state": "unknown",
        "created_at": None,
        "duration": None,
        "tags": [],
        "group": None,
        "job_type": None,
        "config": {},
        "summary": {},
        "metrics": [],
        "damaged": None,
    }


def fill_entry(entry: dict[str, Any], meta: dict[str, Any], dir_name: str, now: float | None) -> None:
    """The listing fields that come from run.json (all but the metric names)."""
    state = effective_state(meta, now=now)
    entry.update(
        run_id=_text(meta.get("run_id")) or dir_name,
        name=_text(meta.get("name")) or _text(meta.get("run_id")) or dir_name,
        state=state,
        created_at=_number(meta.get("created_at")),
        duration=_duration(meta),
        tags=[tag for tag in meta.get("tags") or [] if isinstance(tag, str)],
        group=_text(meta.get("group")),
        job_type=_text(meta.get("job_type")),
        config=flatten(_config_values(meta.get("config"))),
        summary=flatten(meta.get("summary") if isinstance(meta.get("summary"), dict) else {}),
    )
    step_metrics = _step_metrics(meta.get("metrics"))
    if step_metrics:
        entry["step_metrics"] = step_metrics
    alerts = _alerts(meta.get("alerts"))
    if alerts:
        entry["alerts"] = alerts


def flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts joined with "."; lists as compact text; non-finite strings ("NaN") back to floats."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, (list, tuple)):
            flat[name] = _compact(value)
        elif isinstance(value, str) and value in _NON_FINITE:
            flat[name] = value  # JSON cannot carry NaN; keep the stored spelling
        elif value is None or isinstance(value, (str, bool, int, float)):
            flat[name] = value
        else:
            flat[name] = str(value)
    return flat


def metric_names(run: RunDirectory, running: bool) -> list[str]:
    """Numeric metric names of a run's history, sorted: from the Parquet footer if finished, else the log."""
    use_parquet = not running and run.parquet_path.is_file()
    source = run.parquet_path if use_parquet else run.log_path
    try:
        stat = os.stat(source)
    except FileNotFoundError:
        if use_parquet or not run.metadata_path.exists():
            raise
        return []  # a run that has not logged yet
    key = (stat.st_size, stat.st_mtime_ns)
    with _cache_lock:
        cached = _metric_cache.get(str(source))
    if cached is not None and cached[0] == key:
        return cached[1]
    schemas = [pq.read_schema(source)] if use_parquet else _log_schemas(source)
    names: set[str] = set()
    for schema in schemas:
        for field in schema:
            if field.name not in INDEX_COLUMNS and _numeric(field.type):
                names.add(field.name)
    result = sorted(names)
    with _cache_lock:
        _metric_cache[str(source)] = (key, result)
    return result


def indexed_metrics(meta: dict[str, Any]) -> list[str]:
    """A bucket run listed from the project index has no history here until it is opened: its numeric
    summary keys name the metrics it logged (project_index.record_metadata marks such an entry "indexed")."""
    if meta.get("indexed") is not True or not isinstance(meta.get("summary"), dict):
        return []
    return sorted(
        key
        for key, value in meta["summary"].items()
        if not key.startswith("_") and isinstance(value, (int, float)) and not isinstance(value, bool)
    )


def _log_schemas(path: Path) -> list[pa.Schema]:
    seen: dict[bytes, pa.Schema] = {}
    for frame in iter_frames(path):
        # The payload opens with its schema message; frames of one run mostly share it, so dedupe by bytes.
        schema = pa.ipc.open_stream(pa.py_buffer(frame.payload)).schema
        seen.setdefault(schema.serialize().to_pybytes(), schema)
    return list(seen.values())


def _numeric(type_: pa.DataType) -> bool:
    return pa.types.is_integer(type_) or pa.types.is_floating(type_) or pa.types.is_boolean(type_)


def _config_values(config: Any) -> dict[str, Any]:
    if not isinstance(config, dict):
        return {}
    # wandb-style config entries {"value": v, "desc": ...} read as their value.
    return {
        key: value["value"]
        if isinstance(value, dict) and set(value) <= {"value", "desc"} and "value" in value
        else value
        for key, value in config.items()
    }


def _step_metrics(definitions: Any) -> dict[str, str]:
    if not isinstance(definitions, dict):
        return {}
    return {
        name: spec["step_metric"]
        for name, spec in definitions.items()
        if isinstance(spec, dict) and isinstance(spec.get("step_metric"), str)
    }


def _alerts(alerts: Any) -> list[dict[str, Any]]:
    # run.alert()'s records, newest last: the runs table shows their count and the latest (the last 20 kept).
    if not isinstance(alerts, list):
        return []
    kept = [
        {"title": a["title"], "text": _text(a.get("text")) or "", "level": _text(a.get("level")) or "INFO",
         "at": _number(a.get("at"))}
        for a in alerts
        if isinstance(a, dict) and isinstance(a.get("title"), str)
    ]  # fmt: skip
    return kept[-MAX_LISTED_ALERTS:]


def _duration(meta: dict[str, Any]) -> float | None:
    start = _number(meta.get("created_at"))
    end = (
        _number(meta.get("finished_at"))
        or _number(meta.get("heartbeat_at"))
        or _number(meta.get("updated_at"))
    )
    if start is None or end is None:
        return None
    return max(0.0, end - start)


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _compact(value: Any) -> str:
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        return str(value)


__all__ = [
    "INDEX_COLUMNS",
    "PARQUET_FILE",
    "flatten",
    "list_projects",
    "list_runs",
    "metric_names",
    "run_entry",
]
