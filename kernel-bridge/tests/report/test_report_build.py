"""`spyglass report`: what a built report holds, its size, its security headers and its reproducibility."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from report_fixtures import ALL_PAYLOADS, budget_notebook, decode_page, xss_notebook

from spyglass.charts.m4 import m4_indices
from spyglass.cli import main as cli_main
from spyglass.report import ReportInput, build_html

REPO = Path(__file__).resolve().parents[3]
RUNTIME_SCRIPT = re.compile(r"<script>(.*)</script>", re.DOTALL)


def page_without_runtime(html: str) -> str:
    return RUNTIME_SCRIPT.sub("<script></script>", html)


def charts_of(document: dict) -> list[dict]:
    return [chart for block in document["blocks"] if block["kind"] == "charts" for chart in block["charts"]]


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory) -> Path:
    """notebooks/quickstart.ipynb executed by a real kernel in a temp directory (its store beside it)."""
    directory = tmp_path_factory.mktemp("quickstart")
    notebook = directory / "quickstart.ipynb"
    shutil.copy(REPO / "notebooks" / "quickstart.ipynb", notebook)
    env_python = sys.executable
    subprocess.run(
        [env_python, str(REPO / "scripts" / "run_notebook.py"), str(notebook)],
        cwd=directory,
        check=True,
        capture_output=True,
        timeout=180,
    )
    return notebook


def test_quickstart_report_embeds_the_run_panel_charts_and_the_markdown(quickstart, tmp_path):
    output = tmp_path / "report.html"
    assert cli_main(["report", str(quickstart), "-o", str(output)]) == 0
    html = output.read_text()
    document, series = decode_page(html)
    metrics = sorted(chart["metric"] for chart in charts_of(document))
    assert metrics == ["learning_rate", "train/accuracy", "train/loss"]
    for chart in charts_of(document):
        (ref,) = chart["series"]
        assert ref["n"] == ref["raw_points"] == 300 and not ref["m4"]  # small series are embedded raw
        assert ref["offset"] + ref["n"] * 8 <= len(series)
    markdown = [b["text"] for b in document["blocks"] if b["kind"] == "markdown"]
    assert markdown[0].startswith("# Spyglass quickstart")
    assert document["title"]["title"] == "Spyglass quickstart"
    (run,) = document["title"]["runs"]
    assert run["config"] == {"learning_rate": 0.05, "seed": 7, "steps": 300}
    assert not any(b["kind"] == "code" for b in document["blocks"])  # code is left out by default


def test_include_code_adds_the_code_cells(quickstart):
    html = build_html(ReportInput(quickstart, include_code=True))
    document, _ = decode_page(html)
    code = [b["source"] for b in document["blocks"] if b["kind"] == "code"]
    assert any("sg.init(" in source for source in code)


def test_the_page_carries_a_csp_that_allows_only_the_inlined_script(quickstart):
    html = build_html(ReportInput(quickstart))
    (csp,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    csp = csp.replace("&#x27;", "'")
    assert "default-src 'none'" in csp
    (script_src,) = [d for d in csp.split("; ") if d.startswith("script-src")]
    assert re.fullmatch(r"script-src 'sha256-[A-Za-z0-9+/]+=*'", script_src)
    assert "unsafe-eval" not in csp and "'unsafe-inline'" not in script_src
    assert "http" not in csp  # no remote source of any kind
    (script,) = RUNTIME_SCRIPT.findall(html)
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert script_src == f"script-src 'sha256-{digest}'"
    assert not re.search(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=", page_without_runtime(html))


def test_building_twice_gives_the_same_bytes(quickstart, tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    cli_main(["report", str(quickstart), "-o", str(first)])
    cli_main(["report", str(quickstart), "-o", str(second)])
    assert first.read_bytes() == second.read_bytes()


def test_ten_charts_over_twenty_runs_stay_well_under_five_megabytes(tmp_path):
    notebook, store = budget_notebook(tmp_path)
    html = build_html(ReportInput(notebook, store))
    document, _ = decode_page(html)
    charts = charts_of(document)
    assert len(charts) == 10 and all(len(chart["series"]) == 20 for chart in charts)
    for chart in charts:
        assert all(ref["m4"] and ref["raw_points"] == 5000 for ref in chart["series"])
        assert sum(ref["n"] for ref in chart["series"]) <= 24_000
    assert len(html.encode()) < 3_000_000, len(html.encode())


def test_m4_keeps_first_last_min_and_max_of_every_bucket():
    x = np.arange(10_000, dtype=float)
    y = np.sin(x / 100)
    y[5_123] = 40.0  # a spike survives
    kept = m4_indices(x, y, 100)
    assert len(kept) <= 400 and 0 in kept and 9_999 in kept and 5_123 in kept
    assert np.all(np.diff(kept) > 0)
    bucket = (x[kept] / 100).astype(int)
    for b in (0, 37, 99):
        in_bucket = y[b * 100 : (b + 1) * 100]
        assert in_bucket.min() in y[kept][bucket == b] and in_bucket.max() in y[kept][bucket == b]


def test_xss_payloads_travel_only_as_data(tmp_path):
    notebook, store = xss_notebook(tmp_path)
    html = build_html(ReportInput(notebook, store))
    outside = page_without_runtime(html)
    for payload in ALL_PAYLOADS:
        assert payload not in outside
    # Outside the data blocks only the title appears, HTML-escaped: no tag, no handler attribute.
    assert "<script>window" not in outside
    assert not re.search(r"<[a-z]+[^>]*\son\w+=", outside)
    assert "&lt;/title&gt;&lt;script&gt;" in outside
    document, _ = decode_page(html)
    text = str(document)
    for payload in ["md-script", "run-name", "config", "cell-script", "metric", "svg", "title"]:
        assert "__xss" in text and payload in text  # embedded for the runtime to show as text
    table = next(b for b in document["blocks"] if b["kind"] == "table")
    assert table["data"][0][0].startswith("<b onmouseover")  # a cell is text, shown with textContent


def test_markdown_export_writes_report_md_and_one_svg_per_chart(quickstart, tmp_path):
    out = tmp_path / "md"
    assert cli_main(["report", str(quickstart), "--format", "markdown", "-o", str(out)]) == 0
    text = (out / "report.md").read_text()
    assert text.startswith("# Spyglass quickstart")
    svgs = sorted((out / "charts").glob("*.svg"))
    assert len(svgs) == 3
    assert all(f"charts/{svg.name}" in text for svg in svgs)
    assert all("<script" not in svg.read_text() and "<polyline" in svg.read_text() for svg in svgs)


def test_a_missing_run_becomes_a_note_not_a_failure(tmp_path):
    notebook, store = xss_notebook(tmp_path)
    shutil.rmtree(store / "xss" / "run1")
    document, _ = decode_page(build_html(ReportInput(notebook, store)))
    notices = [b["text"] for b in document["blocks"] if b["kind"] == "notice"]
    assert any("is not in the store" in n for n in notices)


def test_a_sweep_output_becomes_a_sweep_block_and_a_trials_table(tmp_path, store):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    import spyglass as sg
    from spyglass.sweeps import find_sweep
    from spyglass.sweeps.display import sweep_bundle

    config = {"method": "grid", "metric": {"name": "loss"}, "parameters": {"x": {"values": [0.1, 0.5, 0.9]}}}
    sweep_id = sg.sweep(config, project="demo", dir=store)
    sg.agent(sweep_id, lambda: sg.log({"loss": sg.config["x"]}), count=3, dir=store)
    code = new_code_cell("sg.agent(...)")
    code.outputs = [new_output("display_data", data=sweep_bundle(find_sweep(sweep_id, dir=store)))]
    notebook = tmp_path / "sweep.ipynb"
    nbformat.write(new_notebook(cells=[code]), notebook)
    document, _ = decode_page(build_html(ReportInput(notebook, store)))
    sweep = next(b for b in document["blocks"] if b["kind"] == "sweep")  # drawn with the sweep panel's charts
    assert [t["index"] for t in sweep["snapshot"]["trials"]] == [0, 1, 2]
    assert sweep["snapshot"]["sweep"]["metric"] == {"name": "loss", "goal": "minimize"}
    assert not any(b["kind"] == "charts" for b in document["blocks"])  # no line chart over trial numbers
    table = next(b for b in document["blocks"] if b["kind"] == "table")
    names = [c["name"] for c in table["columns"]]
    assert names[:3] == ["index", "state", "metric"] and "x" in names
    assert sorted(table["data"][names.index("x")]) == [0.1, 0.5, 0.9]


def test_the_cli_refuses_an_output_that_is_a_symlink_and_writes_nothing(tmp_path, capsys):
    notebook, store = xss_notebook(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    link = tmp_path / "report.html"
    link.symlink_to(outside / "evil.pth")
    assert cli_main(["report", str(notebook), "--store", str(store), "-o", str(link)]) == 1
    assert "symbolic link" in capsys.readouterr().err
    assert list(outside.iterdir()) == [] and link.is_symlink()
    default = tmp_path / "xss.report.html"  # the default name beside the notebook, linked the same way
    default.symlink_to(outside / "default.html")
    assert cli_main(["report", str(notebook), "--store", str(store)]) == 1
    assert list(outside.iterdir()) == []


def test_markdown_export_refuses_a_linked_output_directory_or_a_planted_link_inside_it(tmp_path, capsys):
    notebook, store = xss_notebook(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "md_link").symlink_to(outside)
    args = ["report", str(notebook), "--store", str(store), "--format", "markdown", "-o"]
    assert cli_main([*args, str(tmp_path / "md_link")]) == 1
    planted = tmp_path / "md"
    planted.mkdir()
    (planted / "charts").symlink_to(outside)
    assert cli_main([*args, str(planted)]) == 1
    (planted / "charts").unlink()
    (planted / "report.md").symlink_to(outside / "report.md")
    assert cli_main([*args, str(planted)]) == 1
    assert list(outside.iterdir()) == []
    assert capsys.readouterr().err.count("symbolic link") == 3


def test_a_title_with_line_breaks_and_control_characters_becomes_one_line(tmp_path):
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    path = tmp_path / "title.ipynb"
    meta = {"title": "A\nimport os\r\x00\x1b\x85\u2029B", "authors": [{"name": "x\ny"}], "date": "1\n2"}
    nbformat.write(new_notebook(cells=[new_markdown_cell("text")], metadata=meta), path)
    html = build_html(ReportInput(path))
    document, _ = decode_page(html)
    assert document["title"]["title"] == "A import os B"
    assert document["title"]["authors"] == ["x y"] and document["title"]["date"] == "1 2"
    assert "<title>A import os B</title>" in html
    headed = tmp_path / "heading.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("#  \x1b]0;x\x07Title  ")]), headed)
    assert decode_page(build_html(ReportInput(headed)))[0]["title"]["title"] == "]0;x Title"
