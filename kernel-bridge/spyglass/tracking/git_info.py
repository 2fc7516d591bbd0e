"""Git facts about the code a run executes: commit, branch, remote (credentials stripped), uncommitted diff.

Best effort and bounded: every git command shares one GIT_TIMEOUT budget and is killed when it runs out, the
diff is capped at DIFF_LIMIT bytes, and any failure means less information, never an exception.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..base.atomic_file import write_atomic

logger = logging.getLogger(__name__)

GIT_TIMEOUT = 2.0  # seconds, for all git commands of one capture together
DIFF_LIMIT = 10 * 1024 * 1024
DIFF_PATH = "code/diff.patch"  # relative to the run directory
_CHUNK = 1024 * 1024
_SSH_SCHEMES = ("ssh", "git+ssh", "ssh+git")
# Plain text whatever the user's config: no external diff tools or textconv filters run on our behalf.
_DIFF_OPTIONS = ("--no-color", "--no-ext-diff", "--no-textconv")
# No prompts (a credential helper waiting on a terminal), no optional index lock (status/diff would otherwise
# refresh the index and could collide with the user's own git commands), stable messages.
_GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


def git_info(directories: Sequence[str | os.PathLike[str]], run_dir: Path | None) -> dict[str, Any] | None:
    """Return {commit, branch, remote, dirty, diff_path} for the first directory inside a git work tree.

    The uncommitted changes to tracked files (`git diff HEAD`) are written to <run_dir>/code/diff.patch when
    there are any and run_dir is given; diff_path is then "code/diff.patch" (relative to the run directory).
    """
    git = shutil.which("git")
    if git is None:
        return None
    deadline = time.monotonic() + GIT_TIMEOUT
    for directory in directories:
        head = _git(
            git, directory, deadline, "rev-parse", "--show-toplevel", "HEAD", "--symbolic-full-name", "HEAD"
        )
        if head is not None and head.output:
            return _describe(git, directory, deadline, head, run_dir)
    return None


@dataclass(frozen=True)
class _Result:
    returncode: int
    output: bytes
    truncated: bool  # output cut at the limit (and git killed)

    def lines(self) -> list[str]:
        return self.output.decode("utf-8", "replace").splitlines()


def _describe(git: str, directory, deadline: float, head: _Result, run_dir: Path | None) -> dict[str, Any]:
    lines = head.lines()
    has_commit = head.returncode == 0 and len(lines) >= 3  # a repository without commits has no HEAD
    ref = lines[2] if has_commit else ""
    info: dict[str, Any] = {
        "commit": lines[1] if has_commit else None,
        "branch": ref[len("refs/heads/") :] if ref.startswith("refs/heads/") else None,  # None: detached HEAD
        "remote": _remote_url(git, directory, deadline),
        "dirty": None,
        "diff_path": None,
    }
    if has_commit:
        diff = _git(git, directory, deadline, "diff", "HEAD", *_DIFF_OPTIONS, limit=DIFF_LIMIT)
        if diff is not None and (diff.returncode == 0 or diff.truncated):
            info["dirty"] = bool(diff.output)
            if diff.output and run_dir is not None:
                info.update(_write_diff(run_dir, diff))
    return info


def _remote_url(git: str, directory, deadline: float) -> str | None:
    result = _git(git, directory, deadline, "config", "--get-regexp", r"^remote\..*\.url$")
    if result is None or result.returncode != 0:
        return None
    urls = dict(line.split(" ", 1) for line in result.lines() if " " in line)
    url = urls.get("remote.origin.url") or next(iter(urls.values()), None)
    return strip_credentials(url) if url else None


def _write_diff(run_dir: Path, diff: _Result) -> dict[str, Any]:
    data = diff.output
    if diff.truncated:
        limit_mb = DIFF_LIMIT // (1024 * 1024)
        data += f"\n# spyglass: diff truncated at {limit_mb} MB; the rest was not saved\n".encode()
    try:
        target = run_dir / DIFF_PATH
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    except OSError as error:
        logger.debug("could not save the git diff in %s: %s", run_dir, error)
        return {}
    return {"diff_path": DIFF_PATH, "diff_truncated": diff.truncated}


def _git(git: str, directory, deadline: float, *args: str, limit: int = _CHUNK) -> _Result | None:
    """Run git in `directory`; None if it cannot start or the deadline passes. Output capped at `limit`."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return None
    try:
        process = subprocess.Popen(
            [git, "-c", "color.ui=never", *args],
            cwd=directory,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **_GIT_ENV},
            # Its own process group, so a kill also reaches hooks or helpers git started, which would
            # otherwise keep the pipe open and the read below blocked.
            start_new_session=os.name == "posix",
        )
    except OSError as error:
        logger.debug("git %s in %s did not start: %s", args[0], directory, error)
        return None
    killer = threading.Timer(remaining, _kill, (process,))
    killer.start()
    try:
        output, truncated = _read_capped(process, limit)
        if truncated:
            _kill(process)
        returncode = process.wait()
    finally:
        killer.cancel()
        process.stdout.close()
    if time.monotonic() >= deadline and not truncated:
        logger.debug("git %s in %s took longer than %s s; skipped", args[0], directory, GIT_TIMEOUT)
        return None
    return _Result(returncode, output, truncated)


def _kill(process: subprocess.Popen) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:  # already gone
        pass


def _read_capped(process: subprocess.Popen, limit: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = process.stdout.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)[:limit], True


def strip_credentials(url: str) -> str:
    """Remove passwords and tokens from a remote URL (https://user:token@host/x -> https://host/x)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url
    if len(parts.scheme) <= 1:  # scp-like "git@host:path", a local or Windows path: no secret to strip
        return url
    userinfo, at, host = parts.netloc.rpartition("@")
    # Over ssh the user name is part of the address (git@); elsewhere a lone "user" is often a token
    # (https://ghp_xxx@github.com), so only ssh keeps it. Passwords, queries and fragments never stay.
    user = userinfo.partition(":")[0]
    if at and user and parts.scheme in _SSH_SCHEMES:
        host = f"{user}@{host}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))
