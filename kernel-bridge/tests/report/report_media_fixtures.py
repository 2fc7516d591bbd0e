"""Notebooks for the report's media tables and sweeps, made with the real spyglass API (also run by
e2e/report-tables-sweeps.test.mjs: `python report_media_fixtures.py OUT_DIR` writes OUT_DIR/media.report.html,
sweep.report.html, sweep-saved.report.html and lineage.report.html).
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


SWEEP_GRID = {"lr": {"values": [0.001, 0.01, 0.1]}, "batch": {"values": [16, 32]}}
TRIALS_AT_SAVE = 3  # trials done when the notebook saved the sweep's output; the grid has 6


def sweep_notebook(directory: Path) -> tuple[Path, Path]:
    """A notebook whose sweep output was saved after TRIALS_AT_SAVE of the grid's 6 trials; the sweep then
    finished, so its directory holds all 6."""
    import math

    import spyglass as sg
    from spyglass.sweeps import find_sweep
    from spyglass.sweeps.display import sweep_bundle

    store = directory / "store"
    config = {"method": "grid", "metric": {"name": "loss", "goal": "minimize"}, "parameters": SWEEP_GRID}
    sweep_id = sg.sweep(config, project="tune", dir=store)

    def train() -> None:
        lr, batch = sg.config["lr"], sg.config["batch"]
        sg.log({"loss": (math.log10(lr) + 2) ** 2 + batch / 100 + 1 / 3})

    sg.agent(sweep_id, train, count=TRIALS_AT_SAVE, dir=store)
    saved = sweep_bundle(find_sweep(sweep_id, dir=store))
    sg.agent(sweep_id, train, dir=store)
    directory.mkdir(parents=True, exist_ok=True)
    code = new_code_cell("sg.agent(sweep_id, train)")
    code.outputs = [new_output("display_data", data=saved)]
    path = directory / "sweep.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Sweep"), code]), path)
    return path, store


def lineage_notebook(directory: Path) -> tuple[Path, Path, str]:
    """A run logs `data:v0`, a second run uses it; the notebook shows the second run's lineage, saved before a
    third run (logged after the save) used `data` too. Returns (notebook, store, the later run's name)."""
    import spyglass as sg

    store = directory / "store"
    settings = sg.Settings(system_metrics=False)
    with sg.init(project="lin", dir=store, settings=settings, display=False) as prepare:
        data = sg.Artifact("data", "dataset")
        with data.new_file("rows.csv") as handle:
            handle.write("a,b\n1,2\n")
        prepare.log_artifact(data)
    with sg.init(project="lin", dir=store, settings=settings, display=False) as train:
        train.use_artifact("data:latest")
    saved = train.lineage()._repr_mimebundle_()
    with sg.init(project="lin", dir=store, settings=settings, display=False) as later:
        later.use_artifact("data:latest")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "lineage.ipynb"
    nbformat.write(
        new_notebook(
            cells=[new_code_cell("run.lineage()", outputs=[new_output("display_data", data=saved)])]
        ),
        path,
    )
    return path, store, later.name


def main(out: Path) -> None:
    from spyglass.report import ReportInput, write_html

    out.mkdir(parents=True, exist_ok=True)
    notebook, store = media_table_notebook(out / "media")
    write_html(ReportInput(notebook, store), out / "media.report.html")
    notebook, store = sweep_notebook(out / "sweep")
    write_html(ReportInput(notebook, store), out / "sweep.report.html")
    # The same notebook published where the sweep's directory is gone: the saved snapshot, with a note.
    moved = store.rename(out / "sweep" / "moved-store")
    write_html(ReportInput(notebook), out / "sweep-saved.report.html")
    moved.rename(store)
    notebook, _, _ = lineage_notebook(out / "lineage")
    write_html(ReportInput(notebook), out / "lineage.report.html")
    print(out / "media.report.html", out / "sweep.report.html", out / "sweep-saved.report.html")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
