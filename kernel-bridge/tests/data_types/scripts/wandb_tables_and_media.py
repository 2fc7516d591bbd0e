"""Written as people write wandb code: tables of predictions with images, media, plots and custom charts."""

import matplotlib
import numpy as np
import pandas as pd

import spyglass as wandb

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

run = wandb.init(project="compat", config={"classes": 3})
rng = np.random.default_rng(0)

columns = ["id", "image", "guess", "truth"]
test_table = wandb.Table(columns=columns)
for index in range(4):
    image = wandb.Image(rng.integers(0, 255, (8, 8, 3), dtype=np.uint8), caption=f"sample {index}")
    test_table.add_data(index, image, int(rng.integers(3)), index % 3)
run.log({"test_predictions": test_table})

frame = pd.DataFrame({"a": np.arange(5), "b": np.linspace(0, 1, 5)})
wandb.log({"frame": wandb.Table(dataframe=frame)})

data = [[x, x**2] for x in range(10)]
table = wandb.Table(data=data, columns=["x", "y"])
wandb.log(
    {
        "my_line": wandb.plot.line(table, "x", "y", title="Custom Y vs X Line Plot"),
        "my_scatter": wandb.plot.scatter(table, "x", "y", title="Scatter"),
        "my_bar": wandb.plot.bar(table, "x", "y", title="Bar"),
        "my_hist": wandb.plot.histogram(table, "y", title="Histogram"),
    }
)
wandb.log(
    {"series": wandb.plot.line_series(xs=[0, 1, 2], ys=[[1, 2, 3], [3, 2, 1]], keys=["a", "b"], title="Two")}
)

y_true = rng.integers(0, 3, 50)
probas = rng.dirichlet(np.ones(3), 50)
wandb.log(
    {
        "conf_mat": wandb.plot.confusion_matrix(
            probs=None, y_true=y_true, preds=probas.argmax(1), class_names=["a", "b", "c"]
        ),
        "pr": wandb.plot.pr_curve(y_true, probas, labels=["a", "b", "c"]),
        "roc": wandb.plot.roc_curve(y_true, probas, labels=["a", "b", "c"]),
        "custom": wandb.plot_table("wandb/line/v0", table, {"x": "x", "y": "y"}, {"title": "Custom"}),
    }
)

figure, axes = plt.subplots()
axes.plot([1, 3, 2])
wandb.log(
    {
        "gradients": wandb.Histogram(rng.normal(size=1000)),
        "np_hist": wandb.Histogram(np_histogram=np.histogram(rng.normal(size=100), bins=8)),
        "chart": figure,
        "chart_image": wandb.Image(figure),
        "audio": wandb.Audio(np.sin(np.arange(8000) / 10), sample_rate=8000, caption="tone"),
        "video": wandb.Video(rng.integers(0, 255, (4, 3, 16, 16), dtype=np.uint8), fps=4, format="gif"),
        "html": wandb.Html("<h1>Report</h1>"),
        "points": wandb.Object3D(rng.normal(size=(20, 3))),
    }
)
wandb.finish()
print(run.id)
