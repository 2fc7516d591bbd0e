"""HTTP handler of the workspace's zoom windows: M4 of a metric's runs over a range, computed here."""

from __future__ import annotations

import asyncio
import json
import math
from typing import Any

import pyarrow as pa
import tornado.web
from jupyter_server.auth.decorator import authorized

from ..workspace_data.window import Window, WindowRequestError, metric_window
from .api_handler import SpyglassAPIHandler
from .bucket_sync import pull_runs
from .run_access import RunAccessError

ARROW_STREAM = "application/vnd.apache.arrow.stream"
BODY = '{"metric", "run_ids", "axis", "lo", "hi", "level" | "buckets"[, "x_metric"]}'


class MetricWindowHandler(SpyglassAPIHandler):
    """POST /spyglass/api/v1/metric_window?store_root=&project= with the body BODY: Arrow IPC of M4 buckets
    (run = index into run_ids, q, x_first … y_max, y_sum, n), ordered by run and q."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        try:
            root, project = self._store_and_project(project_must_exist=False)
            body = self._json_object(BODY)
            metric, run_ids, x_metric, window = _parse(body)
            # A bucket store's new rows; an ended run already pulled is not asked again at every zoom.
            await pull_runs(self.settings["spyglass"], root, project, run_ids, ended_too=False)
            table = await asyncio.to_thread(
                metric_window, str(root), project, metric, x_metric, run_ids, window, self._roots
            )
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except WindowRequestError as error:
            return self._fail(400, f"bad window: {error}. Expected {BODY}")
        except OSError as error:
            return self._fail(500, f"could not read the metric's rows: {error}")
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", ARROW_STREAM)
        # Flushed before finish(): APIHandler.finish would label the answer JSON.
        self.write(sink.getvalue().to_pybytes())
        await self.flush()
        await self.finish()


def _parse(body: dict[str, Any]) -> tuple[str, list[str], str | None, Window]:
    metric = body.get("metric")
    if not isinstance(metric, str) or not metric:
        raise WindowRequestError("missing 'metric'")
    run_ids = body.get("run_ids")
    if not isinstance(run_ids, list) or not all(isinstance(r, str) for r in run_ids):
        raise WindowRequestError("'run_ids' must be a list of run ids")
    x_metric = body.get("x_metric") or None
    if x_metric is not None and not isinstance(x_metric, str):
        raise WindowRequestError("'x_metric' must be a metric name")
    lo, hi = _number(body, "lo"), _number(body, "hi")
    level = body.get("level")
    buckets = body.get("buckets")
    for name, value in (("level", level), ("buckets", buckets)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise WindowRequestError(f"'{name}' must be an integer, got {json.dumps(value)}")
    return metric, run_ids, x_metric, Window(str(body.get("axis", "step")), lo, hi, level, buckets)


def _number(body: dict[str, Any], name: str) -> float:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise WindowRequestError(f"'{name}' must be a finite number, got {json.dumps(value)}")
    return float(value)
