"""A sync evaluation in a script: its run, its summary, its results table and its calls in the trace store."""

from __future__ import annotations

import pytest
from eval_helpers import calls_by_op, qa_rows, stored_results

import spyglass as sg


class Echo(sg.Model):
    prompt: str = "answer briefly"

    def predict(self, question: str) -> str:
        return "a" + question[1:] if question != "q4" else "wrong"


def starts_with_a(output: str) -> bool:
    return output.startswith("a")


class Length(sg.Scorer):
    def score(self, *, output: str, expected: str) -> dict:
        return {"output": len(output), "expected": len(expected)}


def test_evaluate_logs_summary_table_and_calls_to_a_run_of_its_own(eval_store):
    evaluation = sg.Evaluation(
        dataset=sg.Dataset(qa_rows(), name="qa"),
        scorers=[sg.evals.ExactMatch(), starts_with_a, Length()],
        name="qa-eval",
    )
    summary = evaluation.evaluate(Echo(), project="proj", progress=False)

    assert summary["examples"] == 6 and summary["failed"] == 0
    assert summary["dataset"] == "proj/qa:v0"
    assert summary["scores"]["exact_match"] == {"count": 6, "mean": pytest.approx(5 / 6), "true_count": 5}
    assert summary["scores"]["starts_with_a"]["mean"] == pytest.approx(5 / 6)
    assert summary["scores"]["Length"]["output"]["mean"] == pytest.approx((2 * 5 + 5) / 6)
    assert summary["scores"]["Length"]["expected"] == {"count": 6, "mean": 2.0}
    assert summary["model"] == {
        "name": "Echo",
        "version": Echo().version(),
        "attributes": {"prompt": "answer briefly"},
    }
    assert summary["latency"]["count"] == 6 and summary["latency"]["p95"] >= summary["latency"]["p50"] >= 0

    # The run: job type "evaluation", finished, the summary and flat metrics in its summary.
    stored = sg.Api(dir=eval_store).run(summary["run"])
    assert stored.job_type == "evaluation" and stored.state == "finished"
    assert stored.config["model"]["version"] == Echo().version()
    assert stored.summary["evaluation"]["scores"]["exact_match"]["mean"] == pytest.approx(5 / 6)
    assert stored.summary["eval/exact_match/mean"] == pytest.approx(5 / 6)
    assert stored.summary["eval/Length/output/mean"] == pytest.approx(15 / 6)

    # The per-example table, as the explorer and sg.Api read it.
    table = stored_results(eval_store, summary).to_pylist()
    assert [row["example"] for row in table] == list(range(6))
    assert table[4]["input.question"] == "q4" and table[4]["output"] == "wrong"
    assert table[4]["score.exact_match"] is False and table[0]["score.exact_match"] is True
    assert table[0]["score.Length.output"] == 2
    assert table[0]["status"] == "success" and table[0]["error"] is None
    assert all(row["latency"] >= 0 for row in table)
    assert len({row["example_digest"] for row in table}) == 6

    # The trace: one root, one call per example under it, predict and each scorer under the example's call.
    calls = calls_by_op(eval_store, "proj")
    (root,) = calls["Evaluation.evaluate"]
    assert root.id == summary["trace_id"] and root.run_id == stored.id
    examples = {call.id: call for call in calls["Evaluation.predict_and_score"]}
    assert set(examples) == {row["call_id"] for row in table}
    assert all(call.parent_id == root.id for call in examples.values())
    for op_name in ("Echo.predict", "exact_match.score", "starts_with_a", "Length.score"):
        assert len(calls[op_name]) == 6
        assert all(call.parent_id in examples for call in calls[op_name])
    predicted = {call.parent_id: call for call in calls["Echo.predict"]}
    assert predicted[table[4]["call_id"]].output == "wrong"
    assert predicted[table[4]["call_id"]].inputs["question"] == "q4"


def test_an_evaluation_inside_a_run_logs_to_it_and_leaves_it_running(eval_store):
    run = sg.init(project="proj", display=False)
    dataset = sg.Dataset(qa_rows(3), name="qa")
    summary = sg.Evaluation(dataset, [starts_with_a], name="in-run").evaluate(Echo(), progress=False)
    assert summary["run"] == f"proj/{run.id}" and not run.finished
    run.finish()
    assert sg.Api(dir=eval_store).run(summary["run"]).summary["eval/starts_with_a/mean"] == 1.0
    # The run used the dataset version it scored: the lineage has the edge.
    assert [r.id for r in sg.Api(dir=eval_store).artifact("proj/qa:v0").used_by()] == [run.id]


def test_a_plain_function_is_a_model_and_the_results_name_its_version(eval_store):
    def shout(question):
        return question.upper()

    evaluation = sg.Evaluation(qa_rows(2), [starts_with_a], name="fn")
    summary = evaluation.evaluate(shout, project="proj", progress=False)
    assert summary["model"]["name"] == "shout" and len(summary["model"]["version"]) == 16
    assert summary["scores"]["starts_with_a"]["mean"] == 0.0
    assert stored_results(eval_store, summary).column("output").to_pylist() == ["Q0", "Q1"]


def test_progress_in_a_script_is_one_line_on_stderr(eval_store, capsys):
    sg.Evaluation(qa_rows(4), [starts_with_a], name="shown").evaluate(Echo(), project="proj")
    assert "shown/Echo: 4/4 [####################] 100%" in capsys.readouterr().err


def test_two_evaluations_of_two_models_are_two_runs_whose_tables_join_on_example(eval_store):
    class Other(Echo):
        prompt: str = "answer at length"

    dataset = sg.Dataset(qa_rows(), name="qa")
    evaluation = sg.Evaluation(dataset, [sg.evals.ExactMatch()], name="compare")
    first = evaluation.evaluate(Echo(), project="proj", progress=False)
    second = evaluation.evaluate(Other(), project="proj", progress=False)
    assert first["run"] != second["run"] and first["dataset"] == second["dataset"] == "proj/qa:v0"
    assert first["model"]["version"] != second["model"]["version"]
    left, right = stored_results(eval_store, first), stored_results(eval_store, second)
    assert left.column("example_digest").to_pylist() == right.column("example_digest").to_pylist()


def test_the_summary_displays_the_stored_results_table_with_the_aggregates_as_text(eval_store):
    evaluation = sg.Evaluation(qa_rows(3), [starts_with_a], name="shown")
    summary = evaluation.evaluate(Echo(), project="proj", progress=False)
    bundle = summary._repr_mimebundle_()
    table = bundle["application/vnd.spyglass.table.v1+json"]
    assert table["key"] == "eval/results" and table["nrows"] == 3
    assert (eval_store / "proj" / summary["run"].split("/")[1] / table["path"]).is_file()
    lines = bundle["text/plain"].splitlines()
    assert lines[0].startswith("shown on Echo (") and "3 examples, 0 failed" in lines[0]
    assert "  starts_with_a/mean = 1" in lines
