import os

import wandb

run = wandb.init(project="parity")
path = os.path.join(run.dir, "ckpt.txt")
with open(path, "w") as f:
    f.write("x")
wandb.save(path)
wandb.save(os.path.join(run.dir, "*.txt"), base_path=run.dir, policy="end")
for epoch in range(3):
    wandb.log({"epoch": epoch, "lr": 0.1**epoch, "int_metric": epoch * 40})
print(run.step)
wandb.run.summary["final_epoch"] = 2
run.finish()
