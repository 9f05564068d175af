"""Baselines the fine-tuned model must beat, trained and scored in one run on the same splits and inputs.

    python -m training.baselines --model runs/model          # prints the baselines beside the model (and its transformer alone)
    python -m training.baselines --model runs/model --external ../shared/benchmarks/ruw/dev.csv   # and out of domain

1. TF-IDF (word 1-2-grams + char 2-5-grams) + logistic regression;
2. frozen encoder: mean-pooled MiniLM embeddings + logistic regression.
Both read the very strings the classifier reads (the one input function), and pick their
regularisation strength on the validation split; all are scored on the test split and on every
``--external`` file (all its rows: another domain, never trained on), where one is given and exists.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from training import metrics
from training.lexical import fit_logistic_regression, fit_tfidf, tfidf_features
from training.train import TrainArguments, load_splits, render_split

logger = logging.getLogger(__name__)


def tfidf_baseline(texts: dict[str, tuple[list[str], list[int]]], seed: int) -> dict[str, Any]:
    word, char, model = fit_tfidf(texts["train"], texts["validation"], seed)
    return {name: metrics.report(texts[name][1], model.predict_proba(tfidf_features(word, char, t))) for name, (t, _) in texts.items()}


def mean_pooled(texts: Sequence[str], model_path: str, max_length: int, batch_size: int = 64) -> np.ndarray:
    """Frozen MiniLM sentence embeddings (mask-aware mean of the last hidden states)."""
    import torch
    from tqdm.auto import tqdm
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_path)
    encoder = AutoModel.from_pretrained(model_path).eval()
    out = []
    with torch.inference_mode():
        for i in tqdm(range(0, len(texts), batch_size), desc="encode", unit="batch"):
            batch = tokenizer(list(texts[i : i + batch_size]), truncation=True, max_length=max_length, padding=True, return_tensors="pt")
            hidden = encoder(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            out.append(((hidden * mask).sum(1) / mask.sum(1).clamp(min=1)).numpy())
    return np.concatenate(out) if out else np.zeros((0, encoder.config.hidden_size))


def encoder_baseline(texts: dict[str, tuple[list[str], list[int]]], seed: int, model_path: str, max_length: int) -> dict[str, Any]:
    features = {name: mean_pooled(t, model_path, max_length) for name, (t, _) in texts.items()}
    model = fit_logistic_regression(features["train"], texts["train"][1], features["validation"], texts["validation"][1], seed)
    return {name: metrics.report(texts[name][1], model.predict_proba(features[name])) for name in texts}


def finetuned(model_dir: str, splits: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The model's rows: the model as saved and, where it has a lexical part, its transformer alone."""
    from stance.classifier import StanceClassifier
    from training.evaluate import evaluate

    classifier = StanceClassifier.from_pretrained(model_dir)
    variants = {f"fine-tuned ({Path(model_dir).name})": classifier}
    if classifier.config.lexical_weight:
        variants["its transformer alone"] = classifier.with_config(lexical_weight=0.0)
    return {row: {name: evaluate(model, ds, show_progress=False) for name, ds in splits.items() if name != "train"}
            for row, model in variants.items()}


def table(results: dict[str, dict[str, Any]], split: str) -> str:
    """Markdown table: one row per system with macro-F1 and per-class F1 on ``split``."""
    from stance.types import LABELS

    lines = [f"| system ({split}) | macro-F1 | " + " | ".join(f"F1 {label}" for label in LABELS) + " |", "|---" * (2 + len(LABELS)) + "|"]
    for name, by_split in results.items():
        if split in by_split:
            m = by_split[split]
            lines.append(f"| {name} | {m['macro_f1']:.3f} | " + " | ".join(f"{m['per_class'][label]['f1']:.3f}" for label in LABELS) + " |")
    return "\n".join(lines)


def external_sets(paths: Sequence[str]) -> dict[str, Any]:
    """``{"external:<file name>": Dataset}`` of all rows of each file that exists (RUW and SemEval read by their adapters)."""
    from stance.data import load_corpus

    sets = {}
    for path in map(Path, paths):
        if not path.exists():
            print(f"skipped: --external {path} does not exist", file=sys.stderr)
            continue
        corpus = load_corpus(path)
        if len(corpus) != 1:
            raise ValueError(f"--external {path}: expected one split of rows but found {list(corpus)}; give a file without splits")
        sets[f"external:{path.name}"] = next(iter(corpus.values()))
    return sets


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python -m training.baselines", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="data/articles.jsonl")
    parser.add_argument("--splits", default=None)
    parser.add_argument("--model", default=None, help="a fine-tuned stance model to print beside the baselines")
    parser.add_argument("--encoder", default=None, help="frozen encoder (default: the packaged MiniLM)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--external", action="append", default=[], metavar="PATH",
        help="also score every system on all rows of this file (e.g. ../shared/benchmarks/ruw/dev.csv); repeatable, skipped when absent",
    )
    parser.add_argument("--output", default=None, help="also write all metrics to this JSON file")
    args = parser.parse_args(argv)

    from training.tiny_model import minilm_path

    train_args = TrainArguments(output_dir="-", data=args.data, splits=args.splits, seed=args.seed)
    splits = load_splits(train_args)
    external = external_sets(args.external)
    splits.update(external)
    texts = {name: render_split(ds, train_args.template) for name, ds in splits.items()}
    results = {
        "tfidf + logreg": tfidf_baseline(texts, args.seed),
        "frozen MiniLM + logreg": encoder_baseline(texts, args.seed, args.encoder or minilm_path(), train_args.max_length),
    }
    if args.model:
        results.update(finetuned(args.model, splits))
    split = "test" if "test" in texts else "validation"
    print(table(results, split))
    if args.model:
        best_baseline = max(results["tfidf + logreg"][split]["macro_f1"], results["frozen MiniLM + logreg"][split]["macro_f1"])
        margin = results[f"fine-tuned ({Path(args.model).name})"][split]["macro_f1"] - best_baseline
        print(f"fine-tuned minus best baseline ({split} macro-F1): {margin:+.3f}")
    for name in external:
        print()
        print(table(results, name))
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
