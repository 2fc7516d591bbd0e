"""Faults of an s3:// store's writers against the real S3 server (docs/team.md, "Writers"): the server stopped
mid-run and restarted, the spool limit reached during the outage, `kill -9` then `spyglass sync` or a resume,
a torn spool tail and a truncated segment object."""

from __future__ import annotations

import json
import os
import signal
import time
import warnings

import pytest
from s3_writers import (
    finish_machine,
    machine_env,
    read_answer,
    start_machine,
    steps_of,
    stream_in_bucket,
    sync,
    wait_for,
)

import spyglass as sg
from spyglass.store.bucket import Bucket
from spyglass.store.bucket_mirror import BucketMirror
from spyglass.store.framed_log import encode_frame, read_framed_log
from spyglass.store.segment_format import segments_prefix
from spyglass.store.segment_shipper import ShippingWarning
from spyglass.store.store_url import local_root, parse_store_url

QUICK = {"segment_interval": 0.2, "system_metrics": False}


def bucket_of(url: str) -> Bucket:
    return Bucket.for_url(parse_store_url(url))


def log_rows(run, first: int, count: int) -> float:
    """Log `count` rows from step `first`; return the slowest log() call in seconds."""
    assert run.step == first
    slowest = 0.0
    for step in range(first, first + count):
        started = time.perf_counter()
        run.log({"x": float(step)})
        slowest = max(slowest, time.perf_counter() - started)
    return slowest


def test_server_stopped_mid_run_and_restarted_loses_and_duplicates_nothing(s3_store, s3_server):
    bucket = bucket_of(s3_store)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = sg.init(
            project="p",
            id="outage",
            dir=s3_store,
            settings=QUICK,
        )
        log_rows(run, 0, 1000)
        run.flush()
        wait_for(
            lambda: len(steps_of(stream_in_bucket(bucket, "p", "outage"))) == 1000, 10, "first rows shipped"
        )
        s3_server.stop()
        slowest = log_rows(run, 1000, 2000)  # logging goes on while the bucket is down
        run.flush()  # durable in the local spool
        wait_for(lambda: run._shipping.shipper.failing_since is not None, 10, "the outage noticed")
        s3_server.start()
        log_rows(run, 3000, 1000)
        run.finish()
    assert slowest < 0.05, f"log() took {slowest * 1000:.1f} ms while the bucket was down"
    outage = [str(w.message) for w in caught if issubclass(w.category, ShippingWarning)]
    assert len(outage) == 1 and "could not ship segments" in outage[0] and "local spool" in outage[0]
    shipped = stream_in_bucket(bucket, "p", "outage")  # contiguous segments: no gap, no overlap
    assert steps_of(shipped) == list(range(4000))
    spool = local_root(parse_store_url(s3_store)) / "p" / "outage"
    assert shipped == (spool / "history.sglog").read_bytes()
    assert json.loads(bucket.get("p/outage/run.json"))["state"] == "finished"


def test_spool_limit_degrades_the_run_and_it_catches_up(s3_store, s3_server):
    bucket = bucket_of(s3_store)
    settings = {"segment_interval": 0.3, "system_metrics": False, "spool_limit_mb": 0.05}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = sg.init(project="p", id="full", dir=s3_store, settings=settings)
        s3_server.stop()
        for chunk in range(20):  # about 100 KiB of frames, past the 50 KiB limit
            log_rows(run, chunk * 500, 500)
            time.sleep(0.05)
        wait_for(lambda: run.degraded is not None, 10, "the run degraded by the spool limit")
        assert run.degraded["reason"] == "spool full"
        assert "the limit is 0.05 MiB" in run.degraded["message"]
        s3_server.start()
        wait_for(lambda: run.degraded is None, 30, "the spool drained and the run healthy again")
        run.finish()
    full = [str(w.message) for w in caught if "spool full" in str(w.message)]
    assert full and "SPYGLASS_SPOOL_LIMIT_MB" in full[0] and s3_store in full[0]
    assert steps_of(stream_in_bucket(bucket, "p", "full")) == list(range(10000))
    assert json.loads(bucket.get("p/full/run.json")).get("dropped_rows") is None


def kill_nine_writer(s3_store, s3_server, tmp_path, run_id: str):
    """A writer process logs 2000 rows durably (its interval too long to ship them) and is killed with -9."""
    env = machine_env(s3_server.process_env("writer"), tmp_path / "spool")
    writer = start_machine(os.uname().nodename, env, s3_store, "p", run_id, 0, 2000, "", 3600)
    try:
        assert read_answer(writer)["ready"] == 2000
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(30)
    spool = next((tmp_path / "spool").rglob(f"{run_id}/history.sglog")).parent
    assert steps_of((spool / "history.sglog").read_bytes()) == list(range(2000))
    assert len(steps_of(stream_in_bucket(bucket_of(s3_store), "p", run_id))) < 2000, "shipped before the kill"
    return env, spool


def test_kill_nine_then_spyglass_sync_ships_the_spool(s3_store, s3_server, tmp_path):
    env, spool = kill_nine_writer(s3_store, s3_server, tmp_path, "killed")
    done = sync(s3_store, env)
    assert done.returncode == 0, done.stderr
    assert "shipped p/killed" in done.stdout
    bucket = bucket_of(s3_store)
    shipped = stream_in_bucket(bucket, "p", "killed")
    assert steps_of(shipped) == list(range(2000))
    assert shipped == (spool / "history.sglog").read_bytes()
    assert json.loads(bucket.get("p/killed/run.json"))["state"] == "crashed"
    assert bucket.head("p/killed/lease.json") is None
    assert not (spool / ".spool.json").exists()
    again = sync(s3_store, env)  # nothing left to ship
    assert again.returncode == 0 and "nothing to ship" in again.stdout
    for secret in s3_server.secrets():
        assert secret not in done.stdout + done.stderr


def test_sync_leaves_a_run_whose_writer_lives_to_it(s3_store, s3_server, tmp_path):
    env = machine_env(s3_server.process_env("writer"), tmp_path / "spool")
    writer = start_machine(os.uname().nodename, env, s3_store, "p", "alive", 0, 100, "", 3600)
    try:
        assert read_answer(writer)["ready"] == 100
        done = sync(s3_store, env)
        assert done.returncode == 0, done.stderr
        assert f"skipped p/alive: still being written by process {writer.pid}" in done.stdout
        finish_machine(writer)
    finally:
        writer.kill()
    assert steps_of(stream_in_bucket(bucket_of(s3_store), "p", "alive")) == list(range(100))


def test_sync_with_the_bucket_down_fails_clearly_and_keeps_the_spool(s3_store, s3_server, tmp_path):
    env, spool = kill_nine_writer(s3_store, s3_server, tmp_path, "later")
    s3_server.stop()
    try:
        done = sync(s3_store, env)
    finally:
        s3_server.start()
    assert done.returncode == 1
    assert (
        "did not answer" in done.stderr
        and "AWS_ENDPOINT_URL" in done.stderr
        and "Traceback" not in done.stderr
    )
    assert (spool / ".spool.json").exists()
    assert sync(s3_store, env).returncode == 0  # the bucket is back: it ships
    assert steps_of(stream_in_bucket(bucket_of(s3_store), "p", "later")) == list(range(2000))


def test_kill_nine_then_resume_ships_the_leftover_and_continues(s3_store, s3_server, tmp_path, monkeypatch):
    env, spool = kill_nine_writer(s3_store, s3_server, tmp_path, "again")
    monkeypatch.setenv("SPYGLASS_CACHE_DIR", env["SPYGLASS_CACHE_DIR"])  # the same machine: the same spool
    run = sg.init(project="p", id="again", dir=s3_store, resume="allow", settings={"segment_interval": 0.3})
    assert run.step == 2000
    log_rows(run, 2000, 500)
    run.finish()
    shipped = stream_in_bucket(bucket_of(s3_store), "p", "again")
    assert steps_of(shipped) == list(range(2500))
    assert shipped == (spool / "history.sglog").read_bytes()


def test_torn_spool_tail_is_never_shipped(s3_store):
    run = sg.init(project="p", id="torn", dir=s3_store, settings=QUICK)
    log_rows(run, 0, 100)
    run.flush()
    bucket = bucket_of(s3_store)
    wait_for(lambda: len(steps_of(stream_in_bucket(bucket, "p", "torn"))) == 100, 10, "rows shipped")
    log_path = local_root(parse_store_url(s3_store)) / "p" / "torn" / "history.sglog"
    valid = log_path.stat().st_size
    with open(log_path, "ab") as log:  # a frame cut short, as a write interrupted by a crash leaves it
        log.write(encode_frame(100, b"x" * 64)[:50])
    time.sleep(1.0)  # several shipper passes
    assert len(stream_in_bucket(bucket, "p", "torn")) == valid
    os.truncate(log_path, valid)  # the flusher owns the file; put it back before finishing
    run.finish()


def test_truncated_segment_object_is_reported_and_skipped_by_readers(s3_store, tmp_path, monkeypatch):
    run = sg.init(project="p", id="cut", dir=s3_store, settings=QUICK)
    bucket = bucket_of(s3_store)
    for part in range(1, 4):
        log_rows(run, (part - 1) * 100, 100)
        run.flush()
        wait_for(lambda n=part: len(steps_of(stream_in_bucket(bucket, "p", "cut"))) == n * 100, 10, "shipped")
    run.finish()
    keys = [info.key for info in bucket.list(segments_prefix("p", "cut", "history"))]
    assert len(keys) >= 3
    victim = keys[1]
    head = bucket.head(victim)
    data = bucket.get(victim)
    bucket.put(victim, data[: len(data) // 2], head.metadata)  # truncated, its metadata kept
    monkeypatch.setenv("SPYGLASS_CACHE_DIR", str(tmp_path / "reader"))
    mirror = BucketMirror(parse_store_url(s3_store))
    pull = mirror.sync_run("p", "cut", force=True)
    assert len(pull.bad) == 1 and victim in pull.bad[0] and "CRC32C" in pull.bad[0]
    pulled = read_framed_log(mirror.root / "p" / "cut" / "history.sglog")
    assert pulled.torn is None and len(pulled.frames) >= 1  # the segment before it, intact, nothing after
    with pytest.raises(AssertionError):
        stream_in_bucket(bucket, "p", "cut")


def test_stale_lease_is_taken_over_and_the_writer_that_lost_it_stops_shipping(s3_store):
    bucket = bucket_of(s3_store)
    # A writer that stopped renewing long ago (by the time its lease records) is taken over at init.
    stale = {"format": 1, "writer": "gone", "host": "machine-b", "pid": 1, "renewed_at": time.time() - 3600,
             "interval": 5.0}  # fmt: skip
    bucket.put("p/stale/lease.json", json.dumps(stale).encode())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = sg.init(project="p", id="stale", dir=s3_store, settings=QUICK)
        holder = json.loads(bucket.get("p/stale/lease.json"))
        assert holder["writer"] == run._shipping.writer and holder["host"] == os.uname().nodename
        log_rows(run, 0, 100)
        run.flush()
        wait_for(lambda: len(steps_of(stream_in_bucket(bucket, "p", "stale"))) == 100, 10, "rows shipped")

        # Another machine takes the run over (as it may once this writer looks stale to it); retried when
        # this writer's renewal replaced the lease between the read and the write.
        def take_over() -> str | None:
            data, etag = bucket.get_with_etag("p/stale/lease.json")
            record = json.dumps({**json.loads(data), "writer": "other"}).encode()
            return bucket.replace("p/stale/lease.json", record, etag)

        wait_for(take_over, 10, "the lease taken over")
        wait_for(lambda: run._shipping.shipper.stopped is not None, 10, "shipping stopped")
        log_rows(run, 100, 100)
        run.finish()
    assert len(steps_of(stream_in_bucket(bucket, "p", "stale"))) == 100  # nothing written over the new holder
    assert json.loads(bucket.get("p/stale/lease.json"))["writer"] == "other"
    stopped = [str(w.message) for w in caught if issubclass(w.category, ShippingWarning)]
    assert any("taken over by another writer" in message for message in stopped)
    spool = local_root(parse_store_url(s3_store)) / "p" / "stale"
    assert steps_of((spool / "history.sglog").read_bytes()) == list(range(200))  # kept locally
    assert (spool / ".spool.json").exists()
