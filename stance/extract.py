"""Rule-based quote extraction with speaker attribution: ``extract_quotes(text) -> list[Quote]``.

Direct and partial quotes come from paired quotation marks; indirect quotes from reporting clauses
("X said that ...", "according to X, ..."). Each quote is attributed through the reporting verb next to
it, or, for a paragraph that is only a quote, through the quote it continues. Speakers are resolved to
one canonical name per article by `stance.speakers`. Offsets always index the text exactly as given.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field

from stance.lexicon import (
    DETERMINERS, LISTENER_VERBS, REPORTING_VERBS, ROLE_NOUNS, STRONG_REPORTING_VERBS, SUBJECT_PRONOUNS, VERB_AUXILIARIES,
)
from stance.quotemarks import CLOSING_MARKS, MarkedSpan, find_marked_spans
from stance.speakers import (
    AUXILIARIES, CAPITAL_METONYMS, NAME_PARTICLES, NOT_NAMES, OBJECT_PRONOUNS, POSSESSIVE, REGIONS, Mention,
    SpeakerResolver, collect_names, common_words, head_noun, is_organisation_word, is_name_token, is_person_head, is_title,
    organisation_link,
    mention_from_tokens,
)
from stance.lexicon import NATIONALITY_WORDS, ORGANISATION_WORDS, PLACE_WORDS, POSTER_NOUNS, TITLE_WORDS
from stance.text import Token, paragraphs, sentence_ends, tokenize
from stance.types import Quote, Span, Speaker

logger = logging.getLogger(__name__)

QUOTE_TOKEN = "\x00Q"
#: Before a capitalised run, these make it a place, not a person a later pronoun can mean.
_PLACE_PREPOSITIONS = frozenset("in at from near inside outside across around throughout".split())
#: Languages that are not also nationality words ("wrote a user in English").
_LANGUAGES = frozenset("english spanish arabic hindi".split())
_CLAUSE_STOP = frozenset(
    """not even only also asked speaking who whom whose which meanwhile however separately earlier later yesterday today tonight still now here there instead
    speaking asked but and or so yet while when after before since because although though if as in on
    at by for with from to of into about over under during despite amid""".split()
)
_LISTENERS = frozenset("reporters journalists parliament lawmakers viewers listeners students delegates me us them "
                       "him her lawmakers senators deputies colleagues supporters crowds mourners".split())
_TITLE_SMALL_WORDS = frozenset("a an the of on in and or for to at by with from".split())
_NP_PREPOSITIONS = frozenset("for of at from with in on near".split())
_OF_ROLE = _NP_PREPOSITIONS | {"to"}  # "ambassador to Russia, Hwangbo Chol-min,": the place belongs to the role
_COPULAS = frozenset("is was were are has had have will would could should may might must can".split())
_BE_FORMS = frozenset("is was were are been be being".split())
_MODALS = frozenset("will would could should may might must can".split())
_CLAUSE_VERBS = frozenset("said says told tells added adds".split())  # always followed by what was said
# verbs of saying that make the subject of a reported clause a speaker in turn: "... that his father had called it “...”"
_INNER_SPEECH = frozenset("""said says told tells called calls described describes dubbed labelled labeled branded termed
    claimed claims warned warns wrote writes written declared promised vowed urged asked chanted yelled shouted screamed
    cried posted tweeted texted""".split())
_PREPOSITIONS = frozenset("in on at during after before to from with by via through over".split())
# texts that "call for" or "make clear" something without anyone speaking ("The resolution calls for ...")
# weak verbs that still report the clause before them ("Twelve of the names were of children, the agency wrote.")
_WRITTEN = frozenset("wrote writes posted posts reported reports published publishes commented comments replied replies".split())
_TOLD_THINGS = frozenset("story stories tale tales truth history details news joke jokes".split())
_WH_WORDS = frozenset("where whether why how what when who which if".split())
_PHRASE_CUE_VERBS = frozenset("called calls call made makes make".split())
_DOCUMENTS = frozenset("resolution resolutions plan plans bill bills draft proposal video law treaty agreement text motion deal".split())
_PASSIVE_AUXILIARIES = frozenset("is are was were be been being".split())
_NOUN_AFTER = frozenset("on in at for with from of about via".split())  # prepositions before a noun, not a verb
_SHORT_UNATTRIBUTED_WORDS = 3
# adjectives that make the next verb form a noun: "a second post", "a joint statement", "the latest report"
_NOUN_ADJECTIVES = frozenset("first second third last next latest new final separate joint written".split())
# verbs (beside reporting verbs and "-ed" forms) that show a lone capitalised word is a subject: "Peskov spoke"
_COMMON_VERBS = frozenset("met spoke was is has had went came made took gave left sent won lost flew held kept brought "
                          "visited signed arrived returned became remains remained".split())
# a capitalised number opens a sentence, it names no one: "Twenty kilometres south, ..."
_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
                          "fifty sixty seventy eighty ninety hundred thousand million dozens hundreds thousands".split())
_MAX_NP_TOKENS = 14
# words that leave a clause open before a parenthetical attribution: "..., where, she told viewers, ..."
_RELATIVE_WORDS = frozenset("where which that who whom when while because and but".split())
_ROLE_ADJECTIVES = frozenset("local regional senior top foreign military federal city government state national "
                             "some many other several two three".split())
_SUBORDINATORS = frozenset("when if as after before while although though because since once unless until whether".split())
_SENTENCE_ADVERBS = frozenset("however though meanwhile nonetheless nevertheless moreover again too also".split())


@dataclass
class _Marked:
    span: MarkedSpan
    start: int  # absolute content start
    end: int
    open_at: int  # absolute offset of the opening mark
    close_at: int | None  # absolute offset of the closing mark
    paragraph: int


@dataclass
class _Found:
    start: int
    end: int
    kind: str
    paragraph: int
    mention: Mention | None = None
    cue: Span | None = None
    inherit_from: "_Found | None" = None
    same_group_as: "_Found | None" = None
    speaker: Speaker | None = None
    tags: list[str] = field(default_factory=list)
    hidden: bool = False  # a speaker with no statement ("X dismissed the speech."): not output, but later quotes' speaker


def extract_quotes(text: str) -> list[Quote]:
    """Every quote in ``text`` with its speaker, in document order.

    ``text[q.start:q.end] == q.text`` for every quote. Never raises on odd or unbalanced quotation
    marks; returns ``[]`` for empty or whitespace-only text.
    """
    if not isinstance(text, str):
        hint = " (decode it first, e.g. text.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""
        raise TypeError(f"extract_quotes() argument 'text' must be str, not {type(text).__name__}{hint}")
    if not text.strip():
        return []
    _warn_if_not_latin(text)
    return _Extractor(text).run()


def _warn_if_not_latin(text: str) -> None:
    letters = [c for c in text[:5000] if c.isalpha()]
    if not letters:
        return
    latin = sum(1 for c in letters if c < "\x80" or "LATIN" in unicodedata.name(c, ""))  # ASCII needs no look-up
    if latin / len(letters) < 0.5:
        logger.warning("text is mostly not in Latin script: stance supports English news only; results will be poor")


def _is_verb(token: Token, strong_only: bool = False, previous: Token | None = None,
             following: Token | None = None, two_back: Token | None = None) -> bool:
    word = token.lower
    if token.is_capitalised or word not in (STRONG_REPORTING_VERBS if strong_only else REPORTING_VERBS):
        return False  # "States", "Said" in a name: verbs of attribution are lower-case in running text
    if (two_back is not None and (two_back.lower in ("a", "an", "the") or POSSESSIVE.search(two_back.text))
            and previous is not None and previous.is_word
            and not previous.is_capitalised and not word.endswith(("ed", "s")) and word not in ("said", "told", "wrote")):
        return False  # "struck a sombre note", "the official statement": a noun after its adjective
    if previous is not None and previous.lower in _NOUN_AFTER:
        return False  # "On state radio", "in comments to reporters", "for comment": a noun after its preposition
    past = word.endswith("ed") or word in ("said", "told", "wrote")  # never nouns: "officials in Kyiv said"
    if previous is not None and (previous.lower in DETERMINERS or previous.lower.endswith(("’s", "'s"))
                                 or (previous.lower in NATIONALITY_WORDS or previous.lower in _NOUN_ADJECTIVES) and not past):
        return False  # "a signal that", "the report", "Kyiv's warning", "the Russian claims", "a second post": nouns
    if following is not None and following.lower in _COPULAS:
        return False  # "Kim's mental state is ...": a noun followed by its verb
    if (following is not None and not past and not word.endswith("ing") and not following.is_capitalised
            and (following.lower in ROLE_NOUNS or following.lower.endswith(("’s", "'s")))
            and (not word.endswith("s") or previous is not None and previous.is_word and not previous.is_capitalised
                 and previous.lower not in ROLE_NOUNS and previous.lower not in SUBJECT_PRONOUNS)):
        return False  # "state secretary", "a former signals officer" (but "Zelensky tells lawmakers" is a verb)
    return True


def _verb_at(tokens: list[Token], j: int) -> bool:
    """:func:`_is_verb` for ``tokens[j]`` read with the two words before it and the one after it."""
    if tokens[j].lower not in REPORTING_VERBS:
        return False  # most words: no context needed (this runs on every token of every sentence)
    return _is_verb(tokens[j], previous=tokens[j - 1] if j else None,
                    following=tokens[j + 1] if j + 1 < len(tokens) else None, two_back=tokens[j - 2] if j > 1 else None)


def _organisation_link(tokens: list[Token], j: int, np: list[Token]) -> int:
    """How many tokens at ``j`` ("for", "for the", "on") join a capitalised organisation word at the end of
    ``np`` to the capitalised rest of its name ("Institute for the Study of War"); 0 when they do not."""
    if not np or not np[-1].is_capitalised or not is_organisation_word(np[-1].text) or tokens[j].lower not in ("for", "on"):
        return 0
    link = 2 if j + 1 < len(tokens) and tokens[j + 1].lower == "the" else 1
    after = tokens[j + link] if j + link < len(tokens) else None
    return link if after is not None and is_name_token(after) and after.lower.rstrip(".") not in NOT_NAMES else 0  # not "on Monday"


_AGE = re.compile(r"\d+-year-old")


def _is_np_word(token: Token) -> bool:
    low = token.lower.rstrip(".")
    if low.endswith(("’s", "'s")) or _AGE.fullmatch(low):
        return True  # "Kyiv's mayor", "67-year-old Halyna Kovalenko"
    return (
        is_name_token(token) and low not in _CLAUSE_STOP
    ) or low in TITLE_WORDS or low in NATIONALITY_WORDS or low in ROLE_NOUNS or low in NAME_PARTICLES


class _Extractor:
    def __init__(self, text: str):
        self.text = text
        self.paragraphs = paragraphs(text)
        self.headlines = {i for i, (a, b) in enumerate(self.paragraphs) if _is_headline(text[a:b])}
        pieces, at = [], 0  # the text with its headlines blanked out, so that offsets stay the text's
        for a, b in sorted(self.paragraphs[i] for i in self.headlines):
            pieces += [text[at:a], " " * (b - a)]
            at = b
        body = "".join(pieces) + text[at:]
        known, by_first, first_given = collect_names(body)
        self.resolver = SpeakerResolver(known, by_first, common_words(body), first_given)
        self.found: list[_Found] = []
        self.last_speaker_quote: _Found | None = None
        self.colon_lead: tuple[int, Mention, Span | None] | None = None  # "Caddell continued:" ending a paragraph
        self._subject_of: tuple[list[Token], Mention | None] | None = None  # the last sentence's tokens and subject
        # the person a quote-less sentence was about ("Corinne Tschanz answered in measured terms."), by paragraph
        self.previous_subject: tuple[int, Mention] | None = None

    # -- driving -------------------------------------------------------------------------------
    def run(self) -> list[Quote]:
        previous_unclosed: _Found | None = None
        spans = [(p_start, p_end, find_marked_spans(self.text[p_start:p_end])) for p_start, p_end in self.paragraphs]
        # British style (single outer marks) only where single-quoted spans outnumber double-quoted ones;
        # elsewhere single quotes are nested quotes, headlines' scare quotes or apostrophes.
        families = [s.family for _, _, found in spans for s in found]
        singles = families.count("single") > families.count("double")
        for index, (p_start, p_end, found) in enumerate(spans):
            if not singles:
                paragraph = self.text[p_start:p_end]
                doubles = find_marked_spans(paragraph, singles=False)
                found = sorted(doubles + [s for s in found if s.family == "single" and _clear_single_quote(paragraph, s)
                                          and not any(d.start <= s.start < d.end for d in doubles)], key=lambda s: s.start)
            marked = [
                _Marked(s, p_start + s.start, p_start + s.end, p_start + s.start - 1,
                        p_start + s.end if s.close_mark else None, index)
                for s in found
            ]
            masks = [(m.open_at, (m.close_at + 1) if m.close_at is not None else m.end) for m in marked]
            bounds = sentence_ends(self.text, p_start, p_end, masks)
            sentence_start = p_start
            paragraph_found: list[_Found] = []
            for sentence_end in bounds:
                inside = [m for m in marked if sentence_start <= m.open_at < sentence_end]
                paragraph_found += self._sentence(sentence_start, sentence_end, inside, index, paragraph_found,
                                                  previous_unclosed, p_start)
                sentence_start = sentence_end
            previous_unclosed = None
            if marked and marked[-1].close_at is None and paragraph_found and paragraph_found[-1].start == marked[-1].start:
                previous_unclosed = paragraph_found[-1]
        return self._finish()

    def _sentence(self, start: int, end: int, marked: list[_Marked], paragraph: int, earlier: list[_Found],
                  previous_unclosed: _Found | None, paragraph_start: int) -> list[_Found]:
        tokens = self._masked_tokens(start, end, marked)
        if tokens and paragraph not in self.headlines:
            self._note_people(tokens)
        results: list[_Found] = []
        sentence_mention: Mention | None = None
        sentence_cue: Span | None = None
        for m in marked:
            qi = next(i for i, t in enumerate(tokens) if t.text == QUOTE_TOKEN and t.start == m.open_at)
            found = self._marked_quote(tokens, qi, m, paragraph)
            if found.mention is None and sentence_mention is not None and found.kind == "partial":
                found.mention, found.cue = sentence_mention, sentence_cue
            if found.mention is None:
                only_quote = all(t.text == QUOTE_TOKEN or not t.is_word for t in tokens) and len(marked) == 1
                starts_paragraph = m.open_at == paragraph_start
                short = len(self.text[m.start:m.end].split()) <= _SHORT_UNATTRIBUTED_WORDS and len(marked) > 1  # “Kyiv”, “Lviv”
                lead = (self.colon_lead if starts_paragraph and not short and self.colon_lead
                        and self.colon_lead[0] == paragraph - 1 else None)
                if lead is not None:  # "Caddell continued:" closed the paragraph before
                    found.mention, found.cue = lead[1], lead[2]
                    found.kind = "direct"
                elif previous_unclosed is not None and starts_paragraph:
                    found.inherit_from = previous_unclosed
                    found.same_group_as = previous_unclosed
                    found.kind = "direct"
                    found.tags.append("multi-paragraph")
                elif only_quote and (earlier or results):
                    before = (earlier + results)[-1]
                    found.inherit_from = before
                    found.same_group_as = before
                    found.tags.append("split")
                elif only_quote and self.previous_subject is not None and self.previous_subject[0] == paragraph:
                    # "Salamata Kondombo, who runs a women's association, was less forgiving. “...”" (after an
                    # earlier quote the quote stays its speaker's: "“...,” said X. Her neighbour helped. “...”")
                    found.mention = self.previous_subject[1]
                    found.tags.append("floating")
                elif only_quote and starts_paragraph and self.last_speaker_quote is not None:
                    found.inherit_from = self.last_speaker_quote
                    found.tags.append("floating")
                elif (not only_quote and (found.kind == "partial" or _after_colon(tokens, m) and self._introduced_subject(tokens))
                      and self._speaking_subject(tokens, m) is not None):
                    # "Trump likened them to a “vicious snake”"; "Annika Rothmaler shot back: “We warned them.”"
                    found.mention = self._speaking_subject(tokens, m)
                elif not only_quote and _after_colon(tokens, m) and (pronoun := _pronoun_before_colon(tokens, m)) is not None:
                    found.mention = mention_from_tokens([pronoun], self.text)  # "At a second session he went further: “...”"
                elif not only_quote and len(self.text[m.start:m.end].split()) <= _SHORT_UNATTRIBUTED_WORDS:
                    continue  # a scare quote, a title or a name in marks, not speech
            else:
                sentence_mention, sentence_cue = found.mention, found.cue
                if (previous_unclosed is not None and m.open_at == paragraph_start and previous_unclosed.speaker is None
                        and previous_unclosed.kind == "direct"):
                    # "“We held the line. ¶ “On the fourth day the tanks came,” he said.": one quote, its speaker
                    # given at its end
                    found.same_group_as = previous_unclosed
                    found.tags.append("multi-paragraph")
            results.append(found)
        results += self._indirect(tokens, paragraph, results)
        if not marked and len(tokens) > 1 and tokens[-1].text == ":" and paragraph not in self.headlines:
            lead = self._attribution_before(tokens, len(tokens) - 1)  # a reporting verb: not "Partial transcript:"
            self.colon_lead = (paragraph, *lead) if lead is not None else None
        subject = self._sentence_subject(tokens) if tokens and not marked and not results else None
        if subject is not None and (not self._one_speaker(tokens, subject) or _acted_upon(tokens, subject)):
            subject = None  # "Police detained Ivan Horak", "Mykola was killed", "A journalist asked him": not the next voice
        self.previous_subject = (paragraph, subject) if subject is not None else None
        if (subject is not None and subject.form == "descriptor" and not _appositive_of_name(tokens, subject)
                and paragraph not in self.headlines):
            self.resolver.resolve(subject, subject.start)  # "A caller from Tula was blunter. “...,” he said."
        results.sort(key=lambda f: f.start)
        for found in results:
            self._attribute(found)
        return results

    @staticmethod
    def _speaks(subject: Mention | None) -> bool:
        """False for a subject that cannot make a statement: a document or a thing ("The peace plan", "The
        video"); a name, a pronoun, a role or no subject found ("... and called for talks") may."""
        return subject is None or subject.form != "descriptor" or (head_noun(subject.text) in ROLE_NOUNS
                                                                    and head_noun(subject.text) not in _DOCUMENTS)

    def _one_speaker(self, tokens: list[Token], subject: Mention) -> bool:
        """A subject that reads as one person who may speak next: "Corinne Tschanz", "she", "a caller from
        Tula"; not a body, a country or a group ("Gazprom", "Russia", "Volunteers from Lviv")."""
        if subject.form == "pronoun":
            return subject.text.lower() in ("he", "she")
        if subject.form == "descriptor":
            return _one_person(subject)
        return self.resolver.is_known_person(subject) and self._may_speak(tokens, subject)

    def _may_speak(self, tokens: list[Token], subject: Mention) -> bool:
        """A name or role subject that reads as someone who may speak: a person's or a body's name, or a role
        ("a caller from Tula", "the ministry"); not "Prices", "The shelling" or "Moscow"."""
        if subject.form == "descriptor":
            return head_noun(subject.text) in ROLE_NOUNS  # posters too: "a user in Riga"
        name = (subject.name or "").lower()
        return (_introduced(tokens, subject, self.resolver, verb_needed=False) and name not in CAPITAL_METONYMS
                and not any(w in PLACE_WORDS or w in NATIONALITY_WORDS for w in name.split()))

    def _masked_tokens(self, start: int, end: int, marked: list[_Marked]) -> list[Token]:
        tokens: list[Token] = []
        pos = start
        for m in marked:
            tokens += tokenize(self.text, pos, m.open_at)
            close = (m.close_at + 1) if m.close_at is not None else m.end
            tokens.append(Token(QUOTE_TOKEN, m.open_at, close))
            pos = close
        tokens += tokenize(self.text, pos, end)
        return _drop_parentheticals(tokens)

    # -- marked quotes --------------------------------------------------------------------------
    def _marked_quote(self, tokens: list[Token], qi: int, m: _Marked, paragraph: int) -> _Found:
        content = self.text[m.start : m.end]
        found = _Found(m.start, m.end, "partial", paragraph)
        if m.close_at is None:
            found.tags.append("unclosed")
        if qi > 0 and tokens[qi - 1].text == ":":  # "X said: “...”" is X's, whatever follows the quote
            left = self._attribution_before(tokens, qi)
            right = None if left else self._attribution_after(tokens, qi)
        else:
            right = self._attribution_after(tokens, qi)
            left = None if right else self._attribution_before(tokens, qi)
        mention, cue = right or left or (None, None)
        found.mention, found.cue = mention, cue
        left_tokens = [t for t in tokens[:qi] if t.text != QUOTE_TOKEN]
        starts_unit = not left_tokens or left_tokens[-1].text in (":", ",", "—", "–", "-") or _is_verb(left_tokens[-1])
        first = content.lstrip("…. ")[:1]
        if starts_unit and (first.isupper() or first.isdigit() or (left_tokens and left_tokens[-1].text == ":")):
            found.kind = "direct"
        return found

    def _attribution_after(self, tokens: list[Token], qi: int) -> tuple[Mention, Span | None] | None:
        """'"...," said X' / '"...," X said' / '"...," X, the Y of Z, said' / '"...," according to X'."""
        i = qi + 1
        while i < len(tokens) and tokens[i].text in (",", "—", "–", "-", "―"):
            i += 1
        if i >= len(tokens) or tokens[i].text == QUOTE_TOKEN:
            return None
        if tokens[i].lower == "according" and i + 1 < len(tokens) and tokens[i + 1].lower == "to":
            np = self._np_forward(tokens, i + 2)
            mention = mention_from_tokens(np, self.text) if np else None
            if mention:
                return mention, self._span(tokens[i].start, tokens[i + 1].end)
        content_end = self.text[tokens[qi].start : tokens[qi].end].rstrip(CLOSING_MARKS + " ")
        ends_open = content_end[-1:] in (",", "?", "!", "—", "–", "…", "-") or tokens[qi + 1].text in (",", "—", "–", "―")
        if tokens[qi + 1].text in ("―", "—", "–") and i < len(tokens):
            np = self._np_forward(tokens, i)
            mention = mention_from_tokens(np, self.text) if np else None
            if mention and mention.form == "name" and i + len(np) >= len([t for t in tokens if t.is_word or t.text == QUOTE_TOKEN]) - 1:
                return mention, None  # "..." ― Carla Sanchez
        if _is_verb(tokens[i]):
            np = self._np_forward(tokens, i + 1)
            mention = mention_from_tokens(np, self.text) if np else None
            rest = tokens[i + 1 + len(np) :]
            if rest and (rest[0].lower in _PLACE_PREPOSITIONS or rest[0].lower == "on" or rest[0].text == ","):
                rest = rest[1:]  # "... from Telford.", "... on X.", "the mayor of Odesa, Hennadiy Trukhanov."
                while rest and rest[0].is_capitalised:
                    rest = rest[1:]
            if rest and (rest[0].lower in _PREPOSITIONS or rest[0].lower in ("late", "early", "later")) and not any(
                    t.text == QUOTE_TOKEN or _is_verb(t) or t.lower in _COMMON_VERBS for t in rest):
                rest = []  # "... wrote Zelensky on Telegram after the strike."
            if not ends_open and any(t.is_word or t.text == QUOTE_TOKEN for t in rest):
                return None  # '"... it." wrote a supporter from Telford.' ends the sentence; '"... it." Said and done' does not
            if mention:
                return self._with_appositive(mention, tokens, i + 1 + len(np)), self._span(tokens[i].start, tokens[i].end)
            return None
        # Subject before the verb, possibly with appositives: X, the Y of Z, one of the W, said
        reach = 2 * _MAX_NP_TOKENS if i + 1 < len(tokens) and tokens[i + 1].text == "," or any(
            t.text == "," for t in tokens[i : i + 4]) else _MAX_NP_TOKENS
        for j in range(i, min(len(tokens), i + reach)):
            tok = tokens[j]
            if tok.text == QUOTE_TOKEN or tok.text in ("!", "?", ";"):
                return None
            if not ends_open and len([t for t in tokens[i:] if t.is_word]) > 6 and not tokens[i].is_capitalised and not (
                    tokens[i].lower in SUBJECT_PRONOUNS and i + 1 < len(tokens) and _is_verb(tokens[i + 1])):
                return None  # a mid-sentence partial quote is attributed from the left; '“... us.” he told the
                # state RNI news agency.' is an attribution after a stop left inside the marks, and so are
                # capitalised words that the sentence splitter left with the quote ('“... land.” Interior
                # Minister Ihor Klymenko said on Tuesday.')
            went_on = tok.lower == "went" and j + 1 < len(tokens) and tokens[j + 1].lower == "on"  # '“...,” he went on.'
            if (went_on or _is_verb(tok, previous=tokens[j - 1], following=tokens[j + 1] if j + 1 < len(tokens) else None)) and j > i:
                quoted = next((k for k in range(j + 1, min(len(tokens) - 1, j + 16)) if tokens[k].lower == "as"
                               and tokens[k + 1].lower == "saying"), None) if tok.lower in ("quoted", "cited") else None
                if quoted is not None:  # '"...," Interfax quoted Peskov as saying.'
                    return self._quoted_as_saying(tokens, quoted + 1)
                subject = self._subject_before(tokens, j, floor=i)
                if subject is not None:
                    return subject, self._span(tok.start, tokens[j + 1].end if went_on else tok.end)
                return None
        return None

    def _coordinated_subject(self, tokens: list[Token], verb_index: int,
                             mentions: list[tuple[int, Mention]]) -> Mention | None:
        """The subject shared by coordinated reporting verbs: the nearest earlier one in the sentence."""
        before = [m for start, m in mentions if start < tokens[verb_index].start]
        if before:
            return max(before, key=lambda m: m.start)
        for j in range(verb_index - 2, -1, -1):
            if _verb_at(tokens, j) and not tokens[j].lower.endswith("ing"):
                return self._subject_before(tokens, j)
        subject = self._sentence_subject(tokens)  # "On state radio, host Arkhip Chernyavin read out ... and said ..."
        return subject if subject is not None and subject.form != "pronoun" and self._may_speak(tokens, subject) else None

    def _note_people(self, tokens: list[Token]) -> None:
        """Remember the people a sentence names as antecedents for later pronouns; its subject counts as the
        most recent, since a "he" in the next sentence means the subject rather than a name in the object
        ("Kirill Lunacharov praised ... Defence Industry Day. Speaking ..., he vowed")."""
        subject = self._sentence_subject(tokens)
        others: list[Mention] = []
        i = 1
        while i < len(tokens):
            if tokens[i].is_capitalised and tokens[i].is_word and tokens[i].lower in self.resolver.known_names:
                run_start = i
                while run_start > 0 and tokens[run_start - 1].is_capitalised and tokens[run_start - 1].is_word:
                    run_start -= 1
                # "an economist in Novi Sad", "an adviser with the UN Development Programme": a place or a body,
                # not someone a later "she" means ("talks with Pavel Orlov" keeps him: "with" needs "the")
                article = run_start > 1 and tokens[run_start - 1].lower == "the"
                before = tokens[run_start - 2 if article else run_start - 1].lower if run_start > 0 else ""
                if before in _PLACE_PREPOSITIONS or (article and before == "with") or _inside_organisation_name(tokens, run_start):
                    i += 1
                    continue
                opens = run_start if run_start > 0 or is_title(tokens[0].text) else 1  # "President Obama ..." keeps its title
                mention = mention_from_tokens(tokens[opens : i + 1], self.text)
                if mention is not None and mention.form == "name":
                    others.append(mention)
            i += 1
        # the names after a person subject count as mentioned just before it ("Twenty kilometres south" or
        # "Back in Washington" is no person); a pronoun later in the same sentence still sees them all
        subject = subject if subject is None or _introduced(tokens, subject, self.resolver) else None
        others = [m for m in others if _introduced(tokens, m, self.resolver)]
        salient = subject is not None and self.resolver.is_known_person(subject)
        for mention in others:
            self.resolver.note_subject(mention, min(mention.start, subject.start - 1) if salient else None)
        if subject is not None and subject.form == "name":
            after = next((k for k, t in enumerate(tokens) if t.start >= subject.end), len(tokens))
            self.resolver.note_subject(self._with_appositive(subject, tokens, after))  # "Rubezh, a state news agency,"

    def _speaking_subject(self, tokens: list[Token], m: _Marked) -> Mention | None:
        """The sentence subject, when it can be the source of a marked phrase in its sentence.

        Not for titles ("the film “Winter on Fire”"): content in title case, or a subject that is not a
        person, a pronoun or a body that speaks."""
        words = self.text[m.start : m.end].split()
        if len(words) > 1 and all(w[:1].isupper() or w.lower() in _TITLE_SMALL_WORDS for w in words):
            return None
        subject = self._sentence_subject(tokens)
        if subject is None or subject.form == "pronoun" and subject.text.lower() == "it":
            return subject
        if subject.form == "descriptor" and head_noun(subject.text) not in ROLE_NOUNS:
            return None
        return subject

    def _introduced_subject(self, tokens: list[Token]) -> bool:
        """True when the sentence's subject reads as someone who speaks ("Orban put it bluntly", "Annika
        Rothmaler", "a user in Lviv"), not a plural or common word ("Prices rose sharply in March: “...”")."""
        subject = self._sentence_subject(tokens)
        return subject is not None and _introduced(tokens, subject, self.resolver, verb_needed=False)

    def _sentence_subject(self, tokens: list[Token]) -> Mention | None:
        """The name, pronoun or descriptor that opens the sentence, after an opening phrase ("In January,
        Gov. Earl Ray Tomblin ..."); a name in apposition wins over a descriptor ("Another critic,
        Laurence H. Tribe, likened ...")."""
        if self._subject_of is not None and self._subject_of[0] is tokens:
            return self._subject_of[1]  # read once per sentence: several rules ask for it
        subject = self._read_sentence_subject(tokens)
        self._subject_of = (tokens, subject)
        return subject

    def _read_sentence_subject(self, tokens: list[Token]) -> Mention | None:
        if not tokens or tokens[0].text == QUOTE_TOKEN:
            return None
        start = 0
        opening_participle = (tokens[0].lower.endswith("ing") and len(tokens) > 1 and tokens[1].is_word
                              and not tokens[1].is_capitalised and not _is_verb(tokens[1]))  # "Claiming the ..., Trump"
        if tokens[0].lower in _PREPOSITIONS or tokens[0].lower in _PLACE_PREPOSITIONS or opening_participle:
            comma = next((i for i in range(1, min(len(tokens), 2 * _MAX_NP_TOKENS)) if tokens[i].text in (",", QUOTE_TOKEN)), None)
            if comma is None or tokens[comma].text == QUOTE_TOKEN:
                return None
            start = comma + 1
            start = _after_place_list(tokens, start)
        np = self._np_forward(tokens, start)
        mention = mention_from_tokens(np, self.text) if np else None
        after = start + len(np)
        if np and after + 2 < len(tokens) and tokens[after].lower in ("in", "at", "to") and tokens[after + 1].is_capitalised:
            place_end = after + 1  # "Russia's trade representative in Kazakhstan, Taisiya Berestneva, ..."
            while place_end < len(tokens) and tokens[place_end].is_capitalised and tokens[place_end].is_word:
                place_end += 1
            if place_end < len(tokens) and tokens[place_end].text == ",":
                after = place_end
        if np and (mention is None or mention.form == "descriptor") and after < len(tokens) and tokens[after].text == ",":
            close = next((k for k in range(after + 1, min(len(tokens), after + 7)) if tokens[k].text == ","), None)
            inner = tokens[after + 1 : close] if close else []
            if inner and all(t.is_capitalised or t.lower in NAME_PARTICLES or t.text in ("-", ".") or _AGE.fullmatch(t.lower)
                             for t in inner):  # "Her neighbour, 71-year-old Mykola, was less hopeful"
                named = mention_from_tokens(inner, self.text)
                if named is not None and named.form == "name":
                    return _describe(named, self.text[np[0].start : np[-1].end])
        return mention

    def _attribution_before(self, tokens: list[Token], qi: int) -> tuple[Mention, Span] | None:
        """'X said: "..."', 'X called it "..."', 'According to X, "..."', nearest reporting verb first."""
        nearest_cue: Span | None = None
        participle: Span | None = None
        if qi >= 2 and tokens[0].is_capitalised and tokens[0].lower in REPORTING_VERBS and not tokens[0].lower.endswith("ing"):
            np = self._np_forward(tokens, 1)  # "Said Ellis: ..."
            mention = mention_from_tokens(np, self.text) if np else None
            if mention is not None:
                return mention, self._span(tokens[0].start, tokens[0].end)
        for j in range(qi - 1, -1, -1):
            tok = tokens[j]
            if tok.lower == "saying" and j and tokens[j - 1].lower == "as":
                quoted = self._quoted_as_saying(tokens, j)
                if quoted is not None:
                    return quoted
            if tok.lower == "according" and j + 1 < qi and tokens[j + 1].lower == "to":
                np = self._np_forward(tokens, j + 2)
                mention = mention_from_tokens(np, self.text) if np else None
                if mention:
                    return mention, self._span(tok.start, tokens[j + 1].end)
            if tok.text == QUOTE_TOKEN or not _verb_at(tokens, j):
                continue
            after_comma = tok.lower.endswith("ing") and j > 0 and tokens[j - 1].text == ","
            subject = None if after_comma else self._subject_before(tokens, j)  # "..., Trump attacked X, saying"
            if subject is None and tok.lower.endswith("ing") and j > 0 and tokens[j - 1].text in (",", "by", "while", "before", "after", "when"):
                participle = participle or self._span(tok.start, tok.end)  # "..., saying": the main clause's subject
                continue
            if subject is not None and self._in_reported_clause(tokens, subject) and not (
                    tok.lower in _INNER_SPEECH and tokens[j - 1].lower not in _MODALS
                    and not any(t.lower in ("who", "which") and subject.start <= t.start for t in tokens[:j])):
                continue  # "Pistorius warned that Russia could attack NATO “...”": its speaker is before the clause
                # (but "Orlov recalled that his father had called the war “...”": the father's words)
            if subject is not None:
                return subject, nearest_cue or self._span(tok.start, tok.end)
            if nearest_cue is None and j > 0 and tokens[j - 1].lower == "and":
                nearest_cue = self._span(tok.start, tok.end)  # "X expressed ... and asserted that ..."
        if participle is not None:
            subject = self._sentence_subject(tokens)
            if subject is not None:
                return subject, participle
        return None

    def _quoted_as_saying(self, tokens: list[Token], s: int) -> tuple[Mention, Span] | None:
        """'TASS quoted Kremlin spokesman Dmitry Peskov as saying', 'cited an unnamed source as saying': the
        speaker is the object of "quoted"/"cited", not its subject; ``s`` is the index of "saying"."""
        for v in range(s - 2, max(-1, s - 18), -1):
            if tokens[v].lower in ("quoted", "cited") and v > 0 and tokens[v - 1].lower in _BE_FORMS:
                subject = self._subject_before(tokens, v)  # "Orlov was quoted by RIA Novosti as saying": Orlov
                return (subject, self._span(tokens[v].start, tokens[s].end)) if subject is not None else None
            if tokens[v].lower in ("quoted", "cited") and _verb_at(tokens, v):
                phrase = tokens[v + 1 : s - 1]
                comma = next((k for k, t in enumerate(phrase) if t.text == ","), None)
                phrase = phrase[:comma] if comma else phrase  # "quoted Gennady Lapin, a regional official, as saying"
                if len(phrase) == 1 and phrase[0].lower in OBJECT_PRONOUNS:
                    mention = Mention(phrase[0].start, phrase[0].end, phrase[0].text, "pronoun")
                else:
                    mention = mention_from_tokens(phrase, self.text) if phrase else None
                return (mention, self._span(tokens[v].start, tokens[s].end)) if mention is not None else None
            if not tokens[v].is_word and tokens[v].text not in ("-", "’", "'", ","):
                return None
        return None

    def _in_reported_clause(self, tokens: list[Token], subject: Mention) -> bool:
        """True for a subject that opens a reported clause ("warned that Russia could ...", "said its
        inspectors had heard ..."), not a relative clause ("a visit that Deputy Yaroslav Kudimov said ...")."""
        k = next((i for i, t in enumerate(tokens) if t.start == subject.start), 0)
        if tokens[k].lower != "that" and k > 0 and tokens[k - 1].lower == "that":
            k -= 1  # "said on Tuesday that Moscow would respond “...”"
        if tokens[k].lower == "that":  # a reporting verb before "that", perhaps with a short phrase between
            for v in range(k - 1, max(-1, k - 5), -1):
                if _verb_at(tokens, v):
                    return True
                if not tokens[v].is_word:
                    return False
            return False
        return k > 0 and _verb_at(tokens, k - 1) and tokens[k - 1].lower in STRONG_REPORTING_VERBS

    # -- indirect speech -------------------------------------------------------------------------
    def _indirect(self, tokens: list[Token], paragraph: int, earlier: list[_Found]) -> list[_Found]:
        results: list[_Found] = []
        used_cues = {f.cue.start for f in earlier if f.cue is not None}
        sentence_mentions = [(f.mention.start, f.mention) for f in earlier if f.mention is not None]
        words = [t for t in tokens if t.is_word or t.text == QUOTE_TOKEN]
        if len(words) < 4:
            return results
        sentence_end = self._content_end(tokens[-1].end)
        # According to X, CLAUSE  /  CLAUSE, according to X.
        for i, tok in enumerate(tokens[:-2]):
            if tok.lower != "according" or tokens[i + 1].lower != "to":
                continue
            pronoun = tokens[i + 2]
            if pronoun.lower in OBJECT_PRONOUNS and (i + 3 == len(tokens) or not tokens[i + 3].is_word):
                # "According to him, falling debris damaged a kindergarten" (not "According to her lawyer, ...")
                np, mention = [pronoun], Mention(pronoun.start, pronoun.end, pronoun.text, "pronoun")
            else:
                np = self._np_forward(tokens, i + 2)
                mention = mention_from_tokens(np, self.text) if np else None
            if not mention:
                continue
            if i > 0 and any(_verb_at(tokens, k) and tokens[k].lower in STRONG_REPORTING_VERBS for k in range(i)):
                break  # "X said CLAUSE, according to her count": the clause is X's statement, read below
            cue = self._span(tok.start, tokens[i + 1].end)
            after = i + 2 + len(np)
            if after + 2 < len(tokens) and tokens[after].text == "," and mention.form == "descriptor":
                close = next((k for k in range(after + 1, min(len(tokens), after + 6)) if tokens[k].text == ","), None)
                named = mention_from_tokens(tokens[after + 1 : close], self.text) if close else None
                if named is not None and named.form == "name":  # "According to the promoter, Jakub Hrdlička, ..."
                    mention, after = _describe(named, mention.text), close
            elif after + 2 < len(tokens) and tokens[after].text == "," and mention.form == "name" and i == 0:
                close = next((k for k in range(after + 1, min(len(tokens), after + 14)) if tokens[k].text == ","), None)
                inner = tokens[after + 1 : close] if close else []
                then = tokens[close + 1] if close is not None and close + 1 < len(tokens) else None
                defined = (bool(inner) and inner[0].lower == "the" and head_noun(self.text[inner[0].start : inner[-1].end]) in ROLE_NOUNS
                           and then is not None and not then.is_capitalised and then.lower not in ("which", "who", "that"))
                role = bool(inner) and (inner[0].lower in ("a", "an") or is_title(inner[0].text) or inner[0].lower in ROLE_NOUNS
                                        or defined) \
                    and not any(_verb_at(tokens, k) or tokens[k].lower in AUXILIARIES or tokens[k].lower.endswith("ed")
                                for k in range(after + 1, close))
                if role or inner and inner[0].lower == "who":
                    # "According to Oleksandr Tymoshchak, deputy head of the ports authority, CLAUSE", "According to
                    # Yuzhny Ural TV, the regional broadcaster, CLAUSE"; not "According to Ivan Petrov, the town,
                    # once home to 20,000 people, is now ...", "..., the army, which ..., cannot ..." or "..., the
                    # governor of the region, Oleh Syniehubov, ordered ..."
                    mention, after = _describe(mention, self.text[inner[0].start : inner[-1].end]), close
            if i == 0 or (i == 1 and not tokens[0].is_word):
                while after < len(tokens) and tokens[after].text == ",":
                    after += 1
                clause = tokens[after:]
            else:
                clause = tokens[:i]
                while clause and clause[-1].text in (",", "—", "–"):
                    clause = clause[:-1]
            words = [t for t in clause if t.is_word]
            if len(words) >= 2 and _is_verb(words[-1], previous=words[-2]):
                return results  # the source of an attribution, not a statement: "“...,” she said, according to a recording"
            found = self._clause(clause, paragraph, mention, cue, end=sentence_end if clause is tokens[after:] else None)
            if found:
                found.tags.append("according-to")
                results.append(found)
            return results
        for i, tok in enumerate(tokens):
            if tok.lower == "saying" and i and tokens[i - 1].lower == "as" and tok.start not in used_cues:
                quoted = self._quoted_as_saying(tokens, i)  # "Interfax quoted X as saying (that) CLAUSE"
                rest = tokens[i + 2 :] if i + 1 < len(tokens) and tokens[i + 1].lower == "that" else tokens[i + 1 :]
                found = self._clause(rest, paragraph, quoted[0], quoted[1]) if quoted and rest and rest[0].is_word else None
                if found and not any(t.text == QUOTE_TOKEN for t in rest):
                    results.append(found)
                continue
            previous = tokens[i - 1] if i else None
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            declined = tok.lower in _DECLINE and _declined_to_speak(tokens, i)
            called_for = _phrase_cue(tokens, i) if tok.lower in _PHRASE_CUE_VERBS else 0  # "called on Russia to ...",
            # "called for talks", "made clear that"
            if called_for and (previous is not None and previous.lower in _PASSIVE_AUXILIARIES
                               or not self._speaks(self._subject_before(tokens, i))):
                called_for = False  # "She was called for jury duty", "The peace plan called for a ceasefire"
            if tok.start in used_cues or not (declined or called_for or _verb_at(tokens, i)):
                continue
            participle = tok.lower.endswith("ing")
            if participle and not (previous is not None and previous.text == "," and following is not None
                                   and following.lower == "that"):
                continue  # only "..., adding that ..." / "..., saying that ...": the main clause's speaker
            if tok.lower in ("asked", "asks", "ask") and following is not None and following.lower == "for":
                continue  # "asked for insulin for her son", "When asked for details": a request, not a statement
            if previous is not None and previous.lower == "who" and tok.lower.endswith("s") and not _that_follows(tokens, i):
                continue  # "an analyst who comments on state television, predicted ...": what one does, not a statement
            if any(f.start <= tok.start < f.end or (f.cue is not None and f.cue.start < tok.start < f.start) for f in results):
                continue  # "X said the bloc regretted that ...", "X told a listener who complained that ...": X's clause
            strong = declined or called_for or _is_verb(tok, strong_only=True)
            weak = not strong and not _that_follows(tokens, i)
            if weak and not (tok.lower in _WRITTEN and any(t.text == "," for t in tokens[max(0, i - 6) : i])
                             and _adverbial_tail(tokens[i + 1 :]) and _finite(tokens[:i])):
                continue  # of a weak verb only "CLAUSE, the agency wrote (on Telegram)." is a statement
            subject = None if participle else self._subject_before(tokens, i)
            if subject is None and i > 0 and (tokens[i - 1].lower in ("and", "but", "then") or participle):
                subject = self._coordinated_subject(tokens, i, sentence_mentions)  # "... and warned that ..."
            if subject is None:
                continue
            if (subject.form == "name" and subject.text.lower() in CAPITAL_METONYMS and tok.lower not in _CLAUSE_VERBS
                    and not _that_follows(tokens, i)):
                continue  # "Washington announced new sanctions", "Moscow has claimed victory": an object, not a statement
            sentence_mentions.append((subject.start, subject))
            cue = self._span(tok.start, tok.end)
            rest = tokens[i + 1 :]
            # CLAUSE, X said (on Monday).
            before_subject = [t for t in tokens if t.end <= subject.start]
            if (before_subject and before_subject[-1].text == "," and len([t for t in before_subject if t.is_word]) >= 4
                    and (len([t for t in rest if t.is_word]) <= 6 and not _clause_like(rest) or _short_phrase_then_comma(rest)
                         and before_subject[-2].lower not in _RELATIVE_WORDS)
                    and not any(t.text == QUOTE_TOKEN for t in tokens) and not _that_follows_listener(rest)
                    and not _opening_phrase(before_subject)):
                clause = _after_dateline(before_subject[:-1])
                role = bool(clause) and subject.description and self.text[clause[0].start : clause[-1].end] == subject.description.strip()
                if not role:  # "The UK's Defence Secretary, John Healey, announced ...": his role, not a statement
                    found = self._clause(clause, paragraph, subject, cue)
                    if found:
                        results.append(found)
                    continue
            if weak:
                continue
            if declined:
                skip = 3 if len(rest) > 2 and rest[2].lower in ("on", "about") else 2  # "declined to comment on"
                clause, cue = _before_next_statement(rest[skip:]), self._span(tok.start, rest[skip - 1].end)
            elif called_for:
                skip = called_for
                clause, cue = _before_next_statement(rest[skip - 1 :]), self._span(tok.start, rest[skip - 2].end)
            else:
                clause = self._reported_clause(rest, tok)
            if clause is not None and previous is not None and previous.lower == "who":
                if rest and (rest[0].lower in _PREPOSITIONS or rest[0].lower in _NOUN_AFTER):
                    continue  # "X, a commentator who spoke at a side event, argued ...": no statement
                clause = _before_main_verb(clause)  # "X, who says that he was tortured, | has filed a lawsuit"
            if clause is None:
                continue
            if any(t.text == QUOTE_TOKEN for t in clause):
                continue  # the partial quote inside stands for the clause
            if not declined and not tok.lower.startswith("den") and _object_phrase(clause):
                # "Peskov dismissed the speech", "praised the visiting doctors": an object, not a statement (a
                # denial's object is one: "denied any link"); kept hidden as the speaker of a quote that follows
                found = self._clause(clause, paragraph, subject, cue)
                if found:
                    found.hidden = True
                    results.append(found)
                continue
            for part in _split_at_and_that(clause):  # "said X and that Y": two statements
                found = self._clause(part, paragraph, subject, cue)
                if found:
                    results.append(found)
        return results

    def _reported_clause(self, rest: list[Token], verb: Token) -> list[Token] | None:
        if not rest:
            return None
        rest = _before_next_statement(rest)
        if not rest:
            return None  # "The minister told and warned that ...": no clause before the next verb
        if verb.lower in LISTENER_VERBS and len(rest) > 1 and rest[0].lower in DETERMINERS and rest[1].lower in _TOLD_THINGS:
            return None  # "told the story of a village that ...": what was told, not a statement
        k = 0
        while k < min(len(rest), 10):
            tok = rest[k]
            if tok.lower == "that" and k > 0 and rest[k - 1].lower in ("and", "but"):
                break  # "said X had left and that Y": the first statement starts right after the verb
            if tok.lower == "that":
                return rest[k + 1 :]
            if tok.text == "," and k + 2 < len(rest) and rest[k + 1].lower in _SENTENCE_ADVERBS and rest[k + 2].text == ",":
                k += 3  # "said Tuesday, however, that ..."
                continue
            if tok.text in (",", ";", ":") or tok.text == QUOTE_TOKEN:
                break
            k += 1
        if verb.lower in LISTENER_VERBS:
            k = self._listener_length(rest)
            if k == 0 and _listener_alone(rest):
                return None
            if k < len(rest) and rest[k].lower == "that":
                k += 1
            return rest[k:]
        if len(rest) > 3 and rest[0].text == "," and rest[1].lower in _SENTENCE_ADVERBS and rest[2].text == ",":
            rest = rest[3:]  # "said, however, the talks would continue"
        if rest[0].text in (",", ".", ":", ";"):
            return None
        return _after_time_phrase(rest)

    @staticmethod
    def _listener_length(rest: list[Token]) -> int:
        """Tokens of the listener after "told"/"warned"...: "reporters", "Pavel Orlov", "an Indian newspaper"."""
        if rest[0].lower in _LISTENERS:
            return 1
        k = 1 if rest[0].lower in DETERMINERS else 0
        start = k
        while k < len(rest) and k < start + 4 and rest[k].is_word and (rest[k].is_capitalised or rest[k].lower in _LISTENERS):
            k += 1
        if k < len(rest) and rest[k].lower == "that":
            return k
        if k > start:
            return k
        # "told an Indian newspaper that ...": a short lower-case noun phrase before "that"
        for j in range(1, min(len(rest), 6)):
            if rest[j].lower == "that":
                return j
            if not rest[j].is_word:
                break
        # "told the local council | the bridge would reopen": the clause's own subject and its verb (not
        # "urged fellow veterans to stop ...", "asked where the paperwork had to be filed")
        for j in range(2 if rest[0].lower not in _WH_WORDS else len(rest), min(len(rest), 6)):
            if not rest[j].is_word or rest[j].lower == "to" or rest[j].lower in _WH_WORDS:
                break
            if (rest[j].lower in DETERMINERS or rest[j].lower in SUBJECT_PRONOUNS) and any(
                    t.lower in _MODALS or t.lower in _COPULAS or t.lower in ("had", "has", "have") for t in rest[j + 1 : j + 4]):
                return j
        return 0

    def _clause(self, clause: list[Token], paragraph: int, mention: Mention, cue: Span,
                end: int | None = None) -> _Found | None:
        while clause and not (clause[0].is_word or clause[0].text in ("“", "\"", "‘")):
            clause = clause[1:]
        while clause and clause[-1].text in (".", ",", ";", ":", "!", "?", "—", "–", "-", "…"):
            clause = clause[:-1]
        words = [t for t in clause if t.is_word]
        about_topic = len(words) > 1 and words[0].lower == "about" and (words[1].lower in ("the", "his", "her", "their", "its", "this", "these")
                                                     or words[1].is_capitalised)
        if (len(words) < 2 or (len(words) < 6 and words[0].lower in _PREPOSITIONS | {"for"}) or words[0].lower == "with" or about_topic
                or len(words) <= 3 and words[0].lower in ("it", "nothing", "so", "this", "something")
                and not _finite(words)):  # "She said it quietly", "said nothing more" (not "nothing had changed")
            return None  # "said in a statement", "spoke with Hakan Fidan on Monday", "spoke about the war" ("said about 20 ...": a figure)
        start, stop = clause[0].start, clause[-1].end
        found = _Found(start, stop, "indirect", paragraph, mention=mention, cue=cue)
        return found

    def _content_end(self, end: int) -> int:
        while end > 0 and self.text[end - 1] in " .\t":
            end -= 1
        return end

    # -- noun phrases -----------------------------------------------------------------------------
    def _np_forward(self, tokens: list[Token], i: int) -> list[Token]:
        """The speaker phrase right after a verb: 'said a senior Kremlin official', 'said Pavel Orlov'."""
        np: list[Token] = []
        if (i + 2 < len(tokens) and tokens[i].is_word and not tokens[i].is_capitalised and tokens[i].lower not in _CLAUSE_STOP
                and tokens[i].lower not in DETERMINERS and tokens[i].lower not in AUXILIARIES and tokens[i].lower not in _NOUN_AFTER
                and tokens[i].lower not in _PREPOSITIONS and not _is_verb(tokens[i]) and not tokens[i].lower.endswith("ly")
                and is_name_token(tokens[i + 1]) and is_name_token(tokens[i + 2]) and not is_title(tokens[i + 1].text)):
            k = i + 1  # "said baker Yurii Zinchenko", "said rescuer Vitalii Yurchak, 41,": a role word before a full name
            while k < len(tokens) and is_name_token(tokens[k]):
                k += 1
            if k == len(tokens) or not tokens[k].is_word or tokens[k].is_capitalised or tokens[k].lower in _CLAUSE_STOP:
                return tokens[i:k]  # not "said veteran New York Times | correspondent Ivan Petrov"
        # "according to conservative talk radio host Rush Limbaugh": lower-case words before a role noun
        determiner = i < len(tokens) and bool(_AGE.fullmatch(tokens[i].lower))  # "said 45-year-old fisherman Andriy Tkach"
        for t in tokens[i : i + 5]:
            if not t.is_word or t.is_capitalised or t.lower in _CLAUSE_STOP or t.lower in REPORTING_VERBS or t.lower in AUXILIARIES:
                break
            if t.lower in ROLE_NOUNS or t.lower in TITLE_WORDS:
                determiner = t is not tokens[i]
                break
        j = i
        while j < len(tokens) and len(np) < _MAX_NP_TOKENS:
            tok = tokens[j]
            low = tok.lower
            if tok.text == QUOTE_TOKEN or not (tok.is_word or tok.text in ("-", "’", "'")):
                break
            if not np and low in SUBJECT_PRONOUNS:
                return [tok]
            if np and low in _DAYS and np[-1].is_capitalised:
                break  # "said Mayor Ihor Terekhov Tuesday."
            link = _organisation_link(tokens, j, np)
            if link:  # "the Institute | for the | Study of War"
                np += tokens[j : j + link]
                j += link
                continue
            if low in DETERMINERS and not np:
                if low == "that":
                    break
                determiner = True
            elif _is_np_word(tok) and low not in _CLAUSE_STOP:
                determiner = determiner or low.endswith(("’s", "'s"))
            elif low == "of" and np:
                pass
            elif (determiner and tok.is_word and low not in _CLAUSE_STOP and low not in REPORTING_VERBS
                  and low not in _COPULAS and low not in ("did", "does", "do") and len(np) < 5
                  and not (low.endswith("ed") and low not in ("named", "called")
                           and any(t.is_capitalised or t.lower in ROLE_NOUNS for t in np[1:]))
                  and not (np and np[0].lower in ("a", "an", "one") and is_person_head(np[-1].lower)
                           and not tok.is_capitalised and low not in ROLE_NOUNS
                           and low not in TITLE_WORDS and not low.endswith(("ing", "ed")))):
                pass  # "a senior Kremlin official", but not into its verb: "One Reddit user | cared less",
                # "A Kharkiv user | shot back"
            elif np and np[-1].is_capitalised and _title_then_name(tokens, j):
                pass  # "White House | press secretary Karine Jean-Pierre"
            else:
                break
            np.append(tok)
            j += 1
        while np and (np[-1].lower in ("of", "the", "-") or np[-1].lower in DETERMINERS):
            np.pop()
        return np + self._place_after(tokens, i + len(np), np)

    def _place_after(self, tokens: list[Token], j: int, np: list[Token]) -> list[Token]:
        """'in Manchester' after 'wrote a user': the place that tells one unnamed poster from another.

        Only for an indefinite poster noun ("a user", "one commenter"): "said the minister in Brussels" is
        a venue, not who the minister is."""
        if (len(np) < 2 or np[0].lower not in ("a", "an", "one", "another") or np[-1].lower not in POSTER_NOUNS
                or j + 1 >= len(tokens) or tokens[j].lower not in ("in", "from") or not tokens[j + 1].is_capitalised):
            return []
        end = j + 1
        while end + 1 < len(tokens) and tokens[end + 1].is_capitalised and tokens[end + 1].is_word and end - j < 2:
            end += 1
        place = tokens[j + 1 : end + 1]
        if any(not t.is_word or POSSESSIVE.search(t.text) or t.lower.rstrip(".") in NOT_NAMES or t.lower in PLACE_WORDS
               or t.lower in NATIONALITY_WORDS or t.lower in _LANGUAGES for t in place):
            return []  # "in March", "in English", "in Kyiv's city hall": not where the speaker is
        follower = tokens[end + 1] if end + 1 < len(tokens) else None
        if (follower is not None and follower.is_word and not follower.is_capitalised and follower.lower not in _CLAUSE_STOP
                and not _is_verb(follower) and not follower.lower.endswith("ed")):
            return []  # "in Kyiv city council": the place is part of a longer phrase ("in Lviv offered" is not)
        return tokens[j : end + 1]

    def _subject_before(self, tokens: list[Token], verb_index: int, floor: int = 0) -> Mention | None:
        """The subject of the reporting verb at ``verb_index``: name, pronoun or descriptor (with appositive)."""
        j = verb_index - 1
        while j >= floor and not tokens[j].is_capitalised and (
                tokens[j].lower in AUXILIARIES or tokens[j].lower.endswith("ly")
                or tokens[j].lower == "long" and j > floor and tokens[j - 1].lower in ("has", "have", "had")):  # "has long insisted"
            j -= 1
        if j < floor:
            return None
        tok = tokens[j]
        if tok.lower in SUBJECT_PRONOUNS:
            if tok.lower == "it":  # "The Russian defence ministry said ... what it called": the sentence's organisation
                opener = self._sentence_subject(tokens)
                if opener is not None and opener.start < tok.start and (
                        opener.form == "descriptor" and head_noun(opener.text) in ORGANISATION_WORDS
                        or opener.form == "name" and ((opener.name or "").split()[-1].lower() in ORGANISATION_WORDS
                                                      or (opener.name or "").isupper())):  # "NATO said ... what it called"
                    return opener
            return mention_from_tokens([tok], self.text)
        for w in range(j, max(floor, j - 10) - 1, -1):
            if tokens[w].lower == "who" and w - 1 >= floor:
                if any(not t.is_word for t in tokens[w:j + 1]):
                    break
                return self._who_antecedent(tokens, w, floor, verb_index)
            if not tokens[w].is_word:
                break
        if tok.text == ",":
            # NP , APPOSITIVE , VERB
            for c in range(j - 1, max(floor - 1, j - 20), -1):
                if tokens[c].text == QUOTE_TOKEN:
                    return None
                if tokens[c].text == "," and c + 1 < j and _is_verb(tokens[c + 1]):
                    if tokens[c + 1].lower.endswith("ing"):  # "X, speaking in Minsk, said": X, when X is a subject
                        np = self._np_backward(tokens, c - 1, floor)
                        np = self._clause_head(tokens, np, floor) or np  # "A homeowner from Snihurivka, holding ..."
                        mention = mention_from_tokens(np, self.text) if np else None
                        k = tokens.index(np[0]) if np else floor
                        opens_sentence = k == floor or not tokens[k - 1].is_word or k - 1 == floor and tokens[k - 1].lower in _PREPOSITIONS
                        if mention is not None and opens_sentence:  # not an object: "met X, speaking ..."
                            return mention
                    return None  # a clause, not an appositive: "X said on Monday, describing ..."
                if (tokens[c].text == "," and c + 1 < j and tokens[c + 1].lower in ("which", "who")
                        and any(t.text == "," for t in tokens[max(floor, c - 12) : c])
                        and (tokens[c + 1].lower == "which" or self._in_phrase(tokens, c - 1, floor))):
                    continue  # "X, secretary of the council, which now works from Z, called", "X, Russia's
                    # ambassador to Belgium, who also handles NATO, said": look further back
                if tokens[c].text == "," and c + 1 < j and tokens[c + 1].lower == "whose" and self._after_place(tokens, c - 1, floor):
                    continue  # "Zoya Kachura, from Penza, whose son ..., said": the place is no speaker; look further back
                if tokens[c].text == "," and c - 2 >= floor and tokens[c - 2].lower == "whose":
                    continue  # "Inna Koriak, whose son, 10, has stopped speaking, said": the son is no speaker
                if tokens[c].text == ",":
                    inner = tokens[c + 1 : j]
                    pure = bool(inner) and inner[0].is_capitalised and all(  # "Oksana Hrytsiuk of Etobicoke" too
                        t.is_capitalised or t.lower in NAME_PARTICLES or t.text in ("-", ".") or t.lower in ("of", "from")
                        for t in inner)
                    named = mention_from_tokens(inner, self.text) if pure else None
                    named = named if named is not None and named.form == "name" else None
                    np = self._np_backward(tokens, c - 1, floor)
                    if inner and inner[0].lower.endswith("ing"):  # "A homeowner from Snihurivka, holding ..., said"
                        np = self._clause_head(tokens, np, floor) or np
                    mention = mention_from_tokens(np, self.text) if np else None
                    after_preposition = bool(np) and tokens.index(np[0]) > floor and tokens[tokens.index(np[0]) - 1].lower in _OF_ROLE
                    if named is not None and after_preposition:  # "France's ambassador to Ukraine, Claire Dubois,"
                        r = tokens.index(np[0])
                        while r - 1 >= floor and tokens[r - 1].is_word:
                            r -= 1
                        return _describe(named, self.text[tokens[r].start : tokens[c - 1].end])
                    if named is not None and (mention is None or mention.form == "descriptor"):
                        # "His wife, Sofia Lavrentyeva, said"; "North Korea's minister of external economic
                        # relations, Ko Yong-nam, said" (a role too long to read as a noun phrase)
                        return _describe(named, mention.text) if mention is not None else named
                    if not np:
                        continue  # "X, 29, who lost a foot, said": look further back
                    mention = mention or _capital_mention(tokens, np, floor)  # "Washington, for its part, said"
                    if mention is None:
                        return None
                    appositive = self.text[tokens[c + 1].start : tokens[j - 1].end] if c + 1 <= j - 1 else None
                    return _describe(mention, appositive)
            return None
        np = self._np_backward(tokens, j, floor)
        np = self._clause_head(tokens, np, floor) or np
        mention = mention_from_tokens(np, self.text) if np else None
        return mention or _capital_mention(tokens, np, floor)  # "Moscow has claimed that ..."

    def _after_place(self, tokens: list[Token], j: int, floor: int) -> bool:
        """True when the noun phrase ending at ``j`` follows a place preposition ("from Penza")."""
        np = self._np_backward(tokens, j, floor)
        k = tokens.index(np[0]) if np else floor
        return k > floor and tokens[k - 1].lower in _PLACE_PREPOSITIONS

    def _who_antecedent(self, tokens: list[Token], w: int, floor: int, verb_index: int) -> Mention | None:
        """The speaker of 'NP who said' ("an officer who observed the handover said"), or of 'NP, who said'
        when NP is a person in the object ("went to a Nigerian student, who asked:", "Biden met Zelensky, who
        said:"); not a relative clause on the subject ("X, who asked not to be named, said"), a place ("near
        Oleshky, who") or an appositive ("X, a Serbian producer, who")."""
        if tokens[w - 1].text != ",":
            np = self._np_backward(tokens, w - 1, floor)
            return mention_from_tokens(np, self.text) if np else None
        # ", who said: “...”", ", who told the press conference: “...”": the relative clause introduces a quote
        introduces = any(t.text in (":", QUOTE_TOKEN) for t in tokens[verb_index + 1 : verb_index + 8])
        np = self._np_backward(tokens, w - 2, floor)
        mention = mention_from_tokens(np, self.text) if np else None
        k = tokens.index(np[0]) if np else floor
        before = tokens[k - 1] if k - 1 >= floor else None
        if mention is not None and before is not None and before.text == "," and mention.form == "descriptor":
            k_named = k - 1  # "included Dragoljub Marinković, a Serbian producer, who told:": the name before it
            while k_named - 1 >= floor and is_name_token(tokens[k_named - 1]):
                k_named -= 1
            named = mention_from_tokens(tokens[k_named : k - 1], self.text) if k_named < k - 1 else None
            if (named is not None and named.form == "name" and k_named - 1 >= floor and tokens[k_named - 1].is_word
                    and introduces):
                return _describe(named, mention.text)
        if mention is not None and mention.form == "name" and (before is None or not before.is_word) and _that_follows(tokens, verb_index):
            return mention  # "Ivan Petrov, who says that he was tortured, has filed a lawsuit"
        if mention is None or before is None or not before.is_word:
            return None
        if mention.form == "name":
            return mention if introduces and before.lower not in _PLACE_PREPOSITIONS else None
        # "went to a caller from Akademgorodok, who said"; not "said the doctor, who asked not to be named"
        if before.lower in REPORTING_VERBS or head_noun(mention.text) not in ROLE_NOUNS:
            return None
        return mention

    def _in_phrase(self, tokens: list[Token], j: int, floor: int) -> bool:
        """True when the noun phrase ending at ``j`` is the object of a preposition ("to Belgium")."""
        np = self._np_backward(tokens, j, floor)
        k = tokens.index(np[0]) if np else j + 1
        return k - 1 >= floor and (tokens[k - 1].lower in _PREPOSITIONS or tokens[k - 1].lower in _NP_PREPOSITIONS)

    def _clause_head(self, tokens: list[Token], np: list[Token], floor: int) -> list[Token] | None:
        """'A farmer evacuated last week with his wife and a cow said': the role noun that opens the clause,
        when the words before the verb end in a thing or a place ("a cow", "in Voronezh") that a
        participle or preposition tied to it.

        Returns the opening noun phrase ("A farmer", "the owner of a cafe"), or None to keep ``np``.
        """
        if not np:
            return None
        k = tokens.index(np[0])
        head = np[-1].lower.rstrip(".")
        before = tokens[k - 1].lower if k - 1 >= floor else ""
        placed = before in _PLACE_PREPOSITIONS or before == "on"  # "... near the opera house said", "on Slavy Avenue"
        tied = placed or before in _NP_PREPOSITIONS or before in _PREPOSITIONS
        if head in SUBJECT_PRONOUNS or (head in ROLE_NOUNS or head in TITLE_WORDS) and not placed or POSSESSIVE.search(np[-1].text):
            return None
        if any(is_name_token(t) for t in np) and not (placed or tied and np[0].lower in DETERMINERS):
            return None  # a name right before the verb is its subject ("Orlov said", "footage of Clinton asking");
            # a place ("in Voronezh") or an organisation ("of the Bank of Russia") is not
        c = k - 1
        while c >= floor and (tokens[c].is_word or tokens[c].text in ("-", "’", "'")) and tokens[c].text != QUOTE_TOKEN:
            c -= 1
        c += 1  # the clause opens after the sentence start, a comma or a colon
        if k - c < 2 or k - c > _MAX_NP_TOKENS:
            return None
        first = tokens[c].lower
        if first not in DETERMINERS and (first.rstrip(".") not in ROLE_NOUNS or tokens[c + 1].is_capitalised):
            return None  # "Officials in ...", but not a title before a name ("Deputy Minister of Sport ...")
        for h in range(c, min(c + 5, k)):
            low = tokens[h].lower.rstrip(".")
            if low in ROLE_NOUNS and not tokens[h].is_capitalised or (h == c and low in ROLE_NOUNS):
                break
            if not tokens[h].is_word or (h > c and (low in _CLAUSE_STOP or _is_verb(tokens[h]))):
                return self._placed_noun_phrase(tokens, c, h) if placed and h == k - 1 else None
        else:
            return None
        while h + 1 < k and not tokens[h + 1].is_capitalised and (tokens[h + 1].lower in ROLE_NOUNS or tokens[h + 1].lower in TITLE_WORDS):
            h += 1  # "a deputy head", "a press secretary"
        end = h + 1
        if end < k and tokens[end].lower == "of":  # "the owner of a cafe", "the head of the agency"
            end += 1
            while end < k and end - h < 8 and tokens[end].is_word and not _is_verb(tokens[end]) and (
                    tokens[end].is_capitalised or tokens[end].lower not in _CLAUSE_STOP and tokens[end].lower not in _PLACE_PREPOSITIONS
                    and not tokens[end].lower.endswith(("ed", "ing"))
                    or tokens[end].lower == "of" and end + 1 < k and tokens[end + 1].is_capitalised):  # "of the Bank of Russia"
                end += 1
        if end == k or end + 1 == k and (tokens[end].lower in _NP_PREPOSITIONS or tokens[end].lower in _PLACE_PREPOSITIONS):
            return tokens[c:k] + np  # "the head of the Bank of Russia", "a spokesman at the embassy in Paris"
        while tokens[end - 1].lower == "of" or tokens[end - 1].lower in DETERMINERS:
            end -= 1  # "a resident of the damaged block": "a resident"
        return tokens[c:end]

    @staticmethod
    def _placed_noun_phrase(tokens: list[Token], c: int, p: int) -> list[Token] | None:
        """'A hotel receptionist | in Antalya said': an article and lower-case words before a place phrase
        are the speaker, whatever the noun; the place is not."""
        phrase = tokens[c:p]
        if len(phrase) < 2 or len(phrase) > 5 or phrase[0].lower not in ("a", "an", "the", "one"):
            return None
        if any(not t.is_word or t.is_capitalised or t.lower in _CLAUSE_STOP or _is_verb(t) or t.lower.endswith("ly")
               for t in phrase[1:]):
            return None
        return phrase

    def _np_backward(self, tokens: list[Token], j: int, floor: int = 0) -> list[Token]:
        np = self._np_backward_core(tokens, j, floor)
        if not np:
            return []
        opens = _long_organisation_start(tokens, tokens.index(np[0]), floor)
        if opens is not None:  # "the Organization for Security and Co-operation in Europe said"
            np = tokens[opens - 1 if opens - 1 >= floor and tokens[opens - 1].lower == "the" else opens : j + 1]
        # "a spokesman for the chancellery", "the head of the agency": a role noun before a preposition;
        # twice at most: "Elvira Nabiullina of | the Bank of | Russia"
        for _ in range(2):
            k = tokens.index(np[0])
            p = k - 1
            if p - 1 >= floor and tokens[p].lower == "near" and tokens[p - 1].lower == "from":
                p -= 1  # "a farmer from near Lublin"
            if not (p - 1 >= floor and tokens[p].lower in _NP_PREPOSITIONS):
                break
            outer = self._np_backward_core(tokens, p - 1, floor)
            joins = outer and (
                outer[-1].lower.rstrip(".") in ROLE_NOUNS  # "the Russian embassy in Paris", "a nurse on the surgical ward"
                or tokens[p].lower in ("of", "from") and is_name_token(outer[-1]) and sum(is_name_token(t) for t in outer) >= 2
                # "Deputy Arkady Shemyakin of the defence committee"
                or tokens[p].lower in ("of", "for", "on") and outer[-1].is_capitalised and is_organisation_word(outer[-1].text))
            # "The University of Texas", "the Council of Europe", "the Carnegie Endowment for International Peace"
            if not joins:
                break
            np = outer + tokens[p:k] + np
        return np

    def _np_backward_core(self, tokens: list[Token], j: int, floor: int = 0) -> list[Token]:
        if j < floor:
            return []
        head = tokens[j]
        low = head.lower.rstrip(".")
        if head.text == QUOTE_TOKEN or not head.is_word or low in _CLAUSE_STOP and not head.is_capitalised:
            return []
        if not (is_name_token(head) or low in ROLE_NOUNS or low in TITLE_WORDS):
            # any noun phrase that opens with a determiner: "the Finnish border guard said" (past tense
            # only: "NATO's broken promises" is a noun phrase, not a subject and its verb)
            if j + 1 < len(tokens) and tokens[j + 1].lower.endswith("s") and not tokens[j + 1].lower.endswith("ss"):
                return []
            for k in range(j - 1, max(floor - 1, j - 5), -1):
                word = tokens[k]
                if word.lower in ("the", "a", "an") or word.lower.endswith(("’s", "'s")):
                    span = tokens[k : j + 1]
                    if all(t.is_word and t.lower not in _CLAUSE_STOP and not _is_verb(t) and not t.lower.endswith("ly") for t in span[1:]):
                        return span
                    return []
                if not word.is_word or word.lower in _CLAUSE_STOP or _is_verb(word):
                    return []
            return []
        k = j
        while k - 1 >= floor:
            tok = tokens[k - 1]
            low = tok.lower.rstrip(".")
            if tok.text == QUOTE_TOKEN or not tok.is_word:
                break
            if low in DETERMINERS:
                k -= 1
                break
            if low == "of" and k - 2 >= floor and tokens[k - 2].lower.rstrip(".") in TITLE_WORDS:
                k -= 1  # "Secretary of State"
                continue
            if low in _CLAUSE_STOP or (_is_verb(tok) and not _is_np_word(tok)):
                break
            if _is_np_word(tok):
                k -= 1
                continue
            window = tokens[max(floor, k - 4) : k - 1]
            if not tok.is_capitalised and any(t.lower in DETERMINERS or t.lower.endswith(("’s", "'s")) for t in window):
                k -= 1
                continue
            if (not tok.is_capitalised and low in _ROLE_ADJECTIVES and k == j and head.lower in ROLE_NOUNS
                    and (k - 1 == floor or not tokens[k - 2].is_word)):
                k -= 1  # "..., local officials said": an adjective that opens the clause
            break
        np = tokens[k : j + 1]
        while np and np[0].lower in ("of",):
            np = np[1:]
        return np

    def _with_appositive(self, mention: Mention, tokens: list[Token], after: int) -> Mention:
        if after < len(tokens) and tokens[after].text == ",":
            stop = after + 1
            while stop < len(tokens) and tokens[stop].text not in (",", ".", ";", QUOTE_TOKEN) and stop - after < 15:
                stop += 1
            inner = tokens[after + 1 : stop]
            if mention.form == "descriptor" and inner and all(t.is_capitalised or t.lower in NAME_PARTICLES for t in inner):
                named = mention_from_tokens(inner, self.text)  # '"...," said the Foreign Secretary, James Whitlow.'
                if named is not None and named.form == "name":
                    return _describe(named, mention.text)
            if stop > after + 1 and tokens[after + 1].lower in ("the", "a", "an") or (stop > after + 1 and tokens[after + 1].lower in ROLE_NOUNS):
                return _describe(mention, self.text[tokens[after + 1].start : tokens[stop - 1].end])
        return mention

    def _span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    # -- speakers and output ----------------------------------------------------------------------
    def _attribute(self, found: _Found) -> None:
        if found.mention is not None:
            name, description = self.resolver.resolve(found.mention, found.mention.start)
            if name is not None:
                mention = found.mention
                found.speaker = Speaker(name=name, mention=Span(mention.start, mention.end, mention.text),
                                        form=mention.form, description=mention.description or description)
                self.last_speaker_quote = found
                part = found.same_group_as if "multi-paragraph" in found.tags else None
                while part is not None and part.speaker is None:  # the opening paragraphs of the quote
                    part.speaker, part.cue = found.speaker, part.cue or found.cue
                    part = part.same_group_as
        elif found.inherit_from is not None and found.inherit_from.speaker is not None:
            found.speaker = found.inherit_from.speaker
            found.cue = found.cue or found.inherit_from.cue
            self.last_speaker_quote = found
        self.found.append(found)

    def _finish(self) -> list[Quote]:
        quotes: list[Quote] = []
        ids: dict[int, str] = {}
        ordered = sorted((f for f in self.found if not f.hidden), key=lambda f: f.start)
        for number, found in enumerate(ordered, start=1):
            ids[id(found)] = f"q{number}"
        groups: dict[int, str] = {}
        for found in ordered:
            root = found
            while root.same_group_as is not None and id(root.same_group_as) in ids:
                root = root.same_group_as
            groups[id(found)] = ids[id(root)]
        for found in ordered:
            quotes.append(
                Quote(
                    id=ids[id(found)],
                    group=groups[id(found)],
                    text=self.text[found.start : found.end],
                    start=found.start,
                    end=found.end,
                    kind=found.kind,  # type: ignore[arg-type]
                    speaker=found.speaker,
                    cue=found.cue,
                    paragraph=found.paragraph,
                    tags=tuple(found.tags),
                )
            )
        return quotes


def _describe(mention: Mention, appositive: str | None) -> Mention:
    if not appositive:
        return mention
    return Mention(mention.start, mention.end, mention.text, mention.form, mention.name,
                   appositive.strip(" ,"), mention.definite)


def _introduced(tokens: list[Token], mention: Mention, resolver: SpeakerResolver, verb_needed: bool = True) -> bool:
    """A name a later pronoun may mean: a full name, an organisation ("NATO"), one word introduced by a
    role ("the state news agency Polyus") or an appositive ("Dennis, a cab driver,"), or one word followed
    by its verb ("Peskov spoke"); not "Poles made up ...", "Twenty kilometres south" or "Back in ..."."""
    name = mention.name or ""
    if mention.form != "name" or resolver.is_known_person(mention) or " " in name or mention.description:
        return True
    word = name.lower().rstrip(".")
    if word in ORGANISATION_WORDS or (name.isupper() and len(name) > 1):
        return True
    after = next((t for t in tokens if t.start >= mention.end), None)
    if after is None:
        return False
    if after.lower in (",", "who", "from", "of", "("):
        return True
    plural = word.endswith("s") and not word.endswith(("ss", "us", "is", "as", "os"))  # not "Kallas", "Carlos"
    verb_like = (after.lower in REPORTING_VERBS or after.lower in _COMMON_VERBS or after.lower.endswith("ed")
                 or not verb_needed and after.is_word and not after.is_capitalised)
    return (verb_like and not plural and word not in _NUMBER_WORDS and word not in resolver.common_words
            and word not in SUBJECT_PRONOUNS and "'" not in word and "’" not in word and len(word) > 1)


def _after_place_list(tokens: list[Token], start: int) -> int:
    """Past a list of places that continues an opening phrase ("In Kyiv, | Warsaw and Berlin, | the deal
    ..."); ``start`` itself when what follows is no such list ("On Tuesday, Rutte, speaking ...")."""
    k = start
    while k + 1 < len(tokens) and tokens[k].is_capitalised and tokens[k + 1].text == ",":
        k += 2
    if not (k + 2 < len(tokens) and tokens[k].is_capitalised and tokens[k + 1].lower == "and"):
        return start
    end = k + 2
    while end < len(tokens) and tokens[end].is_capitalised:
        end += 1
    return end + 1 if end < len(tokens) and tokens[end].text == "," else start


def _title_then_name(tokens: list[Token], j: int) -> bool:
    """True when lower-case words from ``j`` end in a title or role noun right before a name ("press
    secretary Karine Jean-Pierre"): the words belong to the speaker's phrase."""
    for k in range(j, min(len(tokens) - 1, j + 3)):
        tok = tokens[k]
        if (not tok.is_word or tok.is_capitalised or tok.lower in _CLAUSE_STOP or tok.lower in REPORTING_VERBS
                or tok.lower in _COMMON_VERBS or tok.lower in AUXILIARIES or tok.lower.endswith("ed")):
            return False  # "Macron invited prime minister Keir Starmer": a verb, not a title
        if (tok.lower in ROLE_NOUNS or tok.lower in TITLE_WORDS) and is_name_token(tokens[k + 1]):
            return True
    return False


def _after_colon(tokens: list[Token], m: _Marked) -> bool:
    """True when a colon stands right before the marked quote ``m``: what the sentence's subject says next."""
    qi = next(i for i, t in enumerate(tokens) if t.text == QUOTE_TOKEN and t.start == m.open_at)
    return qi > 0 and tokens[qi - 1].text == ":"


def _short_phrase_then_comma(rest: list[Token]) -> bool:
    """'said Tuesday, knocking out ...', 'said, adding that ...', 'said on Monday, the largest ...': after the
    verb at most a short phrase, a comma, then a participle, a conjunction or a noun phrase; what follows is
    no reported clause of this verb (the statement stands before it). Not 'he added, deserved ...': a
    parenthetical attribution inside the statement."""
    comma = next((k for k, t in enumerate(rest[:5]) if t.text == ","), None)
    if comma is None or comma + 1 >= len(rest) or any(
            t.lower == "that" or not t.is_word or t.text[:1].isdigit() or _is_verb(t) for t in rest[:comma]):
        return False
    after = rest[comma + 1].lower
    if not after.endswith("ing") and any(t.lower == "that" for t in rest[comma + 1 : comma + 8]):
        return False  # "said Tuesday, however, that ...": the clause follows after all
    return after.endswith("ing") or after in _CLAUSE_STOP or after in DETERMINERS


def _listener_alone(rest: list[Token]) -> bool:
    """'told the state RNI news agency.': a short verbless noun phrase that ends the sentence is who heard
    the statement, not what was said ("warned the army was exhausted" has its verb)."""
    words = []
    for token in rest:
        if not token.is_word:
            break
        words.append(token)
    ends = len(words) == len(rest) or rest[len(words)].text in (".", "!", "?", ";")
    return (ends and 1 < len(words) <= 6 and words[0].lower in DETERMINERS
            and not any(w.lower in AUXILIARIES or w.lower in _COMMON_VERBS or w.lower.endswith("ed")
                        or _is_verb(w, previous=words[i]) for i, w in enumerate(words[1:])))


def _before_next_statement(rest: list[Token]) -> list[Token]:
    """The words after a reporting verb up to the next statement in the sentence: a coordinated verb of the
    same subject ("... and urged ...", "praised the rescuers but said ...") or "but" / ", and" before a new
    subject and its verb ("talks were useful, but Kyiv said ...", "..., and Moscow said ...")."""
    for k, tok in enumerate(rest[:-1]):
        nxt = rest[k + 1]
        if tok.lower in ("and", "but") and _is_verb(nxt) and not nxt.lower.endswith("ing"):
            return rest[:k]  # the same subject: "... and urged ...", "praised the rescuers but said ..."
        after_comma = k > 0 and rest[k - 1].text == ","
        if tok.lower == "according" and after_comma and nxt.lower == "to":
            return rest[: k - 1]  # "said CLAUSE, according to her count": the source, not the statement
        if tok.lower == "then" and after_comma and (_is_verb(nxt) or _phrase_cue(rest, k + 1)):
            return rest[: k - 1]  # "praised the approach, then made clear that ..." (not "stalled, then collapsed")
        new_subject = (tok.lower == "but" and (after_comma or nxt.is_capitalised)
                       or tok.lower == "and" and after_comma and nxt.is_capitalised)
        if new_subject and any(_verb_at(rest, m) and rest[m].lower in STRONG_REPORTING_VERBS for m in range(k + 2, min(len(rest), k + 5))):
            return rest[: k - 1] if after_comma else rest[:k]  # "..., but Kyiv said", "the report but Kyiv insisted"
    return rest


_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday today yesterday tonight".split())


def _after_time_phrase(clause: list[Token]) -> list[Token]:
    """The clause without the day that belongs to its verb: 'said (on) Friday | it would expel two diplomats'."""
    t = 1 if clause and clause[0].lower == "on" else 0
    if t < len(clause) and clause[t].lower in _DAYS and t + 2 < len(clause) and clause[t + 1].is_word:
        return clause[t + 1 :]
    return clause


def _long_organisation_start(tokens: list[Token], k: int, floor: int) -> int | None:
    """Where a long organisation name opens when the capitalised run at ``k`` ends one whose parts are
    joined by "and" or "in" as well ("Organisation for Economic Co-operation and Development", "... in
    Europe"), which the noun-phrase rules stop at; None when there is none."""
    if k - 2 < floor or tokens[k - 1].lower not in ("and", "in"):
        return None
    opens, i = None, k
    for _ in range(4):
        j = i - 1 if i - 1 > floor and tokens[i - 1].lower == "the" else i
        if j - 2 < floor or not organisation_link(tokens, j - 1, i):
            break
        i = j - 1
        while i - 1 >= floor and is_name_token(tokens[i - 1]) and not POSSESSIVE.search(tokens[i - 1].text):
            i -= 1
        if not is_name_token(tokens[i]):
            break
        if is_organisation_word(tokens[i].text) and tokens[i + 1].lower in ("of", "for", "on"):
            opens = i
    return opens


def _inside_organisation_name(tokens: list[Token], start: int) -> bool:
    """True when the capitalised run at ``start`` ends an organisation's name: "Committee of the | Red Cross"."""
    k = start - 1
    if k >= 0 and tokens[k].lower == "the":
        k -= 1
    if k >= 1 and tokens[k].lower in ("of", "for", "on") and tokens[k - 1].is_capitalised and is_organisation_word(tokens[k - 1].text):
        return True
    # "Ministry of Roads and | Urban Development", not "the Ministry of Defence and | Sergei Orlov"
    return _long_organisation_start(tokens, start, 0) is not None


def _capital_mention(tokens: list[Token], np: list[Token], floor: int) -> Mention | None:
    """A lone capital that opens its clause and speaks for its government ("Moscow said", "In Brussels, Kyiv
    insisted", "..., but Kyiv said", "which Moscow described as"), as a name mention; not a place after a
    preposition ("living in Kyiv said"), a dateline ("MOSCOW —") or a capital inside a clause ("after Moscow
    said")."""
    if len(np) != 1 or np[0].text.lower() not in CAPITAL_METONYMS or np[0].text.isupper():
        return None
    k = tokens.index(np[0])
    if k == floor or tokens[k - 1].text in (",", "—", "–", "-") or tokens[k - 1].lower in ("but", "and", "while", "which", "what"):
        return Mention(np[0].start, np[0].end, np[0].text, "name", name=np[0].text)
    return None


def _clause_like(rest: list[Token]) -> bool:
    """True when the words after a reporting verb make a clause of their own ("the mayor said he had not
    decided"): a pronoun or an auxiliary before any comma."""
    for tok in rest[:8]:
        if not tok.is_word:
            return False
        if tok.lower in SUBJECT_PRONOUNS or tok.lower in _COPULAS or tok.lower in _MODALS:
            return True
    return False


def _opening_phrase(tokens: list[Token]) -> bool:
    """True when the words before a subject are an opening phrase, not a statement: a preposition or a
    participle with no verb after it ("In a video address on Sunday night, ...", "Speaking in Minsk, ..."),
    or a participle and its "that" clause ("Arguing that sanctions had failed, ..."). "Fighting in the east
    intensified overnight, ..." and "Sending more troops would be a mistake, ..." are statements."""
    first = tokens[0]
    second = tokens[1] if len(tokens) > 1 else None
    if first.lower in _SUBORDINATORS and not any(t.text == "," for t in tokens[1:-1]):
        return True  # "When Kyiv asked for more F-16s, ..."
    participle = first.lower.endswith(("ing", "ed")) and second is not None and second.is_word  # "Visiting Kyiv", "Asked about"
    if participle and second.lower == "that":
        return True
    if not (participle or first.lower in _PREPOSITIONS or first.lower in _PLACE_PREPOSITIONS):
        return False
    return not any(t.lower in AUXILIARIES or t.lower in _COPULAS or t.lower.endswith("ed") for t in tokens[1:])


def _after_dateline(clause: list[Token]) -> list[Token]:
    """The clause without a wire dateline before it: 'KYIV, Ukraine (AP) — Russian drones ...', 'MOSCOW, Nov 20
    (Reuters) - Russia's ...'. A dateline opens with a word in capitals, holds no lower-case word before its
    dash, and a capital follows the dash ("UK inflation — already ..." is no dateline)."""
    first = clause[0] if clause else None
    if first is None or not first.text.isupper() or len(first.text) < 2 or is_organisation_word(first.text) or first.lower in ("us", "uk"):
        return clause  # "NATO — the alliance Moscow fears — will meet" has no dateline
    for k, tok in enumerate(clause[:12]):
        if tok.text in ("—", "–", "-"):
            after = clause[k + 1] if k + 1 < len(clause) else None
            return clause[k + 1 :] if after is not None and after.is_capitalised else clause
        if tok.is_word and not tok.is_capitalised and not tok.text[:1].isdigit():
            return clause
    return clause


def _object_phrase(clause: list[Token]) -> bool:
    """A determiner and one word after the verb ("the speech", "her name", "the criticism"): the verb's object,
    not a reported statement. Longer phrases may hold a verb the rules cannot see ("the West lies", "the
    economy shrank"), so they stay statements."""
    words = [t for t in clause if t.is_word]
    return (len(words) == 2 and (words[0].lower in DETERMINERS or bool(POSSESSIVE.search(words[0].text)))
            and words[1].lower not in AUXILIARIES and words[1].lower not in _COPULAS and words[1].lower not in SUBJECT_PRONOUNS)


def _that_follows_listener(rest: list[Token]) -> bool:
    """'told Fox that ...', 'said that ...': "that" within the first words after the verb, before any comma."""
    for tok in rest[:4]:
        if tok.lower == "that":
            return True
        if not tok.is_word:
            return False
    return False


def _that_follows(tokens: list[Token], i: int) -> bool:
    """True when "that" follows the verb at ``i``, right after it or after a short place phrase: "wrote that",
    "wrote on Telegram that", "posted in a statement on Sunday that"."""
    if i + 1 < len(tokens) and tokens[i + 1].lower == "that":
        return True
    if i + 2 < len(tokens) and tokens[i + 1].lower == "out" and tokens[i + 2].lower == "that":
        return True  # "pointed out that"
    if i + 1 >= len(tokens) or tokens[i + 1].lower not in ("on", "in"):
        return False
    for k in range(i + 2, min(len(tokens), i + 8)):
        if tokens[k].lower == "that":
            return True
        if not tokens[k].is_word or tokens[k].lower in REPORTING_VERBS and tokens[k - 1].lower not in DETERMINERS:
            return False  # another verb ("wrote in the hospital and said that"), but "in a post that" is a noun
    return False


_SENTENCE_PUNCTUATION = ".!?…"


def _one_person(descriptor: Mention) -> bool:
    """A role that names one person ("a caller from Tula", "the first caller"), not a body ("the Russian
    embassy in Warsaw", whose own mention names it better) or a group ("Wives", "Drone operators")."""
    return is_person_head(head_noun(descriptor.text))


_SUFFERED = frozenset("""killed wounded injured hurt buried detained arrested sentenced jailed convicted charged born
    captured taken abducted kidnapped deported expelled evacuated released freed executed tortured mobilised mobilized
    drafted conscripted dismissed fired reached found seen hit shot trapped rescued""".split())


def _before_main_verb(clause: list[Token]) -> list[Token]:
    """A relative clause's statement up to its first comma, where the main clause may resume ("he was
    tortured, | has filed a lawsuit", "he had been threatened, | Kyiv police said, was placed ...")."""
    for k in range(1, len(clause) - 1):
        if clause[k].text == ",":
            return clause[:k]  # the first comma: a later one may follow an appositive that the cut then loses
    return clause


def _finite(tokens: list[Token]) -> bool:
    """True when the words hold a verb form that can make a clause ("were", "had", "fell"), not only an
    opening phrase ("Like many of his colleagues", "Two days after the attack")."""
    return any(t.lower in VERB_AUXILIARIES or t.lower in _COMMON_VERBS
               or t.lower.endswith("ed") and not t.is_capitalised for t in tokens)


def _adverbial_tail(rest: list[Token]) -> bool:
    """True when nothing but a short adverbial follows a verb ("." or "on Telegram." or "on Monday."), not an
    object ("welcomed the change")."""
    words = [t for t in rest if t.is_word]
    return not words or len(words) <= 4 and (words[0].lower in _PREPOSITIONS or words[0].lower in _DAYS)


def _phrase_cue(tokens: list[Token], i: int) -> int:
    """How many tokens from ``i`` a two-word cue takes up to its content: "called on (X to ...)", "called for
    (talks)", "made (it) clear (that)"; 0 when there is none ("called for help", "called on the radio")."""
    word = tokens[i].lower
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if word in ("called", "calls", "call") and nxt == "for" and i + 2 < len(tokens) and tokens[i + 2].is_word:
        return 0 if tokens[i + 2].lower == "help" else 2
    if (word in ("called", "calls", "call") and nxt == "on" and i + 2 < len(tokens) and tokens[i + 2].lower not in _DAYS
            and any(t.lower == "to" for t in tokens[i + 3 : i + 8])):
        return 2  # "called on the EU to put ...", not "called on the radio for support" or "called on Tuesday for"
    if word in ("made", "makes", "make"):
        k = i + 2 if nxt == "it" else i + 1
        if k + 1 < len(tokens) and tokens[k].lower == "clear" and tokens[k + 1].lower == "that":
            return k + 2 - i
    return 0


_DIED = frozenset("died dies drowned perished disappeared vanished".split())


def _acted_upon(tokens: list[Token], subject: Mention) -> bool:
    """True when the sentence tells what was done to its subject or that the subject kept silent ("Mykola
    Bondar, 67, was killed", "died in 2015", "could not be reached", "did not respond"), or has the subject ask someone
    ("A journalist asked him about the battle"): the quote that follows is someone else's."""
    after = [t for t in tokens if t.start >= subject.end]
    if after and after[0].text == ",":  # past an appositive or relative clause: "X, whose son was killed, called in"
        close = next((k for k in range(1, len(after)) if after[k].text == ","), 0)
        after = after[close + 1 :]
    for k, token in enumerate(after):
        low = token.lower
        if low in ("whose", "who", "which"):
            return False  # "A mother from Kherson whose two sons were taken ...": the clause tells of others
        if low in _PASSIVE_AUXILIARIES and any(t.lower in _SUFFERED for t in after[k + 1 : k + 3]) or low in _DIED:
            return True
        if low in ("not", "never", "declined", "refused") and any(
                t.lower.startswith(("respond", "return", "comment", "answer", "repl", "available", "request", "interview"))
                for t in after[k + 1 : k + 3]) or low == "unavailable":
            return True  # "did not respond", "was not available for comment", "declined to comment" (not "declined to take sides")
        if low in ("asked", "asks", "ask", "questioned", "interviewed") and k + 1 < len(after) and after[k + 1].is_word:
            return True
    return False


def _appositive_of_name(tokens: list[Token], mention: Mention) -> bool:
    """True when ``mention`` follows a name and its comma ("According to Oleksandr Tymoshchak, | deputy head
    of Ukraine's sea ports authority, ..."): the named person again, not someone new."""
    before = [t for t in tokens if t.end <= mention.start]
    return len(before) >= 2 and before[-1].text == "," and is_name_token(before[-2])


def _pronoun_before_colon(tokens: list[Token], m: _Marked) -> Token | None:
    """The "he" of "At a second session he went further: “...”": a person pronoun followed by its verb in
    the words that lead to the colon before the quote."""
    qi = next(i for i, t in enumerate(tokens) if t.text == QUOTE_TOKEN and t.start == m.open_at)
    for p in range(qi - 3, -1, -1):
        if tokens[p].text == QUOTE_TOKEN or tokens[p].text in (".", ";", ":"):
            return None
        if tokens[p].lower in ("he", "she", "they") and tokens[p + 1].is_word and not tokens[p + 1].is_capitalised:
            return tokens[p]
    return None


def _clear_single_quote(paragraph: str, span: MarkedSpan) -> bool:
    """A quote in single marks that is plainly a quote even in an article that uses double marks: four words
    or more, opening after a colon ("said: ‘...’") or opening a sentence and ending one ("‘... .’ she said",
    "‘...’, wrote a user"). Short spans stay scare quotes, nested quotes or apostrophes."""
    content = paragraph[span.start : span.end]
    words = content.split()
    if span.close_mark is None or len(words) < 4 or all(w[:1].isupper() or w in _TITLE_SMALL_WORDS for w in words):
        return False  # short, unclosed, or in title case (a heading: "‘All Bets Are Off.’", "'Legend in the Coal Fields.'")
    before = paragraph[: span.start - 1].rstrip()
    if before.endswith(":"):
        return True
    if before and before[-1] not in _SENTENCE_PUNCTUATION and before[-1] not in CLOSING_MARKS:
        return False
    after = paragraph[span.end + 1 : span.end + 3]
    return content.rstrip()[-1:] in _SENTENCE_PUNCTUATION + "," or after[:1] == ","


def _drop_parentheticals(tokens: list[Token]) -> list[Token]:
    """Leave out short bracketed asides ("Gov. Pat McCrory (R) said") so they do not cut phrases."""
    kept: list[Token] = []
    i = 0
    while i < len(tokens):
        if tokens[i].text == "(":
            close = next((k for k in range(i + 1, min(len(tokens), i + 9)) if tokens[k].text == ")"), None)
            if close is not None and not any(t.text == QUOTE_TOKEN for t in tokens[i:close]):
                i = close + 1
                continue
        kept.append(tokens[i])
        i += 1
    return kept


def _is_headline(paragraph: str) -> bool:
    """A title-case line without a final stop ("Obama Sees Hope in Ohio"): its names are not subjects."""
    words = [w for w in paragraph.split() if w[:1].isalpha() and len(w) > 3]
    if len(words) < 3 or paragraph.rstrip()[-1:] in ".!?\"”’'":
        return False
    return sum(1 for w in words if w[0].isupper()) >= 0.7 * len(words)


_DECLINE = frozenset("declined declines refused refuses".split())
_SPEECH_AFTER_DECLINE = frozenset("comment say give discuss elaborate disclose specify reveal confirm name answer speculate".split())


def _declined_to_speak(tokens: list[Token], i: int) -> bool:
    """ "declined to comment (on)", "refused to say": a refusal to comment is a statement too."""
    return i + 2 < len(tokens) and tokens[i + 1].lower == "to" and tokens[i + 2].lower in _SPEECH_AFTER_DECLINE


def _split_at_and_that(clause: list[Token]) -> list[list[Token]]:
    """Coordinated reported clauses, "X had left and that Y visited" ("but that" too), as separate statements."""
    parts: list[list[Token]] = []
    start = 0
    for k in range(1, len(clause) - 1):
        if clause[k].lower in ("and", "but") and clause[k + 1].lower == "that":
            parts.append(clause[start:k])
            start = k + 2
    parts.append(clause[start:])
    return [p for p in parts if p]
