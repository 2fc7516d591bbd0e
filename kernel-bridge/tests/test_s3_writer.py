"""Writers of an s3:// store against the real test S3 server (docs/team.md, "Writers").

The bucket holds the run as the local spool holds it: segments that concatenate to history.sglog byte for
byte, run.json, history.parquet at finish, the project index; live runs ship at least every interval; init
fails clearly (wrong endpoint, no write permission) before any thread starts; credentials are stored nowhere;
hostile project and run names round-trip through the bucket.
"""

from __future__ import annotations

import json
import threading
import time
import warnings

import numpy as np
import pyarrow.parquet as pq
import pytest
from s3_writers import assert_no_secret, files_under, steps_of, stream_in_bucket, wait_for

import spyglass as sg
from spyglass.base.errors import BucketAccessDenied, BucketUnreachable
from spyglass.store.bucket import Bucket
from spyglass.store.bucket_mirror import BucketMirror
from spyglass.store.mirror_state import load_state
from spyglass.store.project_index import read_index
from spyglass.store.store_url import local_root, parse_store_url
from spyglass.tracking import session

FAST = {"segment_interval": 0.3, "system_metrics": False}


def bucket_of(url: str) -> Bucket:
    return Bucket.for_url(parse_store_url(url))


def test_finished_run_in_the_bucket_is_the_spool_byte_for_byte(s3_store):
    run = sg.init(
        project="p", id="r1", dir=s3_store, settings={"segment_interval": 0.3, "system_interval": 0.2}
    )
    run.log({"picture": sg.Image(np.full((8, 8, 3), 200, dtype=np.uint8))}, commit=False)
    for step in range(3000):
        run.log({"loss": 1.0 / (step + 1), "acc": step * 0.001})
        if step % 1000 == 999:
            time.sleep(0.5)  # several segments, shipped while the run lives
    run.finish()
    bucket = bucket_of(s3_store)
    spool = local_root(parse_store_url(s3_store)) / "p" / "r1"
    shipped = stream_in_bucket(bucket, "p", "r1")
    assert shipped == (spool / "history.sglog").read_bytes()
    assert steps_of(shipped) == list(range(3000))
    assert len(list(bucket.list("p/r1/segments/history/"))) >= 2
    assert stream_in_bucket(bucket, "p", "r1", "system") == (spool / "system.sglog").read_bytes()
    assert json.loads(bucket.get("p/r1/run.json")) == json.loads((spool / "run.json").read_bytes())
    assert json.loads(bucket.get("p/r1/run.json"))["state"] == "finished"
    parquet = spool.parent / "parquet-from-bucket"
    bucket.download_file("p/r1/history.parquet", parquet)
    assert pq.read_table(parquet).column("_step").to_pylist() == list(range(3000))
    assert bucket.get("p/r1/overview.arrow") == (spool / "overview.arrow").read_bytes()  # the first chart's
    # The run is given up: no lease, no spool marker; the mirror takes the directory over where the bucket is.
    assert bucket.head("p/r1/lease.json") is None
    assert not (spool / ".spool.json").exists()
    assert load_state(spool).streams["history"].end == len(shipped)
    again = BucketMirror(parse_store_url(s3_store)).sync_run("p", "r1", force=True)
    assert (again.run_json, again.segments, again.parquet, again.bad) == (False, 0, False, [])
    assert (spool / "history.sglog").read_bytes() == shipped
    media = [path.relative_to(spool).as_posix() for path in (spool / "media").rglob("*") if path.is_file()]
    assert media and all(bucket.get(f"p/r1/{name}") == (spool / name).read_bytes() for name in media)
    assert read_index(bucket, "p").rows["r1"]["state"] == "finished"


def test_live_run_ships_segments_within_the_interval(s3_store):
    run = sg.init(
        project="p", id="live", dir=s3_store, settings={"segment_interval": 0.5, "system_metrics": False}
    )
    bucket = bucket_of(s3_store)
    assert json.loads(bucket.get("p/live/lease.json"))["writer"]
    for step in range(200):
        run.log({"x": step})
    run.flush()
    shipped = lambda: steps_of(stream_in_bucket(bucket, "p", "live")) == list(range(200))  # noqa: E731
    wait_for(shipped, 0.5 + 2.0, "the rows in the bucket within the interval + 2 s")
    assert json.loads(bucket.get("p/live/run.json"))["state"] == "running"
    spool = local_root(parse_store_url(s3_store)) / "p" / "live"
    assert json.loads((spool / ".spool.json").read_bytes())["store"] == s3_store
    run.finish()


def test_log_does_not_wait_for_the_network(s3_store):
    # The hot path is the local one: a thousand log() calls cost no request (the shipper thread ships).
    run = sg.init(project="p", id="hot", dir=s3_store, settings=FAST)
    calls = []
    original = Bucket._call

    def counting(self, *args, **kwargs):
        calls.append(threading.current_thread().name)
        return original(self, *args, **kwargs)

    Bucket._call = counting
    try:
        for step in range(1000):
            run.log({"x": step})
        on_caller = [name for name in calls if name == threading.current_thread().name]
    finally:
        Bucket._call = original
    run.finish()
    assert on_caller == []


def test_wrong_endpoint_fails_init_clearly(s3_store, s3_server, monkeypatch, tmp_path):
    from s3_server import free_ports

    (port,) = free_ports(1)
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    before = {thread.name for thread in threading.enumerate()}
    with pytest.raises(BucketUnreachable) as caught:
        sg.init(project="p", id="nowhere", dir=s3_store, settings=FAST)
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message and "AWS_ENDPOINT_URL" in message
    assert_no_secret(s3_server.secrets(), [message, repr(caught.value)], [])
    started = {thread.name for thread in threading.enumerate()} - before
    assert not [name for name in started if name.startswith("spyglass-")]
    assert not (local_root(parse_store_url(s3_store)) / "p" / "nowhere").exists()


def test_read_only_credentials_fail_init_clearly(s3_store, s3_server, monkeypatch):
    for name, value in s3_server.env("viewer").items():
        monkeypatch.setenv(name, value)
    with pytest.raises(BucketAccessDenied) as caught:
        sg.init(project="p", id="viewer", dir=s3_store, settings=FAST)
    message = str(caught.value)
    assert "denied" in message and "credentials" in message
    assert_no_secret(s3_server.secrets(), [message], [])
    assert not session.live_runs()


def test_credentials_are_stored_nowhere(s3_store, s3_server):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = sg.init(project="p", id="keys", dir=s3_store, settings=FAST, config={"lr": 0.1})
        for step in range(100):
            run.log({"x": step})
        run.finish()
    bucket = bucket_of(s3_store)
    texts = [str(warning.message) for warning in caught]
    texts += [bucket.get(info.key).decode("latin-1") for info in bucket.list("")]
    assert_no_secret(s3_server.secrets(), texts, files_under(local_root(parse_store_url(s3_store))))


HOSTILE_PROJECT = "pr oj ü+&=;$@'\"<>*|~!`^()[]{}, 🚀"
HOSTILE_RUN = "run ü+&=;$@'\"<>*|~!`^()[]{},😀 end"


def test_hostile_names_round_trip_through_the_bucket(s3_store, tmp_path, monkeypatch):
    run = sg.init(project=HOSTILE_PROJECT, id=HOSTILE_RUN, dir=s3_store, settings=FAST)
    for step in range(50):
        run.log({"x": step})
    run.finish()
    bucket = bucket_of(s3_store)
    assert bucket.list_dirs("") == [HOSTILE_PROJECT]
    assert HOSTILE_RUN in bucket.list_dirs(HOSTILE_PROJECT)
    assert steps_of(stream_in_bucket(bucket, HOSTILE_PROJECT, HOSTILE_RUN)) == list(range(50))
    spool = local_root(parse_store_url(s3_store)) / HOSTILE_PROJECT / HOSTILE_RUN / "history.sglog"
    # Another machine's mirror pulls it under the same names.
    monkeypatch.setenv("SPYGLASS_CACHE_DIR", str(tmp_path / "machine-b"))
    mirror = BucketMirror(parse_store_url(s3_store))
    pull = mirror.sync_run(HOSTILE_PROJECT, HOSTILE_RUN, force=True)
    assert not pull.bad and pull.segments >= 1
    assert (mirror.root / HOSTILE_PROJECT / HOSTILE_RUN / "history.sglog").read_bytes() == spool.read_bytes()
