import wandb
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

X, y = make_classification(n_samples=200, n_classes=3, n_informative=4, random_state=0)
model = LogisticRegression(max_iter=500).fit(X, y)
probas = model.predict_proba(X)
preds = probas.argmax(axis=1)
labels = ["a", "b", "c"]
run = wandb.init(project="parity")
wandb.log(
    {
        "conf_mat": wandb.plot.confusion_matrix(
            probs=None, y_true=y, preds=preds, class_names=labels
        )
    }
)
wandb.log({"roc": wandb.plot.roc_curve(y, probas, labels=labels)})
wandb.log({"pr": wandb.plot.pr_curve(y, probas, labels=labels)})
wandb.log({"acc": float((preds == y).mean())})
run.finish()
