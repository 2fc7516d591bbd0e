"""The self-contained HTML page: the runtime and the data inlined, a Content-Security-Policy that allows only
that one script (by its sha256), no remote loads, no inline event handlers and no eval."""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from html import escape
from importlib import resources
from typing import Any

from . import messages
from .errors import ReportError

RUNTIME_FILE = "static/report-runtime.js"
STYLE_FILE = "report.css"
REPORT_FORMAT = "spyglass-report/1"
# Level 9: slower to build, smaller to ship; zlib's output depends only on input and level (reproducible).
DEFLATE_LEVEL = 9
DATA_TYPE = "application/octet-stream"


def runtime_script() -> str:
    """The bundled report runtime; `</script` cannot appear inside it unescaped."""
    resource = resources.files(__package__).joinpath(RUNTIME_FILE)
    if not resource.is_file():
        raise ReportError(messages.RUNTIME_MISSING.format(path=resource))
    # `<\/script` means the same in JS strings and regexes, and keeps the HTML parser from closing the tag.
    return resource.read_text("utf-8").replace("</script", "<\\/script")


def content_security_policy(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'sha256-{digest}'",
            # Vega and its tooltip set style attributes and add a <style> element; styles cannot run code.
            "style-src 'unsafe-inline'",
            "img-src data:",
            "font-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def encode_document(document: dict[str, Any]) -> str:
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return encode_bytes(text.encode("utf-8"))


def encode_bytes(data: bytes) -> str:
    return base64.b64encode(zlib.compress(data, DEFLATE_LEVEL)).decode("ascii")


def render_page(document: dict[str, Any], series: bytes) -> str:
    """The whole HTML file, as text."""
    script = runtime_script()
    style = resources.files(__package__).joinpath(STYLE_FILE).read_text("utf-8")
    title = escape(document["title"]["title"])
    csp = content_security_policy(script)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{escape(csp)}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="color-scheme" content="light dark">',
            '<meta name="generator" content="spyglass report">',
            f"<title>{title}</title>",
            f"<style>{style}</style>",
            "</head>",
            "<body>",
            f'<div id="sg-report"><h1>{title}</h1><p>{escape(messages.LOADING)}</p>'
            f"<noscript><p>{escape(messages.NOSCRIPT)}</p></noscript></div>",
            # Data blocks: a non-JavaScript type is never executed, and base64 holds no markup.
            f'<script type="{DATA_TYPE}" id="sg-report-doc">{encode_document(document)}</script>',
            f'<script type="{DATA_TYPE}" id="sg-report-series">{encode_bytes(series)}</script>',
            f"<script>{script}</script>",
            "</body>",
            "</html>",
            "",
        ]
    )
