"""run.url, run.project_url, run.sweep_url: where to look at a run, as wandb's run URLs.

When this process runs under a Jupyter server (a notebook kernel, or a script started from one of its
terminals: the server is one of its ancestor processes), the URLs open JupyterLab on that server and its
Spyglass extension opens the run panel (`lab?spyglass-store=<store root>&spyglass-run=<project>/<id>`) or the
project's workspace (`spyglass-project=<project>`). Otherwise they are `file://` URLs of the run, project or
sweep directory. Finding the server never raises and never waits on the network: it reads the server files
of the Jupyter runtime directory, once per process.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

_server_by_pid: dict[int, dict[str, Any] | None] = {}


def jupyter_server() -> dict[str, Any] | None:
    """The running Jupyter server this process descends from (its server info), or None."""
    pid = os.getpid()
    if pid not in _server_by_pid:  # keyed by pid: a forked worker looks again for itself
        _server_by_pid[pid] = _find_server()
    return _server_by_pid[pid]


def _find_server() -> dict[str, Any] | None:
    try:
        from jupyter_server.serverapp import list_running_servers

        servers = list(list_running_servers())
    except Exception:  # no jupyter_server, unreadable runtime dir: no server known
        return None
    ancestors = _ancestor_pids()
    for info in servers:
        if info.get("pid") in ancestors and isinstance(info.get("url"), str):
            return info
    return None


def _ancestor_pids(limit: int = 64) -> set[int]:
    pids: set[int] = set()
    pid = os.getppid()
    while pid > 1 and pid not in pids and len(pids) < limit:
        pids.add(pid)
        pid = _parent_of(pid)
    return pids


def _parent_of(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[1])  # the name may hold spaces; ppid follows its ")"
    except (OSError, ValueError, IndexError):
        pass
    try:
        import psutil

        return int(psutil.Process(pid).ppid())
    except Exception:
        return 0


def lab_url(query: dict[str, str]) -> str | None:
    """`<server>lab?<query>` on the Jupyter server this process runs under, or None."""
    server = jupyter_server()
    if server is None:
        return None
    return f"{str(server['url']).rstrip('/')}/lab?{urlencode(query)}"


def run_url(run_dir: str, project: str, run_id: str) -> str:
    store_root = str(Path(run_dir).parent.parent)
    url = lab_url({"spyglass-store": store_root, "spyglass-run": f"{project}/{run_id}"})
    return url or Path(run_dir).absolute().as_uri()


def project_url(run_dir: str, project: str) -> str:
    store_root = str(Path(run_dir).parent.parent)
    url = lab_url({"spyglass-store": store_root, "spyglass-project": project})
    return url or Path(run_dir).parent.absolute().as_uri()


def sweep_url(run_dir: str, project: str, sweep: dict[str, Any] | None) -> str | None:
    """The sweep's URL (its project's workspace in JupyterLab, else its directory), None outside a sweep."""
    if not sweep or not sweep.get("id"):
        return None
    store_root = str(Path(run_dir).parent.parent)
    url = lab_url({"spyglass-store": store_root, "spyglass-project": project, "spyglass-sweep": sweep["id"]})
    if url is not None:
        return url
    directory = sweep.get("dir")
    return Path(directory).absolute().as_uri() if directory else Path(run_dir).parent.absolute().as_uri()


class RunUrls:
    """Mixed into Run: wandb's url properties and get_*_url() methods. Needs dir, project, id and _sweep."""

    dir: str
    project: str
    id: str
    _sweep: dict[str, Any] | None

    @property
    def url(self) -> str:
        """Opens the run panel in JupyterLab when a server is known, else the run directory's file:// URL."""
        return run_url(self.dir, self.project, self.id)

    @property
    def project_url(self) -> str:
        """Opens the project's workspace in JupyterLab, else the project directory's file:// URL."""
        return project_url(self.dir, self.project)

    @property
    def sweep_url(self) -> str | None:
        """The sweep's URL for a sweep trial; None for a run outside a sweep (as wandb)."""
        return sweep_url(self.dir, self.project, self._sweep)

    def get_url(self) -> str:
        return self.url

    def get_project_url(self) -> str:
        return self.project_url

    def get_sweep_url(self) -> str | None:
        return self.sweep_url
