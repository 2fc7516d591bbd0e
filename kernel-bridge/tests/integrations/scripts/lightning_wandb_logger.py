"""Lightning's own WandbLogger, unmodified, as a wandb user writes it; run with the Spyglass shim on the path.

Usage: lightning_wandb_logger.py STORE WORKDIR OUTPUT.json. Writes what Lightning handed its loggers.
"""

import json
import sys
from pathlib import Path

import torch
import wandb
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import WandbLogger
from lightning_models import RecordingLogger, TinyRegressor, loaders, trainer

store, workdir, output = sys.argv[1:4]
torch.manual_seed(0)
logger = WandbLogger(project="lit", save_dir=store, log_model="all", tags=["shim"])
recorder = RecordingLogger()
checkpoints = ModelCheckpoint(monitor="val/loss", mode="min", save_top_k=1)
train, valid = loaders()
fit = trainer([logger, recorder], Path(workdir), enable_checkpointing=True, callbacks=[checkpoints])
fit.fit(TinyRegressor(lr=0.05, hidden=4), train, valid)

Path(output).write_text(
    json.dumps(
        {
            "run_id": logger.experiment.id,
            "calls": recorder.calls,
            "best_model_path": checkpoints.best_model_path,
            "best_model_score": float(checkpoints.best_model_score),
            "wandb_module": wandb.__file__,
        }
    )
)
# No wandb.finish(): WandbLogger never calls it; the run ends with the process, as under wandb.
