"""Jupyter server extension: serves stored runs (run.json, framed-log slices) to the JupyterLab frontend."""

from __future__ import annotations

import os
from typing import Any

from jupyter_server.utils import url_path_join

from .handlers import HistorySliceHandler, RunMetadataHandler
from .run_access import allowed_roots

API_PREFIX = "spyglass/api/v1"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Let `jpserver_extensions` enable `spyglass.server` directly, as well as `spyglass`."""
    return [{"module": "spyglass.server"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Register the Spyglass API handlers with the running Jupyter server."""
    root_dir = os.path.abspath(os.path.expanduser(server_app.root_dir))
    web_app = server_app.web_app
    web_app.settings["spyglass"] = {
        "root_dir": root_dir,
        "roots": allowed_roots(root_dir, os.environ.get("SPYGLASS_DIR")),
    }
    base_url = web_app.settings["base_url"]
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base_url, API_PREFIX, "run"), RunMetadataHandler),
            (url_path_join(base_url, API_PREFIX, "history"), HistorySliceHandler),
        ],
    )
    server_app.log.info("Spyglass server extension: serving runs under %s", root_dir)
