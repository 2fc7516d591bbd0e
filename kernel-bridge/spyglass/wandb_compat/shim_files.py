"""The files `spyglass wandb-compat install` writes: a `wandb` package re-exporting Spyglass, its dist-info.

Each shim module is a few lines that re-export one Spyglass module, so the shim holds no logic of its own and
keeps working as Spyglass changes; `status` says when the shim predates this Spyglass (files differ).
"""

from __future__ import annotations

import base64
import hashlib
from typing import NamedTuple

from ..base.version import __version__ as spyglass_version

# The installed dist-info's version (also `wandb.__version__`): a wandb release number that version checks
# accept (Lightning wants >= 0.12.10), with a local label that says whose package this is.
WANDB_API_VERSION = "0.31.0"
SHIM_VERSION = f"{WANDB_API_VERSION}+spyglass.{spyglass_version}"

DIST_NAME = "wandb"
INSTALLER = "spyglass"
DIST_INFO = f"{DIST_NAME}-{SHIM_VERSION}.dist-info"
_INTERNALS = "spyglass.wandb_compat.internals"


class ShimModule(NamedTuple):
    """One file of the shim: the Spyglass module it re-exports and the submodules it imports with itself."""

    target: str
    submodules: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # names that `import *` leaves out but wandb code reads (wandb.__version__)


# Paths relative to site-packages. The internal modules are imported with `wandb` (as wandb's own are), so
# `wandb.sdk.lib.RunDisabled` works after a plain `import wandb`; framework integrations load when imported.
SHIM_MODULES: dict[str, ShimModule] = {
    "wandb/__init__.py": ShimModule(
        "spyglass.wandb_compat.surface", ("apis", "errors", "sdk", "util", "wandb_run"), ("__version__",)
    ),
    "wandb/sdk/__init__.py": ShimModule(_INTERNALS, ("lib", "wandb_init", "wandb_run", "wandb_settings")),
    "wandb/sdk/lib/__init__.py": ShimModule(_INTERNALS, ("config_util", "disabled")),
    "wandb/sdk/lib/config_util.py": ShimModule(_INTERNALS),
    "wandb/sdk/lib/disabled.py": ShimModule(_INTERNALS),
    # `from wandb.sdk import wandb_init` / `wandb.sdk.wandb_init.init(...)`, as scripts that patch init do.
    "wandb/sdk/wandb_init.py": ShimModule("spyglass.tracking.session", names=("init",)),
    "wandb/sdk/wandb_run.py": ShimModule(_INTERNALS),
    "wandb/sdk/wandb_settings.py": ShimModule(_INTERNALS),
    "wandb/wandb_run.py": ShimModule(_INTERNALS),
    "wandb/errors.py": ShimModule(_INTERNALS),
    "wandb/util.py": ShimModule(_INTERNALS),
    "wandb/apis/__init__.py": ShimModule("spyglass.api", ("public",)),
    "wandb/apis/public.py": ShimModule("spyglass.api"),
    "wandb/plot/__init__.py": ShimModule("spyglass.data_types.plot"),
    "wandb/data_types.py": ShimModule("spyglass.data_types"),
    "wandb/sklearn.py": ShimModule("spyglass.sklearn"),
    "wandb/xgboost.py": ShimModule("spyglass.xgboost"),
    "wandb/lightgbm.py": ShimModule("spyglass.lightgbm"),
    "wandb/keras.py": ShimModule("spyglass.keras"),
    "wandb/integration/__init__.py": ShimModule("spyglass.integration"),
    "wandb/integration/keras/__init__.py": ShimModule("spyglass.integration.keras"),
    "wandb/integration/xgboost/__init__.py": ShimModule("spyglass.integration.xgboost"),
    "wandb/integration/lightgbm/__init__.py": ShimModule("spyglass.integration.lightgbm"),
    "wandb/integration/sklearn/__init__.py": ShimModule("spyglass.integration.sklearn"),
}


def module_source(path: str, module: ShimModule) -> str:
    """The text of one shim module."""
    dotted = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    lines = [
        f'"""{dotted} is Spyglass here (`spyglass wandb-compat install`; `uninstall` removes it)."""',
        "",
        f"from {module.target} import *  # noqa: F403",
    ]
    if module.names:
        lines.append(f"from {module.target} import {', '.join(module.names)}  # noqa: F401")
    if module.submodules:
        lines.append(f"from . import {', '.join(module.submodules)}  # noqa: F401")
    lines += [
        "",
        "",
        "def __getattr__(name):",
        "    import importlib",
        "",
        f"    return getattr(importlib.import_module({module.target!r}), name)",
        "",
    ]
    return "\n".join(lines)


def metadata_text() -> str:
    """METADATA: the name and version that `importlib.metadata` and pip read, and whose package this is."""
    return "\n".join(
        [
            "Metadata-Version: 2.1",
            f"Name: {DIST_NAME}",
            f"Version: {SHIM_VERSION}",
            "Summary: Spyglass standing in for wandb (spyglass wandb-compat install); "
            "not the Weights & Biases package",
            "Requires-Dist: spyglass",
            "",
        ]
    )


def package_files() -> dict[str, bytes]:
    """Every file to write, path relative to site-packages -> bytes; RECORD last, listing the others."""
    files = {path: module_source(path, module).encode() for path, module in SHIM_MODULES.items()}
    files[f"{DIST_INFO}/METADATA"] = metadata_text().encode()
    files[f"{DIST_INFO}/INSTALLER"] = f"{INSTALLER}\n".encode()
    files[f"{DIST_INFO}/top_level.txt"] = f"{DIST_NAME}\n".encode()
    record = [f"{path},sha256={_digest(data)},{len(data)}" for path, data in files.items()]
    files[f"{DIST_INFO}/RECORD"] = ("\n".join([*record, f"{DIST_INFO}/RECORD,,"]) + "\n").encode()
    return files


def _digest(data: bytes) -> str:
    # RECORD's hash form (the wheel spec): urlsafe base64 of the sha256 digest, without padding.
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
