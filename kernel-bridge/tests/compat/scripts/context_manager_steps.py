"""`with wandb.init() as run`, explicit steps, nested dicts, numpy values, summary.update, late renames."""

import numpy as np

import spyglass as wandb

with wandb.init(project="compat", id="steps", config={"width": 64}) as run:
    run.name = "explicit-steps"
    run.tags = run.tags + ("steps",)
    for step in range(0, 50, 5):
        run.log({"metrics": {"loss": np.float32(1.0 / (step + 1)), "ok": True}}, step=step)
        run.log({"extra": np.int64(step)}, step=step)
    run.summary.update({"final_loss": 0.02, "note": "done"})
    wandb.log({"last": 1.0})
