"""A training script's tail as people write it: checkpoints saved with wandb.save, a model logged, used and
linked, an alert on a threshold, and wandb.save as the very last line (it used to fail the run there)."""

import os

import spyglass as wandb

os.makedirs("checkpoints", exist_ok=True)
run = wandb.init(project="compat", config={"epochs": 3})
for epoch in range(3):
    with open(f"checkpoints/epoch-{epoch}.pt", "wb") as checkpoint:
        checkpoint.write(bytes([epoch]) * (epoch + 1))
    wandb.log({"epoch": epoch, "loss": 1.0 / (epoch + 1)})
    if epoch == 1:
        wandb.alert(title="Low loss", text=f"loss reached {1.0 / (epoch + 1)}", level=wandb.AlertLevel.WARN)
with open("model.bin", "wb") as model:
    model.write(b"weights")
run.log_model(path="model.bin", name="classifier", aliases=["best"])
run.link_model(path="model.bin", registered_model_name="Classifier")
wandb.save("checkpoints/*.pt")
wandb.finish()

consumer = wandb.init(project="compat", job_type="eval")
path = consumer.use_model("classifier:best")
with open(path, "rb") as model:
    print(model.read().decode())
wandb.save(os.path.abspath("model.bin"), policy="now")
