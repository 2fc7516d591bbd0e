import os

import wandb
from wandb.errors import CommError

wandb.login(anonymous="allow")
run = wandb.init(project="parity", name="props", settings=wandb.Settings(silent=True))
print(run.name, run.id, run.project, os.path.isdir(run.dir), type(run.entity))
wandb.termlog("hello from termlog")
wandb.termwarn("a warning")
try:
    raise CommError("x")
except CommError:
    pass
wandb.log({"has_dir": int(os.path.isdir(run.dir)), "name_len": len(run.name)})
run.summary["id_len"] = len(run.id)
run.finish()
