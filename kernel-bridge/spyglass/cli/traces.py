"""`spyglass traces export --otlp FILE PROJECT`: a project's calls as OpenTelemetry spans (docs/otlp.md)."""

from __future__ import annotations

import argparse
import json
import sys

from ..api import Api
from .usage_error import UsageError


def register(groups: argparse._SubParsersAction) -> None:
    """Add `traces` and its subcommands to the top-level parser."""
    traces = groups.add_parser("traces", help="export traced calls (@sg.op) in open formats")
    commands = traces.add_subparsers(dest="command", metavar="SUBCOMMAND", required=True)
    export = commands.add_parser("export", help="write a project's calls as OTLP JSON (OpenTelemetry spans)")
    export.add_argument("project", help="the project whose calls to export")
    export.add_argument(
        "--otlp",
        required=True,
        metavar="FILE",
        help="output file: one OTLP/HTTP JSON ExportTraceServiceRequest",
    )
    export.add_argument("--filter", metavar="JSON", help='calls filter, e.g. \'{"op_name": "answer"}\'')
    export.add_argument("--dir", help="store root (default: $SPYGLASS_DIR, else ./spyglass)")
    export.set_defaults(handler=export_calls)


def export_calls(args: argparse.Namespace) -> int:
    """`spyglass traces export --otlp FILE PROJECT`: prints how many spans went where."""
    try:
        filters = json.loads(args.filter) if args.filter else None
    except ValueError as error:
        raise UsageError(f"--filter must be JSON: {error}") from None
    if filters is not None and not isinstance(filters, dict):
        raise UsageError("--filter must be a JSON object")
    count = Api(args.dir).calls(args.project, filters=filters).write_otlp(args.otlp)
    print(f"{count} spans written to {args.otlp}", file=sys.stderr)
    return 0
