"""run.entity/path/offline/disabled/start_time, run.log_code() and the shim's wandb.sdk.wandb_init.

Both were found by bench/wandb_parity: scripts that print `run.path` or read `run.entity` failed with
AttributeError, and `from wandb.sdk import wandb_init` failed under `spyglass wandb-compat install`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_compat_scripts import only_run, run_script

import spyglass as sg
from spyglass.wandb_compat.shim_files import package_files


def test_run_identity_attributes_answer_as_wandb_offline(store):
    result = run_script("run_identity.py", store)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["''", "compat/ident", "True", "False", "True"]
    run = only_run(store)
    assert run.path == "compat/ident" and run.summary["path_len"] == len("compat/ident")


def test_the_shim_has_wandb_sdk_wandb_init(tmp_path):
    for relative, data in package_files().items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(data)
    code = (
        "import spyglass, wandb\n"
        "from wandb.sdk import wandb_init\n"
        "assert wandb_init.init is spyglass.init and wandb.sdk.wandb_init is wandb_init\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_log_code_saves_the_source_files_as_a_code_artifact(store, tmp_path, monkeypatch):
    # download() with no root writes under ./artifacts, as wandb's does: keep it out of the checkout.
    monkeypatch.chdir(tmp_path)
    result = run_script("log_code.py", store)
    assert result.returncode == 0, result.stderr
    default, custom = result.stdout.splitlines()
    # wandb's default filter; the store (under the working directory here) and wandb/ are skipped
    assert default == "source-compat-log_code.py code lib/util.py,requirements.txt,train.py"
    assert custom == "configs a.yaml None"
    run = only_run(store)
    assert run.state == "finished"
    stored = sg.Api(dir=store).artifact("compat/configs:latest")
    assert stored.type == "code" and (Path(stored.download()) / "a.yaml").read_text() == "a: 1\n"


def test_termlog_util_and_wandb_error_names_on_the_spyglass_module(store):
    result = run_script("wandb_helpers.py", store)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "spyglass: log line" in lines and "spyglass: WARNING warn line" in lines
    assert "spyglass: ERROR error line" in lines
    run = only_run(store)
    assert (run.summary["caught"], run.summary["id_len"]) == (1, 8)
