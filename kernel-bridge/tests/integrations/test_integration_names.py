"""The integration names wandb scripts use resolve under `import spyglass as wandb`, and importing spyglass
alone loads none of the frameworks."""

from __future__ import annotations

import json
import subprocess
import sys

FRAMEWORKS = ("keras", "torch", "xgboost", "lightgbm", "sklearn", "tensorflow")


def run_python(code: str) -> str:
    env = {"KERAS_BACKEND": "torch", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    return done.stdout


def test_importing_spyglass_imports_no_framework() -> None:
    loaded = run_python(f"import sys, spyglass; print([m for m in {FRAMEWORKS!r} if m in sys.modules])")
    assert loaded.strip() == "[]"


def test_wandb_names_resolve_without_importing_the_submodules_first() -> None:
    code = """
import json
import spyglass as wandb
names = {
    "sklearn.plot_classifier": wandb.sklearn.plot_classifier,
    "sklearn.plot_elbow_curve": wandb.sklearn.plot_elbow_curve,
    "xgboost.WandbCallback": wandb.xgboost.WandbCallback,
    "lightgbm.wandb_callback": wandb.lightgbm.wandb_callback,
    "lightgbm.log_summary": wandb.lightgbm.log_summary,
    "keras.WandbMetricsLogger": wandb.keras.WandbMetricsLogger,
}
from spyglass.integration.keras import WandbEvalCallback, WandbMetricsLogger, WandbModelCheckpoint
from spyglass.integration.keras import SpyglassEvalCallback, SpyglassMetricsLogger, SpyglassModelCheckpoint
from spyglass.integration.lightgbm import log_summary, wandb_callback
from spyglass.integration.xgboost import SpyglassCallback, WandbCallback
from spyglass.integration.sklearn import plot_regressor
import xgboost, keras
assert issubclass(WandbCallback, xgboost.callback.TrainingCallback) and SpyglassCallback is WandbCallback
assert issubclass(WandbModelCheckpoint, keras.callbacks.ModelCheckpoint)
assert issubclass(WandbMetricsLogger, keras.callbacks.Callback)
assert SpyglassMetricsLogger is WandbMetricsLogger
assert SpyglassEvalCallback is WandbEvalCallback and SpyglassModelCheckpoint is WandbModelCheckpoint
print(json.dumps({name: value.__module__ for name, value in names.items()}))
"""
    modules = json.loads(run_python(code))
    assert modules == {
        "sklearn.plot_classifier": "spyglass.integration.sklearn.classifier",
        "sklearn.plot_elbow_curve": "spyglass.integration.sklearn.clusterer",
        "xgboost.WandbCallback": "spyglass.integration.xgboost",
        "lightgbm.wandb_callback": "spyglass.integration.lightgbm",
        "lightgbm.log_summary": "spyglass.integration.lightgbm",
        "keras.WandbMetricsLogger": "spyglass.integration.keras.metrics_logger",
    }
