"""A manual sweep: a run per config with reinit=True, then two runs live at once (reinit="create_new")."""

import spyglass as wandb

for lr in (0.1, 0.01, 0.001):
    run = wandb.init(project="compat", group="sweep", config={"lr": lr}, reinit=True, name=f"lr-{lr}")
    for i in range(10):
        wandb.log({"loss": lr * (10 - i)})
    run.summary["final"] = lr
    run.finish()

teacher = wandb.init(project="compat", name="teacher", reinit="create_new")
student = wandb.init(project="compat", name="student", reinit="create_new")
for _ in range(5):
    teacher.log({"loss": 1.0})
    student.log({"loss": 2.0, "distill": 0.5})
teacher.finish()
student.finish()
