"""GET /spyglass/api/v1/histograms: one histogram key across runs, for the workspace's heat strip panels."""

from __future__ import annotations

import asyncio
import json

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..workspace_data.histograms import read_histograms
from .api_handler import SpyglassAPIHandler
from .bucket_sync import pull_runs
from .run_access import RunAccessError


class HistogramsHandler(SpyglassAPIHandler):
    """GET /spyglass/api/v1/histograms?store_root=&project=&metric=K[&run_id=R...]: {"runs", "skipped"}."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        metric = self.get_query_argument("metric", None)
        if not metric:
            return self._fail(400, "missing query parameter 'metric'")
        run_ids = self.get_query_arguments("run_id")
        try:
            root, project = self._store_and_project(project_must_exist=False)
            await pull_runs(self.settings["spyglass"], root, project, run_ids or None)
            answer = await asyncio.to_thread(
                read_histograms, str(root), project, metric, run_ids or None, self._roots
            )
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except OSError as error:
            return self._fail(500, f"could not read histograms: {error}")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(answer, allow_nan=False))
