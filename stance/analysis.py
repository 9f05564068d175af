"""Result records of the pipeline: one quote with its stance, one speaker with its stance, one article.

:meth:`ArticleAnalysis.to_dict` is the stable JSON contract (see README.md, "Output format"); bump
:data:`SCHEMA_VERSION` whenever a key is renamed, removed or changes meaning.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Mapping

from stance.types import LABELS, Label, Quote, StancePrediction

if TYPE_CHECKING:  # pandas is imported only by to_dataframe
    import pandas

logger = logging.getLogger(__name__)

#: Version of the ``to_dict`` layout (not of the package).
SCHEMA_VERSION = 1

#: Columns of :meth:`ArticleAnalysis.to_dataframe`, in order.
QUOTE_COLUMNS: tuple[str, ...] = (
    "id", "group", "paragraph", "text", "start", "end", "kind", "speaker", "speaker_start", "speaker_end",
    "cue", "label", "confidence", "low_confidence", *(f"score_{label}" for label in LABELS),
)


@lru_cache(maxsize=1)
def stance_version() -> str:
    """The running package's version: ``stance.__version__``, else the installed distribution's."""
    import stance

    version = getattr(stance, "__version__", None)
    if version:
        return str(version)
    try:
        from importlib.metadata import PackageNotFoundError, version as dist_version

        return dist_version("stance")
    except PackageNotFoundError:
        return "0+unknown"


def _scores(scores: Mapping[str, float]) -> dict[str, float]:
    """Scores in label order, rounded so the JSON stays short and stable across platforms."""
    return {label: round(float(scores.get(label, 0.0)), 4) for label in LABELS}


@dataclass(frozen=True)
class QuoteStance:
    """One extracted quote and the classifier's calibrated stance for it."""

    quote: Quote
    prediction: StancePrediction
    low_confidence: bool = False

    @property
    def label(self) -> Label:
        return self.prediction.label

    @property
    def scores(self) -> Mapping[str, float]:
        return self.prediction.scores

    @property
    def confidence(self) -> float:
        return self.prediction.confidence

    def to_dict(self) -> dict[str, Any]:
        q = self.quote
        mention = q.speaker.mention if q.speaker is not None else None
        return {
            "id": q.id,
            "group": q.group,
            "paragraph": q.paragraph,
            "text": q.text,
            "start": q.start,
            "end": q.end,
            "kind": q.kind,
            "speaker": q.speaker_name,
            "speaker_start": mention.start if mention is not None else None,
            "speaker_end": mention.end if mention is not None else None,
            "cue": q.cue.text if q.cue is not None else None,
            "label": self.label,
            "scores": _scores(self.scores),
            "low_confidence": bool(self.low_confidence),
        }


@dataclass(frozen=True)
class SpeakerStance:
    """A speaker's stance over all of their quotes in one article (see :mod:`stance.aggregate`).

    ``scores`` holds, per label, the evidence for it: for supportive and critical the strongest
    probability any of the speaker's quotes gives that label, for neutral one minus the strongest
    of those two. ``confidence`` is ``scores[label]``; ``evidence`` the quote ids, strongest first.
    """

    name: str
    label: Label
    confidence: float
    scores: Mapping[str, float]
    quote_count: int
    mixed: bool = False
    evidence: tuple[str, ...] = ()
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "label": self.label,
            "confidence": round(float(self.confidence), 4),
            "scores": _scores(self.scores),
            "quote_count": self.quote_count,
            "mixed": bool(self.mixed),
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class ArticleAnalysis:
    """Everything `stance` found in one article: quotes with stance, and speakers with stance.

    ``quotes`` are in text order and include unattributed ones (``quote.speaker is None``), which join
    no speaker. ``speakers`` are in order of their first quote.
    """

    text: str
    quotes: tuple[QuoteStance, ...]
    speakers: tuple[SpeakerStance, ...]
    model_name: str | None = None
    model_sha256: str | None = None
    version: str = field(default_factory=stance_version)

    def quote(self, quote_id: str) -> QuoteStance:
        """The quote with id ``quote_id``; ``KeyError`` naming the known ids otherwise."""
        for item in self.quotes:
            if item.quote.id == quote_id:
                return item
        raise KeyError(f"quote_id={quote_id!r} is not in this analysis; known ids: {[q.quote.id for q in self.quotes]}")

    def speaker(self, name: str) -> SpeakerStance:
        """The speaker called ``name``; ``KeyError`` naming the known speakers otherwise."""
        for item in self.speakers:
            if item.name == name:
                return item
        raise KeyError(f"name={name!r} is not a speaker in this analysis; speakers: {[s.name for s in self.speakers]}")

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON form (documented in README.md); plain str/int/float/bool/None/list/dict."""
        return {
            "schema_version": SCHEMA_VERSION,
            "stance_version": self.version,
            "model": {"name": self.model_name, "sha256": self.model_sha256},
            "quotes": [q.to_dict() for q in self.quotes],
            "speakers": [s.to_dict() for s in self.speakers],
        }

    def to_dataframe(self) -> "pandas.DataFrame":
        """The quotes as a DataFrame, one row per quote, scores spread to ``score_<label>`` columns."""
        import pandas as pd

        rows = []
        for item in self.quotes:
            row = item.to_dict()
            scores = row.pop("scores")
            row["confidence"] = round(float(item.confidence), 4)
            row.update({f"score_{label}": scores[label] for label in LABELS})
            rows.append(row)
        frame = pd.DataFrame(rows, columns=list(QUOTE_COLUMNS))
        for column in ("speaker_start", "speaker_end"):
            frame[column] = frame[column].astype("Int64")
        return frame
