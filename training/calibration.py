"""Temperature scaling: one scalar ``T`` that divides the logits so probabilities match accuracy.

Fitted on the validation split (never the test split) by minimising negative log-likelihood; it
changes confidences, never the predicted label. Deterministic: a log-spaced grid, then refinement.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


def nll(logits: np.ndarray, y_true: Sequence[int], temperature: float) -> float:
    """Mean negative log-likelihood of ``y_true`` under ``softmax(logits / temperature)``."""
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    log_probs = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(scaled)), np.asarray(y_true)].mean())


def fit_temperature(logits: np.ndarray, y_true: Sequence[int], low: float = 0.05, high: float = 20.0) -> float:
    """The temperature in ``[low, high]`` that minimises validation NLL (1.0 when there is no data)."""
    if len(y_true) == 0:
        return 1.0
    grid = np.exp(np.linspace(np.log(low), np.log(high), 121))
    losses = [nll(logits, y_true, t) for t in grid]
    best = int(np.argmin(losses))
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    for _ in range(40):  # golden-section search between the grid neighbours
        a = hi - (hi - lo) / 1.618033988749895
        b = lo + (hi - lo) / 1.618033988749895
        if nll(logits, y_true, a) < nll(logits, y_true, b):
            hi = b
        else:
            lo = a
    return float((lo + hi) / 2)
