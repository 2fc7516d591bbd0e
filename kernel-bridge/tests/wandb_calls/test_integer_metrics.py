"""Integer metrics keep their type on read-back (wandb keeps ints); a float later promotes the column."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

import spyglass as sg


def read(run):
    return sg.Api().run(f"{run.project}/{run.id}")


def test_int_only_metrics_read_back_as_ints_everywhere(store):
    run = sg.init(project="p")
    for i in range(50):
        run.log({"iter": i * 10, "epoch": np.int32(i // 10), "loss": 1.0 / (i + 1)})
    run.finish()
    stored = read(run)
    history = stored.history(samples=None, pandas=False)
    assert (
        history.schema.field("iter").type == pa.int64() and history.schema.field("epoch").type == pa.int64()
    )
    assert history.column("iter").to_pylist()[4] == 40 and type(history.column("iter").to_pylist()[4]) is int
    assert type(stored.summary["iter"]) is int and stored.summary["iter"] == 490
    assert [row["iter"] for row in stored.scan_history(keys=["iter"])][:3] == [0, 10, 20]
    assert pq.read_schema(f"{stored.dir}/history.parquet").field("iter").type == pa.int64()
    assert str(stored.history(samples=None)["iter"].dtype) == "int64"


def test_an_int_column_that_later_receives_a_float_becomes_float64_without_losing_rows(store):
    run = sg.init(project="p")
    for i in range(5):
        run.log({"value": i})
    run.flush()  # the ints are stored as an int64 frame
    run.log({"value": 2.5})
    run.log({"value": 7})
    run.finish()
    history = read(run).history(samples=None, pandas=False)
    assert history.schema.field("value").type == pa.float64()
    assert history.column("value").to_pylist() == [0, 1, 2, 3, 4, 2.5, 7]
    assert pq.read_table(f"{read(run).dir}/history.parquet").num_rows == 7


def test_bools_and_ints_beyond_int64_stay_floats(store):
    run = sg.init(project="p")
    run.log({"flag": True, "huge": 2**70})
    run.finish()
    history = read(run).history(samples=None, pandas=False)
    assert history.schema.field("flag").type == pa.float64()
    assert history.schema.field("huge").type == pa.float64()


def test_the_live_summary_aggregates_int_metrics(store):
    run = sg.init(project="p")
    run.define_metric("iter", summary="min,max")
    for i in (3, 1, 4):
        run.log({"iter": i})
    assert run.summary["iter"] == {"min": 1, "max": 4}
    run.finish()


def test_the_workspace_metric_reader_takes_int_columns_and_promoted_ones(store):
    from spyglass.workspace_data.series import read_metric

    finished = sg.init(project="p", name="finished")
    for i in range(3):
        finished.log({"iter": i * 10})
    finished.finish()
    live = sg.init(project="p", name="live")
    live.log({"iter": 1})
    live.flush()  # an int64 frame, then a float64 one
    live.log({"iter": 1.5})
    live.flush()
    answer = read_metric(store, "p", "iter", run_ids=[finished.id, live.id])
    rows = answer.table.to_pylist()
    by_run = {run_id: [r["value"] for r in rows if r["run"] == i] for i, run_id in enumerate(answer.run_ids)}
    assert by_run == {finished.id: [0.0, 10.0, 20.0], live.id: [1.0, 1.5]} and not answer.skipped
    live.finish()
