"""The comm transport: one per process, it carries every run's frames to JupyterLab over a `spyglass` comm.

Inside an IPython kernel it opens a comm on the first run, sends at most about ten messages a second (the
frames
of all runs published since the last tick share one message), keeps each message under 8 MiB, and answers the
frontend's `hello` and `replay` requests, the latter from the store. Outside a kernel (a plain script) it does
nothing: the store alone holds the run, and the frontend reads it later.
"""

from __future__ import annotations

import collections
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..base.errors import ProtocolError, ProtocolVersionError
from ..store.arrow_codec import decode_payload
from ..store.framed_log import read_framed_log
from ..store.run_store import SYSTEM_LOG_FILE
from .protocol import (
    COMM_TARGET,
    RunInfo,
    StoredFrame,
    Stream,
    calls_messages,
    error_message,
    frames_messages,
    hello_message,
    parse_frontend_message,
    run_updated_message,
)

log = logging.getLogger("spyglass.comm")

SEND_TICK = 0.1  # seconds between messages: ~10 messages/s, far under Jupyter's 1000/s IOPub limit
REOPEN_AFTER = (
    2.0  # a comm the frontend closed is reopened at most this often (no spam without the extension)
)


@dataclass
class _RunSource:
    info: Callable[[], RunInfo]
    log_path: Path


class CommTransport:
    """Sends frames and run updates to the frontend; a no-op when there is no kernel."""

    def __init__(self, kernel: Any | None) -> None:
        self._kernel = kernel
        self._lock = threading.Lock()
        self._runs: dict[str, _RunSource] = {}
        self._comms: list[Any] = []
        self._last_open = -REOPEN_AFTER
        self._live: list[StoredFrame] = []
        # (project, session_id, store_root) -> Arrow IPC payloads of trace sessions' frames (sent like runs')
        self._live_calls: dict[tuple[str, str, str], list[bytes]] = {}
        # (message, buffers, comm or None for every open comm), in send order
        self._outbox: collections.deque[tuple[dict, list[bytes], Any]] = collections.deque()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.sent_messages = 0

    @property
    def active(self) -> bool:
        return self._kernel is not None

    def add_run(self, run_id: str, info: Callable[[], RunInfo], log_path: Path) -> None:
        """Register a run (so replay can find its log) and announce it."""
        if not self.active:
            return
        with self._lock:
            self._runs[run_id] = _RunSource(info, log_path)
        if not self._comms:
            self._open_comm()
        else:
            self.run_updated(run_id)
        self._start()

    def publish(self, frame: StoredFrame) -> None:
        """Queue a stored frame for the next send tick (called by flushers, after the frame is durable)."""
        if not self.active:
            return
        with self._lock:
            self._live.append(frame)
        self._wake.set()

    def publish_calls(self, project: str, session_id: str, store_root: str, payloads: list[bytes]) -> None:
        """Queue a trace session's stored frames (Arrow IPC payloads of call rows) for the next send tick.

        Called by the session's writer thread after the frames are durable, never by a traced call.
        """
        if not self.active or not payloads:
            return
        with self._lock:
            self._live_calls.setdefault((project, session_id, store_root), []).extend(payloads)
        self._start()
        self._wake.set()

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._send_loop, name="spyglass-comm", daemon=True)
            self._thread.start()

    def run_updated(self, run_id: str) -> None:
        """Queue a run_updated message (state, name or config changed)."""
        if not self.active:
            return
        source = self._runs.get(run_id)
        if source is not None:
            self._enqueue([(run_updated_message(source.info()), [], None)])

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until everything queued has been sent (finish() uses it so the last frames go out)."""
        deadline = time.monotonic() + timeout
        while (
            self.active and (self._live or self._live_calls or self._outbox) and time.monotonic() < deadline
        ):
            self._wake.set()
            time.sleep(0.01)

    def _enqueue(self, messages: list[tuple[dict, list[bytes], Any]]) -> None:
        with self._lock:
            self._pack_live()  # keep order: frames published earlier go out before this message
            self._outbox.extend(messages)
        self._wake.set()

    def _pack_live(self) -> None:
        if self._live:
            self._outbox.extend((data, buffers, None) for data, buffers in frames_messages(self._live))
            self._live = []
        if self._live_calls:
            for (project, session_id, root), frames in self._live_calls.items():
                messages = calls_messages(project, session_id, root, frames)
                self._outbox.extend((data, buffers, None) for data, buffers in messages)
            self._live_calls = {}

    def _send_loop(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            while True:
                with self._lock:
                    self._pack_live()
                    batch = self._next_tick_messages()
                if not batch:
                    break
                for data, buffers, comm in batch:
                    self._send(data, buffers, comm)
                time.sleep(SEND_TICK)

    def _next_tick_messages(self) -> list[tuple[dict, list[bytes], Any]]:
        # Control messages are small and rare; at most one frames message per tick bounds the rate.
        batch = []
        while self._outbox:
            message = self._outbox.popleft()
            batch.append(message)
            if message[0]["kind"] in ("frames", "calls"):
                break
        return batch

    def _send(self, data: dict, buffers: list[bytes], comm: Any | None = None) -> None:
        try:
            if comm is None and not self._comms and time.monotonic() - self._last_open >= REOPEN_AFTER:
                self._open_comm()
            for target in [comm] if comm is not None else list(self._comms):
                target.send(data=data, buffers=buffers)
                self.sent_messages += 1
        except Exception:  # the comm must never break the run; the store has everything
            log.exception("spyglass: could not send a %s message to the frontend", data.get("kind"))

    def _open_comm(self) -> None:
        import comm as comm_module

        self._last_open = time.monotonic()
        runs = [source.info() for source in list(self._runs.values())]
        new = comm_module.create_comm(target_name=COMM_TARGET, data=hello_message(runs))
        self._attach(new)

    def _attach(self, comm: Any) -> None:
        comm.on_msg(lambda msg, comm=comm: self._on_msg(comm, msg))
        comm.on_close(lambda msg, comm=comm: self._on_close(comm))
        self._comms.append(comm)

    def _on_close(self, comm: Any) -> None:
        if comm in self._comms:
            self._comms.remove(comm)

    def on_frontend_open(self, comm: Any, msg: dict) -> None:
        """A frontend opened a comm to our target: handle its messages and greet it."""
        self._attach(comm)
        self._reply(comm, hello_message([s.info() for s in list(self._runs.values())]), [])

    def _on_msg(self, comm: Any, msg: dict) -> None:
        # Runs in the kernel's shell handler: nothing may escape, the frontend gets an `error` instead.
        request_id = None
        try:
            content = msg.get("content", {})
            data = content.get("data")
            if isinstance(data, dict) and isinstance(data.get("request_id"), str):
                request_id = data["request_id"]
            message = parse_frontend_message(data, len(msg.get("buffers") or []))
            if message["kind"] == "hello":
                self._reply(comm, hello_message([s.info() for s in list(self._runs.values())]), [])
            elif message["kind"] == "replay":
                self._replay(
                    comm,
                    message["request_id"],
                    message["run_id"],
                    message["after_seq"],
                    message.get("stream", "history"),
                )
            else:
                log.warning(
                    "spyglass: the frontend reported an error: %s (%s)", message["message"], message["code"]
                )
        except ProtocolVersionError as error:
            self._reply(comm, error_message("protocol_major", str(error), request_id), [])
        except ProtocolError as error:
            self._reply(comm, error_message("bad_message", str(error), request_id), [])
        except Exception as error:
            log.exception("spyglass: failed to handle a comm message")
            self._reply(comm, error_message("internal", f"{type(error).__name__}: {error}", request_id), [])

    def _replay(
        self, comm: Any, request_id: str, run_id: str, after_seq: int, stream: Stream = "history"
    ) -> None:
        source = self._runs.get(run_id)
        if source is None:
            known = ", ".join(sorted(self._runs)) or "none"
            self._reply(
                comm,
                error_message(
                    "unknown_run", f"this kernel has no run {run_id!r} (its runs: {known})", request_id
                ),
                [],
            )
            return
        path = source.log_path if stream == "history" else source.log_path.with_name(SYSTEM_LOG_FILE)
        frames = []
        if stream == "history" or path.exists():  # a run without system metrics has no system log
            contents = read_framed_log(path, after_seq=after_seq)
            frames = [
                StoredFrame(run_id, f.seq, decode_payload(f.payload).num_rows, f.payload, stream)
                for f in contents.frames
            ]
        messages = frames_messages(frames, reply_to=request_id)
        if not messages:  # nothing newer: an empty answer, so the frontend knows the request was seen
            messages = [({"kind": "frames", "chunks": [], "reply_to": request_id}, [])]
        with self._lock:
            self._pack_live()
            self._outbox.extend((data, buffers, comm) for data, buffers in messages)
        self._wake.set()

    def _reply(self, comm: Any, data: dict, buffers: list[bytes]) -> None:
        try:
            comm.send(data=data, buffers=buffers)
            self.sent_messages += 1
        except Exception:
            log.exception("spyglass: could not reply to the frontend")


_transport: CommTransport | None = None
_transport_lock = threading.Lock()


def get_transport() -> CommTransport:
    """The process's transport, created on first use (active only inside an IPython kernel)."""
    global _transport
    with _transport_lock:
        if _transport is None:
            kernel = _current_kernel()
            _transport = CommTransport(kernel)
            if kernel is not None:
                _register_target(_transport)
        return _transport


def _current_kernel() -> Any | None:
    ipython_module = sys.modules.get("IPython")  # never import IPython in a plain script
    if ipython_module is None:
        return None
    try:
        shell = ipython_module.get_ipython()
    except Exception:
        return None
    return getattr(shell, "kernel", None) if shell is not None else None


def _register_target(transport: CommTransport) -> None:
    # Lets a frontend open the comm itself (e.g. after a kernel-side close); kernel-opened is the norm.
    try:
        import comm as comm_module

        comm_module.get_comm_manager().register_target(COMM_TARGET, transport.on_frontend_open)
    except Exception:
        log.debug("spyglass: could not register the comm target", exc_info=True)
