"""The one model input: a quote marked inside the sentence it stands in, with its speaker mention.

Training and inference both go through :func:`quote_input` (article text + offsets -> ``StanceInput``)
and :func:`render_input` (``StanceInput`` + template -> the string the tokenizer reads), so a model
never sees at inference an input built differently from the ones it learnt on. The template travels
with the saved model (``stance_config.json``). Role and affiliation are never part of it.

Sentence finding is a small regex pass (no NLP model): it runs on every quote and must stay fast.
"""

from __future__ import annotations

import re
import string
from typing import Iterator

from stance.types import StanceInput

#: Default template: ``{context}`` is the sentence with the quote between :data:`QUOTE_OPEN` and
#: :data:`QUOTE_CLOSE`; it already holds the speaker mention when the sentence does. ``{speaker}`` (the
#: mention, "" when the sentence does not hold it) can be repeated up front, e.g. "{speaker} | {context}",
#: but on validation that did worse (0.849 vs 0.872 macro-F1): it invites learning who speaks, not what
#: they say.
DEFAULT_TEMPLATE = "{context}"
QUOTE_OPEN = "<<"
QUOTE_CLOSE = ">>"
TEMPLATE_FIELDS = ("speaker", "context", "quote")

#: Words of sentence context kept on each side of the quote; keeps the input near 96 tokens while the
#: quote itself is never cut before the tokenizer's own truncation.
CONTEXT_WORDS = 24

_CLOSERS = "\"'”’»)]"
# A sentence ends after . ! ? or … (plus any closing quotes/brackets) followed by whitespace and
# something that can start a sentence; a newline always ends one (paragraphs are lines).
_BOUNDARY_RE = re.compile(r"(?<=[.!?…])([" + re.escape(_CLOSERS) + r"]*)\s+(?=[\"'“‘«(\[A-Z0-9А-ЯЁ])|\n+")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st gen col lt sgt capt maj adm gov sen rep pres jr sr vs etc inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u i.e e.g".split()
)


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` of each sentence of ``text`` (whitespace trimmed, offsets into ``text``)."""
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        if match.group(0)[0] != "\n" and _is_abbreviation(text, match.start()):
            continue
        yield from _trimmed(text, start, match.start() + len(match.group(1) or ""))
        start = match.end()
    yield from _trimmed(text, start, len(text))


def _is_abbreviation(text: str, end: int) -> bool:
    """True when the '.' ending at ``end`` closes an abbreviation ("Mr.", "U.S.") or an initial ("J.")."""
    if text[end - 1] != ".":
        return False
    word_start = max(text.rfind(" ", 0, end - 1), text.rfind("\n", 0, end - 1)) + 1
    word = text[word_start : end - 1].lstrip("\"'“‘«(").lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span from the start of the sentence holding ``start`` to the end of the one holding ``end``.

    A quote that runs over several sentences gets all of them; the search is limited to the quote's
    paragraph so it costs the same on a long article as on a short one.
    """
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    sent_start, sent_end = start, end
    for s, e in sentence_spans(text[para_start:para_end]):
        s, e = s + para_start, e + para_start
        if s <= start < e:
            sent_start = s
        if s < end <= e:
            sent_end = e
            break
    # A quote touching a boundary (e.g. starting right after the split point) keeps itself whole.
    return min(sent_start, start), max(sent_end, end)


def quote_input(
    text: str,
    start: int,
    end: int,
    speaker_start: int | None = None,
    speaker_end: int | None = None,
) -> StanceInput:
    """Build the classifier input for the quote ``text[start:end]`` of an article.

    ``context`` is the sentence(s) the quote stands in, with the quote marked by :data:`QUOTE_OPEN` /
    :data:`QUOTE_CLOSE`; ``speaker`` is the mention ``text[speaker_start:speaker_end]`` when that
    sentence holds it, else ``None`` (a mention paragraphs away says little about this sentence).
    """
    if not 0 <= start < end <= len(text):
        raise ValueError(f"quote offsets start={start}, end={end} do not fit a text of {len(text)} characters")
    if (speaker_start is None) != (speaker_end is None):
        raise ValueError(
            f"give both speaker_start and speaker_end or neither, got speaker_start={speaker_start}, "
            f"speaker_end={speaker_end}"
        )
    sent_start, sent_end = sentence_around(text, start, end)
    before = _clip_words(text[sent_start:start], CONTEXT_WORDS, keep="end")
    after = _clip_words(text[end:sent_end], CONTEXT_WORDS, keep="start")
    quote = text[start:end]
    context = f"{before}{QUOTE_OPEN}{quote}{QUOTE_CLOSE}{after}"
    speaker = None
    if speaker_start is not None and speaker_end is not None and speaker_end > speaker_start:
        if sent_start <= speaker_start and speaker_end <= sent_end:
            speaker = " ".join(text[speaker_start:speaker_end].split())
    return StanceInput(quote=quote, context=" ".join(context.split()), speaker=speaker)


def _clip_words(piece: str, limit: int, keep: str) -> str:
    words = piece.split(" ")
    if len(words) <= limit + 1:
        return piece
    return " ".join(words[-limit:] if keep == "end" else words[:limit])


def render_input(item: StanceInput | str, template: str = DEFAULT_TEMPLATE) -> str:
    """The exact string the tokenizer reads for one input.

    A plain string (or a ``StanceInput`` without context) is the quote alone, marked as in a sentence.
    A context that does not already carry the quote markers gets them around the quote when it holds
    it, so hand-made ``StanceInput(quote, context)`` records read like the ones :func:`quote_input` makes.
    """
    if isinstance(item, str):
        item = StanceInput(quote=item)
    elif not isinstance(item, StanceInput):
        raise TypeError(f"expected a str or StanceInput but got {type(item).__name__}: {item!r:.80}")
    context = item.context
    if not context:
        context = f"{QUOTE_OPEN}{item.quote}{QUOTE_CLOSE}"
    elif QUOTE_OPEN not in context:
        at = context.find(item.quote)
        if at >= 0:
            context = f"{context[:at]}{QUOTE_OPEN}{item.quote}{QUOTE_CLOSE}{context[at + len(item.quote):]}"
        else:
            context = f"{context} {QUOTE_OPEN}{item.quote}{QUOTE_CLOSE}"
    rendered = template.format(speaker=item.speaker or "", context=context, quote=item.quote)
    return rendered.strip(" |")


def check_template(template: str) -> str:
    """Return ``template`` if it names only known fields and holds ``{context}`` or ``{quote}``."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as err:
        raise ValueError(f"template={template!r} is not a valid format string: {err}") from err
    unknown = names - set(TEMPLATE_FIELDS)
    if unknown or not names & {"context", "quote"}:
        raise ValueError(
            f"template={template!r} uses fields {sorted(names)}; allowed are {list(TEMPLATE_FIELDS)} "
            "and it must hold {context} or {quote}"
        )
    return template
