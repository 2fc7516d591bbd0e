"""Helpers of the writer tests (test_s3_writer*.py, test_s3_faults.py): a stream read back from the bucket,
and "machines": writer processes with their own host name (a UTS namespace) and their own spool, sharing only
the bucket."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import crc32c

from spyglass.store.arrow_codec import decode_payload
from spyglass.store.bucket import Bucket
from spyglass.store.framed_log import read_framed_log
from spyglass.store.segment_check import segment_offset
from spyglass.store.segment_format import segments_prefix

# A writer "machine": init (printing the error as JSON when init refuses), check that the run starts at step
# `first`, log `count` rows, make them durable, say so, then wait for a line on stdin: "finish", or any other
# line to end the script without finish() (the exit handler finishes the run), or none (to be killed).
WRITER_SCRIPT = r"""
import json, sys
import spyglass as sg
url, project, run_id, first, count, resume, interval = sys.argv[1:8]
try:
    run = sg.init(project=project, id=run_id, dir=url, resume=resume or None,
                  settings={"segment_interval": float(interval), "system_metrics": False})
except Exception as error:
    print(json.dumps({"error": type(error).__name__, "message": str(error)}), flush=True)
    sys.exit(3)
if run.step != int(first):
    print(json.dumps({"error": "step", "message": f"starts at {run.step}, not {first}"}), flush=True)
    sys.exit(4)
for _ in range(int(count)):
    run.log({"x": float(run.step)})
run.flush()
print(json.dumps({"ready": run.step, "dir": run.dir}), flush=True)
if sys.stdin.readline().strip() == "finish":
    run.finish()
    print(json.dumps({"finished": True}), flush=True)
"""


def stream_in_bucket(bucket: Bucket, project: str, run_id: str, stream: str = "history") -> bytes:
    """A stream's segments concatenated in key order; asserts each starts where the previous ended and
    matches its crc32c and end metadata (so nothing is missing and nothing is there twice)."""
    data = b""
    for info in bucket.list(segments_prefix(project, run_id, stream)):
        start = segment_offset(info.key)
        assert start == len(data), f"{info.key} starts at {start}, the segments before end at {len(data)}"
        body = bucket.get(info.key)
        metadata = bucket.head(info.key).metadata
        assert metadata["end"] == str(start + len(body)), info.key
        assert metadata["crc32c"] == str(crc32c.crc32c(body)), info.key
        data += body
    return data


def steps_of(log: bytes) -> list[int]:
    """The _step of every row of a framed log's bytes, in order."""
    steps: list[int] = []
    for frame in read_framed_log(log).frames:
        steps += decode_payload(frame.payload).column("_step").to_pylist()
    return steps


def machine_env(server_env: dict[str, str], cache_dir: Path) -> dict[str, str]:
    """A writer machine's environment: the server's identity and a spool (local root) of its own."""
    return {**server_env, "SPYGLASS_CACHE_DIR": str(cache_dir), "SPYGLASS_DISPLAY": "0"}


def start_script(host: str, env: dict[str, str], script: str, *args: object) -> subprocess.Popen:
    """`python -c script args` in a process whose host name is `host` (its own UTS namespace: `unshare
    --uts`); stdin, stdout and stderr are pipes."""
    # Root may make a UTS namespace; anyone else needs a user namespace around it.
    namespaces = ["--uts"] if os.geteuid() == 0 else ["--user", "--map-root-user", "--uts"]
    command = ["unshare", *namespaces, "sh", "-c", 'hostname "$0" && exec "$@"', host, sys.executable, "-c",
               script, *map(str, args)]  # fmt: skip
    return subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def start_machine(host: str, env: dict[str, str], *args: object) -> subprocess.Popen:
    """WRITER_SCRIPT as machine `host`."""
    return start_script(host, env, WRITER_SCRIPT, *args)


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    """Poll `condition` until it is true; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.05)


def read_answer(process: subprocess.Popen, timeout: float = 60.0) -> dict:
    """The next JSON line the machine prints (fails with its stderr when it exits first)."""
    line = process.stdout.readline()
    if not line:
        process.wait(timeout)
        raise AssertionError(f"machine exited with {process.returncode}: {process.stderr.read()}")
    return json.loads(line)


def finish_machine(process: subprocess.Popen) -> None:
    """Tell the machine to finish its run; wait until it did and exited."""
    process.stdin.write("finish\n")
    process.stdin.flush()
    assert read_answer(process) == {"finished": True}
    process.wait(30)
    assert process.returncode == 0, process.stderr.read()


def files_under(root: Path) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()]


def assert_no_secret(secrets: list[str], texts: list[str], paths: list[Path]) -> None:
    """No key or secret of the server in any of `texts` or in any file of `paths`."""
    for secret in secrets:
        for text in texts:
            assert secret not in text, "a credential appears in a message"
        for path in paths:
            assert secret.encode() not in path.read_bytes(), f"a credential appears in {path}"


def sync(url: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`spyglass sync --dir url` as its own process."""
    return subprocess.run(
        [sys.executable, "-m", "spyglass.cli", "sync", "--dir", url],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
