"""User-facing texts of sweeps that appear in more than one place (warnings, the snapshot, the CLI)."""

from __future__ import annotations


class SweepWarning(UserWarning):
    """Something about a sweep the user should know (a metric never logged, a retried trial)."""


def metric_never_logged(metric: str, finished: int) -> str:
    return (
        f"metric '{metric}' was never logged by the {finished} finished trial(s): check the name given in "
        "the sweep config against what the training function logs"
    )


def bayes_falls_back(metric: str, finished: int) -> str:
    return metric_never_logged(metric, finished) + "; bayes proposes random configurations until it is"


def trial_retried(index: int, agent: str | None) -> str:
    return f"trial {index}: its agent {agent or '?'} stopped answering; the trial is run again"


def trial_abandoned(index: int, attempts: int) -> str:
    return f"trial {index}: its agent stopped answering {attempts} times; marked failed"


def stale_trial(index: int, agent: str | None) -> str:
    return f"trial {index}: agent {agent or '?'} stopped answering; the next agent will retry or fail it"


def target_reached(metric: str, target: float) -> str:
    return f"metric '{metric}' reached the target {target}; no new trials are started"
