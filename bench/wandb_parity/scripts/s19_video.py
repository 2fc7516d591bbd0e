import numpy as np
import wandb

run = wandb.init(project="parity")
frames = (np.random.default_rng(0).random((8, 3, 16, 16)) * 255).astype(np.uint8)
wandb.log({"video": wandb.Video(frames, fps=4, format="gif")})
run.finish()
