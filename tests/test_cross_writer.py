"""Writer-held-out evaluation: folds hold out whole batches, nothing linked leaks, and a tiny run completes."""

import json
from collections import Counter

import pytest

from training.cross_writer import batch_of, deal_batches, fold_splits, main
from training.make_splits import CORPUS_PATH, SEED_ARTICLE, load_corpus, units

pytest.importorskip("torch")


@pytest.fixture(scope="module")
def corpus():
    articles = load_corpus(CORPUS_PATH)
    return articles, units(articles)


@pytest.mark.parametrize("article_id, batch", [("a12_03_kuban-hailstorm", "a12"), ("seed", "seed"), ("a1_x", "a1")])
def test_batch_is_the_id_prefix(article_id, batch):
    assert batch_of(article_id) == batch


def test_every_batch_lands_in_one_fold_and_folds_are_similar_in_size(corpus):
    articles, _ = corpus
    folds = deal_batches(articles, 5)
    batches = [b for fold in folds for b in fold]
    assert sorted(batches) == sorted({batch_of(a["id"]) for a in articles} - {SEED_ARTICLE})
    quotes = Counter()
    for article in articles:
        quotes[batch_of(article["id"])] += len(article["quotes"])
    loads = [sum(quotes[b] for b in fold) for fold in folds]
    assert max(loads) - min(loads) <= max(quotes[b] for b in batches)


@pytest.mark.parametrize("folds", [1, 1000])
def test_impossible_fold_counts_are_named(corpus, folds):
    with pytest.raises(ValueError, match=rf"folds={folds}; expected 2 to \d+ \(the corpus has \d+ batches\)"):
        deal_batches(corpus[0], folds)


def test_a_fold_holds_out_whole_batches_and_drops_linked_articles(corpus):
    articles, groups = corpus
    held_out = deal_batches(articles, 5)[0]
    validation = json.loads(CORPUS_PATH.with_name("splits.json").read_text())["validation"]
    splits = fold_splits(articles, held_out, validation)
    test, rest = set(splits["test"]), set(splits["train"]) | set(splits["validation"])
    assert test and rest and not test & rest and not set(splits["train"]) & set(splits["validation"])
    assert {batch_of(i) for i in test} == set(held_out)
    assert {batch_of(i) for i in rest}.isdisjoint(held_out)
    assert SEED_ARTICLE not in test | rest
    assert set(splits["validation"]) <= set(validation)
    for unit in groups:  # a shared named person or near-duplicate quote never straddles train and test
        assert not (set(unit) & test and set(unit) & rest)


@pytest.mark.parametrize("lexical_weight", ["0", "0.5"])  # TF-IDF fitted here, or read from the model's lexical part
def test_a_tiny_cross_writer_run_scores_both_systems_per_fold(corpus, tmp_path, capsys, lexical_weight):
    from training.tiny_model import make_tiny_model

    articles, _ = corpus
    picked = []
    for batch in ("a10", "a11", "a12"):
        picked += [a for a in articles if batch_of(a["id"]) == batch][:4]
    data = tmp_path / "articles.jsonl"
    data.write_text("".join(json.dumps(a) + "\n" for a in picked))
    validation = [a["id"] for a in picked[3::4]]
    (tmp_path / "splits.json").write_text(json.dumps({"train": [], "validation": validation, "test": []}))
    argv = ["--folds", "3", "--base_model", str(make_tiny_model(tmp_path / "tiny")), "--data", str(data),
            "--output_dir", str(tmp_path / "cv"), "--batch_size", "8", "--epochs", "1", "--max_steps", "2",
            "--lexical_weight", lexical_weight]
    assert main(argv) == 0
    report = json.loads((tmp_path / "cv" / "cross_writer.json").read_text())
    assert sorted(b for fold in report["folds"] for b in fold["batches"]) == ["a10", "a11", "a12"]
    for fold in report["folds"]:
        assert 0.0 <= fold["tfidf"]["macro_f1"] <= 1.0 and 0.0 <= fold["fine_tuned"]["macro_f1"] <= 1.0
        assert fold["articles"]["test"] == 4
    assert "mean over 3 folds: TF-IDF" in capsys.readouterr().out
