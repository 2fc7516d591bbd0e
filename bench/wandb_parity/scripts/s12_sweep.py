import wandb

sweep_config = {
    "method": "grid",
    "metric": {"name": "loss", "goal": "minimize"},
    "parameters": {"lr": {"values": [0.1, 0.01]}},
}


def train():
    with wandb.init():
        lr = wandb.config.lr
        for i in range(3):
            wandb.log({"loss": lr * (3 - i)})


sweep_id = wandb.sweep(sweep_config, project="parity")
wandb.agent(sweep_id, function=train, count=2)
