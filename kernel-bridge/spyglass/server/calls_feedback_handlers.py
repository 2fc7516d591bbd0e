"""POST/GET /calls/feedback (thumbs, notes, labels on a call) and POST /calls/sql (the panel's SQL box)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..traces.call_feedback import REMOVED, FeedbackError, add_feedback
from .calls_filters import CallsQueryError
from .calls_handlers import _CallsHandler
from .calls_index import project_calls, project_feedback
from .calls_user_sql import DEFAULT_ROWS, run_user_sql
from .run_access import RunAccessError

# A note is at most 10,000 characters: a bigger body is a mistake, not feedback.
MAX_BODY = 64 * 1024


class CallFeedbackHandler(_CallsHandler):
    """GET /calls/feedback?store_root=&project=[&call_id=]: {"feedback": {call id: [entries]}};
    POST the same URL with {"call_id", "kind", "value"[, "creator"]}: the entry stored (201)."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        call_id = self._text_argument("call_id")

        def read(root: Path, project: str) -> str:
            feedback = project_feedback(root, project)
            if call_id is not None:
                feedback = {call_id: feedback.get(call_id, [])}
            return json.dumps({"feedback": feedback})

        await self._answer(read, "the feedback")

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        try:
            if len(self.request.body) > MAX_BODY:
                raise RunAccessError(413, f"the body is {len(self.request.body)} bytes; at most {MAX_BODY}")
            body = self._json_object('{"call_id", "kind": "thumbs"|"note"|"label", "value"}')
            root, project = self._project()
            creator = body.get("creator") or _user_name(self.current_user)
            entry = await asyncio.to_thread(_add, root, project, body, creator)
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except FeedbackError as error:
            return self._fail(400, str(error))
        except OSError as error:
            return self._fail(500, f"could not store the feedback: {error}")
        self.set_status(201)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"feedback": entry}))


def _add(root: Path, project: str, body: dict[str, Any], creator: str | None) -> dict[str, Any]:
    """Store the feedback after checking that the call (and, for a removal, the entry) exists."""
    call_id, kind, value = body.get("call_id"), body.get("kind"), body.get("value")
    unknown = sorted(set(body) - {"call_id", "kind", "value", "creator"})
    if unknown:
        raise FeedbackError(f"unknown fields {unknown}: the body has call_id, kind, value and creator")
    if not isinstance(call_id, str) or not _call_exists(root, project, call_id):
        raise RunAccessError(404, f"no call {call_id!r} in the project {project!r}")
    if kind == REMOVED and not any(
        e["id"] == value for e in project_feedback(root, project).get(call_id, [])
    ):
        raise RunAccessError(404, f"no feedback {value!r} on the call {call_id!r}")
    return add_feedback(root, project, call_id, kind, value, creator=creator, source="ui")


def _call_exists(root: Path, project: str, call_id: str) -> bool:
    import pyarrow.compute as pc

    return any(
        pc.any(pc.equal(session.ids["id"], call_id)).as_py()
        for session in project_calls(root, project).sessions
    )


def _user_name(user: Any) -> str | None:
    name = getattr(user, "username", None) or getattr(user, "name", None)
    return name[:100] if isinstance(name, str) and name else None


class CallsSqlHandler(_CallsHandler):
    """POST /calls/sql?store_root=&project= with {"sql"[, "max_rows"]}: one read-only SELECT over calls."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        try:
            body = self._json_object('{"sql": "select ... from calls"}')
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        max_rows = body.get("max_rows", DEFAULT_ROWS)

        def read(root: Path, project: str) -> str:
            if not isinstance(max_rows, int) or isinstance(max_rows, bool):
                raise CallsQueryError(f"max_rows must be an integer, got {max_rows!r}")
            calls = project_calls(root, project)
            answer = run_user_sql(calls, project_feedback(root, project), body.get("sql"), max_rows)
            return json.dumps(answer, allow_nan=False)

        await self._answer(read, "the SQL answer")
