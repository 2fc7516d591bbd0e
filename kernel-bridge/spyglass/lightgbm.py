"""`spyglass.lightgbm` (wandb.lightgbm): the LightGBM callback, from `spyglass.integration.lightgbm`."""

from .integration.lightgbm import log_summary, wandb_callback

__all__ = ["log_summary", "wandb_callback"]
