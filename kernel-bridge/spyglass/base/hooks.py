"""A hook across floors: a function a lower floor calls and a floor above provides (dependency inversion).

The lower floor owns the hook and its default (what holds while nothing is provided); the floor above, which
may import the lower one, provides the real function. So no module imports a floor above its own
(tests/test_layering.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class Hook(Generic[P, R]):
    """Call it like the function it holds; `provide` replaces the default."""

    def __init__(self, default: Callable[P, R]) -> None:
        self._function = default

    def provide(self, function: Callable[P, R]) -> None:
        self._function = function

    @property
    def function(self) -> Callable[P, R]:
        """The function the hook calls now (a hot path calls it directly, without the forwarding call)."""
        return self._function

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        return self._function(*args, **kwargs)
