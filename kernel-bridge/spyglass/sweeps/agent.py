"""The agent: claims trials one after another and runs each as a real run, in this process or as a script.

`sg.agent(sweep_id, function=train)` calls `train()` per trial with the trial active: the agent starts the run
(spyglass.init), so `wandb.config` holds the parameters whether or not train() calls init itself. Without a
function it runs the sweep's program (`spyglass agent SWEEP_ID`). A paused sweep makes the agent wait; a
stopped one (or `count` trials, `run_cap`, a finished grid) makes it return. A trial that raises is recorded
failed with its traceback and the agent goes on.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..store.run_store import METADATA_FILE
from ..tracking.session import init, new_run_id
from .bucket_retry import retrying
from .claims import claim_next
from .errors import SweepConfigError, TrialStopped
from .schema import SweepConfig, parse_config
from .script_command import build_command
from .store import Claim, SweepStore, agent_name, read_json
from .trial_context import ENV_ATTEMPT, ENV_RAISE, ENV_SWEEP_DIR, ENV_TRIAL, TrialContext, activate
from .trial_record import TrialRecorder

PAUSE_POLL = 1.0  # seconds between looks at control.json while the sweep is paused
SCRIPT_POLL = 0.2
# A script told to stop (hyperband, stop trial) gets this long to end by itself before it is terminated.
SCRIPT_STOP_GRACE = 30.0
STDERR_TAIL_LINES = 40
JUDGEMENT_WAIT = 30.0  # at most this long for a trial's last hyperband milestones (band_judge.py retries)


class Agent:
    """Runs trials of one sweep until there are none left, `count` ran, or the sweep is stopped."""

    def __init__(
        self,
        sweep_dir: Path,
        function: Callable[[], Any] | None = None,
        count: int | None = None,
        *,
        raise_on_stop: bool = False,
        on_change: Callable[[], None] | None = None,
        agent: str | None = None,
    ) -> None:
        self.store = SweepStore.open(sweep_dir)
        meta = self.store.meta()
        self.seed = int(meta.get("seed") or 0)
        self.project: str = meta["project"]
        self.config: SweepConfig = parse_config(meta["config"])
        self.function = function
        self.count = count
        self.raise_on_stop = raise_on_stop
        self.on_change = on_change or (lambda: None)
        self.name = agent or agent_name()
        self.ran = 0

    def run(self) -> int:
        """Run trials; return how many this agent ran."""
        if self.function is None and self.config.program is None and self.config.command is None:
            raise SweepConfigError(
                ["this sweep has no program or command; pass function= to run it in Python"]
            )
        # The agent's count is the sweep's cap while it runs (the panel shows "3 of 8", then "finished").
        # A bucket briefly down between trials: each request is retried (bucket_retry.py), not fatal.
        sweep = self.store.path.name
        retrying(lambda: self.store.register_agent(self.name, self.count), "registering the agent", sweep)
        try:
            while self.count is None or self.ran < self.count:
                state = retrying(self.store.control_state, "reading the sweep's state", sweep)
                if state == "stopped":
                    break
                if state == "paused":
                    time.sleep(PAUSE_POLL)
                    continue
                claim = retrying(
                    lambda: claim_next(self.store, self.config, self.seed, self.name),
                    "claiming a trial",
                    sweep,
                )
                if claim is None:
                    break
                if self.function is not None:
                    self._run_function(claim)
                else:
                    self._run_script(claim)
                self.ran += 1
                self.on_change()
        finally:
            retrying(lambda: self.store.end_agent(self.name), "recording the agent's end", sweep)
        return self.ran

    def _run_function(self, claim: Claim) -> None:
        trial = TrialContext(
            self.store, claim.index, claim.attempt, claim.params, raise_on_stop=self.raise_on_stop
        )
        error = stopped = None
        with TrialRecorder(self.store, claim) as recorder:
            activate(trial)
            try:
                run = init(project=self.project, reinit="create_new")
                recorder.update(run_id=run.id, run_dir=run.dir)
                self.on_change()
                self.function()  # type: ignore[misc]
            except TrialStopped as signal:
                stopped = str(signal)
            except KeyboardInterrupt:
                self._finish_run(trial, 1)
                recorder.update(
                    state="stopped", stopped_reason="interrupted (KeyboardInterrupt)", ended_at=time.time()
                )
                raise
            except Exception:
                error = traceback.format_exc()
            finally:
                activate(None)
            # A milestone still being judged may stop the trial: its verdict belongs in the trial's record.
            self.store.wait_for_judgements(JUDGEMENT_WAIT)
            finish_error = self._finish_run(trial, 1 if error else 0)
            error = error or finish_error
            run = trial.run
            if run is not None:  # train() may have started another run (init after finish)
                recorder.record.update(run_id=run.id, run_dir=run.dir)
            recorder.finish(self._metric_of(run), error, self.store.stop_request(claim.index), stopped)

    def _finish_run(self, trial: TrialContext, exit_code: int) -> str | None:
        """Finish the trial's run if train() left it live; a failure to store it fails the trial."""
        run = trial.run
        if run is None or run.finished:
            return None
        try:
            run.finish(exit_code=exit_code)
        except Exception:
            return traceback.format_exc()
        return None

    def _metric_of(self, run: Any) -> Any:
        name = (self.config.metric or {}).get("name")
        if run is None or name is None:
            return None
        return run.summary.get(name)

    def _run_script(self, claim: Claim) -> None:
        run_id = new_run_id()
        # For a bucket store this is the local spool the script writes (it gets the same cache directory).
        run_dir = self.store.root / self.project / run_id
        args_file = self.store.path / "trials" / f".{claim.index}-args.json"
        command = build_command(self.config, claim.params, args_file)
        env = {
            **os.environ,
            ENV_SWEEP_DIR: str(self.store.path),
            ENV_TRIAL: str(claim.index),
            ENV_ATTEMPT: str(claim.attempt),
            ENV_RAISE: "1" if self.raise_on_stop else "",
            "SPYGLASS_RUN_ID": run_id,
            "SPYGLASS_DIR": self.store.store_dir,
            "WANDB_SWEEP_ID": self.store.path.name,
        }
        with TrialRecorder(self.store, claim) as recorder:
            recorder.update(run_id=run_id, run_dir=str(run_dir))
            self.on_change()
            try:
                process = subprocess.Popen(
                    command, env=env, stderr=subprocess.PIPE, text=True, errors="replace"
                )
            except OSError as failure:
                recorder.finish(None, f"could not start {command!r}: {failure}", None)
                return
            tail = _tee_stderr(process)
            stop_seen: float | None = None
            while process.poll() is None:
                time.sleep(SCRIPT_POLL)
                if stop_seen is None and self.store.stop_request(claim.index) is not None:
                    stop_seen = time.monotonic()
                if stop_seen is not None and time.monotonic() - stop_seen > SCRIPT_STOP_GRACE:
                    process.terminate()
                    process.wait()
            tail.join(timeout=5)
            stop = self.store.stop_request(claim.index)
            error = None
            if process.returncode != 0 and stop is None:
                lines = "".join(tail.lines)  # type: ignore[attr-defined]
                error = f"{' '.join(command)} exited with code {process.returncode}\n{lines}"
            meta = read_json(run_dir / METADATA_FILE) or {}
            name = (self.config.metric or {}).get("name")
            metric = (meta.get("summary") or {}).get(name) if name else None
            recorder.finish(metric, error, stop)


def _tee_stderr(process: subprocess.Popen[str]) -> threading.Thread:
    """Pass the script's stderr through, keeping its last lines for the trial's error."""
    lines: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)

    def pump() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            sys.stderr.write(line)
            lines.append(line)

    thread = threading.Thread(target=pump, name="spyglass-agent-stderr", daemon=True)
    thread.lines = lines  # type: ignore[attr-defined]
    thread.start()
    return thread
