import os
import tempfile

import wandb

tmp = tempfile.mkdtemp()
os.makedirs(os.path.join(tmp, "data"))
for i in range(3):
    with open(os.path.join(tmp, "data", f"f{i}.txt"), "w") as f:
        f.write(str(i))
with open(os.path.join(tmp, "model.txt"), "w") as f:
    f.write("weights")
run = wandb.init(project="parity", job_type="upload")
art = wandb.Artifact("dataset", type="dataset", description="d", metadata={"n": 3})
art.add_file(os.path.join(tmp, "model.txt"))
art.add_dir(os.path.join(tmp, "data"), name="data")
with art.new_file("notes.txt") as f:
    f.write("hello")
run.log_artifact(art, aliases=["latest", "v-test"])
wandb.log({"uploaded": 1})
run.finish()
