import argparse

import wandb

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--epochs", type=int, default=4)
parser.add_argument("--batch_size", type=int, default=32)
args = parser.parse_args([])

run = wandb.init(
    project="parity",
    name="argparse",
    tags=["a", "b"],
    group="g1",
    job_type="train",
    notes="argparse config",
    config=args,
)
wandb.config.update({"lr": 0.02}, allow_val_change=True)
wandb.config.update(vars(args), allow_val_change=True)
wandb.config.dropout = 0.1
best = 0
for epoch in range(wandb.config.epochs):
    acc = 0.5 + 0.1 * epoch
    wandb.log(
        {"epoch": epoch, "loss": 1.0 / (epoch + 1), "acc": acc, "iter": epoch * 10}
    )
    best = max(best, acc)
wandb.run.summary["best_acc"] = best
wandb.summary.update({"final_loss": 0.25})
wandb.finish()
