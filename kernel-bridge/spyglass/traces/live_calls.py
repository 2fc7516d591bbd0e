"""A trace session's stored frames sent to JupyterLab over the comm while the calls happen (docs/traces.md).

The session's writer thread hands each frame to the comm transport after it is durable, so the page sees
the same rows the store holds; the transport batches them into `calls` messages at most ten times a second.
Outside a kernel (a plain script) the publisher does nothing and costs nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from ..transport.comm_transport import get_transport

log = logging.getLogger("spyglass.traces")


def _ignore(payloads: list[bytes]) -> None:
    return None


def live_publisher(project: str, session_id: str, store_root: Path) -> Callable[[list[bytes]], None]:
    """What the session's writer calls with the payloads it has just stored (a no-op outside a kernel)."""
    try:
        transport = get_transport()
    except Exception:  # no comm must ever cost a trace
        log.debug("spyglass: no comm transport for traces", exc_info=True)
        return _ignore
    if not transport.active:
        return _ignore
    root = os.path.realpath(store_root)  # as the page's panels name it (the server's resolved roots)

    def publish(payloads: list[bytes]) -> None:
        try:
            transport.publish_calls(project, session_id, root, list(payloads))
        except Exception:
            log.debug("spyglass: could not queue calls for the comm", exc_info=True)

    return publish
