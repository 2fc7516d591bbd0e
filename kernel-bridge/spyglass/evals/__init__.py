"""Evaluations: sg.Dataset, sg.Model, sg.Evaluation, scorers (docs/evaluations.md)."""

from .builtin_scorers import EmbeddingSimilarity, ExactMatch, JSONValid, LLMJudge, RegexMatch
from .comparison_view import EvaluationComparison, compare_evaluations
from .dataset import Dataset
from .errors import DatasetError, EvaluationError
from .evaluation import Evaluation
from .evaluation_log import RESULTS_KEY, EvaluationSummary
from .model import Model
from .scorer import Scorer

__all__ = [
    "RESULTS_KEY",
    "Dataset",
    "DatasetError",
    "EmbeddingSimilarity",
    "Evaluation",
    "EvaluationError",
    "EvaluationSummary",
    "ExactMatch",
    "JSONValid",
    "LLMJudge",
    "Model",
    "RegexMatch",
    "Scorer",
    "EvaluationComparison",
    "compare_evaluations",
]
