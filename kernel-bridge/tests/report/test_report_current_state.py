"""Reports show the store's current state: sweeps rebuilt from their directory (else the saved snapshot,
with a note), workspaces read from the store (else a note)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from report_fixtures import budget_notebook, decode_page
from report_media_fixtures import TRIALS_AT_SAVE, sweep_notebook

from spyglass.report import ReportInput, build_html
from spyglass.report.markdown_export import write_markdown


@pytest.fixture(scope="module")
def saved_mid_sweep(tmp_path_factory) -> tuple[Path, Path]:
    return sweep_notebook(tmp_path_factory.mktemp("sweep"))


def sweep_of(notebook: Path, store: Path | None = None, roots=None) -> dict:
    document, _ = decode_page(build_html(ReportInput(notebook, store, roots=roots)))
    (block,) = [b for b in document["blocks"] if b["kind"] == "sweep"]
    return block


def test_a_notebook_saved_mid_sweep_publishes_the_finished_sweep_from_its_directory(saved_mid_sweep):
    notebook, _ = saved_mid_sweep
    block = sweep_of(notebook)  # found where the output recorded the sweep
    counts = block["snapshot"]["counts"]
    assert (counts["done"], counts["left"], block["snapshot"]["sweep"]["state"]) == (6, 0, "finished")
    assert block["title"].endswith("(grid, finished): 6 done, 0 failed")
    assert block["note"] is None
    assert len(block["snapshot"]["trials"]) == 6 and block["snapshot"]["importance"] is not None


def test_an_unreachable_sweep_keeps_the_saved_snapshot_and_says_so(saved_mid_sweep, tmp_path):
    notebook, store = saved_mid_sweep
    copy = tmp_path / notebook.name
    shutil.copy(notebook, copy)
    moved = store.rename(store.with_name("elsewhere"))
    try:
        block = sweep_of(copy)
        markdown = write_markdown(ReportInput(copy), tmp_path / "md").read_text()
    finally:
        moved.rename(store)
    assert block["snapshot"]["counts"]["done"] == TRIALS_AT_SAVE
    assert block["title"].endswith("(grid, running): 3 done, 0 failed")
    assert block["note"].startswith("The sweep's directory is not reachable (looked in ")
    assert "snapshot saved with the notebook" in block["note"] and str(store) in block["note"]
    assert "snapshot saved with the notebook" in markdown


def test_a_copied_store_passed_with_store_is_read_first(saved_mid_sweep, tmp_path):
    notebook, store = saved_mid_sweep
    copied = tmp_path / "copied"
    shutil.copytree(store, copied)
    moved = store.rename(store.with_name("gone"))
    try:
        block = sweep_of(notebook, copied)
    finally:
        moved.rename(store)
    assert block["note"] is None and block["snapshot"]["counts"]["done"] == 6


def test_a_server_report_does_not_read_a_sweep_outside_its_roots(saved_mid_sweep, tmp_path):
    notebook, store = saved_mid_sweep
    block = sweep_of(notebook, roots=(tmp_path.resolve(),))
    assert block["snapshot"]["counts"]["done"] == TRIALS_AT_SAVE
    assert "lies outside the server's root_dir and $SPYGLASS_DIR" in block["note"]


def test_a_workspace_shows_the_runs_in_the_store_now_and_says_when_the_store_is_gone(tmp_path):
    notebook, store = budget_notebook(tmp_path, runs=2, metrics=1, steps=10)
    from store_builders import framed_run, history_batch

    framed_run(store, "budget", "later", [history_batch(list(range(10)), metric_00=[0.5] * 10)])
    (block,) = [
        b for b in decode_page(build_html(ReportInput(notebook)))[0]["blocks"] if b["kind"] == "charts"
    ]
    assert sorted(run["id"] for run in block["runs"]) == ["later", "run00", "run01"]  # logged after the save
    assert block["note"] is None
    shutil.rmtree(store)
    (block,) = [
        b for b in decode_page(build_html(ReportInput(notebook)))[0]["blocks"] if b["kind"] == "charts"
    ]
    assert block["runs"] == [] and block["note"].startswith(
        "Project budget is not in a reachable store (looked in "
    )
