"""The price table, usage normalization, the import hook that patches clients, and sg.inference.client."""

from __future__ import annotations

import subprocess
import sys

import pytest

import spyglass as sg
from spyglass.inference import InferenceConfigError
from spyglass.llm import PriceError, cost_of, normalize_usage, price_of, set_price


def test_prices_are_found_by_name_without_provider_prefix_and_by_longest_prefix():
    assert price_of("gpt-4o").input == 2.50
    assert price_of("gpt-4o-mini-2024-07-18").input == 0.15  # gpt-4o-mini, not gpt-4o
    assert price_of("openai/gpt-4o-2024-08-06").output == 10.00
    assert price_of("gpt-4oz") is None and price_of("my-local-model") is None and price_of(None) is None


def test_set_price_adds_a_model_and_a_cost_follows_from_usage():
    set_price("acme-7b", input_per_million=2, output_per_million=6, cached_input_per_million=0.5)
    usage = {"input_tokens": 1_000, "output_tokens": 500, "cached_input_tokens": 400}
    assert cost_of("acme-7b", usage) == pytest.approx((600 * 2 + 400 * 0.5 + 500 * 6) / 1e6)
    assert cost_of("acme-7b-instruct", {"input_tokens": 10, "output_tokens": 0}) == pytest.approx(20 / 1e6)
    assert cost_of("unknown", usage) is None and cost_of("acme-7b", None) is None


@pytest.mark.parametrize(
    ("model", "rates", "problem"),
    [
        ("", {"input_per_million": 1, "output_per_million": 1}, "non-empty"),
        ("m", {"input_per_million": -1, "output_per_million": 1}, "input_per_million"),
        ("m", {"input_per_million": 1, "output_per_million": float("nan")}, "output_per_million"),
        ("m", {"input_per_million": "1", "output_per_million": 1}, "input_per_million"),
        ("m", {"input_per_million": 1, "output_per_million": 1, "cached_input_per_million": True}, "cached"),
    ],
)
def test_bad_prices_are_refused_with_the_field_named(model, rates, problem):
    with pytest.raises(PriceError, match=problem):
        set_price(model, **rates)


def test_usage_shapes_of_every_provider_normalize_to_one():
    openai_chat = {
        "prompt_tokens": 100,
        "completion_tokens": 20,
        "total_tokens": 120,
        "prompt_tokens_details": {"cached_tokens": 64},
        "completion_tokens_details": {"reasoning_tokens": 8},
    }
    assert normalize_usage(openai_chat) == {
        "input_tokens": 100,
        "output_tokens": 20,
        "total_tokens": 120,
        "cached_input_tokens": 64,
        "reasoning_tokens": 8,
    }
    anthropic = {
        "input_tokens": 10,
        "output_tokens": 5,
        "cache_read_input_tokens": 90,
        "cache_creation_input_tokens": 7,
    }
    assert normalize_usage(anthropic) == {
        "input_tokens": 107,
        "output_tokens": 5,
        "total_tokens": 112,
        "cached_input_tokens": 90,
        "cache_creation_input_tokens": 7,
    }
    assert normalize_usage({"something": 1}) is None


def _python(code, **env):
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **env},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_clients_imported_before_or_after_spyglass_are_patched_and_unpatch_restores_them():
    check = "print(*(hasattr(f, '__spyglass_original__') for f in (Completions.create, Messages.stream)))"
    imports = (
        "from openai.resources.chat.completions import Completions; "
        "from anthropic.resources.messages import Messages"
    )
    assert _python(f"import spyglass; {imports}; {check}") == ["True", "True"]
    assert _python(f"{imports}; import spyglass; {check}") == ["True", "True"]
    assert _python(f"import spyglass, spyglass.llm; {imports}; spyglass.llm.unpatch(); {check}") == [
        "False",
        "False",
    ]
    assert _python(f"import spyglass; {imports}; {check}", SPYGLASS_LLM_AUTOPATCH="0") == ["False", "False"]


def test_import_spyglass_imports_no_client():
    assert _python(
        "import sys, spyglass; print(sorted({'openai', 'anthropic', 'litellm'} & set(sys.modules)))"
    ) == ["[]"]


def test_inference_client_is_the_official_openai_client_for_the_provider(monkeypatch):
    import openai

    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-test")
    client = sg.inference.client("openrouter")
    assert type(client) is openai.OpenAI and str(client.base_url) == "https://openrouter.ai/api/v1/"
    assert client.api_key == "sk-or-test"
    monkeypatch.setenv("VLLM_BASE_URL", "http://127.0.0.1:8123/v1")
    local = sg.inference.client("vllm", asynchronous=True, timeout=5)
    assert type(local) is openai.AsyncOpenAI and str(local.base_url) == "http://127.0.0.1:8123/v1/"
    assert local.api_key == "EMPTY" and local.timeout == 5
    assert str(sg.inference.client(base_url="http://127.0.0.1:1/v1").base_url) == "http://127.0.0.1:1/v1/"


def test_inference_client_says_what_is_missing(monkeypatch):
    monkeypatch.delenv("WANDB_API_KEY", raising=False)
    monkeypatch.delenv("SPYGLASS_INFERENCE_BASE_URL", raising=False)
    with pytest.raises(InferenceConfigError, match="WANDB_API_KEY"):
        sg.inference.client("wandb")
    with pytest.raises(InferenceConfigError, match="base_url"):
        sg.inference.client("custom")
    with pytest.raises(InferenceConfigError, match="unknown inference provider 'bedrock'"):
        sg.inference.client("bedrock")
