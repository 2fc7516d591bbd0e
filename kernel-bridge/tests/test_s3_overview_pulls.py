"""A bucket store's first chart pulls each ended run's overview.arrow, not its history.parquet: the chart is
drawn from the stored levels, identical to the one a machine holding the histories draws; history.parquet is
pulled only when a zoom window needs the rows. A run without an overview in the bucket (written before they
existed) and a metric the overview keeps no levels of get their history after all.

The runs are written by the real writer into the bucket (it ships overview.arrow after history.parquet at
finish()); machine A is a mirror with its own local root, its GETs counted on the wire.
"""

from __future__ import annotations

import asyncio

import pyarrow as pa
import pytest
from store_builders import logged_run
from test_s3_readers_index import _Requests

from spyglass.server.bucket_sync import pull_runs
from spyglass.store.bucket import Bucket
from spyglass.store.bucket_mirror import BucketMirror
from spyglass.store.store_url import local_root, parse_store_url
from spyglass.workspace_data import window as windows
from spyglass.workspace_data.stored_overviews import step_overview_ipc
from spyglass.workspace_data.window import Window, metric_window

RUNS = ("r0", "r1", "r2")
BUCKETS = 64


def _rows(n: int) -> list[dict]:
    return [
        {"loss": (step * 7 + n) % 11 - (50.0 if step == 40 + n else 0.0), "note": f"s{step}"}
        for step in range(300)
    ]


@pytest.fixture
def machines(s3_store, tmp_path, monkeypatch):
    """Three ended runs written and shipped by this process (machine B), then machine A: a mirror with its
    own local root and its requests recorded."""
    writer_root = local_root(parse_store_url(s3_store))
    for n, run_id in enumerate(RUNS):
        logged_run(s3_store, "proj", run_id, _rows(n))
        assert (writer_root / "proj" / run_id / "overview.arrow").is_file()
    monkeypatch.setenv("SPYGLASS_CACHE_DIR", str(tmp_path / "machine-a"))
    mirror = BucketMirror(parse_store_url(s3_store), run_interval=0.0)
    assert mirror.root != writer_root
    requests = _Requests(mirror.bucket)
    windows.forget_all()
    yield writer_root, mirror, {"mirror": mirror}, requests
    requests.close()
    windows.forget_all()


def _gets(requests: _Requests) -> list[str]:
    """The keys GET (and HEAD) asked, below the project ("r0/run.json"); LISTs as "LIST <prefix>"."""
    keys = []
    for method, path in requests.take():
        parts = path.split("/", 4)  # "", bucket, "team", "proj", rest
        rest = parts[4] if len(parts) > 4 else ""
        keys.append(f"{method} {rest}" if method != "GET" or not rest else rest)
    return sorted(keys)


def test_the_first_chart_pulls_overviews_only_and_draws_what_the_histories_draw(machines):
    writer_root, mirror, settings, requests = machines
    asyncio.run(pull_runs(settings, mirror.root, "proj", list(RUNS), overview_of="loss"))
    assert _gets(requests) == sorted(f"{r}/{name}" for r in RUNS for name in ("run.json", "overview.arrow"))
    for run_id in RUNS:
        assert not (mirror.root / "proj" / run_id / "history.parquet").exists()
        assert not (mirror.root / "proj" / run_id / "history.sglog").exists()

    drawn = step_overview_ipc(mirror.root, "proj", "loss", list(RUNS), None, BUCKETS)
    expected = step_overview_ipc(writer_root, "proj", "loss", list(RUNS), None, BUCKETS)
    assert drawn == expected
    table = pa.ipc.open_stream(drawn).read_all()
    lowest = min(row["loss"] for n in range(len(RUNS)) for row in _rows(n))
    assert table.num_rows > 0 and min(table.column("y_min").to_pylist()) == lowest < -40  # the spikes kept

    # The same chart again asks nothing (rate limit of an ended run), and the overview is still used.
    asyncio.run(pull_runs(settings, mirror.root, "proj", list(RUNS), overview_of="loss"))
    assert _gets(requests) == []

    # A zoom window needs the rows: now, and only now, each history.parquet (one GET each).
    asyncio.run(pull_runs(settings, mirror.root, "proj", list(RUNS), ended_too=False))
    assert [key for key in _gets(requests) if key.endswith("history.parquet")] == [
        f"{r}/history.parquet" for r in RUNS
    ]
    zoom = Window("step", 0, 299, level=3)
    window = metric_window(str(mirror.root), "proj", "loss", None, list(RUNS), zoom)
    assert sum(row["n"] for row in window.to_pylist()) == 3 * 300
    # With the history here, the overview is checked against it (its fingerprint) and still answers.
    assert step_overview_ipc(mirror.root, "proj", "loss", list(RUNS), None, BUCKETS) == expected


def test_a_run_without_an_overview_in_the_bucket_gets_its_history(machines, s3_store):
    writer_root, mirror, settings, requests = machines
    Bucket.for_url(parse_store_url(s3_store)).delete("proj/r1/overview.arrow")  # an older run
    asyncio.run(pull_runs(settings, mirror.root, "proj", list(RUNS), overview_of="loss"))
    gets = _gets(requests)
    assert gets.count("r1/history.parquet") == 1 and "r1/overview.arrow" in gets  # asked, missing, then rows
    assert "r0/history.parquet" not in gets and "r2/history.parquet" not in gets
    drawn = step_overview_ipc(mirror.root, "proj", "loss", list(RUNS), None, BUCKETS)
    assert drawn == step_overview_ipc(writer_root, "proj", "loss", list(RUNS), None, BUCKETS)


def test_a_metric_without_stored_levels_gets_the_histories(machines):
    # "note" is a string column: the overview keeps no levels of it, and the chart says why from the rows.
    writer_root, mirror, settings, requests = machines
    asyncio.run(pull_runs(settings, mirror.root, "proj", list(RUNS), overview_of="note"))
    gets = _gets(requests)
    assert all(f"{r}/history.parquet" in gets for r in RUNS)
    drawn = step_overview_ipc(mirror.root, "proj", "note", list(RUNS), None, BUCKETS)
    assert drawn == step_overview_ipc(writer_root, "proj", "note", list(RUNS), None, BUCKETS)
