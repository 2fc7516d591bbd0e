"""wandb.sweep(prior_runs=[...]): stored runs enter as finished trials, so bayes learns from them."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..base.errors import RunNotFoundError
from ..store.run_store import METADATA_FILE
from .distributions import CATEGORICAL, LOG_SPACE_BOUNDS
from .schema import Parameter, SweepConfig
from .store import SweepStore, read_json


def import_prior_runs(
    store: SweepStore, config: SweepConfig, project_dir: Path, run_ids: Iterable[str]
) -> None:
    """Record each run as a finished trial (its config values as parameters, its summary metric)."""
    metric = (config.metric or {}).get("name")
    for index, run_id in enumerate(run_ids):
        meta = read_json(project_dir / run_id / METADATA_FILE)
        if meta is None:
            raise RunNotFoundError(f"prior run '{run_id}' is not in {project_dir}")
        params = {p.name: _lookup(meta.get("config") or {}, p.path) for p in config.parameters}
        latent = {p.name: _latent(p, params[p.name]) for p in config.parameters if p.varies}
        claim = {"params": params, "latent": {k: v for k, v in latent.items() if v is not None},
                 "agent": "prior_runs", "claimed_at": time.time()}  # fmt: skip
        store.try_claim(index, 0, claim)
        value = (meta.get("summary") or {}).get(metric) if metric else None
        store.write_trial({
            "index": index, "attempt": 0, "state": "finished", "params": params, "latent": claim["latent"],
            "run_id": run_id, "run_dir": str(project_dir / run_id),
            "metric": value if isinstance(value, (int, float)) and math.isfinite(value) else None,
            "stopped_reason": None, "error": None, "agent": "prior_runs", "host": None, "pid": None,
            "started_at": meta.get("created_at"), "ended_at": meta.get("finished_at"), "heartbeat_at": None,
        })  # fmt: skip


def _lookup(config: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = config
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return config.get(".".join(path))
        node = node[key]
    return node


def _latent(param: Parameter, value: Any) -> Any:
    if value is None:
        return None
    if param.distribution == CATEGORICAL:
        return param.values.index(value) if param.values and value in param.values else None
    if not isinstance(value, (int, float)):
        return None
    if param.distribution in LOG_SPACE_BOUNDS:
        if value <= 0:
            return None
        return -math.log(value) if param.distribution == "inv_log_uniform" else math.log(value)
    if param.distribution == "inv_log_uniform_values":
        return 1.0 / value if value else None
    if param.distribution in ("log_normal", "q_log_normal"):
        return math.log(value) if value > 0 else None
    return value
