"""`sg.display_traces(project)`: a project's trace panel in the cell output, following its calls live.

JupyterLab with the Spyglass extension draws the panel (docs/traces.md#live-in-the-cell); the calls this
kernel makes arrive over the comm as they are stored, and the panel reads the rest from the store. Elsewhere
the output is its text.
"""

from __future__ import annotations

import os
from typing import Any

from ..store.run_store import resolve_store_root, validate_name
from . import trace_destination
from .trace_output import traces_bundle


class TracesView:
    """A displayable trace panel of one project in one store."""

    def __init__(self, project: str, store_root: str) -> None:
        self.project = project
        self.store_root = store_root

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return traces_bundle(self.project, self.store_root)

    def __repr__(self) -> str:
        return f"TracesView(project={self.project!r}, store_root={self.store_root!r})"


def traces_view(project: str | None = None, dir: str | os.PathLike[str] | None = None) -> TracesView:
    """The trace panel of `project` (default: the project calls go to now) in the store `dir`."""
    if project is None:
        session = trace_destination.session_for_root_call()
        if session is None:
            raise ValueError(
                "display_traces() needs a project: pass display_traces('my-project'), or call "
                "sg.init_traces('my-project') (or sg.init(...)) first"
            )
        if dir is None:
            return TracesView(session.project, str(session.path.parents[2]))
        project = session.project
    validate_name("project", project)
    return TracesView(project, str(resolve_store_root(dir)))


def display_traces(project: str | None = None, *, dir: str | os.PathLike[str] | None = None) -> None:
    """Show the trace panel of `project` (default: where calls go now) in the cell output; it follows the
    calls live while the cell and later cells run. Outside IPython it prints the text form."""
    view = traces_view(project, dir)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        print(view._repr_mimebundle_()["text/plain"])
        return
    if get_ipython() is None:
        print(view._repr_mimebundle_()["text/plain"])
        return
    display(view._repr_mimebundle_(), raw=True)
