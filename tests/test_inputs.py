"""The one model-input function: sentence finding, quote marking, speaker inclusion, templates."""

import pytest

from stance.inputs import (
    DEFAULT_TEMPLATE,
    check_template,
    quote_input,
    render_input,
    sentence_around,
    sentence_spans,
)
from stance.types import StanceInput

ARTICLE = (
    "Mr. Putin arrived in Pyongyang. “We will win. They will lose,” he said on Wednesday.\n"
    "The U.S. State Department said the pact was “deeply troubling” for the region. Kyiv was silent."
)


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("One. Two! Three?", ["One.", "Two!", "Three?"]),
        ("Mr. Smith left. Dr. Jones came.", ["Mr. Smith left.", "Dr. Jones came."]),
        ("The U.S. said no. J. Smith agreed.", ["The U.S. said no.", "J. Smith agreed."]),
        ("“Go home.” She left.", ["“Go home.”", "She left."]),
        ("Line one\nLine two", ["Line one", "Line two"]),
        ("no end here", ["no end here"]),
        ("It cost 3.5 billion. Fine.", ["It cost 3.5 billion.", "Fine."]),
        ("", []),
    ],
)
def test_sentence_spans(text, sentences):
    assert [text[s:e] for s, e in sentence_spans(text)] == sentences


def _offsets(fragment, text=ARTICLE):
    start = text.index(fragment)
    return start, start + len(fragment)


@pytest.mark.parametrize(
    "quote, mention, expected",
    [
        # a quote over two sentences keeps both, with its closing mark; the pronoun is in that sentence
        (
            "We will win. They will lose,",
            "he",
            StanceInput("We will win. They will lose,", "“<<We will win. They will lose,>>” he said on Wednesday.", "he"),
        ),
        # partial quote inside the reporter's sentence; the speaker mention is in it
        (
            "deeply troubling",
            "The U.S. State Department",
            StanceInput(
                "deeply troubling",
                "The U.S. State Department said the pact was “<<deeply troubling>>” for the region.",
                "The U.S. State Department",
            ),
        ),
        # the mention stands in another sentence: not included
        ("Kyiv was silent", "Mr. Putin", StanceInput("Kyiv was silent", "<<Kyiv was silent>>.", None)),
        # no mention given
        ("Kyiv was silent", None, StanceInput("Kyiv was silent", "<<Kyiv was silent>>.", None)),
    ],
)
def test_quote_input(quote, mention, expected):
    start, end = _offsets(quote)
    if mention is None:
        assert quote_input(ARTICLE, start, end) == expected
    else:
        m_start, m_end = _offsets(mention, ARTICLE[: start + 200]) if mention != "he" else _offsets(" he ")
        if mention == "he":
            m_start, m_end = m_start + 1, m_end - 1
        assert quote_input(ARTICLE, start, end, m_start, m_end) == expected


def test_long_sentence_context_is_clipped_but_quote_kept_whole():
    text = " ".join(f"w{i}" for i in range(200)) + " said “" + "x " * 50 + "end” and " + " ".join("y" * 100) + "."
    start = text.index("x ")
    end = text.index("end”") + 3
    built = quote_input(text, start, end)
    assert built.quote in built.context
    assert len(built.context.split()) < 24 * 2 + 60


@pytest.mark.parametrize(
    "args, message",
    [
        ((5, 3), "start=5, end=3"),
        ((0, 10_000), "do not fit"),
        ((0, 3, 1, None), "both speaker_start and speaker_end"),
    ],
)
def test_quote_input_rejects_bad_offsets(args, message):
    with pytest.raises(ValueError, match=message):
        quote_input(ARTICLE, *args)


@pytest.mark.parametrize(
    "item, template, expected",
    [
        ("We will win.", DEFAULT_TEMPLATE, "<<We will win.>>"),
        (StanceInput("win", "we win, win now", None), DEFAULT_TEMPLATE, "we <<win>>, win now"),  # first occurrence marked
        (StanceInput("win", "he said “<<win>>”", "he"), DEFAULT_TEMPLATE, "he said “<<win>>”"),
        (StanceInput("win", "he said “<<win>>”", "he"), "{speaker} | {context}", "he | he said “<<win>>”"),
        (StanceInput("win", "“<<win>>”", None), "{speaker} | {context}", "“<<win>>”"),
        (StanceInput("lose", "they said nothing", None), DEFAULT_TEMPLATE, "they said nothing <<lose>>"),
        (StanceInput("lose", "they said nothing", "they"), "{quote}", "lose"),
    ],
)
def test_render_input(item, template, expected):
    assert render_input(item, template) == expected


def test_render_rejects_other_types():
    with pytest.raises(TypeError, match="expected a str or StanceInput but got int"):
        render_input(3)


@pytest.mark.parametrize("template", ["{speaker} | {context}", "{quote}", "{speaker}: {quote} [{context}]"])
def test_check_template_accepts(template):
    assert check_template(template) == template


@pytest.mark.parametrize("template, message", [("{role} {context}", "allowed are"), ("{speaker}", "must hold"), ("{", "not a valid")])
def test_check_template_rejects(template, message):
    with pytest.raises(ValueError, match=message):
        check_template(template)


def test_sentence_around_is_bounded_by_the_paragraph():
    start, end = _offsets("Kyiv was silent")
    s, e = sentence_around(ARTICLE, start, end)
    assert ARTICLE[s:e] == "Kyiv was silent."
