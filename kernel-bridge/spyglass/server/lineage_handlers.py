"""HTTP handler of the lineage panel (issue 8): a project's lineage graph, or a neighbourhood of one node."""

from __future__ import annotations

import asyncio
import json

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..artifacts.lineage import MAX_NODES, lineage_graph
from .api_handler import SpyglassAPIHandler
from .run_access import RunAccessError

_MAX_DEPTH = 50
_NODE_CAP_RANGE = (1, 10_000)


class LineageHandler(SpyglassAPIHandler):
    """GET /spyglass/api/v1/lineage?store_root=ABS&project=P[&focus=ID][&depth=N][&max_nodes=N]: the graph."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        focus = self.get_query_argument("focus", None) or None
        raw_depth = self.get_query_argument("depth", None)
        depth = None
        if raw_depth not in (None, ""):
            try:
                depth = int(raw_depth)
            except ValueError:
                depth = -1
            if not 0 <= depth <= _MAX_DEPTH:
                return self._fail(400, f"depth must be an integer from 0 to {_MAX_DEPTH}, got {raw_depth!r}")
        max_nodes = _int_or_none(self.get_query_argument("max_nodes", None))
        low, high = _NODE_CAP_RANGE
        if max_nodes is not None and not low <= max_nodes <= high:
            return self._fail(400, f"max_nodes must be an integer from {low} to {high}")
        try:
            root, project = self._store_and_project(project_must_exist=True)
            graph = await asyncio.to_thread(
                lineage_graph,
                root,
                project,
                focus,
                depth,
                max_nodes if max_nodes is not None else MAX_NODES,
                self._roots,
            )
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except LookupError as error:
            return self._fail(404, str(error.args[0]) if error.args else "unknown focus node")
        except OSError as error:
            return self._fail(500, f"could not read the lineage: {error}")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(graph))


def _int_or_none(text: str | None) -> int | None:
    if text in (None, ""):
        return None
    try:
        return int(text)
    except ValueError:
        return -1  # reported as out of range
