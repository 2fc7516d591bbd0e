"""Cost and tokens per example, from the usage and cost that LLM calls under predict record
(spyglass.traces.current_call()); a scorer's own LLM calls are not the model's cost."""

from __future__ import annotations

import json

import pytest
from eval_helpers import qa_rows, stored_results

import spyglass as sg
from spyglass.traces import current_call


@sg.op
def fake_llm(prompt, tokens):
    record = current_call()
    record.usage = {"input_tokens": tokens, "output_tokens": 2, "model": "tiny"}
    record.cost = tokens * 0.001
    return prompt.upper()


class Priced(sg.Model):
    def predict(self, question):
        if question == "q2":
            return "no call"  # an example without any LLM call has no cost
        draft = fake_llm(question, 10)
        return fake_llm(draft, 5)


def judged(output):
    fake_llm(output, 1000)  # the judge's tokens are the evaluation's cost, not the model's
    return True


def test_cost_and_tokens_sum_the_calls_under_predict_only(eval_store):
    summary = sg.Evaluation(qa_rows(4), [judged], name="priced").evaluate(
        Priced(), project="proj", progress=False
    )
    rows = stored_results(eval_store, summary).to_pylist()
    assert rows[0]["cost"] == pytest.approx(0.015) and rows[0]["tokens"] == 19
    assert json.loads(rows[0]["usage"]) == {"input_tokens": 15, "output_tokens": 4}
    assert rows[2]["cost"] is None and rows[2]["tokens"] is None and rows[2]["usage"] is None
    assert summary["cost"] == {"count": 3, "total": pytest.approx(0.045), "mean": pytest.approx(0.015)}
    assert summary["tokens"] == {"count": 3, "total": 57, "mean": 19}
    stored = sg.Api(dir=eval_store).run(summary["run"]).summary
    assert stored["eval/cost/total"] == pytest.approx(0.045)


def test_a_results_table_without_any_cost_keeps_typed_cost_and_tokens_columns(eval_store):
    summary = sg.Evaluation(qa_rows(2), [], name="free").evaluate(lambda question: question, project="proj")
    table = stored_results(eval_store, summary)
    assert str(table.schema.field("cost").type) == "double"
    assert str(table.schema.field("tokens").type) == "int64"
    assert table.column("cost").null_count == 2
