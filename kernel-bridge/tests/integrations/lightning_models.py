"""A tiny Lightning regression model, and a logger recording what Lightning hands its loggers (the oracle)."""

from __future__ import annotations

from typing import Any

import lightning.pytorch as pl
import torch
from lightning.pytorch.loggers.logger import Logger
from torch.utils.data import DataLoader, TensorDataset


class TinyRegressor(pl.LightningModule):
    """y = 2a - b + noise; logs train/loss every step and val/loss, val/mae once per epoch."""

    def __init__(self, lr: float = 0.05, hidden: int = 4, fail_at_step: int | None = None) -> None:
        super().__init__()
        self.save_hyperparameters()
        layers = [torch.nn.Linear(2, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 1)]
        self.net = torch.nn.Sequential(*layers)

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        if self.hparams.fail_at_step is not None and self.global_step == self.hparams.fail_at_step:
            raise RuntimeError("training diverged (raised on purpose by the test)")
        features, target = batch
        loss = torch.nn.functional.mse_loss(self.net(features).squeeze(-1), target)
        self.log("train/loss", loss)
        return loss

    def validation_step(self, batch: Any, batch_idx: int) -> None:
        features, target = batch
        prediction = self.net(features).squeeze(-1)
        self.log("val/loss", torch.nn.functional.mse_loss(prediction, target))
        self.log("val/mae", (prediction - target).abs().mean())

    def test_step(self, batch: Any, batch_idx: int) -> None:
        features, target = batch
        self.log("test/loss", torch.nn.functional.mse_loss(self.net(features).squeeze(-1), target))

    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)


def loaders(rows: int = 64, batch_size: int = 8) -> tuple[DataLoader, DataLoader]:
    generator = torch.Generator().manual_seed(0)
    features = torch.randn(rows, 2, generator=generator)
    target = 2 * features[:, 0] - features[:, 1] + 0.1 * torch.randn(rows, generator=generator)
    train = TensorDataset(features[: rows * 3 // 4], target[: rows * 3 // 4])
    valid = TensorDataset(features[rows * 3 // 4 :], target[rows * 3 // 4 :])
    return DataLoader(train, batch_size=batch_size), DataLoader(valid, batch_size=batch_size)


def trainer(loggers: list[Logger], tmp_path: Any, **options: Any) -> pl.Trainer:
    """A CPU trainer without progress bars or model summaries; every step logged."""
    settings: dict[str, Any] = {
        "max_epochs": 3,
        "log_every_n_steps": 1,
        "accelerator": "cpu",
        "devices": 1,
        "enable_progress_bar": False,
        "enable_model_summary": False,
        "default_root_dir": str(tmp_path / "lightning"),
        "enable_checkpointing": False,
    }
    settings.update(options)
    return pl.Trainer(logger=loggers, **settings)


class RecordingLogger(Logger):
    """Keeps every log_metrics call as (step, metrics) and the hyperparameters: what a logger is given."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[int | None, dict[str, float]]] = []
        self.hyperparameters: dict[str, Any] = {}

    @property
    def name(self) -> str:
        return "recording"

    @property
    def version(self) -> str:
        return "0"

    def log_hyperparams(self, params: Any, *args: Any, **kwargs: Any) -> None:
        self.hyperparameters.update(dict(params))

    def log_metrics(self, metrics: dict[str, float], step: int | None = None) -> None:
        self.calls.append((step, dict(metrics)))

    def rows_by_step(self) -> dict[int, dict[str, float]]:
        """The calls merged per step (later calls at one step add keys), as a run stores them."""
        rows: dict[int, dict[str, float]] = {}
        for step, metrics in self.calls:
            assert step is not None, "Lightning gives every logged metric a step"
            rows.setdefault(step, {}).update(metrics)
        return rows
