"""POST /spyglass/api/v1/report: a real `jupyter server` (tests/server_harness.py) writes
`<notebook>.report.html` beside a notebook inside its root, and refuses paths outside it."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from report_fixtures import decode_page, run_output, workspace_output, xss_notebook
from server_harness import http, jupyter_server

from spyglass.report import messages


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


def notebook(path: Path, *outputs, title: str = "Report") -> Path:
    code = new_code_cell("run")
    code.outputs = list(outputs)
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Body"), code], metadata={"title": title}), path)
    return path


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


def test_a_report_name_symlinked_to_a_file_not_yet_existing_outside_the_root_is_refused(server):
    root, outside = server["root"], server["outside"]
    notebook(root / "linked.ipynb")
    target = outside / "planted.html"
    (root / "linked.report.html").symlink_to(target)
    status, body = post(server["url"], {"path": "linked.ipynb"})
    assert status == 403 and "symbolic link" in body["error"]
    assert not target.exists() and (root / "linked.report.html").is_symlink()
    assert not [p for p in root.iterdir() if p.name.endswith(".tmp")]


def test_the_pth_attack_writes_nothing_and_the_title_stays_one_line(server):
    """The attack found: a report name linked to a .pth in site-packages, a title carrying Python code."""
    root, outside = server["root"], server["outside"]
    site_packages = outside / "site-packages"
    site_packages.mkdir()
    payload = "Results\nimport os; os.system('touch pwned')\r\n\x1b[2J\u2028import sys"
    notebook(root / "pth.ipynb", title=payload)
    (root / "pth.report.html").symlink_to(site_packages / "evil.pth")
    status, body = post(server["url"], {"path": "pth.ipynb"})
    assert status == 403 and "symbolic link" in body["error"]
    assert list(site_packages.iterdir()) == []
    (root / "pth.report.html").unlink()
    status, body = post(server["url"], {"path": "pth.ipynb"})
    assert status == 200, body
    html = (root / "pth.report.html").read_text()
    document, _ = decode_page(html)
    title = document["title"]["title"]
    assert title == "Results import os; os.system('touch pwned') [2J import sys"
    assert not any(line.lstrip().startswith("import") for line in html.splitlines())


def test_a_run_or_workspace_outside_the_roots_is_not_embedded(server):
    """A notebook output names the run_dir (or store_root) to read; outside the roots it stays unread."""
    root, outside = server["root"], server["outside"]
    (root / "store_link").symlink_to(outside / "store")
    outside_run = outside / "store" / "xss" / "run1"
    notebook(
        root / "foreign.ipynb",
        run_output(outside_run, "xss", "run1", "foreign"),
        run_output(root / "store_link" / "xss" / "run1", "xss", "run1", "linked"),
        workspace_output(outside / "store", "xss"),
        workspace_output(root / "store_link", "xss"),
    )
    status, body = post(server["url"], {"path": "foreign.ipynb"})
    assert status == 200, body
    document, _ = decode_page((root / "foreign.report.html").read_text())
    notices = [b["text"] for b in document["blocks"] if b["kind"] == "notice"]
    assert len(notices) == 2 and all("outside the server's root_dir" in n for n in notices)
    assert messages.RUN_OUTSIDE_ROOTS.split("{")[0] in notices[0]
    charts = [b for b in document["blocks"] if b["kind"] == "charts"]
    assert [b["runs"] for b in charts] == [[], []]  # the two workspaces: the project leads out, no run shown
    assert document["title"]["runs"] == []
    # The same run inside the root is embedded: the refusal is about where it lies, not what it is.
    status, _ = post(server["url"], {"path": "xss.ipynb"})
    inside, _ = decode_page((root / "xss.report.html").read_text())
    assert status == 200 and len(inside["title"]["runs"]) == 1
