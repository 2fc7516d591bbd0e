import wandb

wandb.init(project="parity", config={"steps": 20})
for step in range(0, 20, 2):
    wandb.log({"train/loss": 1 / (step + 1)}, step=step)
    wandb.log({"train/lr": 0.1}, step=step, commit=False)
for i in range(5):
    wandb.log({"part_a": i}, commit=False)
    wandb.log({"part_b": i * 2})
wandb.log({"late": 1}, step=30)
wandb.log({"after": 2})
wandb.finish()
