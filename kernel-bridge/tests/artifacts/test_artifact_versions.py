"""Versioning and deduplication: a new version only when the manifest changes, each file stored once."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from artifact_test_helpers import object_count, start_run, write_files

import spyglass as sg
from spyglass.artifacts import ArtifactError, ArtifactFinalizedError


def test_logging_makes_v0_then_v1_when_the_content_changes(tmp_path):
    data = write_files(tmp_path / "data", {"a.txt": "one", "sub/b.txt": "two"})
    with start_run(tmp_path / "store") as run:
        first = sg.Artifact("ds", "dataset", description="d", metadata={"rows": 2})
        first.add_dir(data)
        run.log_artifact(first)
        (data / "a.txt").write_text("changed")
        second = sg.Artifact("ds", "dataset")
        second.add_dir(data)
        run.log_artifact(second)
    assert (first.version, second.version) == ("v0", "v1")
    assert first.files() == ["a.txt", "sub/b.txt"]
    assert first.metadata == {"rows": 2} and first.description == "d"
    assert second.aliases == ["latest"] and first.aliases == []


def test_logging_the_same_content_again_creates_no_version_and_no_object(tmp_path):
    root = tmp_path / "store"
    data = write_files(tmp_path / "data", {f"f{i}.bin": bytes([i]) * 1000 for i in range(5)})
    with start_run(root) as run:
        first = sg.Artifact("ds", "dataset")
        first.add_dir(data)
        run.log_artifact(first)
        objects_after_first = object_count(root)
        again = sg.Artifact("ds", "dataset")
        again.add_dir(data)
        run.log_artifact(again)
    assert again.version == "v0" and again.last_log.created is False
    assert again.last_log.bytes_copied == 0 and again.last_log.files_copied == 0
    assert object_count(root) == objects_after_first
    assert first.last_log.files_copied == 5 and first.last_log.bytes_copied == 5000


def test_equal_files_are_stored_once_across_versions_and_artifacts(tmp_path):
    root = tmp_path / "store"
    data = write_files(tmp_path / "data", {"same.bin": b"x" * 100, "copy.bin": b"x" * 100})
    with start_run(root) as run:
        a = sg.Artifact("a", "dataset")
        a.add_dir(data)
        run.log_artifact(a)
        b = sg.Artifact("b", "model")
        b.add_file(data / "same.bin", "weights/same.bin")
        run.log_artifact(b)
    assert a.last_log.files_copied == 1  # two entries, one object
    assert b.last_log.files_copied == 0
    # one content object plus one manifest per version
    assert object_count(root) == 1 + 2


def test_new_draft_builds_the_next_version_incrementally(tmp_path):
    root = tmp_path / "store"
    data = write_files(tmp_path / "data", {"a.txt": "a", "b.txt": "b"})
    with start_run(root) as run:
        base = sg.Artifact("ds", "dataset")
        base.add_dir(data)
        run.log_artifact(base)
        with pytest.raises(ArtifactFinalizedError, match="new_draft"):
            base.add_file(data / "a.txt", "again.txt")
        draft = base.new_draft()
        draft.remove("b.txt")
        with draft.new_file("c.txt") as handle:
            handle.write("c")
        run.log_artifact(draft)
    assert draft.version == "v1" and draft.files() == ["a.txt", "c.txt"]
    assert draft.last_log.files_copied == 1  # only c.txt is new
    assert draft.get_path("c.txt").read_text() == "c"


def test_add_stores_json_values_tables_and_media(tmp_path):
    with start_run(tmp_path / "store") as run:
        art = sg.Artifact("values", "dataset")
        art.add({"classes": ["cat", "dog"]}, "labels")
        art.add(pd.DataFrame({"x": [1, 2], "y": ["a", "b"]}), "frame")
        art.add(sg.Table(columns=["x", "y"], data=[[1, "a"], [2, "b"]]), "table")
        with pytest.raises(ArtifactError, match="cannot store a object"):
            art.add(object(), "nope")
        run.log_artifact(art)
    files = art.files()
    assert "labels.json" in files and "frame.parquet" in files and "table.table.json" in files
    assert json.loads(art.get_path("labels.json").read_text()) == {"classes": ["cat", "dog"]}
    reference = json.loads(art.get_path("table.table.json").read_text())
    assert reference["_type"] == "table" and reference["path"] in files
    assert pd.read_parquet(art.get_path("frame.parquet"))["y"].tolist() == ["a", "b"]


def test_a_file_changed_between_add_and_log_is_refused(tmp_path):
    data = write_files(tmp_path / "data", {"a.txt": "before"})
    with start_run(tmp_path / "store") as run:
        art = sg.Artifact("ds", "dataset")
        art.add_file(data / "a.txt")
        (data / "a.txt").write_text("after!")
        with pytest.raises(ArtifactError, match="changed after it was added"):
            run.log_artifact(art)


def test_log_artifact_accepts_a_path_and_use_artifact_resolves_versions_and_aliases(tmp_path):
    root = tmp_path / "store"
    data = write_files(tmp_path / "data", {"a.txt": "a"})
    with start_run(root) as run:
        logged = run.log_artifact(str(data), name="raw", type="dataset", aliases=["gold"])
        (data / "a.txt").write_text("b")
        run.log_artifact(str(data), name="raw", type="dataset")
    with start_run(root) as reader:
        assert reader.use_artifact("raw:v0").digest == logged.digest
        assert reader.use_artifact("raw:gold").version == "v0"
        assert reader.use_artifact("raw").version == "v1"
        assert reader.use_artifact("demo/raw:latest", type="dataset").version == "v1"
        with pytest.raises(sg.artifacts.ArtifactNotFoundError, match="no alias 'nope'"):
            reader.use_artifact("raw:nope")
        with pytest.raises(ArtifactError, match="type 'dataset', not 'model'"):
            reader.use_artifact("raw:v0", type="model")
    assert [run.id for run in logged.used_by()] == [reader.id]
    assert logged.logged_by().id == run.id


def test_module_level_log_and_use_artifact_follow_the_current_run(tmp_path):
    with start_run(tmp_path / "store"):
        art = sg.Artifact("notes", "text")
        with art.new_file("n.txt") as handle:
            handle.write("hi")
        sg.log_artifact(art)
        assert sg.use_artifact("notes:latest").version == "v0"
