"""A Transformers Trainer with report_to="wandb", unmodified; run with the Spyglass shim on the path.

Usage: transformers_report_to_wandb.py WORKDIR OUTPUT.json (store in $SPYGLASS_DIR, project in $WANDB_PROJECT,
WANDB_LOG_MODEL=end to log the model). Writes the Trainer's log history.
"""

import json
import sys
from pathlib import Path

import wandb
from tiny_transformers import SentimentData, model, training_arguments
from transformers import Trainer

workdir, output = sys.argv[1:3]
args = training_arguments(str(Path(workdir) / "out"), report_to="wandb", run_name="tiny-bert")
trainer = Trainer(
    model=model(),
    args=args,
    train_dataset=SentimentData(48, seed=1),
    eval_dataset=SentimentData(16, seed=2),
)
trainer.train()
Path(output).write_text(
    json.dumps(
        {
            "run_id": wandb.run.id,
            "log_history": trainer.state.log_history,
            "num_parameters": trainer.model.num_parameters(),
            "wandb_module": wandb.__file__,
        }
    )
)
