"""Scorers: plain functions or `sg.Scorer` subclasses, their arguments matched by name.

A scorer's parameters are filled from the example's columns (renamed through `column_map`) and `output`
(the model's prediction). `**kwargs` receives every column. Each scorer call is an @sg.op call, a child of
the example's call in the trace.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..traces.op_wrappers import op
from .aggregates import default_summary
from .errors import EvaluationError

OUTPUT = "output"


class Scorer:
    """Subclass it: `score(self, *, output, <columns>)` returns a number, a boolean or a dict of them;
    `summarize(self, scores)` (optional) turns the list of one scorer's scores into its aggregate."""

    name: str | None = None
    column_map: Mapping[str, str] | None = None  # {score parameter: dataset column}

    def score(self, *, output: Any, **columns: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define score(self, *, output, ...)")

    def summarize(self, scores: list[Any]) -> Any:
        """The aggregate of the scores of the examples that did not fail (default: mean per number)."""
        return default_summary(scores)


@dataclass
class Parameters:
    """Which names a callable takes, from the example's columns and the extra values (`output`)."""

    names: list[str]
    required: set[str]
    takes_all: bool  # it has **kwargs: every column is passed
    column_map: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, function: Callable[..., Any], column_map: Mapping[str, str] | None = None) -> Parameters:
        names, required, takes_all = [], set(), False
        for parameter in inspect.signature(function).parameters.values():
            if parameter.kind is parameter.VAR_KEYWORD:
                takes_all = True
            elif parameter.kind is parameter.VAR_POSITIONAL:
                continue
            else:
                names.append(parameter.name)
                if parameter.default is parameter.empty:
                    required.add(parameter.name)
        return cls(names, required, takes_all, dict(column_map or {}))

    def missing(self, columns: list[str], extra: set[str]) -> list[str]:
        """Required parameters neither a column (through column_map) nor an extra value can fill."""
        known = set(columns) | extra
        return [name for name in self.names if name in self.required and self._source(name) not in known]

    def arguments(self, example: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
        """The keyword arguments for one call."""
        chosen: dict[str, Any] = dict(example) if self.takes_all else {}
        for name in self.names:
            source = self._source(name)
            if name in extra:
                chosen[name] = extra[name]
            elif source in example:
                chosen[name] = example[source]
        for name, value in extra.items():
            if self.takes_all:
                chosen[name] = value
        return chosen

    def _source(self, name: str) -> str:
        return self.column_map.get(name, name)


@dataclass
class BoundScorer:
    """A scorer ready to run: its name, its traced callable, its parameters and its summarize."""

    name: str
    call: Callable[..., Any]
    parameters: Parameters
    is_async: bool
    summarize: Callable[[list[Any]], Any]


def bind_scorer(scorer: Any) -> BoundScorer:
    """A function or Scorer instance as a BoundScorer; TypeError for anything else."""
    if isinstance(scorer, type) and issubclass(scorer, Scorer):
        raise EvaluationError(f"pass an instance of the scorer class: {scorer.__name__}(), not the class")
    if isinstance(scorer, Scorer):
        method = type(scorer).score
        if method is Scorer.score:
            raise EvaluationError(f"{type(scorer).__name__} must define score(self, *, output, ...)")
        name = scorer.name or type(scorer).__name__
        return BoundScorer(
            name,
            traced_method(method, scorer, f"{name}.score"),
            Parameters.of(method.__get__(scorer, type(scorer)), scorer.column_map),
            inspect.iscoroutinefunction(method),
            scorer.summarize,
        )
    if callable(scorer):
        name = getattr(scorer, "__name__", None) or type(scorer).__name__
        traced = scorer if hasattr(scorer, "__spyglass_op__") else op(scorer, name=name)
        return BoundScorer(
            name,
            traced,
            Parameters.of(scorer, getattr(scorer, "column_map", None)),
            inspect.iscoroutinefunction(scorer),
            default_summary,
        )
    raise EvaluationError(
        f"a scorer is a function or an sg.Scorer instance, got {type(scorer).__name__}: {scorer!r:.80}"
    )


def traced_method(function: Callable[..., Any], instance: Any, name: str) -> Callable[..., Any]:
    """`instance.function(**arguments)` as an @sg.op call named `name` recording the arguments, not the
    instance (a model's prompt or a judge's client is not encoded again on every call; the evaluation's root
    call names the model and its version). A method already decorated with @sg.op is called as it is."""
    if hasattr(function, "__spyglass_op__"):
        return function.__get__(instance, type(instance))
    if inspect.iscoroutinefunction(function):

        async def call_async(**arguments: Any) -> Any:
            return await function(instance, **arguments)

        return op(call_async, name=name)

    def call(**arguments: Any) -> Any:
        return function(instance, **arguments)

    return op(call, name=name)


def bind_scorers(scorers: Any, columns: list[str]) -> list[BoundScorer]:
    """Every scorer bound and checked against the dataset's columns, names unique."""
    if callable(scorers) or isinstance(scorers, Scorer):
        scorers = [scorers]
    bound = [bind_scorer(scorer) for scorer in scorers or ()]
    names = [scorer.name for scorer in bound]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise EvaluationError(
            f"two scorers are named {', '.join(map(repr, repeated))}: give each Scorer its own name= "
            "(results are stored by scorer name)"
        )
    for scorer in bound:
        missing = scorer.parameters.missing(columns, {OUTPUT})
        if missing:
            raise EvaluationError(
                f"scorer {scorer.name!r} takes {', '.join(missing)}, which is neither 'output' nor a "
                f"column of the dataset ({', '.join(columns)}); rename the parameter or map it with "
                "column_map"
            )
    return bound
