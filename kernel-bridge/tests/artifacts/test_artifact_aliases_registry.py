"""Aliases (unique per collection, moved atomically with history) and registry links."""

from __future__ import annotations

import pytest
from artifact_test_helpers import object_count, start_run

import spyglass as sg
from spyglass.artifacts import ArtifactError, ProtectedAliasError, UnsafePathError


def _model(run, content: str, aliases=None) -> sg.Artifact:
    art = sg.Artifact("model", "model")
    with art.new_file("weights.txt") as handle:
        handle.write(content)
    return run.log_artifact(art, aliases=aliases)


def test_a_custom_alias_moves_to_the_new_version_and_its_history_is_kept(tmp_path):
    root = tmp_path / "store"
    with start_run(root) as run:
        first = _model(run, "1", aliases=["best"])
        second = _model(run, "2", aliases=["best"])
    collection = sg.Api(root).artifact_collection("demo/model")
    assert collection.aliases() == {"best": "v1", "latest": "v1"}
    assert first.aliases == [] and second.aliases == ["best", "latest"]
    moves = [(m["alias"], m["version"], m["previous"]) for m in collection.alias_history()]
    assert moves == [("best", 0, None), ("best", 1, 0)]
    assert all(m["by"] == f"demo/{run.id}" for m in collection.alias_history())


def test_latest_always_names_the_newest_version_and_cannot_be_set_by_hand(tmp_path):
    root = tmp_path / "store"
    with start_run(root) as run:
        _model(run, "1", aliases=["latest"])
        _model(run, "2")
    collection = sg.Api(root).artifact_collection("demo/model")
    assert collection.aliases()["latest"] == "v1"
    with pytest.raises(ArtifactError, match="latest"):
        collection.set_alias("latest", "v0")


def test_aliases_that_look_like_versions_or_paths_are_refused(tmp_path):
    with start_run(tmp_path / "store") as run:
        for bad in ("v3", "../x", "a/b", "", "a\0b"):
            with pytest.raises(UnsafePathError):
                _model(run, bad or "x", aliases=[bad])


def test_link_artifact_links_into_a_registry_collection_without_copying(tmp_path):
    root = tmp_path / "store"
    with start_run(root) as run:
        first = _model(run, "1")
        second = _model(run, "2")
        objects = object_count(root)
        assert run.link_artifact(first, "model/classifier", aliases=["production"]) == "model/classifier:v0"
        assert run.link_artifact(second, "model/classifier", aliases=["production"]) == "model/classifier:v1"
        assert run.link_artifact(second, "model/classifier") == "model/classifier:v1"  # linked already
    assert object_count(root) == objects
    api = sg.Api(root)
    assert api.registries() == ["model"] and api.registry_collections("model") == ["classifier"]
    collection = api.registry_collection("model/classifier")
    assert collection.aliases() == {"latest": "v1", "production": "v1"}
    assert [(m["version"], m["previous"]) for m in collection.alias_history()] == [(0, None), (1, 0)]
    links = collection.versions()
    assert [link["source"] for link in links] == [first.id, second.id]
    assert links[1]["aliases"] == ["latest", "production"]
    production = collection.artifact("production")
    assert (
        production.qualified_name == "demo/model:v1" and production.get_path("weights.txt").read_text() == "2"
    )


def test_a_protected_alias_moves_only_with_force(tmp_path):
    root = tmp_path / "store"
    with start_run(root) as run:
        first = _model(run, "1")
        second = _model(run, "2")
        run.link_artifact(first, "model/classifier", aliases=["production"])
        collection = sg.Api(root).registry_collection("model/classifier")
        collection.protect_alias("production")
        with pytest.raises(ProtectedAliasError, match="force=True"):
            run.link_artifact(second, "model/classifier", aliases=["production"])
        assert collection.aliases()["production"] == "v0"
        run.link_artifact(second, "model/classifier", aliases=["production"], force=True)
    assert collection.aliases()["production"] == "v1"
    assert collection.alias_history()[-1]["forced"] is True
    assert collection.protected_aliases == ["production"]


def test_api_artifact_reads_a_version_by_alias_and_lists_versions(tmp_path):
    root = tmp_path / "store"
    with start_run(root) as run:
        _model(run, "1", aliases=["candidate"])
        _model(run, "2")
    api = sg.Api(root)
    assert api.artifact("demo/model:candidate").version == "v0"
    assert api.artifact("demo/model").version == "v1"
    assert [a.version for a in api.artifact_versions("demo/model")] == ["v0", "v1"]
    assert api.artifact_collections("demo") == ["model"]
    with pytest.raises(sg.artifacts.ArtifactNotFoundError, match="its artifacts are: model"):
        api.artifact("demo/nothing:v0")
