"""What a run executed and where: the "environment" object of run.json.

capture() is best effort: a part that fails is null (logged at debug level), so it never fails init().
It takes a few milliseconds plus the git commands (one shared 2 s budget). Environment variables are never
recorded, and command-line values of options that look like secrets (--password, api_key=...) are redacted.
"""

from __future__ import annotations

import getpass
import logging
import os
import platform
import re
import socket
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .git_info import git_info
from .installed_packages import installed_packages

logger = logging.getLogger(__name__)

REDACTED = "<redacted>"
DISABLE_PACKAGES_ENV = "SPYGLASS_DISABLE_PACKAGES"
DISABLE_GIT_ENV = "SPYGLASS_DISABLE_GIT"
_TRUE_WORDS = ("1", "true", "yes", "on")
_SECRET_NAME = re.compile(
    r"passw|passwd|secret|token|api[-_]?key|auth(?!or)|credential|private[-_]?key", re.I
)


def capture(settings: Mapping[str, Any] | object | None = None, *, run_dir: Any = None) -> dict[str, Any]:
    """Return run.json's "environment": python, platform, host, user, program or notebook, git, packages.

    `settings` (a mapping or an object with attributes) may set disable_git and disable_packages (also
    $SPYGLASS_DISABLE_GIT, $SPYGLASS_DISABLE_PACKAGES). `run_dir` (a RunDirectory or a path) receives
    code/diff.patch when the git work tree has uncommitted changes.
    """
    began = time.perf_counter()
    environment: dict[str, Any] = {}
    facts: list[tuple[str, Callable[[], Any]]] = [
        ("python", platform.python_version),
        ("python_implementation", platform.python_implementation),
        ("platform", platform.platform),
        ("host", socket.gethostname),
        ("user", getpass.getuser),
        ("executable", lambda: sys.executable or None),
        ("cpu_count", os.cpu_count),
        ("cwd", os.getcwd),
    ]
    for key, read in facts:
        environment[key] = _best_effort(key, read)
    environment.update(_best_effort("program", program_or_notebook) or {})
    if not _disabled(settings, "disable_git", DISABLE_GIT_ENV):
        run_path = None if run_dir is None else Path(getattr(run_dir, "path", run_dir))
        code_path = environment.get("program") or environment.get("notebook")
        directories = _git_directories(environment.get("cwd"), code_path)
        environment["git"] = _best_effort("git", lambda: git_info(directories, run_path))
    if not _disabled(settings, "disable_packages", DISABLE_PACKAGES_ENV):
        environment["packages"] = _best_effort("packages", installed_packages)
    logger.debug("environment captured in %.1f ms", (time.perf_counter() - began) * 1000)
    return environment


def program_or_notebook() -> dict[str, Any]:
    """{"notebook": path or None} inside a Jupyter kernel; otherwise {"program": script, "args": [...]}."""
    shell = _kernel_shell()
    if shell is not None:
        # The kernel's own argv (the launcher and its connection file) says nothing about the notebook.
        return {"notebook": _notebook_path(shell)}
    argv = list(sys.argv)
    if not argv:
        return {"program": None, "args": []}
    program = argv[0]
    if program and program not in ("-c", "-") and os.path.exists(program):
        program = os.path.abspath(program)
    return {"program": program or None, "args": redact_arguments(argv[1:])}


def redact_arguments(arguments: list[str]) -> list[str]:
    """Replace the values of options that look like secrets: --token X, --api-key=X, db.password=X."""
    redacted: list[str] = []
    hide_next = False
    for argument in arguments:
        if hide_next:
            redacted.append(REDACTED)
            hide_next = False
            continue
        name, equals, _ = argument.partition("=")
        if equals and _SECRET_NAME.search(name):
            redacted.append(f"{name}={REDACTED}")
            continue
        hide_next = argument.startswith("-") and bool(_SECRET_NAME.search(argument))
        redacted.append(argument)
    return redacted


def _kernel_shell() -> Any:
    # Only look at IPython when it is already imported: importing it here would cost ~100 ms in scripts.
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    shell = get_ipython() if get_ipython is not None else None
    return shell if getattr(shell, "kernel", None) is not None else None


def _notebook_path(shell: Any) -> str | None:
    # ipykernel puts Jupyter's session path in __session__ (from JPY_SESSION_NAME); VS Code sets its own.
    user_ns = getattr(shell, "user_ns", None) or {}
    for candidate in (
        user_ns.get("__session__"),
        user_ns.get("__vsc_ipynb_file__"),
        os.environ.get("JPY_SESSION_NAME"),
    ):
        if isinstance(candidate, str) and candidate:
            return candidate
    return None


def _git_directories(cwd: str | None, code_path: str | None) -> list[str]:
    # The working directory first (as wandb does), then the script's or notebook's own directory.
    directories = [cwd] if cwd else []
    if code_path and os.path.isabs(code_path):
        code_dir = os.path.dirname(code_path)
        if os.path.isdir(code_dir) and code_dir not in directories:
            directories.append(code_dir)
    return directories


def _disabled(settings: Mapping[str, Any] | object | None, name: str, env_var: str) -> bool:
    value = settings.get(name) if isinstance(settings, Mapping) else getattr(settings, name, None)
    return bool(value) or os.environ.get(env_var, "").strip().lower() in _TRUE_WORDS


def _best_effort(what: str, read: Callable[[], Any]) -> Any:
    try:
        return read()
    except Exception as error:
        logger.debug("environment: no %s (%s: %s)", what, type(error).__name__, error)
        return None
