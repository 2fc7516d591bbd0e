"""The run of a sweep trial: how init() picks up the trial, and the cheap hook on its log() for stop signals.

An agent makes a trial active (in its own process, or in a script it starts, through SPYGLASS_SWEEP_*
variables). While one is active, spyglass.init() (session.py) gives the run the sweep's project and store,
puts the trial's parameters in run.config (over the function's own values, as wandb does) with `sweep_id`,
records the sweep in run.json, and wraps that one run's log(): other runs keep the bare hot path. A second
init() inside the trial function returns the trial's run instead of starting another.

The wrapper watches the metric for hyperband and, about once a second, looks for a stop request (the panel's
"stop trial"). A stopped trial sees `run.should_stop` become True; with raise_on_stop the next log() raises
TrialStopped.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from ..tracking.run_config import parse_config as parse_run_config
from .errors import TrialStopped
from .hyperband import Hyperband, reason
from .schema import SweepConfig, nest, parse_config
from .store import SweepStore

ENV_SWEEP_DIR = "SPYGLASS_SWEEP_DIR"
ENV_TRIAL = "SPYGLASS_SWEEP_TRIAL"
ENV_ATTEMPT = "SPYGLASS_SWEEP_ATTEMPT"
ENV_RAISE = "SPYGLASS_SWEEP_RAISE_ON_STOP"
STOP_CHECK_INTERVAL = 1.0  # seconds between looks for a stop request, from inside log()

_active: TrialContext | None = None
_from_environment: TrialContext | None = None


class TrialContext:
    """One trial about to run (or running): its sweep, index, parameters, and the run once init() made it."""

    def __init__(
        self,
        store: SweepStore,
        index: int,
        attempt: int,
        params: Mapping[str, Any],
        *,
        raise_on_stop: bool = False,
        run_id: str | None = None,
    ) -> None:
        meta = store.meta()
        self.store = store
        self.sweep_id: str = meta["id"]
        self.project: str = meta["project"]
        self.config: SweepConfig = parse_config(meta["config"])
        self.index = index
        self.attempt = attempt
        self.params = dict(params)
        self.raise_on_stop = raise_on_stop
        self.run_id = run_id
        self.run: Any = None
        self.watcher: TrialWatcher | None = None
        self._stop_watch: Callable[[], dict[str, Any] | None] | None = None

    def nested_params(self) -> dict[str, Any]:
        return nest(self.params, self.config.parameters)

    def reuse(self, config: Any) -> Any:
        """The trial's live run for an init() inside the trial function, with that init's config merged under
        the sweep's parameters; None if there is no live run yet."""
        run = self.run
        if run is None or getattr(run, "finished", True):
            return None
        if config:
            given = parse_run_config(config, None, None)
            run.config.update(
                _merge(given, {**self.nested_params(), "sweep_id": self.sweep_id}), allow_val_change=True
            )
        return run

    def init_arguments(self, run_id: str | None) -> tuple[str, str | None, str]:
        """(project, run id, store) that init() uses for the trial's run: the s3:// URL of a bucket store."""
        return self.project, self.run_id or run_id, self.store.store_dir

    def attach(self, run: Any) -> None:
        """Bind a newly created run to the trial: config, run.json "sweep", should_stop and the log() hook."""
        run._sweep = {"id": self.sweep_id, "trial": self.index, "dir": str(self.store.path)}
        run.sweep_id = self.sweep_id
        run.should_stop = False
        existing = {key: run.config[key] for key in run.config}
        # Changing the config schedules the run.json write, which now carries "sweep" too.
        run.config.update(
            _merge(existing, {**self.nested_params(), "sweep_id": self.sweep_id}), allow_val_change=True
        )
        self.run = run
        self.watcher = TrialWatcher(self, run)
        run.log = self.watcher.wrap(run.log)

    def stop_request(self) -> dict[str, Any] | None:
        """The trial's stop request, if any; cheap enough for log() (a bucket store polls in a thread)."""
        if self._stop_watch is None:
            self._stop_watch = self.store.watch_stop(self.index)
        return self._stop_watch()


class TrialWatcher:
    """Follows one trial run's log() calls: hyperband milestones and stop requests."""

    def __init__(self, trial: TrialContext, run: Any) -> None:
        self.trial = trial
        self.run = run
        metric = trial.config.metric or {}
        self.metric: str | None = metric.get("name")
        early = trial.config.early_terminate
        self.hyperband = Hyperband(early, metric.get("goal", "minimize")) if early and self.metric else None
        self.bands = list(self.hyperband.bands) if self.hyperband else []
        self.count = 0
        self.best: float | None = None
        self.reached: dict[str, float] = {}
        self.stop_reason: str | None = None
        self._next_check = time.monotonic() + STOP_CHECK_INTERVAL

    def wrap(self, log: Callable[..., None]) -> Callable[..., None]:
        # Names bound once: this runs on every log() of the trial. Without hyperband no metric is watched.
        run, observe, monotonic = self.run, self.observe, time.monotonic
        metric = self.metric if self.hyperband is not None else None
        nested = metric is not None and "/" in metric

        def sweep_log(data: Mapping[str, Any], step: int | None = None, commit: bool | None = None) -> None:
            stopping = run.should_stop  # signalled by an earlier call: this one raises (after recording)
            log(data, step, commit)
            if metric is not None:
                if type(data) is dict and metric in data:
                    observe(data[metric])
                elif nested and isinstance(data, Mapping):
                    self.observe_nested(data)
            if monotonic() >= self._next_check:
                self.check_stop_request()
            if stopping and self.trial.raise_on_stop:
                raise TrialStopped(self.stop_reason or "this sweep trial was told to stop")

        return sweep_log

    def observe_nested(self, data: Mapping[str, Any]) -> None:
        node: Any = data
        for part in self.metric.split("/"):  # type: ignore[union-attr]
            if not isinstance(node, Mapping) or part not in node:
                return
            node = node[part]
        self.observe(node)

    def observe(self, raw: Any) -> None:
        """One logged value of the metric: keep the best, and judge the trial when it reaches a band."""
        try:
            value = float(raw)
        except (TypeError, ValueError):
            return
        self.count += 1
        hyperband = self.hyperband
        if hyperband is None:
            return
        if math.isfinite(value) and (self.best is None or hyperband.better(value, self.best)):
            self.best = value
        if not self.bands or self.count != self.bands[0]:
            return
        band = self.bands.pop(0)
        at_band = value if hyperband.strict or self.best is None else self.best
        self.reached[str(band)] = at_band
        reached = dict(self.reached)  # as of this milestone (a bucket store judges it in a worker thread)
        self.trial.store.judge_band(lambda: self.judge(band, at_band, reached))

    def judge(self, band: int, at_band: float, reached: dict[str, float]) -> None:
        """Record this trial's values at its milestones, and stop it when it is cut at `band`."""
        hyperband, store = self.hyperband, self.trial.store
        assert hyperband is not None
        store.write_band(self.trial.index, {"strict": hyperband.strict, "bands": reached})
        peers = store.band_values(band)
        cut, threshold = hyperband.stops(at_band, peers)
        if cut and threshold is not None and not self.run.should_stop:
            why = reason(self.metric or "", at_band, band, threshold, hyperband.eta, len(peers))
            store.request_stop(self.trial.index, why, "stopped_early")
            self.signal(why)

    def check_stop_request(self) -> None:
        self._next_check = time.monotonic() + STOP_CHECK_INTERVAL
        if self.run.should_stop:
            return
        request = self.trial.stop_request()
        if request is not None:
            self.signal(str(request.get("reason") or "stopped by request"))

    def signal(self, why: str) -> None:
        self.stop_reason = why
        self.run.should_stop = True


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge `over` into `base` (nested parameters replace one key of a config dict, not all of it)."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def activate(trial: TrialContext | None) -> None:
    """Make `trial` the one init() joins (None: no trial)."""
    global _active
    _active = trial


def active_trial() -> TrialContext | None:
    """The trial an init() in this process belongs to: the agent's, or the one named by SPYGLASS_SWEEP_*."""
    global _from_environment
    if _active is not None:
        return _active
    sweep_dir = os.environ.get(ENV_SWEEP_DIR)
    if not sweep_dir:
        return None
    if _from_environment is None:
        _finish_cleanly_on_trial_stopped()
        store = SweepStore.open(sweep_dir)
        index = int(os.environ[ENV_TRIAL])
        attempt = int(os.environ.get(ENV_ATTEMPT, "0"))
        claim = store.read_claim(index, attempt) or {}
        _from_environment = TrialContext(
            store,
            index,
            attempt,
            claim.get("params") or {},
            raise_on_stop=os.environ.get(ENV_RAISE, "") not in ("", "0"),
            run_id=os.environ.get("SPYGLASS_RUN_ID") or None,
        )
    return _from_environment


def _finish_cleanly_on_trial_stopped() -> None:
    """In a script trial, an uncaught TrialStopped ends the run as finished (it did what it was asked), not
    failed; the agent records the trial as stopped early from its stop request either way."""
    previous = sys.excepthook

    def excepthook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        run = _from_environment.run if _from_environment is not None else None
        if issubclass(exc_type, TrialStopped) and run is not None and not run.finished:
            sys.stderr.write(f"spyglass: sweep trial stopped: {exc}\n")
            run.finish(exit_code=0)
            return
        previous(exc_type, exc, tb)

    sys.excepthook = excepthook
