"""The playground's runs: one chat request per column, made by the server with the official openai client
(sg.inference.client) and traced into the project as a `playground.run` call with the client's call under it.

The provider's base URL and key come from the server's environment (the provider table of
spyglass/inference); the page names only the provider. A column's failure (unknown provider, missing key,
unreachable server, an error answer) is that column's `error`; the others still run. docs/playground.md.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..inference import PROVIDERS, InferenceConfigError, Prompt, PromptError
from ..inference import client as inference_client
from ..inference.provider_clients import resolve_provider
from ..llm import cost_of, usage_of
from ..traces import current_call, finish_traces, flush_traces, init_traces, op

MAX_COLUMNS = 8
REQUEST_TIMEOUT_S = 120.0
# name -> (type, lowest, highest): the parameters a column may set, checked before any request is made.
PARAMETERS: dict[str, tuple[type, float, float]] = {
    "temperature": (float, 0.0, 2.0),
    "top_p": (float, 0.0, 1.0),
    "max_tokens": (int, 1, 32_768),
    "presence_penalty": (float, -2.0, 2.0),
    "frequency_penalty": (float, -2.0, 2.0),
    "seed": (int, 0, 2**63 - 1),
}


class PlaygroundInputError(ValueError):
    """A run or save request the server cannot act on (the message names the field and what it accepts)."""


@dataclass(frozen=True)
class Column:
    """One model to run: a provider of the table, a model name and its sampling parameters."""

    provider: str
    model: str
    parameters: dict[str, Any]


def provider_list() -> list[dict[str, Any]]:
    """Every provider of the table with whether the server can use it; never a URL or a key."""
    listed = []
    for name, spec in PROVIDERS.items():
        try:
            resolve_provider(name)
            ready, problem = True, None
        except InferenceConfigError as error:
            ready, problem = False, str(error)
        listed.append(
            {
                "name": name,
                "ready": ready,
                "problem": problem,
                "base_url_variable": spec.base_url_variable,
                "key_variable": spec.key_variable,
            }
        )
    return listed


def parse_columns(raw: Any) -> list[Column]:
    if not isinstance(raw, list) or not raw:
        raise PlaygroundInputError(
            '"columns" must be a non-empty list of {"provider", "model", "parameters"}'
        )
    if len(raw) > MAX_COLUMNS:
        raise PlaygroundInputError(
            f'"columns" has {len(raw)} entries; at most {MAX_COLUMNS} run side by side'
        )
    columns = []
    for index, entry in enumerate(raw):
        where = f"column {index + 1}"
        if not isinstance(entry, Mapping):
            raise PlaygroundInputError(f"{where} must be an object")
        provider, model = entry.get("provider"), entry.get("model")
        if not isinstance(provider, str) or not provider:
            raise PlaygroundInputError(f"{where} needs a provider (one of {', '.join(PROVIDERS)})")
        if not isinstance(model, str) or not model.strip():
            raise PlaygroundInputError(f"{where} needs a model name")
        columns.append(Column(provider, model.strip(), parse_parameters(entry.get("parameters"), where)))
    return columns


def parse_parameters(raw: Any, where: str) -> dict[str, Any]:
    """The sampling parameters set (None and absent ones left out), each checked against PARAMETERS."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise PlaygroundInputError(f"{where}: parameters must be an object")
    parameters: dict[str, Any] = {}
    for name, value in raw.items():
        if value is None or value == "":
            continue
        if name == "stop":
            stops = [value] if isinstance(value, str) else value
            if (
                not isinstance(stops, list)
                or not all(isinstance(s, str) and s for s in stops)
                or len(stops) > 4
            ):
                raise PlaygroundInputError(f"{where}: stop must be a text or a list of up to 4 texts")
            parameters[name] = stops
            continue
        if name not in PARAMETERS:
            known = ", ".join([*PARAMETERS, "stop"])
            raise PlaygroundInputError(f"{where}: unknown parameter {name!r} (known: {known})")
        kind, low, high = PARAMETERS[name]
        number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        if number is None or not math.isfinite(number) or (kind is int and int(number) != number):
            raise PlaygroundInputError(
                f"{where}: {name} must be {'an integer' if kind is int else 'a number'}"
            )
        if not low <= number <= high:
            raise PlaygroundInputError(
                f"{where}: {name} must be between {low:g} and {high:g}, got {number:g}"
            )
        parameters[name] = kind(number)
    return parameters


def parse_prompt(raw: Any) -> tuple[Prompt, dict[str, str]]:
    """The prompt ({"messages", "variables"}) and the values of its variables; PlaygroundInputError if bad."""
    if not isinstance(raw, Mapping):
        raise PlaygroundInputError('"prompt" must be an object: {"messages": [...], "variables": {...}}')
    name = raw.get("name") or "prompt"
    try:
        prompt = Prompt(raw.get("messages"), name=name if isinstance(name, str) else "prompt")
    except PromptError as error:
        raise PlaygroundInputError(str(error)) from None
    values = raw.get("variables") or {}
    if not isinstance(values, Mapping) or not all(isinstance(v, str) for v in values.values()):
        raise PlaygroundInputError('"prompt.variables" must map each variable name to a text')
    return prompt, dict(values)


class _TraceGate:
    """The server process traces through sg.init_traces, one project at a time: runs for the same (store,
    project) go on together; a run for another one waits until those have ended, then switches the session.
    Only the playground traces in the server process (the OTLP receiver keeps sessions of its own)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._target: tuple[Path, str] | None = None
        self._active = 0

    @contextlib.contextmanager
    def tracing_into(self, root: Path, project: str) -> Iterator[None]:
        target = (root, project)
        with self._condition:
            self._condition.wait_for(lambda: self._active == 0 or self._target == target)
            if self._target not in (None, target):
                finish_traces()  # the last project's session ends (its calls.parquet written), no thread kept
            init_traces(project, dir=root)  # the open session when it is already this project's
            self._target = target
            self._active += 1
        try:
            yield
        finally:
            flush_traces()  # the call is readable (trace panel, sg.Api().calls) as soon as the answer is
            with self._condition:
                self._active -= 1
                self._condition.notify_all()


_gate = _TraceGate()


def run_column(
    root: Path, project: str, prompt: Prompt, values: dict[str, str], column: Column
) -> dict[str, Any]:
    """One column's answer: output, usage, cost, latency and trace id, or `error` saying what went wrong."""
    answer: dict[str, Any] = {
        "provider": column.provider,
        "model": column.model,
        "parameters": column.parameters,
    }
    try:
        messages = prompt.format(**values)
        resolve_provider(column.provider)  # a provider the server cannot use makes no call
    except (PromptError, InferenceConfigError) as error:
        return {**answer, "error": describe_failure(column, error)}
    with _gate.tracing_into(root, project):
        try:
            result = _playground_run(column.provider, column.model, messages, column.parameters, values)
        except Exception as error:
            return {**answer, "error": describe_failure(column, error)}
    return {**answer, **result}


@op(name="playground.run")
def _playground_run(
    provider: str,
    model: str,
    messages: list[dict[str, str]],
    parameters: dict[str, Any],
    variables: dict[str, str],
) -> dict[str, Any]:
    record = current_call()
    client = inference_client(provider, timeout=REQUEST_TIMEOUT_S, max_retries=0)
    started = time.perf_counter()
    response = client.chat.completions.create(model=model, messages=messages, **parameters)
    latency = time.perf_counter() - started
    choice = response.choices[0] if response.choices else None
    usage = usage_of(response)
    return {
        "output": (choice.message.content if choice else None) or "",
        "finish_reason": choice.finish_reason if choice else None,
        "response_model": getattr(response, "model", None) or model,
        "usage": usage,
        "cost": cost_of(getattr(response, "model", None) or model, usage),
        "latency": latency,
        "trace_id": record.root.id if record is not None else None,
    }


def describe_failure(column: Column, error: BaseException) -> str:
    """What the panel shows for a failed column: which provider, what went wrong, what to do."""
    import openai

    who = f"provider {column.provider!r}"
    if column.provider not in PROVIDERS:
        return f"unknown provider {column.provider!r}: the server knows {', '.join(PROVIDERS)}"
    if isinstance(error, InferenceConfigError):
        return f"{error} (set it in the Jupyter server's environment and restart the server)"
    if isinstance(error, PromptError):
        return str(error)
    if isinstance(error, openai.APITimeoutError):
        return f"{who} did not answer within {REQUEST_TIMEOUT_S:g} s"
    if isinstance(error, openai.APIConnectionError):
        variable = PROVIDERS[column.provider].base_url_variable
        return f"cannot reach {who}: is its server running? (its address is ${variable} or the default)"
    if isinstance(error, openai.APIStatusError):
        return f"{who} answered {error.status_code}: {_server_message(error)}"
    return f"{who} failed: {type(error).__name__}: {error}"


def _server_message(error: Any) -> str:
    body = getattr(error, "body", None)
    if isinstance(body, Mapping):
        inner = body.get("error", body)
        # OpenAI's {"error": {"message"}}; FastAPI servers (vLLM, transformers serve) answer {"detail"}.
        message = (inner.get("message") or inner.get("detail")) if isinstance(inner, Mapping) else inner
        if message:
            return str(message)[:500]
    return str(getattr(error, "message", error))[:500]
