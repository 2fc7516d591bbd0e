"""The server extension's sweep endpoints: GET the snapshot, POST control, paths confined to its roots.

A real `jupyter server` runs in a subprocess (tests/server_harness.py).
"""

from __future__ import annotations

import json
import os

import pytest
from server_harness import TOKEN, http, jupyter_server

import spyglass as sg
from spyglass.sweeps import find_sweep

# run_cap 10: after the fixture's agent (count=2) the sweep still has trials left, so it stays controllable.
CONFIG = {
    "method": "random",
    "metric": {"name": "loss"},
    "run_cap": 10,
    "parameters": {"x": {"min": 0.0, "max": 1.0}},
}


def request(url, path, body=None, token=TOKEN, **params):
    data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
    method = "POST" if data is not None else "GET"
    status, _, answer = http(url, path, data=data, method=method, token=token, timeout=20, **params)
    return status, json.loads(answer or b"{}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("sweepserver")
    root, outside = base / "root", base / "outside"
    for directory in (root, outside):
        directory.mkdir()
    sweep_id = sg.sweep(CONFIG, project="demo", dir=root / "spyglass")
    sg.agent(sweep_id, lambda: sg.log({"loss": sg.config["x"]}), count=2, dir=root / "spyglass")
    foreign = sg.sweep(CONFIG, project="demo", dir=outside)
    with jupyter_server(root, base / "jupyter") as url:
        yield {
            "url": url,
            "sweep_dir": str(find_sweep(sweep_id, dir=root / "spyglass")),
            "foreign": str(find_sweep(foreign, dir=outside)),
            "root": root,
        }


def test_get_returns_the_snapshot(server):
    status, body = request(server["url"], "/spyglass/api/v1/sweep", sweep_dir=server["sweep_dir"])
    assert status == 200 and body["counts"]["done"] == 2 and len(body["trials"]) == 2
    assert body["sweep"]["state"] == "running" and body["counts"]["left"] == 8


def test_a_relative_sweep_dir_is_read_from_the_servers_root(server):
    relative = os.path.relpath(server["sweep_dir"], server["root"])
    assert request(server["url"], "/spyglass/api/v1/sweep", sweep_dir=relative)[0] == 200


def test_post_control_pauses_resumes_and_stops(server):
    path = "/spyglass/api/v1/sweep/control"
    for action, state in (
        ("pause", "paused"),
        ("resume", "running"),
        ("stop", "stopped"),
        ("resume", "running"),
    ):
        assert request(server["url"], path, {"sweep_dir": server["sweep_dir"], "action": action}) == (
            200, {"ok": True, "state": state},
        )  # fmt: skip


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ({"action": "pause"}, 400, "missing 'sweep_dir'"),
        ({"sweep_dir": "SWEEP", "action": "explode"}, 400, "unknown sweep action"),
        ({"sweep_dir": "SWEEP", "action": "stop_trial", "trial": 0}, 400, "not running"),
        ({"sweep_dir": "SWEEP", "action": "stop_trial"}, 400, "trial index"),
        ({"sweep_dir": "FOREIGN", "action": "stop"}, 403, "outside"),
        ({"sweep_dir": "/nonexistent/demo/.sweeps/abc", "action": "stop"}, 403, "outside"),
    ],
)
def test_bad_control_requests_answer_an_error(server, body, status, text):
    body = {
        k: server["sweep_dir"] if v == "SWEEP" else server["foreign"] if v == "FOREIGN" else v
        for k, v in body.items()
    }
    got_status, got = request(server["url"], "/spyglass/api/v1/sweep/control", body)
    assert got_status == status and text in got["error"]


def test_get_refuses_paths_outside_and_directories_that_are_not_sweeps(server):
    url = server["url"]
    assert request(url, "/spyglass/api/v1/sweep", sweep_dir=server["foreign"])[0] == 403
    status, body = request(url, "/spyglass/api/v1/sweep", sweep_dir=str(server["root"] / "spyglass" / "demo"))
    assert status == 404 and "not a sweep directory" in body["error"]
    assert request(url, "/spyglass/api/v1/sweep")[0] == 400
    assert request(url, "/spyglass/api/v1/sweep/control", b"not json")[0] == 400


def test_the_endpoints_need_the_token(server):
    assert (
        request(server["url"], "/spyglass/api/v1/sweep", token=None, sweep_dir=server["sweep_dir"])[0] == 403
    )


def test_a_sweep_with_a_file_linked_out_of_the_roots_is_refused(server, tmp_path):
    store = server["root"] / "spyglass"
    sweep_id = sg.sweep(CONFIG, project="linked", dir=store)
    sg.agent(sweep_id, lambda: sg.log({"loss": sg.config["x"]}), count=1, dir=store)
    sweep_dir = find_sweep(sweep_id, dir=store)
    trial = sweep_dir / "trials" / "0.json"
    (tmp_path / "0.json").write_text(trial.read_text())
    trial.unlink()
    trial.symlink_to(tmp_path / "0.json")
    status, body = request(server["url"], "/spyglass/api/v1/sweep", sweep_dir=str(sweep_dir))
    assert status == 403 and "trials/0.json" in body["error"]
    status, body = request(
        server["url"], "/spyglass/api/v1/sweep/control", {"sweep_dir": str(sweep_dir), "action": "pause"}
    )
    assert status == 403 and json.loads((sweep_dir / "control.json").read_text())["state"] == "running"


def test_a_live_trials_run_dir_outside_the_roots_is_not_read_by_the_servers_snapshot(server, tmp_path):
    from spyglass.base.path_confinement import real_path
    from spyglass.sweeps import snapshot

    store = server["root"] / "spyglass"
    sweep_id = sg.sweep(CONFIG, project="live", dir=store)
    sg.agent(sweep_id, lambda: sg.log({"loss": sg.config["x"]}), count=1, dir=store)
    sweep_dir = find_sweep(sweep_id, dir=store)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "run.json").write_text(json.dumps({"summary": {"loss": 123.456}}))
    trial = sweep_dir / "trials" / "0.json"
    record = json.loads(trial.read_text())
    trial.write_text(json.dumps({**record, "state": "running", "run_dir": str(foreign), "metric": None}))
    assert snapshot(sweep_dir)["trials"][0]["metric"] == 123.456  # the library follows the record
    assert snapshot(sweep_dir, [real_path(server["root"])])["trials"][0]["metric"] is None
    status, body = request(server["url"], "/spyglass/api/v1/sweep", sweep_dir=str(sweep_dir))
    assert status == 200 and body["trials"][0]["metric"] is None
