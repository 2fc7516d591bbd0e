"""A real `jupyter server` with the Spyglass extension, in a subprocess, for the HTTP tests of every endpoint.

A subprocess (with a token, so authentication is exercised too) rather than the pytest-jupyter plugin:
registering that plugin suite-wide would put its autouse event-loop fixtures on every other test. Import it as
`from server_harness import ...` (tests/ is on sys.path through tests/conftest.py, as for store_builders).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

TOKEN = "spyglass-test-token"
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(
    url: str,
    endpoint: str,
    /,
    *,
    method: str | None = None,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    token: str | None = TOKEN,
    timeout: float = 10,
    **params,
) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of one request; an HTTP error status is an answer, not an exception.

    The keyword arguments not named here are the query (`path=` included, hence the positional-only URL).
    """
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    request = urllib.request.Request(url + endpoint + query, data=data, method=method, headers=headers or {})
    if token:
        request.add_header("Authorization", f"token {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until_ready(process: subprocess.Popen, url: str, log: Path | None = None) -> None:
    """Return once the server answers any HTTP status; raise if it exits or stays silent for a minute."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace") if log else ""
            raise RuntimeError(f"jupyter server exited early:\n{output}")
        try:
            http(url, "/api/status", timeout=5)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError(f"jupyter server did not answer within {START_TIMEOUT_S} s")


@contextlib.contextmanager
def jupyter_server(
    root: Path, config_dir: Path, *, token: str = TOKEN, store: Path | None = None
) -> Iterator[str]:
    """Run a server with root_dir `root` and the Spyglass extension; yield its base URL, stop it after.

    `config_dir` holds its Jupyter config, runtime and data directories and its log. $SPYGLASS_DIR is `store`
    when given, else unset, so only `root` (and `store`) are the server's roots.
    """
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"spyglass": True}}})
    )
    env = {key: value for key, value in os.environ.items() if key != "SPYGLASS_DIR"}
    env.update(
        JUPYTER_CONFIG_DIR=str(config_dir),
        JUPYTER_RUNTIME_DIR=str(config_dir / "runtime"),
        JUPYTER_DATA_DIR=str(config_dir / "data"),
    )
    if store is not None:
        env["SPYGLASS_DIR"] = str(store)
    port = free_port()
    log = config_dir / "server.log"
    # The log goes to a file: a pipe nobody reads would block a chatty server once its buffer is full.
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter_server",
                "--no-browser",
                "--allow-root",  # CI containers often run as root
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--ServerApp.token={token}",
                f"--ServerApp.root_dir={root}",
            ],
            env=env,
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(process, url, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
