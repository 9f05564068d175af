"""Speaker noun phrases and their resolution to one canonical name per person in an article.

A mention next to a reporting verb is read as a name ("Deputy Foreign Minister Pavel Orlov"), a pronoun
("he") or a descriptor ("a Kremlin spokesman"). Names are resolved against every full name the article
gives (so "Putin" and "Mr Putin" become "Vladimir Putin"); pronouns and descriptors against earlier
speakers. Where nothing fits, the resolver says ``None`` rather than guess.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache

from stance.lexicon import (
    ADVERB_AUXILIARIES,
    DETERMINERS,
    FEMALE_WORDS,
    MALE_WORDS,
    NATIONALITY_WORDS,
    ORGANISATION_WORDS,
    PLACE_WORDS,
    POSTER_NOUNS,
    REPORTING_VERBS,
    ROLE_NOUNS,
    SUBJECT_PRONOUNS,
    TITLE_WORDS,
    VERB_AUXILIARIES,
)
from stance.text import Token

_RECENT = 40  # pronouns and descriptors look this many speakers back at most
NAME_PARTICLES = frozenset("de da das do dos du van von der den bin ibn al el la le di del ter".split())
#: Capitals that speak for their governments when they open a sentence ("Moscow said", "Kyiv denied").
CAPITAL_METONYMS = frozenset("moscow kyiv washington beijing london paris berlin brussels minsk tehran pyongyang ankara "
                             "warsaw budapest tbilisi".split())
#: Object pronouns that can name a speaker ("TASS quoted him as saying"), by their subject form.
OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they"}
_LEADING_PARTICLES = frozenset("von van de di du del dos".split())  # may open a name written without its first name
_TITLE_ABBREVIATIONS = frozenset("mr mrs ms dr prof gen col lt sgt capt maj adm gov sen rep st jr sr fr".split())
NOT_NAMES = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december today yesterday tonight
    about above across after against along among amid around before behind below beneath beside besides
    between beyond despite during except inside into near outside since through throughout toward towards
    under unlike until upon within without according following""".split()  # capitalised only at a sentence's start: never a name
)
DEMONYMS = {
    "russia": "Russian", "ukraine": "Ukrainian", "turkey": "Turkish", "china": "Chinese", "india": "Indian",
    "iran": "Iranian", "belarus": "Belarusian", "hungary": "Hungarian", "brazil": "Brazilian",
    "germany": "German", "france": "French", "poland": "Polish", "britain": "British", "america": "American",
    "italy": "Italian", "japan": "Japanese", "israel": "Israeli", "serbia": "Serbian", "georgia": "Georgian",
    "moldova": "Moldovan", "finland": "Finnish", "estonia": "Estonian", "latvia": "Latvian",
    "lithuania": "Lithuanian", "slovakia": "Slovak", "austria": "Austrian", "kazakhstan": "Kazakh",
    "kremlin": "Kremlin", "moscow": "Moscow", "kyiv": "Kyiv", "nato": "NATO", "ukraine’s": "Ukrainian",
}
_ROLE_FROM_PLACE = re.compile(
    r"^(?i:a|an|one|another)\s+(" + "|".join(sorted(POSTER_NOUNS)) + r")\s+(?:in|from)\s+((?:St\.\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)$"
)
_SPOKESMAN_FOR = re.compile(
    r"^(?:(?:the|a|an|one)\s+)?(spokesman|spokeswoman|spokesperson|representative|official)\s+(?:for|of)\s+(.+)$",
    re.IGNORECASE,
)
_PHRASE_PREPOSITIONS = frozenset("for of at in from on near".split())
_DOCUMENT_FROM = re.compile(r"^(?:(?:the|a|an|one)\s+)?(?:\w+\s+)?(?:statement|readout|communique|communiqué|letter|memo)\s+"
                            r"(?:from|by|issued by|released by)\s+", re.IGNORECASE)
# months that are also surnames: after a first name they are part of the name ("Theresa May")
_MONTH_SURNAMES = frozenset("may march june august".split())
# last words of capitalised runs that name events, laws or plans, not people: "Second World War", "Victory Day"
_EVENT_WORDS = frozenset("war wars day games cup festival summit forum conference treaty agreement accord plan "
                         "operation championship olympics prize award act bill law convention doctrine pact".split())
_ARTICLES = frozenset("the a an this that these those our his her its their my your".split())
POSSESSIVE = re.compile(r"[’']s$")  # a word's possessive ending (Orlov's), shared with the extractor
_FEMALE_FIRST_NAME = re.compile(r"^[A-ZÀ-Ž][a-zà-ž]+a$")
_MALE_A_NAMES = frozenset("nikita ilya foma luca joshua andrea kuzma sasha misha grisha vanya dima kolya "
                          "yasha zhenya tolya borya savva mykola mykyta illia danila luka nikola aleksa sava "
                          "mustafa hamza musa isa yahya taha osama usama mirza mojtaba juma baraka".split())
_MALE_A_ENDINGS = ("reza",)  # "Alireza", "Gholamreza", "Hamidreza"
_FEMALE_SURNAME = re.compile(r"(?:ova|eva|yova|ina|aya|ska|cka|ová|ská)$")
# Words that can never be part of a speaker phrase.
_STOP = frozenset(
    """and or but that which who whom whose when while as if because although though after before since
    during in on at to from by with without for about into over under than then so yet also not never
    is was were are be been being has have had do does did will would could should may might must can
    this week month year monday tuesday wednesday thursday friday saturday sunday""".split()
)
AUXILIARIES = VERB_AUXILIARIES | ADVERB_AUXILIARIES
GENDER_MALE, GENDER_FEMALE = "male", "female"
KIND_PERSON, KIND_ORG, KIND_GROUP = "person", "organisation", "group"
_PERSON_HEADS = frozenset(
    """diplomat minister official spokesman spokeswoman spokesperson envoy ambassador president leader
    commander general officer soldier analyst expert economist researcher professor historian lawyer
    prosecutor judge investigator doctor surgeon nurse medic volunteer resident witness refugee survivor
    mother father wife widow priest cleric bishop athlete coach player executive banker trader farmer
    teacher student journalist reporter correspondent editor blogger host presenter commentator activist
    dissident mayor governor lawmaker legislator deputy senator politician chairman chairwoman director
    head chief secretary adviser advisor aide representative veteran pensioner driver engineer manager
    owner villager artist musician singer conductor actor actress writer poet filmmaker ombudsman
    woman man scholar monk pastor rabbi imam businessman businesswoman negotiator mediator""".split()
)
# fields that end the second half of an organisation's name after "and" ("Ministry of Roads and Urban Development")
_FIELDS = frozenset("""trade development co-operation cooperation rights security affairs industry energy agriculture
    food culture education science health labour labor welfare technology infrastructure transport communications
    environment justice finance economy planning research reconstruction peace information media sport sports youth
    tourism resources innovation migration family fisheries forestry construction housing commerce investment""".split())
REGIONS = frozenset("asia europe africa america americas caucasus balkans baltics".split())  # "Central Asia": no one
_PLURAL_HEADS = frozenset(w for w in ROLE_NOUNS if w.endswith("s") and w[:-1] in ROLE_NOUNS) | frozenset(
    "countries people sides nations governments authorities officials sources residents both".split()
)
_SYNONYMS = {
    "leader": {"leader", "president", "head", "premier", "chancellor", "prime"},
    "president": {"president", "leader"},
    "diplomat": {"diplomat", "minister", "ambassador", "envoy", "foreign", "diplomacy"},
    "envoy": {"envoy", "ambassador", "diplomat", "representative"},
    "official": {"official", "minister", "spokesman", "spokeswoman", "spokesperson", "secretary", "adviser",
                 "officer", "governor", "mayor", "deputy", "director", "head", "chief", "commissioner"},
    "agency": {"agency", "news", "outlet", "broadcaster"},
    "general": {"general", "commander", "gen", "gen."},
    "commander": {"commander", "general", "colonel", "officer"},
    "lawmaker": {"lawmaker", "deputy", "senator", "mp", "legislator", "congressman", "congresswoman"},
    "politician": {"politician", "lawmaker", "deputy", "senator", "mp", "minister", "leader"},
    "analyst": {"analyst", "expert", "researcher", "fellow", "economist", "scholar"},
    "expert": {"expert", "analyst", "researcher", "fellow", "economist", "scholar"},
    "doctor": {"doctor", "surgeon", "dr", "dr.", "physician", "medic"},
    "surgeon": {"surgeon", "doctor", "dr", "dr."},
    "priest": {"priest", "father", "fr", "cleric", "archbishop", "bishop", "metropolitan"},
    "cleric": {"cleric", "priest", "father", "bishop", "archbishop", "metropolitan", "imam", "rabbi"},
    "soldier": {"soldier", "sergeant", "serviceman", "fighter", "commander", "officer", "private"},
    "woman": {"woman", "mother", "wife", "widow", "daughter"},
    "man": {"man", "father", "husband", "son"},
    "company": {"company", "firm", "group", "corporation"},
    "bank": {"bank", "central"},
    "prosecutor": {"prosecutor", "attorney"},
}


@dataclass(frozen=True)
class Mention:
    """A speaker phrase found in the text."""

    start: int
    end: int
    text: str
    form: str  # name | pronoun | descriptor
    name: str | None = None  # the name part of a name mention ("Pavel Orlov"), titles stripped
    description: str | None = None  # the words around the name that say what the speaker is
    definite: bool = True  # False for "a spokesman": a new, unnamed speaker


@dataclass
class Entity:
    """One speaker of an article, with what the text has said about them so far."""

    canonical: str
    kind: str = KIND_PERSON
    gender: str | None = None
    words: set[str] = field(default_factory=set)  # lower-cased words of names, titles and descriptions
    last_position: int = -1
    description: str | None = None
    gender_known: bool = False  # True once the text said it (a pronoun, a title), not just guessed from a name


@lru_cache(maxsize=65536)
def _clean(word: str) -> str:
    return POSSESSIVE.sub("", word).lower().strip(".")


def is_title(word: str) -> bool:
    """'Minister', 'Gen.', and hyphenated titles: 'Secretary-General', 'Vice-President', 'Director-General'."""
    low = _clean(word)
    return low in TITLE_WORDS or "-" in low and any(part in TITLE_WORDS for part in low.split("-"))


def _title_or_nationality(word: str) -> bool:
    """'Minister', 'Secretary-General', 'Russian': words that stand before a name and are no part of it."""
    return is_title(word) or _clean(word) in NATIONALITY_WORDS


def _leading_role(word: str) -> bool:
    """'Economist', 'Blogger' opening a capitalised run before a name ("Economist Natalia Orlova"): a role,
    not a first name; organisation words keep their run ("House Speaker ...")."""
    low = _clean(word)
    return word[:1].isupper() and low in ROLE_NOUNS and low not in ORGANISATION_WORDS


def is_name_token(token: Token) -> bool:
    text = token.text
    return text[:1].isupper() and any(c.isalpha() for c in text) and token.lower not in DETERMINERS


def mention_from_tokens(tokens: list[Token], source: str) -> Mention | None:
    """Read a speaker phrase (already cut to its extent) as a name, pronoun or descriptor mention."""
    while tokens and (tokens[0].lower in ("and", ",", "—", "–", "-") or tokens[0].lower in REPORTING_VERBS):
        tokens = tokens[1:]  # "Said Ellis" at the start of a sentence: the verb is not part of the name
    while tokens and not tokens[-1].is_word:
        tokens = tokens[:-1]
    if not tokens:
        return None
    start, end = tokens[0].start, tokens[-1].end
    text = source[start:end]
    if len(tokens) == 1 and tokens[0].lower in SUBJECT_PRONOUNS:
        return Mention(start, end, text, "pronoun")
    if len(tokens) == 1 and tokens[0].lower in ROLE_NOUNS and tokens[0].lower not in ORGANISATION_WORDS:
        return Mention(start, end, text, "descriptor", description=text)  # "Residents said", "Police said"
    # The name is the last run of capitalised words that are not titles or nationality words
    # (an organisation keeps its whole capitalised run: "Russian Foreign Ministry").
    run_end = len(tokens)
    run_start = run_end
    while run_start > 0:
        tok = tokens[run_start - 1]
        low = _clean(tok.text)
        if is_name_token(tok) and not POSSESSIVE.search(tok.text):
            run_start -= 1
        elif tok.lower in NAME_PARTICLES and run_start < run_end:
            run_start -= 1
        elif (is_name_token(tok) and run_start < run_end and _clean(tok.text) in TITLE_WORDS
              and _clean(tokens[run_end - 1].text) in ORGANISATION_WORDS):
            run_start -= 1  # "Prosecutor General's Office"
        else:
            break
        if low in PLACE_WORDS and low not in ORGANISATION_WORDS and run_start == run_end - 1 and not _seat_of_government(tokens, run_start):
            # "Kim Il Sung Square" is no speaker ("the White House" is); "a resident of Keletska Street" is
            at = next((i for i, t in enumerate(tokens) if t.lower in _PHRASE_PREPOSITIONS), 0)
            if at > 0 and _clean(tokens[at - 1].text) in ROLE_NOUNS and (not tokens[at - 1].is_capitalised or at == 1):
                return Mention(start, end, text, "descriptor", description=text, definite=tokens[0].lower not in ("a", "an", "one", "another"))
            return None
    while run_start < run_end and tokens[run_start].lower in NAME_PARTICLES and not (
            tokens[run_start].lower in _LEADING_PARTICLES and is_name_token(tokens[run_end - 1])):
        run_start += 1  # "al" or "la" alone are no name, but "von der Leyen" and "de Gaulle" are
    name_tokens = tokens[run_start:run_end]
    cut = max((i + 1 for i, t in enumerate(name_tokens) if _clean(t.text) in NOT_NAMES
               and (i == 0 or _clean(t.text) not in _MONTH_SURNAMES)
               and not (0 < i < len(name_tokens) - 1 and t.lower == "without")), default=0)  # "Doctors Without Borders"
    if cut:  # "On Monday Zelensky" -> "Zelensky"; "Among" -> nothing; a month after a first name is a surname: "Theresa May"
        if cut == len(name_tokens) or any(t.lower in NAME_PARTICLES for t in name_tokens[cut:cut + 1]):
            return None
        name_tokens = name_tokens[cut:]
    if name_tokens and _clean(name_tokens[-1].text) in ORGANISATION_WORDS:
        pass  # organisation: keep the whole capitalised run ("United Nations Security Council")
    else:
        name_tokens = name_tokens[len(name_tokens) - len(cut_after_title([t.text for t in name_tokens])) :]
        while name_tokens and (_title_or_nationality(name_tokens[0].text)
                               or len(name_tokens) > 2 and _leading_role(name_tokens[0].text)
                               and _clean(name_tokens[1].text) not in NOT_NAMES):  # not "Doctors Without Borders"
            name_tokens = name_tokens[1:]  # "Minister", "Russian", "Economist Natalia Orlova"
    extended = _with_organisation_of(tokens, name_tokens)
    person = _person_before_of(tokens)  # before "of" a person's name wins: "Elvira Nabiullina of the Bank of Russia"
    if person:  # "Senator Delia Yountz of Tennessee", "Mikhail Perevalov of the Red Cross"
        prefix = source[start : person[0].start].strip(" ,")
        return Mention(start, end, text, "name", name=source[person[0].start : person[-1].end],
                       description=prefix if prefix.lower() not in ("", "the", "a", "an") else None)
    name_tokens = extended
    head_of_phrase = next((t for t in tokens[: len(tokens) - len(name_tokens)] if t.lower in _PHRASE_PREPOSITIONS), None)
    phrase_at = tokens.index(head_of_phrase) if head_of_phrase is not None else 0
    role_before_phrase = phrase_at > 0 and _clean(tokens[phrase_at - 1].text) in ROLE_NOUNS  # "Officials in Kyiv"
    if name_tokens and role_before_phrase and (not tokens[phrase_at - 1].is_capitalised
                                               or phrase_at == 1 and _clean(tokens[0].text) in _PLURAL_HEADS | {"police"}):
        name_tokens = []  # "a spokesman for Rosatom", "the embassy in Paris": a descriptor
    if len(name_tokens) == 1 and name_tokens[0].text.isupper() and len(name_tokens[0].text) > 6:
        name_tokens = []  # a dateline ("BELGRADE (Wire) —"), not a speaker; acronyms are shorter
    if name_tokens and run_end == len(tokens):
        name = source[name_tokens[0].start : name_tokens[-1].end]
        prefix = source[start : name_tokens[0].start].strip(" ,")
        description = prefix or None
        if description and description.lower() in ("the", "a", "an"):
            description = None
        return Mention(start, end, text, "name", name=name, description=description)
    document = _DOCUMENT_FROM.match(text)  # "a statement from the foreign ministry": the ministry speaks
    if document is not None:
        origin = mention_from_tokens([t for t in tokens if t.start >= start + document.end()], source)
        if origin is not None:
            return origin
    # A descriptor needs a head word that can speak, or a determiner that makes it a noun phrase.
    head = _clean(tokens[-1].text)
    if (head not in ROLE_NOUNS and head not in TITLE_WORDS and tokens[0].lower not in _ARTICLES and not role_before_phrase
            and not POSSESSIVE.search(tokens[0].text) and not _ROLE_FROM_PLACE.match(text)):  # "one commenter from Nakuru"
        return None
    first = tokens[0].lower
    definite = first not in ("a", "an", "one", "another")
    return Mention(start, end, text, "descriptor", description=text, definite=definite)


def _seat_of_government(tokens: list[Token], last: int) -> bool:
    """'Downing Street': a place name that speaks for a government, though it ends in a place word."""
    return last > 0 and tokens[last - 1].lower == "downing" and tokens[last].lower == "street"


def _with_organisation_of(tokens: list[Token], name_tokens: list[Token]) -> list[Token]:
    """'Bank of Russia', 'European Court of Human Rights', 'Institute for the Study of War': back from the
    name run over "of" / "for (the)" / "on" links and capitalised words to a run that ends in a capitalised
    organisation word, all of which is the name; otherwise the run as it is."""
    start = None
    i = len(tokens) - len(name_tokens)
    while i > 0 and is_name_token(tokens[i - 1]) and not POSSESSIVE.search(tokens[i - 1].text):
        i -= 1  # the whole capitalised run: "Council on | Foreign Relations", where "Foreign" was cut as a nationality
    for _ in range(4):  # four links at most: "the Organization for | Security and | Co-operation in | Europe"
        j = i - 1 if i >= 1 and tokens[i - 1].lower == "the" else i
        if not name_tokens or j < 2 or not organisation_link(tokens, j - 1, i):
            break
        k = j - 1
        while k > 0 and is_name_token(tokens[k - 1]) and not POSSESSIVE.search(tokens[k - 1].text):
            k -= 1
        if k == j - 1:
            break
        if is_organisation_word(tokens[j - 2].text):
            start = k
        i = k
    return name_tokens if start is None else tokens[start:]


def organisation_link(tokens: list[Token], link: int, after: int) -> bool:
    """A word that joins the parts of one organisation's name: "of", "for", "on"; "and" before the name of
    a field ("Foreign Affairs and Trade", "Co-operation and Development"; not "Bank of Russia and Sberbank"
    or "Defence and Kyiv"); "in" before a region ("Co-operation in Europe")."""
    word = tokens[link].lower
    if word in ORGANISATION_LINKS:
        return True
    run = []
    for token in tokens[after:]:
        if not is_name_token(token):
            break
        run.append(token)
    if word == "in":
        return link == after - 1 and bool(run) and _clean(run[-1].text) in REGIONS
    return word == "and" and link == after - 1 and bool(run) and _clean(run[-1].text) in _FIELDS


def _person_before_of(tokens: list[Token]) -> list[Token] | None:
    """The person's name in 'NAME of|from [the] PLACE/BODY' ("Delia Yountz of Tennessee", "Arkady Shemyakin
    of the defence committee"), or None."""
    j = next((i for i, t in enumerate(tokens) if i >= 2 and t.lower in ("of", "from")), None)
    if j is None:
        return None
    k = j
    while k > 0 and (is_name_token(tokens[k - 1]) and not POSSESSIVE.search(tokens[k - 1].text)
                     or tokens[k - 1].lower in NAME_PARTICLES and k - 1 > 0):  # "Ursula von der Leyen of ..."
        k -= 1
    words = cut_after_title([t.text for t in tokens[k:j]])
    person = tokens[j - len(words) : j]
    while person and _title_or_nationality(person[0].text):
        person = person[1:]
    cleaned = [_clean(t.text) for t in person]
    if len(person) < 2 or any(is_organisation_word(t.text) or w in PLACE_WORDS or w in NOT_NAMES
                              or w in TITLE_WORDS and (w not in _ACRONYMS or t.text.isupper())
                              for t, w in zip(person, cleaned)):
        return None
    return person


#: Words that join an organisation word to the rest of its name: "Bank of Russia", "Council on Foreign Relations".
ORGANISATION_LINKS = frozenset("of for on".split())
_LINK_SPLIT = re.compile(" (?:" + "|".join(sorted(ORGANISATION_LINKS)) + ") ")
# organisation and title words that are acronyms: they count only in capitals ("UN", not "Kim Jong Un")
_ACRONYMS = frozenset("un eu nato who iaea icrc unicef unhcr osce tass ria kcna tv".split())


def is_person_head(word: str) -> bool:
    """A head noun that names one person ("caller", "nurse", "editor"), not a body or a group ("police")."""
    return word in _PERSON_HEADS or word in POSTER_NOUNS


def is_organisation_word(word: str) -> bool:
    """'Ministry', 'council', 'NATO'; an acronym counts only in capitals ("Kim Jong Un" is a person)."""
    low = _clean(word)
    return low in ORGANISATION_WORDS and (low not in _ACRONYMS or word.isupper())


def _organisation_name(name: str) -> bool:
    """'Security Council', 'Bank of Russia', 'Council on Foreign Relations': the head word (before any link
    word such as "of") is an organisation word."""
    return _clean(_LINK_SPLIT.split(name)[0].split()[-1]) in ORGANISATION_WORDS


def descriptor_head(descriptor: str) -> str:
    """'military prosecutor's office in Moscow' -> 'office': the last word before the first preposition."""
    words = [_clean(w) for w in descriptor.split()]
    cut = next((i for i, w in enumerate(words) if i and w in _PHRASE_PREPOSITIONS), len(words))
    return words[cut - 1]


def head_noun(descriptor: str) -> str:
    """'a spokesman for Rosatom' -> 'spokesman': the head of a descriptor as written (canonical form first)."""
    return descriptor_head(descriptor_canonical(descriptor))


def cut_after_title(words: list[str]) -> list[str]:
    """'Sports Minister Halyna Pidluzhna' -> 'Halyna Pidluzhna': a name follows the last title word."""
    for i in range(len(words) - 2, -1, -1):
        if is_title(words[i]) and words[i][:1].isupper() and i + 1 < len(words):
            return words[i + 1 :]
    return words


def descriptor_canonical(text: str) -> str:
    """'Our international correspondent' -> 'international correspondent'; "Russia's defence ministry" ->
    'Russian defence ministry' (no determiners; a country's possessive becomes its adjective);
    "a spokesman for Rosatom" -> 'Rosatom spokesman'."""
    match = _SPOKESMAN_FOR.match(text)
    if match:
        return f"{descriptor_canonical(match.group(2))} {match.group(1)}"
    match = _ROLE_FROM_PLACE.match(text)
    if match:  # "a user in Manchester" -> 'Manchester user', as news names such a poster a second time
        return f"{match.group(2)} {match.group(1)}"
    words = text.split()
    while words and (words[0].lower() in _ARTICLES or POSSESSIVE.search(words[0])):
        demonym = DEMONYMS.get(POSSESSIVE.sub("", words[0]).lower()) if POSSESSIVE.search(words[0]) else None
        if demonym:
            words[0] = demonym
            break
        words = words[1:]
    return " ".join(words) if words else text


def guess_gender(name: str, context_words: set[str]) -> str | None:
    if context_words & FEMALE_WORDS:
        return GENDER_FEMALE
    if context_words & MALE_WORDS:
        return GENDER_MALE
    parts = name.split()
    if len(parts) >= 2:
        first, last = parts[0], parts[-1]
        if _FEMALE_SURNAME.search(last.lower()):
            return GENDER_FEMALE
        if (_FEMALE_FIRST_NAME.match(first) and first.lower() not in _MALE_A_NAMES
                and not first.lower().endswith(_MALE_A_ENDINGS)):
            return GENDER_FEMALE
    return None


class SpeakerResolver:
    """Keeps the speakers of one article and maps each new mention to a canonical name."""

    def __init__(self, known_names: dict[str, str], first_token_names: dict[str, str],
                 common_words: frozenset[str] = frozenset(), first_given: dict[str, int] | None = None):
        self.known_names = known_names  # last token (lower) -> full name as first given
        self.first_token_names = first_token_names  # first token (lower) -> full name
        self.first_given = first_given or {}  # full name -> where the article first gives it
        self.common_words = common_words  # words the article also writes in lower case: not parts of names
        # canonical name -> entity, most recently mentioned last (so look-ups scan only the recent end)
        self.entities: OrderedDict[str, Entity] = OrderedDict()
        self.person_by_last: dict[str, str] = {}

    def _find(self, canonical: str) -> Entity | None:
        return self.entities.get(canonical)

    def _recent(self, limit: int = _RECENT) -> list[Entity]:
        """Entities from the most recently mentioned back, at most ``limit`` of them."""
        recent = []
        for key in reversed(self.entities):
            recent.append(self.entities[key])
            if len(recent) >= limit:
                break
        return recent

    def _touch(self, canonical: str, position: int, kind: str, words: set[str], description: str | None,
               gender_words: set[str] = frozenset()) -> Entity:
        entity = self._find(canonical)
        if entity is None:
            entity = Entity(canonical=canonical, kind=kind)
            self.entities[canonical] = entity
            if kind == KIND_PERSON:
                self.person_by_last.setdefault(canonical.split()[-1].lower(), canonical)
        self.entities.move_to_end(canonical)
        entity.words |= words | {w.lower() for w in canonical.split()}
        entity.last_position = max(entity.last_position, position)
        if description and not entity.description:
            entity.description = description
        if entity.kind == KIND_PERSON and not entity.gender_known:
            # only the words of the mention itself ("Mrs", "spokeswoman") tell the gender: an appositive
            # such as "whose husband was captured" speaks of someone else
            explicit = GENDER_FEMALE if gender_words & FEMALE_WORDS else GENDER_MALE if gender_words & MALE_WORDS else None
            if explicit:
                entity.gender, entity.gender_known = explicit, True
            elif entity.gender is None:
                entity.gender = guess_gender(canonical, set())
        return entity

    def canonical_name(self, name: str, position: int | None = None) -> str:
        """The full name the article gives for ``name`` ("Putin" -> "Vladimir Putin"); not one it gives only
        later ("President Obama ... Michelle Obama": news gives a new person's full name first)."""
        parts = name.split()
        if len(parts) > 1 and _organisation_name(name):
            return name  # "International Committee of the Red Cross" is not the "Red Cross" a run found inside it
        key = _clean(parts[-1])
        full = self.known_names.get(key)
        if full and position is not None and self.first_given.get(full, 0) > position:
            full = None
        if full and (len(parts) == 1 or full.endswith(name) or len(full.split()) > len(parts)):
            return full
        if len(parts) == 1:
            by_first = self.first_token_names.get(key)
            if by_first:
                return by_first
        return self.person_by_last.get(key, name)

    def is_known_person(self, mention: Mention) -> bool:
        """A name of two or more words, or one word the article gives elsewhere as part of a full name."""
        if mention.form != "name" or mention.name is None:
            return False
        words = [_clean(w) for w in mention.name.split()]
        if any(w in ORGANISATION_WORDS or w in PLACE_WORDS for w in words):
            return False
        return len(words) >= 2 or words[0] in self.known_names or words[0] in self.first_token_names

    def note_subject(self, mention: Mention, position: int | None = None) -> None:
        """Remember a named sentence subject who has not spoken (yet): a later "he said" may mean them.

        Only what reads as a person's name: not only words that the article also writes in lower case
        ("Industry Day", "Then", "Drones"; "Mark Rutte" and "Theresa May" pass), no place, nationality or
        organisation word, and no lone "-ing" word ("Addressing the crowd, he ...")."""
        if mention.form != "name" or mention.name is None:
            return
        words = [_clean(w) for w in mention.name.split()]
        organisation = _organisation_name(mention.name)  # "the Security Council", "the Bank of Russia": antecedents for "it"
        if not organisation and (all(w in self.common_words for w in words) or words[-1] in _EVENT_WORDS or words[-1] in REGIONS
                                 or any(w in PLACE_WORDS or w in NATIONALITY_WORDS or w in ORGANISATION_WORDS for w in words)
                                 or (len(words) == 1 and words[0].endswith("ing"))):
            return
        self.resolve(mention, mention.start if position is None else position)

    def resolve(self, mention: Mention, position: int) -> tuple[str | None, str | None]:
        """Return (canonical name, description) for ``mention`` standing at ``position``."""
        words = {_clean(w) for w in re.findall(r"[\w’'.-]+", mention.description or "")}
        if mention.form == "name" and mention.name is not None:
            # a titled lone surname ("President Obama") is not a full name given only later ("Michelle Obama")
            titled = mention.description is not None and len(mention.name.split()) == 1
            canonical = self.canonical_name(mention.name, mention.start if titled else None)
            if canonical != mention.name and mention.name in self.entities:
                canonical = mention.name  # "Ambassador Reyes ... Reyes said" stays the ambassador, not a later "Carmen Reyes"
            last = _clean(canonical.split()[-1])
            organisation = (_organisation_name(canonical)  # "Bank of Russia", or "the state news agency Polyus":
                            or bool(mention.description) and _clean(mention.description.split()[-1]) in ORGANISATION_WORDS)
            kind = KIND_ORG if (last in ORGANISATION_WORDS or organisation or canonical.isupper() and len(canonical) > 1
                                or _clean(canonical) in CAPITAL_METONYMS or _clean(canonical) in DEMONYMS) else KIND_PERSON
            mention_words = {_clean(w) for w in mention.text.split()}
            entity = self._touch(canonical, position, kind, words | mention_words, mention.description, mention_words)
            return entity.canonical, entity.description
        if mention.form == "pronoun":
            pronoun = mention.text.lower()
            entity = self._resolve_pronoun(OBJECT_PRONOUNS.get(pronoun, pronoun), position)
            if entity is None:
                return None, None
            self._mark(entity, position)
            return entity.canonical, entity.description
        entity = self._resolve_descriptor(mention, position)
        if entity is None:
            canonical = descriptor_canonical(mention.text)
            head = descriptor_head(canonical)
            kind = KIND_GROUP if head in _PLURAL_HEADS else (KIND_ORG if head in ORGANISATION_WORDS else KIND_PERSON)
            entity = self._touch(canonical, position, kind, words, None, {_clean(w) for w in mention.text.split()})
            return entity.canonical, None
        self._mark(entity, position)
        return entity.canonical, entity.description

    def _mark(self, entity: Entity, position: int) -> None:
        entity.last_position = max(entity.last_position, position)
        self.entities.move_to_end(entity.canonical)

    def _resolve_pronoun(self, pronoun: str, position: int) -> Entity | None:
        candidates = sorted((e for e in self._recent() if e.last_position <= position), key=lambda e: -e.last_position)
        # First pass trusts genders guessed from names; the second only genders the text made explicit
        # ("Aleksa" looks female but is a man's name in Serbian).
        for trust_guesses in (True, False):
            for entity in candidates:
                gender = entity.gender if (trust_guesses or entity.gender_known) else None
                if pronoun == "he" and entity.kind == KIND_PERSON and gender != GENDER_FEMALE:
                    return self._learn(entity, GENDER_MALE)
                if pronoun == "she" and entity.kind == KIND_PERSON and gender != GENDER_MALE:
                    return self._learn(entity, GENDER_FEMALE)
                if pronoun == "it" and entity.kind == KIND_ORG:
                    return entity
                if pronoun == "they" and entity.kind in (KIND_GROUP, KIND_ORG):
                    return entity
        return None

    @staticmethod
    def _learn(entity: Entity, gender: str) -> Entity:
        if not entity.gender_known:
            entity.gender = gender
            entity.gender_known = True
        return entity

    def _resolve_descriptor(self, mention: Mention, position: int) -> Entity | None:
        if not mention.definite:
            return None
        canonical = descriptor_canonical(mention.text).lower()
        words = [_clean(w) for w in mention.text.split()]
        words = [w for w in words if w not in DETERMINERS]
        if not words:
            return None
        # the head is the noun before any prepositional phrase: "the embassy in Belgrade" -> embassy
        cut = next((i for i, w in enumerate(words) if w in _PHRASE_PREPOSITIONS and i > 0), len(words))
        head = words[cut - 1]
        wanted = _SYNONYMS.get(head, {head}) | {head, head.rstrip("s")}
        modifiers = set(words[: cut - 1])  # "the Green deputy": the deputy the article called Green
        organisation = head in ORGANISATION_WORDS
        best: tuple[int, int, Entity] | None = None
        for entity in self._recent():
            if entity.last_position > position or not (entity.words & wanted):
                continue
            if entity.canonical.lower() == canonical:
                return entity
            if organisation and (entity.kind != KIND_ORG or not set(words[:cut]) <= entity.words):
                continue  # "the Belarusian defence ministry" is not the person who spoke for another ministry
            if not organisation and entity.kind == KIND_ORG:
                continue
            score = len(entity.words & modifiers)
            key = (score, entity.last_position, entity)
            if best is None or key[:2] > best[:2]:
                best = key
        if best is not None:
            return best[2]
        if (head in _PERSON_HEADS and mention.text.split()[0].lower() == "the" and not _introduces(mention.text)
                and not any(POSSESSIVE.search(w) for w in mention.text.split())):
            # "the diplomat said" with no earlier diplomat: news uses such a descriptor for the person
            # just quoted or named, so take the most recent person whose gender does not clash; not one
            # that introduces someone ("The Asia editor of the Seoul broadcaster Hanbit TV told viewers", "the
            # bureau chief of a regional news service"; "the governor of the Sumy region" may be Pavel Orlov).
            gender = GENDER_FEMALE if head in FEMALE_WORDS else GENDER_MALE if head in MALE_WORDS else None
            for entity in sorted(self._recent(8), key=lambda e: -e.last_position):
                if entity.kind == KIND_PERSON and entity.last_position <= position and " " in entity.canonical \
                        and (gender is None or entity.gender in (None, gender)):
                    return entity
        return None


_NAME_WORD = r"(?:\b[A-ZÀ-Ž](?:\.|[\w’'-]*\.?)|\b(?:de|da|van|von|bin|al|el|le|la|di|del|dos|du)\b)"
_NAME_RUN = re.compile(_NAME_WORD + r"(?:[ \t]+" + _NAME_WORD + r")+")


def _introduces(descriptor: str) -> bool:
    """True when a descriptor's "of ..." phrase introduces someone new: "of a regional news service", "of the
    Seoul broadcaster Hanbit TV" (a lower-case noun before a name), not "of the Sumy region"."""
    raw = descriptor.split()
    at = next((i for i, w in enumerate(raw) if i > 0 and w.lower() in _PHRASE_PREPOSITIONS), len(raw))
    phrase = raw[at + 1 :]
    return any(w.lower() in ("a", "an") for w in phrase) or any(
        w[:1].islower() and w.lower() not in DETERMINERS and nxt[:1].isupper() for w, nxt in zip(phrase, phrase[1:]))


def common_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case at least once ("day", "just", "border"): not name words."""
    return frozenset(re.findall(r"(?<![\w’'-])[a-zà-ž][a-zà-ž’'-]*", text))


def collect_names(text: str) -> tuple[dict[str, str], dict[str, str], dict[str, int]]:
    """Full names given anywhere in the article, indexed by last and by first token (lower-case), and where
    each is first given.

    Title words are stripped ("President Vladimir Putin" -> "Vladimir Putin"); runs that end in a place
    word ("Kim Il Sung Square") or an organisation word are left out.
    """
    by_last: dict[str, str] = {}
    by_first: dict[str, str] = {}
    first_at: dict[str, int] = {}
    for match in _NAME_RUN.finditer(text):
        words = match.group().split()
        for i, word in enumerate(words):  # a sentence ends inside the run: "Ukraine. Dale Whitcombe"
            if word.endswith(".") and len(word) > 2 and word[:-1].lower() not in _TITLE_ABBREVIATIONS:
                words = words[: i + 1] if i + 1 >= 2 else words[i + 1 :]
                break
        while words and words[0].lower() in REPORTING_VERBS:
            words = words[1:]  # "Said Ellis: ..."
        words = cut_after_title(words)
        if any(_clean(w) in NOT_NAMES for w in words):
            continue
        while words and (_title_or_nationality(words[0]) or words[0].lower() in DETERMINERS
                         or POSSESSIVE.search(words[0]) or len(words) > 2 and _leading_role(words[0])):
            words = words[1:]
        while words and POSSESSIVE.search(words[-1]):
            words[-1] = POSSESSIVE.sub("", words[-1])
        if len(words) < 2:
            continue
        if any(_clean(w) in PLACE_WORDS or _clean(w) in ORGANISATION_WORDS or _clean(w) in _STOP for w in words):
            continue
        if any(w.lower() in TITLE_WORDS and w[0].isupper() and i > 0 for i, w in enumerate(words)):
            continue
        name = " ".join(words).rstrip(".,")
        by_last.setdefault(_clean(words[-1]), name)
        by_first.setdefault(_clean(words[0]), name)
        first_at.setdefault(name, match.start())
    return by_last, by_first, first_at
