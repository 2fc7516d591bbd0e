"""Helpers shared by the artifact tests: a run in a temporary store, files to add, object counting."""

from __future__ import annotations

import os
from pathlib import Path

import spyglass as sg


def start_run(root: Path, project: str = "demo", **kwargs) -> sg.Run:
    return sg.init(project=project, dir=str(root), settings=sg.Settings(system_metrics=False), **kwargs)


def write_files(base: Path, files: dict[str, bytes | str]) -> Path:
    for name, content in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return base


def object_count(root: Path) -> int:
    objects = root / ".objects" / "sha256"
    return sum(len(files) for _, _, files in os.walk(objects)) if objects.exists() else 0
