"""Evaluations write into the test's own store; trace sessions and runs are closed after each test."""

from __future__ import annotations

import pytest

import spyglass as sg


@pytest.fixture
def eval_store(store):
    """The test's store root (also $SPYGLASS_DIR); trace sessions closed after the test."""
    yield store
    sg.finish_traces()
