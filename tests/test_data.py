"""stance.data: our articles with splits, users' flat tables, RUW and SemEval adapters, actionable errors."""

import json
import warnings

import pytest

from stance.data import CorpusError, example_input, load_corpus, ruw_label
from stance.types import LABELS, StanceInput

pytest.importorskip("datasets")

TEXT = "“We will win,” said Vladimir Putin. Kyiv called it “a lie”.\nThe minister said talks were useless."


def _article(ident, quotes, speakers=None):
    return {
        "id": ident,
        "title": ident,
        "text": TEXT,
        "speakers": speakers or [{"key": "p", "name": "Vladimir Putin", "role": "president", "affiliation": "Russia",
                                  "stance": "supportive", "mixed": False}],
        "quotes": quotes,
    }


def _quote(ident, fragment, stance, mention=None, kind="direct"):
    start = TEXT.index(fragment)
    m = None
    if mention:
        m_start = TEXT.index(mention)
        m = {"start": m_start, "end": m_start + len(mention), "text": mention, "form": "name"}
    return {"id": ident, "group": ident, "text": fragment, "start": start, "end": start + len(fragment), "kind": kind,
            "speaker": "Vladimir Putin", "speaker_key": "p", "mention": m, "cue": None, "paragraph": 0,
            "stance": stance, "tags": []}


@pytest.fixture
def corpus(tmp_path):
    articles = [
        _article("a1", [_quote("q1", "We will win", "supportive", "Vladimir Putin"), _quote("q2", "a lie", "critical", kind="partial")]),
        _article("a2", [_quote("q1", "talks were useless", "neutral", kind="indirect"), _quote("q2", "We will win", None)]),
        _article("a3", [_quote("q1", "a lie", "critical")]),
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles))
    (tmp_path / "splits.json").write_text(json.dumps({"train": ["a1"], "validation": ["a2"], "test": ["a3"]}))
    return path


def test_articles_load_with_their_splits(corpus):
    data = load_corpus(corpus)
    assert {name: data[name].num_rows for name in data} == {"train": 2, "validation": 1, "test": 1}  # unlabelled skipped
    first = data["train"][0]
    assert first["id"] == "a1/q1" and first["affiliation"] == "Russia" and first["kind"] == "direct"
    assert first["text"][first["start"]:first["end"]] == "We will win"
    assert data["train"].features["label"].names == list(LABELS)
    assert example_input(first) == StanceInput("We will win", "“<<We will win>>,” said Vladimir Putin.", "Vladimir Putin")
    assert load_corpus(corpus, split="test").split == "test"


@pytest.mark.parametrize(
    "splits, message",
    [
        ({"train": ["a1", "zz"]}, "names article 'zz'"),
        ({"train": ["a1"], "test": ["a1"]}, "in both 'train' and 'test'"),
    ],
)
def test_bad_splits_name_the_article(corpus, splits, message):
    with pytest.raises(CorpusError, match=message):
        load_corpus(corpus, splits=splits)


def test_missing_splits_file_says_what_to_pass(corpus):
    (corpus.parent / "splits.json").unlink()
    with pytest.raises(FileNotFoundError, match="pass splits=PATH"):
        load_corpus(corpus)


def test_article_with_an_unknown_stance_names_line_and_labels(corpus):
    lines = corpus.read_text().splitlines()
    lines[1] = lines[1].replace('"neutral"', '"positive"')
    corpus.write_text("\n".join(lines) + "\n")
    with pytest.raises(CorpusError, match=r"articles.jsonl:2: quote 'q1': stance='positive'.*'supportive', 'critical', 'neutral'"):
        load_corpus(corpus)


def _write(path, rows):
    import pandas as pd

    frame = pd.DataFrame(rows)
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    elif path.suffix == ".parquet":
        frame.to_parquet(path)
    else:
        from datasets import Dataset

        Dataset.from_pandas(frame).save_to_disk(str(path))
    return path


ROWS = [
    {"sentence": "We will win", "stance": "supportive", "who": "Putin", "ctx": "Putin said we will win today."},
    {"sentence": "It is a crime", "stance": "critical", "who": "", "ctx": "He said it is a crime."},
    {"sentence": "No comment", "stance": "neutral", "who": "Peskov", "ctx": ""},
]
MAPPING = {"text": "sentence", "label": "stance", "speaker": "who", "context": "ctx"}


@pytest.mark.parametrize("name", ["user.csv", "user.jsonl", "user.parquet", "user_ds"])
def test_flat_tables_in_every_format(tmp_path, name):
    path = _write(tmp_path / name, ROWS)
    data = load_corpus(path, column_mapping=MAPPING)
    assert list(data) == ["train"]
    train = data["train"]
    assert [LABELS[i] for i in train["label"]] == ["supportive", "critical", "neutral"]
    inputs = [example_input(row) for row in train]
    assert inputs[0] == StanceInput("We will win", "<<We will win>>", "Putin")  # not inside its context: alone
    assert inputs[2] == StanceInput("No comment", "<<No comment>>", "Peskov")
    assert inputs[1].speaker is None


def test_flat_quote_inside_context_is_marked(tmp_path):
    path = _write(tmp_path / "u.csv", [{"text": "we will win", "label": "supportive", "context": "Putin said we will win today."}])
    example = load_corpus(path, split="train")[0]
    assert example_input(example) == StanceInput("we will win", "Putin said <<we will win>> today.", None)


@pytest.mark.parametrize(
    "rows, kwargs, message",
    [
        ([{"text": "x", "label": "positive"}], {}, r"u.csv:2: column 'label' has 'positive'.*expected one of \['supportive', 'critical', 'neutral'\]"),
        ([{"sentence": "x", "label": "neutral"}], {}, r"no column 'text'; columns found: \['sentence', 'label'\]"),
        ([{"sentence": "x", "label": "neutral"}], {"column_mapping": {"text": "body"}}, r"no column 'body' \(column_mapping maps 'text' to 'body'\)"),
        ([{"text": "a", "label": "neutral"}, {"text": " ", "label": "neutral"}], {}, r"u.csv:3: column 'text' is empty"),
        ([{"id": 1, "text": "a", "label": "neutral"}, {"id": 1, "text": "b", "label": "neutral"}], {}, r"u.csv:3: column 'id' repeats id '1' \(first at .*u.csv:2\)"),
    ],
)
def test_flat_errors_are_actionable(tmp_path, rows, kwargs, message):
    path = _write(tmp_path / "u.csv", rows)
    with pytest.raises(CorpusError, match=message):
        load_corpus(path, **kwargs)


def test_label_mapping_and_bad_mapping_keys(tmp_path):
    path = _write(tmp_path / "u.csv", [{"text": "x", "label": "pro"}, {"text": "y", "label": "anti"}])
    data = load_corpus(path, split="train", label_mapping={"pro": "supportive", "anti": "critical"})
    assert data["label"] == [0, 1]
    with pytest.raises(ValueError, match=r"column_mapping has unknown key\(s\) \['body'\]"):
        load_corpus(path, column_mapping={"body": "text"})
    with pytest.raises(ValueError, match=r"split='test'; .* has splits \['train'\]"):
        load_corpus(path, split="test", label_mapping={"pro": "supportive", "anti": "critical"})


def test_duplicate_texts_warn_but_load(tmp_path):
    path = _write(tmp_path / "u.csv", [{"text": "same", "label": "neutral"}, {"text": "same", "label": "critical"}])
    with pytest.warns(UserWarning, match="1 quote text.*more than once"):
        data = load_corpus(path, split="train")
    assert data.num_rows == 2


@pytest.mark.parametrize(
    "russia, ukraine, expected",
    [
        ("FAVOR", "NONE", "supportive"), ("NONE", "AGAINST", "supportive"), ("FAVOR", "AGAINST", "supportive"),
        ("AGAINST", "NONE", "critical"), ("NONE", "FAVOR", "critical"), ("AGAINST", "FAVOR", "critical"),
        ("NONE", "NONE", "neutral"),
        ("AGAINST", "AGAINST", None), ("FAVOR", "FAVOR", None),
    ],
)
def test_ruw_label(russia, ukraine, expected):
    assert ruw_label(russia, ukraine) == expected


def test_ruw_fixture(tmp_path):
    rows = [
        {"Tweet": "Glory to Ukraine", "Target 1": "Russia", "Stance 1": "NONE", "Target 2": "Ukraine", "Stance 2": "FAVOR"},
        {"Tweet": "Russia is right", "Target 1": "Russia", "Stance 1": "FAVOR", "Target 2": "Ukraine", "Stance 2": "NONE"},
        {"Tweet": "Both are bad", "Target 1": "Russia", "Stance 1": "AGAINST", "Target 2": "Ukraine", "Stance 2": "AGAINST"},
        {"Tweet": "Weather today", "Target 1": "Russia", "Stance 1": "NONE", "Target 2": "Ukraine", "Stance 2": "NONE"},
    ]
    path = _write(tmp_path / "ruw.csv", rows)
    data = load_corpus(path, split="train")  # detected from the columns
    assert data["quote"] == ["Glory to Ukraine", "Russia is right", "Weather today"]
    assert [LABELS[i] for i in data["label"]] == ["critical", "supportive", "neutral"]
    assert set(data["source"]) == {"ruw"}
    rows[0]["Stance 2"] = "PRO"
    _write(path, rows)
    with pytest.raises(CorpusError, match=r"ruw.csv:2: column 'Stance 2' has 'PRO'; expected one of \['FAVOR', 'AGAINST', 'NONE'\]"):
        load_corpus(path, format="ruw")


def test_semeval_fixture(tmp_path):
    path = tmp_path / "semeval.txt"
    path.write_text(
        "ID\tTarget\tTweet\tStance\n"
        "1\tRussia\tRussia will prevail\tFAVOR\n"
        "2\tUkraine\tSlava Ukraini\tFAVOR\n"
        "3\tUkraine\tUkraine should give up\tAGAINST\n"
        "4\tRussia\tNews at ten\tNONE\n",
        encoding="cp1252",
    )
    data = load_corpus(path, split="train")
    assert [LABELS[i] for i in data["label"]] == ["supportive", "critical", "supportive", "neutral"]
    assert data["id"] == ["1", "2", "3", "4"]
    path.write_text(path.read_text(encoding="cp1252") + "5\tAtheism\tGod is great\tAGAINST\n", encoding="cp1252")
    with pytest.raises(CorpusError, match=r"semeval.txt:6: column 'Target' has 'Atheism'.*targets in the file: \['Atheism', 'Russia', 'Ukraine'\]"):
        load_corpus(path, format="semeval")


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(ValueError, match=r"format='xml'; expected one of"):
        load_corpus(tmp_path, format="xml")
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_corpus(tmp_path / "nope.csv")


def test_import_is_lazy():
    import subprocess
    import sys

    code = "import sys, stance.data; print('datasets' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
