"""Torch values wandb takes: 0-d tensors in Table.add_data, int tensors logged as ints (real PyTorch)."""

from __future__ import annotations

import pyarrow as pa
import pytest

import spyglass as sg

torch = pytest.importorskip("torch")


def test_table_add_data_takes_0d_tensors_and_does_not_call_them_a_mix_of_types(store):
    table = sg.Table(columns=["step", "loss", "correct"])
    table.add_data(torch.tensor(1), torch.tensor(0.5), True)
    table.add_data(2, torch.tensor(0.25, dtype=torch.float64), torch.tensor(False))
    assert table.get_column("step") == [1, 2]
    assert table.get_column("loss") == [0.5, 0.25]
    assert table.get_column("correct") == [True, False]


def test_int_tensors_log_as_int64_and_float_tensors_as_float64(store):
    run = sg.init(project="p")
    for i in range(4):
        run.log({"seen": torch.tensor(i * 32), "loss": torch.tensor(1.0 / (i + 1))})
    run.finish()
    history = sg.Api().run(f"p/{run.id}").history(samples=None, pandas=False)
    assert (
        history.schema.field("seen").type == pa.int64() and history.schema.field("loss").type == pa.float64()
    )
    assert history.column("seen").to_pylist() == [0, 32, 64, 96]
