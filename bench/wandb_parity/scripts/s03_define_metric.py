import wandb

run = wandb.init(project="parity")
wandb.define_metric("epoch")
wandb.define_metric("val/*", step_metric="epoch", summary="max")
wandb.define_metric("train/loss", summary="min")
wandb.define_metric("train/acc", summary="mean")
wandb.define_metric("val/loss", step_metric="epoch", summary="min")
for epoch in range(3):
    for b in range(4):
        wandb.log({"train/loss": 1.0 / (1 + epoch * 4 + b), "train/acc": 0.1 * b})
    wandb.log(
        {
            "epoch": epoch,
            "val/acc": [0.6, 0.8, 0.7][epoch],
            "val/loss": [0.5, 0.3, 0.4][epoch],
        }
    )
run.summary["best"] = 0.8
run.finish()
