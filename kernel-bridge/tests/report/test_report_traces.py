"""Trace outputs in reports: the project's root calls and the newest trace's tree, as inert table cells."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output
from report_fixtures import decode_page

import spyglass as sg
from spyglass.report import ReportInput, build_html
from spyglass.traces.trace_output import traces_bundle

XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


def traced_notebook(directory: Path) -> tuple[Path, Path]:
    store = directory / "spyglass"
    sg.init_traces("bot", dir=store)
    try:

        @sg.op
        def search(query):
            return [XSS, "a" * 2000]

        @sg.op
        def llm(messages):
            sg.traces.current_call().usage = {"input_tokens": 10, "output_tokens": 5}
            sg.traces.current_call().cost = 0.5
            return {"role": "assistant", "content": XSS}

        @sg.op
        def agent(question):
            for _ in range(2):
                llm([{"role": "user", "content": question}])
                search(question)
            return "done " + XSS

        agent("first")
        agent("second " + XSS)
    finally:
        sg.finish_traces()
    cell = new_code_cell("sg.display_traces('bot')")
    cell.outputs = [new_output("display_data", data=traces_bundle("bot", str(store)))]
    path = directory / "traces.ipynb"
    nbformat.write(new_notebook(cells=[cell]), path)
    return path, store


def blocks_of(notebook: Path, store: Path | None = None) -> list[dict]:
    return decode_page(build_html(ReportInput(notebook, store)))[0]["blocks"]


def rows(block: dict) -> list[dict]:
    names = [c["name"] for c in block["columns"]]
    return [dict(zip(names, row, strict=True)) for row in zip(*block["data"], strict=True)]


def test_a_trace_output_publishes_its_root_calls_and_the_newest_tree(tmp_path):
    notebook, _ = traced_notebook(tmp_path)
    roots, tree = blocks_of(notebook)
    assert roots["kind"] == "table" and roots["title"] == "traces · bot · root calls"
    listed = rows(roots)
    assert [r["op"] for r in listed] == ["agent", "agent"] and listed[0]["calls"] == 5
    assert listed[0]["tokens"] == 30 and listed[0]["cost"] == 1.0 and listed[0]["status"] == "success"
    assert listed[0]["output"] == json.dumps("done " + XSS)  # the stored JSON text, a string cell
    assert tree["kind"] == "table" and tree["title"].startswith("call tree · agent · ")
    calls = rows(tree)
    assert [c["call"] for c in calls] == ["agent", "· llm", "· search", "· llm", "· search"]
    assert json.loads(calls[0]["inputs"]) == {"question": "second " + XSS}
    long_output = calls[2]["output"]
    assert len(long_output) < 600 and long_output.endswith("characters)")  # cut to the cell limit


def test_a_trace_output_whose_store_is_gone_is_a_notice(tmp_path):
    notebook, store = traced_notebook(tmp_path)
    elsewhere = tmp_path / "moved"
    store.rename(elsewhere)
    (notice,) = blocks_of(notebook)
    assert notice["kind"] == "notice" and "not in any store this report can read" in notice["text"]
    roots, _ = blocks_of(notebook, elsewhere)  # the store given to the builder is looked at first
    assert len(rows(roots)) == 2
