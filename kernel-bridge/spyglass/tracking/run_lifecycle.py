"""The Run's lifecycle side (a mixin of tracked_run.Run): settable metadata, preempting, heartbeat, resume.

run.name, .tags, .notes, .group and .job_type are settable as in wandb; a change (and any config change)
marks run.json dirty and the flusher thread writes it at its next tick (run_metadata.MetadataSync), together
with the heartbeat (heartbeat_at, last_step, summary) every settings.heartbeat_interval. mark_preempting()
writes at once: the process is about to be stopped.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterable
from typing import Any

from ..base.errors import RunFinishedError
from ..base.text_checks import check_name, describe, is_storable, replaced_text
from ..base.user_warnings import user_stacklevel
from ..transport.comm_transport import CommTransport, get_transport
from .environment import capture
from .run_metadata import MetadataSync
from .run_resume import ResumePoint
from .settings import Settings

LIVE_STATES = ("running", "preempting")
PREEMPTING = "preempting"
# The flusher calls the heartbeat at least this often (the heartbeat then decides whether a write is due).
TICK_SECONDS = 1.0


class RunLifecycle:
    """Mixin for tracked_run.Run. Expects id, project, _store, _state, _history, _flusher, _write_metadata."""

    id: str
    project: str
    _state: str
    # Sweeps (docs/sweeps.md): True once a trial was told to stop (hyperband or by hand), else never.
    should_stop: bool = False
    sweep_id: str | None = None
    _sweep: dict[str, Any] | None = None

    def _init_lifecycle(
        self,
        *,
        settings: Settings | None,
        name: str,
        group: str | None,
        job_type: str | None,
        tags: Iterable[str] | None,
        notes: str | None,
        resume: ResumePoint | None,
    ) -> None:
        """Set the metadata fields (a resumed run keeps its stored ones unless new ones are given)."""
        previous = resume.meta if resume is not None else {}
        self.settings = settings if settings is not None else Settings()
        self._metadata_sync: MetadataSync | None = None
        self._name = _run_name(name) if name else str(previous.get("name") or self.id)
        self._group = _optional_text("group", group if group is not None else previous.get("group"))
        self._job_type = _optional_text(
            "job_type", job_type if job_type is not None else previous.get("job_type")
        )
        self._tags = _tags(tags if tags is not None else previous.get("tags") or ())
        self._notes = _optional_text("notes", notes if notes is not None else previous.get("notes"))
        self._resumed_at: list[float] = list(previous.get("resumed_at") or []) if resume is not None else []
        if resume is not None:
            self._resumed_at.append(time.time())
        self._environment: dict[str, Any] | None = None

    def _capture_environment(self) -> None:
        try:
            self._environment = capture(self.settings, run_dir=self._store)  # type: ignore[attr-defined]
        except Exception as error:  # capture() is best effort already; init must never fail here
            warnings.warn(f"run '{self.id}': no environment captured ({error})", stacklevel=user_stacklevel())

    def _choose_transport(self) -> CommTransport:
        # offline: the store only, no comm, even inside a kernel.
        return get_transport() if self.settings.mode == "online" else CommTransport(None)

    def _heartbeat(self) -> MetadataSync:
        """The run.json writer the flusher's tick drives (coalesced changes, the heartbeat)."""
        return MetadataSync(
            self._write_metadata,  # type: ignore[attr-defined]
            heartbeat_interval=self.settings.heartbeat_interval,
            on_change_written=lambda: self._transport.run_updated(self.id),  # type: ignore[attr-defined]
            run_label=f"'{self.id}'",
        )

    def _tick_interval(self) -> float:
        """How often the flusher's thread calls the run's tick: TICK_SECONDS, or the heartbeat if shorter."""
        return min(TICK_SECONDS, self.settings.heartbeat_interval)

    def _restore_summary(self, resume: ResumePoint | None) -> None:
        # A resumed run starts from its stored summary, when the Summary can take it (Summary.restore).
        restore = getattr(getattr(self, "summary", None), "restore", None)
        if resume is not None and callable(restore):
            restore(resume.meta.get("summary") or {})

    def _write_pending_metadata(self) -> None:
        if self._metadata_sync is not None and self._metadata_sync.dirty:
            self._metadata_sync.write_now()

    def _metadata_changed(self) -> None:
        """Called on every change of config or metadata: refuse after finish, else write at the next tick."""
        if getattr(self, "_state", "running") not in LIVE_STATES:
            raise RunFinishedError(
                f"run '{self.id}' is finished; its config and metadata can no longer change. "
                "Start a new run with spyglass.init(), or resume this one with init(id=..., resume='allow')."
            )
        if self._metadata_sync is not None:
            self._metadata_sync.mark_dirty()

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        name = _run_name(value)
        self._metadata_changed()
        self._name = name

    @property
    def group(self) -> str | None:
        return self._group

    @group.setter
    def group(self, value: str | None) -> None:
        self._metadata_changed()
        self._group = _optional_text("group", value)

    @property
    def job_type(self) -> str | None:
        return self._job_type

    @job_type.setter
    def job_type(self, value: str | None) -> None:
        self._metadata_changed()
        self._job_type = _optional_text("job_type", value)

    @property
    def tags(self) -> tuple[str, ...]:
        return self._tags

    @tags.setter
    def tags(self, value: Iterable[str]) -> None:
        tags = _tags(value)
        self._metadata_changed()
        self._tags = tags

    @property
    def notes(self) -> str | None:
        return self._notes

    @notes.setter
    def notes(self, value: str | None) -> None:
        self._metadata_changed()
        self._notes = _optional_text("notes", value)

    @property
    def resumed(self) -> bool:
        """True when init(resume=...) continued an existing run."""
        return bool(self._resumed_at)

    def mark_preempting(self) -> None:
        """Mark the run "preempting" in run.json now (the process expects to be stopped and resumed)."""
        if self._state not in LIVE_STATES:
            return
        self._state = PREEMPTING
        if self._metadata_sync is not None:
            self._metadata_sync.write_now()
        else:
            self._write_metadata()  # type: ignore[attr-defined]
        self._transport.run_updated(self.id)  # type: ignore[attr-defined]

    def _lifecycle_fields(self) -> dict[str, Any]:
        """The run.json fields this side owns (merged into Run._write_metadata's dict)."""
        history = getattr(self, "_history", None)
        last_step = history.step - 1 if history is not None else None
        fields: dict[str, Any] = {
            "group": self._group,
            "job_type": self._job_type,
            "tags": list(self._tags),
            "notes": self._notes,
            "heartbeat_at": time.time(),
            "last_step": last_step if last_step is not None and last_step >= 0 else None,
            "environment": self._environment,
            "mode": self.settings.mode,
        }
        if self._resumed_at:
            fields["resumed_at"] = self._resumed_at
        if self._sweep is not None:
            fields["sweep"] = self._sweep  # {"id", "trial", "dir"} of a sweep trial (sweeps/trial_context.py)
        return fields


def _run_name(value: object) -> str:
    # Numbers are accepted as names (str() of them), as before; anything else must be text.
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TypeError(f"run name must be a string, got {type(value).__name__}")
    return check_name("run name", value if isinstance(value, str) else str(value))


def _optional_text(what: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"run {what} must be a string or None, got {type(value).__name__}")
    if what != "notes":  # group and job_type are names; notes are free text
        return check_name(f"run {what}", value)
    return value if is_storable(value) else replaced_text("run notes", value, set())


def _tags(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TypeError(
            f"run tags must be a list or tuple of strings, got the string {value!r}; wrap it: [...]"
        )
    try:
        tags = tuple(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"run tags must be a list or tuple of strings, got {type(value).__name__}") from None
    for tag in tags:
        if not isinstance(tag, str) or not tag:
            raise TypeError(f"run tags must be non-empty strings, got {describe(tag)}")
        check_name("run tag", tag)
    return tags
