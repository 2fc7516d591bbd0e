"""The Jupyter server with SPYGLASS_DIR=s3://... serves a bucket store on the page's behalf: it lists the
bucket's projects and runs, charts a metric and tails a live run written on another machine, from its local
mirror; the page only ever sees local paths, and no answer or log line holds a key. The server runs with a
read-only viewer's credentials (a teammate who only looks)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyarrow as pa
from bucket_runs import BucketCopier
from server_harness import http, jupyter_server
from store_builders import framed_run, history_batch, live_metadata, logged_run, patch_metadata

from spyglass.store.arrow_codec import decode_payload, encode_batch
from spyglass.store.bucket import Bucket
from spyglass.store.framed_log import FramedLogWriter, read_framed_log
from spyglass.store.store_url import local_root, parse_store_url


def _steps(body: bytes) -> list[int]:
    return [
        s
        for f in read_framed_log(body, any_first_seq=True).frames
        for s in decode_payload(f.payload).column("_step").to_pylist()
    ]


def test_the_server_lists_charts_and_tails_a_bucket_store(s3_store, s3_server, tmp_path, monkeypatch):
    bucket = Bucket.for_url(parse_store_url(s3_store))
    machine_b = tmp_path / "machine-b"
    done = logged_run(machine_b, "proj", "done", [{"loss": float(step)} for step in range(40)])
    BucketCopier(bucket, done.path).ship(frames_per_segment=3)
    live = framed_run(machine_b, "proj", "live", [history_batch([0, 1], loss=[1.0, 0.5])], **live_metadata())
    copier = BucketCopier(bucket, live.path)
    copier.ship()

    # Machine A: its own local root, a viewer's keys.
    monkeypatch.setenv("SPYGLASS_CACHE_DIR", str(tmp_path / "machine-a"))
    for name, value in s3_server.env("viewer").items():
        monkeypatch.setenv(name, value)
    mirror_root = local_root(parse_store_url(s3_store))
    answers: list[bytes] = []

    def get(endpoint: str, **params) -> bytes:
        status, _, body = http(url, endpoint, **params)
        assert status == 200, (endpoint, status, body[:300])
        answers.append(body)
        return body

    (tmp_path / "root").mkdir()
    with jupyter_server(tmp_path / "root", tmp_path / "jupyter", store=s3_store) as url:
        patch_metadata(live, heartbeat_at=time.time())  # alive now, however long the server took to start
        copier.ship()
        projects = json.loads(get("/spyglass/api/v1/workspace_projects"))
        assert projects == {"store_root": str(mirror_root.resolve()), "projects": ["proj"]}
        store_root = projects["store_root"]

        listing = json.loads(get("/spyglass/api/v1/runs", store_root=store_root, project="proj"))
        runs = {run["run_id"]: run for run in listing["runs"]}
        assert {run_id: run["state"] for run_id, run in runs.items()} == {
            "done": "finished",
            "live": "running",
        }
        assert runs["done"]["metrics"] == ["loss"] and runs["live"]["metrics"] == ["loss"]
        assert all(run["run_dir"].startswith(store_root) for run in runs.values())

        metric = get("/spyglass/api/v1/metric", store_root=store_root, project="proj", metric="loss")
        table = pa.ipc.open_stream(metric).read_all()
        assert table.num_rows == 42  # 40 rows of the ended run (its Parquet) + 2 of the live one

        run_dir = runs["live"]["run_dir"]
        assert _steps(get("/spyglass/api/v1/history", run_dir=run_dir, after_seq=-1)) == [0, 1]
        with FramedLogWriter(live.log_path) as writer:
            writer.append(encode_batch(history_batch([2, 3], loss=[0.4, 0.3])))
        patch_metadata(live, heartbeat_at=time.time())
        copier.ship()
        shipped = time.monotonic()
        while True:  # the page polls every 250 ms; the server pulls a watched run at most every 0.5 s
            steps = _steps(get("/spyglass/api/v1/history", run_dir=run_dir, after_seq=0))
            if steps == [2, 3] or time.monotonic() - shipped > 5:
                break
            time.sleep(0.25)
        assert steps == [2, 3]
        assert time.monotonic() - shipped < 3.0  # a watched run is pulled every 0.5 s

        image = b"\x89PNG\r\n\x1a\n" + bytes(range(200))  # a media file machine B shipped
        bucket.put("proj/done/media/images/sample_3.png", image)
        done_dir = runs["done"]["run_dir"]
        assert get("/spyglass/api/v1/file", run_dir=done_dir, path="media/images/sample_3.png") == image
        status, _, _ = http(url, "/spyglass/api/v1/file", run_dir=done_dir, path="media/none.png")
        assert status == 404

        meta = json.loads(get("/spyglass/api/v1/run", run_dir=run_dir))
        assert meta["run_id"] == "live" and meta["state"] == "running"

    server_log = (tmp_path / "jupyter" / "server.log").read_text(errors="replace")
    for secret in s3_server.secrets():
        assert secret not in server_log
        assert all(secret.encode() not in body for body in answers)
    assert not any(b"s3://" in body for body in answers if body.startswith(b"{"))
    assert Path(store_root).is_dir()
