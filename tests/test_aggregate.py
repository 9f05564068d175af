"""Speaker-level stance: one clear quote decides, neutral quotes do not dilute, both sides give mixed."""

import pytest

from stance.aggregate import aggregate_speakers, speaker_stance
from stance.analysis import QuoteStance
from stance.types import Quote, Speaker, StancePrediction

TEXT = "x" * 1000


def qs(i: int, speaker: str | None, sup: float, crit: float, description: str | None = None) -> QuoteStance:
    """Quote ``q<i>`` at offset 10*i by ``speaker`` with the given supportive/critical probabilities."""
    scores = {"supportive": sup, "critical": crit, "neutral": round(1.0 - sup - crit, 6)}
    label = max(scores, key=scores.get)
    spk = Speaker(name=speaker, description=description) if speaker else None
    quote = Quote(id=f"q{i}", group=f"q{i}", text="x" * 5, start=10 * i, end=10 * i + 5, kind="direct", speaker=spk)
    return QuoteStance(quote, StancePrediction(label=label, scores=scores))


# (quotes as (supportive, critical) pairs, threshold) -> (label, mixed, confidence, evidence order)
CASES = [
    pytest.param([(0.1, 0.1)], 0.6, ("neutral", False, 0.9, ("q0",)), id="one neutral quote"),
    pytest.param([(0.7, 0.1)], 0.6, ("supportive", False, 0.7, ("q0",)), id="one supportive quote"),
    pytest.param([(0.05, 0.05), (0.05, 0.05), (0.1, 0.8), (0.0, 0.1)], 0.6,
                 ("critical", False, 0.8, ("q2", "q3", "q0", "q1")), id="neutral quotes do not dilute"),
    pytest.param([(0.55, 0.1)], 0.6, ("neutral", False, 0.45, ("q0",)), id="below threshold stays neutral"),
    pytest.param([(0.6, 0.1)], 0.6, ("supportive", False, 0.6, ("q0",)), id="threshold is inclusive"),
    pytest.param([(0.55, 0.1)], 0.5, ("supportive", False, 0.55, ("q0",)), id="threshold from config"),
    pytest.param([(0.9, 0.0), (0.0, 0.65), (0.0, 0.7)], 0.6,
                 ("critical", True, 0.7, ("q2", "q1", "q0")), id="mixed: larger sum wins over single strongest"),
    pytest.param([(0.9, 0.0), (0.0, 0.65)], 0.6, ("supportive", True, 0.9, ("q0", "q1")), id="mixed: supportive"),
    pytest.param([(0.9, 0.0), (0.0, 0.5), (0.0, 0.5)], 0.6,
                 ("supportive", False, 0.9, ("q0", "q1", "q2")), id="weak opposite quotes are not mixed"),
    pytest.param([(0.7, 0.0), (0.0, 0.7)], 0.6, ("supportive", True, 0.7, ("q0", "q1")), id="exact tie: label order"),
]


@pytest.mark.parametrize("pairs, threshold, expected", CASES)
def test_speaker_rule(pairs, threshold, expected):
    quotes = [qs(i, "Pavel Orlov", sup, crit) for i, (sup, crit) in enumerate(pairs)]
    result = speaker_stance("Pavel Orlov", quotes, threshold)
    label, mixed, confidence, evidence = expected
    assert (result.label, result.mixed, result.evidence, result.quote_count) == (label, mixed, evidence, len(pairs))
    assert result.confidence == pytest.approx(confidence)
    assert result.confidence == pytest.approx(result.scores[result.label])
    assert list(result.scores) == ["supportive", "critical", "neutral"]


def test_speakers_grouped_in_order_of_first_quote_and_unattributed_skipped():
    quotes = [
        qs(3, "Pavel Orlov", 0.8, 0.1, description="deputy foreign minister"),
        qs(1, "Olena Marchenko", 0.0, 0.9),
        qs(2, None, 0.9, 0.0),
        qs(4, "Olena Marchenko", 0.1, 0.1),
    ]
    speakers = aggregate_speakers(quotes)
    assert [(s.name, s.label, s.quote_count, s.evidence, s.description) for s in speakers] == [
        ("Olena Marchenko", "critical", 2, ("q1", "q4"), None),
        ("Pavel Orlov", "supportive", 1, ("q3",), "deputy foreign minister"),
    ]


def test_no_quotes_gives_no_speakers():
    assert aggregate_speakers([]) == ()


@pytest.mark.parametrize(
    "threshold, message",
    [(1.5, r"threshold=1.5 is out of range; expected a probability between 0 and 1"),
     ("high", r"threshold='high' is not a number")],
)
def test_bad_threshold_is_named(threshold, message):
    with pytest.raises(ValueError, match=message):
        aggregate_speakers([qs(0, "A", 0.1, 0.1)], threshold)


def test_speaker_needs_a_quote():
    with pytest.raises(ValueError, match=r"quotes=\[\] for speaker 'A'"):
        speaker_stance("A", [])
