"""Built-in scorers: exact match, regex, JSON validity, embedding similarity, LLM-as-judge.

Each is an sg.Scorer whose `score` takes `output` and, where it compares, a column (default `expected`,
renamed with `column=`). Embeddings and the judge's model come from the caller (a function; an
OpenAI-compatible client), so nothing here reaches the network or loads a model itself.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from .errors import EvaluationError
from .scorer import Scorer


class ExactMatch(Scorer):
    """`output == example[column]` (after `str.strip()` of both when they are text and strip=True)."""

    def __init__(self, column: str = "expected", *, strip: bool = True, name: str = "exact_match") -> None:
        self.name, self.strip = name, strip
        self.column_map = {"expected": column}

    def score(self, *, output: Any, expected: Any) -> bool:
        if self.strip and isinstance(output, str) and isinstance(expected, str):
            return output.strip() == expected.strip()
        return output == expected


class RegexMatch(Scorer):
    """True when `pattern` matches somewhere in the output (text; other outputs as their str())."""

    def __init__(self, pattern: str | re.Pattern[str], *, flags: int = 0, name: str = "regex") -> None:
        try:
            self.pattern = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
        except re.error as error:
            raise EvaluationError(f"RegexMatch: {pattern!r} is not a regular expression: {error}") from None
        self.name = name

    def score(self, *, output: Any) -> bool:
        return self.pattern.search(output if isinstance(output, str) else str(output)) is not None


class JSONValid(Scorer):
    """True when the output is text holding one JSON value (or a dict/list already); `required_keys`
    also need to be keys of a JSON object."""

    def __init__(self, required_keys: Sequence[str] = (), *, name: str = "json_valid") -> None:
        self.required_keys, self.name = list(required_keys), name

    def score(self, *, output: Any) -> bool:
        if isinstance(output, (str, bytes, bytearray)):
            try:
                value = json.loads(output)
            except ValueError:
                return False
        elif isinstance(output, (dict, list)):
            value = output
        else:
            return False
        if self.required_keys:
            return isinstance(value, dict) and all(key in value for key in self.required_keys)
        return True


class EmbeddingSimilarity(Scorer):
    """Cosine similarity of `embed(output)` and `embed(example[column])`; `embed` is yours (a function from
    text to a vector: a list of floats or a numpy array). With `threshold`, also `passed`."""

    def __init__(
        self,
        embed: Callable[[str], Any],
        column: str = "expected",
        *,
        threshold: float | None = None,
        name: str = "embedding_similarity",
    ) -> None:
        if not callable(embed):
            raise EvaluationError("EmbeddingSimilarity needs embed=<a function from text to a vector>")
        self.embed, self.threshold, self.name = embed, threshold, name
        self.column_map = {"expected": column}

    def score(self, *, output: Any, expected: Any) -> Any:
        similarity = cosine(self.embed(str(output)), self.embed(str(expected)))
        if self.threshold is None:
            return similarity
        return {"similarity": similarity, "passed": similarity >= self.threshold}


def cosine(left: Any, right: Any) -> float:
    """Cosine similarity of two equal-length vectors; EvaluationError when a vector is empty or zero."""
    a, b = [float(x) for x in left], [float(x) for x in right]
    if len(a) != len(b) or not a:
        raise EvaluationError(f"embeddings of different or zero length: {len(a)} and {len(b)}")
    norm = math.sqrt(math.fsum(x * x for x in a)) * math.sqrt(math.fsum(y * y for y in b))
    if norm == 0:
        raise EvaluationError("an embedding is all zeros: cosine similarity is undefined")
    return math.fsum(x * y for x, y in zip(a, b, strict=True)) / norm


JUDGE_PROMPT = (
    "You are grading an answer. Question or input:\n{input}\n\nReference answer:\n{expected}\n\n"
    "Answer to grade:\n{output}\n\nReply with one word: YES if the answer is correct, NO if it is not."
)


class LLMJudge(Scorer):
    """Asks a model through `client.chat.completions.create` (any OpenAI-compatible client) whether the
    output is right; scores {"passed": bool, "reason": the reply}. The prompt is formatted with `output`
    and the example's columns ({input} and {expected} by default: map them with `column_map`)."""

    def __init__(
        self,
        client: Any,
        model: str,
        *,
        prompt: str = JUDGE_PROMPT,
        column_map: dict[str, str] | None = None,
        passing: str = r"^\W*(yes|correct|pass)",
        name: str = "llm_judge",
        **create_options: Any,
    ) -> None:
        create = getattr(getattr(getattr(client, "chat", None), "completions", None), "create", None)
        if not callable(create):
            raise EvaluationError(
                "LLMJudge needs an OpenAI-compatible client: an object with client.chat.completions.create"
            )
        self.client, self.model, self.prompt, self.name = client, model, prompt, name
        self.passing = re.compile(passing, re.IGNORECASE)
        self.create_options = create_options
        self.column_map = column_map or {}
        self.fields = [name for name in _prompt_fields(prompt) if name != "output"]

    def score(self, *, output: Any, **columns: Any) -> dict[str, Any]:
        missing = [field for field in self.fields if self.column_map.get(field, field) not in columns]
        if missing:
            raise EvaluationError(
                f"the judge's prompt names {', '.join(missing)}, not columns of the example "
                f"({', '.join(columns)}): map them with column_map={{field: column}}"
            )
        values = {field: columns[self.column_map.get(field, field)] for field in self.fields}
        content = self.prompt.format(output=output, **values)
        response = self.client.chat.completions.create(
            model=self.model, messages=[{"role": "user", "content": content}], **self.create_options
        )
        reply = _reply_text(response)
        return {"passed": bool(self.passing.search(reply)), "reason": reply}


def _prompt_fields(prompt: str) -> list[str]:
    import string

    return [field for _, field, _, _ in string.Formatter().parse(prompt) if field]


def _reply_text(response: Any) -> str:
    # The OpenAI shape (objects), or the same as dicts (a client returning parsed JSON).
    choices = response["choices"] if isinstance(response, dict) else getattr(response, "choices", None)
    if not choices:
        raise EvaluationError(f"the judge's response has no choices: {response!r:.200}")
    first = choices[0]
    message = first["message"] if isinstance(first, dict) else first.message
    content = message["content"] if isinstance(message, dict) else message.content
    return content or ""
