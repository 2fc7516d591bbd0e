"""Progress of an evaluation: an updated cell output in a notebook, a tqdm-like line in a terminal.

In a kernel the output is displayed once with a display_id and updated at most every 0.25 s (as the sweep
agent's output is, sweeps/display.py); in a script a line on stderr is redrawn in place when stderr is a
terminal, else printed once at the end. The evaluation matters more than its picture: a failing display
is a warning, never an error.
"""

from __future__ import annotations

import html
import sys
import time
import uuid
import warnings
from typing import Any

from ..tracking.session import in_kernel

UPDATE_INTERVAL = 0.25


class Progress:
    """`advance(failed)` once per example; `close()` draws the final state."""

    def __init__(self, label: str, total: int, enabled: bool = True) -> None:
        self.label = label
        self.total = total
        self.done = self.failed = 0
        self._started = time.monotonic()
        self._last = 0.0
        self._kernel = enabled and in_kernel()
        self._terminal = enabled and not self._kernel and sys.stderr.isatty()
        self._enabled = enabled
        self._display_id = f"spyglass-eval-{uuid.uuid4().hex[:8]}"
        if self._kernel:
            self._show(first=True)

    def advance(self, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        if time.monotonic() - self._last >= UPDATE_INTERVAL:
            self._draw()

    def close(self) -> None:
        if self._kernel:
            self._show(first=False)
        elif self._enabled:
            end = "\n"
            sys.stderr.write(("\r" if self._terminal else "") + self.text() + end)
            sys.stderr.flush()

    def text(self) -> str:
        """`qa/Model: 40/100 [########------------] 40% 2 failed 12.5 ex/s`."""
        share = self.done / self.total if self.total else 1.0
        filled = round(share * 20)
        elapsed = max(time.monotonic() - self._started, 1e-9)
        failed = f" {self.failed} failed" if self.failed else ""
        return (
            f"{self.label}: {self.done}/{self.total} [{'#' * filled}{'-' * (20 - filled)}] "
            f"{share:.0%}{failed} {self.done / elapsed:.1f} ex/s"
        )

    def _draw(self) -> None:
        self._last = time.monotonic()
        if self._kernel:
            self._show(first=False)
        elif self._terminal:
            sys.stderr.write("\r" + self.text())
            sys.stderr.flush()

    def _bundle(self) -> dict[str, Any]:
        text = self.text()
        bar = (
            '<div class="spyglass-eval-progress">'
            f'<progress max="{self.total}" value="{self.done}"></progress> '
            f"<span>{html.escape(text)}</span></div>"
        )
        return {"text/plain": text, "text/html": bar}

    def _show(self, first: bool) -> None:
        try:
            from IPython.display import display, update_display

            if first:
                display(self._bundle(), raw=True, display_id=self._display_id)
            else:
                update_display(self._bundle(), raw=True, display_id=self._display_id)
        except Exception as error:
            warnings.warn(f"evaluation progress: could not update the output: {error}", stacklevel=2)
            self._kernel = False
