import wandb

for i in range(2):
    run = wandb.init(project="parity", name=f"r{i}", reinit=True)
    wandb.log({"i": i, "x": i * 1.5})
    run.finish()
run = wandb.init(project="parity", name="failed", reinit="finish_previous")
wandb.log({"err": 1})
wandb.finish(exit_code=1)
