"""run.url & co: JupyterLab URLs under a real Jupyter server, else file:// URLs; join; workers never hang."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from server_harness import TOKEN, http, jupyter_server

import spyglass as sg
from spyglass.data_types.errors import ColumnTypeError
from spyglass.errors import CorruptRunLogError
from spyglass.sweeps.errors import SweepConfigError


def test_outside_jupyter_the_urls_are_file_urls_of_the_run_and_project(store):
    run = sg.init(project="p")
    assert run.url == run.get_url() == Path(run.dir).as_uri()
    assert run.project_url == run.get_project_url() == Path(run.dir).parent.as_uri()
    assert run.sweep_url is None and run.get_sweep_url() is None  # not a sweep trial, as wandb
    sg.join()
    assert sg.Api().run(f"p/{run.id}").state == "finished" and sg.run is None


def test_in_a_kernel_of_a_jupyter_server_the_url_opens_the_run_in_jupyterlab(store, tmp_path):
    from jupyter_client import BlockingKernelClient

    config = tmp_path / "jupyter"
    with jupyter_server(tmp_path, config, store=store) as url:
        status, _, body = http(url, "/api/kernels", method="POST", data=b"{}")
        assert status == 201, body
        kernel_id = json.loads(body)["id"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # connect once the kernel answers: its heartbeat is then up
            state = json.loads(http(url, f"/api/kernels/{kernel_id}")[2]).get("execution_state")
            if state not in ("starting", None):
                break
            time.sleep(0.2)
        client = BlockingKernelClient(connection_file=str(config / "runtime" / f"kernel-{kernel_id}.json"))
        client.load_connection_file()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            code = (
                "import spyglass as sg\n"
                f"run = sg.init(project='p', dir={str(store)!r}, mode='offline')\n"
                "print(run.url); print(run.project_url); run.finish()\n"
            )
            printed: list[str] = []
            reply = client.execute_interactive(
                code,
                timeout=60,
                output_hook=lambda msg: printed.append(msg["content"].get("text", "")),
            )
            assert reply["content"]["status"] == "ok", reply["content"]
        finally:
            client.stop_channels()
            http(url, f"/api/kernels/{kernel_id}", method="DELETE")
    run_url, project_url = "".join(printed).split()
    parsed = urlparse(run_url)
    assert f"{parsed.scheme}://{parsed.netloc}" == url and parsed.path == "/lab"
    query = parse_qs(parsed.query)
    [run] = list(sg.Api(dir=store).runs("p"))
    assert query == {"spyglass-store": [str(store)], "spyglass-run": [f"p/{run.id}"]}
    assert TOKEN not in run_url  # the token is never put in a URL
    assert parse_qs(urlparse(project_url).query)["spyglass-project"] == ["p"]


def _worker(task: str, store: str) -> str:
    run = sg.init(project="workers", dir=store, mode="offline", reinit=True)
    run.log({"x": 1})
    if task == "url":
        return str(run.sweep_url) + " " + run.url
    if task == "spyglass-error":
        raise ColumnTypeError("c", ["int", "str"], 3, "advice")  # an __init__ needing more than a message
    raise RuntimeError("worker failed")


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_failing_or_url_reading_worker_never_hangs_its_parent(store, method):
    context = multiprocessing.get_context(method)
    started = time.monotonic()
    with context.Pool(3) as pool:
        results = [
            pool.apply_async(_worker, (task, str(store))) for task in ("url", "spyglass-error", "plain")
        ]
        assert results[0].get(timeout=60).startswith("None file://")
        with pytest.raises(ColumnTypeError, match="mixes values of types int, str"):
            results[1].get(timeout=60)
        with pytest.raises(RuntimeError, match="worker failed"):
            results[2].get(timeout=60)
    assert time.monotonic() - started < 60


@pytest.mark.parametrize(
    "error",
    [
        ColumnTypeError("c", ["a", "b"], 1, "x"),
        SweepConfigError(["bad"]),
        CorruptRunLogError("p/r", "/x", 3, "bad crc"),
        sg.SpyglassError("plain"),
    ],
)
def test_every_spyglass_error_survives_pickling(error):
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error) and again.__dict__ == error.__dict__


def test_the_process_runs_no_thread_that_outlives_finish(store):
    run = sg.init(project="p")
    run.alert("a", "b")
    run.finish()
    assert not any(
        t.name.startswith("spyglass-alert") and t.is_alive() for t in __import__("threading").enumerate()
    )
    assert os.getpid() > 0


def test_a_sweep_trial_has_a_sweep_url_to_its_sweep(store):
    sweep_id = sg.sweep(
        {"method": "random", "parameters": {"lr": {"values": [0.1]}}, "run_cap": 1}, project="p"
    )
    seen = []

    def train():
        seen.append((sg.run.sweep_url, sg.run.get_sweep_url()))
        sg.log({"loss": 1.0})

    assert sg.agent(sweep_id, train) == 1
    [(url, again)] = seen
    assert url == again and url.startswith("file://") and sweep_id in url
    assert Path(url.removeprefix("file://")).is_dir()
