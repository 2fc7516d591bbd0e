"""A list of media under one key, the most common wandb call for samples: `wandb.log({"examples": [...]})`,
with captions, audio, an empty list, and a mixed list that wandb refuses too (the script goes on after it)."""

import numpy as np

import spyglass as wandb

wandb.init(project="compat")
rng = np.random.default_rng(7)
for epoch in range(3):
    images = [
        wandb.Image(rng.integers(0, 256, (8, 8, 3), dtype=np.uint8), caption=f"{epoch}-{i}") for i in range(4)
    ]
    tone = np.sin(np.linspace(0, 20 + epoch, 1600)).astype(np.float32)
    wandb.log(
        {"examples": images, "sounds": [wandb.Audio(tone, sample_rate=16000)], "none": [], "epoch": epoch}
    )
try:
    wandb.log({"mixed": [wandb.Image(np.zeros((2, 2))), wandb.Html("<p>")]})
except ValueError as error:
    print("refused:", error)
wandb.finish()
