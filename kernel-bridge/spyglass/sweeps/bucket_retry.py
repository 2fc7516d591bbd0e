"""An agent's requests to a sweep in a bucket, retried while the bucket is briefly down.

An agent between trials reads the sweep's control state and claims the next trial; a bucket that stops
answering for a few seconds (a restart, a network blip) must not end the agent with a traceback. Each call is
retried with a bounded backoff (0.5 s doubling to 8 s) for up to `RETRY_SECONDS`, with one SweepWarning per
outage saying what failed and how long the agent keeps trying; past that the error is raised again, saying
the sweep is unchanged. A retried claim never runs a trial twice: claims are conditional creates, and a claim
that landed while its answer was lost is found again as this agent's own (claims.claim_next).
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable
from typing import TypeVar

from ..base.errors import BucketAccessDenied, BucketError, ObjectMissing
from .messages import SweepWarning

T = TypeVar("T")
RETRY_ENV = "SPYGLASS_SWEEP_RETRY_SECONDS"
RETRY_SECONDS = 60.0
FIRST_DELAY = 0.5
MAX_DELAY = 8.0


def retry_seconds() -> float:
    """How long an agent retries a request the bucket does not answer ($SPYGLASS_SWEEP_RETRY_SECONDS)."""
    try:
        return max(0.0, float(os.environ.get(RETRY_ENV, RETRY_SECONDS)))
    except ValueError:
        return RETRY_SECONDS


def retrying(call: Callable[[], T], what: str, sweep: str, seconds: float | None = None) -> T:
    """`call()`, retried on a transient bucket error (unreachable, a server error) for `seconds`; a refusal
    (no permission) or a missing object is not transient and is raised at once."""
    budget = retry_seconds() if seconds is None else seconds
    deadline = time.monotonic() + budget
    delay = FIRST_DELAY
    warned = False
    while True:
        try:
            return call()
        except (BucketAccessDenied, ObjectMissing):
            raise
        except BucketError as error:
            if time.monotonic() + delay > deadline:
                raise type(error)(
                    f"sweep {sweep}: {what} failed for {budget:.0f} s, the agent stops: {error}. No trial "
                    "was claimed twice or lost; start the agent again once the bucket answers."
                ) from error
            if not warned:
                warned = True
                warnings.warn(
                    f"sweep {sweep}: {what} failed ({error}); retrying, for up to {budget:.0f} s",
                    SweepWarning,
                    stacklevel=3,
                )
            time.sleep(delay)
            delay = min(delay * 2, MAX_DELAY)
