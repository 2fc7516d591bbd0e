"""A script written against wandb's Table, Image, plot and media API runs with `import spyglass as wandb`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import spyglass as sg
from spyglass.data_types.reference import decode_reference

SCRIPT = Path(__file__).parent / "scripts" / "wandb_tables_and_media.py"


def test_the_wandb_style_script_logs_every_value(tmp_path):
    store = tmp_path / "store"
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("WANDB_", "SPYGLASS_"))
    }
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**environment, "SPYGLASS_DIR": str(store), "SPYGLASS_DISABLE_PACKAGES": "1"},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    run = sg.Api(dir=store).run(f"compat/{result.stdout.split()[-1]}")
    summary = {key: decode_reference(value) for key, value in run.summary.items()}
    expected = {
        "test_predictions": "table",
        "frame": "table",
        "my_line": "table",
        "my_scatter": "table",
        "my_bar": "table",
        "my_hist": "table",
        "series": "table",
        "conf_mat": "table",
        "pr": "table",
        "roc": "table",
        "custom": "table",
        "gradients": "histogram",
        "np_hist": "histogram",
        "chart": "image",
        "chart_image": "image",
        "audio": "audio",
        "video": "video",
        "html": "html",
        "points": "object3d",
    }
    assert {key: summary[key]["_type"] for key in expected} == expected
    assert "spec" in summary["conf_mat"] and "spec" not in summary["test_predictions"]
    predictions = run.table("test_predictions")
    assert (
        predictions.num_rows == 4
        and decode_reference(predictions.column("image")[0].as_py())["_type"] == "image"
    )
    for reference in summary.values():
        if reference and "path" in reference:
            assert (Path(run.dir) / reference["path"]).is_file()
