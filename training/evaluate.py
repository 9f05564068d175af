"""Evaluate a saved stance model on labelled data; writes ``metrics.json`` and ``report.md``.

    python -m training.evaluate MODEL data/articles.jsonl                  # our test split
    python -m training.evaluate MODEL ../shared/benchmarks/ruw/dev.csv     # RUW tweets (adapter detected)

Reports macro-F1, per-class precision/recall/F1, the confusion matrix, expected calibration error with
reliability bins, and breakdowns by speaker affiliation and quote kind. The model runs exactly as
shipped (its own input template and CPU execution mode) unless ``--cpu_quantization`` says otherwise.
A DATA path that does not exist is skipped with a message (benchmarks kept outside the repo).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Sequence

from stance.classifier import StanceClassifier, softmax
from stance.data import example_input, load_corpus
from training import metrics

logger = logging.getLogger(__name__)


def evaluate(
    classifier: StanceClassifier,
    dataset: Any,
    *,
    batch_size: int = 32,
    device: str = "auto",
    show_progress: bool = True,
) -> dict[str, Any]:
    """Metrics of ``classifier`` on a loaded ``Dataset`` (see :func:`training.metrics.report`)."""
    inputs = [example_input(example) for example in dataset]
    logits = classifier.logits(inputs, batch_size=batch_size, device=device, show_progress=show_progress)
    labels = list(dataset["label"])
    result = metrics.report(
        labels,
        softmax(logits / classifier.config.temperature),
        groups={"affiliation": dataset["affiliation"], "kind": dataset["kind"]},
    )
    result["ece_uncalibrated"] = metrics.expected_calibration_error(softmax(logits), labels)
    result["model"] = {"name": classifier.name, "sha256": classifier.sha256, "cpu_quantization": classifier.config.cpu_quantization,
                       "ran_in": classifier.execution_mode(device), "temperature": classifier.config.temperature}
    return result


def write_outputs(result: dict[str, Any], output_dir: Path, title: str, overwrite: bool = False) -> Path:
    """Write ``metrics.json`` and ``report.md`` atomically into ``output_dir``."""
    if output_dir.exists() and any(output_dir.iterdir()) and not overwrite:
        raise FileExistsError(f"--output_dir {output_dir} already exists; pass --overwrite to replace it")
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.", dir=output_dir.parent))
    (tmp / "metrics.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (tmp / "report.md").write_text(f"# {title}\n\n" + metrics.markdown(result), encoding="utf-8")
    if output_dir.exists():
        shutil.rmtree(output_dir)
    os.replace(tmp, output_dir)
    return output_dir


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="saved stance model folder (or Hub id)")
    parser.add_argument("data", help="articles.jsonl, a flat labelled file, or an RUW / SemEval file")
    parser.add_argument("--split", default=None, help="split to score (default: test for articles.jsonl; every row of a file without splits)")
    parser.add_argument("--splits", default=None, help="splits.json for articles.jsonl (default: beside it)")
    parser.add_argument("--column_mapping", default=None, help='JSON {"text": "your column", "label": ...}')
    parser.add_argument("--label_mapping", default=None, help='JSON {"your label": "supportive|critical|neutral"}')
    parser.add_argument("--output_dir", default=None, help="default: runs/eval/<model>/<data>-<split>")
    parser.add_argument("--overwrite", action="store_true", help="replace an existing output folder")
    parser.add_argument("--batch_size", type=int, default=32)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--cpu_quantization", choices=("bf16", "int8", "none"), default=None, help="override the model's CPU mode")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    data = Path(args.data)
    if not data.exists():
        print(f"skipped: {data} does not exist", file=sys.stderr)
        return 0
    corpus = load_corpus(
        data,
        splits=args.splits,
        column_mapping=json.loads(args.column_mapping) if args.column_mapping else None,
        label_mapping=json.loads(args.label_mapping) if args.label_mapping else None,
    )
    split = args.split or ("test" if "test" in corpus else "train")
    if split not in corpus:
        raise SystemExit(f"--split {split!r}: {data} has splits {list(corpus)}")
    classifier = StanceClassifier.from_pretrained(args.model)
    if args.cpu_quantization:
        classifier = classifier.with_config(cpu_quantization=args.cpu_quantization)
    result = evaluate(classifier, corpus[split], batch_size=args.batch_size, device=args.device)
    # a file without splits loads as one split named "train": call it what it is, every row
    shown = "all" if list(corpus) == ["train"] and not args.split else split
    result["data"] = {"path": str(data), "split": shown}
    output = Path(args.output_dir or Path("runs") / "eval" / Path(args.model).name / f"{data.stem}-{shown}")
    write_outputs(result, output, f"{Path(args.model).name} on {data.name} ({shown})", overwrite=args.overwrite)
    per_class = "  ".join(f"{k} F1 {v['f1']:.3f}" for k, v in result["per_class"].items())
    print(f"{data.name} [{shown}] n={result['n']}: macro-F1 {result['macro_f1']:.4f}  {per_class}  "
          f"ECE {result['ece']:.4f} (uncalibrated {result['ece_uncalibrated']:.4f})")
    print(f"wrote {output}/metrics.json and report.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
