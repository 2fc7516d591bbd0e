"""The playground panel's endpoints (docs/server-api.md#playground):

GET  /playground/providers                    the provider table: which the server can use (no URL, no key)
GET  /playground/models?provider=P            the models provider P lists (its /v1/models)
POST /playground/run?store_root=&project=     {"prompt", "columns"}: one traced chat request per column
POST /playground/save?store_root=&project=    {"prompt", "runs", "dataset"}: a prompt version and dataset rows

The requests to providers are made here, with keys from the server's environment; the page never sees them.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized

from ..base.errors import SpyglassError
from ..inference import PROVIDERS
from ..inference import client as inference_client
from .playground_runs import (
    Column,
    PlaygroundInputError,
    describe_failure,
    parse_columns,
    parse_prompt,
    provider_list,
    run_column,
)
from .playground_saves import save_prompt_and_runs
from .run_access import RunAccessError
from .workspace_handlers import _ProjectHandler

RUN_SHAPE = (
    '{"prompt": {"messages": [...], "variables": {...}}, "columns": [{"provider", "model", "parameters"}]}'
)
SAVE_SHAPE = '{"prompt": {"name", "messages"}, "runs": [...], "dataset": "name"}'
MAX_MODELS = 500
MODELS_TIMEOUT_S = 30.0  # a list of names: a server that takes longer is reported, the model can be typed


class _PlaygroundHandler(_ProjectHandler):
    def _answer(self, body: Any) -> None:
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body, allow_nan=False, default=str))


class PlaygroundProvidersHandler(_PlaygroundHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self._answer({"providers": provider_list()})


class PlaygroundModelsHandler(_PlaygroundHandler):
    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        provider = self.get_query_argument("provider", None)
        if provider not in PROVIDERS:
            return self._fail(400, f"unknown provider {provider!r}: use one of {', '.join(PROVIDERS)}")
        try:
            models = await asyncio.to_thread(_list_models, provider)
        except Exception as error:  # the page shows why the list is empty, and the model can still be typed
            return self._fail(502, describe_failure(Column(provider, "", {}), error))
        self._answer({"provider": provider, "models": models})


class PlaygroundRunHandler(_PlaygroundHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        try:
            root, project = self._project()
            body = self._json_object(RUN_SHAPE)
            prompt, values = parse_prompt(body.get("prompt"))
            columns = parse_columns(body.get("columns"))
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except PlaygroundInputError as error:
            return self._fail(400, str(error))
        # Side by side: every column's request is in flight at once, each in a thread of its own.
        results = await asyncio.gather(
            *(asyncio.to_thread(run_column, root, project, prompt, values, column) for column in columns)
        )
        self._answer({"project": project, "results": results})


class PlaygroundSaveHandler(_PlaygroundHandler):
    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        try:
            root, project = self._project()
            body = self._json_object(SAVE_SHAPE)
            saved = await asyncio.to_thread(save_prompt_and_runs, root, project, body)
        except RunAccessError as error:
            return self._fail(error.status, error.message)
        except (PlaygroundInputError, SpyglassError) as error:
            return self._fail(400, str(error))
        except OSError as error:
            return self._fail(500, f"could not save to the store: {error}")
        self._answer({"project": project, **saved})


def _list_models(provider: str) -> list[str]:
    client = inference_client(provider, timeout=MODELS_TIMEOUT_S, max_retries=0)
    names = [model.id for model in client.models.list()]
    return sorted(names)[:MAX_MODELS]
