"""`spyglass report NOTEBOOK.ipynb -o report.html [--store DIR] [--include-code] [--format html|markdown]`."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(groups: argparse._SubParsersAction) -> None:
    """Add `report` to the top-level parser."""
    report = groups.add_parser(
        "report",
        help="publish a notebook as one self-contained interactive HTML file (or Markdown + SVG)",
        description="Build a report from a notebook's markdown, outputs and Spyglass panels.",
    )
    report.add_argument("notebook", type=Path, metavar="NOTEBOOK.ipynb")
    report.add_argument(
        "-o",
        "--output",
        type=Path,
        help="output file (html; default NOTEBOOK.report.html) or directory (markdown; NOTEBOOK.report/)",
    )
    report.add_argument(
        "--store",
        type=Path,
        help="store root holding the runs (default: the paths the outputs "
        "recorded, then ./spyglass beside the notebook)",
    )
    report.add_argument("--include-code", action="store_true", help="include code cells (folded)")
    report.add_argument("--format", choices=("html", "markdown"), default="html")
    report.set_defaults(handler=run_report_command)


def run_report_command(args: argparse.Namespace) -> int:
    # Imported here: the report builder needs numpy and nbformat (the `report` extra), other commands do not.
    from ..report import ReportInput, write_html, write_markdown
    from ..report import messages as report_messages

    source = ReportInput(args.notebook, args.store, args.include_code)
    if args.format == "markdown":
        output = args.output or args.notebook.with_suffix(".report")
        path = write_markdown(source, output)
    else:
        output = args.output or args.notebook.with_suffix(".report.html")
        path = write_html(source, output)
    print(report_messages.WROTE.format(path=path, size=path.stat().st_size))
    return 0
