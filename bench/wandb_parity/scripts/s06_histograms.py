import numpy as np
import wandb

run = wandb.init(project="parity")
rng = np.random.default_rng(0)
for step in range(3):
    data = rng.normal(size=500)
    wandb.log(
        {
            "hist_seq": wandb.Histogram(data),
            "hist_np": wandb.Histogram(np_histogram=np.histogram(data, bins=10)),
            "hist_bins": wandb.Histogram(data.tolist(), num_bins=20),
            "mean": float(data.mean()),
        }
    )
run.finish()
