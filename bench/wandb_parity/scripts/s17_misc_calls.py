import numpy as np
import wandb

run = wandb.init(
    project="parity",
    mode="offline",
    config={"a": 1, "b": {"c": 2}},
    resume="allow",
    id="misc1",
    save_code=True,
    dir=None,
)
cfg = dict(wandb.config)
assert cfg["a"] == 1
assert run.config.as_dict()["b"] == {"c": 2}
assert "a" in wandb.config.keys()  # noqa: SIM118 - config.keys() as scripts call it
assert wandb.config.get("zzz", 5) == 5
run.config.setdefaults({"d": 4}) if hasattr(run.config, "setdefaults") else None
run.define_metric("hidden_metric", hidden=True)
run.log_code(".")
wandb.log(
    {
        "html": wandb.Html("<b>hi</b>"),
        "hidden_metric": 1,
        "np_arr_hist": wandb.Histogram(np.arange(10)),
    }
)
table = wandb.Table(columns=["i", "sq"])
for i in range(3):
    table.add_data(i, i * i)
idx = table.get_index()
run.log({"tbl": table, "rows": len(idx)})
run.summary.update({"done": True})
print(run.summary["done"], run.summary.get("rows"))
wandb.mark_preempting()
run.finish()
