"""Settings: how a run behaves (mode, intervals, what init() captures), as `wandb.Settings` is for wandb.

`spyglass.init(settings=Settings(...) | dict)`; the run keeps them as `run.settings`. Fields given to init()
directly (mode=...) win over `settings`, which win over environment variables, which win over the defaults.
wandb setting names Spyglass does not use are accepted and ignored (WANDB_SETTINGS_IGNORED, listed in
docs/migrating-from-wandb.md), so `wandb.Settings(start_method="thread")` scripts run unchanged.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from ..base.user_warnings import user_stacklevel
from ..store.run_state import STALE_AFTER

MODES = ("online", "offline", "disabled")
_SECONDS = ("flush_interval", "heartbeat_interval", "system_interval", "segment_interval")
# Half the staleness limit, so one late heartbeat never makes a live run look crashed.
MAX_HEARTBEAT_INTERVAL = STALE_AFTER / 2
_TRUE_WORDS = ("1", "true", "yes", "on")
_FALSE_WORDS = ("0", "false", "no", "off", "")

# wandb's names for Spyglass settings: name -> (field, convert)
_WANDB_ALIASES: dict[str, tuple[str, Any]] = {
    "x_disable_stats": ("system_metrics", lambda value: not value),
    "_disable_stats": ("system_metrics", lambda value: not value),
    "x_stats_sampling_interval": ("system_interval", float),
    "_stats_sample_rate_seconds": ("system_interval", float),
}

# wandb settings that scripts pass and that mean nothing for a local store: accepted and ignored.
WANDB_SETTINGS_IGNORED = frozenset(
    (
        "start_method", "silent", "quiet", "show_info", "show_warnings", "show_errors", "console",
        "console_multipart", "init_timeout", "code_dir", "save_code", "disable_code", "disable_job_creation",
        "anonymous", "api_key", "base_url", "entity", "project", "run_id", "run_name", "run_group",
        "run_job_type", "run_tags", "run_notes", "root_dir", "sync_tensorboard", "program", "program_relpath",
        "notebook_name", "_disable_meta", "x_disable_meta", "_disable_machine_info", "x_disable_machine_info",
        "_service_wait", "x_service_wait", "_file_stream_timeout_seconds", "x_file_stream_timeout_seconds",
        "_stats_samples_to_average", "x_stats_samples_to_average", "x_stats_gpu_device_ids",
        "_disable_service", "x_disable_service", "reinit", "resume", "allow_val_change", "force",
        "login_timeout", "heartbeat_seconds", "log_internal", "sweep_id", "launch", "x_label", "x_primary",
        "x_shared", "x_update_finish_state", "fork_from", "resume_from", "ignore_globs", "_save_requirements",
        "x_save_requirements", "job_name", "job_source", "max_end_of_run_history_metrics",
    )
)  # fmt: skip


class SettingsWarning(UserWarning):
    """A setting name is neither a Spyglass setting nor a known wandb one; it was ignored."""


@dataclass(init=False)
class Settings:
    """How a run behaves. Unknown wandb setting names are accepted and ignored (see the module docstring)."""

    mode: str = "online"
    strict: bool = False
    flush_interval: float = 0.25
    heartbeat_interval: float = 5.0
    system_metrics: bool = True
    system_interval: float = 10.0
    # s3:// stores (docs/team.md, "Writers"): how often segments ship, and the bound on unshipped spool bytes.
    segment_interval: float = 5.0
    spool_limit_mb: float = 4096.0
    disable_git: bool = False
    disable_packages: bool = False
    # run.alert() posts Slack-compatible JSON here when set (SPYGLASS_ALERT_WEBHOOK); "" posts nothing.
    alert_webhook: str = ""
    # init() shows the run's live panel in the notebook cell that calls it (SPYGLASS_DISPLAY=0 turns it off).
    display: bool = True

    def __init__(self, **options: Any) -> None:
        given: dict[str, Any] = {}
        names = {field.name for field in fields(Settings)}
        for key, value in options.items():
            if key in names:
                given[key] = value
            elif key in _WANDB_ALIASES:
                target, convert = _WANDB_ALIASES[key]
                given[target] = convert(value)
            elif key not in WANDB_SETTINGS_IGNORED:
                warnings.warn(
                    f"spyglass.Settings: {key!r} is not a setting Spyglass knows; it is ignored "
                    f"(Spyglass settings: {', '.join(sorted(names))}).",
                    SettingsWarning,
                    stacklevel=user_stacklevel(),
                )
        for field in fields(Settings):
            value = given[field.name] if field.name in given else _from_environment(field.name, field.default)
            object.__setattr__(self, field.name, value)
        self.validate()

    def validate(self) -> Settings:
        """Raise ValueError naming the setting whose value cannot be used; return self."""
        if self.mode not in MODES:
            raise ValueError(f"spyglass settings: mode must be one of {', '.join(MODES)}; got {self.mode!r}")
        for name in (*_SECONDS, "spool_limit_mb"):
            value = getattr(self, name)
            unit = "megabytes" if name == "spool_limit_mb" else "seconds"
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"spyglass settings: {name} must be a number of {unit}, got {value!r}")
            if value <= 0:
                raise ValueError(f"spyglass settings: {name} must be > 0 {unit}, got {value!r}")
        if self.heartbeat_interval > MAX_HEARTBEAT_INTERVAL:
            raise ValueError(
                f"spyglass settings: heartbeat_interval must be at most {MAX_HEARTBEAT_INTERVAL} s, got "
                f"{self.heartbeat_interval!r}: readers take a run without a heartbeat for {STALE_AFTER:g} s "
                "for crashed."
            )
        for name in ("strict", "system_metrics", "disable_git", "disable_packages", "display"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(
                    f"spyglass settings: {name} must be True or False, got {getattr(self, name)!r}"
                )
        webhook = self.alert_webhook
        if not isinstance(webhook, str) or (webhook and not webhook.startswith(("http://", "https://"))):
            raise ValueError(
                "spyglass settings: alert_webhook (SPYGLASS_ALERT_WEBHOOK) must be an http:// or https:// "
                f"URL or empty, got {webhook!r}"
            )
        return self

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the fields in `overrides` (None values skipped) replaced and validated."""
        chosen = {key: value for key, value in overrides.items() if value is not None}
        return _copy_with(self, chosen).validate()


def coerce_settings(settings: Settings | Mapping[str, Any] | None) -> Settings:
    """init(settings=...): a Settings, a dict of setting names (wandb's too) or None."""
    if settings is None:
        return Settings()
    if isinstance(settings, Settings):
        return settings
    if isinstance(settings, Mapping):
        return Settings(**{str(key): value for key, value in settings.items()})
    raise TypeError(
        f"spyglass.init(): settings must be a spyglass.Settings or a dict, got {type(settings).__name__}"
    )


def _copy_with(settings: Settings, chosen: dict[str, Any]) -> Settings:
    copy = Settings.__new__(Settings)
    for field in fields(Settings):
        object.__setattr__(copy, field.name, chosen.get(field.name, getattr(settings, field.name)))
    return copy


def _from_environment(name: str, default: Any) -> Any:
    # SPYGLASS_<NAME>; mode also honours WANDB_MODE, so CI jobs that set WANDB_MODE=disabled keep working.
    raw = os.environ.get(f"SPYGLASS_{name.upper()}")
    if raw is None and name == "mode":
        raw = os.environ.get("WANDB_MODE")
        if raw in ("dryrun", "run"):  # wandb's older spellings
            raw = "offline" if raw == "dryrun" else "online"
    if raw is None:
        return default
    variable = f"SPYGLASS_{name.upper()}"
    if isinstance(default, bool):
        word = raw.strip().lower()
        if word in _TRUE_WORDS or word in _FALSE_WORDS:
            return word in _TRUE_WORDS
        raise ValueError(f"{variable} must be true or false (1/0, yes/no), got {raw!r}")
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            unit = "megabytes" if name.endswith("_mb") else "seconds"
            raise ValueError(f"{variable} must be a number of {unit}, got {raw!r}") from None
    return raw.strip()
