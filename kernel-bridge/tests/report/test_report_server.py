"""POST /spyglass/api/v1/report: a real `jupyter server` (as in tests/sweeps/test_sweep_server.py) writes
`<notebook>.report.html` beside a notebook inside its root, and refuses paths outside it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from report_fixtures import decode_page, xss_notebook

TOKEN = "spyglass-report-test-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(url: str, body: object) -> tuple[int, dict]:
    req = urllib.request.Request(
        url + "/spyglass/api/v1/report", data=json.dumps(body).encode(), method="POST"
    )
    req.add_header("Authorization", f"token {TOKEN}")
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("reportserver")
    root, outside, jupyter = base / "root", base / "outside", base / "jupyter"
    for directory in (root, outside, jupyter):
        directory.mkdir()
    xss_notebook(root)
    xss_notebook(outside)
    (jupyter / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"spyglass": True}}})
    )
    port = free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(jupyter), "JUPYTER_RUNTIME_DIR": str(jupyter / "runtime"),
           "JUPYTER_DATA_DIR": str(jupyter / "data")}  # fmt: skip
    env.pop("SPYGLASS_DIR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--ServerApp.token={TOKEN}",
         f"--ServerApp.root_dir={root}"],
        env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode(errors="replace"))
            try:
                urllib.request.urlopen(url + "/api/status", timeout=5)
                break
            except urllib.error.HTTPError:
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield {"url": url, "root": root, "outside": outside}
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_post_writes_the_report_beside_the_notebook(server):
    status, body = post(server["url"], {"path": "xss.ipynb"})
    assert status == 200, body
    assert body["path"] == "xss.report.html"
    html = (server["root"] / "xss.report.html").read_text()
    document, _ = decode_page(html)
    assert any(block["kind"] == "charts" for block in document["blocks"])


@pytest.mark.parametrize(
    ("body", "status"),
    [({}, 400), ({"path": "../outside/xss.ipynb"}, 403), ({"path": "missing.ipynb"}, 404), ([1], 400)],
)
def test_post_refuses_bad_paths_with_an_error_object(server, body, status):
    answer_status, answer = post(server["url"], body)
    assert answer_status == status and "error" in answer
