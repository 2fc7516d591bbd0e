"""list_sweeps: the project's sweeps for the workspace's sweep picker."""

from __future__ import annotations

from pathlib import Path

from sweep_test_helpers import RANDOM_CONFIG

import spyglass as sg
from spyglass.sweeps import control
from spyglass.sweeps.listing import list_sweeps


def test_lists_every_sweep_newest_first_with_its_state(tmp_path: Path) -> None:
    first = sg.sweep({**RANDOM_CONFIG, "name": "first"}, project="p", dir=tmp_path)
    second = sg.sweep(RANDOM_CONFIG, project="p", dir=tmp_path)
    control(tmp_path / "p" / ".sweeps" / first, "pause")
    (tmp_path / "p" / ".sweeps" / "junk").mkdir()  # no sweep.json: skipped

    listed = list_sweeps(tmp_path, "p")

    assert [s["id"] for s in listed] == [second, first]
    assert listed[1]["name"] == "first" and listed[1]["state"] == "paused"
    assert listed[0]["state"] == "running"
    assert listed[0]["sweep_dir"] == str((tmp_path / "p" / ".sweeps" / second).resolve())


def test_a_project_without_sweeps_lists_none(tmp_path: Path) -> None:
    assert list_sweeps(tmp_path, "nothing") == []


def test_the_sweeps_endpoint_lists_a_projects_sweeps_confined_to_the_roots(tmp_path: Path) -> None:
    import json

    from server_harness import TOKEN, http, jupyter_server

    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    sweep_id = sg.sweep(RANDOM_CONFIG, project="demo", dir=root / "spyglass")
    with jupyter_server(root, tmp_path / "jupyter") as url:

        def get(**params):
            status, _, body = http(url, "/spyglass/api/v1/sweeps", token=TOKEN, timeout=20, **params)
            return status, json.loads(body or b"{}")

        status, body = get(store_root=str(root / "spyglass"), project="demo")
        assert status == 200 and [s["id"] for s in body["sweeps"]] == [sweep_id]
        assert get(store_root=str(root / "spyglass"), project="none") == (200, {"sweeps": []})
        assert get(store_root=str(outside), project="demo")[0] == 403
        status, body = get(store_root=str(root / "spyglass"))
        assert status == 400 and "project" in body["error"]


def test_sweep_directories_symlinked_out_of_the_roots_are_skipped_and_refused(tmp_path: Path) -> None:
    import json

    from server_harness import TOKEN, http, jupyter_server

    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    store = root / "spyglass"
    inside_id = sg.sweep(RANDOM_CONFIG, project="demo", dir=store)
    foreign_id = sg.sweep({**RANDOM_CONFIG, "name": "foreign"}, project="demo", dir=outside)
    foreign = outside / "demo" / ".sweeps" / foreign_id
    (store / "demo" / ".sweeps" / "planted").symlink_to(foreign)
    half = store / "demo" / ".sweeps" / "half"  # a real directory whose sweep.json leads out
    half.mkdir()
    (half / "sweep.json").symlink_to(foreign / "sweep.json")
    # Without roots (the library, a user's own store) links are followed as before.
    assert len(list_sweeps(store, "demo")) == 3
    assert [s["id"] for s in list_sweeps(store, "demo", [root.resolve()])] == [inside_id]
    with jupyter_server(root, tmp_path / "jupyter") as url:

        def get(endpoint, **params):
            status, _, body = http(url, endpoint, token=TOKEN, timeout=20, **params)
            return status, json.loads(body or b"{}")

        status, body = get("/spyglass/api/v1/sweeps", store_root=str(store), project="demo")
        assert status == 200 and [s["id"] for s in body["sweeps"]] == [inside_id]
        for planted in ("planted", "half"):
            status, body = get("/spyglass/api/v1/sweep", sweep_dir=str(store / "demo" / ".sweeps" / planted))
            assert status == 403 and "outside" in body["error"]
