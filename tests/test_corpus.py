"""The compiled corpus and its splits: counts, labels, and no leakage between train, validation and test."""

import itertools
import json
import random
from collections import Counter

import pytest

from training.make_splits import (
    CORPUS_PATH,
    LABELS,
    SEED_ARTICLE,
    SPLITS,
    SPLITS_PATH,
    THRESHOLD,
    assign,
    is_person_name,
    jaccard,
    load_corpus,
    mask_names,
    named_persons,
    near_duplicates,
    quote_shingles,
    shingles,
)


@pytest.fixture(scope="module")
def articles():
    return load_corpus(CORPUS_PATH)


@pytest.fixture(scope="module")
def splits():
    return json.loads(SPLITS_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def split_of(splits):
    return {aid: name for name, ids in splits.items() for aid in ids}


def test_corpus_meets_the_counts(articles):
    quotes = [q for a in articles for q in a["quotes"]]
    labels = Counter(q["stance"] for q in quotes)
    persons = {name for a in articles for name in named_persons(a)}
    assert len([a for a in articles if a["source"] == "authored"]) >= 250
    assert len(quotes) >= 2400
    assert all(labels[lab] >= 700 for lab in LABELS), labels
    assert len(persons) >= 400


def test_every_quote_and_speaker_has_a_stance(articles):
    for article in articles:
        assert all(q["stance"] in LABELS for q in article["quotes"]), article["id"]
        assert all(s["stance"] in LABELS for s in article["speakers"]), article["id"]


def test_speaker_labels_follow_their_quotes(articles):
    """Speaker-level rule of the guidelines: the side of their non-neutral quotes; mixed when both."""
    for article in articles:
        for speaker in article["speakers"]:
            sides = {q["stance"] for q in article["quotes"] if q["speaker_key"] == speaker["key"]} - {"neutral"}
            where = f"{article['id']}: {speaker['key']}"
            assert speaker["mixed"] == (len(sides) == 2), where
            assert speaker["stance"] in (sides or {"neutral"}), where


def test_every_article_has_at_least_120_words(articles):
    short = [a["id"] for a in articles if len(a["text"].split()) < 120]
    assert not short


def test_splits_cover_every_article_exactly_once(articles, splits):
    assert sorted(splits) == sorted(SPLITS)
    listed = [aid for ids in splits.values() for aid in ids]
    assert sorted(listed) == sorted(a["id"] for a in articles)
    assert len(listed) == len(set(listed))


def test_splits_are_about_80_10_10_per_label(articles, split_of):
    counts = Counter((split_of[a["id"]], q["stance"]) for a in articles for q in a["quotes"])
    for label in LABELS:
        total = sum(counts[s, label] for s in SPLITS)
        assert 0.75 <= counts["train", label] / total <= 0.85, label
        assert 0.07 <= counts["test", label] / total <= 0.13, label


def test_seed_article_is_in_test_only(splits):
    assert SEED_ARTICLE in splits["test"]
    assert all(SEED_ARTICLE not in splits[name] for name in ("train", "validation"))


def test_splits_file_is_what_make_splits_makes(articles, splits):
    assert assign(articles) == splits, "data/splits.json is out of date; run: python -m training.make_splits"


def test_no_named_speaker_crosses_splits(articles, split_of):
    seen = {}
    for article in articles:
        for name in named_persons(article):
            first = seen.setdefault(name, article["id"])
            assert split_of[first] == split_of[article["id"]], f"{name}: {first} vs {article['id']}"


def test_no_near_duplicate_quotes_across_splits(articles, split_of):
    owners, sets = quote_shingles(articles)
    leaks = [(owners[i], owners[j], round(score, 2)) for i, j, score in near_duplicates(sets)
             if split_of[owners[i]] != split_of[owners[j]]]
    assert not leaks


def test_near_duplicate_search_is_exact():
    rng = random.Random(7)
    words = ["drone", "strike", "city", "talks", "aid", "front", "grain", "port", "winter", "power"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(2, 9))) for _ in range(150)]
    texts += ["the minister said the port would reopen", "the minister said the port would reopen soon"]
    sets = [shingles(t) for t in texts]
    brute = {(i, j) for i, j in itertools.combinations(range(len(sets)), 2) if jaccard(sets[i], sets[j]) > THRESHOLD}
    assert {(i, j) for i, j, _ in near_duplicates(sets)} == brute
    assert (len(texts) - 2, len(texts) - 1) in brute


def test_names_are_masked_and_persons_told_from_organisations():
    assert mask_names("Orlov said Pavel Orlov", ["Pavel Orlov"]) == "@ said @"
    assert is_person_name("Pavel Orlov") and is_person_name("Ri Chol-ung")
    assert not is_person_name("Russian defence ministry") and not is_person_name("Kremlin spokesman")
    assert not is_person_name("International Committee of the Red Cross") and not is_person_name("ICRC")


def test_cohen_kappa_matches_a_hand_computed_value():
    from training.agreement import cohen_kappa

    first = ["supportive"] * 4 + ["critical"] * 4 + ["neutral"] * 2
    second = ["supportive"] * 3 + ["neutral"] + ["critical"] * 4 + ["neutral", "critical"]
    # observed 0.8; expected (4*3 + 4*5 + 2*2) / 100 = 0.36; kappa = 0.44 / 0.64
    assert abs(cohen_kappa(first, second) - 0.44 / 0.64) < 1e-9


def test_second_pass_covers_300_quotes_and_agrees():
    from training.agreement import BLIND_PATH, FIRST_PATH, LABELS_PATH, cohen_kappa, load_jsonl

    blind = load_jsonl(BLIND_PATH)
    assert len(blind) >= 300
    assert all(set(row) == {"qid", "article_id", "sentence_context", "speaker", "quote"} for row in blind)
    assert all("⟦" in row["sentence_context"] for row in blind)
    first = {r["qid"]: r["label"] for r in load_jsonl(FIRST_PATH)}
    second = {r["qid"]: r["label"] for r in load_jsonl(LABELS_PATH)}
    assert set(first) == set(second) == {row["qid"] for row in blind}
    assert cohen_kappa([first[q] for q in sorted(first)], [second[q] for q in sorted(first)]) >= 0.8


def test_a_further_pass_lives_in_its_own_folder_and_samples_only_matching_articles(tmp_path, capsys):
    from training.agreement import load_jsonl, main

    folder = tmp_path / "pass"
    assert main(["blind", "--dir", str(folder), "--match", "^seed$", "--size", "3"]) == 0
    blind = load_jsonl(folder / "blind.jsonl")
    assert blind and {row["article_id"] for row in blind} == {"seed"}
    assert main(["freeze", "--dir", str(folder)]) == 0
    first = load_jsonl(folder / "first_labels.jsonl")
    (folder / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in first), encoding="utf-8")
    capsys.readouterr()
    assert main(["kappa", "--dir", str(folder)]) == 0
    assert "kappa: 1.000" in capsys.readouterr().out
    assert main(["blind", "--dir", str(folder), "--match", "^no-such-article"]) == 2
    assert "--match '^no-such-article' matches no article id" in capsys.readouterr().err
