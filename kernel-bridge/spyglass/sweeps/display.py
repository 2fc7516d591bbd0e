"""The sweep's cell output: the MIME bundle the sweep panel renders, with a plain text fallback."""

from __future__ import annotations

import os
import time
import uuid
import warnings
from pathlib import Path
from typing import Any

from ..base.protocol_constants import SWEEP_MIME_TYPE
from .snapshot import snapshot

TEXT_TRIALS = 10  # trials listed in the text fallback (the most recent)
UPDATE_INTERVAL = 0.5  # seconds between display updates while trials finish quickly


def sweep_bundle(sweep_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """{sweep MIME: {sweep_dir, sweep_id, project, snapshot}, text/plain: summary}."""
    path = Path(sweep_dir).resolve()
    snap = snapshot(path)
    return {
        SWEEP_MIME_TYPE: {
            "sweep_dir": str(path),
            "sweep_id": snap["sweep"]["id"],
            "project": snap["sweep"]["project"],
            "snapshot": snap,
        },
        "text/plain": sweep_text(snap),
    }


def sweep_text(snap: dict[str, Any]) -> str:
    """A few lines: state and counts, the best trial, the latest trials."""
    sweep, counts = snap["sweep"], snap["counts"]
    total = counts["total"] if counts["total"] is not None else "?"
    lines = [
        f"spyglass sweep {sweep['id']} ({sweep['method']}, {sweep['state']}) in project {sweep['project']}: "
        f"{counts['done']} done, {counts['running']} running, {counts['failed']} failed, "
        f"{counts['stopped_early']} stopped early, {_or_unknown(counts['left'])} left "
        f"of {total}"
    ]
    metric = sweep["metric"]
    scored = [t for t in snap["trials"] if t["metric"] is not None and t["state"] != "running"]
    if metric and scored:
        pick = max if metric["goal"] == "maximize" else min
        best = pick(scored, key=lambda t: t["metric"])
        lines.append(
            f"best {metric['name']} = {best['metric']:.6g} (trial {best['index']}): {_params(best['params'])}"
        )
    for trial in snap["trials"][-TEXT_TRIALS:]:
        value = f"{trial['metric']:.6g}" if trial["metric"] is not None else "-"
        lines.append(f"  #{trial['index']:<4} {trial['state']:<13} {value:>12}  {_params(trial['params'])}")
    lines.extend(f"warning: {text}" for text in snap["warnings"])
    return "\n".join(lines)


def _or_unknown(value: Any) -> Any:
    return "?" if value is None else value


def _params(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in params.items())


class SweepDisplay:
    """The agent's output: displayed once with a display_id, updated as trials start and finish."""

    def __init__(self, sweep_dir: Path) -> None:
        self.sweep_dir = sweep_dir
        self.display_id = f"spyglass-sweep-{sweep_dir.name}-{uuid.uuid4().hex[:8]}"
        self._last = 0.0

    def show(self) -> None:
        from IPython.display import display

        display(sweep_bundle(self.sweep_dir), raw=True, display_id=self.display_id)
        self._last = time.monotonic()

    def update(self, force: bool = False) -> None:
        if not force and time.monotonic() - self._last < UPDATE_INTERVAL:
            return
        try:
            from IPython.display import update_display

            update_display(sweep_bundle(self.sweep_dir), raw=True, display_id=self.display_id)
        except Exception as error:  # the sweep matters more than its picture
            warnings.warn(f"sweep {self.sweep_dir.name}: could not update its output: {error}", stacklevel=2)
        self._last = time.monotonic()
