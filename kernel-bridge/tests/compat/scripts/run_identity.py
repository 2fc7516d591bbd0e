"""Prints the identity attributes wandb scripts read: entity, path, offline, disabled, start_time."""

import time

import spyglass as wandb

before = time.time()
run = wandb.init(project="compat", id="ident", name="identity")
print(repr(run.entity), run.path, run.offline, run.disabled, before - 1 <= run.start_time <= time.time())
wandb.log({"path_len": len(run.path)})
run.finish()
