"""Table.get_index(), as wandb scripts use it to add an index column (found by bench/wandb_parity)."""

from __future__ import annotations

import spyglass as sg


def test_get_index_numbers_the_rows_and_serves_as_a_column(tmp_path):
    table = sg.Table(columns=["i", "sq"])
    assert table.get_index() == []
    for i in range(3):
        table.add_data(i, i * i)
    table.add_column("row", table.get_index())
    run = sg.init(project="compat", id="index", dir=tmp_path)
    run.log({"tbl": table, "rows": len(table.get_index())})
    run.finish()
    stored = sg.Api(dir=tmp_path).run("compat/index")
    assert stored.summary["rows"] == 3
    assert stored.table("tbl").column("row").to_pylist() == [0, 1, 2]
