"""GET /spyglass/api/v1/sweep?sweep_dir=ABS (the snapshot) and POST /spyglass/api/v1/sweep/control."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..sweeps import SweepControlError, control, snapshot
from ..sweeps.store import SWEEP_FILE, SWEEPS_DIR
from .api_handler import SpyglassAPIHandler
from .run_access import RunAccessError, confine, require_tree_within


def resolve_sweep_dir(requested: Any, root_dir: str, roots: list[Path]) -> Path:
    """The real path of a sweep directory inside the server's roots, or RunAccessError (400/403/404)."""
    real = confine(requested, "sweep_dir", root_dir, roots)
    if real.parent.name != SWEEPS_DIR or not (real / SWEEP_FILE).is_file():
        raise RunAccessError(
            404, f"sweep_dir {requested!r} is not a sweep directory (<project>/.sweeps/<id>)"
        )
    # A snapshot reads every trial, claim and stop file: none may be a link leading out.
    require_tree_within(real, roots, requested)
    return real


class _SweepHandler(SpyglassAPIHandler):
    async def _resolve(self, requested: Any) -> Path:
        return await asyncio.to_thread(resolve_sweep_dir, requested, self._root_dir, self._roots)


class SweepSnapshotHandler(_SweepHandler):
    """GET /spyglass/api/v1/sweep?sweep_dir=ABS: the sweep snapshot (docs/sweeps.md)."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        try:
            sweep_dir = await self._resolve(self.get_query_argument("sweep_dir", None))
            snap = await asyncio.to_thread(snapshot, sweep_dir, self._roots)
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except Exception as error:  # a damaged sweep answers in the {"error"} shape, never a bare 500 page
            return self._fail(500, f"could not read the sweep: {error}")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(snap))


class SweepControlHandler(_SweepHandler):
    """POST /spyglass/api/v1/sweep/control {"sweep_dir", "action", "trial"?} -> {"ok": true, "state"}."""

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        try:
            body = self._json_object('{"sweep_dir": ..., "action": ...}')
            sweep_dir = await self._resolve(body.get("sweep_dir"))
            result = await asyncio.to_thread(control, sweep_dir, body.get("action"), body.get("trial"))
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except SweepControlError as error:
            return self._fail(400, str(error))
        except Exception as error:
            return self._fail(500, f"could not control the sweep: {error}")
        self.finish(json.dumps(result))
