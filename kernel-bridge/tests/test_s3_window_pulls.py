"""A zoom window over a bucket project asks the bucket nothing for the ended runs already pulled, and its
buckets are the M4 of the rows the bucket holds; a run resumed elsewhere is asked again.

The first chart pulls each run (run.json, history.parquet); later windows over the same runs must not send a
request per run at each zoom (100 runs, 100 GETs), while a chart (/metric) still re-checks them.
"""

from __future__ import annotations

import asyncio
import json

import pyarrow.parquet as pq
import pytest
from bucket_runs import BucketCopier
from store_builders import live_metadata, logged_run
from test_s3_readers_index import _Requests

from spyglass.server.bucket_sync import pull_runs
from spyglass.store.bucket import Bucket
from spyglass.store.bucket_mirror import BucketMirror
from spyglass.store.store_url import parse_store_url
from spyglass.workspace_data import window as windows
from spyglass.workspace_data.window import Window, metric_window

RUNS = ("r0", "r1", "r2")


@pytest.fixture
def pulled(s3_store, tmp_path):
    """Three ended runs written on machine B and shipped, pulled once by machine A's chart."""
    bucket = Bucket.for_url(parse_store_url(s3_store))
    for n, run_id in enumerate(RUNS):
        rows = [{"loss": (step * 7 + n) % 11 - (50.0 if step == 40 + n else 0.0)} for step in range(120)]
        BucketCopier(bucket, logged_run(tmp_path / "machine-b", "proj", run_id, rows).path).ship()
    mirror = BucketMirror(parse_store_url(s3_store), run_interval=0.0)
    requests = _Requests(mirror.bucket)
    settings = {"mirror": mirror}
    asyncio.run(pull_runs(settings, mirror.root, "proj", list(RUNS)))  # the chart
    windows.forget_all()
    yield bucket, mirror, settings, requests
    requests.close()
    windows.forget_all()


def test_windows_ask_the_bucket_nothing_for_ended_runs_pulled_and_answer_their_rows(pulled):
    _, mirror, settings, requests = pulled
    requests.take()
    mirror._pulled_at.clear()  # past every interval: only ended_too=False keeps the bucket out of it
    asyncio.run(pull_runs(settings, mirror.root, "proj", list(RUNS), ended_too=False))
    assert requests.take() == []
    table = metric_window(str(mirror.root), "proj", "loss", None, list(RUNS), Window("step", 0, 119, level=4))
    for index, run_id in enumerate(RUNS):
        loss = pq.read_table(mirror.root / "proj" / run_id / "history.parquet").column("loss").to_numpy()
        mine = [row for row in table.to_pylist() if row["run"] == index]
        assert sum(row["n"] for row in mine) == len(loss) == 120
        assert min(row["y_min"] for row in mine) == loss.min() < -39  # the spike
        assert max(row["y_max"] for row in mine) == loss.max()
    # A chart still re-checks them (run.json of each).
    mirror._pulled_at.clear()
    asyncio.run(pull_runs(settings, mirror.root, "proj", list(RUNS)))
    assert {path.split("/")[4] for _, path in requests.take()} == set(RUNS)


def test_a_run_resumed_elsewhere_is_asked_again_by_the_windows(pulled):
    bucket, mirror, settings, requests = pulled
    meta = json.loads((mirror.root / "proj" / "r1" / "run.json").read_text())
    bucket.put("proj/r1/run.json", json.dumps({**meta, **live_metadata()}).encode())
    # The project index says r1 runs again: sync_index pulls its run.json (as sync_run does here).
    mirror.sync_run("proj", "r1", streams=(), parquet=False, force=True)
    requests.take()
    mirror._pulled_at.clear()
    asyncio.run(pull_runs(settings, mirror.root, "proj", list(RUNS), ended_too=False))
    assert {path.split("/")[4] for _, path in requests.take()} == {"r1"}
