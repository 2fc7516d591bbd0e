"""The real test LLM server (one per session), the recorded-shapes server, and a trace session per test."""

from __future__ import annotations

import pytest
from llm_server import tiny_llm_server
from recorded_shapes import RecordedShapesServer

import spyglass as sg
from spyglass.llm import set_price

PROJECT = "llm"
TINY_PRICE = {"input_per_million": 1.0, "output_per_million": 4.0}  # priced so a cost can be checked


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory):
    """`transformers serve` over a tiny model made now (tests/llm_server.py); its model is priced."""
    with tiny_llm_server(tmp_path_factory.mktemp("tiny-llm")) as server:
        set_price(server.model, **TINY_PRICE)
        yield server


@pytest.fixture(scope="session")
def shapes_server():
    server = RecordedShapesServer()
    yield server
    server.close()


@pytest.fixture
def traced(store):
    """sg.init_traces(PROJECT) in the test's store; yields a function reading the calls back by op name."""
    sg.init_traces(PROJECT, dir=store)

    def calls(op_name=None):
        found = list(sg.Api(dir=store).calls(PROJECT))
        return [call for call in found if op_name is None or call.op_name == op_name]

    yield calls
    sg.finish_traces()
