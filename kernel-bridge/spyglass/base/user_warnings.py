"""Where a Spyglass warning points: the user's line (a script line, a notebook cell), not Spyglass internals.

A fixed `stacklevel` is right only for one call depth: the same check reached through `sg.log` rather than
`run.log`, or through `init(settings={...})` rather than `Settings(...)`, pointed inside Spyglass, and one
level too many points at IPython's own frames in a notebook. `user_stacklevel()` counts the frames instead.
"""

from __future__ import annotations

import sys

_PACKAGE = __name__.partition(".")[0]


def user_stacklevel() -> int:
    """The `stacklevel` for a warnings.warn() in the calling function that names the first frame outside the
    spyglass package: the line of user code (or of the library, such as Keras, that called Spyglass)."""
    frame, level = sys._getframe(1), 1
    while frame is not None and _in_package(frame.f_globals.get("__name__", "")):
        frame, level = frame.f_back, level + 1
    return level


def _in_package(module: str) -> bool:
    return module == _PACKAGE or module.startswith(_PACKAGE + ".")
