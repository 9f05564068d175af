"""The gold markup compiler: offsets derived right, bad markup refused with file:line:column."""

import json
from pathlib import Path

import pytest

from training.build_corpus import ARTICLES_DIR, CORPUS_PATH, compile_articles, render_jsonl
from training.markup import MarkupError, parse_article

ROOT = Path(__file__).resolve().parent.parent
HEADER = "title: T\nspeaker: orlov = Pavel Orlov | deputy foreign minister | Russia | supportive\n---\n"


def test_seed_markup_compiles_to_the_seed_text():
    seed = (ROOT / "seeds" / "000_ef0fb1aaffeb18a3.txt").read_text(encoding="utf-8")
    article = parse_article((ARTICLES_DIR / "seed.txt").read_text(encoding="utf-8"), "seed.txt")
    assert article["text"] == seed
    marked = [q for q in article["quotes"] if q["kind"] != "indirect"]
    assert [q["speaker"] for q in marked] == [
        "Kim Jong Un", "Vladimir Putin", "Vladimir Putin", "international correspondent",
        "Vladimir Putin", "Vladimir Putin", "KCNA", "KCNA", "Antony Blinken",
    ]


def test_every_compiled_offset_round_trips():
    for article in compile_articles():
        text = article["text"]
        for q in article["quotes"]:
            assert text[q["start"] : q["end"]] == q["text"], (article["id"], q["id"])
            for span in (q["mention"], q["cue"]):
                if span:
                    assert text[span["start"] : span["end"]] == span["text"]


def test_committed_corpus_is_up_to_date():
    assert CORPUS_PATH.read_text(encoding="utf-8") == render_jsonl(compile_articles()), (
        "data/articles.jsonl is stale: run python -m training.build_corpus"
    )


def test_split_quote_shares_group_and_derives_offsets():
    body = (
        '"{{q sp=orlov kind=direct stance=neutral m=m1 cue=c1 group=g1}}No,{{/q}}" {{c id=c1}}said{{/c}} '
        '{{m id=m1 form=name}}Pavel Orlov{{/m}}. "{{q sp=orlov kind=direct stance=neutral m=m1 cue=c1 group=g1}}Never.{{/q}}"\n'
    )
    article = parse_article(HEADER + body, "x.txt")
    assert article["text"] == '"No," said Pavel Orlov. "Never."'
    first, second = article["quotes"]
    assert (first["text"], first["start"], first["end"]) == ("No,", 1, 4)
    assert (second["text"], second["group"], first["group"]) == ("Never.", "g1", "g1")
    assert first["mention"] == {"start": 11, "end": 22, "text": "Pavel Orlov", "form": "name"}
    assert first["cue"]["text"] == "said"


def test_paragraph_index_counts_non_blank_lines():
    body = 'Intro.\n\n{{q sp=orlov kind=indirect stance=neutral}}talks will go on{{/q}}\n'
    assert parse_article(HEADER + body, "x.txt")["quotes"][0]["paragraph"] == 1


@pytest.mark.parametrize(
    "body, message",
    [
        ("{{q sp=nobody kind=direct}}x{{/q}}", r"x.txt:4:1: unknown speaker 'nobody'"),
        ("{{q sp=orlov kind=direct stance=positive}}x{{/q}}", r"unknown label stance='positive'; expected one of \['supportive'"),
        ("{{q sp=orlov kind=quoted}}x{{/q}}", r"kind='quoted'"),
        ("ok {{q sp=orlov kind=direct}}x", r"x.txt:4:4: unbalanced markup: \{\{q\}\} is never closed"),
        ("x{{/q}}", r"x.txt:4:2: unbalanced markup: found \{\{/q\}\}"),
        ("{{q sp=orlov kind=direct}}a {{q sp=orlov kind=direct}}b{{/q}}{{/q}}", r"overlapping markup"),
        ("{{q sp=orlov kind=direct}}a{{/q}}{{q sp=orlov kind=direct}} {{/q}}", r"quote is empty"),
        ("{{q sp=orlov kind=direct m=m9}}a{{/q}}", r"mention m='m9', which no"),
        ("{{x}}a{{/x}}", r"unknown tag 'x'"),
        ("{{c id=c1}}{{/c}} {{q sp=orlov kind=direct cue=c1}}a{{/q}}", r"\{\{c id=c1\}\} is empty"),
        ("{{q sp=orlov kind=direct who=me}}a{{/q}}", r"unknown quote attribute\(s\) \['who'\]"),
    ],
)
def test_bad_markup_is_refused_with_position(body, message):
    with pytest.raises(MarkupError, match=message):
        parse_article(HEADER + body, "x.txt")


@pytest.mark.parametrize(
    "header, message",
    [
        ("title: T\n---\nno marks", None),
        ("speaker: a = A | r | Russia | supportive\n---\n{{q sp=a kind=direct}}x{{/q}}", r"no 'title:' line"),
        ("title: T\nspeaker: a = A | r | Russia\n---\n", r"needs 4 fields"),
        ("title: T\nspeaker: a = A | r | Russia | happy\n---\n", r"unknown stance 'happy'"),
        ("title: T\nspeaker: a = A | r | Russia | neutral\n---\nbody", r"speaker 'a' is declared but has no quote"),
        ("title: T\nauthor: me\n---\n", r"x.txt:2:1: unknown header field 'author'"),
        ("title: T\nno separator", r"no '---' line"),
    ],
)
def test_header_validation(header, message):
    if message is None:
        assert parse_article(header, "x.txt")["quotes"] == []
    else:
        with pytest.raises(MarkupError, match=message):
            parse_article(header, "x.txt")


def _article(tmp_path, name, quote):
    path = tmp_path / name
    path.write_text(
        "title: t\nspeaker: a = Anna Test | mayor | Russia | neutral\n---\n"
        f"{{{{m id=m1 form=name}}}}Anna Test{{{{/m}}}} {{{{c id=c1}}}}said{{{{/c}}}}: “{{{{q sp=a kind=direct stance=neutral m=m1 cue=c1}}}}{quote}{{{{/q}}}}”\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("quote", "flagged"),
    [
        ("The bridge reopens on Monday after nine months of repairs.", True),  # repeats the older article's six words
        ("The ferry resumes its timetable once the ice has gone.", False),
        ("Every day without a ceasefire costs lives on both sides.", True),  # a GUIDELINES.md worked case
    ],
)
def test_check_articles_flags_quotes_that_reuse_older_text(tmp_path, capsys, quote, flagged):
    from training.check_articles import main
    from training.markup import parse_file

    older = parse_file(_article(tmp_path, "old.txt", "The bridge reopens on Monday after nine months of repairs, the mayor said."))
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps(older | {"id": "old"}) + "\n", encoding="utf-8")
    new = _article(tmp_path, "new.txt", quote)
    assert main([str(new), "--overlap", "6", "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert (f"{int(flagged)} quotes share a 6-word sequence" in out) and (("OVERLAP new.txt" in out) == flagged)


def test_check_articles_names_a_bad_overlap_length(tmp_path, capsys):
    from training.check_articles import main

    with pytest.raises(SystemExit):
        main([str(tmp_path / "x.txt"), "--overlap", "1"])
    assert "--overlap 1: expected 0 (off) or a sequence length of 2 or more" in capsys.readouterr().err
