"""Notebooks for the report's media tables and sweeps, made with the real spyglass API (also run by
e2e/report-media-sweeps.test.mjs: `python report_media_fixtures.py OUT_DIR` writes OUT_DIR/media.report.html).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import numpy as np
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

MEDIA_ROWS = 3_000
DISTINCT_IMAGES = 30
IMAGE_EDGE = 200  # larger than a thumbnail, so the builder has to downscale


def media_table_notebook(directory: Path) -> tuple[Path, Path]:
    """A run that logs a 3,000-row table of (id, image, score) and a notebook displaying it; the images are
    IMAGE_EDGE px noise (one of DISTINCT_IMAGES per row) with caption "#<image number>", the scores thirds."""
    import spyglass as sg

    store = directory / "store"
    rng = np.random.default_rng(7)
    pixels = [
        rng.integers(0, 255, (IMAGE_EDGE, IMAGE_EDGE, 3), dtype=np.uint8) for _ in range(DISTINCT_IMAGES)
    ]
    pictures = [sg.Image(p, caption=f"#{i}") for i, p in enumerate(pixels)]
    run = sg.init(project="media", name="media-run", dir=store, display=False)
    table = sg.Table(columns=["id", "image", "score"])
    for i in range(MEDIA_ROWS):
        table.add_data(i, pictures[i % DISTINCT_IMAGES], i / 3)
    run.log({"preds": table})
    bundle = table._repr_mimebundle_()
    run.finish()
    code = new_code_cell("table")
    code.outputs = [new_output("display_data", data=bundle)]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "media.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Media table"), code]), path)
    return path, store


def main(out: Path) -> None:
    from spyglass.report import ReportInput, write_html

    out.mkdir(parents=True, exist_ok=True)
    notebook, store = media_table_notebook(out / "media")
    write_html(ReportInput(notebook, store), out / "media.report.html")
    print(out / "media.report.html")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
