"""POST /spyglass/api/v1/otlp/v1/traces: an OTLP/HTTP trace receiver writing spans as calls (docs/otlp.md).

Point any OpenTelemetry exporter (OpenInference, OpenLLMetry, the SDK's own) at
`<server>/spyglass/api/v1/otlp/v1/traces` with the Jupyter token in an `Authorization: token ...` header.
Bodies are protobuf (`application/x-protobuf`) or JSON (`application/json`), optionally gzip-compressed; the
answer is an empty ExportTraceServiceResponse in the request's encoding. The project comes from the
`X-Spyglass-Project` header, else the `project` query argument, else each resource's `spyglass.project` or
`service.name`; the store from the `store_root` query argument, else $SPYGLASS_DIR, else `spyglass` in the
server's root_dir (inside the server's roots either way).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import zlib

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..store.run_store import resolve_store_root
from ..traces.otlp_ingest import PROTOBUF_TYPE, OtlpReceiver, decode_request, project_name, request_calls
from ..traces.otlp_protobuf import OtlpDependencyError
from ..traces.otlp_values import OtlpFormatError
from .api_handler import SpyglassAPIHandler
from .run_access import RunAccessError, confine

MAX_BODY_BYTES = 32 * 1024 * 1024  # after decompression; a larger batch is refused with 413
PROJECT_HEADER = "X-Spyglass-Project"

_receiver = OtlpReceiver()  # one per server process: one open ingest session per project and store


class OtlpTracesHandler(SpyglassAPIHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        content_type = self.request.headers.get("Content-Type", "")
        try:
            body = _decompressed(self.request.body, self.request.headers.get("Content-Encoding", ""))
            root = self._ingest_root()
            project = self.request.headers.get(PROJECT_HEADER) or self.get_query_argument("project", None)
            if project is not None:
                project = project_name(project, PROJECT_HEADER)
            calls = request_calls(decode_request(body, content_type), project)
            await asyncio.to_thread(_receiver.write, root, calls)
        except _TooLarge as error:
            return self._fail(413, str(error))
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except OtlpFormatError as error:
            return self._fail(400, f"not a valid OTLP trace request: {error}")
        except OtlpDependencyError as error:
            return self._fail(415, str(error))
        # The OTLP/HTTP success answer: an empty ExportTraceServiceResponse (no partial success to report).
        if content_type.split(";")[0].strip().lower() == PROTOBUF_TYPE:
            self.finish(b"", set_content_type=PROTOBUF_TYPE)
        else:
            self.finish(json.dumps({}))

    def _ingest_root(self) -> str:
        requested = self.get_query_argument("store_root", None)
        if requested is None:
            store = os.environ.get("SPYGLASS_DIR")
            requested = str(resolve_store_root(store)) if store else os.path.join(self._root_dir, "spyglass")
        return str(confine(requested, "store_root", self._root_dir, self._roots))


class _TooLarge(Exception):
    pass


def _decompressed(body: bytes, encoding: str) -> bytes:
    if len(body) > MAX_BODY_BYTES:
        raise _TooLarge(
            f"the body is {len(body)} bytes; at most {MAX_BODY_BYTES} are accepted: export smaller batches"
        )
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "deflate"):
        raise OtlpFormatError(f"Content-Encoding must be gzip, deflate or none, got {encoding!r}")
    # Decompressed in steps, so a small bomb never grows past the limit in memory.
    inflater = zlib.decompressobj(wbits=31 if encoding == "gzip" else 15)
    try:
        data = inflater.decompress(body, MAX_BODY_BYTES + 1)
    except (zlib.error, gzip.BadGzipFile) as error:
        raise OtlpFormatError(f"the body is not valid {encoding}: {error}") from None
    if len(data) > MAX_BODY_BYTES or inflater.unconsumed_tail:
        raise _TooLarge(f"the body inflates past {MAX_BODY_BYTES} bytes: export smaller batches")
    return data
