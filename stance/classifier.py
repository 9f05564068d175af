"""``StanceClassifier``: a fine-tuned sequence classifier that labels one quote supportive/critical/neutral.

A saved model is a plain folder: ``config.json`` (with ``id2label``/``label2id``), ``model.safetensors``,
the tokenizer files, ``stance_config.json`` (labels, input template, max length, calibration temperature,
thresholds, pooling, base model, training data hash) and a ``README.md`` model card. No pickles, and never
``trust_remote_code``. The library loads and runs models; it never trains one (see ``training/``).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from stance.inputs import DEFAULT_TEMPLATE, check_template, render_input
from stance.lexical import LEXICAL_CONFIG, LEXICAL_WEIGHTS, LexicalScorer
from stance.types import LABELS, StanceInput, StancePrediction

logger = logging.getLogger(__name__)

STANCE_CONFIG = "stance_config.json"
WEIGHTS = "model.safetensors"
ENV_MODEL = "STANCE_MODEL"
DEVICES = ("auto", "cpu", "cuda")
CPU_QUANTIZATION = ("bf16", "int8", "none")
CPU_MODES = {  # as the model card says them
    "bf16": "bf16 autocast where the CPU has native bf16 (AVX512-BF16 or AMX), else fp32",
    "int8": "dynamic int8 quantization of the encoder's Linear layers",
    "none": "fp32",
}
POOLING = ("cls", "mean")  # applied by stance.pooling (imported only when a model is built, as it needs torch)


@dataclass(frozen=True)
class StanceConfig:
    """What a saved model needs besides its weights to rebuild its inputs and read its outputs."""

    labels: tuple[str, ...] = LABELS
    template: str = DEFAULT_TEMPLATE
    max_length: int = 96
    #: Logits are divided by this before the softmax (temperature scaling, fitted on validation).
    temperature: float = 1.0
    #: A quote whose top probability is below this is flagged low-confidence.
    low_confidence_threshold: float = 0.5
    #: A speaker gets a stance only when this share of their (confidence-weighted) quotes agree.
    speaker_threshold: float = 0.6
    base_model: str = ""
    #: sha256 of the training data, for provenance.
    data_hash: str | None = None
    #: How the model runs on CPU: "none" (fp32), "bf16" (bf16 autocast where the CPU has it natively,
    #: AVX512-BF16 or AMX, else fp32; 2.2x to 2.8x faster than fp32 here, with the same macro-F1, in
    #: benchmarks/classifier_speed.py) or "int8" (dynamic quantization of the encoder's Linear layers, about
    #: 3x faster, but it moved macro-F1 by -1.7 to +0.4 points across retrainings). The weights stay fp32.
    cpu_quantization: str = "none"
    #: How the head reads the encoder: "cls" (the stock [CLS] pooler) or "mean" (mask-aware mean of the
    #: token states, as sentence-transformers encoders such as MiniLM were trained; see ``stance.pooling``).
    #: Saved folders without this field are "cls".
    pooling: str = "cls"
    #: Share of the lexical scorer (TF-IDF n-grams + a linear layer, ``stance.lexical``) in the logits:
    #: ``(1 - w) * transformer + w * lexical``, then the temperature. 0: the transformer alone (no lexical files).
    lexical_weight: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", tuple(self.labels))
        if tuple(self.labels) != LABELS:
            raise ValueError(f"labels={list(self.labels)} must be the fixed label set {list(LABELS)}")
        check_template(self.template)
        if not 8 <= int(self.max_length) <= 512:
            raise ValueError(f"max_length={self.max_length} must be between 8 and 512")
        if not self.temperature > 0:
            raise ValueError(f"temperature={self.temperature} must be > 0")
        for name in ("low_confidence_threshold", "speaker_threshold"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name}={value} must be between 0 and 1")
        if self.cpu_quantization not in CPU_QUANTIZATION:
            raise ValueError(f"cpu_quantization={self.cpu_quantization!r}; expected one of {list(CPU_QUANTIZATION)}")
        if self.pooling not in POOLING:
            raise ValueError(f"pooling={self.pooling!r}; expected one of {list(POOLING)}")
        if not 0.0 <= self.lexical_weight < 1.0:
            raise ValueError(f"lexical_weight={self.lexical_weight!r} must be in [0, 1): 0 is the transformer alone, 0.5 an even mix")

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["labels"] = list(self.labels)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "stance_config") -> StanceConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{source}: unknown field(s) {sorted(unknown)}; expected some of {sorted(known)}")
        return cls(**dict(data))


def file_sha256(path: str | Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def weights_sha256(folder: str | Path) -> str | None:
    """sha256 of ``model.safetensors``; with lexical files beside it, the sha256 of all three files' hashes."""
    folder = Path(folder)
    if not (folder / WEIGHTS).is_file():
        return None
    digests = [file_sha256(folder / name) for name in (WEIGHTS, LEXICAL_CONFIG, LEXICAL_WEIGHTS) if (folder / name).is_file()]
    return digests[0] if len(digests) == 1 else hashlib.sha256("".join(digests).encode()).hexdigest()


@dataclass
class StanceClassifier:
    """A tokenizer, a sequence-classification model and the :class:`StanceConfig` that ties them together.

    ``name`` says where it came from and ``sha256`` is the hash of its weights (:func:`weights_sha256`;
    ``None`` for a model that was never saved), so every analysis can name the exact model that produced it. ``lexical`` is
    the :class:`~stance.lexical.LexicalScorer` mixed in when ``config.lexical_weight`` > 0.
    """

    model: Any
    tokenizer: Any
    config: StanceConfig = field(default_factory=StanceConfig)
    name: str = "unsaved"
    sha256: str | None = None
    lexical: LexicalScorer | None = None
    _runners: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # ---------------------------------------------------------------- loading and saving
    @classmethod
    def from_pretrained(cls, path_or_hub_id: str | os.PathLike[str]) -> StanceClassifier:
        """Load a saved stance model from a folder, or from a Hugging Face Hub id (downloaded once)."""
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        from stance.pooling import apply_pooling

        folder = _resolve_model_folder(path_or_hub_id)
        config_path = folder / STANCE_CONFIG
        if not config_path.is_file():
            raise FileNotFoundError(
                f"{folder} has no {STANCE_CONFIG}: it is not a stance model. A base model such as MiniLM is "
                "fine-tuned first with `python -m training.train --base_model PATH`"
            )
        config = StanceConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8")), source=str(config_path))
        model = AutoModelForSequenceClassification.from_pretrained(
            folder, trust_remote_code=False, use_safetensors=True, dtype=torch.float32  # fp32 master copy; fp16 runs on GPU
        )
        _check_label_maps(model, folder)
        apply_pooling(model, config.pooling)
        tokenizer = AutoTokenizer.from_pretrained(folder, trust_remote_code=False)
        model.eval()
        lexical = LexicalScorer.load(folder) if config.lexical_weight else None
        return cls(model=model, tokenizer=tokenizer, config=config, name=str(path_or_hub_id), sha256=weights_sha256(folder),
                   lexical=lexical)

    @classmethod
    def from_base_model(cls, base_model: str | os.PathLike[str], config: StanceConfig | None = None) -> StanceClassifier:
        """A fresh (untrained) classification head on ``base_model``, with the fixed label maps; for training.

        Weights load in fp32 whatever the checkpoint stores (an fp16 copy would otherwise train in fp16).
        """
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        from stance.pooling import apply_pooling

        config = config or StanceConfig(base_model=str(base_model))
        model = AutoModelForSequenceClassification.from_pretrained(
            base_model,
            num_labels=len(LABELS),
            id2label=dict(enumerate(LABELS)),
            label2id={label: i for i, label in enumerate(LABELS)},
            trust_remote_code=False,
            dtype=torch.float32,
        )
        apply_pooling(model, config.pooling)
        tokenizer = AutoTokenizer.from_pretrained(base_model, trust_remote_code=False)
        return cls(model=model, tokenizer=tokenizer, config=config, name=str(base_model))

    def save_pretrained(
        self, directory: str | os.PathLike[str], *, overwrite: bool = False, evaluation: str | None = None
    ) -> Path:
        """Write the model folder atomically (a temp folder, then a rename); refuse to replace one unless ``overwrite``.

        ``evaluation`` is a Markdown table for the model card (``training.evaluate`` writes one).
        """
        if self.config.lexical_weight and self.lexical is None:
            raise ValueError(f"config.lexical_weight={self.config.lexical_weight} but this classifier has no lexical scorer; "
                             "set classifier.lexical or use with_config(lexical_weight=0.0)")
        target = Path(directory).expanduser().resolve()
        if target.exists() and not (target.is_dir() and not any(target.iterdir())):
            if not overwrite:
                raise FileExistsError(f"{target} already exists; pass overwrite=True (--overwrite) to replace it")
        target.parent.mkdir(parents=True, exist_ok=True)
        self.model.config.id2label = dict(enumerate(LABELS))
        self.model.config.label2id = {label: i for i, label in enumerate(LABELS)}
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            self.model.save_pretrained(tmp, safe_serialization=True)
            self.tokenizer.save_pretrained(tmp)
            (tmp / STANCE_CONFIG).write_text(json.dumps(self.config.to_dict(), indent=2) + "\n", encoding="utf-8")
            (tmp / "README.md").write_text(model_card(self, evaluation), encoding="utf-8")
            if self.config.lexical_weight:
                self.lexical.save(tmp)
            for pickle_file in list(tmp.glob("*.bin")) + list(tmp.glob("*.pt")) + list(tmp.glob("*.pkl")):
                pickle_file.unlink()
            _replace_dir(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self.sha256 = weights_sha256(target)
        self.name = str(target)
        logger.info("saved stance model to %s (sha256 %s)", target, self.sha256[:12])
        return target

    def with_config(self, **changes: Any) -> StanceClassifier:
        """The same model with some config fields changed (e.g. a fitted ``temperature``)."""
        return StanceClassifier(
            self.model, self.tokenizer, dataclasses.replace(self.config, **changes), self.name, self.sha256, self.lexical
        )

    # ---------------------------------------------------------------- inference
    def predict(
        self,
        inputs: str | StanceInput | Iterable[str | StanceInput],
        batch_size: int = 32,
        device: str = "auto",
        show_progress: bool = False,
    ) -> StancePrediction | list[StancePrediction]:
        """Calibrated predictions: one input gives one ``StancePrediction``, a list gives a list (same order)."""
        import numpy as np

        single = isinstance(inputs, (str, StanceInput))
        items = [inputs] if single else list(inputs)  # type: ignore[list-item]
        logits = self.logits(items, batch_size=batch_size, device=device, show_progress=show_progress)
        probs = softmax(logits / self.config.temperature)
        labels = self.config.labels
        predictions = [
            StancePrediction(labels[int(np.argmax(row))], {label: float(p) for label, p in zip(labels, row)})
            for row in probs
        ]
        return predictions[0] if single else predictions

    def logits(
        self,
        items: Sequence[str | StanceInput],
        batch_size: int = 32,
        device: str = "auto",
        show_progress: bool = False,
    ) -> Any:
        """Raw (uncalibrated) logits as a ``(len(items), n_labels)`` float32 numpy array, in input order.

        With a lexical scorer (``config.lexical_weight`` > 0) they are the mix of both parts' logits.
        """
        import numpy as np
        import torch
        from tqdm.auto import tqdm

        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size={batch_size!r} must be a positive integer")
        out = np.zeros((len(items), len(self.config.labels)), dtype=np.float32)
        if not items:
            return out
        texts = [render_input(item, self.config.template) for item in items]
        encoded = self.tokenizer(texts, truncation=True, max_length=self.config.max_length)["input_ids"]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        runner, torch_device = self._runner(device)
        pad_id = self.tokenizer.pad_token_id or 0
        batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        pending = []  # on a GPU, logits stay there until the end: no per-batch sync stalls the next batch
        with torch.inference_mode(), self._cpu_autocast(torch_device):
            for batch in tqdm(batches, desc="stance", unit="batch", disable=not show_progress):
                ids, mask = pad_batch(encoded, batch, pad_id)
                result = runner(input_ids=ids.to(torch_device, non_blocking=True),
                                attention_mask=mask.to(torch_device, non_blocking=True))
                pending.append((batch, result.logits.float()))
            for batch, batch_logits in pending:
                out[batch] = batch_logits.cpu().numpy()
        if self.config.lexical_weight:
            if self.lexical is None:
                raise ValueError(f"config.lexical_weight={self.config.lexical_weight} but this classifier has no lexical scorer")
            out = mix_logits(out, self.lexical.logits(texts), self.config.lexical_weight)
        return out

    def _runner(self, device: str) -> tuple[Any, Any]:
        """The model to run on ``device``: fp16 on CUDA, int8-quantized (per config) or fp32 weights on CPU
        (run under bf16 autocast per config, see ``_cpu_autocast``); cached."""
        import torch

        device = resolve_device(device)
        key = f"{device}:{self.config.cpu_quantization}"
        if key not in self._runners:
            self.model.eval()
            if device.startswith("cuda"):
                # a half-precision copy: the fp32 weights stay as they are (and can still be saved)
                runner = copy.deepcopy(self.model).to(device).half().eval()
            else:
                runner = self.model.to("cpu")
                if self.config.cpu_quantization == "int8":
                    runner = quantize_int8(runner)
            self._runners.clear()
            self._runners[key] = runner
        return self._runners[key], torch.device(device)

    def execution_mode(self, device: str = "auto") -> str:
        """The arithmetic ``predict`` uses on ``device``: "fp16" on CUDA; on CPU "int8", "fp32", or "bf16"
        (only where the CPU has native bf16: a "bf16" model runs in fp32 elsewhere)."""
        if resolve_device(device).startswith("cuda"):
            return "fp16"
        mode = self.config.cpu_quantization
        return "int8" if mode == "int8" else "bf16" if mode == "bf16" and cpu_has_native_bf16() else "fp32"

    def _cpu_autocast(self, torch_device: Any) -> Any:
        """bf16 autocast for a ``cpu_quantization="bf16"`` model on a CPU with native bf16; else no change."""
        import torch

        if torch_device.type != "cpu" or self.config.cpu_quantization != "bf16":
            return contextlib.nullcontext()
        if not cpu_has_native_bf16():
            _note_bf16_fallback()
            return contextlib.nullcontext()
        return torch.autocast("cpu", dtype=torch.bfloat16)


def resolve_device(device: str) -> str:
    """``device`` checked and with "auto" made concrete: "cuda" where CUDA is available, else "cpu"."""
    import torch

    if not isinstance(device, str) or not (device in DEVICES or device.startswith("cuda:")):
        raise ValueError(f"device={device!r}; expected one of {list(DEVICES)} or 'cuda:N'")
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} but CUDA is not available here; use device='cpu' or 'auto'")
    return device


@functools.lru_cache(maxsize=None)
def cpu_has_native_bf16() -> bool:
    """True where the CPU runs bf16 matmuls natively (AVX512-BF16 or AMX); elsewhere bf16 is emulated and
    slower than fp32, so a "bf16" model runs in fp32 there."""
    import torch

    checks = (getattr(torch.cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported"))
    return any(check() for check in checks if check is not None)


@functools.lru_cache(maxsize=None)
def _note_bf16_fallback() -> None:
    logger.info("cpu_quantization='bf16' but this CPU has no native bf16 (AVX512-BF16 or AMX): running in fp32")


def mix_logits(transformer: Any, lexical: Any, weight: float) -> Any:
    """``(1 - weight) * transformer + weight * lexical`` logits: after the softmax, the two models' probabilities
    raised to ``1 - weight`` and ``weight``, multiplied and renormalised."""
    return ((1.0 - weight) * transformer + weight * lexical).astype("float32")


def pad_batch(encoded: Sequence[Sequence[int]], batch: Sequence[int], pad_id: int) -> tuple[Any, Any]:
    """Token ids and attention mask of the rows ``batch`` of ``encoded``, padded to the longest (dynamic padding)."""
    import torch

    import numpy as np

    lengths = np.array([len(encoded[i]) for i in batch])
    ids = np.full((len(batch), int(lengths.max())), pad_id, dtype=np.int64)
    for row, i in enumerate(batch):
        ids[row, : lengths[row]] = encoded[i]
    mask = (np.arange(ids.shape[1])[None, :] < lengths[:, None]).astype(np.int64)
    return torch.from_numpy(ids), torch.from_numpy(mask)


def quantize_int8(model: Any) -> Any:
    """A copy of ``model`` whose encoder Linear layers are dynamically int8-quantized (CPU only).

    The small classification head stays in fp32: it costs nothing and keeps the logits (and so the
    calibration fitted on fp32 logits) closer to the original. The original model is not touched.
    """
    import torch
    from torch.ao.quantization import quantize_dynamic

    copied = copy.deepcopy(model)
    prefix = getattr(copied, "base_model_prefix", "")
    target = getattr(copied, prefix, None) if prefix else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao's deprecation notice: expected, see benchmarks
        if target is None:
            return quantize_dynamic(copied, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
        quantize_dynamic(target, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    return copied


def softmax(logits: Any) -> Any:
    import numpy as np

    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def model_card(classifier: StanceClassifier, evaluation: str | None = None) -> str:
    """The ``README.md`` written beside the weights."""
    cfg = classifier.config
    lines = [
        "# stance classifier",
        "",
        "Labels one quote's stance toward Russia's war in Ukraine: " + ", ".join(cfg.labels) + ".",
        "",
        f"- base model: `{cfg.base_model}`",
        f"- input template: `{cfg.template}` (quote marked inside its sentence; role and affiliation are never input)",
        f"- max length: {cfg.max_length} tokens; calibration temperature: {cfg.temperature:.4f}",
        f"- low-confidence threshold: {cfg.low_confidence_threshold}; speaker threshold: {cfg.speaker_threshold}",
        f"- training data sha256: `{cfg.data_hash}`",
        f"- CPU execution: {CPU_MODES[cfg.cpu_quantization]}",
        f"- pooling: {cfg.pooling}",
        f"- lexical weight: {cfg.lexical_weight}" + (" (TF-IDF n-grams + a linear layer, `lexical.json` and `lexical.safetensors`)" if cfg.lexical_weight else " (transformer alone)"),
        "",
        "Load with `stance.StanceClassifier.from_pretrained(path)`."
        + (" Plain `transformers` would read the [CLS] token instead of the mean, and give other labels." if cfg.pooling == "mean" else "")
        + (f" It would also leave out the lexical part (weight {cfg.lexical_weight} in every score)." if cfg.lexical_weight else ""),
        "",
        "## Evaluation",
        "",
        evaluation.strip() if evaluation else "Not evaluated yet (`python -m training.evaluate MODEL DATA`).",
        "",
    ]
    return "\n".join(lines)


def default_model_dir() -> Path:
    """``$XDG_CACHE_HOME/stance/models/default`` (``~/.cache`` when ``XDG_CACHE_HOME`` is unset)."""
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "stance" / "models" / "default"


def load_default() -> StanceClassifier:
    """Load ``$STANCE_MODEL`` if set, else the default model from the user cache; never trains one."""
    configured = os.environ.get(ENV_MODEL)
    if configured:
        path = Path(configured).expanduser()
        if not (path / STANCE_CONFIG).is_file() and path.exists():
            raise FileNotFoundError(f"{ENV_MODEL}={configured!r} is not a stance model folder (no {STANCE_CONFIG})")
        return StanceClassifier.from_pretrained(configured)
    path = default_model_dir()
    if not (path / STANCE_CONFIG).is_file():
        raise FileNotFoundError(
            f"no stance model at {path}. Build it with `make model` (about 10 minutes on CPU), or pass a "
            f"model folder: set {ENV_MODEL}=/path/to/model or use StanceClassifier.from_pretrained(path)"
        )
    return StanceClassifier.from_pretrained(path)


def _resolve_model_folder(path_or_hub_id: str | os.PathLike[str]) -> Path:
    path = Path(path_or_hub_id).expanduser()
    if path.is_dir():
        return path
    text = str(path_or_hub_id)
    if path.exists() or text.startswith((".", "/", "~")) or text.count("/") != 1:
        raise FileNotFoundError(f"path_or_hub_id={text!r}: no model folder there (and it is not a Hub id 'owner/name')")
    from huggingface_hub import snapshot_download

    return Path(snapshot_download(text, allow_patterns=["*.json", "*.safetensors", "*.txt", "*.md", "*.model"]))


def _check_label_maps(model: Any, folder: Path) -> None:
    id2label = {int(k): v for k, v in (model.config.id2label or {}).items()}
    if id2label != dict(enumerate(LABELS)):
        raise ValueError(f"{folder}/config.json id2label={id2label}; a stance model must have {dict(enumerate(LABELS))}")


def _replace_dir(tmp: Path, target: Path) -> None:
    """Move ``tmp`` to ``target``; an existing ``target`` is set aside first and removed only after."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    try:
        os.replace(tmp, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
