"""Builds the golden shape fixtures in packages/protocol/fixtures/{run-json,bundles,server} from real runs.

run.json of a running and a finished run, the table, workspace and run MIME bundles, and the answers of the
server's /runs, /metric (rows and step overview) and /histograms, each made by the code that makes it for
users. Times, process facts and paths are pinned to fixed values after their type is checked (`_pin`), so
the files stay stable and any other change of shape shows. `python kernel-bridge/tests/shape_fixtures.py`
(re)writes them; test_shape_fixtures.py checks that the files and the real outputs agree, and the
TypeScript tests parse the same files with the protocol's guards.
"""

from __future__ import annotations

import base64
import json
import math
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa

import spyglass as sg
from spyglass.base.protocol_constants import RUN_MIME_TYPE
from spyglass.workspace_data.histograms import read_histograms
from spyglass.workspace_data.index import list_runs
from spyglass.workspace_data.overview import overview_ipc
from spyglass.workspace_data.series import read_metric

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "packages" / "protocol" / "fixtures"
PROJECT = "demo"
FINISHED_ID = "k3x9q2ab"
RUNNING_ID = "p7m2c4xd"
# Where the fixtures say the store lives (the real one is a temporary directory).
STORE = "/home/user/spyglass"
T0 = 1764280000.0
SETTINGS = {"system_metrics": False, "disable_git": True, "disable_packages": True, "display": False}
PINNED_ENVIRONMENT = {
    "python": "3.11.7",
    "python_implementation": "CPython",
    "platform": "Linux-6.8.0-x86_64-with-glibc2.36",
    "host": "workstation",
    "user": "user",
    "executable": "/home/user/.venv/bin/python",
    "cpu_count": 8,
    "cwd": "/home/user",
    "program": "train.py",
    "args": [],
}


def _pin(obj: dict[str, Any], key: str, value: Any, *types: type) -> None:
    """Replace obj[key] by `value` once it is checked to be of one of `types` (a changed type still shows)."""
    assert isinstance(obj[key], types), f"{key}: {obj[key]!r} is not {types}"
    obj[key] = value


def _pinned_run_json(meta: dict[str, Any], created: float) -> dict[str, Any]:
    meta = json.loads(json.dumps(meta))
    _pin(meta, "created_at", created, float)
    _pin(meta, "updated_at", created + 42.5, float)
    _pin(meta, "heartbeat_at", created + 42.5, float)
    if meta["finished_at"] is not None:
        _pin(meta, "finished_at", created + 42.5, float)
    _pin(meta, "pid", 4242, int)
    _pin(meta, "host", "workstation", str)
    _pin(meta, "spyglass_version", "0.1.0", str)
    assert set(meta["environment"]) >= {"python", "platform", "host"}, meta["environment"]
    _pin(meta, "environment", PINNED_ENVIRONMENT, dict)
    return meta


def _json_number(value: Any) -> Any:
    """NaN and ±inf as run.json stores them ("NaN", "Infinity", "-Infinity"): JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def _table_rows(table: pa.Table) -> dict[str, list[Any]]:
    return {name: [_json_number(v) for v in table.column(name).to_pylist()] for name in table.column_names}


def _arrow_answer(ipc: bytes, pin_columns: dict[str, Any], pin_meta: dict[str, Any]) -> dict[str, Any]:
    """An Arrow IPC answer as JSON: the `spyglass` schema metadata, the columns with their types, the rows,
    and the stream itself (re-encoded from the pinned rows) for the TypeScript readers."""
    table = pa.ipc.open_stream(ipc).read_all()
    meta = json.loads(table.schema.metadata[b"spyglass"])
    for key, value in pin_meta.items():
        meta[key] = value(meta[key])
    for name, value in pin_columns.items():
        index = table.column_names.index(name)
        table = table.set_column(
            index, name, pa.array(value(table.column(name)), table.schema.field(name).type)
        )
    table = table.replace_schema_metadata({b"spyglass": json.dumps(meta).encode()})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return {
        "metadata": meta,
        "schema": [{"name": f.name, "type": str(f.type)} for f in table.schema],
        "rows": _table_rows(table),
        "ipc": base64.b64encode(sink.getvalue().to_pybytes()).decode("ascii"),
    }


def _pinned_walls(column: pa.ChunkedArray) -> list[float]:
    walls = column.to_pylist()
    assert all(isinstance(w, float) for w in walls), walls
    return [T0 + i * 0.5 for i in range(len(walls))]


def _pinned_cursors(cursors: dict[str, int]) -> dict[str, int]:
    assert all(isinstance(seq, int) and seq >= 0 for seq in cursors.values()), cursors
    return {run_id: 0 for run_id in cursors}


def _init(root: Path, run_id: str, name: str, **options: Any) -> Any:
    return sg.init(
        project=PROJECT,
        id=run_id,
        name=name,
        dir=root,
        reinit="create_new",
        settings=sg.Settings(**SETTINGS, heartbeat_interval=15.0),
        **options,
    )


def _log_rows(run: Any, losses: list[float]) -> None:
    for step, loss in enumerate(losses):
        run.log({"loss": loss, "acc": step / 4, "epoch": step // 2})


def build(root: Path) -> dict[str, dict[str, Any]]:
    """Every shape fixture, from real runs under `root` (a store directory the caller deletes)."""
    finished = _init(
        root, FINISHED_ID, "first run", config={"lr": 0.001, "layers": [64, 32]}, tags=["baseline"]
    )
    finished.define_metric("loss", summary="min", goal="minimize")
    _log_rows(finished, [1.0, 0.5, 0.25])
    finished.log(
        {
            "loss": 0.375,
            "acc": 0.75,
            "epoch": 1,
            "grads": sg.Histogram(np_histogram=([1, 3, 2], [0, 0.5, 1, 1.5])),
        }
    )
    finished.flush()
    running_meta = json.loads((Path(finished.dir) / "run.json").read_text())
    finished.finish()
    finished_meta = json.loads((Path(finished.dir) / "run.json").read_text())

    running = _init(root, RUNNING_ID, "second run", config={"lr": 0.01, "layers": [64, 32]}, group="sweep-a")
    _log_rows(running, [0.9, float("nan"), 0.3])
    running.flush()

    table = sg.Table(columns=["image_id", "label", "score"], data=[[0, "cat", 0.75], [1, "dog", None]])
    inline_table = table._repr_mimebundle_()
    running.log({"predictions": table})
    running.flush()
    logged_table = table._repr_mimebundle_()

    listing = list_runs(root, PROJECT)
    rows = read_metric(root, PROJECT, "loss")
    histograms = read_histograms(root, PROJECT, "grads")
    workspace = sg.workspace(PROJECT, store=root)._repr_mimebundle_()
    running_bundle = running._repr_mimebundle_()
    running.finish()

    return {
        "run-json/running": _fixture(
            "run.json of a running run after four logged rows (summary, last_step: at the heartbeat).",
            _pinned_run_json(running_meta, T0),
        ),
        "run-json/finished": _fixture(
            "run.json of the same run once finished: summary (loss as its min), define_metric, exit code.",
            _pinned_run_json(finished_meta, T0),
        ),
        "bundles/table-inline": _fixture(
            "A displayed sg.Table never logged: the rows travel inline as a base64 Arrow IPC stream.",
            inline_table,
        ),
        "bundles/table-logged": _fixture(
            "The same table once logged: the Parquet file under the run's media/ directory.",
            _pinned_paths(logged_table, root),
        ),
        "bundles/workspace": _fixture("sg.workspace(project) in a notebook.", _pinned_paths(workspace, root)),
        "bundles/run": _fixture(
            "A run's live panel (what init() displays; its static SVG fallback left out here).",
            {RUN_MIME_TYPE: _pinned_paths(running_bundle[RUN_MIME_TYPE], root)},
        ),
        "server/runs": _fixture(
            "GET /runs: a finished and a running run (durations pinned).", _pinned_listing(listing, root)
        ),
        "server/metric": _fixture(
            "GET /metric?metric=loss: the rows of both runs (wall times and cursors pinned).",
            _arrow_answer(rows.to_ipc(), {"wall": _pinned_walls}, {"cursors": _pinned_cursors}),
        ),
        "server/metric-overview": _fixture(
            "GET /metric?metric=loss&overview_buckets=4: the step overview (one M4 pyramid level).",
            _arrow_answer(overview_ipc(rows, 4), {}, {"cursors": _pinned_cursors}),
        ),
        "server/histograms": _fixture(
            "GET /histograms?metric=grads: one histogram of the finished run.", histograms
        ),
    }


def _pinned_paths(value: Any, root: Path) -> Any:
    """`value` with the temporary store directory replaced by STORE wherever a string starts with it."""
    text = json.dumps(value).replace(json.dumps(str(root))[1:-1], STORE)
    return json.loads(text)


def _pinned_listing(listing: dict[str, Any], root: Path) -> dict[str, Any]:
    listing = _pinned_paths(listing, root)
    for run in listing["runs"]:
        _pin(run, "created_at", T0, float)
        _pin(run, "duration", 42.5, float)
    return listing


def _fixture(description: str, data: Any) -> dict[str, Any]:
    return {"description": description, "data": data}


def fixtures() -> dict[str, dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="spyglass-shapes-") as tmp:
        return build(Path(tmp) / "store")


def write_fixtures() -> None:
    for name, fixture in fixtures().items():
        path = FIXTURE_DIR / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(fixture, indent=2, allow_nan=False) + "\n")


if __name__ == "__main__":
    sys.exit(write_fixtures())
