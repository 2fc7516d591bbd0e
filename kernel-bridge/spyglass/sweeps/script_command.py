"""The command of a script sweep (`command` with wandb's macros, or `program` alone) for one trial."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from .errors import SweepConfigError
from .schema import SweepConfig, nest

DEFAULT_COMMAND = ("${env}", "${interpreter}", "${program}", "${args}")


def build_command(config: SweepConfig, params: dict[str, Any], args_file: Path) -> list[str]:
    """Expand the macros ${env} ${interpreter} ${program} ${args} ${args_no_hyphens} ${args_json}
    ${args_json_file}; `args_file` is where ${args_json_file} is written."""
    command = config.command or DEFAULT_COMMAND
    if config.program is None and any("${program}" in part for part in command):
        raise SweepConfigError(["the sweep has no program to run: add program: train.py (or a command)"])
    nested = nest(params, config.parameters)
    args = [f"--{key}={_arg_value(value)}" for key, value in nested.items()]
    out: list[str] = []
    for part in command:
        if part == "${env}":
            if os.name != "nt":
                out.append("/usr/bin/env")
        elif part == "${interpreter}":
            out.append(sys.executable)
        elif part == "${args}":
            out.extend(args)
        elif part == "${args_no_hyphens}":
            out.extend(arg[2:] for arg in args)
        elif part == "${args_json}":
            out.append(json.dumps(nested))
        elif part == "${args_json_file}":
            args_file.write_text(json.dumps(nested), encoding="utf-8")
            out.append(str(args_file))
        else:
            out.append(part.replace("${program}", config.program or ""))
    return out


def _arg_value(value: Any) -> str:
    # As wandb: str() of the value (--lr=0.01, --flag=True); lists and dicts as JSON.
    return json.dumps(value) if isinstance(value, (list, dict)) else str(value)
