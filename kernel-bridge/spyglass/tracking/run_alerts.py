"""run.alert / spyglass.alert: alerts recorded in run.json ("alerts") and, optionally, posted to a webhook.

As in wandb, an alert whose title was alerted less than `wait_duration` ago (default one minute) is dropped:
neither recorded nor posted. With settings.alert_webhook (or SPYGLASS_ALERT_WEBHOOK) set, each alert is posted
as Slack-compatible JSON (`text` plus one attachment coloured by level) from a daemon thread; a failure warns
once per run and never raises into training. finish() waits up to POST_TIMEOUT seconds for posts under way.
"""

from __future__ import annotations

import datetime
import enum
import json
import threading
import time
import urllib.request
import warnings
from typing import Any

from ..base.errors import SpyglassError

DEFAULT_WAIT = 60.0
POST_TIMEOUT = 5.0
_COLOURS = {"INFO": "#2e86de", "WARN": "#f39c12", "ERROR": "#e74c3c"}


class AlertLevel(str, enum.Enum):
    """wandb.AlertLevel: how serious an alert is."""

    INFO = "INFO"
    WARN = "WARN"
    ERROR = "ERROR"


class AlertError(SpyglassError, ValueError):
    """run.alert() was given a level, title or wait_duration it cannot use."""


class AlertWebhookWarning(UserWarning):
    """An alert could not be posted to the webhook; it is recorded in the run all the same."""


class RunAlerts:
    """The alerts of one run: the rate limit per title, the recorded list and the webhook posts."""

    def __init__(self, run_label: str, webhook: str | None) -> None:
        self._run_label = run_label
        self._webhook = webhook or None
        self._lock = threading.Lock()
        self._last_by_title: dict[str, float] = {}
        self._alerts: list[dict[str, Any]] = []
        self._posts: list[threading.Thread] = []
        self._warned = False

    def alert(
        self, title: str, text: str, level: Any = None, wait_duration: Any = None, *, context: dict[str, Any]
    ) -> bool:
        """Record (and post) an alert; False when the rate limit dropped it."""
        level_name = _level(level)
        wait = _seconds(wait_duration)
        if not isinstance(title, str) or not title:
            raise AlertError(f"run.alert(): title must be a non-empty string, got {title!r}")
        now = time.time()
        with self._lock:
            last = self._last_by_title.get(title)
            if last is not None and now - last < wait:
                return False
            self._last_by_title[title] = now
            record = {"title": title, "text": str(text), "level": level_name, "at": now}
            self._alerts.append(record)
        if self._webhook is not None:
            post = threading.Thread(
                target=self._post, args=(_slack_payload(record, context),), name="spyglass-alert", daemon=True
            )
            self._posts = [thread for thread in self._posts if thread.is_alive()] + [post]
            post.start()
        return True

    def restore(self, alerts: Any) -> None:
        """Start from a resumed run's recorded alerts (run.json "alerts")."""
        self._alerts = [alert for alert in alerts or [] if isinstance(alert, dict)]

    @property
    def posts_to_webhook(self) -> bool:
        return self._webhook is not None

    def listing(self) -> list[dict[str, Any]]:
        """run.json "alerts": every recorded alert, oldest first."""
        with self._lock:
            return list(self._alerts)

    def wait_for_posts(self) -> None:
        """Give posts under way up to POST_TIMEOUT seconds in all (called by finish)."""
        deadline = time.monotonic() + POST_TIMEOUT
        for thread in self._posts:
            thread.join(max(0.0, deadline - time.monotonic()))

    def _post(self, payload: dict[str, Any]) -> None:
        request = urllib.request.Request(
            self._webhook,  # type: ignore[arg-type]
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=POST_TIMEOUT) as response:
                response.read()
        except Exception as error:  # a webhook is never worth a training run
            if not self._warned:
                self._warned = True
                warnings.warn(
                    f"run {self._run_label}: alert {payload['attachments'][0]['title']!r} could not be "
                    f"posted to the webhook ({type(error).__name__}: {error}); it is recorded. Check "
                    "settings.alert_webhook / SPYGLASS_ALERT_WEBHOOK (shown once per run).",
                    AlertWebhookWarning,
                    stacklevel=1,
                )


def _level(level: Any) -> str:
    if level is None:
        return AlertLevel.INFO.value
    name = level.value if isinstance(level, AlertLevel) else level
    if name not in AlertLevel.__members__:
        raise AlertError(f"run.alert(): level must be INFO, WARN or ERROR (or sg.AlertLevel), got {level!r}")
    return str(name)


def _seconds(wait_duration: Any) -> float:
    if wait_duration is None:
        return DEFAULT_WAIT
    if isinstance(wait_duration, datetime.timedelta):
        return wait_duration.total_seconds()
    if isinstance(wait_duration, (int, float)) and not isinstance(wait_duration, bool) and wait_duration >= 0:
        return float(wait_duration)
    raise AlertError(
        f"run.alert(): wait_duration must be seconds (int or float >= 0) or a datetime.timedelta, "
        f"got {wait_duration!r}"
    )


def _slack_payload(record: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    where = f"{context.get('project')}/{context.get('name')} ({context.get('run_id')})"
    return {
        "text": f"[{record['level']}] {record['title']}: {record['text']} — run {where}",
        "attachments": [
            {
                "color": _COLOURS[record["level"]],
                "title": record["title"],
                "text": record["text"],
                "footer": f"Spyglass run {where}" + (f" · {context['url']}" if context.get("url") else ""),
                "ts": int(record["at"]),
            }
        ],
    }


class RunAlerting:
    """Mixed into Run: run.alert(). Needs _alerts, id, project, name, url and the metadata methods."""

    _alerts: RunAlerts
    id: str
    project: str
    name: str
    url: str
    _metadata_changed: Any
    _write_pending_metadata: Any

    def alert(self, title: str, text: str, level: Any = None, wait_duration: Any = None) -> None:
        """Record an alert in the run (and post it to settings.alert_webhook); same title within
        `wait_duration` (seconds or timedelta, default 60 s) is dropped, as wandb does."""
        self._metadata_changed()  # refuses a finished run
        context = {"project": self.project, "name": self.name, "run_id": self.id}
        if self._alerts.posts_to_webhook:
            context["url"] = self.url
        if self._alerts.alert(title, text, level, wait_duration, context=context):
            self._write_pending_metadata()  # at once: an alert often comes just before a crash
