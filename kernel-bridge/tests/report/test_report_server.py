"""POST /spyglass/api/v1/report: a real `jupyter server` (tests/server_harness.py) writes
`<notebook>.report.html` beside a notebook inside its root, and refuses paths outside it."""

from __future__ import annotations

import json

import pytest
from report_fixtures import decode_page, xss_notebook
from server_harness import http, jupyter_server


def post(url: str, body: object) -> tuple[int, dict]:
    status, _, answer = http(
        url, "/spyglass/api/v1/report", data=json.dumps(body).encode(), method="POST", timeout=60
    )
    return status, json.loads(answer or b"{}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("reportserver")
    root, outside = base / "root", base / "outside"
    for directory in (root, outside):
        directory.mkdir()
    xss_notebook(root)
    xss_notebook(outside)
    with jupyter_server(root, base / "jupyter") as url:
        yield {"url": url, "root": root, "outside": outside}


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
