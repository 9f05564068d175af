"""Find quotation-mark spans in a paragraph: curly, straight, guillemets, „low-high“ and single quotes.

Marks are paired within one paragraph. A mark's role (opening or closing) comes from the characters
around it, so straight quotes and apostrophes are told apart without a parser; an odd number of marks
never raises: an unclosed double quote runs to the end of its paragraph, an unclosed single quote is
taken for an apostrophe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = "“„«‹\""
DOUBLE_CLOSE = "”“»›\""
CLOSING_MARKS = "”“»›\"’'‘\u2060"
SINGLE_OPEN = "‘'‚"
SINGLE_CLOSE = "’'‘"
ALL_MARKS = set(DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE)
_MARK = re.compile("[" + re.escape("".join(sorted(ALL_MARKS))) + "]")
_OPEN_BEFORE = set(" \t\u00a0([{—–―-/:;") | set("“„«‹‘‚\"'")
_CLOSE_AFTER = set(" \t\u00a0)]},.;:!?…—–―-/\u2060") | set("”»›’\"'")
# Leading apostrophes that are not opening quotes: '90s, 'n', 'em, 'til, 'cause, 'tis.
_LEADING_APOSTROPHE = re.compile(r"['’](?:\d0s|\d\d\b|n['’]|em\b|til\b|cause\b|tis\b|twas\b|s\b)", re.IGNORECASE)


_SAID = r"(?:said|says|added|adds|told|wrote|asked|insisted|stressed|continued|warned|declared|argued)"
_ATTRIBUTION_INSIDE = re.compile(
    r"[,!?](?=\s+(?:" + _SAID + r"\s+(?:[A-Z]|the\b|a\b|an\b|he\b|she\b)|(?:he|she|they|it)\s+" + _SAID
    + r"\b|(?:[A-Z][\w’'-]+\s+){1,3}" + _SAID + r"\b))"
)


@dataclass(frozen=True)
class MarkedSpan:
    """Content between an opening and a closing mark (both excluded), in paragraph-relative offsets."""

    start: int  # first content character
    end: int  # one past the last content character
    open_mark: str
    close_mark: str | None  # None when the quote runs unclosed to the paragraph's end
    family: str  # "double" or "single"


def _family(char: str) -> str:
    return "double" if char in DOUBLE_OPEN or char in DOUBLE_CLOSE else "single"


def _can_open(text: str, i: int) -> bool:
    char = text[i]
    if char == "”" and i == 0 and "”" in text[2:]:
        return True  # a paragraph that opens with the wrong curly mark: ”… he delivered a mix,” Barabak wrote.
    if char not in DOUBLE_OPEN and char not in SINGLE_OPEN:
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if char in "'’" and _LEADING_APOSTROPHE.match(text, i):
        return False
    if char in "«‹" and after in " \u00a0":
        return True  # French spacing: « texte »
    if after.isspace():
        return False
    if char in "„«‹‚":
        return True
    if char == "“":
        return before in _OPEN_BEFORE or before.isspace() or i == 0 or not before.isalnum()
    return before in _OPEN_BEFORE or before.isspace() or i == 0


def _can_close(text: str, i: int) -> bool:
    char = text[i]
    if char not in DOUBLE_CLOSE and char not in SINGLE_CLOSE:
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if char in "»›" and before in " \u00a0":
        return True
    if before.isspace() or i == 0:
        return False
    if char in "'’" and after.isalnum():
        return False  # Russia's, don't
    return after in _CLOSE_AFTER or after.isspace() or i + 1 == len(text) or not after.isalnum()


def _weak_single_close(text: str, i: int) -> bool:
    """A closing single mark that is more likely a plural possessive: "the soldiers' mothers"."""
    before = text[i - 1] if i > 0 else " "
    rest = text[i + 1 : i + 3]
    return before.lower() == "s" and len(rest) == 2 and rest[0] == " " and rest[1].islower()


def _closes(open_mark: str, close_mark: str) -> bool:
    pairs = {"“": "”“\"", "”": "”", "„": "“”\"", "«": "»", "‹": "›", "\"": "\"”“", "‘": "’'", "'": "'’", "‚": "‘’'"}
    return close_mark in pairs.get(open_mark, "")


_TWO_APOSTROPHES = "''"
_JOINER = "\u2060"


def find_marked_spans(paragraph: str, singles: bool = True) -> list[MarkedSpan]:
    """Pair the quotation marks of one paragraph into top-level spans (nested quotes stay inside).

    Two apostrophes ('') count as a straight double quote. With ``singles=False`` single quotes are
    only ever nested marks or apostrophes, never the outer marks of a quote (American style).
    """
    if _TWO_APOSTROPHES in paragraph:
        # same length, so offsets stay valid: '' -> " followed by an invisible joiner
        paragraph = paragraph.replace(_TWO_APOSTROPHES, '"' + _JOINER)
        spans = _find(paragraph, singles)
        return [_trim_joiner(paragraph, s) for s in spans]
    return _find(paragraph, singles)


def _trim_joiner(paragraph: str, span: MarkedSpan) -> MarkedSpan:
    start, end = span.start, span.end
    while start < end and paragraph[start] == _JOINER:
        start += 1
    while end > start and paragraph[end - 1] == _JOINER:
        end -= 1
    close = span.close_mark
    return MarkedSpan(start, end, span.open_mark, close, span.family)


def _find(paragraph: str, singles: bool) -> list[MarkedSpan]:
    spans: list[MarkedSpan] = []
    n = len(paragraph)
    i = 0
    while i < n:
        found = _MARK.search(paragraph, i)
        if found is None:
            break
        i = found.start()
        char = paragraph[i]
        if not _can_open(paragraph, i):
            i += 1
            continue
        family = _family(char)
        if family == "single" and not singles:
            i += 1
            continue
        close = _find_close(paragraph, i, family)
        if close is None:
            if family == "single":
                i += 1
                continue
            # Unclosed double quote: content runs to the next opener of its kind or the paragraph's end,
            # unless an attribution ("..., said X") shows where the closing mark was forgotten.
            end = _next_opener(paragraph, i + 1, char)
            attribution = _ATTRIBUTION_INSIDE.search(paragraph, i + 1, end)
            if attribution is not None:
                end = attribution.start() + 1
            content_end = end
            while content_end > i + 1 and paragraph[content_end - 1].isspace():
                content_end -= 1
            if content_end > i + 1:
                spans.append(MarkedSpan(i + 1, content_end, char, None, family))
            i = end
            continue
        if close > i + 1:
            spans.append(MarkedSpan(i + 1, close, char, paragraph[close], family))
        i = close + 1
    return spans


def _next_opener(text: str, start: int, open_mark: str) -> int:
    for j in range(start, len(text)):
        if text[j] == open_mark and _can_open(text, j) and (open_mark != '"' or not _can_close(text, j)):
            return j
    return len(text)


def _find_close(text: str, open_at: int, family: str) -> int | None:
    """Index of the mark closing the quote opened at ``open_at``, skipping nested quotes of the other family."""
    open_mark = text[open_at]
    weak: int | None = None
    j = open_at + 1
    while j < len(text):
        found = _MARK.search(text, j)
        if found is None:
            break
        j = found.start()
        char = text[j]
        if char in "'’" and _LEADING_APOSTROPHE.match(text, j) and j > 0 and text[j - 1].isspace():
            j += 3 if text[j + 1 : j + 3] in ("n'", "n’") else 1  # rock 'n' roll, the '80s
            continue
        if char in ALL_MARKS:
            if _family(char) == family:
                if _closes(open_mark, char) and _can_close(text, j):
                    if family == "single" and _weak_single_close(text, j):
                        weak = j if weak is None else weak
                    else:
                        return j
                elif family == "double" and char == open_mark and _can_open(text, j) and (
                        char != '"' or not _can_close(text, j)):
                    return None  # a new quote opens before this one closed: this one is unclosed
            elif family == "double" and char in SINGLE_OPEN and _can_open(text, j):
                inner = _find_close(text, j, "single")
                if inner is not None:
                    j = inner + 1
                    continue
            elif family == "single" and char in DOUBLE_OPEN and _can_open(text, j):
                inner = _find_close(text, j, "double")
                if inner is not None:
                    j = inner + 1
                    continue
        j += 1
    return weak
