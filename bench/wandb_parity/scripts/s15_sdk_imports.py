import wandb
from wandb import Settings
from wandb.sdk import wandb_init
from wandb.sdk.lib import RunDisabled  # noqa: F401 - the import itself is what is checked
from wandb.sdk.wandb_run import Run

assert callable(wandb_init.init)
run = wandb.init(project="parity", settings=Settings(quiet=True))
assert isinstance(run, Run), type(run)
wandb.log({"ok": 1})
print(wandb.__version__)
run.finish()
