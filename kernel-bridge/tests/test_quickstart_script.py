"""`scripts/quickstart.sh --headless` (issue 14, item 12): runs the quickstart in a real kernel, writes the
executed copy to the git-ignored .quickstart/ (never over the tracked notebooks/quickstart.ipynb), says where,
and shows no "Kernel is running over TCP without encryption" warning."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nbformat

from spyglass.transport.protocol import RUN_MIME_TYPE

REPO = Path(__file__).resolve().parents[2]


def test_headless_quickstart_leaves_the_tracked_notebook_alone(tmp_path: Path) -> None:
    # A copy of the parts the script uses, with the repository's .venv, so the real checkout is not touched.
    for part in ("scripts/quickstart.sh", "scripts/run_notebook.py", "notebooks/quickstart.ipynb"):
        (tmp_path / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / part, tmp_path / part)
    (tmp_path / ".venv").symlink_to(REPO / ".venv")
    tracked = (tmp_path / "notebooks/quickstart.ipynb").read_bytes()
    env = {**os.environ, "SPYGLASS_SKIP_SETUP": "1", "SPYGLASS_DISABLE_PACKAGES": "1"}
    env.pop("SPYGLASS_DIR", None)

    result = subprocess.run(
        ["bash", str(tmp_path / "scripts/quickstart.sh"), "--headless"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "notebooks/quickstart.ipynb").read_bytes() == tracked
    executed = tmp_path / ".quickstart/quickstart.ipynb"
    assert f"executed notebook saved to {Path('.quickstart/quickstart.ipynb')}" in result.stdout
    outputs = [out for cell in nbformat.read(executed, as_version=4).cells for out in cell.get("outputs", [])]
    assert any(RUN_MIME_TYPE in out.get("data", {}) for out in outputs)
    assert "without encryption" not in result.stderr + result.stdout
    assert list((tmp_path / "notebooks/spyglass/quickstart").glob("*/run.json"))


def test_the_executed_copy_is_git_ignored() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", ".quickstart/quickstart.ipynb"], cwd=REPO, capture_output=True
    )
    assert ignored.returncode == 0, "the headless quickstart's executed copy would show up in git status"
