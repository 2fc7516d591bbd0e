"""`spyglass report NOTEBOOK.ipynb -o report.html [--store DIR] [--include-code] [--format html|markdown]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..base.errors import SpyglassError


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
        help="store root or s3:// URL holding the runs (default: an s3:// $SPYGLASS_DIR, else the paths the "
        "outputs recorded, then ./spyglass beside the notebook)",
    )
    report.add_argument("--include-code", action="store_true", help="include code cells (folded)")
    report.add_argument("--format", choices=("html", "markdown"), default="html")
    report.set_defaults(handler=run_report_command)


# What the `report` extra installs (kernel-bridge/pyproject.toml); the other commands need neither.
REPORT_EXTRA = ("nbformat", "numpy")


class MissingReportExtraError(SpyglassError, ImportError):
    """`spyglass report` was run without the packages of the `report` extra."""


def run_report_command(args: argparse.Namespace) -> int:
    try:
        return _write_report(args)
    except ModuleNotFoundError as error:
        # nbformat is imported where a notebook is read, numpy where series are drawn: name the extra.
        missing = (error.name or "").partition(".")[0]
        if missing not in REPORT_EXTRA:
            raise
        raise MissingReportExtraError(
            f"report needs {missing}, which is not installed. Install the report extra: "
            "pip install 'spyglass[report]' (nbformat and numpy)."
        ) from None


def _write_report(args: argparse.Namespace) -> int:
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
