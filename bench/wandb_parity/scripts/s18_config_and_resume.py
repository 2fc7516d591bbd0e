import argparse

import wandb

p = argparse.ArgumentParser()
p.add_argument("--lr", type=float, default=0.1)
args = p.parse_args([])
run = wandb.init(
    project="parity",
    id="resumable",
    config=vars(args),
    config_exclude_keys=[],
    config_include_keys=None,
)
wandb.config.update(args)
wandb.config.update({"lr": 0.2}, allow_val_change=True)
for i in range(3):
    wandb.log({"loss": 1.0 / (i + 1)})
run.finish()
