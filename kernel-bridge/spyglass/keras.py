"""`spyglass.keras` (wandb.keras): the Keras 3 callbacks, from `spyglass.integration.keras`."""

from .integration.keras import *  # noqa: F403
