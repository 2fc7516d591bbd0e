"""The playground's endpoints through a real Jupyter server, its requests going to the local model server.

Two columns run side by side against `transformers serve` (tests/llm_server.py): each is a traced call in the
project, with the client's call (usage) under it. Saving stores the prompt as a versioned artifact and the
runs as dataset rows that sg.Dataset, sg.inference.Prompt and sg.Evaluation read back. Bad input is named.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from http.cookiejar import CookieJar

import pytest
from server_harness import free_port, http, jupyter_server

import spyglass as sg
from spyglass.inference import Prompt

PROJECT = "play"
SECRET = "sk-playground-secret-never-sent"
MESSAGES = [
    {"role": "system", "content": "Answer in one word."},
    {"role": "user", "content": "Why is the {{thing}} blue?"},
]


@pytest.fixture(scope="module")
def server(llm_server, tmp_path_factory):
    """A Jupyter server whose environment configures `custom` (the local model), a key for `wandb` and an
    unreachable `vllm`; `openai` has no key."""
    base = tmp_path_factory.mktemp("playground")
    (base / "root").mkdir()
    environment = {
        "SPYGLASS_INFERENCE_BASE_URL": llm_server.base_url,
        "WANDB_API_KEY": SECRET,
        "VLLM_BASE_URL": f"http://127.0.0.1:{free_port()}/v1",
        "OPENAI_API_KEY": "",
    }
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        with jupyter_server(base / "root", base / "config") as url:
            yield url, base / "root" / "store"
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _post(url, endpoint, body, store, project=PROJECT):
    data = json.dumps(body).encode()
    status, _, answer = http(
        url, endpoint, method="POST", data=data, store_root=str(store), project=project, timeout=300
    )
    return status, json.loads(answer)


def _run(url, store, columns, thing="sky", project=PROJECT):
    body = {"prompt": {"messages": MESSAGES, "variables": {"thing": thing}}, "columns": columns}
    return _post(url, "/spyglass/api/v1/playground/run", body, store, project)


def _get(url, endpoint, **params):
    return http(
        url, endpoint, timeout=120, **params
    )  # the first request waits for the extension on a busy machine


def test_the_provider_table_says_which_providers_are_set_up_and_never_sends_a_url_or_key(server, llm_server):
    url, _ = server
    status, _, body = _get(url, "/spyglass/api/v1/playground/providers")
    assert status == 200
    providers = {p["name"]: p for p in json.loads(body)["providers"]}
    assert providers["custom"]["ready"] and providers["wandb"]["ready"]
    assert not providers["openai"]["ready"] and "$OPENAI_API_KEY" in providers["openai"]["problem"]
    text = body.decode()
    assert SECRET not in text and llm_server.base_url not in text and "127.0.0.1" not in text

    status, _, body = _get(url, "/spyglass/api/v1/playground/models", provider="custom")
    assert status == 200 and json.loads(body)["models"] == [llm_server.model]
    status, _, body = _get(url, "/spyglass/api/v1/playground/models", provider="vllm")
    assert status == 502 and "cannot reach provider 'vllm'" in json.loads(body)["error"]
    status, _, body = _get(url, "/spyglass/api/v1/playground/models", provider="nope")
    assert status == 400 and "unknown provider 'nope'" in json.loads(body)["error"]


def test_two_models_run_side_by_side_each_a_traced_call_with_its_usage(server, llm_server):
    url, store = server
    columns = [
        {"provider": "custom", "model": llm_server.model, "parameters": {"max_tokens": 3, "temperature": 0}},
        {"provider": "custom", "model": llm_server.model, "parameters": {"max_tokens": 7, "seed": 1}},
    ]
    status, answer = _run(url, store, columns)
    assert status == 200, answer
    first, second = answer["results"]
    assert [first["usage"]["output_tokens"], second["usage"]["output_tokens"]] == [3, 7]
    assert all(
        isinstance(r["output"], str) and r["latency"] > 0 and not r.get("error") for r in (first, second)
    )
    assert first["parameters"] == {"max_tokens": 3, "temperature": 0.0}

    calls = list(sg.Api(dir=store).calls(PROJECT))
    roots = {c.trace_id: c for c in calls if c.op_name == "playground.run"}
    assert set(roots) == {first["trace_id"], second["trace_id"]}
    for result in (first, second):
        root = roots[result["trace_id"]]
        assert root.status == "success" and root.inputs["provider"] == "custom"
        assert root.inputs["messages"][1] == {"role": "user", "content": "Why is the sky blue?"}
        (client_call,) = [c for c in calls if c.parent_id == root.id]
        assert client_call.op_name == "openai.chat.completions.create"
        assert client_call.usage == result["usage"]
        recorded = client_call.output["value"]  # the client's ChatCompletion, as the trace records an object
        assert recorded["choices"][0]["message"]["content"] == result["output"]


def test_a_column_that_cannot_run_says_why_and_the_others_still_run(server, llm_server):
    url, store = server
    columns = [
        {"provider": "nope", "model": "m"},
        {"provider": "openai", "model": "gpt-4o-mini"},
        {"provider": "vllm", "model": "m"},
        {"provider": "custom", "model": "not-served"},
        {"provider": "custom", "model": llm_server.model, "parameters": {"max_tokens": 2}},
    ]
    status, answer = _run(url, store, columns)
    assert status == 200
    errors = [r.get("error") for r in answer["results"]]
    assert errors[0].startswith("unknown provider 'nope': the server knows wandb, openai")
    assert "$OPENAI_API_KEY" in errors[1] and "Jupyter server's environment" in errors[1]
    unreachable = "cannot reach provider 'vllm': is its server running? (its address is $VLLM_BASE_URL or"
    assert errors[2] == unreachable + " the default)"
    assert errors[3].startswith("provider 'custom' answered 400: ") and "not-served" in errors[3]
    assert errors[4] is None and answer["results"][4]["usage"]["output_tokens"] == 2
    assert SECRET not in json.dumps(answer)


def test_runs_for_other_projects_are_traced_into_their_own(server, llm_server):
    url, store = server
    column = [{"provider": "custom", "model": llm_server.model, "parameters": {"max_tokens": 1}}]
    traces = {}
    for project in ("play-a", "play-b", "play-a"):
        status, answer = _run(url, store, column, project=project)
        assert status == 200 and answer["project"] == project
        traces.setdefault(project, []).append(answer["results"][0]["trace_id"])
    for project, trace_ids in traces.items():
        roots = [c for c in sg.Api(dir=store).calls(project) if c.op_name == "playground.run"]
        assert sorted(c.trace_id for c in roots) == sorted(trace_ids)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"prompt": {"messages": MESSAGES}, "columns": []}, '"columns" must be a non-empty list'),
        (
            {
                "prompt": {"messages": MESSAGES},
                "columns": [{"provider": "custom", "model": "m", "parameters": {"temperature": 3}}],
            },
            "column 1: temperature must be between 0 and 2, got 3",
        ),
        (
            {
                "prompt": {"messages": MESSAGES},
                "columns": [{"provider": "custom", "model": "m", "parameters": {"logit_bias": {}}}],
            },
            "column 1: unknown parameter 'logit_bias'",
        ),
        (
            {
                "prompt": {"messages": [{"role": "tool", "content": "x"}]},
                "columns": [{"provider": "custom", "model": "m"}],
            },
            "role 'tool'",
        ),
        ({"prompt": "hi", "columns": [{"provider": "custom", "model": "m"}]}, '"prompt" must be an object'),
    ],
)
def test_a_malformed_run_request_is_refused_naming_the_field(server, body, message):
    url, store = server
    status, answer = _post(url, "/spyglass/api/v1/playground/run", body, store)
    assert status == 400 and message in answer["error"]


def test_a_missing_variable_fails_its_columns_without_a_request(server, llm_server):
    url, store = server
    body = {"prompt": {"messages": MESSAGES}, "columns": [{"provider": "custom", "model": llm_server.model}]}
    status, answer = _post(url, "/spyglass/api/v1/playground/run", body, store)
    assert status == 200 and "no value for the prompt variable(s) thing" in answer["results"][0]["error"]


def test_saving_versions_the_prompt_by_content_and_stores_the_runs_as_dataset_rows(server, llm_server):
    url, store = server
    columns = [
        {"provider": "custom", "model": llm_server.model, "parameters": {"max_tokens": 2}},
        {"provider": "custom", "model": llm_server.model, "parameters": {"max_tokens": 5}},
    ]
    _, answer = _run(url, store, columns, thing="sea")
    runs = [{**r, "variables": {"thing": "sea"}} for r in answer["results"]]
    save = {"prompt": {"name": "why-blue", "messages": MESSAGES}, "runs": runs, "dataset": "why-blue-runs"}
    status, saved = _post(url, "/spyglass/api/v1/playground/save", save, store)
    assert status == 200, saved
    assert saved == {
        "project": PROJECT,
        "prompt": "play/why-blue:v0",
        "dataset": "play/why-blue-runs:v0",
        "rows": 2,
    }
    status, again = _post(url, "/spyglass/api/v1/playground/save", {**save, "runs": []}, store)
    assert again["prompt"] == "play/why-blue:v0" and again["dataset"] is None  # same messages: same version
    edited = {**save, "prompt": {"name": "why-blue", "messages": [MESSAGES[1]]}, "runs": []}
    assert _post(url, "/spyglass/api/v1/playground/save", edited, store)[1]["prompt"] == "play/why-blue:v1"

    prompt = Prompt.get("play/why-blue:v0", dir=store)
    assert prompt.messages == MESSAGES and prompt.variables == ["thing"]
    assert prompt.format(thing="sea")[1]["content"] == "Why is the sea blue?"
    dataset = sg.Dataset.get("why-blue-runs", project=PROJECT, dir=store)
    assert [row["output_tokens"] for row in dataset] == [2, 5]
    row = dataset[0]
    assert row["thing"] == "sea" and row["prompt"] == "play/why-blue:v0" and row["model"] == llm_server.model
    assert (
        row["response"] == answer["results"][0]["output"]
        and row["trace_id"] == answer["results"][0]["trace_id"]
    )
    assert row["parameters"] == {"max_tokens": 2} and row["messages"][1]["content"] == "Why is the sea blue?"

    def same_length(output, response):
        return {"same_length": len(output) == len(response)}

    evaluation = sg.Evaluation(dataset=dataset, scorers=[same_length])
    summary = evaluation.evaluate(lambda thing: "x" * len(thing), project=PROJECT, dir=store, progress=False)
    assert summary["examples"] == 2 and summary["failed"] == 0


def test_saving_refuses_rows_whose_variables_clash_with_the_dataset_columns(server):
    url, store = server
    clash = [{"role": "user", "content": "{{model}} says {{cost}}"}]
    status, answer = _post(
        url, "/spyglass/api/v1/playground/save", {"prompt": {"messages": clash}, "runs": []}, store
    )
    assert status == 400 and "prompt variable(s) cost, model clash" in answer["error"]


def test_a_post_authenticated_by_cookie_needs_the_xsrf_token(server):
    url, store = server
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{url}/login?token=spyglass-test-token", timeout=30).read()  # the browser's login cookie
    query = f"?store_root={store}&project={PROJECT}"
    request = urllib.request.Request(
        f"{url}/spyglass/api/v1/playground/save{query}", data=b"{}", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        opener.open(request, timeout=30)
    assert refused.value.code == 403 and "xsrf" in refused.value.read().decode().lower()
    xsrf = next(cookie.value for cookie in jar if cookie.name == "_xsrf")
    request.add_header("X-XSRFToken", xsrf)
    with pytest.raises(urllib.error.HTTPError) as answered:
        opener.open(request, timeout=30)
    assert answered.value.code == 400  # past the XSRF check: the empty body names what a save needs
    assert '"prompt" must be an object' in json.loads(answered.value.read())["error"]
