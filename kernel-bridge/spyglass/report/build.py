"""Building a report: notebook + store → the HTML page (or the Markdown folder)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..base.atomic_file import write_output
from . import messages
from .errors import ReportError
from .html_page import REPORT_FORMAT, render_page
from .notebook_blocks import BlockCollector
from .store_pull import report_store
from .title_block import title_block


@dataclass(frozen=True)
class ReportInput:
    """What a report is built from."""

    notebook: Path
    store: Path | str | None = None  # a local directory or an s3:// URL (report_store)
    include_code: bool = False
    # Set by the server: the runs and tables embedded, and the output, must resolve inside these real paths.
    roots: tuple[Path, ...] | None = None


@dataclass
class CollectedReport:
    document: dict[str, Any]
    series: bytes


def collect(source: ReportInput) -> CollectedReport:
    """Read the notebook and the runs it shows; nothing is written."""
    import nbformat

    try:
        notebook = nbformat.read(source.notebook, as_version=4)
    except (OSError, ValueError) as error:
        raise ReportError(messages.NOTEBOOK_UNREADABLE.format(path=source.notebook, error=error)) from error
    store, pull = report_store(source.store)
    collector = BlockCollector(
        source.notebook.resolve().parent, store, source.include_code, source.roots, pull
    )
    collector.add_notebook(notebook)
    document = {
        "format": REPORT_FORMAT,
        "title": title_block(notebook, source.notebook, collector.context.runs),
        "blocks": collector.blocks,
    }
    return CollectedReport(document, collector.context.series.to_bytes())


def build_html(source: ReportInput) -> str:
    """The report as one self-contained HTML page (same notebook and store → same text)."""
    collected = collect(source)
    return render_page(collected.document, collected.series)


def write_html(source: ReportInput, output: Path) -> Path:
    """Build the page; write it to `output` atomically, never through a symlink (atomic_file.output_file)."""
    text = build_html(source)
    output.parent.mkdir(parents=True, exist_ok=True)
    return write_output(output, text.encode("utf-8"), within=source.roots)
