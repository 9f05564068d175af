"""Parse one authored gold article (inline markup, see ``data/README.md``) into plain text and offsets.

The markup is written by people; every error names the file, line and column so it can be fixed.
Offsets are never written by hand: they are derived here, from where the markup stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.types import LABELS, MENTION_FORMS, QUOTE_KINDS

TAG_RE = re.compile(r"\{\{(/?)([a-z]+)([^{}]*)\}\}")
ATTR_RE = re.compile(r"\s*([a-z_]+)=(\S+)")
KEY_RE = re.compile(r"^[A-Za-z0-9_\-]+$")
HEADER_FIELDS = ("title", "date", "speaker", "note")
NO_SPEAKER = "?"


class MarkupError(ValueError):
    """A gold article that cannot be compiled; the message starts with ``file:line:column``."""


@dataclass
class _Open:
    tag: str
    attrs: dict[str, str]
    start: int  # offset in the plain text
    where: str  # "file:line:col" of the opening tag


@dataclass
class _Article:
    path: str
    header: dict[str, Any] = field(default_factory=dict)
    speakers: dict[str, dict[str, Any]] = field(default_factory=dict)


def _position(source: str, index: int, path: str) -> str:
    line = source.count("\n", 0, index) + 1
    col = index - (source.rfind("\n", 0, index) + 1) + 1
    return f"{path}:{line}:{col}"


def _parse_speaker(value: str, where: str) -> tuple[str, dict[str, Any]]:
    """``KEY = Canonical Name | role | affiliation | stance [| mixed]``."""
    if "=" not in value:
        raise MarkupError(f"{where}: speaker line must look like 'KEY = Name | role | affiliation | stance', got {value!r}")
    key, rest = (part.strip() for part in value.split("=", 1))
    if not KEY_RE.match(key):
        raise MarkupError(f"{where}: speaker key {key!r} may hold only letters, digits, '_' and '-'")
    fields = [part.strip() for part in rest.split("|")]
    if len(fields) not in (4, 5) or not all(fields[:4]):
        raise MarkupError(
            f"{where}: speaker {key!r} needs 4 fields 'Name | role | affiliation | stance' "
            f"(and optionally '| mixed'), got {len(fields)}: {rest!r}"
        )
    name, role, affiliation, stance = fields[:4]
    if stance not in LABELS:
        raise MarkupError(f"{where}: speaker {key!r} has unknown stance {stance!r}; expected one of {list(LABELS)}")
    mixed = False
    if len(fields) == 5:
        if fields[4] != "mixed":
            raise MarkupError(f"{where}: speaker {key!r}: the optional fifth field must be 'mixed', got {fields[4]!r}")
        mixed = True
    return key, {"key": key, "name": name, "role": role, "affiliation": affiliation, "stance": stance, "mixed": mixed}


def _parse_header(lines: list[str], path: str) -> _Article:
    article = _Article(path=path)
    for number, line in enumerate(lines, start=1):
        where = f"{path}:{number}:1"
        if not line.strip():
            continue
        if ":" not in line:
            raise MarkupError(f"{where}: header line must be 'field: value', got {line!r}")
        name, value = (part.strip() for part in line.split(":", 1))
        if name not in HEADER_FIELDS:
            raise MarkupError(f"{where}: unknown header field {name!r}; expected one of {list(HEADER_FIELDS)}")
        if name == "speaker":
            key, record = _parse_speaker(value, where)
            if key in article.speakers:
                raise MarkupError(f"{where}: speaker key {key!r} is declared twice")
            article.speakers[key] = record
        else:
            article.header[name] = value
    if "title" not in article.header:
        raise MarkupError(f"{path}:1:1: the header has no 'title:' line")
    return article


def _attrs(raw: str, where: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    pos = 0
    raw = raw.rstrip()
    while pos < len(raw):
        match = ATTR_RE.match(raw, pos)
        if not match:
            raise MarkupError(f"{where}: cannot read attributes {raw[pos:].strip()!r}; expected key=value pairs")
        attrs[match.group(1)] = match.group(2)
        pos = match.end()
    return attrs


def _paragraph_index(text: str, offset: int) -> int:
    """Paragraphs are the non-blank lines of the text; blank lines do not count."""
    return sum(1 for line in text[:offset].split("\n")[:-1] if line.strip())


def parse_article(source: str, path: str | Path = "<string>") -> dict[str, Any]:
    """Compile one marked-up article to a JSON-ready record with plain ``text`` and derived offsets."""
    path = str(path)
    source = source.replace("\r\n", "\n")
    header_text, sep, body = source.partition("\n---\n")
    if not sep:
        raise MarkupError(f"{path}:1:1: no '---' line separates the header from the article body")
    article = _parse_header(header_text.split("\n"), path)
    body_offset = len(header_text) + len(sep)
    if body.endswith("\n"):
        body = body[:-1]

    plain: list[str] = []
    length = 0
    stack: list[_Open] = []
    quotes: list[dict[str, Any]] = []
    marks: dict[str, dict[str, Any]] = {"m": {}, "c": {}}
    pos = 0
    for match in TAG_RE.finditer(body):
        where = _position(source, body_offset + match.start(), path)
        chunk = body[pos : match.start()]
        if "{{" in chunk or "}}" in chunk:
            bad = chunk.find("{{") if "{{" in chunk else chunk.find("}}")
            raise MarkupError(f"{_position(source, body_offset + pos + bad, path)}: malformed tag")
        plain.append(chunk)
        length += len(chunk)
        pos = match.end()
        closing, tag, raw = match.group(1), match.group(2), match.group(3)
        if tag not in ("q", "m", "c"):
            raise MarkupError(f"{where}: unknown tag {tag!r}; expected q (quote), m (speaker mention) or c (cue)")
        if not closing:
            if any(o.tag == tag for o in stack):
                raise MarkupError(f"{where}: {{{{{tag}}}}} opened inside another {{{{{tag}}}}} (overlapping markup)")
            stack.append(_Open(tag, _attrs(raw, where), length, where))
            continue
        if raw.strip():
            raise MarkupError(f"{where}: closing tag {{{{/{tag}}}}} takes no attributes")
        if not stack or stack[-1].tag != tag:
            expected = f"{{{{/{stack[-1].tag}}}}} for the tag opened at {stack[-1].where}" if stack else "no closing tag"
            raise MarkupError(f"{where}: unbalanced markup: found {{{{/{tag}}}}}, expected {expected}")
        opened = stack.pop()
        record = {"start": opened.start, "end": length, "attrs": opened.attrs, "where": opened.where}
        if tag == "q":
            quotes.append(record)
        else:
            ident = opened.attrs.get("id")
            if not ident:
                raise MarkupError(f"{opened.where}: {{{{{tag}}}}} needs an id=... attribute")
            if ident in marks[tag]:
                raise MarkupError(f"{opened.where}: {tag} id {ident!r} is used twice")
            if opened.start == length:
                raise MarkupError(f"{opened.where}: {{{{{tag} id={ident}}}}} is empty")
            marks[tag][ident] = record
    tail = body[pos:]
    if "{{" in tail or "}}" in tail:
        bad = tail.find("{{") if "{{" in tail else tail.find("}}")
        raise MarkupError(f"{_position(source, body_offset + pos + bad, path)}: malformed tag")
    if stack:
        raise MarkupError(f"{stack[-1].where}: unbalanced markup: {{{{{stack[-1].tag}}}}} is never closed")
    plain.append(tail)
    text = "".join(plain)

    compiled_quotes = _compile_quotes(text, quotes, marks, article)
    used = {q["speaker_key"] for q in compiled_quotes}
    for key in article.speakers:
        if key not in used:
            raise MarkupError(f"{path}:1:1: speaker {key!r} is declared but has no quote")
    return {
        "id": Path(path).stem,
        "title": article.header["title"],
        "date": article.header.get("date"),
        "text": text,
        "speakers": [
            {k: v for k, v in record.items()} for record in article.speakers.values()
        ],
        "quotes": compiled_quotes,
    }


def _span(text: str, record: dict[str, Any]) -> dict[str, Any]:
    return {"start": record["start"], "end": record["end"], "text": text[record["start"] : record["end"]]}


def _compile_quotes(
    text: str, quotes: list[dict[str, Any]], marks: dict[str, dict[str, Any]], article: _Article
) -> list[dict[str, Any]]:
    compiled: list[dict[str, Any]] = []
    seen_ids: set[str] = set()
    for number, record in enumerate(sorted(quotes, key=lambda r: r["start"]), start=1):
        attrs, where = dict(record["attrs"]), record["where"]
        allowed = {"id", "sp", "kind", "stance", "m", "cue", "group", "tags"}
        unknown = set(attrs) - allowed
        if unknown:
            raise MarkupError(f"{where}: unknown quote attribute(s) {sorted(unknown)}; expected some of {sorted(allowed)}")
        ident = attrs.get("id", f"q{number}")
        if ident in seen_ids:
            raise MarkupError(f"{where}: quote id {ident!r} is used twice")
        seen_ids.add(ident)
        key = attrs.get("sp")
        if key is None:
            raise MarkupError(f"{where}: quote needs sp=KEY (a declared speaker, or sp=? when the text never says who)")
        if key != NO_SPEAKER and key not in article.speakers:
            raise MarkupError(f"{where}: unknown speaker {key!r}; declared speakers are {sorted(article.speakers)}")
        kind = attrs.get("kind")
        if kind not in QUOTE_KINDS:
            raise MarkupError(f"{where}: quote kind={kind!r}; expected one of {list(QUOTE_KINDS)}")
        stance = attrs.get("stance")
        if stance is not None and stance not in LABELS:
            raise MarkupError(f"{where}: unknown label stance={stance!r}; expected one of {list(LABELS)}")
        mention = None
        if "m" in attrs:
            if attrs["m"] not in marks["m"]:
                raise MarkupError(f"{where}: quote refers to mention m={attrs['m']!r}, which no {{{{m id=...}}}} defines")
            found = marks["m"][attrs["m"]]
            form = found["attrs"].get("form")
            if form not in MENTION_FORMS:
                raise MarkupError(f"{found['where']}: mention form={form!r}; expected one of {list(MENTION_FORMS)}")
            mention = {**_span(text, found), "form": form}
        cue = None
        if "cue" in attrs:
            if attrs["cue"] not in marks["c"]:
                raise MarkupError(f"{where}: quote refers to cue={attrs['cue']!r}, which no {{{{c id=...}}}} defines")
            cue = _span(text, marks["c"][attrs["cue"]])
        start, end = record["start"], record["end"]
        content = text[start:end]
        if not content.strip():
            raise MarkupError(f"{where}: quote is empty")
        if content != content.strip():
            raise MarkupError(f"{where}: quote content starts or ends with whitespace: {content[:30]!r}")
        if compiled and start < compiled[-1]["end"]:
            raise MarkupError(f"{where}: quote overlaps quote {compiled[-1]['id']!r}")
        speaker = article.speakers.get(key)
        compiled.append(
            {
                "id": ident,
                "group": attrs.get("group", ident),
                "text": content,
                "start": start,
                "end": end,
                "kind": kind,
                "speaker": speaker["name"] if speaker else None,
                "speaker_key": key,
                "mention": mention,
                "cue": cue,
                "paragraph": _paragraph_index(text, start),
                "stance": stance,
                "tags": [t for t in attrs.get("tags", "").split(",") if t],
            }
        )
    return compiled


def parse_file(path: str | Path) -> dict[str, Any]:
    """Read and compile one ``.txt`` article file."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise MarkupError(f"{path}: not UTF-8 (byte {err.start})") from err
    return parse_article(source, path)
