"""mode="disabled": a run that accepts every call and does nothing, as wandb's disabled mode does.

The config still holds what init() was given (scripts read wandb.config.lr in disabled mode too) and the
summary is a plain in-memory dict; nothing is written, no thread starts, no comm opens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .run_config import RunConfig


class _Anything:
    """Any attribute, call, item, iteration or `with` works and does nothing (returns itself or nothing)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> _Anything:
        return self

    def __getitem__(self, key: Any) -> _Anything:
        return self

    def __setitem__(self, key: Any, value: Any) -> None:
        pass

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return False

    def __enter__(self) -> _Anything:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def __repr__(self) -> str:
        return "<spyglass disabled>"


class DisabledSummary(dict):
    """run.summary of a disabled run: a dict with attribute access, never stored."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def snapshot(self) -> dict[str, Any]:
        return dict(self)


class DisabledRun:
    """What init(mode="disabled") returns: every method and attribute works and nothing is recorded."""

    def __init__(
        self,
        *,
        project: str,
        name: str,
        run_id: str,
        config: dict[str, Any],
        settings: Any,
        group: str | None = None,
        job_type: str | None = None,
        tags: tuple[str, ...] = (),
        notes: str | None = None,
        on_finish: Callable[[DisabledRun], object] = lambda run: None,
    ) -> None:
        """`on_finish`: told once when finish() is called (the session forgets the run)."""
        self._on_finish = on_finish
        self.id = run_id
        self.project = project
        self.name = name
        self.group = group
        self.job_type = job_type
        self.tags = tags
        self.notes = notes
        self.settings = settings
        self.config = RunConfig(config, allow_val_change=True)
        self.summary = DisabledSummary()
        self.dir = ""
        self.disabled = True
        self._step = 0
        self._finished = False

    def log(
        self, data: Any = None, step: int | None = None, commit: bool | None = None, **kwargs: Any
    ) -> None:
        if step is not None and isinstance(step, int) and step >= self._step:
            self._step = step
        if commit is not False and step is None:
            self._step += 1

    @property
    def step(self) -> int:
        return self._step

    @property
    def state(self) -> str:
        return "finished" if self._finished else "disabled"

    @property
    def finished(self) -> bool:
        return self._finished

    def finish(self, exit_code: int | None = None, quiet: bool | None = None) -> None:
        if not self._finished:
            self._finished = True
            self._on_finish(self)

    def mark_preempting(self) -> None:
        pass

    def flush(self) -> None:
        pass

    def define_metric(self, *args: Any, **kwargs: Any) -> _Anything:
        return _Anything()

    def __enter__(self) -> DisabledRun:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.finish()

    def __getattr__(self, name: str) -> Any:
        # Anything else wandb's Run has (watch, save, log_artifact, alert, use_artifact, ...): a no-op.
        if name.startswith("__"):
            raise AttributeError(name)
        return _Anything()

    def __repr__(self) -> str:
        return f"<spyglass DisabledRun {self.id} '{self.name}' (mode='disabled': nothing is recorded)>"
