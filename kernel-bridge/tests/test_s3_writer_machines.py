"""Two "machines" (processes with their own host name and spool, sharing only the bucket) writing one run id:
the second is refused with RunLeaseError while the first lives, and continues the run once it has finished
(docs/team.md, "Writers")."""

from __future__ import annotations

import json

from s3_writers import finish_machine, machine_env, read_answer, start_machine, steps_of, stream_in_bucket

from spyglass.store.bucket import Bucket
from spyglass.store.store_url import parse_store_url


def test_second_writer_of_a_live_run_is_refused_then_resumes_it(s3_store, s3_server, tmp_path):
    env_a = machine_env(s3_server.process_env("writer"), tmp_path / "machine-a")
    env_b = machine_env(s3_server.process_env("writer"), tmp_path / "machine-b")
    first = start_machine("machine-a", env_a, s3_store, "p", "shared", 0, 500, "", 0.3)
    try:
        assert read_answer(first)["ready"] == 500
        refused = start_machine("machine-b", env_b, s3_store, "p", "shared", 500, 500, "allow", 0.3)
        answer = read_answer(refused)
        refused.wait(30)
        assert refused.returncode == 3
        assert answer["error"] == "RunLeaseError"
        assert "machine-a" in answer["message"] and "One writer per run" in answer["message"]
        for secret in s3_server.secrets():
            assert secret not in answer["message"]
        finish_machine(first)
    finally:
        first.kill()
    # Machine B holds nothing of the run: resume pulls it from the bucket and continues after its last step.
    second = start_machine("machine-b", env_b, s3_store, "p", "shared", 500, 500, "must", 0.3)
    try:
        assert read_answer(second)["ready"] == 1000
        finish_machine(second)
    finally:
        second.kill()
    bucket = Bucket.for_url(parse_store_url(s3_store))
    shipped = stream_in_bucket(bucket, "p", "shared")
    assert steps_of(shipped) == list(range(1000))
    spool_b = next((tmp_path / "machine-b").rglob("shared/history.sglog"))
    assert shipped == spool_b.read_bytes()


def test_script_that_never_calls_finish_is_shipped_at_exit(s3_store, s3_server, tmp_path):
    env = machine_env(s3_server.process_env("writer"), tmp_path / "machine-a")
    writer = start_machine("machine-a", env, s3_store, "p", "atexit", 0, 300, "", 3600)
    try:
        assert read_answer(writer)["ready"] == 300
        writer.stdin.write("exit\n")  # the script ends without finish(): the exit handler finishes the run
        writer.stdin.flush()
        writer.wait(90)
        assert writer.returncode == 0, writer.stderr.read()
    finally:
        writer.kill()
    bucket = Bucket.for_url(parse_store_url(s3_store))
    assert steps_of(stream_in_bucket(bucket, "p", "atexit")) == list(range(300))
    assert json.loads(bucket.get("p/atexit/run.json"))["state"] == "finished"
    assert bucket.head("p/atexit/history.parquet") is not None
    assert bucket.head("p/atexit/lease.json") is None
