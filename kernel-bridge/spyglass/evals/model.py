"""`sg.Model`: a class with `predict` whose declared attributes (prompt, model name, ...) are its version.

A subclass's annotated class attributes become keyword fields (a dataclass). The version is a content hash of
the class name, the attributes as recorded JSON (secrets under names such as `api_key` redacted; objects
that are not data, such as a client, by their type only) and the source of `predict`, so changing the prompt
or the code makes a new version and re-creating the same model does not.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import json
from typing import Any

from ..traces.value_encoding import REDACTED, is_secret_name, to_json
from .errors import EvaluationError

VERSION_CHARS = 16


class Model:
    """Subclass it: declare attributes with annotations and write `predict(self, <column names>)` (sync or
    async); `sg.Evaluation.evaluate(model)` calls it with the matching columns of each example."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A subclass that writes its own __init__ keeps it (dataclass leaves an __init__ in the class alone).
        dataclasses.dataclass(cls, kw_only=True, eq=False)  # type: ignore[call-overload]

    def predict(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define predict(self, ...)")

    def attributes(self) -> dict[str, Any]:
        """The declared attributes as recorded with each evaluation (JSON-ready)."""
        return model_attributes(self)

    def version(self) -> str:
        """16 hex digits of sha256 over the class name, the attributes and predict's source."""
        return model_version(self)


def model_attributes(model: Any) -> dict[str, Any]:
    """A model's attributes as JSON values: dataclass fields, else its public instance attributes."""
    if dataclasses.is_dataclass(model):
        pairs = [(field.name, getattr(model, field.name)) for field in dataclasses.fields(model)]
    else:
        pairs = [(key, value) for key, value in vars(model).items() if not key.startswith("_")]
    return {name: _attribute_value(name, value) for name, value in pairs}


def model_version(model: Any) -> str:
    """The version of a model object, or of a plain function used as one (its source)."""
    if inspect.isfunction(model) or inspect.ismethod(model):
        document: dict[str, Any] = {"function": model.__qualname__, "predict": _source(model)}
    else:
        document = {
            "class": f"{type(model).__module__}.{type(model).__qualname__}",
            "attributes": model_attributes(model),
            "predict": predict_source(model),
        }
    return hashlib.sha256(to_json(document).encode()).hexdigest()[:VERSION_CHARS]


def predict_source(model: Any) -> str:
    """The source of the model's predict (its code object's bytes when the source is not available)."""
    function = getattr(type(model), "predict", None)
    if function is None or function is Model.predict:
        raise EvaluationError(f"{type(model).__name__} has no predict method: define predict(self, ...)")
    return _source(function)


def _source(function: Any) -> str:
    function = _unwrapped(function)
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):  # defined in a REPL without a file: the compiled code stands in
        code = getattr(function, "__code__", None)
        return code.co_code.hex() if code is not None else repr(function)


def model_name(model: Any) -> str:
    """The model's name in results: its `name` attribute when it is text, else the class (function) name."""
    name = getattr(model, "name", None)
    if isinstance(name, str) and name:
        return name
    return getattr(model, "__name__", None) or type(model).__name__


def _unwrapped(function: Any) -> Any:
    while hasattr(function, "__wrapped__"):
        function = function.__wrapped__
    return function


def _attribute_value(name: str, value: Any) -> Any:
    if is_secret_name(name):
        return REDACTED
    try:
        json.dumps(value, allow_nan=False)
        return value
    except (TypeError, ValueError):
        # A client or another live object: its type is part of the version, its address and state are not.
        kind = type(value)
        return {"_type": "object", "type": f"{kind.__module__}.{kind.__qualname__}"}
