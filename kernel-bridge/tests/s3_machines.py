"""Helpers of the sweep and artifact tests over a bucket: a "machine" is a Python process with its own host
name (a UTS namespace, as s3_writers.start_machine) and its own local root, sharing only the bucket."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from s3_writers import machine_env, start_script
from s3_writers import read_answer as read_line

__all__ = ["machine", "machine_env", "read_line", "start_script", "wait_for"]


def wait_for(condition: Callable[[], object], timeout: float, what: str, poll: float = 0.2) -> object:
    """Poll `condition` until it is truthy; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def machine(tmp_path: Path, server_env: dict[str, str], name: str, **extra: str) -> dict[str, str]:
    """The environment of machine `name`: the server's writer identity, a local root under tmp_path/name."""
    return {**machine_env(server_env, tmp_path / name), **extra}
