"""Make a tiny chat model and serve it with `transformers serve` (run by the integrations venv's python).

`python tiny_llm_serve.py <model dir> <port>`: trains a byte-level BPE tokenizer on a few sentences, saves
a 2-layer Qwen2 of hidden size 32 with random weights (seeded) and a ChatML template that accepts tools, then
runs `transformers serve` on 127.0.0.1:<port> in this process (torch and transformers imported once). Nothing
is downloaded. Started by tests/llm_server.py; the output is noise from random weights, which is all the
tracing tests need (the client's answer is compared with what was recorded, not with a fixed text).
"""

from __future__ import annotations

import sys
from pathlib import Path

SENTENCES = [
    "The sky is blue because air scatters short wavelengths of sunlight.",
    "Hello, how can I help you today?",
    "Paris is the capital of France and Berlin is the capital of Germany.",
    "Call the weather tool with the name of a city.",
    "One two three four five six seven eight nine ten.",
    "Spyglass records every call of a traced function.",
]
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>"]
# ChatML, as Qwen2 models use it; tools (when given) are listed in a system turn.
CHAT_TEMPLATE = (
    "{% if tools %}<|im_start|>system\nTools: {{ tools | tojson }}<|im_end|>\n{% endif %}"
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% elif message['content'] %}{% for part in message['content'] %}"
    "{% if part['type'] == 'text' %}{{ part['text'] }}{% endif %}{% endfor %}{% endif %}"
    "<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def make_model(directory: Path) -> None:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400, special_tokens=SPECIAL_TOKENS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    tokenizer.train_from_iterator(SENTENCES * 10, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, eos_token="<|im_end|>", pad_token="<|endoftext|>"
    )
    fast.chat_template = CHAT_TEMPLATE
    fast.save_pretrained(directory)
    config = Qwen2Config(
        vocab_size=tokenizer.get_vocab_size(),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        eos_token_id=tokenizer.token_to_id("<|im_end|>"),
        pad_token_id=tokenizer.token_to_id("<|endoftext|>"),
        tie_word_embeddings=True,
    )
    torch.manual_seed(0)
    Qwen2ForCausalLM(config).save_pretrained(directory)


def main() -> None:
    directory, port = Path(sys.argv[1]), sys.argv[2]
    make_model(directory)
    from transformers.cli.transformers import main as transformers_cli

    sys.argv = [
        "transformers",
        "serve",
        str(directory),
        "--host",
        "127.0.0.1",
        "--port",
        port,
        "--device",
        "cpu",
        "--log-level",
        "warning",
    ]
    transformers_cli()


if __name__ == "__main__":
    main()
