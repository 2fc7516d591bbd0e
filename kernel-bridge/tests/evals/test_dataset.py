"""sg.Dataset: rows from dicts, pandas and sg.Table, versioned as artifacts, read back by name and alias."""

from __future__ import annotations

import pandas as pd
import pytest
from eval_helpers import qa_rows

import spyglass as sg
from spyglass.evals import DatasetError, EvaluationError


def test_saving_the_same_rows_twice_keeps_one_version_and_changed_rows_make_the_next(eval_store):
    first = sg.Dataset(qa_rows(), name="qa").save("proj")
    again = sg.Dataset(qa_rows(), name="qa").save("proj")
    changed = sg.Dataset(qa_rows(7), name="qa").save("proj", aliases=["gold"])
    assert (first.reference, again.reference, changed.reference) == ("proj/qa:v0", "proj/qa:v0", "proj/qa:v1")
    assert changed.versions() == ["v0", "v1"]
    assert sg.Dataset.get("qa", project="proj").rows == qa_rows(7)
    assert sg.Dataset.get("proj/qa:v0").rows == qa_rows()
    assert sg.Dataset.get("proj/qa:gold").version == "v1"
    # It is an ordinary artifact of type "dataset", readable through the artifacts API.
    artifact = sg.Api(dir=eval_store).artifact("proj/qa:v0")
    assert artifact.type == "dataset" and artifact.files() == ["rows.parquet"]
    assert artifact.metadata["rows"] == 6 and artifact.metadata["columns"] == ["question", "expected"]


def test_rows_come_back_as_given_typed_or_mixed(eval_store):
    rows = [
        {"id": 1, "text": "a", "tags": ["x"], "meta": {"lang": "en"}, "answer": 3},
        {"id": 2, "text": "b", "tags": [], "meta": {"source": "web"}, "answer": "three"},
        {"id": 3, "text": None, "tags": ["y", "z"], "meta": {"lang": "fr"}},
    ]
    sg.Dataset(rows, name="mixed").save("proj")
    back = sg.Dataset.get("proj/mixed").rows
    # "meta" dicts of different keys and the number/text "answer" are kept exactly (stored as JSON text);
    # a key a row lacked reads back as None.
    assert back[0] == rows[0] and back[1] == rows[1]
    assert back[2] == {**rows[2], "answer": None}


def test_a_dataset_is_built_from_pandas_and_from_an_sg_table(eval_store):
    frame = pd.DataFrame({"question": ["q0", "q1"], "expected": ["a0", "a1"]})
    from_frame = sg.Dataset(frame, name="frame").save("proj")
    table = sg.Table(columns=["question", "expected"], data=[["q0", "a0"], ["q1", "a1"]])
    from_table = sg.Dataset(table, name="table").save("proj")
    assert from_frame.rows == from_table.rows == qa_rows(2)
    assert sg.Dataset.get("proj/table").to_pandas().equals(frame)


def test_the_project_defaults_to_the_current_run_which_is_recorded_as_its_producer(eval_store):
    run = sg.init(project="runproj", display=False)
    dataset = sg.Dataset(qa_rows(), name="qa").save()
    run.finish()
    assert dataset.reference == "runproj/qa:v0"
    assert sg.Api(dir=eval_store).artifact("runproj/qa:v0").logged_by().id == run.id


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "at least one row"),
        ("text", "list of dicts"),
        ([{"a": 1}, ["not", "a", "dict"]], "row 1 is a list"),
        ([{"a": object()}], "row 0 column 'a' holds a object"),
        ([{"a": float("nan")}], "row 0 column 'a' holds nan"),
        ([{1: "x"}], "column names that are not non-empty text"),
    ],
)
def test_rows_that_are_not_data_are_refused_naming_the_row(rows, message):
    with pytest.raises(DatasetError, match=message):
        sg.Dataset(rows, name="bad")


def test_saving_without_a_project_says_how_to_give_one(eval_store):
    with pytest.raises(EvaluationError, match="needs a project"):
        sg.Dataset(qa_rows(), name="qa").save()


def test_an_artifact_that_is_not_a_dataset_is_not_read_as_one(eval_store):
    run = sg.init(project="proj", display=False)
    model = sg.Artifact("weights", "model")
    model.add({"w": 1}, "w")
    run.log_artifact(model)
    run.finish()
    with pytest.raises(DatasetError, match="type 'model', not a dataset"):
        sg.Dataset.get("proj/weights")
