"""An exception in predict, a scorer or summarize fails that example (or that aggregate), is recorded, and the
evaluation goes on; set-up mistakes are refused before anything runs, naming the problem."""

from __future__ import annotations

import pytest
from eval_helpers import calls_by_op, qa_rows, stored_results

import spyglass as sg
from spyglass.evals import EvaluationError


def flaky_model(question):
    if question == "q1":
        raise ValueError("model exploded")
    return "a" + question[1:]


def picky(output, question):
    if question == "q2":
        raise KeyError("no score for q2")
    return 1.0


class BadSummary(sg.Scorer):
    def score(self, *, output):
        return 1

    def summarize(self, scores):
        raise ZeroDivisionError("summary broke")


def test_failures_are_recorded_per_example_and_left_out_of_the_aggregates(eval_store):
    summary = sg.Evaluation(qa_rows(), [sg.evals.ExactMatch(), picky, BadSummary()], name="flaky").evaluate(
        flaky_model, project="proj", progress=False
    )
    assert summary["examples"] == 6 and summary["failed"] == 2
    assert summary["scores"]["exact_match"] == {"count": 5, "mean": 1.0, "true_count": 5}
    assert summary["scores"]["picky"] == {"count": 4, "mean": 1.0}
    assert summary["scores"]["BadSummary"] == {"error": "summarize: ZeroDivisionError: summary broke"}
    assert summary["latency"]["count"] == 5

    rows = stored_results(eval_store, summary).to_pylist()
    assert rows[1]["status"] == "error" and rows[1]["error"] == "predict: ValueError: model exploded"
    assert rows[1]["output"] is None and rows[1]["score.exact_match"] is None and rows[1]["latency"] is None
    assert rows[2]["status"] == "error" and rows[2]["error"] == "score picky: KeyError: 'no score for q2'"
    assert rows[2]["score.exact_match"] is True and rows[2]["output"] == "a2"  # the other scorers still ran
    assert [row["status"] for row in rows].count("success") == 4

    # The failing calls are in the trace with their exceptions.
    calls = calls_by_op(eval_store, "proj")
    (failed_predict,) = [c for c in calls["flaky_model"] if c.status == "error"]
    assert failed_predict.exception == "ValueError: model exploded"
    assert failed_predict.parent_id == rows[1]["call_id"]
    (failed_score,) = [c for c in calls["picky"] if c.status == "error"]
    assert failed_score.parent_id == rows[2]["call_id"]


def test_a_scorer_asking_for_a_missing_column_is_refused_at_setup():
    def needs_context(output, context):
        return 1

    expected = r"scorer 'needs_context' takes context.*\(question, expected\)"
    with pytest.raises(EvaluationError, match=expected):
        sg.Evaluation(qa_rows(), [needs_context])


def test_column_map_renames_a_scorer_parameter_to_a_column(eval_store):
    class Against(sg.Scorer):
        column_map = {"reference": "expected"}

        def score(self, *, output, reference):
            return output == reference

    summary = sg.Evaluation(qa_rows(2), [Against()]).evaluate(flaky_model, project="proj", progress=False)
    assert summary["scores"]["Against"]["count"] == 1  # q1 failed in predict


def test_a_predict_asking_for_a_missing_column_is_refused_before_anything_runs(eval_store):
    def model(prompt):
        return prompt

    with pytest.raises(EvaluationError, match=r"model takes prompt, which the dataset's columns \(question"):
        sg.Evaluation(qa_rows(), []).evaluate(model, project="proj", progress=False)
    assert not (eval_store / "proj").exists()  # no run, no dataset written


@pytest.mark.parametrize(
    ("scorers", "message"),
    [
        ([sg.evals.ExactMatch(), sg.evals.ExactMatch()], "two scorers are named 'exact_match'"),
        ([sg.evals.ExactMatch], "pass an instance of the scorer class"),
        (["exact"], "a scorer is a function or an sg.Scorer instance, got str"),
    ],
)
def test_scorer_mistakes_are_named(scorers, message):
    with pytest.raises(EvaluationError, match=message):
        sg.Evaluation(qa_rows(), scorers)


@pytest.mark.parametrize("bound", [0, -1, 2.5, True])
def test_max_concurrency_must_be_a_whole_number_of_at_least_one(bound):
    with pytest.raises(EvaluationError, match="max_concurrency must be a whole number >= 1"):
        sg.Evaluation(qa_rows(), [], max_concurrency=bound)


def test_an_evaluation_inside_another_projects_run_is_refused(eval_store):
    run = sg.init(project="one", display=False)
    with pytest.raises(EvaluationError, match="the current run is in project 'one', not 'two'"):
        sg.Evaluation(qa_rows(), []).evaluate(flaky_model, project="two", progress=False)
    run.finish()
