"""Plot outputs (sg.plot.*, sg.plot_table) become plot blocks: the spec plus the table's rows, table kept."""

from __future__ import annotations

from report_fixtures import decode_page, plots_notebook

from spyglass.report import ReportInput, build_html
from spyglass.report.budgets import TABLE_ROW_BUDGET


def test_line_and_confusion_matrix_embed_their_spec_and_rows(tmp_path):
    notebook, store = plots_notebook(tmp_path)
    html = build_html(ReportInput(notebook, store))
    document, _ = decode_page(html)
    plots = [b for b in document["blocks"] if b["kind"] == "plot"]
    assert len(plots) == 2
    line, matrix = plots
    assert line["spec"]["data"] == {"name": "table"}
    assert line["spec"]["encoding"]["x"]["field"] == "x"
    assert [c["name"] for c in line["table"]["columns"]] == ["x", "y"]
    assert line["table"]["data"] == [list(range(20)), [i * i for i in range(20)]]
    assert "layer" in matrix["spec"]
    columns = [c["name"] for c in matrix["table"]["columns"]]
    assert {"Actual", "Predicted", "nPredictions"} <= set(columns)
    counts = matrix["table"]["data"][columns.index("nPredictions")]
    assert sum(counts) == 6  # six predictions
    assert build_html(ReportInput(notebook, store)) == html  # deterministic


def test_a_spec_that_names_a_url_is_refused_and_its_table_kept(tmp_path):
    notebook, store = plots_notebook(tmp_path)
    document, _ = decode_page(build_html(ReportInput(notebook, store)))
    kinds = [b["kind"] for b in document["blocks"]]
    assert kinds[-2:] == ["notice", "table"]
    assert "example.com" not in str([b for b in document["blocks"] if b["kind"] == "plot"])


def test_plot_rows_stay_within_the_table_row_budget(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    import spyglass as sg

    rows = [[i, i % 7] for i in range(TABLE_ROW_BUDGET + 50)]
    chart = sg.plot.scatter(sg.Table(columns=["a", "b"], data=rows), "a", "b")
    path = tmp_path / "big.ipynb"
    output = new_output("display_data", data=chart._repr_mimebundle_())
    nbformat.write(new_notebook(cells=[new_code_cell("c", outputs=[output])]), path)
    (plot,) = decode_page(build_html(ReportInput(path)))[0]["blocks"]
    assert plot["kind"] == "plot"
    assert len(plot["table"]["data"][0]) == TABLE_ROW_BUDGET
    assert plot["table"]["nrows"] == TABLE_ROW_BUDGET + 50
