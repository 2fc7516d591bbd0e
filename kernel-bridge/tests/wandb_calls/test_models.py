"""log_model / use_model / link_model on top of artifacts and the registry (as wandb's model shortcuts)."""

from __future__ import annotations

from pathlib import Path

import pytest

import spyglass as sg
from spyglass.artifacts.artifact_errors import ArtifactError
from spyglass.artifacts.registry import registry_collection


def test_a_model_logged_by_one_run_is_used_by_another_and_linked_into_the_registry(
    store, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "model.pt").write_bytes(b"weights-1")
    trainer = sg.init(project="p")
    logged = sg.log_model(tmp_path / "model.pt", aliases=["best"])
    assert (logged.name, logged.type) == (f"run-{trainer.id}-model.pt", "model")
    linked = trainer.link_model(tmp_path / "model.pt", "classifier", name="clf", aliases=["production"])
    assert linked.type == "model"
    trainer.finish()

    consumer = sg.init(project="p")
    path = sg.use_model(f"{logged.name}:best")
    assert Path(path).read_bytes() == b"weights-1"  # one file: its path, as wandb
    consumer.finish()
    link = registry_collection(store, "model-registry", "classifier")
    record = link.read_version(link.resolve("production"))
    assert (record["name"], record["type"], record["project"]) == ("clf", "model", "p")


def test_use_model_refuses_an_artifact_that_is_not_a_model(store, tmp_path):
    run = sg.init(project="p")
    (tmp_path / "data.csv").write_text("a,b\n")
    run.log_artifact(str(tmp_path / "data.csv"), name="dataset", type="dataset")
    with pytest.raises(ArtifactError, match="type contains 'model'"):
        run.use_model("dataset:latest")


def test_log_model_of_a_missing_path_says_so(store, tmp_path):
    run = sg.init(project="p")
    with pytest.raises(ArtifactError, match="does not exist"):
        run.log_model(tmp_path / "nope.pt")
