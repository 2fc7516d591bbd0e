"""Close matches of a project name the store does not hold ("Mistakes" for "mistakes"), for every message
that says so: the read API and `spyglass runs ls`, `sg.workspace()`'s text and the workspace view (/runs)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

MAX_MATCHES = 5
_CUTOFF = 0.7  # "dem0" ~ "demo" (0.75), "mistake" ~ "mistakes"; "Mistakes" !~ "mnist" (0.62)


def close_projects(project: str, projects: Iterable[str]) -> list[str]:
    """The existing projects whose names are near `project`: the same name in another case first, then the
    most similar ones (case-insensitive), at most MAX_MATCHES; [] when `project` exists."""
    names = sorted(set(projects))
    if project in names:
        return []
    wanted = project.casefold()
    same_case = [name for name in names if name.casefold() == wanted]
    folded = {name.casefold(): name for name in names if name not in same_case}
    similar = difflib.get_close_matches(wanted, list(folded), n=MAX_MATCHES, cutoff=_CUTOFF)
    return (same_case + [folded[name] for name in similar])[:MAX_MATCHES]


def did_you_mean(project: str, projects: Iterable[str]) -> str:
    """ " Did you mean 'mistakes'?" when a project is near `project`, else ""."""
    matches = close_projects(project, projects)
    return f" Did you mean {' or '.join(repr(name) for name in matches)}?" if matches else ""
