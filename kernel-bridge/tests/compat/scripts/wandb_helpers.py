"""The wandb helper names scripts call on the module itself, under `import spyglass as wandb`."""

import spyglass as wandb
from spyglass.errors import CommError

run = wandb.init(project="compat", id="helpers")
wandb.termlog("log line")
wandb.termwarn("warn line")
wandb.termerror("error line")
try:
    raise wandb.errors.CommError("offline")
except CommError as error:
    caught = isinstance(error, wandb.Error)
wandb.log({"caught": int(caught), "id_len": len(wandb.util.generate_id())})
run.finish()
