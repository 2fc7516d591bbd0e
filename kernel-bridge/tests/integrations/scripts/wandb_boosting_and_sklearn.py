"""XGBoost, LightGBM and scikit-learn logging written against wandb, unmodified; run with the Spyglass shim.

Usage: wandb_boosting_and_sklearn.py OUTPUT.json. Writes the run ids and what each framework reported.
"""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import lightgbm as lgb
import wandb
import xgboost as xgb
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from wandb.integration.keras import WandbMetricsLogger
from wandb.integration.lightgbm import log_summary, wandb_callback
from wandb.xgboost import WandbCallback

output = sys.argv[1]
features, labels = make_classification(300, 5, random_state=0)
train_x, valid_x, train_y, valid_y = features[:240], features[240:], labels[:240], labels[240:]
out = {"wandb_module": wandb.__file__}

wandb.init(project="shim-frameworks", name="xgboost")
booster = xgb.XGBClassifier(n_estimators=4, max_depth=2, callbacks=[WandbCallback()])
booster.fit(train_x, train_y, eval_set=[(valid_x, valid_y)], verbose=False)
out["xgboost"] = {"run_id": wandb.run.id, "logloss": booster.evals_result()["validation_0"]["logloss"]}
wandb.finish()

wandb.init(project="shim-frameworks", name="lightgbm")
recorded = {}
gbm = lgb.train(
    {"objective": "binary", "verbose": -1},
    lgb.Dataset(train_x, train_y),
    4,
    valid_sets=[lgb.Dataset(valid_x, valid_y)],
    callbacks=[wandb_callback(), lgb.record_evaluation(recorded)],
)
log_summary(gbm)
out["lightgbm"] = {"run_id": wandb.run.id, "logloss": recorded["valid_0"]["binary_logloss"]}
wandb.finish()

wandb.init(project="shim-frameworks", name="sklearn")
forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(train_x, train_y)
wandb.sklearn.plot_confusion_matrix(valid_y, forest.predict(valid_x), ["no", "yes"])
wandb.sklearn.plot_roc(valid_y, forest.predict_proba(valid_x), ["no", "yes"])
out["sklearn"] = {"run_id": wandb.run.id}
wandb.finish()

wandb.init(project="shim-frameworks", name="keras")
keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
history = model.fit(train_x, train_y, epochs=2, verbose=0, callbacks=[WandbMetricsLogger()])
out["keras"] = {"run_id": wandb.run.id, "loss": history.history["loss"]}
wandb.finish()

Path(output).write_text(json.dumps(out))
