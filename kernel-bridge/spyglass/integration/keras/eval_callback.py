"""`WandbEvalCallback`: a base Keras callback logging a table of data once and one of predictions per epoch.

Subclass it, fill `self.data_table` in `add_ground_truth` and `self.pred_table` in `add_model_predictions`.
As in wandb, the data table is logged once as a "dataset" artifact `val` (entry `val_data`) that the run
uses, and each epoch's predictions as a new version of the "evaluation" artifact `run_<run id>_pred` (entry
`eval_data`).
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import Any

import keras

from ...artifacts import Artifact
from ...data_types import Table
from ..active_run import active_run


class WandbEvalCallback(keras.callbacks.Callback, abc.ABC):
    """Build and log evaluation tables during `model.fit` (wandb's WandbEvalCallback)."""

    def __init__(
        self, data_table_columns: Sequence[str], pred_table_columns: Sequence[str], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        active_run(f"{type(self).__name__}()")
        self.data_table_columns = list(data_table_columns)
        self.pred_table_columns = list(pred_table_columns)

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self.init_data_table(column_names=self.data_table_columns)
        self.add_ground_truth(logs)
        self.log_data_table()

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.init_pred_table(column_names=self.pred_table_columns)
        self.add_model_predictions(epoch, logs)
        self.log_pred_table()

    @abc.abstractmethod
    def add_ground_truth(self, logs: dict[str, Any] | None = None) -> None:
        """Add the evaluation data to `self.data_table` (called once, when training begins)."""

    @abc.abstractmethod
    def add_model_predictions(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        """Add the model's predictions to `self.pred_table` (called at the end of every epoch)."""

    def init_data_table(self, column_names: Sequence[str]) -> None:
        self.data_table = Table(columns=list(column_names), allow_mixed_types=True)

    def init_pred_table(self, column_names: Sequence[str]) -> None:
        self.pred_table = Table(columns=list(column_names))

    def log_data_table(self, name: str = "val", type: str = "dataset", table_name: str = "val_data") -> None:
        """Log `data_table` as artifact `name` used by the run; `data_table_ref` then reads its rows."""
        artifact = Artifact(name, type=type)
        artifact.add(self.data_table, table_name)
        active_run(type_name(self)).use_artifact(artifact)
        self.data_table_ref = TableRows(self.data_table)

    def log_pred_table(
        self, type: str = "evaluation", table_name: str = "eval_data", aliases: list[str] | None = None
    ) -> None:
        """Log `pred_table` as the next version of artifact `run_<run id>_pred` (aliases: ["latest"])."""
        run = active_run(type_name(self))
        artifact = Artifact(f"run_{run.id}_pred", type=type)
        artifact.add(self.pred_table, table_name)
        run.log_artifact(artifact, aliases=aliases or ["latest"])


class TableRows:
    """The logged data table as wandb's `data_table_ref` offers it: `.data` rows and `get_index()`."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self.columns = list(table.columns)
        self.data = table.data

    def get_index(self) -> list[int]:
        """The row numbers, to look rows up in `.data`."""
        return list(range(len(self.data)))

    def __len__(self) -> int:
        return len(self.data)


def type_name(callback: object) -> str:
    return type(callback).__name__
