"""POST /spyglass/api/v1/report {"path": notebook, relative to the server root} -> {"path": the report}.

Publishes the notebook as saved on disk (the frontend saves first) to `<notebook>.report.html` beside it:
written atomically, never through a symlink, inside the server's roots, embedding only runs and tables inside
them.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..base.atomic_file import UnsafeOutputError
from .api_handler import SpyglassAPIHandler
from .run_access import RunAccessError, confine

REPORT_SUFFIX = ".report.html"


def resolve_notebook(requested: Any, root_dir: str, roots: list[Path]) -> Path:
    """The real path of an .ipynb inside the server's roots, or RunAccessError (400/403/404)."""
    real = confine(requested, "path", root_dir, roots)
    if real.suffix != ".ipynb" or not real.is_file():
        raise RunAccessError(404, f"{requested!r} is not a notebook file")
    return real


def report_path(notebook: Path) -> Path:
    return notebook.with_name(notebook.stem + REPORT_SUFFIX)


class ReportHandler(SpyglassAPIHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        # Imported per request: the builder needs numpy and nbformat, which the rest of the server does not.
        from ..report import ReportError, ReportInput, write_html

        try:
            body = self._json_object('{"path": "notebook.ipynb"}')
            notebook = resolve_notebook(body.get("path"), self._root_dir, self._roots)
            store = os.environ.get("SPYGLASS_DIR")
            source = ReportInput(notebook, store or None, bool(body.get("include_code")), tuple(self._roots))
            output = await asyncio.to_thread(write_html, source, report_path(notebook))
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except UnsafeOutputError as error:
            return self._fail(403, str(error))
        except ReportError as error:
            return self._fail(500, str(error))
        except Exception as error:  # the page shows the reason instead of a bare 500
            return self._fail(500, f"could not build the report: {error}")
        relative = os.path.relpath(output, self._root_dir)
        self.finish(json.dumps({"path": relative.replace(os.sep, "/"), "size": output.stat().st_size}))
