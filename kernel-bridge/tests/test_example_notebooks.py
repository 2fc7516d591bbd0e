"""Every notebook under notebooks/ runs top to bottom in a real ipykernel and stores what it logs.

The e2e tests open some of them in JupyterLab; this test runs every one, including those no browser
test opens, so an example that stops working fails CI instead of a reader.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
EXAMPLES = sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.parametrize("source", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_example_notebook_runs_without_errors_and_logs_runs(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPYGLASS_DIR", raising=False)
    notebook = tmp_path / source.name
    shutil.copyfile(source, notebook)
    nb = nbformat.read(notebook, as_version=4)

    # nbclient raises CellExecutionError, naming the cell and the traceback, when any cell fails.
    resources = {"metadata": {"path": str(tmp_path)}}
    NotebookClient(nb, timeout=300, kernel_name="python3", resources=resources).execute()

    stored = list(tmp_path.glob("spyglass/*/*/run.json"))
    assert stored, f"{source.name} ran but stored no run under {tmp_path / 'spyglass'}"
    errors = [
        output
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []
