"""GET /spyglass/api/v1/calls (a page of a project's root calls) and /calls/trace (one trace's calls)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..base.errors import StoreError
from .bucket_sync import pull_calls
from .calls_index import project_calls, project_feedback
from .calls_query import (
    DEFAULT_PAGE,
    DEFAULT_VALUE_LIMIT,
    CallsQueryError,
    RootFilters,
    list_roots,
    op_names,
    trace_arrow,
    trace_json,
)
from .calls_sql import CallsEngineError
from .run_access import RunAccessError
from .workspace_handlers import _ProjectHandler

ARROW_STREAM = "application/vnd.apache.arrow.stream"


class _CallsHandler(_ProjectHandler):
    async def _answer(
        self,
        read: Callable[[Path, str], str | bytes | None],
        what: str,
        missing: str = "",
        content_type: str = "application/json",
    ) -> None:
        """Runs `read(root, project)` off the event loop; answers its text (JSON) or bytes, or the error."""
        try:
            root, project = self._project()
            await pull_calls(self.settings["spyglass"], root, project)  # a bucket store's sessions
            body = await asyncio.to_thread(read, root, project)
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except CallsQueryError as error:
            return self._fail(400, str(error))
        except (StoreError, OSError, CallsEngineError) as error:
            return self._fail(500, f"could not read {what}: {error}")
        if body is None:
            return self._fail(404, missing)
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", content_type)
        self.finish(body)

    def _int_argument(self, name: str, default: int) -> int:
        raw = self.get_query_argument(name, None)
        if raw is None or raw == "":
            return default
        try:
            return int(raw)
        except ValueError:
            raise CallsQueryError(f"{name} must be an integer, got {raw!r}") from None

    def _text_argument(self, name: str) -> str | None:
        return self.get_query_argument(name, None) or None


class CallsListHandler(_CallsHandler):
    """GET /calls?store_root=&project=[&op_name=][&status=][&q=][&since=][&until=][&attribute=][&label=]
    [&feedback=][&offset=][&limit=]: roots, newest first."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        filters = RootFilters(
            op_name=self._text_argument("op_name"),
            status=self._text_argument("status"),
            text=self._text_argument("q"),
            **{
                name: self._text_argument(name)
                for name in ("since", "until", "attribute", "label", "feedback")
            },
        )

        def read(root: Path, project: str) -> str:
            paging = {
                "offset": self._int_argument("offset", 0),
                "limit": self._int_argument("limit", DEFAULT_PAGE),
            }
            calls = project_calls(root, project)
            page = list_roots(calls, filters, entries=project_feedback(root, project), **paging)
            calls.prefetch()  # the values a tree or a text filter will need, read while the page draws
            return json.dumps({**page, "op_names": op_names(calls)}, allow_nan=False, default=str)

        await self._answer(read, "the project's calls")


class CallTraceHandler(_CallsHandler):
    """GET /calls/trace?store_root=&project=&trace_id=[&value_limit=]: the trace's calls, in start order."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        trace_id = self._text_argument("trace_id")

        answer_format = self.get_query_argument("format", "json")

        def read(root: Path, project: str) -> str | bytes | None:
            if trace_id is None:
                raise CallsQueryError("missing query parameter 'trace_id'")
            if answer_format not in ("json", "arrow"):
                raise CallsQueryError(f"format must be json or arrow, got {answer_format!r}")
            value_limit = self._int_argument("value_limit", DEFAULT_VALUE_LIMIT)
            feedback = project_feedback(root, project)
            answer = trace_arrow if answer_format == "arrow" else trace_json
            return answer(project_calls(root, project), trace_id, value_limit, feedback)

        project = self.get_query_argument("project", None)
        content_type = ARROW_STREAM if answer_format == "arrow" else "application/json"
        await self._answer(
            read, "the trace", f"no trace {trace_id!r} in the project {project!r}", content_type
        )
