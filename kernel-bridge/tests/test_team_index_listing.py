"""The /runs answer of a bucket project, encoded straight from its index rows (list_indexed_runs), is
the answer row_entry (the reference: record_metadata, fill_entry, flatten) gives for every kind of row:
flat rows take the fast path (their config and summary text spliced in), the others the reference itself."""

from __future__ import annotations

import json
import time

import pytest

from spyglass.store.project_index import _parse_runs, index_record, runs_parquet
from spyglass.workspace_data.index import project_listing
from spyglass.workspace_data.indexed_runs import _flat_row_json, dumps, list_indexed_runs, row_entry

NOW = 1_800_000_000.0


def _meta(run_id: str, **fields) -> dict:
    base = {
        "run_id": run_id,
        "name": f"name of {run_id}",
        "state": "finished",
        "created_at": NOW - 500,
        "updated_at": NOW - 100,
        "heartbeat_at": NOW - 100,
        "finished_at": NOW - 100,
        "host": "gpu-1",
        "config": {"lr": 0.1, "opt": "adam", "seed": 3, "warm": True, "none": None},
        "summary": {"loss": 0.25, "acc": 1, "_runtime": 4.0, "done": True, "note": "ok", "bad": "NaN"},
        "tags": ["a", "b"],
        "group": "g",
        "job_type": "train",
    }
    return {**base, **fields}


ROWS = [
    _meta("flat"),
    _meta("nested-config", config={"model": {"depth": 4, "act": "relu"}, "lr": 0.1}),
    _meta("wandb-config", config={"lr": {"value": 0.1, "desc": "learning rate"}}),
    _meta("list-values", config={"layers": [64, 32]}, summary={"hist": [1, 2]}),
    _meta("nested-summary", summary={"eval": {"f1": 0.5}, "loss": 1.0}),
    _meta("running-fresh", state="running", heartbeat_at=NOW - 5, finished_at=None),
    _meta("running-stale", state="running", heartbeat_at=NOW - 600, finished_at=None),
    _meta("no-state", state=None, name=None, created_at=None),
    _meta("alerted", alerts=[{"title": "diverged", "text": "loss up", "level": "WARN", "at": NOW - 50}]),
    _meta("step-metrics", metrics={"val/*": {"step_metric": "epoch"}, "loss": {"summary": ["min"]}}),
    _meta("odd-text", name='quote " and \\ and ünïcode \u2028', config={'k"ey': "va\\lue", "ü": "ß"}),
    _meta("empty", config={}, summary={}, tags=[]),
]


@pytest.fixture
def rows():
    # Through runs.parquet, as the server reads them.
    return {row["run_id"]: row for row in _parse_runs(runs_parquet(index_record(m) for m in ROWS), "k")}


def test_the_encoded_listing_equals_the_reference_for_every_kind_of_row(rows, tmp_path):
    (tmp_path / "proj").mkdir()
    answer = json.loads(list_indexed_runs(tmp_path, "proj", rows, now=NOW))
    expected = [row_entry(rows[run_id], "proj", tmp_path / "proj" / run_id, NOW) for run_id in sorted(rows)]
    assert answer["runs"] == json.loads(dumps(expected))
    assert answer == json.loads(dumps(project_listing(tmp_path, "proj", expected, None)))
    states = {entry["run_id"]: entry["state"] for entry in answer["runs"]}
    assert states["running-fresh"] == "running" and states["running-stale"] == "crashed"


def test_flat_rows_take_the_fast_path_and_the_others_do_not(rows):
    fast = {run_id for run_id, row in rows.items() if _flat_row_json(row, f"/s/{run_id}", NOW) is not None}
    assert fast == set(rows) - {"nested-config", "wandb-config", "list-values", "nested-summary"}


def test_a_bare_nan_in_a_hand_made_index_is_not_spliced_into_the_answer(rows):
    row = {**rows["flat"], "summary": '{"loss": NaN}'}
    assert _flat_row_json(row, "/s/flat", NOW) is None  # the reference decides (never invalid JSON out)


def test_ten_thousand_rows_cost_a_fraction_of_the_reference(tmp_path):
    # Side by side in one process: the encoded listing against the reference's entries and json.dumps.
    metas = [_meta(f"r{i:05d}", config={"lr": 0.1, "seed": i}) for i in range(10_000)]
    rows = {row["run_id"]: row for row in _parse_runs(runs_parquet(index_record(m) for m in metas), "k")}
    (tmp_path / "proj").mkdir()

    def reference() -> str:
        entries = [row_entry(rows[r], "proj", tmp_path / "proj" / r, NOW) for r in sorted(rows)]
        return dumps(project_listing(tmp_path, "proj", entries, None))

    def encoded() -> str:
        return list_indexed_runs(tmp_path, "proj", rows, now=NOW)

    times = {reference: [], encoded: []}
    for _ in range(3):
        for contender in (reference, encoded):
            started = time.process_time()
            contender()
            times[contender].append(time.process_time() - started)
    assert json.loads(encoded()) == json.loads(reference())
    assert min(times[encoded]) < 0.6 * min(times[reference]), times
