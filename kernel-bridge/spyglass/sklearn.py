"""`spyglass.sklearn` (wandb.sklearn): scikit-learn charts; the code is in `spyglass.integration.sklearn`."""

from .integration.sklearn import *  # noqa: F403
