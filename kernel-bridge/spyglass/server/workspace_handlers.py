"""HTTP handlers of the workspace: the runs of a project, and one metric across runs as Arrow IPC."""

from __future__ import annotations

import asyncio
from pathlib import Path

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..workspace_data.overview import AXES, overview_ipc, read_for_overview, take_rows
from ..workspace_data.overview_file import SPAN
from ..workspace_data.stored_overviews import step_overview_ipc
from .api_handler import SpyglassAPIHandler
from .bucket_sync import list_project_runs, pull_runs
from .run_access import RunAccessError

ARROW_STREAM = "application/vnd.apache.arrow.stream"


class _ProjectHandler(SpyglassAPIHandler):
    """A handler of one project of a store; a project not written yet reads as an empty one."""

    def _project(self) -> tuple[Path, str]:
        return self._store_and_project(project_must_exist=False)


class RunsListHandler(_ProjectHandler):
    """GET /spyglass/api/v1/runs?store_root=ABS&project=P: every run of the project, flattened."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        try:
            root, project = self._project()
            # A bucket project's runs come from its index rows (bucket_sync.list_project_runs).
            listing = await list_project_runs(self.settings["spyglass"], root, project, self._roots)
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except OSError as error:
            return self._fail(500, f"could not list the runs: {error}")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "application/json")
        self.finish(listing)  # JSON text already (indexed_runs encodes a bucket project's 10,000 rows)


class MetricHandler(_ProjectHandler):
    """GET /spyglass/api/v1/metric?store_root=&project=&metric=M[&run_id=R...][&x_metric=X]: Arrow IPC (the
    rows, or with overview_buckets=N[&overview_axis=A] the first-paint overview)."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        metric = self.get_query_argument("metric", None)
        if not metric:
            return self._fail(400, "missing query parameter 'metric'")
        run_ids = self.get_query_arguments("run_id")
        x_metric = self.get_query_argument("x_metric", None) or None
        raw_buckets = self.get_query_argument("overview_buckets", None)
        try:
            buckets = int(raw_buckets) if raw_buckets is not None else None
        except ValueError:
            buckets = 0
        if buckets is not None and not 1 <= buckets <= 100_000:
            return self._fail(400, f"overview_buckets must be an integer in 1..100000, got {raw_buckets!r}")
        axis = self.get_query_argument("overview_axis", "step")
        if axis not in AXES or (axis == "x" and not x_metric):
            return self._fail(
                400, f"overview_axis must be one of {', '.join(AXES)} (x with x_metric), got {axis!r}"
            )
        try:
            root, project = self._project()
            # A bucket store's first chart pulls the ended runs' overview.arrow, not their history (a level
            # of at most 2^SPAN buckets is always stored).
            stored = buckets is not None and axis == "step" and buckets <= 2**SPAN
            overview_of = metric if stored else None
            settings = self.settings["spyglass"]
            await pull_runs(settings, root, project, run_ids or None, overview_of=overview_of)
            args = (str(root), project, metric, run_ids or None, x_metric)
            # The step overview: the finished runs' stored levels (overview.arrow), the other runs read.
            # The rows request that follows an overview gets the same read (one snapshot of running runs).
            # An overview on another axis comes after the step one: it reuses that read when it is still kept.
            if buckets is not None and axis == "step":
                chunks = [await asyncio.to_thread(step_overview_ipc, *args, buckets, self._roots)]
            elif buckets is not None:
                sliced = await asyncio.to_thread(
                    read_for_overview, *args, reuse=axis != "step", roots=self._roots
                )
                chunks = [await asyncio.to_thread(overview_ipc, sliced, buckets, axis)]
            else:
                sliced = await asyncio.to_thread(take_rows, *args, self._roots)
                chunks = await asyncio.to_thread(sliced.ipc_chunks)
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except OSError as error:
            return self._fail(500, f"could not read metric {metric!r}: {error}")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", ARROW_STREAM)
        self.set_header("Content-Length", str(sum(len(chunk) for chunk in chunks)))
        if buckets is None:
            self.set_header("X-Spyglass-Rows", str(sliced.table.num_rows))
        # Written piece by piece so the page starts receiving while the rest is sent.
        for chunk in chunks:
            self.write(chunk)
            await self.flush()
        await self.finish()
