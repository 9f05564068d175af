"""Records that flow between the stages of `stance`.

Every record is a frozen dataclass. Offsets are character offsets into the input text exactly as the
caller gave it (no normalisation that moves them), so ``text[q.start:q.end] == q.text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Mapping

#: The fixed label set: stance toward Russia's war in Ukraine, judged from the speaker's own words.
LABELS: tuple[str, ...] = ("supportive", "critical", "neutral")
Label = Literal["supportive", "critical", "neutral"]

#: How a quote is reported: in quotation marks as a whole sentence or more (direct), a marked fragment
#: inside the reporter's own sentence (partial), or reported speech without marks (indirect).
QUOTE_KINDS: tuple[str, ...] = ("direct", "partial", "indirect")
QuoteKind = Literal["direct", "partial", "indirect"]

#: How the speaker is mentioned at the point of attribution.
MENTION_FORMS: tuple[str, ...] = ("name", "pronoun", "descriptor")
MentionForm = Literal["name", "pronoun", "descriptor"]


def check_label(label: str, *, argument: str = "label") -> str:
    """Return ``label`` if it is one of :data:`LABELS`, else raise a ``ValueError`` that lists them."""
    if label not in LABELS:
        hint = ""
        lowered = str(label).strip().lower()
        if lowered in LABELS:
            hint = f" (did you mean {lowered!r}?)"
        raise ValueError(f"{argument}={label!r} is not a stance label; expected one of {list(LABELS)}{hint}")
    return label


@dataclass(frozen=True)
class Span:
    """A piece of the input text: ``text[start:end] == span.text``."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"Span offsets must satisfy 0 <= start <= end, got start={self.start}, end={self.end}")
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"Span text has {len(self.text)} characters but end - start = {self.end - self.start}"
            )


@dataclass(frozen=True)
class Speaker:
    """Who a quote is attributed to.

    ``name`` is the canonical name for the person or body in this article ("Vladimir Putin" for
    "President Vladimir Putin", "Putin" and "he"); for an unnamed speaker it is the descriptor without
    determiners ("Kremlin spokesman"). ``mention`` is the span that attributes this quote (which may be
    a pronoun) and ``form`` says which kind of mention it is. ``description`` holds what the text says
    the speaker is (an appositive or title such as "the foreign minister of Hungary"), when it says.
    """

    name: str
    mention: Span | None = None
    form: MentionForm = "name"
    description: str | None = None

    def __post_init__(self) -> None:
        if self.form not in MENTION_FORMS:
            raise ValueError(f"form={self.form!r} is not a mention form; expected one of {list(MENTION_FORMS)}")


@dataclass(frozen=True)
class Quote:
    """One quoted or reported statement by one speaker.

    ``text``/``start``/``end`` cover the content without its outer quotation marks. The parts of one
    quote split around its attribution or across paragraphs are separate records sharing ``group``.
    ``speaker`` is ``None`` when the rules cannot tell who spoke (rather than guess). ``cue`` is the
    reporting verb or phrase ("said", "according to"), ``paragraph`` the 0-based paragraph index.
    """

    id: str
    group: str
    text: str
    start: int
    end: int
    kind: QuoteKind
    speaker: Speaker | None = None
    cue: Span | None = None
    paragraph: int = 0
    tags: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.kind not in QUOTE_KINDS:
            raise ValueError(f"kind={self.kind!r} is not a quote kind; expected one of {list(QUOTE_KINDS)}")
        if not 0 <= self.start <= self.end or self.end - self.start != len(self.text):
            raise ValueError(
                f"Quote offsets start={self.start}, end={self.end} do not fit its {len(self.text)}-character text"
            )

    @property
    def speaker_name(self) -> str | None:
        """The canonical speaker name, or ``None`` when the quote is unattributed."""
        return self.speaker.name if self.speaker is not None else None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.text)


@dataclass(frozen=True)
class StanceInput:
    """What the classifier reads for one quote: the quote, and optionally its sentence and speaker.

    ``context`` is the sentence the quote stands in (with the quote inside it) and ``speaker`` the
    speaker mention when that sentence holds it. Role and affiliation are never model input.
    """

    quote: str
    context: str | None = None
    speaker: str | None = None


@dataclass(frozen=True)
class StancePrediction:
    """A calibrated stance prediction: the top ``label`` and a probability per label name."""

    label: Label
    scores: Mapping[str, float]

    @property
    def confidence(self) -> float:
        return float(self.scores[self.label])
