"""GET /spyglass/api/v1/lineage through a real Jupyter server (tests/server_harness.py, token auth)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lineage_scenario import build_scenario
from server_harness import TOKEN, http, jupyter_server

from spyglass.artifacts.lineage import lineage_graph


def _get(url: str, token: str | None = TOKEN, **params) -> tuple[int, dict]:
    status, _, body = http(url, "/spyglass/api/v1/lineage", token=token, **params)
    return status, json.loads(body) if body.startswith(b"{") else {}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("lineage-server")
    root, outside = base / "root", base / "outside"
    for directory in (root, outside):
        directory.mkdir()
    scenario = build_scenario(root / "spyglass")
    foreign = build_scenario(outside / "store")
    (root / "escape").symlink_to(outside / "store")
    planted = plant_links(root / "planted", outside / "store", foreign)
    with jupyter_server(root, base / "jupyter") as url:
        yield {
            "url": url,
            "store": str(root / "spyglass"),
            "outside": str(outside / "store"),
            "planted": planted,
            **scenario,
        }


def plant_links(store: Path, foreign_store: Path, foreign: dict) -> dict:
    """A store inside the root whose `model` collection and dataset run are symlinks to another store's."""
    planted = build_scenario(store)
    model = store / "demo" / ".artifacts" / "model"
    shutil.rmtree(model)
    model.symlink_to(foreign_store / "demo" / ".artifacts" / "model")
    prepare = store / "demo" / planted["prepare"].id
    shutil.rmtree(prepare)
    prepare.symlink_to(foreign_store / "demo" / foreign["prepare"].id)
    return {"store": str(store), "prepare": planted["prepare"].id}


def test_the_endpoint_returns_the_whole_project_graph(server):
    status, graph = _get(server["url"], store_root=server["store"], project="demo")
    assert status == 200
    assert len(graph["nodes"]) == 6 and len(graph["edges"]) == 5 and graph["truncated"] is False


def test_the_endpoint_returns_a_neighbourhood_for_focus_and_depth(server):
    focus = f"run:demo/{server['trains'][0].id}"
    status, graph = _get(server["url"], store_root="spyglass", project="demo", focus=focus, depth="1")
    assert status == 200 and graph["focus"] == focus
    assert {n["id"] for n in graph["nodes"]} == {focus, "artifact:demo/iris:v0", "artifact:demo/model:v0"}


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"project": "demo"}, 400, "store_root"),
        ({"store_root": "spyglass"}, 400, "project"),
        ({"store_root": "spyglass", "project": "../x"}, 400, "project"),
        ({"store_root": "spyglass", "project": "demo", "depth": "-1"}, 400, "depth"),
        ({"store_root": "spyglass", "project": "demo", "depth": "x"}, 400, "depth"),
        ({"store_root": "spyglass", "project": "demo", "max_nodes": "0"}, 400, "max_nodes"),
        ({"store_root": "spyglass", "project": "nope"}, 404, "no project"),
        ({"store_root": "spyglass", "project": "demo", "focus": "run:demo/nope"}, 404, "not in the lineage"),
        ({"store_root": "escape", "project": "demo"}, 403, "outside"),
        ({"store_root": "../outside/store", "project": "demo"}, 403, "outside"),
    ],
)
def test_bad_requests_answer_an_error_object(server, params, status, message):
    got, body = _get(server["url"], **params)
    assert got == status and message in body["error"]


def test_max_nodes_caps_the_graph_and_marks_it_truncated(server):
    status, graph = _get(server["url"], store_root=server["store"], project="demo", max_nodes="2")
    assert status == 200 and len(graph["nodes"]) == 2 and graph["truncated"] is True


def test_the_endpoint_needs_authentication(server):
    status, _ = _get(server["url"], token=None, store_root=server["store"], project="demo")
    assert status == 403


def test_collections_and_runs_symlinked_out_of_the_roots_are_left_out_of_the_graph(server):
    planted = server["planted"]
    status, graph = _get(server["url"], store_root=planted["store"], project="demo")
    assert status == 200
    ids = {node["id"] for node in graph["nodes"]}
    assert ids and not any(node_id.startswith("artifact:demo/model") for node_id in ids)
    prepare = next(node for node in graph["nodes"] if node["id"] == f"run:demo/{planted['prepare']}")
    assert prepare["run"]["state"] == "missing" and prepare["label"] == planted["prepare"]
    # The library on the user's own store follows the links as before.
    full = lineage_graph(planted["store"], "demo")
    assert any(node["id"].startswith("artifact:demo/model") for node in full["nodes"])
