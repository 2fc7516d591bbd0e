"""Lineage outputs in reports: a graph of the store's current state, or the saved graph with a note."""

from __future__ import annotations

import shutil
from pathlib import Path

from report_fixtures import decode_page
from report_media_fixtures import lineage_notebook

from spyglass.report import ReportInput, build_html


def blocks_of(notebook: Path, store: Path | None = None) -> list[dict]:
    return decode_page(build_html(ReportInput(notebook, store)))[0]["blocks"]


def test_a_lineage_output_is_drawn_as_a_graph_of_the_store_now(tmp_path):
    notebook, _, later = lineage_notebook(tmp_path)
    (block,) = blocks_of(notebook)
    assert block["kind"] == "svg"
    svg = block["svg"]
    assert svg.startswith("<svg") and "<script" not in svg
    assert "data:v0" in svg and "lineage · lin" in svg
    assert later in svg  # the run that used the dataset after the notebook was saved


def test_a_lineage_whose_store_is_gone_draws_the_saved_graph_and_says_so(tmp_path):
    notebook, store, later = lineage_notebook(tmp_path)
    shutil.rmtree(store)
    notice, drawn = blocks_of(notebook)
    assert notice["kind"] == "notice" and notice["text"].startswith("Project lin is not in a reachable store")
    assert "saved with the notebook" in notice["text"]
    assert drawn["kind"] == "svg" and "data:v0" in drawn["svg"] and later not in drawn["svg"]
