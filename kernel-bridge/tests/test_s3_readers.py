"""Readers of a bucket store: the mirror pulls runs written on another machine, byte for byte, live, and
refuses bad segments; the project index lists a project with one GET and one LIST; sg.Api() and the CLI
read s3:// stores.

"Machine B" is a local directory outside the test's local root whose runs are copied into the bucket in the
writer's layout (bucket_runs.py); the test process is machine A, the reader, with its own local root.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import crc32c
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from bucket_runs import BucketCopier, put_segment, segment_key
from store_builders import framed_run, history_batch, live_metadata, logged_run

import spyglass as sg
from spyglass.base.errors import StoreError
from spyglass.store.arrow_codec import encode_batch
from spyglass.store.bucket import Bucket
from spyglass.store.bucket_mirror import BucketMirror
from spyglass.store.framed_log import FramedLogWriter
from spyglass.store.project_index import _delete_folded, compact, put_pending, read_index, runs_key
from spyglass.store.run_store import RunDirectory
from spyglass.store.store_url import local_root, parse_store_url
from spyglass.workspace_data.index import list_runs


@pytest.fixture
def bucket(s3_store):
    return Bucket.for_url(parse_store_url(s3_store))


@pytest.fixture
def machine_b(tmp_path):
    return tmp_path / "machine-b"


def _mirror(url: str, bucket: Bucket | None = None) -> BucketMirror:
    return BucketMirror(parse_store_url(url), bucket, run_interval=0.0)


def test_a_finished_run_from_another_machine_is_mirrored_byte_for_byte(s3_store, bucket, machine_b):
    rows = [{"loss": 1.0 / (step + 1), "acc": step / 10} for step in range(50)]
    written = logged_run(machine_b, "proj", "run-1", rows, config={"lr": 0.1})
    BucketCopier(bucket, written.path).ship(frames_per_segment=1)

    mirror = _mirror(s3_store)
    pull = mirror.sync_run("proj", "run-1")

    local = RunDirectory(local_root(parse_store_url(s3_store)) / "proj" / "run-1")
    assert pull.run_json and pull.parquet and pull.segments >= 1 and not pull.bad
    assert local.log_path.read_bytes() == written.log_path.read_bytes()
    assert local.metadata_path.read_bytes() == written.metadata_path.read_bytes()
    assert local.parquet_path.read_bytes() == written.parquet_path.read_bytes()
    assert local.read_history().equals(written.read_history())
    again = mirror.sync_run("proj", "run-1", force=True)
    assert (again.run_json, again.segments, again.parquet) == (
        False,
        0,
        False,
    )  # nothing new, nothing fetched


def test_a_live_run_is_tailed_segment_by_segment(s3_store, bucket, machine_b):
    written = framed_run(
        machine_b, "proj", "live", [history_batch([0, 1], loss=[1.0, 0.9])], **live_metadata()
    )
    copier = BucketCopier(bucket, written.path)
    copier.ship()
    mirror = _mirror(s3_store)
    local = RunDirectory(mirror.root / "proj" / "live")

    assert mirror.sync_run("proj", "live").segments == 1
    assert local.read_history().column("_step").to_pylist() == [0, 1]

    with FramedLogWriter(written.log_path) as writer:
        writer.append(encode_batch(history_batch([2, 3], loss=[0.8, 0.7])))
        writer.append(encode_batch(history_batch([4], loss=[0.6])))
    copier.ship(frames_per_segment=1)

    pull = mirror.sync_run("proj", "live")
    assert pull.segments == 2 and not pull.bad
    assert local.read_history().column("_step").to_pylist() == [0, 1, 2, 3, 4]
    assert local.log_path.read_bytes() == written.log_path.read_bytes()


def test_a_watched_run_is_pulled_at_most_once_per_interval(s3_store, bucket, machine_b):
    written = framed_run(machine_b, "proj", "r", [history_batch([0], loss=[1.0])], **live_metadata())
    BucketCopier(bucket, written.path).ship()
    mirror = BucketMirror(parse_store_url(s3_store), run_interval=5.0)
    assert not mirror.sync_run("proj", "r").skipped
    assert mirror.sync_run("proj", "r").skipped  # the page polls every 250 ms; the bucket is asked less often
    assert not mirror.sync_run("proj", "r", force=True).skipped


def test_a_truncated_segment_is_reported_and_skipped_and_the_valid_rows_stay(s3_store, bucket, machine_b):
    batches = [history_batch([step], loss=[float(step)]) for step in range(3)]
    written = framed_run(machine_b, "proj", "cut", batches, **live_metadata())
    data = written.log_path.read_bytes()
    BucketCopier(bucket, written.path).ship(frames_per_segment=1)  # 3 segments
    keys = [info.key for info in bucket.list("proj/cut/segments/history/")]
    second = keys[1]
    start = int(second.rsplit("/", 1)[1].split(".")[0])
    body = bucket.get(second)
    bucket.delete(second)
    put_segment(bucket, second, body[:-5], start, crc=crc32c.crc32c(body))  # cut short, the writer's CRC

    mirror = _mirror(s3_store)
    pull = mirror.sync_run("proj", "cut")

    assert pull.segments == 1
    assert len(pull.bad) == 1 and "CRC32C does not match" in pull.bad[0] and second in pull.bad[0]
    local = RunDirectory(mirror.root / "proj" / "cut")
    assert local.read_history().column("_step").to_pylist() == [0]  # the rows before it, nothing corrupt
    assert local.log_path.read_bytes() == data[: len(bucket.get(keys[0]))]
    assert mirror.sync_run("proj", "cut").segments == 0  # reported once, not fetched again, no row skipped


def test_a_segment_out_of_sequence_is_refused(s3_store, bucket, machine_b):
    written = framed_run(machine_b, "proj", "seq", [history_batch([0], loss=[0.0])], **live_metadata())
    BucketCopier(bucket, written.path).ship()
    data = written.log_path.read_bytes()
    # Frame 0 again where frame 1 belongs: valid checksums, wrong place (a writer that lost its count).
    put_segment(bucket, segment_key("proj", "seq", "history", len(data)), data[16:], len(data))
    mirror = _mirror(s3_store)
    pull = mirror.sync_run("proj", "seq")
    assert pull.segments == 1 and len(pull.bad) == 1 and "number 0, 1 was expected" in pull.bad[0]
    assert (mirror.root / "proj" / "seq" / "history.sglog").read_bytes() == data


def test_the_project_index_lists_runs_without_reading_each_run(s3_store, bucket, machine_b):
    for index in range(5):
        written = logged_run(machine_b, "proj", f"r{index}", [{"loss": float(index)}], config={"i": index})
        BucketCopier(bucket, written.path).ship()
    for info in list(bucket.list("proj/")):
        if info.key.endswith("/run.json"):
            bucket.delete(info.key)  # the listing must come from the index alone

    mirror = _mirror(s3_store)
    index = mirror.sync_project("proj")

    assert sorted(index.rows) == [f"r{i}" for i in range(5)]
    assert not list(bucket.list("proj/.index/pending/"))  # folded into runs.parquet and deleted
    listing = list_runs(mirror.root, "proj")
    entries = {entry["run_id"]: entry for entry in listing["runs"]}
    assert sorted(entries) == [f"r{i}" for i in range(5)]
    assert entries["r3"]["state"] == "finished" and entries["r3"]["config"] == {"i": 3}
    assert entries["r3"]["summary"]["loss"] == 3.0 and entries["r3"]["metrics"] == ["loss"]
    table = pq.read_table(pa.py_buffer(bucket.get(runs_key("proj"))))  # plain Parquet for any engine
    assert sorted(table.column("run_id").to_pylist()) == [f"r{i}" for i in range(5)]


def test_compaction_keeps_a_pending_record_rewritten_meanwhile(s3_store, bucket):
    put_pending(bucket, "proj", {"run_id": "a", "state": "running", "updated_at": 1.0})
    read = read_index(bucket, "proj")
    put_pending(bucket, "proj", {"run_id": "a", "state": "finished", "updated_at": 2.0})  # after the read
    _delete_folded(bucket, read.pending)
    assert [info.key for info in bucket.list("proj/.index/pending/")] == ["proj/.index/pending/a.json"]
    assert compact(bucket, "proj").rows["a"]["state"] == "finished"


def test_two_compactions_at_once_lose_no_run(s3_store, bucket):
    put_pending(bucket, "proj", {"run_id": "a", "state": "finished", "updated_at": 1.0})
    compact(bucket, "proj")
    put_pending(bucket, "proj", {"run_id": "b", "state": "finished", "updated_at": 2.0})
    stale = read_index(bucket, "proj")
    put_pending(bucket, "proj", {"run_id": "c", "state": "finished", "updated_at": 3.0})
    compact(bucket, "proj")  # replaces runs.parquet: the stale etag no longer matches
    assert bucket.replace(runs_key("proj"), b"x", stale.etag) is None
    assert sorted(read_index(bucket, "proj").rows) == ["a", "b", "c"]


def test_a_viewer_lists_without_compacting(s3_store, s3_server, bucket, machine_b):
    written = logged_run(machine_b, "proj", "r", [{"loss": 1.0}])
    BucketCopier(bucket, written.path).ship()
    url = parse_store_url(s3_store)
    viewer = Bucket(url.bucket, url.prefix, client=s3_server.client("viewer"))
    mirror = _mirror(s3_store, viewer)
    assert sorted(mirror.sync_project("proj").rows) == ["r"]
    assert not mirror.may_compact
    assert [info.key for info in bucket.list("proj/.index/pending/")] == ["proj/.index/pending/r.json"]


def test_run_directories_this_machine_writes_are_never_touched(s3_store, bucket, machine_b):
    written = logged_run(machine_b, "proj", "mine", [{"loss": 1.0}])
    BucketCopier(bucket, written.path).ship()
    mirror = _mirror(s3_store)
    spool = mirror.root / "proj" / "mine"
    spool.mkdir(parents=True)
    (spool / ".spool.json").write_text("{}")
    (spool / "run.json").write_text('{"state": "running"}')
    assert mirror.sync_run("proj", "mine").skipped
    assert (spool / "run.json").read_text() == '{"state": "running"}'


def test_a_shipped_spool_is_adopted_without_pulling_it_again(s3_store, bucket, machine_b):
    written = logged_run(machine_b, "proj", "r", [{"loss": float(i)} for i in range(20)])
    BucketCopier(bucket, written.path).ship(frames_per_segment=1)
    mirror = _mirror(s3_store)
    local = mirror.root / "proj" / "r"
    local.mkdir(parents=True)
    for path in written.path.glob("*.*"):
        (local / path.name).write_bytes(path.read_bytes())  # the spool, its marker just removed
    pull = mirror.sync_run("proj", "r")
    assert (pull.segments, pull.parquet) == (0, False)
    assert (local / "history.sglog").read_bytes() == written.log_path.read_bytes()


def test_the_read_api_reads_an_s3_store(s3_store, bucket, machine_b):
    rows = [{"loss": float(step)} for step in range(30)]
    written = logged_run(machine_b, "proj", "r1", rows, config={"lr": 0.5})
    BucketCopier(bucket, written.path).ship(frames_per_segment=2)

    api = sg.Api(s3_store)
    assert api.projects() == ["proj"]
    runs = api.runs("proj", filters={"config.lr": 0.5})
    assert [run.id for run in runs] == ["r1"]
    history = runs[0].history(samples=None, pandas=False)
    assert history.column("loss").to_pylist() == [float(step) for step in range(30)]
    run = api.run("proj/r1")
    assert run.state == "finished" and run.config == {"lr": 0.5}
    with pytest.raises(StoreError, match="bucket store"):
        run.update()


def test_the_cli_lists_an_s3_store(s3_store, bucket, machine_b, capsys):
    written = logged_run(machine_b, "proj", "cli-run", [{"loss": 0.25}])
    BucketCopier(bucket, written.path).ship()
    from spyglass.cli import main

    assert main(["runs", "ls", "proj", "--dir", s3_store]) == 0
    out = capsys.readouterr().out
    assert "cli-run" in out and "finished" in out


def test_no_credential_reaches_the_mirror(s3_store, s3_server, bucket, machine_b):
    written = logged_run(machine_b, "proj", "r", [{"loss": 1.0}])
    BucketCopier(bucket, written.path).ship()
    mirror = _mirror(s3_store)
    mirror.sync_project("proj")
    mirror.sync_run("proj", "r")
    files = [path for path in Path(mirror.root).rglob("*") if path.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        for secret in s3_server.secrets():
            assert secret.encode() not in data, path


def test_a_bucket_that_does_not_answer_is_a_clear_error(s3_store, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("SPYGLASS_CACHE_DIR", str(tmp_path / "other-cache"))
    from spyglass.base.errors import BucketUnreachable

    started = time.monotonic()
    with pytest.raises(BucketUnreachable, match="did not answer"):
        sg.Api(s3_store).projects()
    assert time.monotonic() - started < 60


def test_a_report_shows_a_run_that_lives_only_in_the_bucket(s3_store, bucket, machine_b, tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook
    from report.report_fixtures import decode_page, run_output

    from spyglass.cli import main

    written = logged_run(machine_b, "proj", "shown", [{"loss": 1.0 / (step + 1)} for step in range(25)])
    BucketCopier(bucket, written.path).ship(frames_per_segment=4)
    cell = new_code_cell("run = sg.init(...)", outputs=[run_output(written.path, "proj", "shown", "shown")])
    notebook = tmp_path / "team.ipynb"
    nbformat.write(new_notebook(cells=[cell]), notebook)
    shutil.rmtree(machine_b)  # only the bucket holds the run now

    assert main(["report", str(notebook), "--store", s3_store, "-o", str(tmp_path / "team.html")]) == 0
    document, _ = decode_page((tmp_path / "team.html").read_text())
    (charts,) = [block for block in document["blocks"] if block["kind"] == "charts"]
    assert [chart["metric"] for chart in charts["charts"]] == ["loss"]
    assert charts["charts"][0]["series"][0]["n"] == 25
    (run,) = document["title"]["runs"]
    assert run["id"] == "shown" and run["state"] == "finished"
