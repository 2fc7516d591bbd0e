import numpy as np
import wandb

with wandb.init(
    project="parity",
    config={"a": 1, "nested": {"b": 2}},
    settings=wandb.Settings(console="off", save_code=False),
) as run:
    for step in range(4):
        run.log(
            {
                "metrics": {"loss": 1.0 / (step + 1), "acc": np.float32(0.1 * step)},
                "np_int": np.int64(step),
                "flag": True,
                "arr_mean": np.mean([step, step + 1]),
            }
        )
    run.summary.update({"extra": {"k": 1}})
    run.config.update({"late": "x"})
