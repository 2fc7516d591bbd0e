"""Helpers of the evaluation tests: example rows, the stored results table, calls grouped by op."""

from __future__ import annotations

import spyglass as sg


def qa_rows(count: int = 6) -> list[dict]:
    """Questions q0.. with expected answers a0.."""
    return [{"question": f"q{i}", "expected": f"a{i}"} for i in range(count)]


def stored_results(root, summary):
    """The results table of an evaluation as logged, read back through sg.Api (a pyarrow.Table)."""
    return sg.Api(dir=root).run(summary["run"]).table(summary["results_key"])


def calls_by_op(root, project):
    """{op_name: [calls in start order]} of a project's trace store."""
    grouped = {}
    for call in sg.Api(dir=root).calls(project):
        grouped.setdefault(call.op_name, []).append(call)
    return grouped
