"""`spyglass report` without its optional dependencies (issue 14, item 13): exit 1 with a message naming the
extra to install, not a ModuleNotFoundError traceback. The missing module is simulated in a subprocess by a
sitecustomize that puts None in sys.modules for it (what `import` then refuses, as for a missing package).
Only nbformat: `import spyglass` itself needs numpy today (the sweeps import it), so numpy cannot be missing
for this command alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook


def test_report_without_nbformat_names_the_extra_to_install(tmp_path: Path) -> None:
    blocked = "nbformat"
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(f"import sys\nsys.modules[{blocked!r}] = None\n")
    notebook = tmp_path / "n.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Title")]), notebook)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}

    result = subprocess.run(
        [sys.executable, "-m", "spyglass.cli", "report", str(notebook), "-o", str(tmp_path / "r.html")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"report needs {blocked}, which is not installed" in result.stderr
    assert "pip install 'spyglass[report]'" in result.stderr
    assert not (tmp_path / "r.html").exists()
