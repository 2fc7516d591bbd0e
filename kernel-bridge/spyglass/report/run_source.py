"""Finding a run a notebook output names, and reading its metadata and numeric metrics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from ..base.path_confinement import Roots, stays_within
from ..store.run_store import METADATA_FILE, RUN_FILES, RunDirectory
from ..workspace_data.index import _config_values, flatten
from .budgets import CELL_TEXT_LIMIT

STEP_COLUMN = "_step"


def locate_run(
    run_dir: str | None, project: str, run_id: str, store: Path | None, notebook_dir: Path
) -> list[Path]:
    """Where to look for a run, in order: the given store, the recorded path, ./spyglass by the notebook."""
    places: list[Path] = []
    if store is not None:
        places.append(store / project / run_id)
    if run_dir:
        places.append(Path(run_dir))
    places.append(notebook_dir / "spyglass" / project / run_id)
    return places


def project_store(
    project: str, recorded: Any, store: Path | None, notebook_dir: Path, roots: Roots | None = None
) -> tuple[Path | None, list[Path]]:
    """(the first store root holding `project` inside `roots`, or None; the roots looked at, in order: the
    given store, the one the output recorded, ./spyglass by the notebook)."""
    candidates = [Path(r) for r in (store, recorded, notebook_dir / "spyglass") if r]
    found = (r for r in candidates if (r / project).is_dir() and stays_within(r / project, roots))
    return next(found, None), candidates


def first_existing(places: list[Path], roots: Roots | None = None) -> tuple[Path | None, list[Path]]:
    """(the first place holding a run inside `roots`, or None; the places holding one outside them)."""
    found = [p for p in places if (p / METADATA_FILE).is_file()]
    inside = [p for p in found if stays_within(p, roots, RUN_FILES)]
    return (inside[0] if inside else None), [p for p in found if p not in inside]


def run_summary(path: Path) -> dict[str, Any]:
    """The title block's entry for a run: id, name, project, state and flat config (long values cut)."""
    meta = RunDirectory(path).read_metadata()
    flat = flatten(_config_values(meta.get("config")))
    return {
        "id": str(meta.get("run_id") or path.name),
        "name": str(meta.get("name") or meta.get("run_id") or path.name),
        "project": str(meta.get("project") or path.parent.name),
        "state": str(meta.get("state") or "unknown"),
        "config": {key: _short(value) for key, value in sorted(flat.items()) if not key.startswith("_")},
        "created_at": meta.get("created_at") or 0,
    }


def numeric_history(path: Path) -> tuple[list[Any], dict[str, pa.ChunkedArray]]:
    """(steps, {metric: values}) for every numeric, non-internal column of the run's history."""
    table = RunDirectory(path).read_history()
    if table.num_rows == 0 or STEP_COLUMN not in table.column_names:
        return [], {}
    steps = table.column(STEP_COLUMN)
    metrics = {
        field.name: table.column(field.name)
        for field in table.schema
        if not field.name.startswith("_")
        and (pa.types.is_floating(field.type) or pa.types.is_integer(field.type))
    }
    return steps, metrics


def _short(value: Any) -> Any:
    if isinstance(value, str) and len(value) > CELL_TEXT_LIMIT:
        return value[:CELL_TEXT_LIMIT] + "…"
    return value
