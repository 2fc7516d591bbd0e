"""GET /spyglass/api/v1/sweeps?store_root=ABS&project=P: the sweeps of a project, for pickers."""

from __future__ import annotations

import asyncio
import json

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..sweeps.listing import list_sweeps
from .run_access import RunAccessError
from .workspace_handlers import _ProjectHandler


class SweepListHandler(_ProjectHandler):
    """Answers {"sweeps": [{id, name, state, created_at, sweep_dir}]}, newest first (docs/server-api.md)."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        try:
            root, project = self._project()
            sweeps = await asyncio.to_thread(list_sweeps, root, project, self._roots)
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except OSError as error:
            return self._fail(500, f"could not list the sweeps: {error}")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({"sweeps": sweeps}))
