"""A sweep kept in a bucket: the same files as a local sweep directory, as objects, coordinated only by
conditional writes, so agents on different machines share it with nothing but the bucket.

    <project>/.sweeps/<id>/sweep.json           created with If-None-Match (an id is taken once)
    <project>/.sweeps/<id>/claims/<i>-<a>       created with If-None-Match: exactly one agent wins each name
    <project>/.sweeps/<id>/stop/<i>.json        created with If-None-Match: the first stop request stands
    control.json, trials/, hyperband/, agents/  put by their one writer (controller, claim holder, agent)

A trial's `run_dir` is the path of its run under *this* machine's local root (the record holds the writer's,
which means nothing here). Claims and ended trials never change, so each is read once per store object. The
stop-request look inside a trial's log() never waits on the network: a thread polls once a second; a hyperband
milestone is judged by a worker thread (band_judge.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..base.errors import BucketError, InvalidNameError, ObjectMissing
from ..store.bucket_mirror import mirror_for
from ..store.remote_root import remote_url_of
from ..store.run_state import process_alive
from ..store.run_store import validate_name
from .band_judge import BandJudge
from .errors import SweepNotFoundError
from .store import (
    AGENTS_DIR,
    CLAIMS_DIR,
    CONTROL_FILE,
    HYPERBAND_DIR,
    LIVE_TRIAL_STATES,
    STOP_DIR,
    SWEEP_FILE,
    TRIALS_DIR,
    SweepStore,
    bucket_store_class,
    latest_attempts,
    values_at_band,
    write_json,
)

if TYPE_CHECKING:
    from ..store.bucket import Bucket

STOP_POLL_INTERVAL = 1.0
# A stop watch nobody looked at for this long belongs to a trial that ended: its thread stops.
STOP_WATCH_IDLE = 30.0


class BucketSweepStore(SweepStore):
    """SweepStore over `bucket`: keys mirror the local layout under the sweep's path relative to the root."""

    def __init__(self, path: str | os.PathLike[str], bucket: Bucket) -> None:
        super().__init__(path)
        self.bucket = bucket
        self.key = self.path.relative_to(self.root).as_posix()
        # A name from a request or a command line never becomes a key with '..' or a hidden project.
        project, _, sweep_id = self.key.split("/")
        self._named_safely = _safe_name(project) and _safe_name(sweep_id)
        self._claims: dict[str, dict[str, Any]] = {}
        self._meta: dict[str, Any] | None = None
        self._judge: BandJudge | None = None

    @classmethod
    def create_in(cls, bucket: Bucket, path: Path, meta: dict[str, Any]) -> BucketSweepStore:
        """Create the sweep in the bucket; FileExistsError when another sweep has this id."""
        store = cls(path, bucket)
        if bucket.create(store._key(SWEEP_FILE), _encode(meta)) is None:
            raise FileExistsError(f"sweep {path.name} already exists in {bucket.url}")
        store.set_control_state("running")
        store._mirror_meta(meta)
        return store

    def _mirror_meta(self, meta: dict[str, Any]) -> None:
        # The local directory holds script arguments, and a copy of sweep.json (it never changes) by which the
        # server and pickers on this machine recognise a sweep directory.
        local = self.path / SWEEP_FILE
        if not local.is_file():
            self.path.mkdir(parents=True, exist_ok=True)
            write_json(local, meta)

    def exists(self) -> bool:
        return self._named_safely and self.bucket.head(self._key(SWEEP_FILE)) is not None

    def meta(self) -> dict[str, Any]:
        if self._meta is None:
            meta = self._read(SWEEP_FILE)
            if meta is None:
                raise SweepNotFoundError(
                    f"{self.bucket.url}: the sweep {self.key} has no readable {SWEEP_FILE}"
                )
            self._meta = meta
            self._mirror_meta(meta)
        return self._meta

    def control_state(self) -> str:
        state = (self._read(CONTROL_FILE) or {}).get("state")
        return state if state in ("running", "paused", "stopped") else "running"

    def set_control_state(self, state: str) -> None:
        self._write(CONTROL_FILE, {"state": state, "updated_at": time.time()})

    def claimed(self) -> dict[int, int]:
        return latest_attempts(self._names(CLAIMS_DIR))

    def read_claim(self, index: int, attempt: int) -> dict[str, Any] | None:
        name = f"{CLAIMS_DIR}/{index}-{attempt}"
        if name not in self._claims:
            claim = self._read(name)
            if claim is None:
                return None
            self._claims[name] = claim
        return self._claims[name]

    def try_claim(self, index: int, attempt: int, content: dict[str, Any]) -> bool:
        name = f"{CLAIMS_DIR}/{index}-{attempt}"
        if self.bucket.create(self._key(name), _encode(content)) is None:
            # Refused as existing: ours when the client's own retry of this PUT found its first try landed.
            return self._read(name) == json.loads(_encode(content))
        self._claims[name] = content
        return True

    def trial(self, index: int) -> dict[str, Any] | None:
        record = self._read(f"{TRIALS_DIR}/{index}.json")
        if record is not None and isinstance(record.get("run_id"), str):
            project = self.path.parent.parent.name
            record["run_dir"] = str(self.root / project / record["run_id"])
        return record

    def write_trial(self, record: dict[str, Any], durable: bool = True) -> None:
        self._write(f"{TRIALS_DIR}/{record['index']}.json", record)

    def register_agent(self, name: str, count: int | None) -> None:
        record = {"agent": name, "count": count, "host": socket.gethostname(), "pid": os.getpid()}
        self._write(self._agent_name(name), {**record, "started_at": time.time(), "ended_at": None})

    def end_agent(self, name: str) -> None:
        record = self._read(self._agent_name(name))
        if record is not None:
            self._write(self._agent_name(name), {**record, "ended_at": time.time()})

    def agents(self) -> list[dict[str, Any]]:
        found = []
        for name in sorted(self._names(AGENTS_DIR)):
            record = self._read(f"{AGENTS_DIR}/{name}") if name.endswith(".json") else None
            if record is None:
                continue
            gone = record.get("host") == socket.gethostname() and not process_alive(record.get("pid"))
            found.append({**record, "live": record.get("ended_at") is None and not gone})
        return found

    def stop_request(self, index: int) -> dict[str, Any] | None:
        return self._read(f"{STOP_DIR}/{index}.json")

    def request_stop(self, index: int, reason: str, state: str) -> None:
        request = {"reason": reason, "state": state, "at": time.time()}
        self.bucket.create(self._key(f"{STOP_DIR}/{index}.json"), _encode(request))

    def refresh_runs(self, records: list[dict[str, Any]]) -> None:
        live = [r["run_id"] for r in records if r.get("state") in LIVE_TRIAL_STATES and r.get("run_id")]
        if live:
            url = remote_url_of(self.root)
            project = self.path.parent.parent.name
            with contextlib.suppress(BucketError, InvalidNameError):  # the snapshot shows what is here
                mirror_for(url).sync_runs(project, live, streams=(), parquet=False)

    def watch_stop(self, index: int) -> Callable[[], dict[str, Any] | None]:
        return _StopWatch(self, index).latest

    def judge_band(self, judge: Callable[[], None]) -> None:
        # The hot path never touches the network: the milestone is judged by a worker thread.
        if self._judge is None:
            self._judge = BandJudge(self.key.rsplit("/", 1)[-1])
        self._judge.submit(judge)

    def wait_for_judgements(self, timeout: float | None = None) -> None:
        if self._judge is not None:
            self._judge.wait(timeout)

    def write_band(self, index: int, bands: dict[str, Any]) -> None:
        self._write(f"{HYPERBAND_DIR}/{index}.json", bands)

    def band_values(self, band: int) -> list[float]:
        names = [name for name in self._names(HYPERBAND_DIR) if name.endswith(".json")]
        return values_at_band([self._read(f"{HYPERBAND_DIR}/{name}") for name in names], band)

    # plumbing

    def _key(self, name: str) -> str:
        return f"{self.key}/{name}"

    def _agent_name(self, name: str) -> str:
        return f"{AGENTS_DIR}/{self._agent_path(name).name}"

    def _names(self, directory: str) -> list[str]:
        """The object names directly in `directory` of the sweep."""
        base = self._key(directory) + "/"
        return [info.key[len(base) :] for info in self.bucket.list(base) if "/" not in info.key[len(base) :]]

    def _read(self, name: str) -> dict[str, Any] | None:
        """The JSON object at `name`, or None if missing or unreadable (a reader never fails on one)."""
        try:
            data = json.loads(self.bucket.get(self._key(name)))
        except (ObjectMissing, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _write(self, name: str, data: dict[str, Any]) -> None:
        self.bucket.put(self._key(name), _encode(data))


class _StopWatch:
    """Polls one trial's stop request in a daemon thread; `latest()` returns what it saw, at once."""

    def __init__(self, store: BucketSweepStore, index: int) -> None:
        self._store = store
        self._index = index
        self._found: dict[str, Any] | None = None
        self._looked_at = time.monotonic()
        thread = threading.Thread(target=self._poll, name=f"spyglass-sweep-stop-{index}", daemon=True)
        thread.start()

    def latest(self) -> dict[str, Any] | None:
        self._looked_at = time.monotonic()
        return self._found

    def _poll(self) -> None:
        while self._found is None and time.monotonic() - self._looked_at < STOP_WATCH_IDLE:
            # The bucket down for a moment: the trial goes on, the next poll retries.
            with contextlib.suppress(BucketError):
                self._found = self._store.stop_request(self._index)
            time.sleep(STOP_POLL_INTERVAL)


def _safe_name(name: str) -> bool:
    try:
        validate_name("name", name)
    except InvalidNameError:
        return False
    return True


def _encode(data: dict[str, Any]) -> bytes:
    return json.dumps(data, default=str).encode("utf-8")


bucket_store_class.provide(lambda: BucketSweepStore)
