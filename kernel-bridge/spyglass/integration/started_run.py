"""The run a training-loop integration logs to: the current run if there is one, else one it starts."""

from __future__ import annotations

from typing import Any


def current_or_new_run(**init_options: Any) -> tuple[Any, bool]:
    """(run, started): the current run (started False), or a new one from spyglass.init(**init_options).

    An integration finishes only a run it started; a run the user started is theirs to finish.
    """
    from .. import session
    from ..session import init

    if session.current_run is not None:
        return session.current_run, False
    return init(**{key: value for key, value in init_options.items() if value is not None}), True
