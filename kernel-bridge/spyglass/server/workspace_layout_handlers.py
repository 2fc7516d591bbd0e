"""HTTP handlers that keep a workspace's layout in `<store_root>/<project>/.workspace.json` (issue 4).

The file is written atomically; paths are confined to the server's roots like every other Spyglass endpoint.
`GET .../workspace_projects` tells the page the server's default store root and its projects, so the
workspace can open from the launcher without a notebook having said where the store is.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..base.atomic_file import UnsafeOutputError, write_output
from ..base.errors import InvalidNameError
from ..store.run_store import DEFAULT_STORE_DIR, resolve_store_root, validate_name
from ..workspace_data.index import list_projects
from .api_handler import SpyglassAPIHandler
from .bucket_sync import pull_projects
from .run_access import RunAccessError, confine, require_within

LAYOUT_FILE = ".workspace.json"
# A layout is a few KiB; a bigger body is a mistake or an attack, not a layout.
MAX_LAYOUT_BYTES = 1024 * 1024


def default_store_root(root_dir: str) -> str:
    """The store the server shows by default: $SPYGLASS_DIR (relative to root_dir) or root_dir/spyglass."""
    chosen = os.environ.get("SPYGLASS_DIR") or DEFAULT_STORE_DIR
    if chosen.lower().startswith("s3://"):
        return os.path.realpath(resolve_store_root(chosen))  # a bucket store's local root (its mirror)
    return os.path.realpath(os.path.join(root_dir, os.path.expanduser(chosen)))


def confined_store_root(requested: str | None, root_dir: str, roots: list[Path]) -> Path:
    """The real path of a requested store root (default when absent) inside the roots, else RunAccessError."""
    if requested is None or requested == "":
        requested = default_store_root(root_dir)
    return confine(requested, "store_root", root_dir, roots)


def layout_path(store_root: Path, project: str, roots: list[Path]) -> Path:
    """`<store_root>/<project>/.workspace.json`, refusing bad project names and symlinks leading out."""
    try:
        validate_name("project", project)
    except InvalidNameError as error:
        raise RunAccessError(400, str(error)) from None
    path = store_root / project / LAYOUT_FILE
    require_within(path, roots, f"{project}/{LAYOUT_FILE}")
    return path


def read_layout(path: Path) -> Any:
    """The saved layout JSON, or None when there is none yet (the page validates what it gets)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def write_layout(path: Path, layout: Any, roots: list[Path] | None = None) -> None:
    """Replace the layout file atomically, never through a symlink, inside the roots; the project directory
    must exist (a layout arranges its runs)."""
    if not path.parent.is_dir():
        raise RunAccessError(404, f"project directory {path.parent.name!r} does not exist in the store")
    try:
        write_output(path, json.dumps(layout, indent=1, sort_keys=True).encode("utf-8"), within=roots)
    except UnsafeOutputError as error:
        raise RunAccessError(403, str(error)) from None


def parse_layout_body(body: bytes) -> dict[str, Any]:
    """The request body as a layout object with an integer `version`; raises RunAccessError (400/413)."""
    if len(body) > MAX_LAYOUT_BYTES:
        raise RunAccessError(413, f"the layout is {len(body)} bytes; at most {MAX_LAYOUT_BYTES} are accepted")
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RunAccessError(400, f"the layout is not JSON: {error}") from None
    if not isinstance(value, dict):
        raise RunAccessError(400, "the layout must be a JSON object")
    if not isinstance(value.get("version"), int) or isinstance(value.get("version"), bool):
        raise RunAccessError(400, "the layout needs an integer 'version'")
    return value


class WorkspaceLayoutHandler(SpyglassAPIHandler):
    """GET/PUT /spyglass/api/v1/workspace_layout?store_root=ABS&project=P: the project's saved layout."""

    def _path(self) -> Path:
        root = confined_store_root(self.get_query_argument("store_root", None), self._root_dir, self._roots)
        project = self.get_query_argument("project", None)
        if not project:
            raise RunAccessError(400, "missing query parameter 'project'")
        return layout_path(root, project, self._roots)

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        try:
            path = self._path()
            layout = await asyncio.to_thread(read_layout, path)
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except (OSError, ValueError) as error:
            return self._fail(500, f"could not read the workspace layout: {error}")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({"layout": layout}))

    @tornado.web.authenticated
    @authorized
    async def put(self) -> None:
        try:
            path = self._path()
            layout = parse_layout_body(self.request.body)
            await asyncio.to_thread(write_layout, path, layout, self._roots)
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except OSError as error:
            return self._fail(500, f"could not save the workspace layout: {error}")
        self.finish(json.dumps({"ok": True}))


class WorkspaceProjectsHandler(SpyglassAPIHandler):
    """GET /spyglass/api/v1/workspace_projects[?store_root=ABS]: the store root used and its projects."""

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        try:
            root = confined_store_root(
                self.get_query_argument("store_root", None), self._root_dir, self._roots
            )
            await pull_projects(self.settings["spyglass"], root)
            projects = await asyncio.to_thread(list_projects, root, self._roots)
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except OSError as error:
            return self._fail(500, f"could not list the projects: {error}")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({"store_root": str(root), "projects": projects}))
