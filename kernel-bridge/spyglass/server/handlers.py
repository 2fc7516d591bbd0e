"""HTTP handlers that serve stored runs to the frontend: run.json and slices of the framed log."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..base.errors import CorruptLogError, StoreError
from ..store.framed_log import encode_file_header, log_slice
from ..store.run_state import effective_state
from ..store.run_store import RunDirectory
from ..store.segment_format import STREAMS  # stream name -> framed log file of the run directory

# AUTH_RESOURCE is re-exported for handlers that still import it from here (see api_handler.py).
from .api_handler import SpyglassAPIHandler
from .bucket_sync import pull_run_dir
from .run_access import RunAccessError, confine, resolve_run_dir


class _RunHandler(SpyglassAPIHandler):
    """A handler of one run directory named by the `run_dir` query argument."""

    async def _resolve(self, streams: tuple[str, ...] = ()) -> Path:
        requested = self.get_query_argument("run_dir", None)
        # A run of a bucket store is pulled first (run.json and the stream asked for), rate-limited per run.
        await pull_run_dir(
            self.settings["spyglass"], confine(requested, "run_dir", self._root_dir, self._roots), streams
        )
        return await asyncio.to_thread(resolve_run_dir, requested, self._root_dir, self._roots)


class RunMetadataHandler(_RunHandler):
    """GET /spyglass/api/v1/run?run_dir=PATH: the run's run.json."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        try:
            run = RunDirectory(await self._resolve())
            meta = await asyncio.to_thread(run.read_metadata)
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except (StoreError, OSError) as error:
            return self._fail(500, f"could not read run metadata: {error}")
        # A "running" run whose heartbeat went stale (SIGKILL, dead kernel) is reported "crashed".
        state = effective_state(meta)
        if state != meta.get("state"):
            meta = {**meta, "state": state, "stored_state": meta.get("state")}
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(meta))


class HistorySliceHandler(_RunHandler):
    """GET /spyglass/api/v1/history?run_dir=PATH&after_seq=N[&stream=system]: header + frames with seq > N."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        raw_after = self.get_query_argument("after_seq", "-1")
        try:
            after_seq = int(raw_after)
        except ValueError:
            after_seq = None
        if after_seq is None or after_seq < -1:
            return self._fail(400, f"after_seq must be an integer >= -1, got {raw_after!r}")
        stream = self.get_query_argument("stream", "history")
        if stream not in STREAMS:
            return self._fail(400, f"stream must be 'history' or 'system', got {stream!r}")
        try:
            run_path = await self._resolve((stream,))
            body = await asyncio.to_thread(_read_slice, run_path / STREAMS[stream], after_seq)
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except CorruptLogError as error:
            return self._fail(500, str(error), offset=error.offset, reason=error.reason)
        except OSError as error:
            return self._fail(500, f"could not read the run's history: {error}")
        self.set_header("Cache-Control", "no-store")
        self.finish(body, set_content_type="application/octet-stream")


def _read_slice(log_path: Path, after_seq: int) -> bytes:
    try:
        return log_slice(log_path, after_seq)
    except FileNotFoundError:
        return encode_file_header()  # A run that has not logged anything yet: a valid, empty log.
