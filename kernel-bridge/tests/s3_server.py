"""A real S3-compatible server on 127.0.0.1 for the team-store tests: SeaweedFS's `weed mini`, a subprocess.

scripts/setup-s3.sh builds the pinned `weed` binary and links it as .venv/bin/weed (docs/team.md, "The test
server"). The server has three identities, each with fresh random keys, so a test can assert that no key
reaches a store file, a log or an error message:
  admin   creates and deletes buckets (the fixtures' own; never handed to Spyglass),
  writer  reads, lists, writes and deletes objects (what a training machine has),
  viewer  reads and lists only (a teammate who only looks).

Import it as `from s3_server import S3Server` (tests/ is on sys.path through tests/conftest.py). Run as a
script, `python kernel-bridge/tests/s3_server.py [workdir] [bucket hints...]`, it starts a server, prints one
JSON line (endpoint, data dir, buckets, each identity's environment) and serves until its stdin closes:
e2e/support/s3-server.mjs starts it that way.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT_S = 60
STOP_TIMEOUT_S = 15
REGION = "us-east-1"
IDENTITIES = {
    "admin": ["Admin", "Read", "List", "Tagging", "Write"],
    "writer": ["Read", "List", "Tagging", "Write"],
    "viewer": ["Read", "List"],
}
# Variables of the AWS chain that would let a developer's own setup leak into a test (a profile, a session
# token, an S3-only endpoint override, a role); process_env() and the s3_store fixture remove them.
AWS_CHAIN_VARIABLES = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ENDPOINT_URL_S3",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)
_bucket_numbers = itertools.count(1)


class S3ServerError(RuntimeError):
    """The test S3 server could not be found or started."""


@dataclass(frozen=True)
class Identity:
    name: str
    access_key: str
    secret_key: str


def weed_binary() -> Path:
    """The pinned `weed`: $SPYGLASS_WEED, else .venv/bin/weed (setup-s3.sh's link), else one on PATH."""
    candidates = [os.environ.get("SPYGLASS_WEED"), Path(sys.executable).parent / "weed", shutil.which("weed")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    raise S3ServerError("no SeaweedFS `weed` binary: run scripts/setup-s3.sh (scripts/setup.sh runs it)")


def free_ports(count: int) -> list[int]:
    """`count` distinct ports free on 127.0.0.1 now (held open together so the kernel gives distinct ones)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


class S3Server:
    """One `weed mini` on 127.0.0.1 with its own data dir and ports; stop() and start() again keep both."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = Path(workdir)
        self.data_dir = self.workdir / "data"
        self.log_path = self.workdir / "weed.log"
        self.identities = {
            name: Identity(name, "SG" + secrets.token_hex(9).upper(), secrets.token_urlsafe(30))
            for name in IDENTITIES
        }
        # master, volume, filer, s3 and the gRPC port of each
        self._ports = free_ports(8)
        self._process: subprocess.Popen | None = None
        self._clients: dict[str, object] = {}
        self._log = None

    @property
    def port(self) -> int:
        return self._ports[3]

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def secrets(self) -> list[str]:
        """Every access key and secret key of the server, for tests that assert none leaked."""
        return [
            value
            for identity in self.identities.values()
            for value in (identity.access_key, identity.secret_key)
        ]

    def env(self, identity: str = "writer") -> dict[str, str]:
        """The AWS variables a process needs to reach this server as `identity` (merge over os.environ)."""
        who = self.identities[identity]
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": who.access_key,
            "AWS_SECRET_ACCESS_KEY": who.secret_key,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            # No ~/.aws files and no instance-metadata probe: only these variables decide who the process is.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def process_env(self, identity: str = "writer", base: dict[str, str] | None = None) -> dict[str, str]:
        """A whole environment for a subprocess: `base` (default os.environ) without the AWS chain's other
        variables, plus env(identity)."""
        merged = {
            k: v for k, v in (os.environ if base is None else base).items() if k not in AWS_CHAIN_VARIABLES
        }
        merged.update(self.env(identity))
        return merged

    def client(self, identity: str = "admin"):
        """A boto3 client of `identity` (one per identity: clients are thread-safe and slow to build)."""
        if identity not in self._clients:
            self._clients[identity] = self._new_client(identity)
        return self._clients[identity]

    def _new_client(self, identity: str):
        import boto3
        from botocore.config import Config

        who = self.identities[identity]
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=who.access_key,
            aws_secret_access_key=who.secret_key,
            region_name=REGION,
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2, "mode": "standard"}),
        )

    def create_bucket(self, hint: str = "test") -> str:
        """A new empty bucket named after `hint` (made a valid, unique bucket name); returns its name."""
        slug = re.sub(r"[^a-z0-9-]+", "-", hint.lower()).strip("-")[:40] or "test"
        name = f"sg{os.getpid()}-{next(_bucket_numbers)}-{slug}".rstrip("-")
        self.client("admin").create_bucket(Bucket=name)
        return name

    def start(self) -> None:
        if self.running:
            return
        binary = weed_binary()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "s3-identities.json"
        config.write_text(json.dumps(self._identities_config()))
        config.chmod(0o600)
        master, volume, filer, s3, *grpc = self._ports
        command = [
            str(binary),
            "mini",
            f"-dir={self.data_dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={master}",
            f"-master.port.grpc={grpc[0]}",
            f"-volume.port={volume}",
            f"-volume.port.grpc={grpc[1]}",
            f"-filer.port={filer}",
            f"-filer.port.grpc={grpc[2]}",
            f"-s3.port={s3}",
            f"-s3.port.grpc={grpc[3]}",
            f"-s3.config={config}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-webdav=false",
            "-admin.ui=false",
            "-master.telemetry=false",
            # Small volumes: each bucket is a collection with volumes of its own, and tests make many buckets.
            "-master.volumeSizeLimitMB=64",
        ]
        self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            command,
            cwd=self.workdir,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "WEED_"))},
            start_new_session=True,  # a Ctrl-C in the test run reaches the server only through stop()
        )
        self._wait_until_ready()

    def stop(self) -> None:
        """Stop the server (as an outage would); start() brings it back with the same data and ports."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def _identities_config(self) -> dict:
        return {
            "identities": [
                {
                    "name": who.name,
                    "credentials": [{"accessKey": who.access_key, "secretKey": who.secret_key}],
                    "actions": IDENTITIES[who.name],
                }
                for who in self.identities.values()
            ]
        }

    def _wait_until_ready(self) -> None:
        """Until the admin can list buckets: the S3 port opens before the filer behind it is ready."""
        from botocore.exceptions import BotoCoreError, ClientError

        client = self.client("admin")
        deadline = time.monotonic() + START_TIMEOUT_S
        last_error = "no answer"
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise S3ServerError(f"weed mini exited with {self._process.returncode}:\n{self._log_tail()}")
            try:
                client.list_buckets()
                return
            except (BotoCoreError, ClientError) as error:
                last_error = f"{type(error).__name__}: {error}"
                time.sleep(0.2)
        self.stop()
        raise S3ServerError(
            f"weed mini did not serve S3 within {START_TIMEOUT_S} s ({last_error}):\n{self._log_tail()}"
        )

    def _log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _serve() -> None:
    """Script mode for the e2e suite: start, print endpoint and identities as JSON, stop when stdin closes."""
    workdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="spyglass-s3-"))
    server = S3Server(workdir)
    server.start()
    try:
        buckets = [server.create_bucket(hint) for hint in sys.argv[2:]]
        answer = {
            "endpoint": server.endpoint,
            "dataDir": str(server.data_dir),
            "buckets": buckets,
            "env": {name: server.env(name) for name in IDENTITIES},
        }
        print(json.dumps(answer), flush=True)
        sys.stdin.read()
    finally:
        server.stop()


if __name__ == "__main__":
    _serve()
