"""Text in, :class:`~stance.analysis.ArticleAnalysis` out: extract quotes, classify them, aggregate speakers.

    >>> pipe = StancePipeline.from_pretrained("~/.cache/stance/models/default")
    >>> analysis = pipe(article_text)                # one text -> one ArticleAnalysis
    >>> analyses = pipe([text_a, text_b])            # a list -> a list; one classifier pass for all quotes

Classification is batched across all quotes of all articles in a call, so many short articles cost
about as much as one long one. torch/transformers load only when a model is loaded.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence, overload

from stance.aggregate import DEFAULT_SPEAKER_THRESHOLD, aggregate_speakers
from stance.analysis import ArticleAnalysis, QuoteStance
from stance.types import LABELS, Quote, StanceInput

if TYPE_CHECKING:
    import datasets

logger = logging.getLogger(__name__)

Extractor = Callable[[str], Sequence[Quote]]

MODEL_HELP = (
    "build the default model with `make model` (it lands in ~/.cache/stance/models/default), "
    "or pass --model DIR / set STANCE_MODEL to a stance model folder"
)


class ModelNotFoundError(FileNotFoundError):
    """No stance model where one was asked for; the message says how to build one."""


def default_extractor() -> Extractor:
    """The rule-based extractor, :func:`stance.extract.extract_quotes` (imported on first use)."""
    from stance.extract import extract_quotes

    return extract_quotes


def check_batch_size(value: Any, *, argument: str = "batch_size") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{argument}={value!r} must be a positive integer")
    return value


def load_classifier(path: str | os.PathLike[str] | None) -> Any:
    """A :class:`~stance.classifier.StanceClassifier` from ``path`` (``None``: ``load_default()``).

    A missing folder, or one without ``stance_config.json``, raises :class:`ModelNotFoundError` saying
    how to build a model.
    """
    from stance.classifier import StanceClassifier, load_default

    if path is None:
        try:
            return load_default()
        except FileNotFoundError as err:
            raise ModelNotFoundError(str(err)) from None
    return StanceClassifier.from_pretrained(check_model_folder(path))


def check_model_folder(path: str | os.PathLike[str]) -> Path:
    """``path`` as a Path if it is a stance model folder; :class:`ModelNotFoundError` naming it otherwise."""
    from stance.classifier import STANCE_CONFIG

    folder = Path(path).expanduser()
    if not folder.exists():
        raise ModelNotFoundError(f"model={str(path)!r}: no such folder; {MODEL_HELP}")
    if not folder.is_dir() or not (folder / STANCE_CONFIG).is_file():
        raise ModelNotFoundError(f"model={str(path)!r} is not a stance model folder (no {STANCE_CONFIG}); {MODEL_HELP}")
    return folder


@dataclass
class StancePipeline:
    """An extractor (text -> quotes) and a classifier (quote inputs -> calibrated predictions).

    ``classifier`` is anything with ``predict(inputs, batch_size=, device=, show_progress=)`` returning
    a list of :class:`~stance.types.StancePrediction`; ``config``, ``name`` and ``sha256`` are read when
    present (thresholds default to 0.6 for speakers and 0.5 for low-confidence quotes).
    """

    extractor: Extractor
    classifier: Any
    batch_size: int = 32
    device: str = "auto"
    show_progress: bool = False

    def __post_init__(self) -> None:
        check_batch_size(self.batch_size)
        if not callable(self.extractor):
            raise TypeError(f"extractor={self.extractor!r} is not callable; expected a function text -> list[Quote]")
        if not callable(getattr(self.classifier, "predict", None)):
            raise TypeError(f"classifier={self.classifier!r} has no predict(); expected a StanceClassifier")

    @classmethod
    def from_pretrained(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        extractor: Extractor | None = None,
        batch_size: int = 32,
        device: str = "auto",
        show_progress: bool = False,
    ) -> StancePipeline:
        """The default extractor and the model saved at ``path`` (``None``: ``$STANCE_MODEL`` or the default)."""
        classifier = load_classifier(path)
        return cls(extractor or default_extractor(), classifier, batch_size, device, show_progress)

    # ---------------------------------------------------------------- config read from the classifier
    @property
    def speaker_threshold(self) -> float:
        return float(getattr(getattr(self.classifier, "config", None), "speaker_threshold", DEFAULT_SPEAKER_THRESHOLD))

    @property
    def low_confidence_threshold(self) -> float:
        return float(getattr(getattr(self.classifier, "config", None), "low_confidence_threshold", 0.5))

    # ---------------------------------------------------------------- running
    @overload
    def __call__(self, texts: str) -> ArticleAnalysis: ...
    @overload
    def __call__(self, texts: Sequence[str]) -> list[ArticleAnalysis]: ...

    def __call__(self, texts: str | Sequence[str]) -> ArticleAnalysis | list[ArticleAnalysis]:
        """Analyse one text (-> one analysis) or a list of texts (-> a list, same order)."""
        if isinstance(texts, str):
            return self.classify([(texts, self.extract(texts))])[0]
        if not isinstance(texts, Sequence):
            texts = list(texts)
        return self.analyze_many(texts)

    def analyze_many(self, texts: Sequence[str]) -> list[ArticleAnalysis]:
        """Extract every text, then classify all their quotes in one batched pass."""
        return self.classify([(text, self.extract(text, index=i)) for i, text in enumerate(texts)])

    def extract(self, text: str, *, index: int | None = None) -> list[Quote]:
        """The extractor's quotes for ``text``, checked to lie in it, sorted by position."""
        where = "text" if index is None else f"texts[{index}]"
        if not isinstance(text, str):
            raise TypeError(f"{where} is a {type(text).__name__}, expected str: {text!r:.60}")
        quotes = sorted(self.extractor(text), key=lambda q: (q.start, q.end))
        for q in quotes:
            if text[q.start : q.end] != q.text:
                raise ValueError(f"extractor returned quote {q.id!r} at {q.start}:{q.end} whose text is not {where}[{q.start}:{q.end}]")
        return quotes

    def classify(self, extracted: Sequence[tuple[str, Sequence[Quote]]]) -> list[ArticleAnalysis]:
        """Classify the already-extracted quotes of several articles in one pass and aggregate speakers."""
        from stance.inputs import quote_input

        inputs: list[StanceInput] = []
        for text, quotes in extracted:
            for q in quotes:
                mention = q.speaker.mention if q.speaker is not None else None
                inputs.append(
                    quote_input(text, q.start, q.end, mention.start if mention else None, mention.end if mention else None)
                )
        predictions = []
        if inputs:
            predictions = self.classifier.predict(
                inputs, batch_size=self.batch_size, device=self.device, show_progress=self.show_progress
            )
            if len(predictions) != len(inputs):
                raise RuntimeError(f"classifier returned {len(predictions)} predictions for {len(inputs)} quotes")
        low, threshold = self.low_confidence_threshold, self.speaker_threshold
        name, sha = getattr(self.classifier, "name", None), getattr(self.classifier, "sha256", None)
        results, at = [], 0
        for text, quotes in extracted:
            items = tuple(
                QuoteStance(q, p, low_confidence=p.confidence < low) for q, p in zip(quotes, predictions[at : at + len(quotes)])
            )
            at += len(quotes)
            results.append(ArticleAnalysis(text, items, aggregate_speakers(items, threshold), name, sha))
        return results


@lru_cache(maxsize=2)
def _cached_classifier(key: str | None, *version: str | None) -> Any:
    """``version`` is only part of the cache key (see :func:`get_pipeline`)."""
    return load_classifier(key)


def get_pipeline(model: Any = None) -> StancePipeline:
    """A pipeline for ``model``: ``None`` (default model), a folder path, a StancePipeline or a classifier.

    Models loaded from a path are cached (two at most), so repeated ``analyze`` calls load a model once.
    """
    if isinstance(model, StancePipeline):
        return model
    if model is None or isinstance(model, (str, os.PathLike)):
        # The key follows what decides which weights load: the folder (and when it was last written),
        # or for the default model $STANCE_MODEL and $XDG_CACHE_HOME.
        if model is None:
            classifier = _cached_classifier(None, os.environ.get("STANCE_MODEL"), os.environ.get("XDG_CACHE_HOME"))
        else:
            folder = check_model_folder(model).resolve()
            classifier = _cached_classifier(str(folder), str((folder / "stance_config.json").stat().st_mtime_ns))
        return StancePipeline(default_extractor(), classifier)  # the model first: a missing one is reported first
    if callable(getattr(model, "predict", None)):
        return StancePipeline(default_extractor(), model)
    raise TypeError(
        f"model={model!r} is not a model; expected None, a model folder path, a StancePipeline or a StanceClassifier"
    )


def analyze(text: str, model: Any = None) -> ArticleAnalysis:
    """Quotes, their stance and each speaker's stance in one article.

    ``model``: ``None`` for ``$STANCE_MODEL`` or the default model, a model folder, a
    :class:`StancePipeline` or a :class:`~stance.classifier.StanceClassifier`.
    """
    if not isinstance(text, str):
        raise TypeError(f"text is a {type(text).__name__}, expected str (use StancePipeline for a list of texts)")
    return get_pipeline(model)(text)


# ---------------------------------------------------------------- datasets
def analysis_features() -> Any:
    """The Arrow type of one ``to_dict()`` result (explicit, so all-null columns still type right)."""
    from datasets import List, Value

    string, integer, number, flag = Value("string"), Value("int64"), Value("float64"), Value("bool")
    scores = {label: number for label in LABELS}
    quote = {
        "id": string, "group": string, "paragraph": integer, "text": string, "start": integer, "end": integer,
        "kind": string, "speaker": string, "speaker_start": integer, "speaker_end": integer, "cue": string,
        "label": string, "scores": scores, "low_confidence": flag,
    }
    speaker = {
        "name": string, "description": string, "label": string, "confidence": number, "scores": scores,
        "quote_count": integer, "mixed": flag, "evidence": List(string),
    }
    return {
        "schema_version": integer, "stance_version": string, "model": {"name": string, "sha256": string},
        "quotes": List(quote), "speakers": List(speaker),
    }


def analyze_dataset(
    dataset: "datasets.Dataset",
    text_column: str = "text",
    model: Any = None,
    *,
    output_column: str = "analysis",
    batch_size: int = 64,
    desc: str = "stance",
) -> "datasets.Dataset":
    """``dataset`` with a new ``output_column`` holding each row's ``ArticleAnalysis.to_dict()``.

    Built on ``Dataset.map(batched=True)``: every ``batch_size`` rows are one pipeline call (one
    classifier pass over all their quotes). The original columns are kept.
    """
    from datasets import Features

    check_batch_size(batch_size)
    columns = list(dataset.column_names)
    if text_column not in columns:
        raise ValueError(f"text_column={text_column!r} is not a column of the dataset; columns: {columns}")
    if output_column in columns:
        raise ValueError(f"output_column={output_column!r} is already a column of the dataset; pick another name")
    pipeline = get_pipeline(model)
    features = Features({**dataset.features, output_column: analysis_features()})

    def run(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        texts = batch[text_column]
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"column {text_column!r} holds a {type(text).__name__} ({text!r:.40}), expected str")
        return {output_column: [a.to_dict() for a in pipeline.analyze_many(texts)]}

    # The fingerprint names the model, so hashing never has to pickle the model itself.
    # The config too: with_config() keeps the weights' hash but may change the scores (temperature, lexical weight).
    config = getattr(getattr(pipeline.classifier, "config", None), "to_dict", lambda: None)()
    tag = (f"{dataset._fingerprint}|{text_column}|{output_column}|{getattr(pipeline.classifier, 'sha256', None)}|"
           f"{json.dumps(config, sort_keys=True)}")
    fingerprint = hashlib.sha256(tag.encode()).hexdigest()[:16]
    return dataset.map(
        run, batched=True, batch_size=batch_size, features=features, new_fingerprint=fingerprint, desc=desc
    )
