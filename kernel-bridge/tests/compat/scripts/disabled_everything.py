"""WANDB_MODE=disabled: every call works, nothing is written."""

import spyglass as wandb

run = wandb.init(project="compat", config={"lr": 0.1}, tags=["x"])
wandb.define_metric("val/*", step_metric="epoch")
wandb.watch(object(), log="all", log_freq=10)
for epoch in range(3):
    wandb.log({"val/acc": 0.1 * epoch, "epoch": epoch})
wandb.summary["best"] = 0.3
run.log_artifact("model.pt")
print("lr", wandb.config.lr, "name", wandb.run.name)
wandb.finish()
