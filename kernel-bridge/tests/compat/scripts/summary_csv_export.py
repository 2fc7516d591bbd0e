"""wandb's documented recipe for exporting runs to CSV through the public API."""

import sys

import pandas as pd

import spyglass as wandb

for lr in (0.1, 0.01):
    with wandb.init(project="compat", config={"lr": lr}) as run:
        for step in range(5):
            run.log({"iter": step * 10, "acc": lr * step})
        run.summary["best_acc"] = lr * 4

api = wandb.Api()
runs = api.runs("compat")
summary_list, config_list, name_list = [], [], []
for run in runs:
    # .summary contains output keys/values for metrics such as accuracy.
    summary_list.append(run.summary._json_dict)
    # .config contains the hyperparameters; remove special values that start with _.
    config_list.append({k: v for k, v in run.config.items() if not k.startswith("_")})
    name_list.append(run.name)
runs_df = pd.DataFrame({"summary": summary_list, "config": config_list, "name": name_list})
runs_df.to_csv(sys.argv[1])
print(sorted((row["iter"], type(row["iter"]).__name__) for row in summary_list))
