"""The report runtime is built into the package (and listed as a wheel artifact, since git ignores it)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_the_runtime_ships_in_the_package_and_is_a_wheel_artifact():
    runtime = resources.files("spyglass.report").joinpath("static/report-runtime.js")
    assert runtime.is_file(), "run `npm run build` (or `npm run build:report`)"
    text = runtime.read_text()
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com"):
        assert cdn not in text
    pyproject = (REPO / "kernel-bridge" / "pyproject.toml").read_text()
    artifacts = [line for line in pyproject.splitlines() if line.startswith("artifacts = ")]
    assert len(artifacts) == 2 and all(
        '"spyglass/report/static"' in line for line in artifacts
    )  # wheel, sdist
    assert "kernel-bridge/spyglass/report/static/" in (REPO / ".gitignore").read_text()
