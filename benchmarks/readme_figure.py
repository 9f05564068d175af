"""Make the README's one figure, ``docs/figure.png`` (the notebooks keep no outputs, so the figure comes from here).

    python -m benchmarks.readme_figure                     # the default model if it exists, else extraction
    python -m benchmarks.readme_figure --model runs/model  # a given model folder
    python -m benchmarks.readme_figure --extraction        # quote extraction by pattern (needs no model)

With a model: its confusion matrix and reliability diagram (before and after temperature scaling) on the
test split of ``data/articles.jsonl``. Without one: quote extraction precision, recall and speaker accuracy
by pattern over ``data/articles/``. The PNG is kept small (about 60 KB) so it can be committed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "docs" / "figure.png"
MAX_BYTES = 200_000
PATTERNS = {
    "all quotes": "all", "direct": "direct", "partial": "partial", "indirect": "indirect", "split": "tag:split",
    "multi-\nparagraph": "tag:multi-paragraph", "pronoun\nspeaker": "mention:pronoun", "descriptor\nspeaker": "mention:descriptor",
}


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def model_figure(model_dir: str | Path, output: Path) -> str:
    """Confusion matrix and reliability diagram of the model at ``model_dir`` on the test split."""
    import numpy as np

    from stance.classifier import StanceClassifier, softmax
    from stance.data import example_input, load_corpus
    from stance.types import LABELS
    from training import metrics

    plt = _pyplot()
    classifier = StanceClassifier.from_pretrained(model_dir)
    test = load_corpus(ROOT / "data" / "articles.jsonl", split="test")
    logits = classifier.logits([example_input(ex) for ex in test])
    raw, probs = softmax(logits), softmax(logits / classifier.config.temperature)
    gold = np.array(test["label"])
    result = metrics.report(gold, probs)
    matrix = np.array(result["confusion"]["matrix"])
    shares = matrix / matrix.sum(axis=1, keepdims=True).clip(min=1)

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2), gridspec_kw={"width_ratios": [1, 1.25]})
    left.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for i in range(len(LABELS)):
        for j in range(len(LABELS)):
            left.text(j, i, f"{matrix[i, j]}\n{shares[i, j]:.0%}", ha="center", va="center",
                      color="white" if shares[i, j] > 0.6 else "black", fontsize=9)
    left.set_xticks(range(len(LABELS)), LABELS)
    left.set_yticks(range(len(LABELS)), LABELS)
    left.set(xlabel="predicted label", ylabel="gold label", title="Confusion matrix")

    bins = [b for b in metrics.reliability_bins(probs, gold) if b["count"]]
    centres = [(b["low"] + b["high"]) / 2 for b in bins]
    right.bar(centres, [b["accuracy"] for b in bins], width=0.09, color="C0", alpha=0.75, edgecolor="black",
              label=f"after calibration (ECE {metrics.expected_calibration_error(probs, gold):.3f})")
    raw_bins = [b for b in metrics.reliability_bins(raw, gold) if b["count"]]
    right.plot([b["confidence"] for b in raw_bins], [b["accuracy"] for b in raw_bins], "o-", color="C1", markersize=4,
               label=f"before calibration (ECE {metrics.expected_calibration_error(raw, gold):.3f})")
    right.plot([0, 1], [0, 1], "k--", linewidth=1, label="perfect calibration")
    for x, b in zip(centres, bins):
        right.text(x, 0.02, str(b["count"]), ha="center", fontsize=7)
    right.set(xlim=(0, 1), ylim=(0, 1), xlabel="confidence of the top label", ylabel="accuracy",
              title="Reliability (numbers: quotes per bin)")
    right.legend(loc="upper left", fontsize=8)
    name = Path(classifier.name).name
    fig.suptitle(f"Stance classifier ({name}) on the test split: {len(gold)} quotes, macro-F1 {result['macro_f1']:.3f}")
    fig.tight_layout()
    fig.savefig(output, dpi=90)
    plt.close(fig)
    return f"model {classifier.name}: macro-F1 {result['macro_f1']:.3f} on {len(gold)} test quotes"


def extraction_figure(output: Path) -> str:
    """Quote extraction precision, recall and speaker accuracy by pattern over all gold articles."""
    from stance.extract import extract_quotes
    from training.quote_scoring import score_corpus

    plt = _pyplot()
    articles = [json.loads(line) for line in (ROOT / "data" / "articles.jsonl").open(encoding="utf-8")]
    score = score_corpus(articles, extract_quotes)
    counts = [score.by_pattern[key] for key in PATTERNS.values()]
    fig, ax = plt.subplots(figsize=(10, 4))
    x = range(len(PATTERNS))
    series = (
        ("precision", [c.precision if c.predicted else 0.0 for c in counts], "C0"),
        ("recall", [c.recall for c in counts], "C1"),
        ("speaker accuracy", [c.speaker_accuracy for c in counts], "C2"),
    )
    for offset, (label, values, colour) in zip((-0.27, 0.0, 0.27), series):
        ax.bar([i + offset for i in x], values, width=0.27, label=label, color=colour)
    ax.set_xticks(list(x), [f"{name}\n(n={c.gold})" for name, c in zip(PATTERNS, counts)], fontsize=8)
    ax.set(ylim=(0, 1.15), ylabel="score",
           title=f"Quote extraction and attribution by pattern ({len(articles)} gold articles; precision only per kind)")
    ax.legend(loc="upper center", ncol=3, fontsize=8)
    fig.tight_layout()
    fig.savefig(output, dpi=90)
    plt.close(fig)
    return f"extraction: recall {score.by_pattern['all'].recall:.3f}, speaker accuracy {score.by_pattern['all'].speaker_accuracy:.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.readme_figure", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=None, help="a stance model folder (default: the default model, if built)")
    parser.add_argument("--extraction", action="store_true", help="draw the extraction figure even if a model exists")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    from stance.classifier import STANCE_CONFIG, default_model_dir

    model = None if args.extraction else (args.model or default_model_dir())
    if model is not None and not (Path(model).expanduser() / STANCE_CONFIG).is_file():
        if args.model:
            raise SystemExit(f"--model {args.model}: not a stance model folder (no {STANCE_CONFIG})")
        print(f"no default model at {model} (build it with `make model`); drawing the extraction figure instead")
        model = None
    args.output.parent.mkdir(parents=True, exist_ok=True)
    summary = model_figure(model, args.output) if model is not None else extraction_figure(args.output)
    size = args.output.stat().st_size
    print(f"wrote {args.output} ({size / 1000:.0f} KB): {summary}")
    if size > MAX_BYTES:
        print(f"warning: {args.output} is over {MAX_BYTES // 1000} KB; too large to commit", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
