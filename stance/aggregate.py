"""Speaker-level stance from quote-level predictions.

The rule, chosen so that a speaker who says one clearly partisan thing among many neutral ones is
not averaged away:

* a quote *counts* when its label is supportive or critical and its calibrated probability for that
  label reaches ``threshold`` (``speaker_threshold`` in ``stance_config.json``, default 0.6);
* counting quotes of one side only: the speaker takes that side; neutral quotes do not dilute it;
* counting quotes of both sides: the side with the larger summed probability over its counting
  quotes wins (ties: the side of the single strongest quote, then label order) and ``mixed=True``;
* no counting quote: neutral.

Quotes without a speaker are skipped here (they are still reported per quote).
"""

from __future__ import annotations

import logging
from typing import Iterable

from stance.analysis import QuoteStance, SpeakerStance
from stance.types import LABELS, Label

logger = logging.getLogger(__name__)

DEFAULT_SPEAKER_THRESHOLD = 0.6
SIDES: tuple[Label, ...] = ("supportive", "critical")


def check_threshold(value: float, *, argument: str = "threshold") -> float:
    """Return ``value`` as a float if it is a probability in [0, 1], else raise naming ``argument``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{argument}={value!r} is not a number; expected a probability between 0 and 1") from None
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"{argument}={value!r} is out of range; expected a probability between 0 and 1")
    return number


def speaker_stance(name: str, quotes: list[QuoteStance], threshold: float = DEFAULT_SPEAKER_THRESHOLD) -> SpeakerStance:
    """The stance of one speaker from all of their quotes (at least one), by the rule in the module doc."""
    if not quotes:
        raise ValueError(f"quotes=[] for speaker {name!r}: a speaker needs at least one quote")
    threshold = check_threshold(threshold, argument="threshold")
    strongest = {side: max(float(q.scores.get(side, 0.0)) for q in quotes) for side in SIDES}
    scores = {**strongest, "neutral": 1.0 - max(strongest.values())}

    counted: dict[str, list[float]] = {side: [] for side in SIDES}
    for q in quotes:
        if q.label in SIDES and float(q.scores.get(q.label, 0.0)) >= threshold:
            counted[q.label].append(float(q.scores[q.label]))
    sides = [side for side in SIDES if counted[side]]
    if not sides:
        label: Label = "neutral"
    elif len(sides) == 1:
        label = sides[0]
    else:
        label = max(SIDES, key=lambda s: (round(sum(counted[s]), 9), max(counted[s]), -SIDES.index(s)))

    # Evidence: the speaker's quotes by their probability for the speaker's label, text order on ties.
    ordered = sorted(enumerate(quotes), key=lambda iq: (-float(iq[1].scores.get(label, 0.0)), iq[0]))
    description = next(
        (q.quote.speaker.description for q in quotes if q.quote.speaker is not None and q.quote.speaker.description),
        None,
    )
    return SpeakerStance(
        name=name,
        label=label,
        confidence=scores[label],
        scores={label_: scores[label_] for label_ in LABELS},
        quote_count=len(quotes),
        mixed=len(sides) == 2,
        evidence=tuple(q.quote.id for _, q in ordered),
        description=description,
    )


def aggregate_speakers(
    quotes: Iterable[QuoteStance], threshold: float = DEFAULT_SPEAKER_THRESHOLD
) -> tuple[SpeakerStance, ...]:
    """One :class:`SpeakerStance` per named speaker, in order of the speaker's first quote."""
    threshold = check_threshold(threshold, argument="threshold")
    by_speaker: dict[str, list[QuoteStance]] = {}
    for item in sorted(quotes, key=lambda q: (q.quote.start, q.quote.end)):
        name = item.quote.speaker_name
        if name is None:
            continue
        by_speaker.setdefault(name, []).append(item)
    return tuple(speaker_stance(name, items, threshold) for name, items in by_speaker.items())
