"""GET /spyglass/api/v1/evals (a project's evaluations) and /evals/compare (two or more side by side)."""

from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path
from typing import Any

import pyarrow as pa
import tornado.web
from jupyter_server.auth.decorator import authorized

from ..base.errors import StoreError
from ..evals.comparison import DEFAULT_EXAMPLE_LIMIT, DEFAULT_VALUE_LIMIT, compare
from ..evals.errors import EvaluationError
from ..evals.stored_evaluations import find_evaluations, list_evaluations, read_results
from .run_access import RunAccessError
from .workspace_handlers import _ProjectHandler


class _EvalsHandler(_ProjectHandler):
    async def _answer(self, read: Any, what: str) -> None:
        """Runs `read(root, project)` off the event loop; answers its value as JSON, or the error."""
        try:
            root, project = self._project()
            body = await asyncio.to_thread(lambda: _dumps(read(root, project)))
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except EvaluationError as error:
            return self._fail(404, str(error))
        except ValueError as error:
            return self._fail(400, str(error))
        except (StoreError, OSError, pa.ArrowException) as error:
            return self._fail(500, f"could not read {what}: {error}")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "application/json")
        self.finish(body)

    def _bounded(self, name: str, default: int, high: int) -> int:
        raw = self.get_query_argument(name, None)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if not 1 <= value <= high:
            raise ValueError(f"{name} must be an integer in 1..{high}, got {raw!r}")
        return value


class EvalsListHandler(_EvalsHandler):
    """GET /evals?store_root=&project=: {"evaluations": [entry, ...]}, newest first."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        def read(root: Path, project: str) -> dict[str, Any]:
            found = list_evaluations(root, project, self._roots)
            return {"project": project, "evaluations": [evaluation.entry() for evaluation in found]}

        await self._answer(read, "the project's evaluations")


class EvalsCompareHandler(_EvalsHandler):
    """GET /evals/compare?store_root=&project=&run_id=A&run_id=B[...][&value_limit=][&example_limit=]: the
    comparison, the first run the baseline (spyglass/evals/comparison.py)."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        run_ids = self.get_query_arguments("run_id")

        def read(root: Path, project: str) -> dict[str, Any]:
            if not run_ids:
                raise ValueError("name the evaluations to compare: run_id=<baseline>&run_id=<other>...")
            value_limit = self._bounded("value_limit", DEFAULT_VALUE_LIMIT, 10_000_000)
            example_limit = self._bounded("example_limit", DEFAULT_EXAMPLE_LIMIT, 1_000_000)
            chosen = find_evaluations(root, project, run_ids, self._roots)
            tables = [read_results(evaluation, self._roots) for evaluation in chosen]
            entries = [evaluation.entry() for evaluation in chosen]
            answer = compare(entries, tables, value_limit=value_limit, example_limit=example_limit)
            return {"project": project, **answer}

        await self._answer(read, "the evaluations")


def _dumps(value: Any) -> str:
    # Non-finite numbers (a summary's custom aggregate) as the strings run.json uses, so JSON stays strict.
    return json.dumps(_finite(value), allow_nan=False, default=str)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
