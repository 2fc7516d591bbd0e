"""`spyglass runs ls|show|export`: list runs, show one, export histories to Parquet or CSV."""

from __future__ import annotations

import argparse
import collections
import json
import sys
from collections import Counter
from typing import Any

from ..api import Api, Run
from ..api.history_sampling import STEP
from ..base.text_table import format_duration, format_time, format_value, printable, render_table
from . import table_export
from .history_export import export_format, write_table
from .usage_error import UsageError

_SUMMARY_COLUMNS = 3  # summary keys shown by `ls`: the ones most runs have
_SHOWN_ROW_COLUMNS = 10  # history columns shown by `show`


def register(groups: argparse._SubParsersAction) -> None:
    """Add `runs` and its subcommands to the top-level parser."""
    runs = groups.add_parser("runs", help="list, show and export runs")
    commands = runs.add_subparsers(dest="command", metavar="SUBCOMMAND", required=True)

    ls = commands.add_parser("ls", help="list the runs of a project (or of every project)")
    ls.add_argument("project", nargs="?", help="project name (default: every project)")
    _add_dir(ls)
    ls.add_argument(
        "--state", choices=["running", "finished", "failed", "crashed"], help="only runs in this state"
    )
    ls.add_argument(
        "--filter", metavar="JSON", help='wandb-style filter, e.g. \'{"config.lr": {"$gt": 0.01}}\''
    )
    ls.add_argument(
        "--order", default="-created_at", help="sort field, '-' for descending (default -created_at)"
    )
    ls.add_argument(
        "--json", action="store_true", help="print run.json of each run (effective state) as JSON"
    )
    ls.set_defaults(handler=list_runs)

    show = commands.add_parser("show", help="print a run's metadata, config, summary and last rows")
    show.add_argument("run", metavar="PROJECT/RUN_ID")
    _add_dir(show)
    show.add_argument("--rows", type=int, default=5, help="history rows to show (default 5)")
    show.set_defaults(handler=show_run)

    export = commands.add_parser("export", help="write history to a Parquet or CSV file")
    export.add_argument("target", metavar="PROJECT[/RUN_ID]")
    export.add_argument("-o", "--output", required=True, help="output file, .parquet or .csv")
    export.add_argument("--keys", help="comma-separated metrics (default: every column)")
    _add_dir(export)
    export.set_defaults(handler=export_history)

    table_export.register(commands)


def _add_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dir", help="store root (default: $SPYGLASS_DIR, else ./spyglass)")


def list_runs(args: argparse.Namespace) -> int:
    """`spyglass runs ls`."""
    filters = _parse_filter(args.filter)
    if args.state:
        filters = {"$and": [filters, {"state": args.state}]} if filters else {"state": args.state}
    runs = list(Api(args.dir).runs(args.project, filters=filters, order=args.order))
    if args.json:
        records = [{**run.metadata, "state": run.state} for run in runs]
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return 0
    if not runs:
        print("no runs", file=sys.stderr)
        return 0
    summary_keys = _common_summary_keys(runs)
    headers = (["project"] if args.project is None else []) + [
        "id",
        "name",
        "state",
        "created",
        "duration",
        "step",
        *summary_keys,
    ]
    rows = [
        ([run.project] if args.project is None else [])
        + [
            run.id,
            run.name,
            run.state,
            format_time(run.created_at),
            format_duration(run.duration),
            format_value(run.last_step),
            *[format_value(run.summary.get(key)) for key in summary_keys],
        ]
        for run in runs
    ]
    print(render_table(headers, rows))
    return 0


def show_run(args: argparse.Namespace) -> int:
    """`spyglass runs show PROJECT/RUN_ID`."""
    run = Api(args.dir).run(args.run)
    fields = [
        ("run", run.path),
        ("name", run.name),
        ("state", run.state),
        ("created", format_time(run.created_at)),
        ("duration", format_duration(run.duration)),
        ("finished", format_time(run.finished_at)),
        ("exit code", format_value(run.exit_code)),
        ("group", format_value(run.group)),
        ("job type", format_value(run.job_type)),
        ("tags", format_value(run.tags)),
        ("notes", format_value(run.notes)),
        ("host", format_value(run.metadata.get("host"))),
        ("dir", run.dir),
    ]
    print(render_table(["field", "value"], [(name, value) for name, value in fields if value]))
    for title, values in (("config", run.config), ("summary", run.summary)):
        print(f"\n{title}")
        flat = _flatten(values)
        print(
            render_table(["key", "value"], [(key, format_value(v)) for key, v in flat.items()])
            if flat
            else "  (empty)"
        )
    if args.rows > 0:
        last = collections.deque(run.scan_history(), maxlen=args.rows)
        print(f"\nlast {len(last)} rows")
        if last:
            columns = list(dict.fromkeys(key for row in last for key in row))
            columns = [STEP] + [name for name in columns if not name.startswith("_")][:_SHOWN_ROW_COLUMNS]
            print(render_table(columns, [[format_value(row.get(name)) for name in columns] for row in last]))
    return 0


def export_history(args: argparse.Namespace) -> int:
    """`spyglass runs export PROJECT[/RUN_ID] -o FILE`."""
    if export_format(args.output) is None:
        raise UsageError(f"cannot tell the format of {args.output!r}: name the output .parquet or .csv")
    keys = [key.strip() for key in args.keys.split(",") if key.strip()] if args.keys else None
    api = Api(args.dir)
    if "/" in args.target.strip("/"):
        table = api.run(args.target).history(keys=keys, samples=None, pandas=False)
    else:
        table = api.runs(args.target, order="+created_at").histories(keys=keys, samples=None, pandas=False)
    write_table(table, args.output)
    print(f"wrote {table.num_rows} rows to {printable(args.output)}", file=sys.stderr)
    return 0


def _parse_filter(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"--filter is not valid JSON ({error}): {text!r}") from None
    if not isinstance(parsed, dict):
        raise UsageError(f'--filter must be a JSON object such as \'{{"state": "finished"}}\', got {text!r}')
    return parsed


def _common_summary_keys(runs: list[Run]) -> list[str]:
    counts = Counter(key for run in runs for key in run.summary if not key.startswith("_"))
    return [key for key, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:_SUMMARY_COLUMNS]]


def _flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat
