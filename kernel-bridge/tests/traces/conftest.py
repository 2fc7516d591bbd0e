"""A trace session per test, in the test's own store, closed after it."""

from __future__ import annotations

import pytest

import spyglass as sg


@pytest.fixture
def traced_store(store):
    """sg.init_traces("proj") into the test's store; yields (root, session); every session is closed after."""
    session = sg.init_traces("proj", dir=store)
    yield store, session
    sg.finish_traces()


def read_calls(root, project="proj", **filters):
    """The project's calls as StoredCall objects, read through the public API."""
    return list(sg.Api(dir=root).calls(project, filters=filters or None))


def by_op(calls):
    """{op_name: [calls in start order]}."""
    grouped = {}
    for call in calls:
        grouped.setdefault(call.op_name, []).append(call)
    return grouped
