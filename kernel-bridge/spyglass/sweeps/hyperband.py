"""Hyperband early termination, asynchronous as in wandb: milestones ("bands") and the cut at each one.

Bands are counts of logged metric values. With `min_iter` they are min_iter, min_iter*eta, min_iter*eta², ...;
with `max_iter` and `s` they are max_iter/eta, max_iter/eta², ... (s of them, at least 1), ascending. When a
trial logs its metric for the b-th time and b is a band, its value there is compared with the values every
trial had at band b: a trial outside the best 1/eta of them is stopped. The value is the best one so far, or
with `strict` the b-th value itself (the original paper's rule, stricter for noisy curves). A band is judged
only once at least eta trials reached it, so the first trials of a sweep are never stopped for lack of
company.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

MAX_BANDS = 60  # min_iter bands grow geometrically; 60 of them exceed any training run


def schedule(early_terminate: dict[str, Any]) -> list[int]:
    """The bands of a validated early_terminate config, ascending and distinct."""
    eta = float(early_terminate.get("eta", 3))
    if early_terminate.get("min_iter") is not None:
        band, bands = float(early_terminate["min_iter"]), []
        while len(bands) < MAX_BANDS and band < 1e12:
            bands.append(int(round(band)))
            band *= eta
        return sorted(set(bands))
    band, bands = float(early_terminate["max_iter"]), []
    for _ in range(int(early_terminate["s"])):
        band /= eta
        if band < 1:
            break
        bands.append(int(band))
    return sorted(set(bands))


class Hyperband:
    """The cut rule for one sweep (see the module docstring)."""

    def __init__(self, early_terminate: dict[str, Any], goal: str) -> None:
        self.bands = schedule(early_terminate)
        self.eta = float(early_terminate.get("eta", 3))
        self.strict = bool(early_terminate.get("strict", False))
        self.maximize = goal == "maximize"
        self.min_peers = math.ceil(self.eta)

    def better(self, a: float, b: float) -> bool:
        return a > b if self.maximize else a < b

    def cut(self, values_at_band: Sequence[float]) -> float | None:
        """The worst value that survives a band, or None while fewer than eta trials reached it."""
        values = [v for v in values_at_band if math.isfinite(v)]
        if len(values) < self.min_peers:
            return None
        keep = 1.0 / self.eta
        return float(np.quantile(values, 1.0 - keep if self.maximize else keep))

    def stops(self, value: float, values_at_band: Sequence[float]) -> tuple[bool, float | None]:
        """(whether `value` is cut, the cut) given every trial's value at the band, its own included."""
        threshold = self.cut(values_at_band)
        if threshold is None or not math.isfinite(value):
            return (threshold is not None and not math.isfinite(value), threshold)
        return (self.better(threshold, value), threshold)


def reason(metric: str, value: float, band: int, threshold: float, eta: float, peers: int) -> str:
    """The stopped_reason recorded for a cut trial."""
    return (
        f"hyperband: {metric}={value:.6g} after {band} values is outside the best 1/{eta:g} "
        f"of {peers} trials "
        f"at that band (cut {threshold:.6g})"
    )
