"""Environment capture: what ran where, git state and packages; best effort, fast, and free of secrets."""

from __future__ import annotations

import importlib.metadata
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import types

import pytest

from spyglass.store.run_store import RunDirectory
from spyglass.tracking import environment, git_info
from spyglass.tracking.environment import REDACTED, capture, redact_arguments
from spyglass.tracking.git_info import strip_credentials

SECRET_REMOTE = "https://alice:s3cr3t-token@example.com/org/repo.git"


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository with one commit on `main` and a remote whose URL holds credentials; cwd is inside."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "test@example.com")
    git(path, "config", "user.name", "Test")
    (path / "train.py").write_text("lr = 0.1\n")
    git(path, "add", "train.py")
    git(path, "commit", "-q", "-m", "first")
    git(path, "remote", "add", "origin", SECRET_REMOTE)
    monkeypatch.chdir(path)
    return path


@pytest.fixture
def run_dir(tmp_path):
    return RunDirectory.create(tmp_path / "store", "demo", "run1")


def head_commit(repo) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True
    ).stdout.strip()


def test_basic_facts_describe_the_interpreter_and_the_machine():
    env = capture()
    assert env["python"] == ".".join(map(str, sys.version_info[:3]))
    assert env["python_implementation"] == sys.implementation.name.replace("cpython", "CPython")
    assert env["host"] == socket.gethostname()
    assert env["executable"] == sys.executable
    assert env["cwd"] == os.getcwd()
    assert env["platform"] and env["cpu_count"] >= 1
    json.dumps(env, allow_nan=False)  # run.json is strict JSON


def test_a_clean_repository_gives_commit_branch_and_remote_without_credentials(repo, run_dir):
    env = capture(run_dir=run_dir)
    assert env["git"] == {
        "commit": head_commit(repo),
        "branch": "main",
        "remote": "https://example.com/org/repo.git",
        "dirty": False,
        "diff_path": None,
    }
    assert "s3cr3t" not in json.dumps(env)
    assert not (run_dir.path / "code").exists()


def test_uncommitted_changes_are_saved_as_a_patch_in_the_run_directory(repo, run_dir):
    (repo / "train.py").write_text("lr = 0.2\n")
    git_facts = capture(run_dir=run_dir)["git"]
    assert git_facts["dirty"] is True
    assert git_facts["diff_path"] == "code/diff.patch" and git_facts["diff_truncated"] is False
    patch = (run_dir.path / "code" / "diff.patch").read_text()
    assert "-lr = 0.1" in patch and "+lr = 0.2" in patch
    subprocess.run(
        ["git", "apply", "--check", "-R", str(run_dir.path / "code" / "diff.patch")], cwd=repo, check=True
    )


def test_a_diff_over_the_limit_is_cut_with_a_note(repo, run_dir, monkeypatch):
    monkeypatch.setattr(git_info, "DIFF_LIMIT", 1000)
    (repo / "train.py").write_text("x = 1\n" * 5000)
    git_facts = capture(run_dir=run_dir)["git"]
    assert git_facts["dirty"] is True and git_facts["diff_truncated"] is True
    patch = (run_dir.path / git_facts["diff_path"]).read_bytes()
    assert patch.startswith(b"diff --git") and b"diff truncated" in patch[1000:]
    assert len(patch) < 1200


def test_a_detached_head_has_no_branch(repo):
    git(repo, "checkout", "-q", "--detach")
    assert capture()["git"]["branch"] is None


def test_a_repository_without_commits_still_reports_its_remote(tmp_path, monkeypatch):
    git(tmp_path, "init", "-q")
    git(tmp_path, "remote", "add", "upstream", "ssh://git:pw@example.com/x.git")
    monkeypatch.chdir(tmp_path)
    assert capture()["git"] == {
        "commit": None,
        "branch": None,
        "remote": "ssh://git@example.com/x.git",
        "dirty": None,
        "diff_path": None,
    }


def test_outside_a_repository_git_is_none(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["-c"])
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert capture()["git"] is None


def test_the_scripts_own_directory_is_used_when_cwd_is_not_a_repository(repo, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setattr(sys, "argv", [str(repo / "train.py")])
    assert capture()["git"]["commit"] == head_commit(repo)


def test_git_capture_can_be_turned_off(repo, monkeypatch):
    assert "git" not in capture({"disable_git": True})
    monkeypatch.setenv("SPYGLASS_DISABLE_GIT", "1")
    assert "git" not in capture()


def test_a_hanging_git_is_killed_at_the_time_budget(tmp_path, monkeypatch):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "git").write_text("#!/bin/sh\nsleep 10\n")
    (fake_bin / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake_bin}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(git_info, "GIT_TIMEOUT", 0.3)
    began = time.monotonic()
    env = capture({"disable_packages": True})
    assert env["git"] is None
    assert time.monotonic() - began < 2.0


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://alice:token@github.com/org/repo.git", "https://github.com/org/repo.git"),
        ("https://ghp_abc123@github.com/org/repo", "https://github.com/org/repo"),
        ("https://gitlab.com/org/repo.git?private_token=abc#x", "https://gitlab.com/org/repo.git"),
        ("ssh://git:pw@example.com:2222/repo.git", "ssh://git@example.com:2222/repo.git"),
        ("ssh://git@example.com/repo.git", "ssh://git@example.com/repo.git"),
        ("git@github.com:org/repo.git", "git@github.com:org/repo.git"),
        ("/srv/git/repo.git", "/srv/git/repo.git"),
        ("file:///srv/git/repo.git", "file:///srv/git/repo.git"),
    ],
)
def test_remote_urls_lose_their_credentials(url, expected):
    assert strip_credentials(url) == expected


def test_installed_packages_are_listed_sorted_as_name_equals_version():
    packages = capture()["packages"]
    assert f"pyarrow=={importlib.metadata.version('pyarrow')}" in packages
    assert packages == sorted(packages, key=str.lower)
    assert len(packages) == len({p.split("==")[0].lower() for p in packages})


def test_the_packages_list_can_be_turned_off_by_setting_or_environment(monkeypatch):
    assert "packages" not in capture({"disable_packages": True})
    assert "packages" not in capture(types.SimpleNamespace(disable_packages=True))
    monkeypatch.setenv("SPYGLASS_DISABLE_PACKAGES", "1")
    assert "packages" not in capture()


def test_a_script_records_its_path_and_arguments_with_secrets_redacted(tmp_path, monkeypatch):
    script = tmp_path / "train.py"
    script.write_text("")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["train.py", "--lr", "0.1", "--api-key", "k-123", "db.password=hunter2"])
    env = capture()
    assert env["program"] == str(script)
    assert env["args"] == ["--lr", "0.1", "--api-key", REDACTED, f"db.password={REDACTED}"]
    assert "notebook" not in env


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--token=abc", "--epochs=3"], [f"--token={REDACTED}", "--epochs=3"]),
        (["--password", "pw", "--author", "me"], ["--password", REDACTED, "--author", "me"]),
        (["AWS_SECRET_ACCESS_KEY=x", "lr=1"], [f"AWS_SECRET_ACCESS_KEY={REDACTED}", "lr=1"]),
        (["--auth-token", "t"], ["--auth-token", REDACTED]),
    ],
)
def test_secret_looking_arguments_are_redacted(arguments, expected):
    assert redact_arguments(arguments) == expected


def fake_kernel(monkeypatch, user_ns):
    shell = types.SimpleNamespace(kernel=object(), user_ns=user_ns)
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: shell
    monkeypatch.setitem(sys.modules, "IPython", ipython)


def test_inside_a_jupyter_kernel_the_notebook_path_replaces_the_command_line(monkeypatch):
    fake_kernel(monkeypatch, {"__session__": "/home/me/analysis.ipynb"})
    monkeypatch.setattr(sys, "argv", ["ipykernel_launcher.py", "-f", "/run/kernel-1.json"])
    env = capture()
    assert env["notebook"] == "/home/me/analysis.ipynb"
    assert "args" not in env and "program" not in env


def test_the_notebook_path_falls_back_to_jpy_session_name_and_then_to_none(monkeypatch):
    fake_kernel(monkeypatch, {})
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/me/other.ipynb")
    assert capture()["notebook"] == "/home/me/other.ipynb"
    monkeypatch.delenv("JPY_SESSION_NAME")
    assert capture()["notebook"] is None


def test_environment_variables_are_never_recorded(repo, run_dir, monkeypatch):
    monkeypatch.setenv("SPYGLASS_TEST_SECRET", "very-secret-value-42")
    monkeypatch.setenv("WANDB_API_KEY", "very-secret-value-43")
    text = json.dumps(capture(run_dir=run_dir))
    assert "very-secret-value" not in text
    assert "SPYGLASS_TEST_SECRET" not in text and "WANDB_API_KEY" not in text


def test_a_failing_part_is_left_out_without_failing_the_capture(monkeypatch):
    def no_hostname():
        raise OSError("no network stack")

    monkeypatch.setattr(socket, "gethostname", no_hostname)
    monkeypatch.setattr(environment, "installed_packages", lambda: 1 / 0)
    env = capture()
    assert env["host"] is None and env["packages"] is None
    assert env["python"]


def test_capture_in_a_dirty_repository_is_fast(repo, run_dir):
    (repo / "train.py").write_text("lr = 0.3\n")
    timings = []
    for _ in range(3):
        began = time.perf_counter()
        capture(run_dir=run_dir)
        timings.append(time.perf_counter() - began)
    assert statistics.median(timings) < 0.5  # typically 20-60 ms; generous for loaded CI machines
