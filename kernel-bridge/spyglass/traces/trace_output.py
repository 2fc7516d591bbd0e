"""The MIME bundle of a trace panel output (`sg.display_traces`, a trace session as a cell's value)."""

from __future__ import annotations

import os
from typing import Any

from ..base.protocol_constants import TRACES_MIME_TYPE
from ..transport.protocol import protocol_version


def traces_bundle(project: str, store_root: str) -> dict[str, Any]:
    """The panel's data (project, store root, protocol) and a text fallback."""
    store_root = os.path.realpath(store_root)  # as live_calls.py names it in the calls it sends
    text = (
        f"Spyglass traces of project {project!r} in {store_root}. Open this notebook in JupyterLab with the "
        "Spyglass extension to follow the calls live, or read them with sg.Api().calls()."
    )
    data = {"project": project, "store_root": store_root, "protocol": protocol_version()}
    return {TRACES_MIME_TYPE: data, "text/plain": text}
