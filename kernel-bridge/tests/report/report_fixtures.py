"""Notebooks and stores for the report tests, including the XSS corpus (also run by e2e/report.test.mjs:
`python report_fixtures.py OUT_DIR` writes OUT_DIR/xss.report.html and OUT_DIR/budget.report.html)."""

from __future__ import annotations

import base64
import io
import json
import math
import re
import sys
import zlib
from pathlib import Path
from typing import Any

import nbformat
import pyarrow as pa
import pyarrow.ipc as ipc
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # store_builders, when run as a script

from store_builders import framed_run, history_batch  # noqa: E402

from spyglass.report import ReportInput, write_html  # noqa: E402
from spyglass.transport.protocol import RUN_MIME_TYPE, TABLE_MIME_TYPE  # noqa: E402
from spyglass.workspace_data.display import WORKSPACE_MIME_TYPE  # noqa: E402

# Each payload sets window.__xss if it ever runs; the e2e test asserts it stays undefined.
MARKDOWN_PAYLOADS = [
    "<script>window.__xss = 'md-script'</script>",
    '<img src="x" onerror="window.__xss = \'md-img\'">',
    "[click me](javascript:window.__xss='md-link')",
    '<svg><script>window.__xss = "md-svg"</script></svg><svg onload="window.__xss = \'md-onload\'"></svg>',
    "<iframe srcdoc=\"<script>parent.__xss = 'md-iframe'</script>\"></iframe>",
    '<a href="#" onclick="window.__xss = \'md-click\'">a link with a handler</a>',
]
RUN_NAME = "<img src=x onerror=\"window.__xss='run-name'\">"
CONFIG_VALUE = "</script><script>window.__xss='config'</script>"
TABLE_CELLS = [
    "<b onmouseover=\"window.__xss='cell'\">bold?</b>",
    "<script>window.__xss='cell-script'</script>",
]
METRIC_NAME = "<img src=x onerror=\"window.__xss='metric'\">"
SVG_OUTPUT = '<svg xmlns="http://www.w3.org/2000/svg"><script>window.__xss="svg"</script><rect/></svg>'
TITLE = "</title><script>window.__xss='title'</script>"
ALL_PAYLOADS = [*MARKDOWN_PAYLOADS, RUN_NAME, CONFIG_VALUE, *TABLE_CELLS, METRIC_NAME, TITLE]


def run_output(run_dir: Path, project: str, run_id: str, name: str) -> Any:
    data = {"run_id": run_id, "project": project, "name": name, "run_dir": str(run_dir)}
    return new_output("display_data", data={RUN_MIME_TYPE: data, "text/plain": f"Run({name})"})


def workspace_output(store: Path, project: str) -> Any:
    data = {"store_root": str(store), "project": project, "layout_key": project}
    return new_output("display_data", data={WORKSPACE_MIME_TYPE: data, "text/plain": "workspace"})


def inline_table_output(table: pa.Table) -> Any:
    sink = io.BytesIO()
    with ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    bundle = {
        "run_dir": None,
        "path": None,
        "key": "cells",
        "step": None,
        "nrows": table.num_rows,
        "columns": [{"name": f.name, "type": str(f.type)} for f in table.schema],
        "inline_arrow": base64.b64encode(sink.getvalue()).decode(),
    }
    return new_output("display_data", data={TABLE_MIME_TYPE: bundle, "text/plain": "table"})


def xss_notebook(directory: Path) -> tuple[Path, Path]:
    """A notebook with payloads in markdown, run name, config, metric name, table cells, SVG output, title."""
    store = directory / "store"
    steps = list(range(50))
    run = framed_run(
        store,
        "xss",
        "run1",
        [
            history_batch(
                steps, **{METRIC_NAME: [math.sin(s / 5) for s in steps], "loss": [1 / (s + 1) for s in steps]}
            )
        ],
        name=RUN_NAME,
        config={"payload": CONFIG_VALUE},
    )
    table = pa.table({"text": TABLE_CELLS, "n": [1, 2]})
    code = new_code_cell("run")
    code.outputs = [
        run_output(run.path, "xss", "run1", RUN_NAME),
        inline_table_output(table),
        new_output("display_data", data={"image/svg+xml": SVG_OUTPUT, "text/plain": "svg"}),
        new_output("stream", name="stdout", text="</script><script>window.__xss='stdout'</script>\n"),
    ]
    cells = [new_markdown_cell("# XSS corpus\n\n" + "\n\n".join(MARKDOWN_PAYLOADS)), code]
    notebook = new_notebook(cells=cells, metadata={"title": TITLE})
    path = directory / "xss.ipynb"
    nbformat.write(notebook, path)
    return path, store


def budget_notebook(
    directory: Path, runs: int = 20, metrics: int = 10, steps: int = 5000
) -> tuple[Path, Path]:
    """One workspace output over `runs` runs of `metrics` noisy metrics of `steps` steps each."""
    store = directory / "store"
    xs = list(range(steps))
    for r in range(runs):
        values = {
            f"metric_{m:02d}": [
                math.sin(s / (50 + m)) + ((s * 7919 + r * 104729 + m) % 1000) / 3000 for s in xs
            ]
            for m in range(metrics)
        }
        framed_run(store, "budget", f"run{r:02d}", [history_batch(xs, **values)], config={"r": r})
    code = new_code_cell("sg.workspace('budget')")
    code.outputs = [workspace_output(store, "budget")]
    path = directory / "budget.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Budget"), code]), path)
    return path, store


def decode_page(html: str) -> tuple[dict[str, Any], bytes]:
    """The embedded document and series block of a report page."""

    def block(name: str) -> bytes:
        match = re.search(rf'<script type="application/octet-stream" id="{name}">([^<]*)</script>', html)
        assert match, f"no #{name} in the page"
        return zlib.decompress(base64.b64decode(match.group(1)))

    return json.loads(block("sg-report-doc")), block("sg-report-series")


def plots_notebook(directory: Path) -> tuple[Path, None]:
    """A notebook displaying sg.plot.line and sg.plot.confusion_matrix (and a spec that names a URL)."""
    import spyglass as sg

    line = sg.plot.line(
        sg.Table(columns=["x", "y"], data=[[i, i * i] for i in range(20)]), "x", "y", title="squares"
    )
    matrix = sg.plot.confusion_matrix(
        y_true=[0, 1, 2, 1, 0, 2], preds=[0, 2, 2, 1, 0, 1], class_names=["a", "b", "c"]
    )
    remote = {"data": {"url": "https://example.com/rows.csv"}, "mark": "point"}
    fetching = sg.plot_table(remote, sg.Table(columns=["v"], data=[[1]]), {})
    cells = [new_markdown_cell("# Plots")]
    for chart in (line, matrix, fetching):
        output = new_output("display_data", data=chart._repr_mimebundle_())
        cells.append(new_code_cell("chart", outputs=[output]))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "plots.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    return path, None


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, make in (("xss", xss_notebook), ("budget", budget_notebook), ("plots", plots_notebook)):
        notebook, store = make(out / name)
        write_html(ReportInput(notebook, store), out / f"{name}.report.html")
        print(out / f"{name}.report.html")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
