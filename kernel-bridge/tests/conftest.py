"""Shared fixtures: every test gets its own store root, and runs left live by a test are finished after it."""

from __future__ import annotations

import pytest

from spyglass.tracking import session


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A fresh store root (also as SPYGLASS_DIR) for runs created by the test."""
    root = tmp_path / "store"
    monkeypatch.setenv("SPYGLASS_DIR", str(root))
    yield root
    for run in session.live_runs():
        run.finish()
