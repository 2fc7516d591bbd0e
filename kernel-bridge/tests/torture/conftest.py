"""The torture suite: hostile inputs, kills and faults.

Each test tallies the inputs it tried and the failures it saw; pytest prints one line per tally at the end,
so a figure is visible in CI and regresses only with a failing test."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

_TALLIES: list[Tally] = []


@dataclass
class Tally:
    """Inputs tried and failures seen by one torture test; `failures` holds a short description of each."""

    name: str
    tried: int = 0
    failures: list[str] = field(default_factory=list)

    def attempt(self) -> None:
        self.tried += 1

    def fail(self, description: str) -> None:
        self.failures.append(description)


@pytest.fixture
def tally(request) -> Tally:
    """A tally named after the test; assert `not tally.failures` at the end of the test."""
    entry = Tally(request.node.name)
    _TALLIES.append(entry)
    return entry


def pytest_terminal_summary(terminalreporter) -> None:
    if not _TALLIES:
        return
    terminalreporter.section("torture")
    for entry in _TALLIES:
        terminalreporter.write_line(
            f"torture {entry.name}: {entry.tried} inputs, {len(entry.failures)} failures"
        )
