"""OpenLineage export: START and COMPLETE/FAIL per run, valid against the OpenLineage 2-0-2 RunEvent.

Checked twice: parsed into openlineage-python's `event_v2` attrs classes (generated from the official schema,
with their validators for UUID run ids and ISO times), and against JSON Schema rules written from the spec's
required fields.
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from artifact_test_helpers import start_run
from lineage_scenario import build_scenario

import spyglass as sg
from spyglass.artifacts import openlineage_events

event_v2 = pytest.importorskip("openlineage.client.event_v2")
from openlineage.client.serde import Serde  # noqa: E402

_FACET = {
    "type": "object",
    "required": ["_producer", "_schemaURL"],
    "properties": {
        "_producer": {"type": "string", "format": "uri"},
        "_schemaURL": {"type": "string", "format": "uri"},
    },
}
_FACETS = {"type": "object", "additionalProperties": _FACET}
_DATASET = {
    "type": "object",
    "required": ["namespace", "name"],
    "properties": {"namespace": {"type": "string"}, "name": {"type": "string"}, "facets": _FACETS},
}
RUN_EVENT_RULES = {
    "type": "object",
    "required": ["eventTime", "producer", "schemaURL", "run", "job"],
    "properties": {
        "eventType": {"enum": ["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"]},
        "eventTime": {"type": "string", "format": "date-time"},
        "producer": {"type": "string", "format": "uri"},
        "schemaURL": {"type": "string", "format": "uri"},
        "run": {
            "type": "object",
            "required": ["runId"],
            "properties": {"runId": {"type": "string", "format": "uuid"}, "facets": _FACETS},
        },
        "job": {
            "type": "object",
            "required": ["namespace", "name"],
            "properties": {"namespace": {"type": "string"}, "name": {"type": "string"}, "facets": _FACETS},
        },
        "inputs": {"type": "array", "items": _DATASET},
        "outputs": {"type": "array", "items": _DATASET},
    },
}


def _parse(event: dict):
    """Build the openlineage-python RunEvent (its validators run on construction)."""

    def datasets(kind, items):
        return [kind(namespace=d["namespace"], name=d["name"]) for d in items]

    return event_v2.RunEvent(
        eventType=event_v2.RunState(event["eventType"]),
        eventTime=event["eventTime"],
        run=event_v2.Run(runId=event["run"]["runId"]),
        job=event_v2.Job(namespace=event["job"]["namespace"], name=event["job"]["name"]),
        producer=event["producer"],
        inputs=datasets(event_v2.InputDataset, event["inputs"]),
        outputs=datasets(event_v2.OutputDataset, event["outputs"]),
    )


def test_every_run_gives_a_start_and_a_complete_event_with_its_inputs_and_outputs(tmp_path):
    root = tmp_path / "store"
    s = build_scenario(root)
    events = openlineage_events(root, "demo")
    assert [e["eventType"] for e in events].count("START") == 3
    assert [e["eventType"] for e in events].count("COMPLETE") == 3
    by_run: dict[str, list[dict]] = {}
    for event in events:
        by_run.setdefault(event["run"]["facets"]["spyglass_run"]["run_id"], []).append(event)
    train = by_run[s["trains"][1].id]
    assert [e["eventType"] for e in train] == ["START", "COMPLETE"]
    assert train[0]["run"]["runId"] == train[1]["run"]["runId"]
    assert [d["name"] for d in train[1]["inputs"]] == ["iris:v0"]
    assert [d["name"] for d in train[1]["outputs"]] == ["model:v1"]
    assert train[1]["outputs"][0]["facets"]["spyglass_artifact"]["registry_links"] == ["model/classifier:v0"]
    assert train[1]["job"]["namespace"] == "spyglass://demo"


def test_events_parse_into_the_openlineage_client_classes_and_match_the_schema_url(tmp_path):
    root = tmp_path / "store"
    build_scenario(root)
    for event in openlineage_events(root, "demo"):
        parsed = _parse(event)
        assert parsed.schemaURL == event["schemaURL"]
        round_trip = json.loads(Serde.to_json(parsed))
        for key in ("eventType", "eventTime", "producer", "schemaURL"):
            assert round_trip[key] == event[key]
        assert round_trip["run"]["runId"] == event["run"]["runId"]
        assert [d["name"] for d in round_trip["outputs"]] == [d["name"] for d in event["outputs"]]


def test_events_satisfy_the_required_fields_of_the_spec(tmp_path):
    root = tmp_path / "store"
    build_scenario(root)
    checker = jsonschema.Draft202012Validator(RUN_EVENT_RULES, format_checker=jsonschema.FormatChecker())
    events = openlineage_events(root, "demo")
    for event in events:
        checker.validate(event)
    broken = {**events[0], "run": {"runId": "not-a-uuid"}}
    with pytest.raises(jsonschema.ValidationError):
        checker.validate({k: v for k, v in broken.items() if k != "producer"})


def test_a_failed_run_ends_with_a_fail_event_and_a_running_run_only_starts(tmp_path):
    root = tmp_path / "store"
    with pytest.raises(RuntimeError), start_run(root, job_type="train") as failing:
        art = sg.Artifact("partial", "model")
        with art.new_file("w") as handle:
            handle.write("w")
        failing.log_artifact(art)
        raise RuntimeError("boom")
    live = start_run(root)
    live.use_artifact("partial:v0")
    try:
        kinds = {
            (e["run"]["facets"]["spyglass_run"]["run_id"], e["eventType"])
            for e in openlineage_events(root, "demo")
        }
    finally:
        live.finish()
    assert kinds == {(failing.id, "START"), (failing.id, "FAIL"), (live.id, "START")}
