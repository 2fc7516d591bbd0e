"""The real OpenAI-compatible test server: `transformers serve` over a tiny model made at test time.

The server runs in a subprocess of the integrations venv (.venv-integrations, which has torch and
transformers; the main venv has neither), started once per pytest session by the `llm_server` fixture
(tests/llm/conftest.py).
tiny_llm_serve.py makes the model (random weights, a tokenizer trained on a few sentences) and serves it on
127.0.0.1; nothing is downloaded. Import as `from llm_server import ...` (tests/ is on sys.path).
Script mode (`python llm_server.py DIR`) serves the end-to-end tests (e2e/support/llm-server.mjs).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from server_harness import free_port

ROOT = Path(__file__).resolve().parents[2]
INTEGRATIONS_PYTHON = ROOT / ".venv-integrations" / "bin" / "python"
SERVE_SCRIPT = Path(__file__).with_name("tiny_llm_serve.py")
# Importing torch and transformers takes seconds on an idle machine and over a minute on a loaded one.
START_TIMEOUT_S = 300


class LLMServerError(RuntimeError):
    """The test LLM server could not be started (the message says why and what to install)."""


@dataclass(frozen=True)
class LLMServer:
    """A running server: `base_url` ends in /v1 (as the openai client wants it); `model` is its one model."""

    base_url: str
    model: str
    log: Path


@contextlib.contextmanager
def tiny_llm_server(directory: Path) -> Iterator[LLMServer]:
    """Make the tiny model under `directory`, serve it, yield the server; stop it after."""
    if not INTEGRATIONS_PYTHON.exists():
        raise LLMServerError(
            f"{INTEGRATIONS_PYTHON} is missing: run scripts/setup-integrations.sh (torch, transformers)"
        )
    directory.mkdir(parents=True, exist_ok=True)
    model_dir = directory / "tiny-chat-model"
    port = free_port()
    log = directory / "server.log"
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [str(INTEGRATIONS_PYTHON), str(SERVE_SCRIPT), str(model_dir), str(port)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_loaded(process, base, log)
        yield LLMServer(base_url=base + "/v1", model=str(model_dir), log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_loaded(process: subprocess.Popen, base: str, log: Path) -> None:
    # /v1/models lists the forced model once it is loaded; /health answers before that.
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LLMServerError(
                "the test LLM server exited early (does .venv-integrations have fastapi and uvicorn? see "
                f"kernel-bridge/requirements-integrations.txt):\n{log.read_text(errors='replace')[-4000:]}"
            )
        try:
            with urllib.request.urlopen(base + "/v1/models", timeout=5) as response:
                if json.load(response).get("data"):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
            pass
        time.sleep(0.5)
    raise LLMServerError(f"the test LLM server did not answer within {START_TIMEOUT_S} s; log: {log}")


def _serve() -> None:
    """`python llm_server.py DIR`: start the server under DIR, print {"base_url", "model"} as one JSON line,
    and stop it when stdin closes."""
    with tiny_llm_server(Path(sys.argv[1])) as server:
        print(json.dumps({"base_url": server.base_url, "model": server.model}), flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    _serve()
