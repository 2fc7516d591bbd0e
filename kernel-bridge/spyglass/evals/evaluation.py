"""`sg.Evaluation`: score a model's predictions on a dataset, traced, stored and summarised.

`evaluation.evaluate(model)` blocks and returns the summary (in a notebook, where the kernel's event loop is
running, it runs the evaluation's own loop in a worker thread); `await evaluation.evaluate_async(model)` runs
on the caller's loop. Either logs to the current run, or to a run of its own (job_type "evaluation") that it
finishes. docs/evaluations.md.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..traces import current_call
from ..traces.op_wrappers import op
from ..traces.trace_session import session_directory
from ..tracking import session
from .aggregates import latency_summary, total_summary
from .dataset import Dataset
from .errors import EvaluationError
from .evaluation_log import EvaluationSummary, log_evaluation
from .example_costs import attach_costs
from .example_runner import ExampleResult, ExampleRunner, Predictor
from .model import model_attributes, model_name, model_version
from .progress import Progress
from .scorer import OUTPUT, Parameters, bind_scorers, traced_method
from .store_target import current_run, project_and_root

DEFAULT_CONCURRENCY = 8


class Evaluation:
    """`sg.Evaluation(dataset=..., scorers=[...], name=...)`; then `evaluate(model)` (blocking) or
    `await evaluate_async(model)`."""

    def __init__(
        self,
        dataset: Dataset | Any,
        scorers: Any = (),
        name: str | None = None,
        *,
        max_concurrency: int = DEFAULT_CONCURRENCY,
    ) -> None:
        self.dataset = dataset if isinstance(dataset, Dataset) else Dataset(dataset, name or "dataset")
        self.name = name or f"{self.dataset.name}-evaluation"
        if not isinstance(max_concurrency, int) or isinstance(max_concurrency, bool) or max_concurrency < 1:
            raise EvaluationError(f"max_concurrency must be a whole number >= 1, got {max_concurrency!r}")
        self.max_concurrency = max_concurrency
        self.scorers = bind_scorers(scorers, self.dataset.columns)

    def evaluate(
        self,
        model: Any,
        *,
        project: str | None = None,
        dir: str | os.PathLike[str] | None = None,
        progress: bool = True,
    ) -> EvaluationSummary:
        """Run the evaluation and return its summary; blocks, also inside a running event loop."""
        coroutine = self.evaluate_async(model, project=project, dir=dir, progress=progress)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(coroutine)
        # A notebook cell runs inside the kernel's loop: run ours in a thread, with this context (the
        # current trace call and attributes).
        context = contextvars.copy_context()
        with ThreadPoolExecutor(1, thread_name_prefix="spyglass-evaluate") as pool:
            return pool.submit(context.run, asyncio.run, coroutine).result()

    async def evaluate_async(
        self,
        model: Any,
        *,
        project: str | None = None,
        dir: str | os.PathLike[str] | None = None,
        progress: bool = True,
    ) -> EvaluationSummary:
        """Run the evaluation on the caller's event loop and return its summary."""
        predictor = _predictor(model, self.dataset.columns)
        run, owned = self._run_for(model, project, dir)
        try:
            # Saved again each time: equal rows make no new version, rows changed since make one.
            run_root = os.path.dirname(os.path.dirname(run.dir))
            self.dataset.save(self.dataset.project or run.project, dir=self.dataset._root or run_root)
            self.dataset._record_use(run)
            shown = Progress(f"{self.name}/{model_name(model)}", len(self.dataset), progress)
            runner = ExampleRunner(
                predictor, self.scorers, self.max_concurrency, lambda r: shown.advance(r.failed)
            )
            rows = self.dataset.rows

            async def evaluate(evaluation: str, dataset: str | None, model: str, model_version: str) -> Any:
                # The root call of the evaluation's trace; its inputs say what is evaluated.
                record = current_call()
                return await runner.run(rows), (record.id if record is not None else None)

            traced = op(evaluate, name="Evaluation.evaluate")
            results, root_id = await traced(
                self.name, self.dataset.reference, model_name(model), model_version(model)
            )
            shown.close()
            if root_id is not None:
                session = session_directory(run_root, run.project, run.id)  # the run's trace session
                attach_costs(session, root_id, predictor.op_name, results)
            summary = self._summary(model, results, root_id)
            return log_evaluation(run, summary, results, self.dataset.columns, [s.name for s in self.scorers])
        finally:
            if owned:
                run.finish()

    def _run_for(self, model: Any, project: str | None, dir: Any) -> tuple[Any, bool]:
        run = current_run()
        if run is not None:
            if project is not None and project != run.project:
                raise EvaluationError(
                    f"the current run is in project {run.project!r}, not {project!r}: finish it first, or "
                    "leave project= out to log the evaluation to it"
                )
            return run, False
        project = project or self.dataset.project
        if project is None:
            project, _ = project_and_root(None, dir, "evaluate()")
        started = session.init(
            project=project,
            name=f"{self.name}-{model_name(model)}",
            job_type="evaluation",
            dir=dir,
            config={"evaluation": self.name, "model": _model_config(model)},
            reinit="create_new",
            display=False,
        )
        return started, True

    def _summary(self, model: Any, results: list[ExampleResult], root_id: str | None) -> dict[str, Any]:
        scores = {}
        for scorer in self.scorers:
            values = [r.scores[scorer.name] for r in results if scorer.name in r.scores]
            try:
                scores[scorer.name] = scorer.summarize(values)
            except Exception as error:  # a failing summarize costs its own aggregate only
                scores[scorer.name] = {"error": f"summarize: {type(error).__name__}: {error}"}
        return {
            "evaluation": self.name,
            "dataset": self.dataset.reference,
            "model": _model_config(model),
            "examples": len(results),
            "failed": sum(result.failed for result in results),
            "scores": scores,
            "latency": latency_summary([r.latency for r in results if r.latency is not None]),
            "cost": total_summary([r.cost for r in results if r.cost is not None]),
            "tokens": total_summary([r.tokens for r in results if r.tokens is not None]),
            "trace_id": root_id,
            "max_concurrency": self.max_concurrency,
        }


def _predictor(model: Any, columns: list[str]) -> Predictor:
    """The model's traced predict: a method `predict` (sg.Model or any object), or a function."""
    if inspect.isfunction(model) or inspect.ismethod(model) or hasattr(model, "__spyglass_op__"):
        function, name = model, getattr(model, "__qualname__", model_name(model))
        bound = model if hasattr(model, "__spyglass_op__") else op(model, name=name)
        signature_of = model
    else:
        method = getattr(type(model), "predict", None)
        if method is None or not callable(method):
            raise EvaluationError(
                "evaluate() takes an sg.Model (or an object with predict) or a function, "
                f"got {type(model).__name__}"
            )
        function, name = method, f"{type(model).__name__}.predict"
        bound = traced_method(method, model, name)
        signature_of = model.predict
    parameters = Parameters.of(signature_of)
    missing = parameters.missing(columns, set())
    if missing or OUTPUT in parameters.required:
        raise EvaluationError(
            f"{name} takes {', '.join(missing or [OUTPUT])}, which the dataset's columns "
            f"({', '.join(columns)}) do not hold; rename the parameter or the column"
        )
    return Predictor(bound, parameters, inspect.iscoroutinefunction(function), bound.__spyglass_op__.name)


def _model_config(model: Any) -> dict[str, Any]:
    config = {"name": model_name(model), "version": model_version(model)}
    if not (inspect.isfunction(model) or inspect.ismethod(model)):
        config["attributes"] = model_attributes(model)
    return config
