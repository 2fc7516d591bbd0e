"""The run a training-loop integration logs to: the current run if there is one, else one it starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..tracking import session
from ..tracking.session import init


def current_or_new_run(**init_options: Any) -> tuple[Any, bool]:
    """(run, started): the current run (started False), or a new one from spyglass.init(**init_options).

    An integration finishes only a run it started; a run the user started is theirs to finish.
    """
    if session.current_run is not None:
        return session.current_run, False
    return init(**{key: value for key, value in init_options.items() if value is not None}), True


def continued_run(run: Any, **init_options: Any) -> Any:
    """`run`, finished by its integration, continued (resume="allow"): e.g. trainer.test() after fit().

    The resumed run keeps its name, tags, config and step counter; only mode and settings are given again.
    """
    again = {key: init_options[key] for key in ("mode", "settings") if init_options.get(key) is not None}
    store_root = Path(run.dir).parent.parent  # a run lives in <store root>/<project>/<id>
    return init(project=run.project, id=run.id, dir=store_root, resume="allow", **again)
