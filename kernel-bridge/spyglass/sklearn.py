"""`spyglass.sklearn` (wandb.sklearn): scikit-learn charts; the code is in `spyglass.integration.sklearn`."""

from .integration.sklearn import *  # noqa: F403
from .integration.sklearn import __all__ as __all__
