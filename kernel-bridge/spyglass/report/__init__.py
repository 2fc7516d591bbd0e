"""Reports: a notebook published as one self-contained, interactive HTML file (or a Markdown + SVG folder).

See docs/reports.md. `build_html` and `write_html` are what the CLI and the server endpoint call.
"""

from .build import ReportInput, build_html, collect, write_html
from .errors import ReportError
from .markdown_export import write_markdown

__all__ = ["ReportError", "ReportInput", "build_html", "collect", "write_html", "write_markdown"]
