"""Comparing stored evaluations: pairing by dataset row, regressions first, aggregates, cost and latency."""

from __future__ import annotations

import pyarrow as pa
import pytest
from eval_helpers import qa_rows

import spyglass as sg
from spyglass.evals.comparison import compare
from spyglass.evals.stored_evaluations import find_evaluations, list_evaluations

XSS = '<img src=x onerror="window.__xss=1">'


class Good(sg.Model):
    def predict(self, question: str) -> str:
        return "a" + question[1:]


class Worse(sg.Model):
    """Wrong on q1 and q3 (q3 badly: it fails), right on the rest; costs something per call."""

    def predict(self, question: str) -> str:
        if question == "q3":
            raise ValueError("no answer " + XSS)
        return XSS if question == "q1" else "a" + question[1:]


def closeness(output: str, expected: str) -> float:
    return 1.0 if output == expected else 0.25


def two_evaluations(project="cmp"):
    evaluation = sg.Evaluation(
        dataset=sg.Dataset(qa_rows(5), name="qa"), scorers=[sg.evals.ExactMatch(), closeness], name="qa-eval"
    )
    good = evaluation.evaluate(Good(), project=project, progress=False)
    worse = evaluation.evaluate(Worse(), project=project, progress=False)
    return good, worse


def test_regressions_come_first_with_both_outputs_and_the_aggregates(eval_store):
    good, worse = two_evaluations()
    result = sg.compare_evaluations("cmp", [good, worse["run"].split("/")[1]])

    assert [e["label"] for e in result["evaluations"]] == ["qa-eval · Good", "qa-eval · Worse"]
    assert result["scores"] == ["exact_match", "closeness"]
    assert result["counts"] == {"regression": 2, "mixed": 0, "improvement": 0, "same": 3, "missing": 0}
    # The failed example (q3: 0 on both scores, -2) before the wrong one (q1: -1 and -0.75).
    first, second = result["examples"][:2]
    assert (first["example"], first["outcome"], first["delta"]) == (3, "regression", -2.0)
    assert (second["example"], second["outcome"], second["delta"]) == (1, "regression", -1.75)
    assert [e["example"] for e in result["examples"][2:]] == [0, 2, 4]
    assert result.regressions == result["examples"][:2]
    base, other = second["results"]
    assert (base["output"], other["output"]) == ("a1", XSS)
    assert base["scores"] == {"exact_match": True, "closeness": 1.0}
    assert other["scores"] == {"exact_match": False, "closeness": 0.25}
    assert first["results"][1]["status"] == "error" and XSS in first["results"][1]["error"]
    assert second["inputs"] == {"question": "q1", "expected": "a1"}
    assert base["latency"] >= 0 and other["call_id"]

    aggregates = [e["aggregates"] for e in result["evaluations"]]
    assert aggregates[0]["scores"]["exact_match"] == {"count": 5, "mean": 1.0, "true_count": 5}
    assert aggregates[1]["scores"]["exact_match"] == {"count": 4, "mean": 0.75, "true_count": 3}
    assert aggregates[1]["failed"] == 1 and aggregates[1]["latency"]["count"] == 4
    # The stored summaries agree with the aggregates computed from the rows.
    assert result["evaluations"][1]["scores"]["exact_match"]["mean"] == pytest.approx(0.75)


def test_the_cell_shows_escaped_html_and_the_command(eval_store):
    good, worse = two_evaluations()
    result = sg.compare_evaluations("cmp", [good, worse])
    bundle = result._repr_mimebundle_()
    page = bundle["text/html"]
    assert bundle["application/vnd.spyglass.evals.v1+json"]["run_ids"] == [
        summary["run"].split("/")[1] for summary in (good, worse)
    ]
    assert XSS not in page and "&lt;img src=x onerror=" in page
    assert "spyglass:compare-evaluations" in page
    assert page.index("regression") < page.index("same")


def test_without_names_the_two_newest_are_compared_older_first(eval_store):
    good, worse = two_evaluations()
    result = sg.compare_evaluations("cmp")
    assert [e["run_id"] for e in result["evaluations"]] == [
        good.run_path.split("/")[1],
        worse.run_path.split("/")[1],
    ]


def test_a_name_that_matches_nothing_lists_the_evaluations(eval_store):
    two_evaluations()
    with pytest.raises(
        sg.evals.EvaluationError, match=r"'nope' matches no evaluation of project 'cmp'.*qa-eval"
    ):
        sg.compare_evaluations("cmp", ["nope"])
    with pytest.raises(sg.evals.EvaluationError, match="comparing needs two"):
        sg.compare_evaluations("empty-project")


def test_runs_without_an_evaluation_are_not_listed(eval_store):
    with sg.init(project="cmp") as run:
        run.log({"loss": 1.0})
    good, _ = two_evaluations()
    listed = list_evaluations(eval_store, "cmp")
    assert len(listed) == 2 and all(e.summary["evaluation"] == "qa-eval" for e in listed)
    assert find_evaluations(eval_store, "cmp", [good["run"]])[0].run_id == good["run"].split("/")[1]


def _table(rows):
    return pa.Table.from_pylist(rows)


def row(example, digest, status="success", **scores):
    return {
        "example": example,
        "example_digest": digest,
        "output": f"o{example}",
        "status": status,
        "latency": 0.5,
        "cost": 0.01,
        "tokens": 3,
    } | {f"score.{k}": v for k, v in scores.items()}


def test_pairing_by_digest_survives_reordered_and_repeated_rows():
    a = _table([row(0, "d0", s=1.0), row(1, "dup", s=1.0), row(2, "dup", s=0.0), row(3, "only-a", s=1.0)])
    # B holds the rows in another order (a new dataset version) and drops one, adds one.
    b = _table([row(0, "dup", s=0.5), row(1, "dup", s=1.0), row(2, "d0", s=1.0), row(3, "only-b", s=1.0)])
    result = compare([{"label": "a"}, {"label": "b"}], [a, b])
    by_key = {e["key"]: e for e in result["examples"]}
    assert by_key["dup/1"]["outcome"] == "regression" and by_key["dup/1"]["delta"] == -0.5
    assert by_key["dup/2"]["outcome"] == "improvement"
    assert by_key["d0/1"]["outcome"] == "same"
    assert by_key["only-a/1"]["outcome"] == by_key["only-b/1"]["outcome"] == "missing"
    assert by_key["only-b/1"]["results"][0] is None
    assert [e["outcome"] for e in result["examples"]] == [
        "regression",
        "improvement",
        "same",
        "missing",
        "missing",
    ]


def test_three_evaluations_a_mixed_example_and_the_worst_verdict():
    a = _table([row(0, "x", s=1.0, t=0.0), row(1, "y", s=1.0, t=1.0)])
    b = _table([row(0, "x", s=0.0, t=1.0), row(1, "y", s=1.0, t=1.0)])
    c = _table([row(0, "x", s=1.0, t=0.0), row(1, "y", s=0.0, t=1.0)])
    result = compare([{}, {}, {}], [a, b, c])
    assert [(e["key"], e["outcome"]) for e in result["examples"]] == [("y/1", "regression"), ("x/1", "mixed")]


def test_long_outputs_are_cut_with_their_length_said():
    a = _table([row(0, "x", s=1.0) | {"output": "z" * 50}])
    result = compare([{}], [a], value_limit=10)
    shown = result["examples"][0]["results"][0]
    assert shown["output"] == "z" * 10 and shown["output_truncated"] and shown["output_length"] == 50
