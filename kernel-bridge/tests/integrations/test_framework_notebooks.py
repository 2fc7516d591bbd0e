"""The Keras, XGBoost, LightGBM, scikit-learn, Lightning and Transformers example notebooks run top to
bottom in a real ipykernel of the integration environment and store the runs they describe."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import spyglass as sg

NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks" / "integrations"

# notebook -> (framework it needs, project it logs to, keys its first run must have logged)
EXPECTED = {
    "keras": ("keras", "keras-demo", {"epoch/loss", "epoch/val_accuracy", "batch/loss", "batch/batch_step"}),
    "xgboost": ("xgboost", "xgboost-demo", {"epoch", "validation_1-rmse", "best_score"}),
    "lightgbm": ("lightgbm", "lightgbm-demo", {"iteration", "validation_auc", "Feature Importance"}),
    "sklearn": ("sklearn", "sklearn-demo", {"roc", "calibration_curve", "learning_curve", "elbow_curve"}),
    "lightning": ("lightning", "lightning-demo", {"train/loss", "val/loss", "test/loss", "epoch"}),
    "transformers": ("transformers", "transformers-demo", {"train/loss", "eval/loss", "train/global_step"}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_without_errors_and_stores_what_it_logged(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    framework, project, keys = EXPECTED[name]
    pytest.importorskip(framework)
    monkeypatch.delenv("SPYGLASS_DIR", raising=False)
    notebook = tmp_path / f"{name}.ipynb"
    shutil.copyfile(NOTEBOOKS / f"{name}.ipynb", notebook)
    nb = nbformat.read(notebook, as_version=4)

    # nbclient raises CellExecutionError, naming the cell and the traceback, when a cell fails.
    resources = {"metadata": {"path": str(tmp_path)}}
    NotebookClient(nb, timeout=300, kernel_name="python3", resources=resources).execute()

    runs = sg.Api(dir=tmp_path / "spyglass").runs(project, order="+created_at")
    assert len(runs) >= 1 and all(run.state == "finished" for run in runs)
    logged = {key for run in runs for row in run.scan_history() for key in row}
    assert keys <= logged


def test_every_integration_notebook_is_executed_by_this_test() -> None:
    assert sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb")) == sorted(EXPECTED)
