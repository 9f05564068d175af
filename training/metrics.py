"""Classification metrics shared by the training, evaluation and baseline scripts and the notebooks.

Plain numpy (no scikit-learn needed): macro-F1, per-class precision/recall/F1, confusion matrix,
expected calibration error with its reliability bins, breakdowns by a grouping column, and a
Markdown rendering of all of it.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from stance.types import LABELS


def confusion(y_true: Sequence[int], y_pred: Sequence[int], n_labels: int = len(LABELS)) -> np.ndarray:
    """``matrix[true, predicted]`` counts."""
    matrix = np.zeros((n_labels, n_labels), dtype=np.int64)
    for t, p in zip(y_true, y_pred):
        matrix[int(t), int(p)] += 1
    return matrix


def per_class(y_true: Sequence[int], y_pred: Sequence[int], labels: Sequence[str] = LABELS) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support per label (0.0 where undefined)."""
    matrix = confusion(y_true, y_pred, len(labels))
    out = {}
    for i, label in enumerate(labels):
        tp = matrix[i, i]
        predicted, actual = matrix[:, i].sum(), matrix[i, :].sum()
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = {"precision": float(precision), "recall": float(recall), "f1": float(f1), "support": int(actual)}
    return out


def macro_f1(y_true: Sequence[int], y_pred: Sequence[int], labels: Sequence[str] = LABELS) -> float:
    """Unweighted mean of the per-class F1 over the labels present in ``y_true`` or ``y_pred``."""
    scores = per_class(y_true, y_pred, labels)
    present = set(int(t) for t in y_true) | set(int(p) for p in y_pred)
    values = [scores[label]["f1"] for i, label in enumerate(labels) if i in present]
    return float(np.mean(values)) if values else 0.0


def reliability_bins(probs: np.ndarray, y_true: Sequence[int], n_bins: int = 10) -> list[dict[str, float]]:
    """Top-label confidence bins: count, mean confidence and accuracy per equal-width bin."""
    probs = np.asarray(probs, dtype=np.float64)
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == np.asarray(y_true)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        inside = (confidence > lo) & (confidence <= hi) if lo > 0 else (confidence >= lo) & (confidence <= hi)
        count = int(inside.sum())
        bins.append(
            {
                "low": float(lo),
                "high": float(hi),
                "count": count,
                "confidence": float(confidence[inside].mean()) if count else 0.0,
                "accuracy": float(correct[inside].mean()) if count else 0.0,
            }
        )
    return bins


def expected_calibration_error(probs: np.ndarray, y_true: Sequence[int], n_bins: int = 10) -> float:
    """ECE: the count-weighted mean gap between confidence and accuracy over the reliability bins."""
    total = len(y_true)
    if total == 0:
        return 0.0
    return float(sum(b["count"] / total * abs(b["accuracy"] - b["confidence"]) for b in reliability_bins(probs, y_true, n_bins)))


def report(
    y_true: Sequence[int],
    probs: np.ndarray,
    groups: Mapping[str, Sequence[Any]] | None = None,
    labels: Sequence[str] = LABELS,
) -> dict[str, Any]:
    """Everything ``metrics.json`` holds: macro-F1, per-class, confusion, ECE, bins and group breakdowns."""
    probs = np.asarray(probs)
    y_true = [int(t) for t in y_true]
    y_pred = [int(p) for p in probs.argmax(axis=1)] if len(probs) else []
    out: dict[str, Any] = {
        "n": len(y_true),
        "macro_f1": macro_f1(y_true, y_pred, labels),
        "accuracy": float(np.mean(np.asarray(y_true) == np.asarray(y_pred))) if y_true else 0.0,
        "per_class": per_class(y_true, y_pred, labels),
        "confusion": {"labels": list(labels), "matrix": confusion(y_true, y_pred, len(labels)).tolist()},
        "ece": expected_calibration_error(probs, y_true),
        "reliability": reliability_bins(probs, y_true),
        "by": {},
    }
    for name, values in (groups or {}).items():
        breakdown = {}
        keys = sorted({str(v) if v is not None else "unknown" for v in values})
        for key in keys:
            idx = [i for i, v in enumerate(values) if (str(v) if v is not None else "unknown") == key]
            t = [y_true[i] for i in idx]
            p = [y_pred[i] for i in idx]
            breakdown[key] = {"n": len(idx), "macro_f1": macro_f1(t, p, labels), "accuracy": float(np.mean(np.asarray(t) == np.asarray(p)))}
        out["by"][name] = breakdown
    return out


def markdown(metrics: Mapping[str, Any], title: str | None = None) -> str:
    """A Markdown rendering of :func:`report`'s output (also used in the model card)."""
    labels = metrics["confusion"]["labels"]
    lines = [f"## {title}", ""] if title else []
    lines += [
        f"{metrics['n']} quotes; macro-F1 **{metrics['macro_f1']:.3f}**, accuracy {metrics['accuracy']:.3f}, "
        f"ECE {metrics['ece']:.3f}" + (f" (before calibration {metrics['ece_uncalibrated']:.3f})" if "ece_uncalibrated" in metrics else ""),
        "",
        "| label | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for label in labels:
        row = metrics["per_class"][label]
        lines.append(f"| {label} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | {row['support']} |")
    lines += ["", "Confusion (rows: gold, columns: predicted)", "", "| gold \\ predicted | " + " | ".join(labels) + " |",
              "|---" * (len(labels) + 1) + "|"]
    for label, row in zip(labels, metrics["confusion"]["matrix"]):
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    for name, breakdown in metrics.get("by", {}).items():
        lines += ["", f"By {name}", "", f"| {name} | n | macro-F1 | accuracy |", "|---|---|---|---|"]
        for key, row in sorted(breakdown.items(), key=lambda kv: -kv[1]["n"]):
            lines.append(f"| {key} | {row['n']} | {row['macro_f1']:.3f} | {row['accuracy']:.3f} |")
    return "\n".join(lines) + "\n"
