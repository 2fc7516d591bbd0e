"""Feedback on calls: stored append-only from Python, read back on call objects and in the DataFrame, safe
under concurrent writers, and never rewriting a call's files."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

import spyglass as sg
from spyglass.traces.call_feedback import FEEDBACK_DIR, FeedbackError, FeedbackReader, add_feedback


def _store(root):
    sg.init_traces("fb", dir=root)

    @sg.op
    def child(x):
        return x * 2

    @sg.op
    def parent(x):
        return child(x) + 1

    parent(1)
    parent(2)
    sg.finish_traces()


def _digests(root):
    traces = root / "fb" / ".traces"
    return {
        str(path.relative_to(traces)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in traces.rglob("*")
        if path.is_file() and FEEDBACK_DIR not in path.parts
    }


def test_feedback_added_from_python_is_read_back_on_calls_and_in_the_frame(tmp_path):
    _store(tmp_path)
    before = _digests(tmp_path)
    calls = sg.Api(dir=tmp_path).calls("fb", filters={"op_name": "parent"})
    first = calls[0]
    assert first.feedback == []
    up = first.feedback.thumbs_up(creator="ada")
    first.feedback.note("the answer cites <b>nothing</b>")
    first.feedback.label("hallucination")
    first.feedback.label("hallucination")  # the same label twice is one label
    assert up["kind"] == "thumbs" and up["value"] == "up" and up["creator"] == "ada"

    again = sg.Api(dir=tmp_path).calls("fb")
    by_op = {call.id: call for call in again}
    stored = by_op[first.id].feedback
    assert [(e["kind"], e["value"]) for e in stored] == [
        ("thumbs", "up"),
        ("note", "the answer cites <b>nothing</b>"),
        ("label", "hallucination"),
        ("label", "hallucination"),
    ]
    assert stored.thumbs == "up" and stored.labels == ["hallucination"]
    assert all(not call.feedback for call in again if call.id != first.id)
    # Filters see the feedback: by label, by thumbs.
    assert [c.id for c in sg.Api(dir=tmp_path).calls("fb", filters={"labels": "hallucination"})] == [first.id]
    assert [c.id for c in sg.Api(dir=tmp_path).calls("fb", filters={"thumbs": "up"})] == [first.id]
    frame = again.to_pandas()
    column = dict(zip(frame["id"], frame["feedback"], strict=True))
    assert [e["value"] for e in column[first.id]] == [e["value"] for e in stored]
    # Nothing of the calls' own files changed.
    assert _digests(tmp_path) == before


def test_removing_feedback_is_an_entry_and_the_original_file_stays(tmp_path):
    _store(tmp_path)
    call = sg.Api(dir=tmp_path).calls("fb")[0]
    label = call.feedback.label("wrong")
    call.feedback.thumbs_down()
    files = sorted((tmp_path / "fb" / ".traces" / FEEDBACK_DIR).iterdir())
    call.feedback.remove(label["id"])
    assert call.feedback.labels == []
    reread = sg.Api(dir=tmp_path).calls("fb")[0].feedback
    assert [(e["kind"], e["value"]) for e in reread] == [("thumbs", "down")]
    after = sorted((tmp_path / "fb" / ".traces" / FEEDBACK_DIR).iterdir())
    assert set(files) < set(after) and len(after) == 3  # nothing deleted: one more file, the removal
    with pytest.raises(KeyError, match="no feedback"):
        call.feedback.remove("0" * 32)


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("stars", "5", "kind must be one of thumbs, note, label"),
        ("thumbs", "sideways", "'up' or 'down'"),
        ("note", "   ", "non-empty text"),
        ("note", "x" * 10_001, "at most 10,000"),
        ("label", "a\nb", "without control characters"),
        ("label", "x" * 65, "at most 64"),
    ],
)
def test_bad_feedback_is_refused_naming_the_problem(tmp_path, kind, value, message):
    _store(tmp_path)
    call = sg.Api(dir=tmp_path).calls("fb")[0]
    with pytest.raises(FeedbackError, match=message):
        call.feedback.add(kind, value)
    assert call.feedback == [] and not (tmp_path / "fb" / ".traces" / FEEDBACK_DIR).exists()
    with pytest.raises(FeedbackError, match="32 lower-case hex"):
        add_feedback(tmp_path, "fb", "not-an-id", "thumbs", "up")


_WRITER = """
import sys
from spyglass.traces.call_feedback import add_feedback
root, call_id, worker = sys.argv[1:]
for index in range(25):
    add_feedback(root, "fb", call_id, "note", f"worker {worker} note {index}")
"""


def test_concurrent_writers_lose_nothing(tmp_path):
    _store(tmp_path)
    call_id = sg.Api(dir=tmp_path).calls("fb")[0].id
    workers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), call_id, str(w)]) for w in range(4)
    ]
    assert [worker.wait(120) for worker in workers] == [0, 0, 0, 0]
    notes = sg.Api(dir=tmp_path).calls("fb")[0].feedback.notes
    assert sorted(notes) == sorted(f"worker {w} note {i}" for w in range(4) for i in range(25))


def test_the_reader_reads_new_entries_only_and_skips_damaged_ones(tmp_path):
    _store(tmp_path)
    call_id = sg.Api(dir=tmp_path).calls("fb")[0].id
    reader = FeedbackReader(tmp_path, "fb")
    assert reader.by_call() == {}
    add_feedback(tmp_path, "fb", call_id, "label", "first")
    assert [e["value"] for e in reader.by_call()[call_id]] == ["first"]
    directory = tmp_path / "fb" / ".traces" / FEEDBACK_DIR
    (directory / f"20990101T000000000000-{'a' * 32}.json").write_text("{not json")
    (directory / f"20990101T000000000001-{'b' * 32}.json").write_text(json.dumps({"kind": "label"}))
    add_feedback(tmp_path, "fb", call_id, "label", "second")
    assert [e["value"] for e in reader.by_call()[call_id]] == ["first", "second"]


def test_feedback_on_a_call_not_from_a_store_says_where_to_read_it():
    from spyglass.api.call_feedback import CallFeedback, FeedbackUnavailableError

    with pytest.raises(FeedbackUnavailableError, match=r"sg.Api\(\).calls"):
        CallFeedback().thumbs_up()
