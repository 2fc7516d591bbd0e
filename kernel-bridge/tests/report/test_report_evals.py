"""Evaluation outputs in reports: evaluate()'s summary and sg.compare_evaluations become a scores plot, a cost
and latency table and (for a comparison) the examples with regressions first, read from the store."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output
from report_fixtures import decode_page

import spyglass as sg
from spyglass.report import ReportInput, build_html

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "evals"))
from test_comparison import XSS, two_evaluations  # noqa: E402


def _notebook(path: Path, *displayed) -> Path:
    cells = [
        new_code_cell("x", outputs=[new_output("display_data", data=value._repr_mimebundle_())])
        for value in displayed
    ]
    nbformat.write(new_notebook(cells=cells), path)
    return path


def test_a_comparison_publishes_bars_amounts_and_regressions_first(store, tmp_path):
    good, worse = two_evaluations()
    sg.finish_traces()
    notebook = _notebook(tmp_path / "evals.ipynb", sg.compare_evaluations("cmp", [good, worse]))
    html = build_html(ReportInput(notebook, store))
    document, _ = decode_page(html)
    kinds = [block["kind"] for block in document["blocks"]]
    assert kinds == ["plot", "table", "table"]
    plot, amounts, examples = document["blocks"]
    assert plot["spec"]["data"] == {"name": "table"}
    bars = dict(zip(["evaluation", "score", "mean", "count"], plot["table"]["data"], strict=True))
    assert bars["evaluation"] == ["qa-eval · Good", "qa-eval · Worse"] * 2
    assert bars["mean"][:2] == [1.0, 0.75]
    assert amounts["data"][0] == ["qa-eval · Good", "qa-eval · Worse"]
    assert amounts["data"][3] == [0, 1]  # failed
    names = [column["name"] for column in examples["columns"]]
    assert names[:4] == ["outcome", "example", "inputs", "qa-eval · Good: output"]
    assert examples["data"][0] == ["regression", "regression", "same", "same", "same"]
    assert examples["data"][1][:2] == [3, 1]
    worse_output = examples["data"][names.index("qa-eval · Worse: output")]
    assert worse_output[1] == XSS and worse_output[0].startswith("predict: ValueError: no answer")
    assert "2 regression, 3 same" in examples["note"]
    # Model output is data in the page, never its markup.
    assert XSS not in html
    assert build_html(ReportInput(notebook, store)) == html


def test_an_evaluation_summary_publishes_its_aggregates_then_its_results(store, tmp_path):
    good, _ = two_evaluations()
    sg.finish_traces()
    document, _ = decode_page(build_html(ReportInput(_notebook(tmp_path / "one.ipynb", good), store)))
    kinds = [block["kind"] for block in document["blocks"]]
    assert kinds == ["plot", "table", "table"]
    assert document["blocks"][2]["title"] == "eval/results"
    assert document["blocks"][2]["nrows"] == 5


def test_an_unreachable_store_is_said_in_a_notice(store, tmp_path):
    good, worse = two_evaluations()
    sg.finish_traces()
    notebook = _notebook(tmp_path / "evals.ipynb", sg.compare_evaluations("cmp", [good, worse]))
    other = tmp_path / "elsewhere"
    other.mkdir()
    (notebook.parent / "spyglass").mkdir(exist_ok=True)
    text = notebook.read_text().replace(str(store), str(other))
    notebook.write_text(text)
    document, _ = decode_page(build_html(ReportInput(notebook, other)))
    (block,) = document["blocks"]
    assert block["kind"] == "notice" and "its evaluations are left out" in block["text"]
