"""`spyglass runs export-table PROJECT/RUN_ID KEY -o FILE`: write a logged sg.Table to Parquet or CSV.

CSV cells that a spreadsheet would evaluate as formulas are neutralised (history_export.neutralise_cell).
"""

from __future__ import annotations

import argparse
import sys

from ..api import Api
from ..base.text_table import printable
from .history_export import export_format, write_table
from .usage_error import UsageError


def register(commands: argparse._SubParsersAction) -> None:
    """Add `export-table` to the `runs` subcommands."""
    export = commands.add_parser("export-table", help="write a logged table to a Parquet or CSV file")
    export.add_argument("run", metavar="PROJECT/RUN_ID")
    export.add_argument("key", help="the key the table was logged under, e.g. preds")
    export.add_argument("--step", type=int, help="the step it was logged at (default: the last one)")
    export.add_argument("-o", "--output", required=True, help="output file, .parquet or .csv")
    export.add_argument("--dir", help="store root (default: $SPYGLASS_DIR, else ./spyglass)")
    export.set_defaults(handler=export_table)


def export_table(args: argparse.Namespace) -> int:
    """Write the table; exit 1 (with the reason) when the run logged no such table."""
    if export_format(args.output) is None:
        raise UsageError(f"cannot tell the format of {args.output!r}: name the output .parquet or .csv")
    run = Api(args.dir).run(args.run)
    try:
        table = run.table(args.key, step=args.step)
    except KeyError as error:
        print(f"spyglass: run {run.path}: {error.args[0]}", file=sys.stderr)
        return 1
    write_table(table, args.output)
    print(f"wrote {table.num_rows} rows to {printable(args.output)}", file=sys.stderr)
    return 0
