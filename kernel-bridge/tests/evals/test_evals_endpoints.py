"""The comparison panel's endpoints (/evals, /evals/compare) over stored evaluations, via a real server."""

from __future__ import annotations

import json
import os
import urllib.parse

import pytest
from server_harness import http, jupyter_server
from test_comparison import XSS, two_evaluations

import spyglass as sg


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(server URL, store root, baseline run id, other run id); the store holds two evaluations of `cmp`."""
    root = tmp_path_factory.mktemp("store")
    previous = os.environ.get("SPYGLASS_DIR")
    os.environ["SPYGLASS_DIR"] = str(root)
    try:
        good, worse = two_evaluations()
    finally:
        sg.finish_traces()
        if previous is None:
            os.environ.pop("SPYGLASS_DIR")
        else:
            os.environ["SPYGLASS_DIR"] = previous
    ids = [summary["run"].split("/")[1] for summary in (good, worse)]
    with jupyter_server(root, tmp_path_factory.mktemp("jupyter")) as url:
        yield url, root, *ids


def test_the_project_s_evaluations_are_listed_newest_first(served):
    url, root, good, worse = served
    status, headers, body = http(url, "/spyglass/api/v1/evals", store_root=str(root), project="cmp")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    listed = json.loads(body)["evaluations"]
    assert [e["run_id"] for e in listed] == [worse, good]
    assert listed[0]["label"] == "qa-eval · Worse" and listed[0]["failed"] == 1
    assert listed[1]["scores"]["exact_match"]["mean"] == 1.0


def test_the_comparison_answers_regressions_first(served):
    url, root, good, worse = served
    query = urllib.parse.urlencode(
        {"store_root": str(root), "project": "cmp", "run_id": [good, worse]}, doseq=True
    )
    status, _, body = http(url, f"/spyglass/api/v1/evals/compare?{query}")
    assert status == 200, body
    answer = json.loads(body)
    assert [e["run_id"] for e in answer["evaluations"]] == [good, worse]
    assert [e["example"] for e in answer["examples"]] == [3, 1, 0, 2, 4]
    assert answer["examples"][1]["results"][1]["output"] == XSS  # data, for the page to show as text
    assert answer["counts"]["regression"] == 2


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"project": "cmp"}, 400, "name the evaluations to compare"),
        ({"project": "cmp", "run_id": "nope"}, 404, "'nope' matches no evaluation"),
        ({"project": "cmp", "run_id": "x", "value_limit": "0"}, 400, "value_limit must be an integer"),
        ({"project": "../etc", "run_id": "x"}, 400, "project"),
        ({"project": "cmp", "run_id": "x", "store_root": "/"}, 403, "outside"),
    ],
)
def test_bad_requests_name_the_problem(served, query, status, message):
    url, root, _, _ = served
    got, _, body = http(url, "/spyglass/api/v1/evals/compare", **{"store_root": str(root), **query})
    assert got == status and message in json.loads(body)["error"]


def test_a_request_without_the_token_is_refused(served):
    url, root, _, _ = served
    status, _, _ = http(url, "/spyglass/api/v1/evals", token=None, store_root=str(root), project="cmp")
    assert status == 403
