"""A tiny BERT classifier built from a config and a word-level tokenizer made here: nothing is downloaded."""

from __future__ import annotations

from typing import Any

import torch
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast, TrainingArguments

WORDS = [
    "good",
    "great",
    "fine",
    "nice",
    "bad",
    "awful",
    "poor",
    "sad",
    "movie",
    "film",
    "plot",
    "actor",
    "very",
    "not",
]
POSITIVE = {"good", "great", "fine", "nice"}
# What the Trainer logs once when training ends; wandb's callback puts them in the summary, not in history.
END_OF_TRAINING = {
    "train_runtime",
    "train_samples_per_second",
    "train_steps_per_second",
    "train_loss",
    "total_flos",
}


def tokenizer() -> PreTrainedTokenizerFast:
    vocab = {word: index for index, word in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", *WORDS])}
    model = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    model.pre_tokenizer = pre_tokenizers.Whitespace()
    return PreTrainedTokenizerFast(
        tokenizer_object=model, pad_token="[PAD]", unk_token="[UNK]", cls_token="[CLS]", sep_token="[SEP]"
    )


def model(seed: int = 0) -> BertForSequenceClassification:
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=4 + len(WORDS),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=16,
        num_labels=2,
    )
    return BertForSequenceClassification(config)


class SentimentData(torch.utils.data.Dataset):
    """Short sentences labelled 1 when they hold a positive word; tokenized, padded to 8 tokens."""

    def __init__(self, count: int, seed: int) -> None:
        generator = torch.Generator().manual_seed(seed)
        sentences = [
            " ".join(WORDS[i] for i in torch.randint(0, len(WORDS), (4,), generator=generator).tolist())
            for _ in range(count)
        ]
        encoded = tokenizer()(sentences, padding="max_length", max_length=8, truncation=True)
        self.items = [
            {
                "input_ids": torch.tensor(encoded["input_ids"][i]),
                "attention_mask": torch.tensor(encoded["attention_mask"][i]),
                "labels": torch.tensor(int(any(word in POSITIVE for word in sentence.split()))),
            }
            for i, sentence in enumerate(sentences)
        ]

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        return self.items[index]


def training_arguments(output_dir: str, **options: Any) -> TrainingArguments:
    """12 CPU steps, a log every 2 steps and an evaluation every 4; no checkpoints unless asked."""
    settings: dict[str, Any] = {
        "output_dir": output_dir,
        "max_steps": 12,
        "per_device_train_batch_size": 4,
        "per_device_eval_batch_size": 8,
        "learning_rate": 1e-3,
        "logging_steps": 2,
        "eval_strategy": "steps",
        "eval_steps": 4,
        "save_strategy": "no",
        "report_to": "none",
        "use_cpu": True,
        "disable_tqdm": True,
        "seed": 0,
        "dataloader_num_workers": 0,
    }
    settings.update(options)
    return TrainingArguments(**settings)


def expected_rows(log_history: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """What WandbCallback's rules make of the Trainer's log: history rows, and the end-of-training summary."""
    rows, summary = [], {}
    for entry in log_history:
        logs = {k: v for k, v in entry.items() if k != "step"}
        summary.update({k: v for k, v in logs.items() if k in END_OF_TRAINING})
        row = {"train/global_step": entry["step"]}
        for key, value in logs.items():
            if key.startswith("eval_"):
                row["eval/" + key[len("eval_") :]] = value
            elif key not in END_OF_TRAINING:
                row["train/" + key] = value
        rows.append(row)
    return rows, summary
