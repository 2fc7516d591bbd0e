"""`spyglass sweep CONFIG.yaml`, `spyglass sweep pause|resume|stop SWEEP_ID`, `spyglass agent SWEEP_ID`."""

from __future__ import annotations

import argparse
import json
import sys

from ..sweeps import control, create_sweep, find_sweep, snapshot
from ..sweeps.agent import Agent
from ..sweeps.display import sweep_text
from .usage_error import UsageError

CONTROL_ACTIONS = ("pause", "resume", "stop")


def register(groups: argparse._SubParsersAction) -> None:
    """Add `sweep` and `agent` to the top-level parser."""
    sweep = groups.add_parser(
        "sweep",
        help="create a sweep from a config file, or pause/resume/stop/show one",
        description="spyglass sweep CONFIG.yaml [--project P] | spyglass sweep pause|resume|stop|show ID",
    )
    sweep.add_argument("target", metavar="CONFIG.yaml | pause | resume | stop | show")
    sweep.add_argument("sweep_id", nargs="?", metavar="SWEEP_ID", help="the sweep to control or show")
    sweep.add_argument("--project", help="project of the sweep (default: the config's, else 'uncategorized')")
    sweep.add_argument("--dir", help="store root (default: $SPYGLASS_DIR, else ./spyglass)")
    sweep.add_argument("--json", action="store_true", help="show: print the snapshot as JSON")
    sweep.set_defaults(handler=run_sweep_command)

    agent = groups.add_parser(
        "agent", help="run trials of a sweep (its program or command) until none are left"
    )
    agent.add_argument("sweep_id", metavar="SWEEP_ID")
    agent.add_argument("--count", type=int, help="run at most this many trials")
    agent.add_argument("--project", help="project of the sweep (default: look in every project)")
    agent.add_argument("--dir", help="store root (default: $SPYGLASS_DIR, else ./spyglass)")
    agent.add_argument(
        "--raise-on-stop",
        action="store_true",
        help="a trial told to stop gets TrialStopped from its next log() (else only run.should_stop)",
    )
    agent.set_defaults(handler=run_agent)


def run_sweep_command(args: argparse.Namespace) -> int:
    if args.target in (*CONTROL_ACTIONS, "show"):
        if not args.sweep_id:
            raise UsageError(f"`spyglass sweep {args.target}` needs a SWEEP_ID")
        sweep_dir = find_sweep(args.sweep_id, args.project, args.dir)
        if args.target == "show":
            snap = snapshot(sweep_dir)
            print(json.dumps(snap, indent=2) if args.json else sweep_text(snap))
            return 0
        result = control(sweep_dir, args.target)
        print(f"sweep {sweep_dir.name}: {result['state']}")
        return 0
    if args.sweep_id:
        raise UsageError(
            f"unexpected argument {args.sweep_id!r}: `spyglass sweep CONFIG.yaml` takes one file"
        )
    sweep_id = create_sweep(args.target, project=args.project, dir=args.dir)
    print(sweep_id)
    print(f"run it with: spyglass agent {sweep_id}", file=sys.stderr)
    return 0


def run_agent(args: argparse.Namespace) -> int:
    if args.count is not None and args.count < 0:
        raise UsageError("--count must be 0 or more")
    sweep_dir = find_sweep(args.sweep_id, args.project, args.dir)
    ran = Agent(sweep_dir, None, args.count, raise_on_stop=args.raise_on_stop).run()
    print(sweep_text(snapshot(sweep_dir)))
    print(f"agent ran {ran} trial(s)", file=sys.stderr)
    return 0
