"""Evaluations write into the test's own store; trace sessions and runs are closed after each test."""

from __future__ import annotations

import pytest

import spyglass as sg


@pytest.fixture
def eval_store(store):
    """The test's store root (also $SPYGLASS_DIR); trace sessions closed after the test."""
    yield store
    sg.finish_traces()


def qa_rows(count: int = 6) -> list[dict]:
    """Questions q0.. with expected answers a0.."""
    return [{"question": f"q{i}", "expected": f"a{i}"} for i in range(count)]


def stored_results(root, summary):
    """The results table of an evaluation as logged, read back through sg.Api (a pyarrow.Table)."""
    return sg.Api(dir=root).run(summary["run"]).table(summary["results_key"])


def calls_by_op(root, project):
    grouped = {}
    for call in sg.Api(dir=root).calls(project):
        grouped.setdefault(call.op_name, []).append(call)
    return grouped
