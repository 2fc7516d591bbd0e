"""Run predict and the scorers over every example, at most `max_concurrency` examples at once.

Each example is an @sg.op call (`Evaluation.predict_and_score`) whose children are the predict call and one
call per scorer. Async predicts and scorers run on the loop; sync ones on a thread pool as large as the
concurrency bound (in a copy of the context, so their calls stay children of the example's call). An
exception in predict or a scorer fails that example, is recorded, and the evaluation goes on.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..traces import current_call
from ..traces.op_wrappers import op
from .scorer import OUTPUT, BoundScorer, Parameters


@dataclass
class Predictor:
    """The model's traced predict and what it takes."""

    call: Callable[..., Any]
    parameters: Parameters
    is_async: bool
    op_name: str


@dataclass
class ExampleResult:
    index: int
    example: dict[str, Any]
    output: Any = None
    latency: float | None = None
    scores: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    call_id: str | None = None
    cost: float | None = None  # of the prediction, from its calls (example_costs.py)
    usage: dict[str, float] | None = None
    tokens: int | None = None

    @property
    def failed(self) -> bool:
        return bool(self.errors)


class ExampleRunner:
    """One evaluation's run over its examples; `on_done(result)` is called as each example ends."""

    def __init__(
        self,
        predictor: Predictor,
        scorers: list[BoundScorer],
        max_concurrency: int,
        on_done: Callable[[ExampleResult], None],
    ) -> None:
        self.predictor = predictor
        self.scorers = scorers
        self.max_concurrency = max_concurrency
        self.on_done = on_done
        self._pool: ThreadPoolExecutor | None = None
        self._results: list[ExampleResult | None] = []
        self._traced_example = op(self._predict_and_score, name="Evaluation.predict_and_score")

    async def run(self, examples: list[dict[str, Any]]) -> list[ExampleResult]:
        self._results = [ExampleResult(index, example) for index, example in enumerate(examples)]
        pending = iter(self._results)

        async def worker() -> None:
            # Workers take the next example when one ends: at most max_concurrency in flight, in order.
            for result in pending:
                await self._traced_example(result.example, result.index)
                self.on_done(result)

        self._pool = ThreadPoolExecutor(self.max_concurrency, thread_name_prefix="spyglass-eval")
        try:
            await asyncio.gather(*(worker() for _ in range(min(self.max_concurrency, len(examples)))))
        finally:
            self._pool.shutdown(wait=False)
        return [result for result in self._results if result is not None]

    async def _predict_and_score(self, example: dict[str, Any], index: int) -> dict[str, Any]:
        result = self._results[index]
        assert result is not None
        record = current_call()
        result.call_id = record.id if record is not None else None
        predictor = self.predictor
        started = time.perf_counter()
        try:
            result.output = await self._call(
                predictor.call, predictor.is_async, predictor.parameters.arguments(example, {})
            )
            result.latency = time.perf_counter() - started
        except Exception as error:
            result.errors.append(f"predict: {_describe(error)}")
            return {"error": result.errors[0]}
        for scorer in self.scorers:
            try:
                arguments = scorer.parameters.arguments(example, {OUTPUT: result.output})
                result.scores[scorer.name] = await self._call(scorer.call, scorer.is_async, arguments)
            except Exception as error:
                result.errors.append(f"score {scorer.name}: {_describe(error)}")
        return {"output": result.output, "scores": result.scores, "errors": result.errors}

    async def _call(self, function: Callable[..., Any], is_async: bool, arguments: dict[str, Any]) -> Any:
        if is_async:
            return await function(**arguments)
        context = contextvars.copy_context()  # the example's call stays the parent of this one's
        loop = asyncio.get_running_loop()
        value = await loop.run_in_executor(self._pool, context.run, functools.partial(function, **arguments))
        return await value if inspect.isawaitable(value) else value


def _describe(error: BaseException) -> str:
    kind = type(error)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    return f"{name}: {error}"
