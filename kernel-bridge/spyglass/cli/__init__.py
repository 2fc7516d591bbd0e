"""The `spyglass` command: a dispatcher over command groups, one module each (`runs` so far).

Exit codes: 0 success, 2 usage error (argparse's, bad --filter), 1 run or project not found, corrupt log.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..base.errors import FilterError, SpyglassError
from . import lineage, report, runs, sweeps, sync, traces, wandb_compat
from .usage_error import UsageError

# Each command group adds its subparser; later groups (report, agent, lineage) register the same way.
COMMAND_GROUPS = (runs, lineage, sweeps, report, sync, traces, wandb_compat)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the whole `spyglass` command."""
    parser = argparse.ArgumentParser(prog="spyglass", description="Spyglass experiment tracking.")
    groups = parser.add_subparsers(dest="group", metavar="COMMAND", required=True)
    for group in COMMAND_GROUPS:
        group.register(groups)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv` (default sys.argv[1:]) and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, FilterError) as error:
        parser.exit(2, f"spyglass: error: {error}\n")
    except SpyglassError as error:
        print(f"spyglass: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `spyglass runs ls | head`
        sys.stderr.close()
        return 0
    return 0
