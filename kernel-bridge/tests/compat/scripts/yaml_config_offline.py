"""Config from a YAML file (wandb's value form), include keys, offline mode, mark_preempting, exit code."""

import sys

import spyglass as wandb

run = wandb.init(
    project="compat", id="yaml", config=sys.argv[1], config_include_keys=["lr", "layers"], mode="offline"
)
assert wandb.config.lr == 0.003 and "dropout" not in wandb.config
wandb.config.setdefaults({"layers": 99, "activation": "relu"})
try:
    wandb.config.update({"lr": 1.0})
except ValueError as error:  # wandb raises its ConfigError; Spyglass's is a ValueError too
    print("refused:", error)
for i in range(3):
    wandb.log({"loss": 0.1 * i})
wandb.mark_preempting()
sys.exit(4)
