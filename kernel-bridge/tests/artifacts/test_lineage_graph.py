"""lineage_graph(): runs and artifact versions as a DAG in the contract's shape, whole or around a focus."""

from __future__ import annotations

import pytest
from artifact_test_helpers import start_run
from lineage_scenario import build_scenario

import spyglass as sg
from spyglass.artifacts import LINEAGE_MIME_TYPE, lineage_graph

NODE_KEYS = {"id", "kind", "label", "project", "run", "artifact"}
RUN_KEYS = {"run_id", "name", "state", "job_type", "created_at"}
ARTIFACT_KEYS = {
    "name",
    "type",
    "version",
    "aliases",
    "digest",
    "size",
    "file_count",
    "created_at",
    "registry_links",
}


def test_the_scenario_graph_has_the_runs_versions_and_edges_of_the_issue(tmp_path):
    root = tmp_path / "store"
    s = build_scenario(root)
    graph = lineage_graph(root, "demo")
    assert set(graph) == {"nodes", "edges", "focus", "truncated"}
    assert graph["truncated"] is False and graph["focus"] is None
    ids = {node["id"] for node in graph["nodes"]}
    prepare, (train0, train1) = s["prepare"], s["trains"]
    assert ids == {
        f"run:demo/{prepare.id}",
        f"run:demo/{train0.id}",
        f"run:demo/{train1.id}",
        "artifact:demo/iris:v0",
        "artifact:demo/model:v0",
        "artifact:demo/model:v1",
    }
    edges = {(e["source"], e["target"], e["kind"]) for e in graph["edges"]}
    assert edges == {
        (f"run:demo/{prepare.id}", "artifact:demo/iris:v0", "produced"),
        ("artifact:demo/iris:v0", f"run:demo/{train0.id}", "consumed"),
        ("artifact:demo/iris:v0", f"run:demo/{train1.id}", "consumed"),
        (f"run:demo/{train0.id}", "artifact:demo/model:v0", "produced"),
        (f"run:demo/{train1.id}", "artifact:demo/model:v1", "produced"),
    }
    for node in graph["nodes"]:
        assert set(node) == NODE_KEYS
        if node["kind"] == "run":
            assert node["artifact"] is None and set(node["run"]) == RUN_KEYS
            assert node["run"]["state"] == "finished"
        else:
            assert node["run"] is None and set(node["artifact"]) == ARTIFACT_KEYS
    production = next(n for n in graph["nodes"] if n["id"] == "artifact:demo/model:v1")["artifact"]
    assert production["registry_links"] == ["model/classifier:v0"]
    assert production["aliases"] == ["latest"] and production["file_count"] == 1
    assert production["digest"] == s["models"][1].digest


def test_a_neighbourhood_keeps_only_nodes_within_depth_hops_of_the_focus(tmp_path):
    root = tmp_path / "store"
    s = build_scenario(root)
    focus = "artifact:demo/model:v0"
    one = lineage_graph(root, "demo", focus=focus, depth=1)
    assert {n["id"] for n in one["nodes"]} == {focus, f"run:demo/{s['trains'][0].id}"}
    assert one["focus"] == focus
    three = lineage_graph(root, "demo", focus=focus, depth=3)
    assert len(three["nodes"]) == 5  # up to iris, its producer and the other consumer; not model:v1
    assert "artifact:demo/model:v1" not in {n["id"] for n in three["nodes"]}
    with pytest.raises(LookupError, match="not in the lineage"):
        lineage_graph(root, "demo", focus="artifact:demo/nothing:v0")


def test_a_capped_graph_says_it_is_truncated(tmp_path):
    root = tmp_path / "store"
    build_scenario(root)
    graph = lineage_graph(root, "demo", max_nodes=3)
    assert graph["truncated"] is True and len(graph["nodes"]) == 3
    ids = {n["id"] for n in graph["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])


def test_using_a_draft_logs_it_without_a_producer_for_a_five_node_notebook_graph(tmp_path):
    root = tmp_path / "store"
    dataset = sg.Artifact("iris", "dataset")
    with dataset.new_file("iris.csv") as handle:
        handle.write("x\n1\n")
    for index in range(2):
        with start_run(root, job_type="train") as run:
            run.use_artifact(dataset if index == 0 else "iris:latest")
            model = sg.Artifact("model", "model")
            with model.new_file("w.txt") as handle:
                handle.write(str(index))
            run.log_artifact(model)
    graph = lineage_graph(root, "demo")
    assert len(graph["nodes"]) == 5 and len(graph["edges"]) == 4
    assert dataset.logged_by() is None and len(dataset.used_by()) == 2


def test_artifacts_and_runs_display_the_lineage_bundle_with_fallbacks(tmp_path):
    root = tmp_path / "store"
    s = build_scenario(root)
    bundle = s["models"][1]._repr_mimebundle_()
    payload = bundle[LINEAGE_MIME_TYPE]
    assert set(payload) == {"store_root", "project", "focus", "graph"}
    assert payload["focus"] == "artifact:demo/model:v1" and payload["store_root"] == str(root.resolve())
    assert bundle["text/plain"].startswith("lineage: ")
    assert bundle["image/svg+xml"].startswith("<svg") and "model:v1" in bundle["image/svg+xml"]
    run_bundle = s["trains"][0].lineage()._repr_mimebundle_()
    assert run_bundle[LINEAGE_MIME_TYPE]["focus"] == f"run:demo/{s['trains'][0].id}"
    assert "--consumed-->" in run_bundle["text/plain"]
    assert sg.Artifact("draft", "dataset")._repr_mimebundle_() == {
        "text/plain": "<spyglass.Artifact draft (draft, dataset, 0 files)>"
    }


def test_the_svg_escapes_labels_and_collapses_wide_layers():
    from spyglass.artifacts.lineage_svg import render_lineage_svg

    nodes = [
        {
            "id": "run:p/r",
            "kind": "run",
            "label": "<script>",
            "project": "p",
            "run": {
                "run_id": "r",
                "name": "<script>",
                "state": "finished",
                "job_type": None,
                "created_at": 0,
            },
            "artifact": None,
        }
    ]
    edges = []
    for index in range(30):
        node_id = f"artifact:p/a{index}:v0"
        nodes.append(
            {
                "id": node_id,
                "kind": "artifact",
                "label": f"a{index}:v0",
                "project": "p",
                "run": None,
                "artifact": {
                    "name": f"a{index}",
                    "type": "t",
                    "version": "v0",
                    "aliases": [],
                    "digest": "",
                    "size": 0,
                    "file_count": 0,
                    "created_at": 0,
                    "registry_links": [],
                },
            }
        )
        edges.append({"source": "run:p/r", "target": node_id, "kind": "produced"})
    svg = render_lineage_svg({"nodes": nodes, "edges": edges, "focus": None, "truncated": False})
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "+19 more" in svg


def test_a_run_using_another_projects_artifact_shows_it_in_both_lineages(tmp_path):
    root = tmp_path / "store"
    build_scenario(root)
    with start_run(root, project="serving", job_type="deploy") as deploy:
        deploy.use_artifact("demo/model:v1")
    serving = lineage_graph(root, "serving")
    ids = {n["id"] for n in serving["nodes"]}
    assert ids >= {"artifact:demo/model:v1", f"run:serving/{deploy.id}"}
    assert ("artifact:demo/model:v1", f"run:serving/{deploy.id}", "consumed") in {
        (e["source"], e["target"], e["kind"]) for e in serving["edges"]
    }
    assert any(e["target"] == "artifact:demo/model:v1" and e["kind"] == "produced" for e in serving["edges"])
    demo = lineage_graph(root, "demo", focus="artifact:demo/model:v1", depth=1)
    assert f"run:serving/{deploy.id}" in {n["id"] for n in demo["nodes"]}


def test_the_graph_has_exactly_the_keys_of_the_panels_golden_fixture(tmp_path):
    import json
    from pathlib import Path

    fixture_path = Path(__file__).resolve().parents[3] / "packages/protocol/fixtures/lineage/graph.json"
    if not fixture_path.is_file():
        pytest.skip("the lineage panel's golden fixture is not in this checkout")
    fixture = json.loads(fixture_path.read_text())
    root = tmp_path / "store"
    build_scenario(root)
    graph = lineage_graph(root, "demo")
    assert set(graph) == set(fixture)
    for kind in ("run", "artifact"):
        ours = next(n for n in graph["nodes"] if n["kind"] == kind)
        theirs = next(n for n in fixture["nodes"] if n["kind"] == kind)
        assert set(ours) == set(theirs)
        assert set(ours[kind]) == set(theirs[kind])
    assert set(graph["edges"][0]) == set(fixture["edges"][0])
