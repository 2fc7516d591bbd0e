"""Hostile strings in table cells are stored verbatim; the CSV export of a table neutralises formulas."""

from __future__ import annotations

import csv

import spyglass as sg
from spyglass.cli import main

PAYLOADS = [
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss=1">',
    "javascript:alert(1)",
    '=HYPERLINK("http://evil.example","click")',
    "+1+2",
    "@SUM(A1)",
    "abc\u202edcba\u2066isolated\u2069",
    "x" * 1_000_000,
]


def log_payloads(store):
    run = sg.init(project="unsafe")
    run.log(
        {
            "cells": sg.Table(
                columns=["id", "text"], data=[[index, text] for index, text in enumerate(PAYLOADS)]
            )
        }
    )
    run.finish()
    return run


def test_payloads_round_trip_verbatim_through_parquet(store):
    run = log_payloads(store)
    assert sg.Api().run(f"unsafe/{run.id}").table("cells").column("text").to_pylist() == PAYLOADS


def test_export_table_writes_csv_with_formulas_neutralised(store, tmp_path, capsys):
    run = log_payloads(store)
    output = tmp_path / "cells.csv"
    assert (
        main(["runs", "export-table", f"unsafe/{run.id}", "cells", "-o", str(output), "--dir", str(store)])
        == 0
    )
    limit = csv.field_size_limit(2_000_000)  # the 1 MB cell is over the csv module's default limit
    try:
        with output.open(newline="", encoding="utf-8") as file:
            rows = list(csv.reader(file))
    finally:
        csv.field_size_limit(limit)
    texts = [row[1] for row in rows[1:]]
    assert texts[3] == "'" + PAYLOADS[3] and texts[4] == "'+1+2" and texts[5] == "'@SUM(A1)"
    assert texts[0] == PAYLOADS[0] and texts[6] == PAYLOADS[6] and len(texts[7]) == 1_000_000
    parquet = tmp_path / "cells.parquet"
    assert (
        main(["runs", "export-table", f"unsafe/{run.id}", "cells", "-o", str(parquet), "--dir", str(store)])
        == 0
    )
    assert (
        main(["runs", "export-table", f"unsafe/{run.id}", "nope", "-o", str(parquet), "--dir", str(store)])
        == 1
    )
    assert "nothing under 'nope'" in capsys.readouterr().err
