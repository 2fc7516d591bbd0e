"""GET (and HEAD) /spyglass/api/v1/file?run_dir=&path=: one media or table file, streamed, with byte ranges.

Byte ranges let the table explorer read a Parquet file's footer and row groups without fetching all of it.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import tornado.web
from jupyter_server.auth.decorator import authorized

from .api_handler import SpyglassAPIHandler
from .bucket_sync import pull_run_file
from .file_access import content_type, resolve_file
from .run_access import RunAccessError, confine

CHUNK_BYTES = 1 << 20
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class MediaFileHandler(SpyglassAPIHandler):
    """Serves one file under a run's media/ (or the store's .tables/); see server/file_access.py."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        await self._serve(send_body=True)

    @tornado.web.authenticated
    @authorized
    async def head(self) -> None:
        await self._serve(send_body=False)

    async def _serve(self, send_body: bool) -> None:
        run_dir, relative = self.get_query_argument("run_dir", None), self.get_query_argument("path", None)
        try:
            if run_dir and relative:  # a bucket store's media file is downloaded on first use
                real_run_dir = confine(run_dir, "run_dir", self._root_dir, self._roots)
                await pull_run_file(self.settings["spyglass"], real_run_dir, relative)
            path = await asyncio.to_thread(resolve_file, run_dir, relative, self._root_dir, self._roots)
            size = path.stat().st_size
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except OSError as error:
            return self._fail(500, f"could not read the file: {error}")
        start, end = 0, size - 1
        header = self.request.headers.get("Range")
        if header:
            parsed = _parse_range(header, size)
            if parsed is None:
                self.set_header("Content-Range", f"bytes */{size}")
                return self._fail(416, f"unsatisfiable range {header!r} for {size} bytes")
            start, end = parsed
            self.set_status(206)
            self.set_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.set_header("Content-Type", content_type(path))
        self.set_header("Accept-Ranges", "bytes")
        self.set_header("Content-Length", str(max(0, end - start + 1)))
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Content-Security-Policy", "sandbox; default-src 'none'")
        self.set_header("Cache-Control", "private, max-age=3600")  # names are content-addressed
        if send_body:
            await self._stream(path, start, end)
        self.finish()

    async def _stream(self, path: Path, start: int, end: int) -> None:
        with path.open("rb") as file:
            file.seek(start)
            remaining = end - start + 1
            while remaining > 0:
                chunk = await asyncio.to_thread(file.read, min(CHUNK_BYTES, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                self.write(chunk)
                await self.flush()


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """One `bytes=a-b`, `bytes=a-` or `bytes=-n` range as inclusive (start, end); None if unsatisfiable."""
    match = _RANGE.match(header.strip())
    if match is None or size == 0:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        start, end = max(0, size - int(last)), size - 1
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end else None
