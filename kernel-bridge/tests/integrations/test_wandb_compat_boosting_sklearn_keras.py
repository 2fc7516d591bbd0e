"""A script written against wandb's XGBoost, LightGBM, scikit-learn and Keras integrations runs unmodified
under `spyglass wandb-compat install` and stores what each framework reported."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from wandb_shim import run_script

import spyglass as sg
from spyglass.wandb_compat import installer


def test_wandb_integration_imports_log_to_spyglass(store, tmp_path: Path) -> None:
    frameworks = ("xgboost", "lightgbm", "sklearn", "keras")
    missing = [name for name in frameworks if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (the integration venv)")
    shim = tmp_path / "shim-site"
    installer.install(shim)
    env = {"SPYGLASS_DIR": str(store)}
    out = run_script(shim, "wandb_boosting_and_sklearn.py", str(tmp_path / "out.json"), env=env)
    assert out["wandb_module"] == str(shim / "wandb" / "__init__.py")

    def history(name: str) -> list[dict]:
        return list(sg.Api(dir=store).run(f"shim-frameworks/{out[name]['run_id']}").scan_history())

    xgb_rows = [row for row in history("xgboost") if "epoch" in row]
    assert [row["validation_0-logloss"] for row in xgb_rows] == out["xgboost"]["logloss"]
    lgb_rows = [row for row in history("lightgbm") if "iteration" in row]
    assert [row["valid_0_binary_logloss"] for row in lgb_rows] == out["lightgbm"]["logloss"]
    assert [sorted(k for k in row if not k.startswith("_")) for row in history("sklearn")] == [
        ["confusion_matrix"],
        ["roc"],
    ]
    keras_rows = history("keras")
    assert [row["epoch/loss"] for row in keras_rows] == pytest.approx(out["keras"]["loss"], rel=1e-6)
    assert [row["epoch/epoch"] for row in keras_rows] == [0, 1]
