"""The built-in scorers, in an evaluation: exact match, regex, JSON validity, embedding similarity through a
user's function, and an LLM judge through an OpenAI-compatible client (a small fake implementing
client.chat.completions.create; the real local server is tested with the LLM clients)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from eval_helpers import stored_results

import spyglass as sg
from spyglass.evals import EmbeddingSimilarity, EvaluationError, ExactMatch, JSONValid, LLMJudge, RegexMatch

ROWS = [
    {"question": "capital of France?", "expected": "Paris", "reply": '{"city": "Paris"}'},
    {"question": "2+2?", "expected": "4", "reply": "four"},
    {"question": "colour of the sky?", "expected": "blue", "reply": '{"colour": "blue"'},
]


def replier(reply):
    return reply


class FakeCompletions:
    """chat.completions.create as the openai client has it: keywords in, an object with choices out."""

    def __init__(self, answer):
        self.answer = answer
        self.requests = []

    def create(self, *, model, messages, **options):
        self.requests.append({"model": model, "messages": messages, **options})
        content = self.answer(messages[-1]["content"])
        return SimpleNamespace(choices=[SimpleNamespace(message=SimpleNamespace(content=content))])


class FakeClient:
    def __init__(self, answer):
        self.chat = SimpleNamespace(completions=FakeCompletions(answer))


def test_exact_regex_and_json_scorers(eval_store):
    scorers = [
        ExactMatch(column="expected"),
        RegexMatch(r"paris|blue", flags=re.IGNORECASE),
        JSONValid(),
        JSONValid(required_keys=["city"], name="has_city"),
    ]
    summary = sg.Evaluation(ROWS, scorers, name="builtins").evaluate(replier, project="proj", progress=False)
    rows = stored_results(eval_store, summary).to_pylist()
    assert [row["score.exact_match"] for row in rows] == [False, False, False]
    assert [row["score.regex"] for row in rows] == [True, False, True]
    assert [row["score.json_valid"] for row in rows] == [True, False, False]
    assert [row["score.has_city"] for row in rows] == [True, False, False]
    assert summary["scores"]["regex"]["mean"] == pytest.approx(2 / 3)


def test_exact_match_strips_text_unless_told_not_to():
    assert ExactMatch().score(output=" Paris\n", expected="Paris") is True
    assert ExactMatch(strip=False).score(output=" Paris", expected="Paris") is False
    assert ExactMatch().score(output=4, expected=4) is True


def test_embedding_similarity_uses_the_given_function_and_threshold(eval_store):
    vectors = {'{"city": "Paris"}': [1.0, 0.0], "Paris": [1.0, 0.0], "four": [0.0, 1.0], "4": [1.0, 1.0]}
    embedded = []

    def embed(text):
        embedded.append(text)
        return vectors.get(text, [1.0, 1.0])

    scorer = EmbeddingSimilarity(embed, threshold=0.9)
    summary = sg.Evaluation(ROWS[:2], [scorer], name="emb").evaluate(replier, project="proj", progress=False)
    rows = stored_results(eval_store, summary).to_pylist()
    assert rows[0]["score.embedding_similarity.similarity"] == pytest.approx(1.0)
    assert rows[1]["score.embedding_similarity.similarity"] == pytest.approx(2**-0.5)
    assert [row["score.embedding_similarity.passed"] for row in rows] == [True, False]
    assert summary["scores"]["embedding_similarity"]["passed"]["mean"] == 0.5
    assert sorted(embedded) == sorted(['{"city": "Paris"}', "Paris", "four", "4"])
    with pytest.raises(EvaluationError, match="all zeros"):
        EmbeddingSimilarity(lambda text: [0.0, 0.0]).score(output="a", expected="b")


def test_the_llm_judge_asks_the_client_and_records_verdict_and_reason(eval_store):
    def answer(prompt):
        return "YES, correct." if "Paris" in prompt.split("Answer to grade:")[1] else "NO"

    client = FakeClient(answer)
    judge = LLMJudge(client, "judge-model", column_map={"input": "question"}, temperature=0)
    summary = sg.Evaluation(ROWS, [judge], name="judged").evaluate(replier, project="proj", progress=False)

    requests = client.chat.completions.requests
    assert len(requests) == 3 and {r["model"] for r in requests} == {"judge-model"}
    assert all(r["temperature"] == 0 for r in requests)
    first = next(r["messages"][0]["content"] for r in requests if "France" in r["messages"][0]["content"])
    assert "capital of France?" in first and "Reference answer:\nParis" in first
    assert '{"city": "Paris"}' in first
    rows = stored_results(eval_store, summary).to_pylist()
    assert [row["score.llm_judge.passed"] for row in rows] == [True, False, False]
    assert rows[0]["score.llm_judge.reason"] == "YES, correct."
    passed = summary["scores"]["llm_judge"]["passed"]
    assert passed == {"count": 3, "mean": pytest.approx(1 / 3), "true_count": 1}
    # The judge's calls are traced as children of the examples.
    ops = [call.op_name for call in sg.Api(dir=eval_store).calls("proj")]
    assert ops.count("llm_judge.score") == 3


def test_a_judge_prompt_naming_a_missing_column_fails_those_examples_with_a_clear_error(eval_store):
    judge = LLMJudge(FakeClient(lambda prompt: "YES"), "m")  # {input} is not a column and is not mapped
    evaluation = sg.Evaluation(ROWS[:1], [judge], name="unmapped")
    summary = evaluation.evaluate(replier, project="proj", progress=False)
    (row,) = stored_results(eval_store, summary).to_pylist()
    assert row["status"] == "error" and "the judge's prompt names input, not columns" in row["error"]


def test_a_judge_needs_an_openai_compatible_client():
    with pytest.raises(EvaluationError, match="client.chat.completions.create"):
        LLMJudge(object(), "m")


def test_a_bad_regex_is_named():
    with pytest.raises(EvaluationError, match="not a regular expression"):
        RegexMatch("(unclosed")
