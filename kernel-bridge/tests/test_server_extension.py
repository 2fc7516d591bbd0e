"""The Jupyter server extension serves run.json and framed-log slices, and refuses paths outside its roots.

A real `jupyter server` runs in a subprocess (tests/server_harness.py), with a token, so authentication is
exercised too.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow as pa
import pytest
from server_harness import TOKEN, http, jupyter_server

from spyglass.store.arrow_codec import decode_payload, encode_batch
from spyglass.store.framed_log import FramedLogWriter, encode_file_header, read_framed_log
from spyglass.store.run_store import SYSTEM_LOG_FILE, RunDirectory


def make_run(root, project, run_id, frames=0) -> RunDirectory:
    run = RunDirectory.create(root, project, run_id)
    run.write_metadata({"format": 1, "run_id": run_id, "project": project, "state": "running"})
    if frames:
        with FramedLogWriter(run.log_path) as writer:
            for step in range(frames):
                writer.append(encode_batch(pa.record_batch({"_step": pa.array([step], pa.int64())})))
    return run


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("server")
    root, store, outside = (base / name for name in ("root", "store", "outside"))
    for directory in (root, store, outside):
        directory.mkdir()
    runs = {
        "in_root": make_run(root / "spyglass", "demo", "run1", frames=4),
        "no_history": make_run(root / "spyglass", "demo", "fresh"),
        "in_store": make_run(store, "demo", "run2", frames=2),
        "outside": make_run(outside, "demo", "run3", frames=1),
    }
    with FramedLogWriter(runs["in_root"].path / SYSTEM_LOG_FILE) as writer:
        for sample in range(3):
            writer.append(encode_batch(pa.record_batch({"_runtime": pa.array([sample * 10.0])})))
    (root / "escape").symlink_to(runs["outside"].path)
    sneaky = RunDirectory.create(root / "spyglass", "demo", "sneaky")
    sneaky.metadata_path.symlink_to(runs["outside"].metadata_path)
    (root / "not-a-run").mkdir()
    with jupyter_server(root, base / "jupyter", store=store) as url:
        yield {"url": url, "root": root, "store": store, "runs": runs}


def get(url: str, path: str, token: str | None = TOKEN, **params) -> tuple[int, str, bytes]:
    status, headers, body = http(url, path, token=token, **params)
    return status, headers.get("Content-Type", ""), body


def get_run(server, run_dir, **kwargs):
    return get(server["url"], "/spyglass/api/v1/run", run_dir=run_dir, **kwargs)


def get_history(server, run_dir, **params):
    return get(server["url"], "/spyglass/api/v1/history", run_dir=run_dir, **params)


def error_of(body: bytes) -> str:
    return json.loads(body)["error"]


def test_run_endpoint_returns_run_json_for_a_path_relative_to_root_dir(server):
    status, content_type, body = get_run(server, "spyglass/demo/run1")
    assert status == 200 and content_type.startswith("application/json")
    assert json.loads(body)["run_id"] == "run1"


def test_run_endpoint_accepts_an_absolute_path_inside_root_dir(server):
    status, _, body = get_run(server, str(server["runs"]["in_root"].path))
    assert status == 200 and json.loads(body)["run_id"] == "run1"


def test_run_endpoint_serves_runs_under_spyglass_dir_outside_root_dir(server):
    status, _, body = get_run(server, str(server["runs"]["in_store"].path))
    assert status == 200 and json.loads(body)["run_id"] == "run2"


def test_history_endpoint_returns_the_whole_log_by_default(server):
    status, content_type, body = get_history(server, "spyglass/demo/run1")
    assert status == 200 and content_type == "application/octet-stream"
    assert body == server["runs"]["in_root"].log_path.read_bytes()


def test_history_endpoint_returns_only_frames_after_the_given_sequence_number(server):
    status, _, body = get_history(server, "spyglass/demo/run1", after_seq=1)
    assert status == 200
    frames = read_framed_log(body, any_first_seq=True).frames
    assert [frame.seq for frame in frames] == [2, 3]
    assert [decode_payload(frame.payload).column("_step").to_pylist() for frame in frames] == [[2], [3]]
    assert get_history(server, "spyglass/demo/run1", after_seq=3)[2] == encode_file_header()


def test_history_of_a_run_that_has_not_logged_yet_is_an_empty_log(server):
    status, _, body = get_history(server, "spyglass/demo/fresh")
    assert status == 200 and body == encode_file_header()


def test_stream_system_serves_the_system_metrics_log_after_the_given_sequence_number(server):
    status, content_type, body = get_history(server, "spyglass/demo/run1", stream="system")
    assert status == 200 and content_type == "application/octet-stream"
    assert body == (server["runs"]["in_root"].path / SYSTEM_LOG_FILE).read_bytes()
    frames = read_framed_log(get_history(server, "spyglass/demo/run1", stream="system", after_seq=0)[2],
                             any_first_seq=True).frames  # fmt: skip
    assert [decode_payload(f.payload).column("_runtime").to_pylist() for f in frames] == [[10.0], [20.0]]
    assert (
        get_history(server, "spyglass/demo/run1", stream="history")[2]
        == get_history(server, "spyglass/demo/run1")[2]
    )


def test_stream_system_of_a_run_without_system_metrics_is_an_empty_log(server):
    status, _, body = get_history(server, "spyglass/demo/fresh", stream="system")
    assert status == 200 and body == encode_file_header()


def test_an_unknown_stream_is_refused(server):
    status, _, body = get_history(server, "spyglass/demo/run1", stream="gpu")
    assert status == 400 and "stream must be 'history' or 'system'" in error_of(body)


def test_history_endpoint_refuses_a_malformed_after_seq(server):
    for bad in ("abc", "-2", "1.5"):
        status, _, body = get_history(server, "spyglass/demo/run1", after_seq=bad)
        assert status == 400 and "after_seq" in error_of(body)


@pytest.mark.parametrize("endpoint", [get_run, get_history])
def test_a_parent_directory_path_out_of_root_dir_is_refused(server, endpoint):
    status, _, body = endpoint(server, "../outside/demo/run3")
    assert status == 403 and "outside the server's root_dir" in error_of(body)


@pytest.mark.parametrize("endpoint", [get_run, get_history])
def test_an_absolute_path_outside_root_dir_is_refused(server, endpoint):
    status, _, body = endpoint(server, str(server["runs"]["outside"].path))
    assert status == 403 and "outside" in error_of(body)


@pytest.mark.parametrize("endpoint", [get_run, get_history])
def test_a_symlink_escaping_root_dir_is_refused(server, endpoint):
    status, _, body = endpoint(server, "escape")
    assert status == 403 and "'escape'" in error_of(body)


def test_a_run_json_symlinked_to_a_file_outside_root_dir_is_refused(server):
    status, _, body = get_run(server, "spyglass/demo/sneaky")
    assert status == 403 and "run.json" in error_of(body)


def test_a_directory_without_run_json_is_not_found(server):
    status, _, body = get_run(server, "not-a-run")
    assert status == 404 and "no run.json" in error_of(body)


def test_a_missing_run_dir_parameter_is_a_bad_request(server):
    status, _, body = get(server["url"], "/spyglass/api/v1/run")
    assert status == 400 and "run_dir" in error_of(body)


def test_requests_without_the_token_are_refused(server):
    status, _, _ = get(server["url"], "/spyglass/api/v1/run", token=None, run_dir="spyglass/demo/run1")
    assert status == 403


def test_a_corrupt_log_is_reported_with_its_offset(server):
    run = make_run(server["root"] / "spyglass", "demo", "damaged", frames=3)
    data = bytearray(run.log_path.read_bytes())
    middle = read_framed_log(bytes(data)).frames[1].offset
    data[middle + 30] ^= 0x01
    run.log_path.write_bytes(data)
    status, _, body = get_history(server, "spyglass/demo/damaged")
    answer = json.loads(body)
    assert status == 500 and answer["offset"] == middle and "corrupt framed log" in answer["error"]


def test_importing_spyglass_does_not_import_jupyter_server():
    probe = (
        "import sys, spyglass;"
        "print(spyglass._jupyter_server_extension_points(), 'jupyter_server' in sys.modules)"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[{'module': 'spyglass.server'}] False"


def test_run_endpoint_reports_a_running_run_without_a_fresh_heartbeat_as_crashed(server):
    status, _, body = get_run(server, "spyglass/demo/run1")  # state "running", no heartbeat_at ever written
    meta = json.loads(body)
    assert status == 200 and meta["state"] == "crashed" and meta["stored_state"] == "running"
