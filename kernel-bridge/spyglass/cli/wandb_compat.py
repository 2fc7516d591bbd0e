"""`spyglass wandb-compat install|uninstall|status`: make `import wandb` run Spyglass in this environment.

For code that imports wandb itself (Lightning's WandbLogger, Transformers' report_to="wandb", Ultralytics):
see docs/migrating-from-wandb.md. Refused over a real wandb installation.
"""

from __future__ import annotations

import argparse

from ..wandb_compat import installer


def register(groups: argparse._SubParsersAction) -> None:
    """Add `wandb-compat` and its subcommands to the top-level parser."""
    group = groups.add_parser(
        "wandb-compat", help="make `import wandb` run Spyglass in this environment (opt-in, reversible)"
    )
    commands = group.add_subparsers(dest="command", metavar="SUBCOMMAND", required=True)
    for name, handler, text in (
        ("install", run_install, "write a `wandb` package that is Spyglass into site-packages"),
        ("uninstall", run_uninstall, "remove it (only the files it wrote)"),
        ("status", run_status, "say whether `import wandb` is Spyglass, a real wandb, or missing"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument(
            "--target", metavar="DIR", help="site-packages directory (default: this environment's)"
        )
        command.set_defaults(handler=handler)


def run_install(args: argparse.Namespace) -> int:
    written = installer.install(args.target)
    target = installer.status(args.target).target
    print(f"spyglass: `import wandb` now runs Spyglass ({len(written)} files in {target}).")
    print("spyglass: undo with `spyglass wandb-compat uninstall` (or `pip uninstall wandb`).")
    return 0


def run_uninstall(args: argparse.Namespace) -> int:
    removed = installer.uninstall(args.target)
    print(f"spyglass: removed the wandb shim ({len(removed)} files).")
    return 0


def run_status(args: argparse.Namespace) -> int:
    state = installer.status(args.target)
    if state.installed_version is not None:
        fresh = "up to date" if state.up_to_date else "from another Spyglass version: run install again"
        print(f"installed: wandb {state.installed_version} in {state.target} is Spyglass ({fresh})")
    else:
        print(f"not installed in {state.target}")
    for real in state.real_wandb:
        print(f"real wandb: {real}")
    print(f"import wandb: {state.import_origin or 'not importable'}")
    return 0
