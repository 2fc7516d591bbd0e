"""The sweep snapshot: everything the sweep panel shows, in the shape of the contract (docs/sweeps.md)."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from ..base.path_confinement import Roots, stays_within
from ..store.run_store import METADATA_FILE
from . import messages
from .claims import target_reached
from .importance import importance
from .schema import parse_config
from .store import LIVE_TRIAL_STATES, SweepStore, is_stale, read_json

TRIAL_FIELDS = (
    "index", "run_id", "run_dir", "state", "params", "metric", "best_so_far", "stopped_reason", "error",
    "agent",
    "started_at", "ended_at",
)  # fmt: skip
RESULT_STATES = ("finished", "stopped_early", "stopped")


def snapshot(sweep_dir: str | os.PathLike[str], roots: Roots | None = None) -> dict[str, Any]:
    """The sweep's snapshot dict (sweep, counts, trials, importance, warnings); with `roots` (the server), a
    trial's run.json outside them is not read."""
    store = SweepStore.open(sweep_dir)
    meta = store.meta()
    config = parse_config(meta["config"])
    records = store.all_trials()
    store.refresh_runs(records)  # a running trial shows its latest summary value, whichever machine runs it
    metric = config.metric
    warnings: list[str] = []
    trials = [_trial(record, metric, warnings, roots) for record in records]
    _best_so_far(trials, metric)
    parameters = [param.describe() for param in config.parameters]
    total = planned_total(config, store, records)
    state = _state(store.control_state(), config, records, total)
    counts = _counts(trials, total)
    if metric is not None:
        ended = [t for t in trials if t["state"] in RESULT_STATES]
        if ended and all(t["metric"] is None for t in ended):
            text = (messages.bayes_falls_back if config.method == "bayes" else messages.metric_never_logged)(
                metric["name"], len(ended)
            )
            warnings.append(text)
        if target_reached(config, records):
            warnings.append(messages.target_reached(metric["name"], metric["target"]))
    early = config.early_terminate
    return {
        "sweep": {
            "id": meta["id"],
            "project": meta["project"],
            "name": meta.get("name"),
            "method": config.method,
            "metric": {"name": metric["name"], "goal": metric["goal"]} if metric else None,
            "state": state,
            "run_cap": config.run_cap,
            "created_at": float(meta.get("created_at") or 0.0),
            "early_terminate": dict(early) if early else None,
            "parameters": parameters,
        },
        "counts": counts,
        "trials": trials,
        "importance": importance(parameters, trials) if metric else None,
        "warnings": warnings,
    }


def sweep_state(store: SweepStore) -> str:
    """running, paused, stopped, or finished (every trial of a bounded sweep ended)."""
    config = parse_config(store.meta()["config"])
    records = store.all_trials()
    return _state(store.control_state(), config, records, planned_total(config, store, records))


def planned_total(config: Any, store: SweepStore, records: list[dict[str, Any]]) -> int | None:
    """How many trials the sweep will have: its own bound (grid, run_cap), else what its agents' `count`s
    allow (the trials so far plus what each live agent may still claim; once every agent ended, the trials so
    far). None while a live agent has no count, or no agent ever ran."""
    if config.total is not None:
        return config.total
    agents = store.agents()
    if not agents or any(a["live"] and not _count(a.get("count")) for a in agents):
        return None
    claimed = [r.get("agent") for r in records]
    return len(records) + sum(max(a["count"] - claimed.count(a["agent"]), 0) for a in agents if a["live"])


def _state(control: str, config: Any, records: list[dict[str, Any]], total: int | None) -> str:
    if control == "stopped":
        return "stopped"
    live = any(r.get("state") in LIVE_TRIAL_STATES for r in records)
    exhausted = total is not None and len(records) >= total
    if not live and (exhausted or target_reached(config, records)):
        return "finished"
    return control


def _trial(
    record: dict[str, Any], metric: dict[str, Any] | None, warnings: list[str], roots: Roots | None = None
) -> dict[str, Any]:
    trial = {field: record.get(field) for field in TRIAL_FIELDS}
    trial["params"] = dict(record.get("params") or {})
    if trial["state"] in LIVE_TRIAL_STATES:
        if is_stale(record):
            warnings.append(messages.stale_trial(record["index"], record.get("agent")))
        run_dir = trial["run_dir"]
        if metric is not None and isinstance(run_dir, str) and stays_within(run_dir, roots, (METADATA_FILE,)):
            # A running trial shows its latest value, from its run.json summary.
            summary = (read_json(Path(run_dir) / METADATA_FILE) or {}).get("summary") or {}
            trial["metric"] = summary.get(metric["name"])
    if not _number(trial["metric"]):
        trial["metric"] = None
    return trial


def _best_so_far(trials: list[dict[str, Any]], metric: dict[str, Any] | None) -> None:
    best: float | None = None
    maximize = bool(metric) and metric.get("goal") == "maximize"  # type: ignore[union-attr]
    for trial in trials:
        value = trial["metric"]
        ended = trial["state"] in RESULT_STATES and value is not None
        if ended and (best is None or (value > best if maximize else value < best)):
            best = value
        trial["best_so_far"] = best


def _counts(trials: list[dict[str, Any]], total: int | None) -> dict[str, Any]:
    states = [t["state"] for t in trials]
    return {
        "done": states.count("finished") + states.count("stopped"),
        "running": sum(state in LIVE_TRIAL_STATES for state in states),
        "failed": states.count("failed"),
        "stopped_early": states.count("stopped_early"),
        "left": max(total - len(trials), 0) if total is not None else None,
        "total": total,
    }


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
