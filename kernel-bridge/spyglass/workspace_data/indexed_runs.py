"""The runs of a bucket project as the workspace lists them, straight from the project index rows.

A bucket project's runs table is answered from its index (runs.parquet + pending records: bucket_mirror
reads them) without a file per run: a run is listed from its index row until this machine holds its real
run.json (a run opened, charted or written here, or one running: the mirror pulls those with the index), and
from its local directory after that. The entries are those list_runs (index.py) gives for the same runs in a
local store: the same fields, the same order; a row's metric names are its numeric summary keys, since its
history is pulled only when it is charted.

The answer is encoded here, as JSON text: at 10,000 runs the dicts of the entries and their encoding cost
2.6 s of the server's CPU, so an index row whose config and summary are flat (scalars only: nothing for
`flatten` to do) is written out with its config and summary JSON text spliced in as stored, one C-encoded
dict per row for the rest; any other row takes row_entry, the reference (equal answers: tests).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from ..base.path_confinement import Roots
from ..store.mirror_state import load_state
from ..store.project_index import record_metadata
from ..store.run_state import effective_state
from ..store.run_store import is_valid_name, validate_name
from ..store.spool import has_marker
from .index import (
    _alerts,
    _duration,
    _number,
    _step_metrics,
    _text,
    empty_entry,
    fill_entry,
    indexed_metrics,
    project_listing,
    run_directories,
    run_entry,
)


def list_indexed_runs(
    store_root: str | os.PathLike[str],
    project: str,
    rows: dict[str, dict[str, Any]],
    now: float | None = None,
    roots: Roots | None = None,
) -> str:
    """The /runs answer (JSON text) of a bucket project from its index `rows` (run id -> row) and its local
    directories (runs written here before their index record, runs whose run.json was fetched)."""
    project_dir = Path(store_root) / validate_name("project", project)
    project_path = os.path.abspath(project_dir)
    local = {path.name: path for path in run_directories(store_root, project, roots)}
    now = time.time() if now is None else now
    runs: list[str] = []
    for run_id in sorted(set(rows) | set(local)):
        path = local.get(run_id)
        if path is not None and (run_id not in rows or _holds_run(path)):
            entry = run_entry(path, now=now)
            if entry is not None:
                runs.append(dumps(entry))
        elif is_valid_name("run id", run_id):
            row = rows[run_id]
            text = _flat_row_json(row, f"{project_path}{os.sep}{run_id}", now)
            if text is None:
                text = dumps(row_entry(row, project, project_dir / run_id, now))
            runs.append(text)
        # else: a hostile or foreign run id in the index, not a local directory name: not listed
    rest = project_listing(store_root, project, [], roots)
    del rest["runs"]
    return f'{{"runs":[{",".join(runs)}],{dumps(rest)[1:]}'


def dumps(value: Any) -> str:
    """The /runs encoding (strict JSON: non-finite summary values stay the strings run.json stores)."""
    return _ENCODER.encode(value)


_ENCODER = json.JSONEncoder(allow_nan=False, default=str)  # one, not one per call (10,000 rows)


def row_entry(row: dict[str, Any], project: str, path: Path, now: float | None = None) -> dict[str, Any]:
    """One run's listing entry from its index row; `path` is where its run directory is (or will be)."""
    meta = record_metadata(row, project)
    entry = empty_entry(path)
    fill_entry(entry, meta, path.name, now)
    entry["metrics"] = indexed_metrics(meta)
    return entry


def _flat_row_json(row: dict[str, Any], run_dir: str, now: float) -> str | None:
    """row_entry's entry as JSON text when the row's config and summary are flat objects of scalars (their
    stored text is then their flattened form); None for any other row."""
    config, summary = _flat_object(row.get("config")), _flat_object(row.get("summary"))
    if config is None or summary is None:
        return None
    run_id = row["run_id"]
    entry: dict[str, Any] = {
        "run_dir": run_dir,
        "run_id": _text(run_id) or os.path.basename(run_dir),
        "name": _text(row.get("name")) or _text(run_id) or os.path.basename(run_dir),
        "state": effective_state(row, now=now),
        "created_at": _number(row.get("created_at")),
        "duration": _duration(row),
        "tags": [tag for tag in _parse(row.get("tags"), "[]", list) if isinstance(tag, str)],
        "group": _text(row.get("group")),
        "job_type": _text(row.get("job_type")),
        # indexed_metrics: the numeric summary keys (json gives exact types: bool is not a number here)
        "metrics": sorted(k for k, v in summary.items() if type(v) in _NUMBERS and not k.startswith("_")),
        "damaged": None,
    }
    step_metrics = _step_metrics(_parse(row.get("metrics"), "{}", dict))
    if step_metrics:
        entry["step_metrics"] = step_metrics
    alerts = _alerts(_parse(row.get("alerts"), "[]", list))
    if alerts:
        entry["alerts"] = alerts
    return f'{dumps(entry)[:-1]}, "config": {row["config"]}, "summary": {row["summary"]}}}'


def _flat_object(text: Any) -> dict[str, Any] | None:
    # The parsed object when `text` is strict JSON of an object whose values are all scalars (what flatten
    # keeps as it is, as _config_values does); None otherwise. A bare NaN is not strict JSON: refused.
    if not isinstance(text, str) or not text.startswith("{"):
        return None
    try:
        value = _STRICT.decode(text)
    except ValueError:
        return None
    if not isinstance(value, dict) or any(type(v) not in _SCALARS for v in value.values()):
        return None
    return value


_SCALARS = frozenset({str, int, float, bool, type(None)})
_NUMBERS = (int, float)


def _refuse(constant: str) -> Any:
    raise ValueError(f"{constant} is not strict JSON")


_STRICT = json.JSONDecoder(parse_constant=_refuse)


def _parse(text: Any, empty_text: str, kind: type) -> Any:
    # record_metadata's reading of a JSON column, skipped for the common empty value.
    if text == empty_text or not isinstance(text, str):
        return kind()
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return kind()
    return value if isinstance(value, kind) else kind()


def _holds_run(path: Path) -> bool:
    # Its real run.json is here (fetched, or written by this machine); a stand-in from an index row is not.
    return has_marker(path) or load_state(path).run_json_etag is not None


__all__ = ["dumps", "list_indexed_runs", "row_entry"]
