import numpy as np
import wandb

run = wandb.init(project="parity")
sr = 8000
for step in range(2):
    tone = np.sin(2 * np.pi * (440 + 100 * step) * np.arange(sr) / sr).astype(
        np.float32
    )
    wandb.log(
        {
            "audio": wandb.Audio(tone, sample_rate=sr, caption=f"tone {step}"),
            "freq": 440 + 100 * step,
        }
    )
run.finish()
