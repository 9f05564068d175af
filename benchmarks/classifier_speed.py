"""Classifier speed and quality on CPU: fp32, bf16 autocast and dynamic int8, side by side in one run.

    python -m benchmarks.classifier_speed MODEL [--data data/articles.jsonl] [--split test] [--batch_size 32]

On the split's real inputs (built by the one input function), for each CPU mode: quotes per second for
the whole ``predict`` call (rendering, tokenizing, batching, model, lexical part), and macro-F1; for a
model with a lexical part, also its shipped mode without that part, and the lexical part alone. A reduced-precision mode (bf16, int8)
may be the shipped CPU default only while it loses at most 1 point of macro-F1 against fp32; the last
lines say whether each does, and whether the shipped mode meets the goal of >= 150 quotes/s at batch 32
on 2 cores. On a CPU without native bf16 the bf16 mode runs in fp32 (the header says which).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from typing import Sequence

TARGET_QPS = 150.0
MAX_F1_LOSS = 0.01


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.classifier_speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("model", nargs="?", default=None, help="model folder (default: $STANCE_MODEL or the default model)")
    parser.add_argument("--data", default="data/articles.jsonl")
    parser.add_argument("--splits", default=None)
    parser.add_argument("--split", default="test")
    parser.add_argument("--batch_size", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's own)")
    parser.add_argument("--output", default=None, help="also write the results as JSON")
    args = parser.parse_args(argv)

    import torch

    from stance.classifier import StanceClassifier, cpu_has_native_bf16, load_default
    from stance.data import example_input, load_corpus
    from training import metrics

    if args.threads:
        torch.set_num_threads(args.threads)
    classifier = StanceClassifier.from_pretrained(args.model) if args.model else load_default()
    dataset = load_corpus(args.data, splits=args.splits, split=args.split)
    inputs = [example_input(example) for example in dataset]
    labels = list(dataset["label"])
    print(f"model {classifier.name} ({classifier.sha256 and classifier.sha256[:12]}), {len(inputs)} {args.split} quotes, "
          f"batch {args.batch_size}, {torch.get_num_threads()} threads, torch {torch.__version__}, "
          f"native bf16: {'yes' if cpu_has_native_bf16() else 'no (bf16 runs in fp32)'}")
    results = {}
    modes = {"fp32": "none", "bf16": "bf16", "int8": "int8"}
    shipped = next(name for name, mode in modes.items() if mode == classifier.config.cpu_quantization)
    runs = {name: {"cpu_quantization": mode} for name, mode in modes.items()}
    if classifier.config.lexical_weight:  # what the lexical part costs: the same model without it
        runs[f"{shipped}, transformer alone"] = {"cpu_quantization": modes[shipped], "lexical_weight": 0.0}
    for name, changes in runs.items():
        runner = classifier.with_config(**changes)
        runner.predict(inputs[: args.batch_size], batch_size=args.batch_size, device="cpu")  # warm-up (and quantize)
        times, predictions = [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            predictions = runner.predict(inputs, batch_size=args.batch_size, device="cpu")
            times.append(time.perf_counter() - start)
        y_pred = [classifier.config.labels.index(p.label) for p in predictions]
        qps = len(inputs) / statistics.median(times)
        results[name] = {"quotes_per_s": qps, "macro_f1": metrics.macro_f1(labels, y_pred)}
        print(f"{name}: {qps:7.1f} quotes/s (median of {args.repeats}), macro-F1 {results[name]['macro_f1']:.4f}")
    if classifier.lexical:
        from benchmarks.gpu_check import time_lexical

        lexical_qps = time_lexical(classifier, inputs, args.repeats)
        results["lexical part alone"] = {"quotes_per_s": lexical_qps}
        print(f"lexical part alone: {lexical_qps:7.1f} quotes/s (median of {args.repeats}; one core, a fresh scorer "
              f"each time, so its per-word cache starts empty)")
    for name in ("bf16", "int8"):
        change = results[name]["macro_f1"] - results["fp32"]["macro_f1"]
        print(f"{name} vs fp32: {results[name]['quotes_per_s'] / results['fp32']['quotes_per_s']:.2f}x speed, macro-F1 change "
              f"{change:+.4f} -> {name} {'may' if -change <= MAX_F1_LOSS else 'may NOT'} be the CPU default")
    met = results[shipped]["quotes_per_s"] >= TARGET_QPS
    print(f"shipped CPU mode: {shipped} ({results[shipped]['quotes_per_s']:.1f} quotes/s); "
          f"target {TARGET_QPS:.0f} quotes/s {'met' if met else 'NOT met'}")
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
