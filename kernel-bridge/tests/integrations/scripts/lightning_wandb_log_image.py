"""Lightning's own WandbLogger.log_image / log_audio, unmodified (each logs a list of wandb media under one
key); run with the Spyglass shim on the path.

Usage: lightning_wandb_log_image.py STORE OUTPUT.json. Writes the run id and the pixels it logged.
"""

import json
import sys
from pathlib import Path

import numpy as np
from lightning.pytorch.loggers import WandbLogger

store, output = sys.argv[1:3]
rng = np.random.default_rng(3)
logger = WandbLogger(project="lit", save_dir=store)
images = [rng.integers(0, 256, (4, 6, 3), dtype=np.uint8) for _ in range(3)]
logger.log_image(key="samples", images=images, caption=["a", "b", "c"])
tone = np.sin(np.linspace(0, 10, 400)).astype(np.float32)
logger.log_audio(key="sounds", audios=[tone, tone / 2], sample_rate=[8000, 8000])
Path(output).write_text(json.dumps({"run_id": logger.experiment.id, "images": [a.tolist() for a in images]}))
