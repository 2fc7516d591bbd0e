"""`sg.plot`: chart presets that log a table plus a Vega-Lite spec, as wandb.plot does."""

from .classification import confusion_matrix, pr_curve, roc_curve
from .custom_chart import CustomChart, plot_table
from .presets import bar, histogram, line, line_series, scatter

__all__ = [
    "CustomChart",
    "bar",
    "confusion_matrix",
    "histogram",
    "line",
    "line_series",
    "plot_table",
    "pr_curve",
    "roc_curve",
    "scatter",
]
