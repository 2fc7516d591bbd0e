"""Values wandb takes that Spyglass once refused or dropped: numpy scalars in tables, line_series of unequal
lengths, the pyplot module itself, integer counters."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import spyglass as wandb  # noqa: E402

wandb.init(project="compat")
table = wandb.Table(columns=["id", "score"])
for i in range(3):
    table.add_data(np.int64(i), np.array(i / 2))
chart = wandb.plot.line_series(xs=list(range(5)), ys=[[1, 2, 3, 4, 5], [2, 4]], keys=["a", "b"], title="t")
plt.plot([0, 1, 2], [2, 1, 3])
plt.title("curve")
for step in range(4):
    wandb.log({"iter": step * 10})
wandb.log({"table": table, "series": chart, "curve": plt})
wandb.finish()
