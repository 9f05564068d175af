"""Writer-held-out evaluation: train on some writing batches, test on the others, beside TF-IDF.

    python -m training.cross_writer --config training/configs/default.json --folds 5 --output_dir runs/cross_writer

Our test split holds articles from the same batches (one brief, one set of writers each: the id prefix
``a12`` of ``a12_03_...``) as the training split, which flatters a model that learns the writers'
wording, TF-IDF most of all. An independent set of articles comes from other hands. Holding out whole
batches estimates how both models do there. Batches are dealt into folds by size; each fold's test
set is its batches' articles; validation is ``splits.json``'s validation minus those; articles that
share a named person or a near-duplicate quote with a test article (``make_splits.units``) are dropped
from train and validation; the seed article is left out everywhere. Each fold prints TF-IDF + logistic
regression, the trained model's transformer alone and the trained model as saved (with its lexical part,
if the config has one). Fold models and ``cross_writer.json`` are written under ``--output_dir``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

from stance.classifier import StanceClassifier, softmax
from stance.data import example_input
from stance.types import LABELS
from training import metrics
from training.baselines import tfidf_baseline
from training.make_splits import SEED_ARTICLE, load_corpus, units
from training.train import TrainArguments, load_splits, parse_args, render_split, train

logger = logging.getLogger(__name__)


def batch_of(article_id: str) -> str:
    """The writing batch an article came from: its id up to the first underscore (``a12_03_x`` -> ``a12``)."""
    return article_id.split("_", 1)[0]


def deal_batches(articles: list[dict[str, Any]], folds: int) -> list[list[str]]:
    """Batches dealt into ``folds`` groups of similar quote counts (largest batch first to the lightest fold)."""
    size = Counter()
    for article in articles:
        if article["id"] != SEED_ARTICLE:
            size[batch_of(article["id"])] += len(article["quotes"])
    if not 2 <= folds <= len(size):
        raise ValueError(f"folds={folds}; expected 2 to {len(size)} (the corpus has {len(size)} batches)")
    groups: list[list[str]] = [[] for _ in range(folds)]
    load = [0] * folds
    for batch in sorted(size, key=lambda b: (-size[b], b)):
        lightest = min(range(folds), key=lambda i: (load[i], i))
        groups[lightest].append(batch)
        load[lightest] += size[batch]
    return [sorted(group) for group in groups]


def fold_splits(articles: list[dict[str, Any]], held_out: Sequence[str], validation: Sequence[str],
                groups: list[list[str]] | None = None) -> dict[str, list[str]]:
    """train / validation / test article ids for one fold; test = the ``held_out`` batches' articles.

    ``groups`` are ``make_splits.units(articles)``, computed here when not given (pass them for many folds).
    """
    test = {a["id"] for a in articles if batch_of(a["id"]) in held_out and a["id"] != SEED_ARTICLE}
    linked = {i for unit in (groups or units(articles)) if test & set(unit) for i in unit} - test
    rest = [a["id"] for a in articles if a["id"] not in test | linked and a["id"] != SEED_ARTICLE]
    chosen = set(validation)
    return {
        "train": sorted(i for i in rest if i not in chosen),
        "validation": sorted(i for i in rest if i in chosen),
        "test": sorted(test),
    }


def run(args: TrainArguments, folds: int, output_dir: Path) -> dict[str, Any]:
    """Train and score every fold; returns per-fold and mean macro-F1 of TF-IDF and the fine-tuned model."""
    corpus_path = Path(args.data)
    articles = load_corpus(corpus_path)
    validation = json.loads((Path(args.splits) if args.splits else corpus_path.with_name("splits.json")).read_text())["validation"]
    output_dir.mkdir(parents=True, exist_ok=True)
    groups = units(articles)
    results = []
    for k, held_out in enumerate(deal_batches(articles, folds)):
        splits = fold_splits(articles, held_out, validation, groups)
        splits_path = output_dir / f"fold{k}_splits.json"
        splits_path.write_text(json.dumps(splits, indent=1) + "\n")
        fold_args = replace(args, splits=str(splits_path), output_dir=str(output_dir / f"fold{k}"))
        model_dir = train(fold_args)
        summary = json.loads((model_dir / "training_args.json").read_text())["summary"]
        datasets = load_splits(fold_args)
        texts = {name: render_split(ds, args.template) for name, ds in datasets.items()}
        model = StanceClassifier.from_pretrained(model_dir)
        if model.lexical is not None:  # the model's lexical part is the TF-IDF baseline, fitted the same way: not twice
            tfidf = metrics.report(texts["test"][1], softmax(model.lexical.logits(texts["test"][0])))
        else:
            tfidf = tfidf_baseline(texts, args.seed)["test"]
        alone_logits = model.with_config(lexical_weight=0.0).logits([example_input(ex) for ex in datasets["test"]], batch_size=64)
        results.append({
            "fold": k, "batches": held_out, "articles": {name: len(ids) for name, ids in splits.items()},
            "test_quotes": len(texts["test"][0]),
            "tfidf": {"macro_f1": tfidf["macro_f1"], "f1": {lab: tfidf["per_class"][lab]["f1"] for lab in LABELS}},
            "transformer": {"macro_f1": metrics.macro_f1(texts["test"][1], alone_logits.argmax(axis=1))},
            "fine_tuned": {"macro_f1": summary["test"]["macro_f1"], "f1": summary["test"]["f1"], "ece": summary["test"]["ece"]},
        })
        print(row(results[-1]), flush=True)
    mean = {system: sum(r[system]["macro_f1"] for r in results) / len(results) for system in ("tfidf", "transformer", "fine_tuned")}
    report = {"config": {"folds": folds, "seed": args.seed}, "folds": results, "mean_macro_f1": mean}
    (output_dir / "cross_writer.json").write_text(json.dumps(report, indent=2) + "\n")
    return report


def row(result: dict[str, Any]) -> str:
    t, a, f = result["tfidf"], result["transformer"], result["fine_tuned"]
    return (f"| {result['fold']} | {' '.join(result['batches'])} | {result['test_quotes']} | {t['macro_f1']:.3f} | "
            f"{a['macro_f1']:.3f} | {f['macro_f1']:.3f} | {f['macro_f1'] - t['macro_f1']:+.3f} | {f['f1']['critical']:.3f} |")


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--folds", type=int, default=5, help="number of batch groups (default 5)")
    known, rest = pre.parse_known_args(argv)
    args = parse_args(rest)
    print("| fold | held-out batches | test quotes | TF-IDF | transformer alone | trained model | model minus TF-IDF | model critical F1 |")
    print("|---|---|---|---|---|---|---|---|")
    report = run(args, known.folds, Path(args.output_dir))
    mean = report["mean_macro_f1"]
    print(f"mean over {known.folds} folds: TF-IDF {mean['tfidf']:.3f}  transformer alone {mean['transformer']:.3f}  "
          f"trained model {mean['fine_tuned']:.3f}  model minus TF-IDF {mean['fine_tuned'] - mean['tfidf']:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
