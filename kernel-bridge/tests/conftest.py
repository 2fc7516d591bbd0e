"""Shared fixtures: every test gets its own store root, and runs left live by a test are finished after it."""

from __future__ import annotations

import pytest
from s3_server import AWS_CHAIN_VARIABLES, S3Server

from spyglass.tracking import session


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A fresh store root (also as SPYGLASS_DIR) for runs created by the test."""
    root = tmp_path / "store"
    monkeypatch.setenv("SPYGLASS_DIR", str(root))
    yield root
    for run in session.live_runs():
        run.finish()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """The real S3 server of the session (SeaweedFS on 127.0.0.1; identities admin, writer, viewer)."""
    server = S3Server(tmp_path_factory.mktemp("s3-server"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_store(s3_server, tmp_path, monkeypatch, request):
    """A fresh bucket; the process is the server's writer (AWS_* variables) with its own local root under
    tmp_path (SPYGLASS_CACHE_DIR); yields the store URL, also set as SPYGLASS_DIR."""
    bucket = s3_server.create_bucket(request.node.name)
    for name, value in s3_server.env("writer").items():
        monkeypatch.setenv(name, value)
    for name in AWS_CHAIN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SPYGLASS_CACHE_DIR", str(tmp_path / "spyglass-cache"))
    url = f"s3://{bucket}/team"
    monkeypatch.setenv("SPYGLASS_DIR", url)
    yield url
    s3_server.start()  # back up if the test stopped it (an outage), for its runs' finish and the next test
    for run in session.live_runs():
        run.finish()
