"""`spyglass.xgboost` (wandb.xgboost): the XGBoost callback; the code is in `spyglass.integration.xgboost`."""

from .integration.xgboost import SpyglassCallback, WandbCallback

__all__ = ["SpyglassCallback", "WandbCallback"]
