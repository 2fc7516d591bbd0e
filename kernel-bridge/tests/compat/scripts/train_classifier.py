"""A typical PyTorch-style training script written for wandb: argparse config, define_metric, commit=False."""

import argparse
import math
import random

import spyglass as wandb

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--batches", type=int, default=20)
parser.add_argument("--data-dir", default="/tmp/data")
args = parser.parse_args()

wandb.login()
run = wandb.init(
    project="compat",
    config=args,
    config_exclude_keys=["data_dir"],
    tags=["baseline"],
    group="classifier",
    job_type="train",
    notes="compat suite",
    settings=wandb.Settings(start_method="thread"),
)
wandb.config.update({"optimizer": "sgd", "seed": 0})
wandb.define_metric("epoch")
wandb.define_metric("val/*", step_metric="epoch")
wandb.define_metric("val/acc", summary="max")

random.seed(wandb.config.seed)
best_acc = 0.0
for epoch in range(wandb.config.epochs):
    for batch in range(args.batches):
        loss = math.exp(-0.1 * (epoch * args.batches + batch)) + random.random() * 0.01
        wandb.log({"train/loss": loss, "train/lr": wandb.config.lr}, commit=False)
        wandb.log({"train/batch": batch})
    acc = 0.5 + 0.1 * epoch
    wandb.log({"val/acc": acc, "val/loss": 1 - acc, "epoch": epoch})
    if acc > best_acc:
        best_acc = acc
        run.summary["best_acc"] = best_acc
print(wandb.run.name, wandb.run.id)
wandb.finish()
