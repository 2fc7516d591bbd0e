"""Tables in reports: image cells as thumbnails within the media budget, placeholders, the truncation note."""

from __future__ import annotations

import base64
import io
import json
from importlib import resources
from pathlib import Path

import nbformat
import pyarrow as pa
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from PIL import Image
from report_fixtures import decode_page, inline_table_output
from report_media_fixtures import MEDIA_ROWS, media_table_notebook

from spyglass.report import ReportInput, build_html
from spyglass.report.budgets import TABLE_MEDIA_BYTES_LIMIT, TABLE_ROW_BUDGET, THUMBNAIL_EDGE
from spyglass.report.html_page import RUNTIME_FILE
from spyglass.report.markdown_export import write_markdown


@pytest.fixture(scope="module")
def media_report(tmp_path_factory) -> tuple[dict, Path, Path, int]:
    directory = tmp_path_factory.mktemp("media")
    notebook, store = media_table_notebook(directory)
    html = build_html(ReportInput(notebook, store))
    document, _ = decode_page(html)
    return document, notebook, store, len(html.encode())


def table_of(document: dict) -> dict:
    (table,) = [b for b in document["blocks"] if b["kind"] == "table"]
    return table


def test_image_cells_are_embedded_as_downscaled_thumbnails_not_reference_json(media_report):
    table = table_of(media_report[0])
    assert '"_type"' not in json.dumps(table["data"])
    first = table["data"][1][0]["media"][0]
    assert first["kind"] == "image" and first["caption"] == "#0" and first["note"] is None
    header, payload = first["src"].split(",", 1)
    assert header == "data:image/jpeg;base64"
    with Image.open(io.BytesIO(base64.b64decode(payload))) as thumbnail:
        assert max(thumbnail.size) == THUMBNAIL_EDGE  # the logged images are 200 px


def test_thumbnails_stop_at_the_report_media_budget_and_later_cells_say_why(media_report):
    items = [cell["media"][0] for cell in table_of(media_report[0])["data"][1]]
    embedded = [item for item in items if item["src"]]
    assert 0 < len(embedded) < len(items)
    assert sum(len(item["src"]) for item in embedded) <= TABLE_MEDIA_BYTES_LIMIT
    assert items[: len(embedded)] == embedded  # one cut, in table order
    left_out = items[len(embedded) :]
    assert all(item["src"] is None and "used up" in item["note"] for item in left_out)
    assert left_out[0]["caption"] is not None


def test_a_report_of_two_thousand_image_rows_stays_within_the_media_budget_plus_the_runtime(media_report):
    runtime = len(resources.files("spyglass.report").joinpath(RUNTIME_FILE).read_bytes())
    # Thumbnails are base64 inside the deflated, base64 document: ~4/3 of the budget, plus the other cells.
    assert media_report[3] < runtime + TABLE_MEDIA_BYTES_LIMIT * 4 // 3 + 300_000


def test_a_truncated_table_says_how_many_rows_are_shown_and_left_out(media_report):
    table = table_of(media_report[0])
    assert len(table["data"][0]) == TABLE_ROW_BUDGET and table["nrows"] == MEDIA_ROWS
    assert table["note"].startswith("Showing 2,000 of 3,000 rows: 1,000 rows are left out")


def test_markdown_export_shows_image_cells_by_caption(media_report, tmp_path):
    _, notebook, store, _ = media_report
    text = write_markdown(ReportInput(notebook, store), tmp_path / "md").read_text()
    assert "[image: #0]" in text and "_type" not in text


def test_a_reference_leading_outside_the_table_directory_and_other_media_show_placeholders(tmp_path):
    secret = tmp_path / "secret.png"
    Image.new("RGB", (4, 4)).save(secret)
    (tmp_path / "run" / "media").mkdir(parents=True)
    (tmp_path / "run" / "media" / "link.png").symlink_to(secret)
    cells = [
        json.dumps({"_type": "image", "path": "../secret.png", "caption": "x"}, separators=(",", ":")),
        json.dumps({"_type": "image", "path": "media/link.png", "caption": "y"}, separators=(",", ":")),
        json.dumps({"_type": "audio", "path": "media/audio/a.wav", "caption": None}, separators=(",", ":")),
        '{"_type": not json',
    ]
    output = inline_table_output(pa.table({"cell": cells}))
    output["data"]["application/vnd.spyglass.table.v1+json"]["run_dir"] = str(tmp_path / "run")
    path = tmp_path / "crafted.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell("t", outputs=[output])]), path)
    (column,) = table_of(decode_page(build_html(ReportInput(path)))[0])["data"]
    outside, linked, audio, text = column
    for cell in (outside, linked):
        assert (
            cell["media"][0]["src"] is None and "is not in the table's directory" in cell["media"][0]["note"]
        )
    assert audio["media"][0] == {
        "kind": "audio",
        "caption": None,
        "src": None,
        "note": "audio (reports do not embed it)",
    }
    assert text == '{"_type": not json'  # not a reference: stays text
