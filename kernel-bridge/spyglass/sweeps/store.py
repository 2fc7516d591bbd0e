"""A sweep's directory in the store, its only shared state: several processes and machines use it at once.

    <root>/<project>/.sweeps/<sweep_id>/
      sweep.json              the validated config, seed and creation time (written once)
      control.json            {"state": "running"|"paused"|"stopped"} (pause/resume/stop)
      claims/<index>-<attempt> one file per claim, made with os.link: exactly one agent wins each name
      trials/<index>.json     the trial's record, written only by the agent holding its latest claim
      hyperband/<index>.json  the metric values the trial had at each hyperband milestone
      stop/<index>.json       a request to stop one trial (the panel's "stop trial", or hyperband's cut)
      agents/<agent>.json     an agent's `count` and whether it ended (the sweep's planned total)

A claim is a hard link of a fully written temporary file, so it appears atomically with its content and the
creation fails if the name exists (link(2) is atomic on local filesystems and on NFS, unlike O_EXCL on old
NFS).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..base.atomic_file import fsync_directory, write_atomic
from ..base.hooks import Hook
from ..store.remote_root import bucket_of, store_location
from ..store.run_state import process_alive
from .errors import SweepNotFoundError

SWEEP_FILE = "sweep.json"
CONTROL_FILE = "control.json"
CLAIMS_DIR = "claims"
TRIALS_DIR = "trials"
HYPERBAND_DIR = "hyperband"
STOP_DIR = "stop"
AGENTS_DIR = "agents"
SWEEPS_DIR = ".sweeps"
LIVE_TRIAL_STATES = frozenset(("claimed", "running"))
ENDED_TRIAL_STATES = frozenset(("finished", "failed", "stopped_early", "stopped"))
# A live trial whose agent wrote no heartbeat for this long is taken over (agents write every 5 s).
STALE_AFTER = float(os.environ.get("SPYGLASS_SWEEP_STALE_AFTER", "30"))
HEARTBEAT_INTERVAL = 5.0
# A trial whose agent died this many times is marked failed instead of being retried again.
MAX_ATTEMPTS = 2


@dataclass(frozen=True)
class Claim:
    """One agent's hold on one trial: which index, which attempt, and the configuration to run."""

    index: int
    attempt: int
    params: dict[str, Any]
    latent: dict[str, Any]
    agent: str


def _no_bucket_store() -> Any:
    raise SweepNotFoundError(
        "a sweep in a bucket store needs spyglass.sweeps imported (it provides the backend)"
    )


# The bucket-backed SweepStore (bucket_sweep_store.py builds on this module, so it provides itself here).
bucket_store_class: Hook[[], Any] = Hook(_no_bucket_store)


def agent_name() -> str:
    """host:pid:random, unique per agent and readable in the trials table."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(2)}"


def read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object in `path`, or None if missing or unreadable (a reader never fails on one file)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_json(path: Path, data: dict[str, Any], durable: bool = True) -> None:
    """Replace `path` atomically; durable=False skips the fsyncs (heartbeats: a lost one costs nothing)."""
    payload = json.dumps(data, default=str).encode("utf-8")
    if durable:
        write_atomic(path, payload)
        return
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    temp.write_bytes(payload)
    os.replace(temp, path)


class SweepStore:
    """Files of one sweep directory (see the module docstring)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.claims = self.path / CLAIMS_DIR
        self.trials = self.path / TRIALS_DIR
        self.hyperband = self.path / HYPERBAND_DIR
        self.stops = self.path / STOP_DIR
        self.agents_dir = self.path / AGENTS_DIR
        # Records of ended trials never change again: read each once per store object.
        self._ended: dict[int, dict[str, Any]] = {}

    @property
    def root(self) -> Path:
        """The store root: <root>/<project>/.sweeps/<id>."""
        return self.path.parent.parent.parent

    @property
    def store_dir(self) -> str:
        """What a trial's init(dir=...) gets: the local root, or the s3:// URL of a bucket store."""
        return store_location(self.root)

    @classmethod
    def create(cls, path: Path, meta: dict[str, Any]) -> SweepStore:
        """Create the sweep directory; FileExistsError when the id is taken."""
        bucket = bucket_of(path.parent.parent.parent)
        if bucket is not None:
            return bucket_store_class().create_in(bucket, path, meta)
        path.mkdir(parents=True, exist_ok=False)
        store = cls(path)
        for directory in (store.claims, store.trials, store.hyperband, store.stops):
            directory.mkdir()
        write_json(path / CONTROL_FILE, {"state": "running", "updated_at": time.time()})
        write_json(path / SWEEP_FILE, meta)
        return store

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> SweepStore:
        """The sweep at `path` (in the bucket when its store root is a bucket's local root)."""
        store = cls.at(path)
        if not store.exists():
            raise SweepNotFoundError(f"{store.path} is not a sweep directory (it has no {SWEEP_FILE})")
        return store

    @classmethod
    def at(cls, path: str | os.PathLike[str]) -> SweepStore:
        """The store object for `path`, whether or not a sweep is there yet."""
        bucket = bucket_of(Path(path).parent.parent.parent)
        if bucket is not None:
            return bucket_store_class()(path, bucket)
        return cls(path)

    def exists(self) -> bool:
        return (self.path / SWEEP_FILE).is_file()

    def meta(self) -> dict[str, Any]:
        meta = read_json(self.path / SWEEP_FILE)
        if meta is None:
            raise SweepNotFoundError(f"{self.path / SWEEP_FILE} is missing or unreadable")
        return meta

    def control_state(self) -> str:
        control = read_json(self.path / CONTROL_FILE) or {}
        state = control.get("state")
        return state if state in ("running", "paused", "stopped") else "running"

    def set_control_state(self, state: str) -> None:
        write_json(self.path / CONTROL_FILE, {"state": state, "updated_at": time.time()})

    def claimed(self) -> dict[int, int]:
        """index -> latest attempt, for every claimed index."""
        try:
            return latest_attempts(os.listdir(self.claims))
        except FileNotFoundError:
            return {}

    def read_claim(self, index: int, attempt: int) -> dict[str, Any] | None:
        return read_json(self.claims / f"{index}-{attempt}")

    def try_claim(self, index: int, attempt: int, content: dict[str, Any]) -> bool:
        """Create claims/<index>-<attempt> holding `content`; False if another agent made it first."""
        temp = self.claims / f".{index}-{attempt}.{secrets.token_hex(6)}.tmp"
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump(content, handle, default=str)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, self.claims / f"{index}-{attempt}")
        except FileExistsError:
            return False
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        fsync_directory(self.claims)
        return True

    def trial(self, index: int) -> dict[str, Any] | None:
        return read_json(self.trials / f"{index}.json")

    def write_trial(self, record: dict[str, Any], durable: bool = True) -> None:
        write_json(self.trials / f"{record['index']}.json", record, durable)

    def all_trials(self) -> list[dict[str, Any]]:
        """Every claimed trial's record, by index; a claim without a record yet reads as state 'claimed'."""
        records = []
        for index, attempt in sorted(self.claimed().items()):
            ended = self._ended.get(index)
            if ended is not None and ended.get("attempt", 0) == attempt:
                records.append(ended)
                continue
            record = self.trial(index)
            if record is None or record.get("attempt", 0) < attempt:
                claim = self.read_claim(index, attempt) or {}
                record = pending_record(index, attempt, claim)
            elif record.get("state") in ENDED_TRIAL_STATES:
                self._ended[index] = record
            records.append(record)
        return records

    def register_agent(self, name: str, count: int | None) -> None:
        """Record that agent `name` runs at most `count` trials (None: no cap of its own)."""
        self.agents_dir.mkdir(exist_ok=True)  # sweeps made before agents were recorded have no such directory
        record = {"agent": name, "count": count, "host": socket.gethostname(), "pid": os.getpid()}
        write_json(self._agent_path(name), {**record, "started_at": time.time(), "ended_at": None})

    def end_agent(self, name: str) -> None:
        """Record that agent `name` returned: it starts no more trials."""
        record = read_json(self._agent_path(name))
        if record is not None:
            write_json(self._agent_path(name), {**record, "ended_at": time.time()})

    def agents(self) -> list[dict[str, Any]]:
        """Every recorded agent, each with `live`: not ended, and its process not known to be gone."""
        try:
            names = sorted(os.listdir(self.agents_dir))
        except FileNotFoundError:
            return []
        found = []
        for name in names:
            record = read_json(self.agents_dir / name) if name.endswith(".json") else None
            if record is None:
                continue
            gone = record.get("host") == socket.gethostname() and not process_alive(record.get("pid"))
            found.append({**record, "live": record.get("ended_at") is None and not gone})
        return found

    def _agent_path(self, name: str) -> Path:
        # Agent names are host:pid:hex; ':' is not allowed in Windows file names.
        return self.agents_dir / f"{name.replace(':', '_').replace('/', '_')}.json"

    def stop_request(self, index: int) -> dict[str, Any] | None:
        return read_json(self.stops / f"{index}.json")

    def refresh_runs(self, records: list[dict[str, Any]]) -> None:
        """Bring the runs of live trials up to date under this machine's root (nothing to do for a local
        store: every run is here)."""

    def watch_stop(self, index: int) -> Callable[[], dict[str, Any] | None]:
        """A cheap look at trial `index`'s stop request, for its log() hook (a file read here)."""
        return lambda: self.stop_request(index)

    def judge_band(self, judge: Callable[[], None]) -> None:
        """Run a trial's hyperband milestone judgement (write_band, band_values, maybe request_stop): here at
        once, from log() (local files); a bucket store runs it off the logging thread (band_judge.py)."""
        judge()

    def wait_for_judgements(self, timeout: float | None = None) -> None:
        """Until the milestones handed to judge_band are judged (nothing waits here: they were at once)."""

    def write_band(self, index: int, bands: dict[str, Any]) -> None:
        """Record the metric values trial `index` had at the hyperband milestones it reached."""
        write_json(self.hyperband / f"{index}.json", bands)

    def band_values(self, band: int) -> list[float]:
        """Every trial's value at `band`, from hyperband/<index>.json files."""
        try:
            names = os.listdir(self.hyperband)
        except FileNotFoundError:
            return []
        found = [read_json(self.hyperband / name) for name in names if _is_record(name)]
        return values_at_band(found, band)

    def request_stop(self, index: int, reason: str, state: str) -> None:
        """Ask trial `index` to stop; it becomes `state` (stopped_early: hyperband; stopped: by hand)."""
        path = self.stops / f"{index}.json"
        if not path.exists():
            write_json(path, {"reason": reason, "state": state, "at": time.time()})


def latest_attempts(claim_names: list[str]) -> dict[int, int]:
    """index -> latest attempt, from claim names `<index>-<attempt>` (other names are ignored)."""
    latest: dict[int, int] = {}
    for name in claim_names:
        index, _, attempt = name.partition("-")
        if index.isdigit() and attempt.isdigit():
            i, a = int(index), int(attempt)
            if a >= latest.get(i, -1):
                latest[i] = a
    return latest


def _is_record(name: str) -> bool:
    return not name.startswith(".") and name.endswith(".json")


def values_at_band(records: list[dict[str, Any] | None], band: int) -> list[float]:
    """The numeric values at `band` in hyperband records (unreadable records and missing bands left out)."""
    values = []
    for data in records:
        value = ((data or {}).get("bands") or {}).get(str(band))
        if isinstance(value, (int, float)):
            values.append(float(value))
    return values


def pending_record(index: int, attempt: int, claim: dict[str, Any]) -> dict[str, Any]:
    """The record of a trial whose agent has claimed it but not written its record yet."""
    return {
        "index": index,
        "attempt": attempt,
        "state": "claimed",
        "params": claim.get("params") or {},
        "latent": claim.get("latent") or {},
        "run_id": None,
        "run_dir": None,
        "metric": None,
        "stopped_reason": None,
        "error": None,
        "agent": claim.get("agent"),
        "host": claim.get("host"),
        "pid": claim.get("pid"),
        "started_at": None,
        "ended_at": None,
        "heartbeat_at": claim.get("claimed_at"),
    }


def is_stale(record: dict[str, Any], now: float | None = None) -> bool:
    """True for a live trial whose agent is gone: no heartbeat for STALE_AFTER s, or its process died here."""
    if record.get("state") not in LIVE_TRIAL_STATES:
        return False
    now = time.time() if now is None else now
    beat = record.get("heartbeat_at")
    if not isinstance(beat, (int, float)) or now - beat > STALE_AFTER:
        return True
    return record.get("host") == socket.gethostname() and not process_alive(record.get("pid"))
