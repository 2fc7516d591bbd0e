"""sg.Model: declared attributes are keyword fields; the version follows the attributes and predict's code."""

from __future__ import annotations

import pytest

import spyglass as sg
from spyglass.evals import EvaluationError
from spyglass.evals.evaluation import _predictor


class Prompted(sg.Model):
    prompt: str
    model_name: str = "tiny"
    api_key: str = ""
    client: object = None

    def predict(self, question):
        return self.prompt.format(question=question)


class FakeClient:
    pass


def test_the_version_is_stable_for_equal_models_and_changes_with_any_attribute():
    base = Prompted(prompt="Q: {question}")
    assert base.version() == Prompted(prompt="Q: {question}").version()
    assert len(base.version()) == 16
    assert base.version() != Prompted(prompt="Question: {question}").version()
    assert base.version() != Prompted(prompt="Q: {question}", model_name="other").version()


def test_the_version_changes_with_the_code_of_predict():
    class Same(sg.Model):
        prompt: str

        def predict(self, question):
            return self.prompt.format(question=question)

    class Changed(sg.Model):
        prompt: str

        def predict(self, question):
            return self.prompt.format(question=question).strip()

    # Same attributes and class name, different code: different versions.
    Changed.__qualname__ = Same.__qualname__
    assert Same(prompt="x").version() != Changed(prompt="x").version()


def test_secrets_are_redacted_and_live_objects_recorded_by_type_without_changing_the_version():
    one = Prompted(prompt="p", api_key="sk-1", client=FakeClient())
    two = Prompted(prompt="p", api_key="sk-2", client=FakeClient())
    attributes = one.attributes()
    assert attributes["api_key"] == "<redacted>"
    assert attributes["client"] == {"_type": "object", "type": f"{__name__}.FakeClient"}
    assert one.version() == two.version()  # a new key or a new client object is not a new model


def test_attributes_are_keyword_fields_and_a_missing_one_says_so():
    with pytest.raises(TypeError, match="prompt"):
        Prompted()
    assert Prompted(prompt="p").model_name == "tiny"


def test_a_model_without_predict_is_refused():
    class Empty(sg.Model):
        prompt: str = ""

    with pytest.raises(EvaluationError, match="has no predict method"):
        Empty().version()
    with pytest.raises(EvaluationError, match="takes an sg.Model"):
        _predictor(42, ["question"])


def test_a_predict_already_decorated_with_op_is_traced_once(eval_store):
    class Decorated(sg.Model):
        @sg.op
        def predict(self, question):
            return question

    sg.Evaluation([{"question": "q"}], [], name="once").evaluate(Decorated(), project="proj", progress=False)
    ops = [call.op_name for call in sg.Api(dir=eval_store).calls("proj")]
    assert ops.count("Decorated.predict") == 1 and len(ops) == 3  # evaluate, the example, predict
