import wandb

run = wandb.init(project="parity")
data = [[x, x * x] for x in range(10)]
table = wandb.Table(data=data, columns=["x", "y"])
wandb.log(
    {
        "line": wandb.plot.line(table, "x", "y", title="Line"),
        "scatter": wandb.plot.scatter(table, "x", "y", title="Scatter"),
        "bar": wandb.plot.bar(
            wandb.Table(data=[["a", 1], ["b", 2]], columns=["label", "value"]),
            "label",
            "value",
            title="Bar",
        ),
        "histogram": wandb.plot.histogram(
            wandb.Table(data=[[v] for v in [1, 2, 2, 3]], columns=["v"]),
            "v",
            title="Hist",
        ),
        "series": wandb.plot.line_series(
            xs=[0, 1, 2, 3],
            ys=[[1, 2, 3, 4], [2, 3, 4, 5]],
            keys=["a", "b"],
            title="Series",
            xname="step",
        ),
    }
)
run.finish()
