"""init(resume=...): whether to continue a stored run, and where its history stopped.

wandb's rules, keyed on the run id: "allow" continues the run if it exists and starts it otherwise, "must"
requires it to exist, "never" requires it not to, "auto" (or True) is "allow" when an id is given and, without
one, continues the project's last run started with resume="auto" unless that run finished cleanly.
A resumed run appends to its own framed logs and continues its step counter after the last stored step. A torn
tail (the process was killed in the middle of a write) is reported with a TornTailWarning and cut off by the
writer; it is never merged into the history.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..base.atomic_file import write_atomic
from ..base.errors import SpyglassError
from ..base.user_warnings import user_stacklevel
from ..store.arrow_codec import decode_payload
from ..store.framed_log import FILE_HEADER_SIZE, FRAME_HEADER_SIZE, iter_frames
from ..store.run_state import RUNNING, effective_state
from ..store.run_store import LOG_FILE, SYSTEM_LOG_FILE, RunDirectory

RESUME_MODES = ("allow", "must", "never", "auto")
AUTO_RESUME_FILE = ".auto-resume.json"  # per project; a dot entry, so readers of the store skip it


class ResumeError(SpyglassError, ValueError):
    """init(resume=...) cannot do what was asked: the run is missing, exists, or is still running."""


class TornTailWarning(UserWarning):
    """A resumed run's log ended in an interrupted write; those bytes were skipped (cut off)."""


@dataclass(frozen=True)
class ResumePoint:
    """What a resumed run continues from: its run.json, the next step and the runtime it had reached."""

    meta: dict[str, Any]
    start_step: int
    runtime: float


def resume_mode(resume: object) -> str | None:
    """None for a new run; one of RESUME_MODES otherwise (True is "auto", as in wandb)."""
    if resume is None or resume is False:
        return None
    if resume is True:
        return "auto"
    if resume in RESUME_MODES:
        return resume  # type: ignore[return-value]
    raise ValueError(
        f"spyglass.init(): resume must be one of {', '.join(RESUME_MODES)}, True, False or None; "
        f"got {resume!r}"
    )


def plan_resume(
    project_dir: Path, run_id: str | None, mode: str | None
) -> tuple[str | None, ResumePoint | None]:
    """Return (run id to use or None for a new random one, the point to resume from or None)."""
    if mode == "auto" and run_id is None:
        run_id = _auto_candidate(project_dir)
        if run_id is None:
            return None, None
    if run_id is None:
        if mode == "must":
            raise ResumeError('spyglass.init(resume="must") needs the id of the run to resume: pass id=...')
        return None, None
    directory = RunDirectory(project_dir / run_id)
    exists = directory.metadata_path.is_file()
    where = f"run '{run_id}' in project '{project_dir.name}' ({directory.path})"
    if not exists:
        if mode == "must":
            raise ResumeError(
                f'spyglass.init(resume="must"): there is no {where} to resume; check the id and the store '
                '(dir= or SPYGLASS_DIR), or use resume="allow" to start it when it is missing.'
            )
        return run_id, None
    if mode in (None, "never"):
        hint = 'resume="allow" or "must" to continue it' if mode is None else "another id"
        raise ResumeError(f"{where} already exists; pass {hint}, or choose another run id.")
    meta = directory.read_metadata()
    if effective_state(meta) == RUNNING:
        raise ResumeError(
            f"{where} is still running (pid {meta.get('pid')} on {meta.get('host')}, heartbeat fresh); "
            "finish it, or wait until it stops, before resuming it."
        )
    return run_id, _resume_point(directory, meta)


def remember_auto_run(project_dir: Path, run_id: str) -> None:
    """Note the run started with resume="auto", for the next init(resume="auto") without an id."""
    try:
        write_atomic(project_dir / AUTO_RESUME_FILE, json.dumps({"run_id": run_id}).encode())
    except OSError as error:
        warnings.warn(f"spyglass: could not note run '{run_id}' for resume='auto': {error}", stacklevel=3)


def _auto_candidate(project_dir: Path) -> str | None:
    try:
        run_id = json.loads((project_dir / AUTO_RESUME_FILE).read_text())["run_id"]
        meta = RunDirectory(project_dir / run_id).read_metadata()
    except (OSError, ValueError, KeyError, TypeError, SpyglassError):
        return None
    return run_id if effective_state(meta) not in ("finished", RUNNING) else None


def _resume_point(directory: RunDirectory, meta: dict[str, Any]) -> ResumePoint:
    label = f"run '{directory.path.name}' ({directory.path.parent.name}/{directory.path.name})"
    last = _last_frame_and_report_tail(directory.path / LOG_FILE, label)
    _last_frame_and_report_tail(directory.path / SYSTEM_LOG_FILE, label)
    start_step, runtime = 0, 0.0
    if last is not None:
        batch = decode_payload(last)
        steps = [step for step in batch.column("_step").to_pylist() if step is not None]
        start_step = max(steps) + 1 if steps else 0
        if "_runtime" in batch.schema.names:
            runtimes = [value for value in batch.column("_runtime").to_pylist() if value is not None]
            runtime = max(runtimes) if runtimes else 0.0
    else:
        last_step = meta.get("last_step")
        if isinstance(last_step, int) and not isinstance(last_step, bool) and last_step >= 0:
            start_step = last_step + 1
    return ResumePoint(meta, start_step, runtime if math.isfinite(runtime) else 0.0)


def _last_frame_and_report_tail(path: Path, label: str) -> bytes | None:
    """The payload of the log's last valid frame (None if it has none); warn about a torn tail."""
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        return None
    last = None
    for frame in iter_frames(path):  # CorruptLogError in the middle propagates: never append after it
        last = frame
    if last is not None:
        valid_end = last.offset + FRAME_HEADER_SIZE + len(last.payload)
    else:
        valid_end = FILE_HEADER_SIZE if size >= FILE_HEADER_SIZE else 0
    if size > valid_end:
        warnings.warn(
            f"resuming {label}: {path.name} ends with {size - valid_end} bytes of an interrupted write "
            f"(the process was killed while writing); they are skipped and cut off, every complete row "
            "before them is kept.",
            TornTailWarning,
            stacklevel=user_stacklevel(),
        )
    return None if last is None else last.payload
