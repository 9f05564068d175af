"""Mask-aware mean pooling for BERT-style sequence classifiers (``StanceConfig.pooling = "mean"``).

Sentence-transformers checkpoints such as all-MiniLM-L6-v2 were trained to be read through the mean of
their token states, not through the ``[CLS]`` token that a stock ``BertForSequenceClassification`` reads.
Swapping the pooler keeps the model a plain transformers model with the same weight names and shapes,
so the saved folder stays ordinary safetensors; only ``stance_config.json`` says how to read it.
Imported lazily (it needs torch).
"""

from __future__ import annotations

from typing import Any

import torch

from stance.classifier import POOLING


class MaskedMeanPooler(torch.nn.Module):
    """A drop-in BERT pooler: ``tanh(dense(mean of the unpadded last hidden states))``.

    It reuses the original pooler's ``dense`` layer, so ``bert.pooler.dense.*`` keep their names. A BERT
    pooler is called with the hidden states only, so the attention mask is captured by a pre-hook on the
    encoder (:meth:`capture_mask`); one model object should therefore not run two batches at once.
    """

    def __init__(self, dense: torch.nn.Module) -> None:
        super().__init__()
        self.dense = dense
        self.activation = torch.nn.Tanh()
        self.mask: torch.Tensor | None = None

    def capture_mask(self, module: torch.nn.Module, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """Encoder forward pre-hook: remember this call's attention mask (``None``: no padding)."""
        self.mask = kwargs.get("attention_mask")

    def forward(self, hidden_states: torch.Tensor) -> torch.Tensor:
        if self.mask is None:
            pooled = hidden_states.mean(dim=1)
        else:
            weights = self.mask.unsqueeze(-1).to(hidden_states.dtype)
            pooled = (hidden_states * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
        return self.activation(self.dense(pooled))


def apply_pooling(model: Any, pooling: str) -> Any:
    """Make ``model`` read its inputs with ``pooling`` ("cls": as loaded; "mean": :class:`MaskedMeanPooler`)."""
    if pooling not in POOLING:
        raise ValueError(f"pooling={pooling!r}; expected one of {list(POOLING)}")
    if pooling == "cls":
        return model
    encoder = getattr(model, getattr(model, "base_model_prefix", ""), None)
    pooler = getattr(encoder, "pooler", None)
    if isinstance(pooler, MaskedMeanPooler):
        return model
    if pooler is None or not isinstance(getattr(pooler, "dense", None), torch.nn.Module):
        model_type = getattr(getattr(model, "config", None), "model_type", type(model).__name__)
        raise ValueError(
            f"pooling='mean' needs a BERT-style encoder with a pooler layer, and a {model_type!r} model has none; "
            "use pooling='cls' for this base model"
        )
    mean = MaskedMeanPooler(pooler.dense)
    encoder.pooler = mean
    encoder.register_forward_pre_hook(mean.capture_mask, with_kwargs=True)
    return model
