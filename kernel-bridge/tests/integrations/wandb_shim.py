"""Helpers for wandb-compat tests: run Python with the shim (installed in a temp dir) first on its path.

The shim never goes into the integration venv itself: each test installs it into its own directory and puts
that directory on PYTHONPATH of a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent
KERNEL_BRIDGE = TESTS.parents[1]


def python_with(
    paths: list[Path], code_or_script: list[str], env: dict[str, str] | None = None, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    """Run this interpreter with `paths` first on PYTHONPATH; returns the CompletedProcess (text)."""
    environment = {**os.environ, **(env or {})}
    environment["PYTHONPATH"] = os.pathsep.join([*map(str, paths), str(TESTS)])
    environment.pop("SPYGLASS_RUN_ID", None)
    return subprocess.run(
        [sys.executable, *code_or_script], capture_output=True, text=True, timeout=timeout, env=environment
    )


def run_script(shim: Path, script: str, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run tests/integrations/scripts/<script> with the shim; it writes JSON to the path given last."""
    output = Path(args[-1])
    done = python_with([shim], [str(TESTS / "scripts" / script), *args], env=env)
    assert done.returncode == 0, f"{script} failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(output.read_text())
