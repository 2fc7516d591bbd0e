"""The issue's lineage scenario, shared by the lineage, OpenLineage, CLI and server tests.

A dataset-logging run logs `iris:v0`; two training runs use it and each log a `model` version; the second
model is linked into `model/classifier` as `production`. Six nodes, five edges.
"""

from __future__ import annotations

from pathlib import Path

from artifact_test_helpers import start_run

import spyglass as sg


def build_scenario(root: Path) -> dict:
    with start_run(root, job_type="dataset") as prepare:
        dataset = sg.Artifact("iris", "dataset")
        with dataset.new_file("iris.csv") as handle:
            handle.write("sepal,petal\n1,2\n")
        prepare.log_artifact(dataset)
    trains, models = [], []
    for index in range(2):
        with start_run(root, job_type="train") as train:
            train.use_artifact("iris:latest")
            model = sg.Artifact("model", "model")
            with model.new_file("weights.txt") as handle:
                handle.write(f"weights {index}")
            train.log_artifact(model)
            if index == 1:
                train.link_artifact(model, "model/classifier", aliases=["production"])
        trains.append(train)
        models.append(model)
    return {"prepare": prepare, "dataset": dataset, "trains": trains, "models": models}
