"""Paragraphs, sentences and word tokens with character offsets into the text as given."""

from __future__ import annotations

import re

from stance.lexicon import ADVERB_AUXILIARIES, LISTENER_VERBS, REPORTING_VERBS, ROLE_NOUNS

_STOP = re.compile(r"[.!?…]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TOKEN = re.compile(r"[^\W_]+(?:[’'\-.][^\W_]+)*(?:[’']s\b)?\.?|[^\w\s]", re.UNICODE)
# reporting verbs that, first in the words after a full-stopped quote, open a new sentence rather than attribute it
_NOT_ATTRIBUTING = frozenset("""start starts started begin begins began begun go goes went open opens opened close closes
    closed end ends ended finish finishes finished wrap wraps wrapped rule rules ruled brush brushes brushed charge charges
    charged attack attacks attacked point points pointed question questions questioned detail details detailed thank
    thanks thanked fear fears feared hope hopes hoped expect expects expected believe believes believed think thinks
    thought feel feels felt doubt doubts doubted""".split())
_OPENING_MARKS = "“\"‘'«„"
# words that make what follows a reporting verb a clause, not the rest of an attribution
_CLAUSE_SIGNS = frozenset("that would will could should can may might must had has have was were is are did does".split())
# words that open the rest of an attribution after its verb, not a clause ("said on Tuesday", "said in a statement")
_TAIL_OPENERS = frozenset("""on in at during after before to from with by via through over late early later as while when
    it nothing so this""".split())  # "said it quietly", "said nothing more"
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt maj adm gov sen rep st jr sr fr no vs etc inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m""".split()
)


class Token:
    """A word or punctuation token with absolute offsets; lower-case form and shape computed once."""

    __slots__ = ("text", "start", "end", "lower", "is_capitalised", "is_word")

    def __init__(self, text: str, start: int, end: int):
        self.text = text
        self.start = start
        self.end = end
        self.lower = text.lower()
        self.is_capitalised = text[:1].isupper()
        self.is_word = text[:1].isalnum()

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line; a paragraph's index is its position in this list."""
    spans = []
    pos = 0
    for match in _LINE_BREAK.finditer(text):
        if text[pos : match.start()].strip():
            spans.append((pos, match.start()))
        pos = match.end()
    if text[pos:].strip():
        spans.append((pos, len(text)))
    return spans


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word and punctuation tokens of ``text[start:end]`` with absolute offsets.

    A word's trailing period is kept only for known abbreviations and initials ("Mr.", "U.S.", "J.").
    """
    end = len(text) if end is None else end
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text, start, end):
        word = match.group()
        s, e = match.start(), match.end()
        if len(word) > 1 and word.endswith(".") and word[0].isalnum():
            stem = word[:-1].lower()
            if stem not in _ABBREVIATIONS and not (len(stem) == 1 and stem.isalpha()):
                tokens.append(Token(word[:-1], s, e - 1))
                tokens.append(Token(".", e - 1, e))
                continue
        tokens.append(Token(word, s, e))
    return tokens


def sentence_ends(text: str, start: int, end: int, masked: list[tuple[int, int]]) -> list[int]:
    """Offsets where sentences end inside ``text[start:end]``, ignoring stops inside ``masked`` spans.

    A sentence ends after ., ! or ? (and any closing marks or brackets right after it) when whitespace
    and an upper-case letter, digit or opening mark follow, unless the word before is an abbreviation.
    """
    ends: list[int] = []
    mask_iter = sorted(masked)
    m = 0
    resume = start
    for stop in _STOP.finditer(text, start, end):
        i = stop.start()
        if i < resume:
            continue
        while m < len(mask_iter) and mask_iter[m][1] <= i:
            m += 1
        if m < len(mask_iter) and mask_iter[m][0] <= i < mask_iter[m][1] and not (
                _ends_mask(text, i, mask_iter[m][1]) and _new_sentence_after(text, mask_iter[m][1], end)):
            continue  # a stop inside a quote, unless it ends the quote and a sentence starts after it
        char = text[i]
        j = i + 1
        while j < end and text[j] in ".!?…”’\"')]»":
            j += 1
        if j >= end:
            break
        if text[j].isspace():
            k = j
            while k < end and text[k].isspace():
                k += 1
            if k < end and (text[k].isupper() or text[k].isdigit() or text[k] in "“\"‘'«„(—–"):
                word_start = i
                while word_start > start and (text[word_start - 1].isalnum() or text[word_start - 1] == "."):
                    word_start -= 1
                word = text[word_start:i].lower()
                if char != "." or (word not in _ABBREVIATIONS and not (len(word) == 1 and word.isalpha())):
                    ends.append(j)
        resume = j
    ends.append(end)
    return ends


def _ends_mask(text: str, i: int, mask_end: int) -> bool:
    """True when a full stop at ``i`` ends its quote (only closing marks after it); "?" and "!" are often
    followed by the attribution ("“... in January?” Brenda Ashworth, a pensioner, asked")."""
    return text[i] == "." and all(c in "”’\"'»" for c in text[i + 1 : mask_end]) and mask_end > i + 1


def _new_sentence_after(text: str, at: int, end: int) -> bool:
    """'“... conquest.” She suggested that ...': the words after a closed quote that ends with a full stop open
    a new sentence, or another quote does; not the quote's own attribution in careless copy ('“... win.”
    Kremlin spokesman Dmitry Peskov told reporters.', '“...” Natalia, 72, said quietly.'): a reporting verb
    with no clause after it (no "that", no auxiliary)."""
    rest = text[at:end].lstrip()
    if rest[:1] in _OPENING_MARKS:
        return True
    if not rest[:1].isupper():
        return False
    words, cased = [], []
    for raw in rest.split()[:16]:
        word = raw.strip("“”\"'‘’«»(),;:")
        bare = word.rstrip(".!?")
        words.append(bare.lower())
        cased.append(bare)
        if word != bare and bare.lower() not in _ABBREVIATIONS and len(bare) > 1:
            break  # the end of the next sentence
    verb = next((k for k, w in enumerate(words[:8]) if w in REPORTING_VERBS and not w.endswith("ing")), None)
    if verb is None or words[verb] in _NOT_ATTRIBUTING:
        return True  # "Then the shelling started again.", "Ivan Petrov began his speech with a warning."
    before = verb - 1
    while before > 0 and (words[before] in ADVERB_AUXILIARIES or words[before].endswith("ly")):
        before -= 1  # "The commander later wrote."
    subject = cased[before] if verb and before == 1 and words[0] in ("the", "a", "an", "this") else ""
    if subject.isalpha() and subject.islower() and subject not in ROLE_NOUNS:
        return True  # "The war continued.": a thing that cannot have said the quote
    tail = words[verb + 1 :]
    if any(w in _CLAUSE_SIGNS for w in tail):
        return True
    # "said the boy died overnight" is a clause; "said quietly", "said on Tuesday", "told reporters" are not
    return (words[verb] not in LISTENER_VERBS and len(tail) >= 2 and tail[0] not in _TAIL_OPENERS
            and not tail[0].endswith("ly"))
