"""Stand-in run.json files written from the project index, for readers that list run directories.

`sg.Api()`, the CLI and reports read a bucket store's local root like a local store, so an ended run whose
run.json was never fetched gets a stand-in built from its index row (project_index.record_metadata, marked
"indexed") until it is opened. The server's runs table does not need them: it lists the index rows directly
(workspace_data/indexed_runs.py). Rows already written as they are now are skipped without touching the disk
(10,000 runs listed again cost one dict lookup each); the record survives restarts in
<project>/.mirror-index.json.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .mirror_state import load_state, replace_file
from .project_index import ProjectIndex, record_metadata
from .run_store import METADATA_FILE
from .spool import has_marker

WRITTEN_ROWS_FILE = ".mirror-index.json"  # in a project directory: the index rows written as run.json
ENDED_STATES = frozenset({"finished", "failed", "crashed", "killed"})


class StandIns:
    """Writes stand-ins under `root` and remembers, per project, each row's updated_at written."""

    def __init__(self, root: Path, run_lock: Callable[[str, str], threading.Lock]) -> None:
        self.root = root
        self._run_lock = run_lock
        self._written: dict[str, dict[str, float]] = {}
        self._guard = threading.Lock()

    def write(self, project: str, index: ProjectIndex, valid: Callable[[str], bool]) -> int:
        """A stand-in for each ended run of `index` with no fetched run.json; the number written."""
        project_dir = self.root / project
        written = self._rows(project)
        before = dict(written)
        count = 0
        for run_id, row in index.rows.items():
            updated = row.get("updated_at") or 0.0
            if row.get("state") not in ENDED_STATES or written.get(run_id) == updated or not valid(run_id):
                continue
            written[run_id] = updated
            run_dir = project_dir / run_id
            if has_marker(run_dir) or load_state(run_dir).run_json_etag is not None:
                continue  # this machine writes it, or its real run.json is here
            with self._run_lock(project, run_id):
                if load_state(run_dir).run_json_etag is not None:
                    continue  # checked again under the lock: a pull fetched the real run.json meanwhile
                run_dir.mkdir(parents=True, exist_ok=True)
                replace_file(run_dir / METADATA_FILE, _json_bytes(record_metadata(row, project)))
                count += 1
        if written != before:
            replace_file(project_dir / WRITTEN_ROWS_FILE, json.dumps(written).encode("utf-8"))
        return count

    def _rows(self, project: str) -> dict[str, float]:
        """Per run, the index row's updated_at last written here (kept in memory, loaded once per project)."""
        with self._guard:
            rows = self._written.get(project)
            if rows is None:
                try:
                    loaded = json.loads((self.root / project / WRITTEN_ROWS_FILE).read_bytes())
                except (OSError, ValueError):
                    loaded = {}
                rows = self._written[project] = loaded if isinstance(loaded, dict) else {}
        return rows


def _json_bytes(value: dict[str, Any]) -> bytes:
    # Compact: json's C encoder (indent= falls back to the pure-Python one, 5x slower on 10,000 stand-ins).
    return (json.dumps(value, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


__all__ = ["ENDED_STATES", "WRITTEN_ROWS_FILE", "StandIns"]
