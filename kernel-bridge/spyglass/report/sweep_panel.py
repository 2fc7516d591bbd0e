"""A sweep output as a sweep block (the sweep panel's charts, drawn by the runtime from the snapshot) and a
table of its trials. The snapshot is rebuilt from the sweep's directory when the store is reachable, so a
notebook saved mid-sweep publishes the finished sweep; otherwise the saved snapshot is used, with a note."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ..base.errors import SpyglassError
from ..base.path_confinement import Roots, stays_within
from ..sweeps.snapshot import snapshot
from ..sweeps.store import SWEEP_FILE, SWEEPS_DIR
from . import messages


def sweep_blocks(
    bundle: dict[str, Any], store: Path | None, notebook_dir: Path, roots: Roots | None = None
) -> list[dict[str, Any]]:
    snap, note = current_snapshot(bundle, store, notebook_dir, roots)
    sweep = snap.get("sweep") or {}
    trials = [t for t in snap.get("trials") or [] if isinstance(t, dict)]
    counts = snap.get("counts") or {}
    name = str(sweep.get("name") or sweep.get("id") or bundle.get("sweep_id") or "sweep")
    title = messages.SWEEP_TITLE.format(
        name=name,
        method=sweep.get("method"),
        state=sweep.get("state"),
        done=counts.get("done", 0),
        failed=counts.get("failed", 0),
    )
    warnings = [str(w) for w in snap.get("warnings") or []]
    block = {
        "kind": "sweep",
        "title": title,
        "snapshot": _finite(snap),
        "note": "\n".join(filter(None, [note, *warnings])) or None,
    }
    return [block, _trials_table(name, trials)]


def current_snapshot(
    bundle: dict[str, Any], store: Path | None, notebook_dir: Path, roots: Roots | None
) -> tuple[dict[str, Any], str | None]:
    """(the sweep's snapshot read from its directory now, None), or (the snapshot saved in the output, a note
    saying why the store's state could not be used)."""
    saved = bundle.get("snapshot") if isinstance(bundle.get("snapshot"), dict) else {}
    places = _places(bundle, saved, store, notebook_dir)
    found = [p for p in places if (p / SWEEP_FILE).is_file()]
    inside = [p for p in found if stays_within(p, roots)]
    if inside:
        try:
            return snapshot(inside[0], roots), None
        except (SpyglassError, OSError, ValueError) as error:
            return saved, messages.SWEEP_UNREADABLE.format(path=inside[0], error=error)
    template = messages.SWEEP_OUTSIDE_ROOTS if found else messages.SWEEP_NOT_REACHABLE
    return saved, template.format(places=", ".join(map(str, found or places)))


def _places(
    bundle: dict[str, Any], saved: dict[str, Any], store: Path | None, notebook_dir: Path
) -> list[Path]:
    """Where the sweep may be, in order: under --store, where the output recorded it, ./spyglass beside
    the notebook."""
    sweep = saved.get("sweep") or {}
    sweep_id = str(bundle.get("sweep_id") or sweep.get("id") or "")
    project = str(bundle.get("project") or sweep.get("project") or "")
    tail = [project, SWEEPS_DIR, sweep_id] if project and sweep_id else None
    places = [store.joinpath(*tail)] if store is not None and tail else []
    if bundle.get("sweep_dir"):
        places.append(Path(str(bundle["sweep_dir"])))
    if tail:
        places.append(notebook_dir.joinpath("spyglass", *tail))
    return places


def _trials_table(name: str, trials: list[dict[str, Any]]) -> dict[str, Any]:
    params = sorted({p for t in trials for p in (t.get("params") or {})})
    columns = ["index", "state", "metric", "best_so_far", "run_id", *params]
    rows = [
        [t.get("index"), t.get("state"), t.get("metric"), t.get("best_so_far"), t.get("run_id")]
        + [(t.get("params") or {}).get(p) for p in params]
        for t in trials
    ]
    return {
        "kind": "table",
        "title": f"{name}: trials",
        "columns": [{"name": c, "type": "param" if c in params else "field"} for c in columns],
        "data": [[_cell(row[i]) for row in rows] for i in range(len(columns))]
        if rows
        else [[] for _ in columns],
        "nrows": len(rows),
        "note": None,
    }


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value if not isinstance(value, float) or math.isfinite(value) else str(value)
    return str(value)


def _finite(value: Any) -> Any:
    """The snapshot as strict JSON: a non-finite float (never a metric; a parameter may be one) is null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(key): _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value
