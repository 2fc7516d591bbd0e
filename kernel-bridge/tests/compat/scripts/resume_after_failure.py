"""Checkpointed training that crashes, then is started again with the same id and resume="allow"."""

import json
import os
import sys

import spyglass as wandb

RUN_ID = sys.argv[1]
CHECKPOINT = sys.argv[2]
CRASH_AT = int(sys.argv[3]) if len(sys.argv) > 3 else -1

run = wandb.init(project="compat", id=RUN_ID, resume="allow", config={"epochs": 6})
start = 0
if run.resumed and os.path.exists(CHECKPOINT):
    with open(CHECKPOINT) as file:
        start = json.load(file)["epoch"] + 1
for epoch in range(start, wandb.config.epochs):
    if epoch == CRASH_AT:
        raise RuntimeError(f"simulated crash at epoch {epoch}")
    wandb.log({"epoch": epoch, "loss": 1.0 / (epoch + 1)})
    with open(CHECKPOINT, "w") as file:
        json.dump({"epoch": epoch}, file)
