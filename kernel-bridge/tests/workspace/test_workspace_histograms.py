"""One histogram key across runs (workspace heat strips): the reader, and GET /spyglass/api/v1/histograms."""

from __future__ import annotations

import json

import numpy as np
import pytest
from server_harness import TOKEN, http, jupyter_server

import spyglass as sg
from spyglass.workspace_data.histograms import MAX_STEPS, read_histograms


def log_histograms(store, steps: int, every: int, finish: bool = True):
    """A run logging `gradients/w` (and a text key) every `every` steps, with the loss every step."""
    run = sg.init(project="hist", dir=str(store), settings=sg.Settings(system_metrics=False))
    rng = np.random.default_rng(len(str(store)) + steps)
    for step in range(steps):
        if step % every == 0:
            histogram = sg.Histogram(rng.normal(size=100), num_bins=8)
            run.log({"gradients/w": histogram, "note": "text"}, commit=False)
        run.log({"loss": 1 / (step + 1)})
    if finish:
        run.finish()
    else:
        run.flush()
    return run


def test_finished_and_running_runs_answer_their_histograms_in_order(tmp_path):
    finished = log_histograms(tmp_path, 50, 10)
    running = log_histograms(tmp_path, 30, 10, finish=False)
    answer = read_histograms(tmp_path, "hist", "gradients/w", [running.id, finished.id, "gone"])
    assert list(answer["runs"]) == [running.id, finished.id]
    assert [h["step"] for h in answer["runs"][finished.id]] == [0, 10, 20, 30, 40]
    assert [h["step"] for h in answer["runs"][running.id]] == [0, 10, 20]
    for histogram in answer["runs"][finished.id]:
        assert len(histogram["bins"]) == 9 and sum(histogram["values"]) == 100
    assert answer["skipped"] == {"gone": "no such run (deleted?)"}
    assert read_histograms(tmp_path, "hist", "note")["runs"] == {}, "text cells are not histograms"
    assert read_histograms(tmp_path, "hist", "loss")["runs"] == {}, "numbers are not histograms"
    running.finish()


def test_a_long_run_is_thinned_evenly_with_its_last_histogram_kept(tmp_path):
    run = log_histograms(tmp_path, 1001, 1)
    steps = [h["step"] for h in read_histograms(tmp_path, "hist", "gradients/w")["runs"][run.id]]
    assert len(steps) <= MAX_STEPS + 1 and steps[0] == 0 and steps[-1] == 1000
    assert len({b - a for a, b in zip(steps[:-2], steps[1:-1], strict=True)}) == 1


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("hist_server")
    root = base / "root"
    root.mkdir()
    run = log_histograms(root / "spyglass", 20, 5)
    with jupyter_server(root, base / "jupyter") as url:
        yield {"url": url, "store": root / "spyglass", "run": run}


def test_the_endpoint_answers_json_histograms_and_refuses_without_auth_or_key(server):
    params = {"store_root": str(server["store"]), "project": "hist", "metric": "gradients/w"}
    status, headers, body = http(server["url"], "/spyglass/api/v1/histograms", token=TOKEN, **params)
    assert status == 200 and "json" in headers.get("Content-Type", "")
    answer = json.loads(body)
    assert [h["step"] for h in answer["runs"][server["run"].id]] == [0, 5, 10, 15]
    status, _, _ = http(server["url"], "/spyglass/api/v1/histograms", token=None, **params)
    assert status in (401, 403)
    no_key = {k: v for k, v in params.items() if k != "metric"}
    status, _, body = http(server["url"], "/spyglass/api/v1/histograms", token=TOKEN, **no_key)
    assert status == 400 and "metric" in json.loads(body)["error"]
    outside = {**params, "store_root": "/"}
    status, _, _ = http(server["url"], "/spyglass/api/v1/histograms", token=TOKEN, **outside)
    assert status in (400, 403, 404)
