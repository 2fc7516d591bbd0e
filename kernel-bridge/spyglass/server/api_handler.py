"""The base of every Spyglass API handler: one auth resource, one `{"error": ...}` shape, one body reader.

Handlers answer errors through `_fail`, so the frontend reads every failure the same way, including the
unexpected ones tornado reports through `write_error`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import tornado.web
from jupyter_server.base.handlers import APIHandler

from ..base.errors import InvalidNameError
from ..store.run_store import validate_name
from .run_access import RunAccessError, confine, require_within

# Reading run files is reading the server's files, so the same permission as the contents API applies.
AUTH_RESOURCE = "contents"


class SpyglassAPIHandler(APIHandler):
    auth_resource = AUTH_RESOURCE

    @property
    def _root_dir(self) -> str:
        return self.settings["spyglass"]["root_dir"]

    @property
    def _roots(self) -> list[Path]:
        return self.settings["spyglass"]["roots"]

    def _fail(self, status: int, message: str, **extra: Any) -> None:
        self.set_status(status)
        self.finish(json.dumps({"error": message, **extra}))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # Unexpected failures still answer with the {"error": ...} shape the frontend reads.
        reason = self._reason or "internal error"
        exc_info = kwargs.get("exc_info")
        error = exc_info[1] if exc_info else None
        if isinstance(error, tornado.web.HTTPError) and error.log_message:
            reason = error.log_message % error.args if error.args else error.log_message
        self._fail(status_code, reason)

    def _json_object(self, shape: str) -> dict[str, Any]:
        """The body as a JSON object (an empty body is `{}`), else RunAccessError 400 naming `shape`."""
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            raise RunAccessError(400, f"the body must be JSON: {shape}") from None
        if not isinstance(body, dict):
            raise RunAccessError(400, "the body must be a JSON object")
        return body

    def _store_and_project(self, *, project_must_exist: bool) -> tuple[Path, str]:
        """(real store root, project) from the `store_root` and `project` query arguments, inside the roots.

        With `project_must_exist` a missing project directory is a 404; without it, only an existing one is
        checked (so a project not written yet can still be asked for).
        """
        requested = self.get_query_argument("store_root", None)
        project = self.get_query_argument("project", None)
        real = confine(requested, "store_root", self._root_dir, self._roots)
        if not project:
            raise RunAccessError(400, "missing query parameter 'project'")
        try:
            validate_name("project", project)
        except InvalidNameError as error:
            raise RunAccessError(400, str(error)) from None
        project_dir = real / project
        if not project_dir.is_dir():
            if project_must_exist:
                raise RunAccessError(404, f"no project {project!r} in the store {requested!r}")
            if not os.path.lexists(project_dir):
                return real, project
        require_within(project_dir, self._roots, f"{requested}/{project}")
        return real, project
