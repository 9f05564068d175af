import pytest

from stance.types import LABELS, Quote, Span, Speaker, StancePrediction, check_label


def test_labels_are_fixed():
    assert LABELS == ("supportive", "critical", "neutral")


@pytest.mark.parametrize(
    "label, message",
    [("positive", r"label='positive' is not a stance label; expected one of \['supportive', 'critical', 'neutral'\]"),
     ("Critical", r"did you mean 'critical'\?")],
)
def test_check_label_names_bad_value_and_choices(label, message):
    with pytest.raises(ValueError, match=message):
        check_label(label)


def test_quote_offsets_must_fit_text():
    text = 'He said "we will win" today.'
    q = Quote(id="q1", group="q1", text="we will win", start=9, end=20, kind="direct")
    assert text[q.start : q.end] == q.text
    with pytest.raises(ValueError, match="do not fit"):
        Quote(id="q1", group="q1", text="we will win", start=9, end=21, kind="direct")


@pytest.mark.parametrize(
    "make, message",
    [(lambda: Quote(id="q", group="q", text="x", start=0, end=1, kind="quoted"), r"kind='quoted' is not a quote kind"),
     (lambda: Speaker(name="X", form="nickname"), r"form='nickname' is not a mention form"),
     (lambda: Span(3, 1, ""), r"0 <= start <= end")],
)
def test_records_reject_bad_values(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_records_are_frozen():
    s = Speaker(name="Pavel Orlov")
    with pytest.raises(AttributeError):
        s.name = "Someone"  # type: ignore[misc]


def test_prediction_confidence():
    p = StancePrediction(label="critical", scores={"supportive": 0.1, "critical": 0.7, "neutral": 0.2})
    assert p.confidence == pytest.approx(0.7)
