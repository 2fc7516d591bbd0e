"""The runs table of a bucket project is answered from the project index, not from a file per run.

2,000 runs are written as index rows directly (runs.parquet, plus one pending record), and the same runs as a
local store (run.json + history.parquet each). The server's /runs code path (bucket_sync.list_project_runs)
must give the local store's entries, with a handful of bucket requests whatever the number of runs, and create
nothing per run; charting the 100 newest runs pulls those 100 and no other.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from spyglass.server.bucket_sync import list_project_runs, pull_runs
from spyglass.store.bucket import Bucket
from spyglass.store.bucket_mirror import BucketMirror
from spyglass.store.project_index import index_record, put_pending, runs_key, runs_parquet
from spyglass.store.run_store import METADATA_FILE, PARQUET_FILE
from spyglass.store.store_url import parse_store_url
from spyglass.workspace_data.index import list_runs

RUNS = 2_000
NEWEST = 100
MAX_LISTING_REQUESTS = 12  # GET runs.parquet, LIST + GET pending, and the compaction that folds the record


def _meta(index: int) -> dict:
    created = 1_700_000_000.0 + index * 60
    return {
        "format": 1,
        "project": "proj",
        "run_id": f"run-{index:05d}",
        "name": f"trial {index}",
        "state": ("finished", "failed", "killed")[index % 3],
        "created_at": created,
        "updated_at": created + 30,
        "heartbeat_at": created + 29,
        "finished_at": created + 30,
        "host": f"machine-{index % 4}",
        "user": "ana",
        "tags": ["sweep", f"t{index % 5}"],
        "group": f"g{index % 7}",
        "job_type": "train",
        "config": {"lr": 10 ** -(index % 5), "model": {"depth": index % 9, "act": "relu"}, "seeds": [1, 2]},
        "summary": {"loss": 1.0 / (index + 1), "acc": (index % 100) / 100, "_runtime": 30.0},
        "metrics": {"acc": {"step_metric": "epoch"}} if index % 2 else {},
        "alerts": [{"title": f"alert {n}", "text": "loss rose", "level": "WARN", "at": created + n}
                   for n in range(index % 30)],
    }  # fmt: skip


def _write_local(root: Path, meta: dict) -> None:
    run_dir = root / "proj" / meta["run_id"]
    run_dir.mkdir(parents=True)
    (run_dir / METADATA_FILE).write_text(json.dumps(meta))
    history = pa.table({"_step": [0, 1], "loss": [1.0, meta["summary"]["loss"]], "acc": [0.0, 0.5]})
    pq.write_table(history, run_dir / PARQUET_FILE)


class _Requests:
    """Every HTTP request the bucket's boto3 client sends (botocore's before-send event)."""

    def __init__(self, bucket: Bucket) -> None:
        self.events = bucket._client.meta.events
        self.sent: list[tuple[str, str]] = []
        self.events.register("before-send.s3", self._record)

    def _record(self, request, **_) -> None:
        self.sent.append((request.method, unquote(urlsplit(request.url).path)))

    def take(self) -> list[tuple[str, str]]:
        sent, self.sent = self.sent, []
        return sent

    def close(self) -> None:
        self.events.unregister("before-send.s3", self._record)


@pytest.fixture
def requests_of(s3_store):
    bucket = Bucket.for_url(parse_store_url(s3_store))
    counter = _Requests(bucket)
    yield bucket, counter
    counter.close()


def _entries(listing: dict) -> dict[str, dict]:
    return {entry["run_id"]: {k: v for k, v in entry.items() if k != "run_dir"} for entry in listing["runs"]}


def test_runs_of_a_bucket_project_come_from_the_index_with_few_requests(s3_store, requests_of, tmp_path):
    bucket, requests = requests_of
    metas = [_meta(index) for index in range(RUNS + 1)]
    assert bucket.create(runs_key("proj"), runs_parquet(index_record(m) for m in metas[:RUNS])) is not None
    put_pending(bucket, "proj", metas[RUNS])  # a run the index has not folded in yet
    local = tmp_path / "local-store"
    for meta in metas:
        _write_local(local, meta)
    expected = list_runs(local, "proj")

    mirror = BucketMirror(parse_store_url(s3_store), bucket, run_interval=0.0)
    settings = {"mirror": mirror}
    requests.take()
    listing = json.loads(asyncio.run(list_project_runs(settings, mirror.root, "proj")))
    sent = requests.take()

    assert len(sent) <= MAX_LISTING_REQUESTS, sent
    assert not [path for _, path in sent if "/run-" in path and "/.index/" not in path]  # nothing per run
    assert _entries(listing) == _entries(expected)  # the local store's entries, field for field, in order
    assert [e["run_id"] for e in listing["runs"]] == [e["run_id"] for e in expected["runs"]]
    assert listing["runs"][7]["run_dir"] == str((mirror.root / "proj" / "run-00007").resolve())
    assert listing["projects"] == ["proj"]
    assert [p.name for p in (mirror.root / "proj").iterdir() if not p.name.startswith(".")] == []

    # Listed again (the page polls): one GET of runs.parquet and one LIST of the pending records at most.
    again = json.loads(asyncio.run(list_project_runs(settings, mirror.root, "proj")))
    assert sorted(method for method, _ in requests.take()) in ([], ["GET", "GET"])
    assert _entries(again) == _entries(expected)

    # The first chart of the 100 newest runs pulls those runs and no other.
    newest = sorted(metas, key=lambda m: m["created_at"])[-NEWEST:]
    others = metas[:3]
    for meta in newest + others:
        run_dir = local / "proj" / meta["run_id"]
        for name in (METADATA_FILE, PARQUET_FILE):
            bucket.put(f"proj/{meta['run_id']}/{name}", (run_dir / name).read_bytes())
    requests.take()
    chosen = [m["run_id"] for m in newest]
    asyncio.run(pull_runs(settings, mirror.root, "proj", chosen))
    touched = {path.split("/")[4] for _, path in requests.take() if path.count("/") >= 5}
    assert touched == set(chosen)  # path: /<bucket>/team/proj/<run_id>/...
    held = sorted(p.name for p in (mirror.root / "proj").iterdir() if not p.name.startswith("."))
    assert held == sorted(chosen)
    for run_id in chosen:
        assert (mirror.root / "proj" / run_id / PARQUET_FILE).read_bytes() == (
            local / "proj" / run_id / PARQUET_FILE
        ).read_bytes()

    # Those runs are now listed from their pulled files, still as the local store lists them.
    requests.take()
    mirror._pulled_at.clear()  # past the project interval
    after = json.loads(asyncio.run(list_project_runs(settings, mirror.root, "proj")))
    assert _entries(after) == _entries(expected)
    assert len(requests.take()) <= MAX_LISTING_REQUESTS
