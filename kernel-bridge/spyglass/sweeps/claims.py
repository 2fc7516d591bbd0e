"""Handing out trials: an agent claims the next index (or a dead agent's trial) with an atomic link.

The next index is one past the highest claimed; an agent that loses the race for it looks again. A claim of
this agent's own that has no trial record yet (it landed while the bucket's answer was lost) is taken up. A
live trial whose agent is gone (store.is_stale) is claimed again as attempt n+1 with the same configuration,
so only one agent retries it; after MAX_ATTEMPTS it is marked failed instead. Nothing is handed out twice.
"""

from __future__ import annotations

import os
import socket
import time
import warnings
from typing import Any

from .messages import SweepWarning, trial_abandoned, trial_retried
from .schema import SweepConfig
from .search import propose
from .store import MAX_ATTEMPTS, Claim, SweepStore, is_stale

# Give up after this many lost races in a row (only reachable with very many agents claiming at once).
MAX_RACES = 1000


def claim_next(store: SweepStore, config: SweepConfig, seed: int, agent: str) -> Claim | None:
    """Claim a trial for `agent`, or return None when the sweep has nothing left to run."""
    for _ in range(MAX_RACES):
        trials = store.all_trials()
        own = _own_unstarted(trials, agent)
        if own is not None:
            return own
        retried = _claim_stale(store, trials, agent)
        if retried is not None:
            return retried
        if target_reached(config, trials):
            return None
        index = max((t["index"] for t in trials), default=-1) + 1
        total = config.total
        if total is not None and index >= total:
            return None
        proposal = propose(config, seed, index, trials)
        if proposal is None:
            return None
        params, latent = proposal
        if store.try_claim(index, 0, _claim_content(agent, params, latent)):
            return Claim(index, 0, params, latent, agent)
    raise RuntimeError(f"could not claim a trial in {store.path} after {MAX_RACES} attempts")


def _own_unstarted(trials: list[dict[str, Any]], agent: str) -> Claim | None:
    # A claim of this agent that no trial record follows: it landed while its answer was lost (the bucket
    # went down mid-request and the claim was retried), so it is this agent's to run, not another index.
    for record in trials:
        if record.get("state") == "claimed" and record.get("agent") == agent:
            params, latent = record.get("params") or {}, record.get("latent") or {}
            return Claim(record["index"], int(record.get("attempt", 0)), params, latent, agent)
    return None


def _claim_stale(store: SweepStore, trials: list[dict[str, Any]], agent: str) -> Claim | None:
    now = time.time()
    for record in trials:
        if not is_stale(record, now):
            continue
        index, attempt = record["index"], int(record.get("attempt", 0)) + 1
        params, latent = record.get("params") or {}, record.get("latent") or {}
        if not store.try_claim(index, attempt, _claim_content(agent, params, latent)):
            continue
        if attempt >= MAX_ATTEMPTS:
            warnings.warn(trial_abandoned(index, attempt), SweepWarning, stacklevel=3)
            store.write_trial({
                **record, "attempt": attempt, "state": "failed", "ended_at": now, "agent": agent,
                "error": trial_abandoned(index, attempt),
            })  # fmt: skip
            continue
        warnings.warn(trial_retried(index, record.get("agent")), SweepWarning, stacklevel=3)
        return Claim(index, attempt, params, latent, agent)
    return None


def target_reached(config: SweepConfig, trials: list[dict[str, Any]]) -> bool:
    """True once a finished trial reached metric.target (wandb stops proposing then)."""
    metric = config.metric or {}
    target = metric.get("target")
    if target is None:
        return False
    maximize = metric.get("goal") == "maximize"
    for record in trials:
        value = record.get("metric")
        if record.get("state") != "finished" or not isinstance(value, (int, float)):
            continue
        if (value >= target) if maximize else (value <= target):
            return True
    return False


def _claim_content(agent: str, params: dict[str, Any], latent: dict[str, Any]) -> dict[str, Any]:
    return {
        "agent": agent,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "claimed_at": time.time(),
        "params": params,
        "latent": latent,
    }
