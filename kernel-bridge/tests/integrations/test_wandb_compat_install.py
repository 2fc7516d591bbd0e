"""`spyglass wandb-compat install|uninstall|status`: the shim, its dist-info, refusal over real wandb.

Every import of the shim happens in a subprocess with the shim's directory on PYTHONPATH, so this process
(and the integration venv) never holds a `wandb` module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pip
import pytest
from wandb_shim import KERNEL_BRIDGE, python_with

from spyglass.wandb_compat import installer
from spyglass.wandb_compat.shim_files import DIST_INFO, SHIM_MODULES, SHIM_VERSION


def cli(*args: str, paths: list[Path] = ()) -> subprocess.CompletedProcess[str]:
    return python_with(list(paths), ["-m", "spyglass.cli", "wandb-compat", *args])


def fake_real_wandb(site: Path, installer_name: str = "pip") -> Path:
    """A wandb dist-info and package as pip leaves them (real wandb itself must not be installed here)."""
    dist = site / "wandb-0.19.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: wandb\nVersion: 0.19.1\n")
    (dist / "INSTALLER").write_text(f"{installer_name}\n")
    (dist / "RECORD").write_text("wandb/__init__.py,,\nwandb-0.19.1.dist-info/RECORD,,\n")
    (site / "wandb").mkdir()
    (site / "wandb" / "__init__.py").write_text("REAL = True\n")
    return dist


def test_install_makes_import_wandb_spyglass_with_a_version_that_requirement_checks_accept(tmp_path) -> None:
    target = tmp_path / "site"
    done = cli("install", "--target", str(target))
    assert done.returncode == 0, done.stderr
    assert "`import wandb` now runs Spyglass" in done.stdout

    code = """
import json, importlib.metadata as md
import spyglass, wandb
from wandb.sdk.lib import RunDisabled
from wandb.wandb_run import Run
from wandb.sdk.wandb_run import Run as SdkRun
from wandb.sdk.lib.config_util import ConfigError
from lightning_utilities.core.imports import RequirementCache
from transformers.integrations.integration_utils import is_wandb_available
dist = md.distribution("wandb")
print(json.dumps({
    "version": md.version("wandb"), "module_version": wandb.__version__,
    "installer": dist.read_text("INSTALLER").strip(), "summary": dist.metadata["Summary"],
    "lightning_check": bool(RequirementCache("wandb>=0.12.10")), "transformers_check": is_wandb_available(),
    "same_objects": [wandb.init is spyglass.init, Run is spyglass.Run, SdkRun is spyglass.Run,
                     RunDisabled is spyglass.tracking.disabled_run.DisabledRun,
                     ConfigError is spyglass.ConfigValueChangeError, wandb.Table is spyglass.Table,
                     wandb.util.generate_id is wandb.sdk.lib.generate_id],
    "run_before": wandb.run is None,
}))
"""
    result = python_with([target], ["-c", code])
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert facts["version"] == facts["module_version"] == SHIM_VERSION
    assert SHIM_VERSION.startswith("0.31.0+spyglass.")
    assert facts["installer"] == "spyglass" and "not the Weights & Biases package" in facts["summary"]
    assert facts["lightning_check"] and facts["transformers_check"]
    assert all(facts["same_objects"]) and facts["run_before"]


def test_a_wandb_script_logs_to_the_store_through_the_shim(tmp_path) -> None:
    target, store = tmp_path / "site", tmp_path / "store"
    installer.install(target)
    code = f"""
import wandb
run = wandb.init(project="plain", dir={str(store)!r}, config={{"lr": 0.1}})
for step in range(5):
    wandb.log({{"loss": 1.0 / (step + 1), "step_int": step}})
wandb.config.update({{"batch": 32}})
wandb.summary["best"] = 0.2
wandb.termwarn("a warning through wandb.termwarn")
print(run.id)
wandb.finish()
"""
    done = python_with([target], ["-c", code])
    assert done.returncode == 0, done.stderr
    assert "spyglass: WARNING a warning through wandb.termwarn" in done.stderr
    import spyglass as sg

    stored = sg.Api(dir=store).run(f"plain/{done.stdout.strip()}")
    rows = [(row["_step"], row["loss"], row["step_int"]) for row in stored.scan_history()]
    assert rows == [(step, 1.0 / (step + 1), step) for step in range(5)]
    assert stored.config == {"lr": 0.1, "batch": 32} and stored.summary["best"] == 0.2
    assert stored.state == "finished"


def test_every_shim_module_imports_and_re_exports_its_spyglass_module(tmp_path) -> None:
    target = tmp_path / "site"
    installer.install(target)
    pairs = {
        path.removesuffix(".py").removesuffix("/__init__").replace("/", "."): module.target
        for path, module in SHIM_MODULES.items()
    }
    code = f"""
import importlib, sys
pairs = {pairs!r}
for shim, target in pairs.items():
    module, source = importlib.import_module(shim), importlib.import_module(target)
    public = getattr(source, "__all__", None) or [n for n in vars(source) if not n.startswith("_")]
    missing = [name for name in public if getattr(module, name) is not getattr(source, name)]
    assert not missing, (shim, missing)
print(len(pairs))
"""
    done = python_with([target], ["-c", code], env={"KERAS_BACKEND": "torch"})
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(SHIM_MODULES)


def test_status_reports_installed_outdated_and_missing(tmp_path) -> None:
    target = tmp_path / "site"
    assert "not installed" in cli("status", "--target", str(target)).stdout
    installer.install(target)
    status = cli("status", "--target", str(target), paths=[target]).stdout
    assert f"installed: wandb {SHIM_VERSION}" in status and "(up to date)" in status
    assert f"import wandb: {target / 'wandb' / '__init__.py'}" in status
    (target / "wandb" / "util.py").write_text("# edited\n")
    assert "run install again" in cli("status", "--target", str(target)).stdout
    installer.install(target)  # install again replaces the shim
    assert installer.status(target).up_to_date


def test_uninstall_removes_only_what_install_wrote(tmp_path) -> None:
    target = tmp_path / "site"
    (target / "other_package").mkdir(parents=True)
    (target / "other_package" / "__init__.py").write_text("")
    installer.install(target)
    python_with([target], ["-c", "import wandb.sdk.lib.config_util"])  # leaves __pycache__ behind
    (target / "wandb" / "mine.txt").write_text("a file the user put there")

    done = cli("uninstall", "--target", str(target))
    assert done.returncode == 0, done.stderr
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
        "other_package",
        "other_package/__init__.py",
        "wandb",
        "wandb/mine.txt",
    ]
    again = cli("uninstall", "--target", str(target))
    assert again.returncode == 1 and "no Spyglass wandb shim is installed" in again.stderr


def test_install_refuses_over_a_real_wandb_and_writes_nothing(tmp_path) -> None:
    real_site, target = tmp_path / "real-site", tmp_path / "site"
    fake_real_wandb(real_site)
    done = cli("install", "--target", str(target), paths=[real_site])
    assert done.returncode == 1
    assert "a real wandb is installed (wandb 0.19.1 at" in done.stderr and "installed by pip" in done.stderr
    assert "Spyglass will not shadow it" in done.stderr and "pip uninstall wandb" in done.stderr
    assert not target.exists() or not any(target.iterdir())

    in_place = cli("install", "--target", str(real_site))
    assert in_place.returncode == 1 and "a real wandb is installed" in in_place.stderr
    left_alone = cli("uninstall", "--target", str(real_site))
    assert left_alone.returncode == 1 and "it is left alone" in left_alone.stderr
    assert (real_site / "wandb" / "__init__.py").read_text() == "REAL = True\n"
    assert "real wandb: wandb 0.19.1" in cli("status", "--target", str(target), paths=[real_site]).stdout


def test_install_refuses_a_wandb_package_it_did_not_write(tmp_path) -> None:
    target = tmp_path / "site"
    (target / "wandb").mkdir(parents=True)
    (target / "wandb" / "__init__.py").write_text("VENDORED = True\n")
    with pytest.raises(installer.WandbCompatError, match="not Spyglass's to replace"):
        installer.install(target)
    assert (target / "wandb" / "__init__.py").read_text() == "VENDORED = True\n"


def test_default_target_install_then_pip_uninstall_in_a_throwaway_venv(tmp_path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(subprocess.check_output([python, "-c", purelib], text=True).strip())
    # The throwaway venv is the default target; pip, spyglass and its dependencies come from the integration
    # venv through PYTHONPATH (which holds no wandb).
    integration_site = Path(pip.__file__).parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(KERNEL_BRIDGE), str(integration_site)])}

    def venv_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([python, *args], capture_output=True, text=True, env=env, timeout=300)

    installed = venv_run("-m", "spyglass.cli", "wandb-compat", "install")
    assert installed.returncode == 0, installed.stderr
    assert (site / "wandb" / "__init__.py").is_file() and (site / DIST_INFO / "RECORD").is_file()
    version = venv_run("-c", "import importlib.metadata as m; print(m.version('wandb'))")
    assert version.stdout.strip() == SHIM_VERSION

    removed = venv_run("-m", "pip", "uninstall", "-y", "wandb")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not (site / "wandb").exists() and not (site / DIST_INFO).exists()
