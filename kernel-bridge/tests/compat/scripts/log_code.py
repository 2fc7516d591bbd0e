"""run.log_code() as wandb scripts call it: defaults, then a root, a name and one-argument filters."""

import os
import sys

import spyglass as wandb

for path, text in [
    ("train.py", "x = 1\n"),
    ("requirements.txt", "numpy\n"),
    ("notes.md", "no\n"),
    ("lib/util.py", "y = 2\n"),
    ("wandb/skip.py", "z\n"),
    ("cfg/a.yaml", "a: 1\n"),
]:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
run = wandb.init(project="compat", id="code")
default = run.log_code()
custom = run.log_code(root="cfg", name="configs", include_fn=lambda path: path.endswith(".yaml"))
nothing = run.log_code(root="cfg", include_fn=lambda path, root: False)
print(default.name, default.type, ",".join(default.files()))
print(custom.name, ",".join(custom.files()), nothing)
run.finish()
sys.exit(0)
