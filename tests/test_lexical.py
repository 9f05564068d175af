"""The lexical scorer: scikit-learn's tokenisation and scores reproduced in numpy, saved and mixed into a model."""

import json

import numpy as np
import pytest

from stance.lexical import LEXICAL_CONFIG, LEXICAL_WEIGHTS, LexicalScorer, char_ngrams, word_ngrams

pytest.importorskip("sklearn")

TEXTS = [
    "“<<We will win>>,” Orlov said.",
    "It's a  crime —   a war crime, said   the mayor of Kharkiv",
    "I  a  an  x",  # one- and two-letter words, runs of spaces
    "Ukraine's défense: 24/7, «НЕТ войне»!",
    "",
]
ROWS = [
    ("We will crush the enemy and win", 0), ("Russia is defending itself", 0), ("Victory is near for our army", 0),
    ("This invasion is a crime", 1), ("Russian troops are killing civilians", 1), ("The aggression must stop", 1),
    ("Talks will take place next week", 2), ("The delegation arrived on Tuesday", 2), ("No comment at this time", 2),
]


@pytest.mark.parametrize("text", TEXTS)
def test_ngrams_are_scikit_learns(text):
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(ngram_range=(1, 2)).build_analyzer()
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    assert sorted(word_ngrams(text, 1, 2)) == sorted(word(text))
    assert sorted(char_ngrams(text, 2, 5)) == sorted(char(text))


def fit(rows):
    from training.lexical import fit_tfidf, to_scorer

    texts, labels = [t for t, _ in rows], [y for _, y in rows]
    word, char, model = fit_tfidf((texts, labels), (texts, labels), seed=0)
    return word, char, model, to_scorer(word, char, model)


@pytest.mark.parametrize("labels_used", [(0, 1, 2), (1, 2)])
def test_scores_are_the_logistic_regressions(labels_used):
    from training.lexical import tfidf_features

    rows = [(t, y) for t, y in ROWS if y in labels_used]
    word, char, model, scorer = fit(rows)
    probe = [t for t, _ in ROWS] + TEXTS
    expected = model.predict_proba(tfidf_features(word, char, probe))
    logits = scorer.logits(probe)
    probs = np.exp(logits - logits.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    assert probs[:, list(labels_used)] == pytest.approx(expected, abs=1e-5)
    assert probs.argmax(1).tolist() == [labels_used[i] for i in expected.argmax(1)]  # an unseen label never wins


def test_a_text_scores_the_same_alone_and_in_any_batch():
    scorer = fit(ROWS)[3]
    batch = [t for t, _ in ROWS] + TEXTS + ["zzqx", "zzqx qqzz"]  # empty, and nothing the vocabulary knows
    together = scorer.logits(batch)
    alone = np.concatenate([scorer.logits([text]) for text in batch])
    assert np.array_equal(together, alone)
    assert np.array_equal(scorer.logits(batch[::-1] * 2)[: len(batch)], together[::-1])
    assert np.array_equal(scorer.logits(["", "zzqx"]), np.tile(scorer.bias, (2, 1)))  # no n-gram found: the bias
    assert scorer.logits([]).shape == (0, len(scorer.bias))


def test_save_and_load_round_trip(tmp_path):
    scorer = fit(ROWS)[3]
    scorer.save(tmp_path)
    loaded = LexicalScorer.load(tmp_path)
    assert loaded.word_vocabulary == scorer.word_vocabulary and loaded.char_range == (2, 5)
    assert loaded.logits(TEXTS) == pytest.approx(scorer.logits(TEXTS), abs=1e-6)
    assert set(json.loads((tmp_path / LEXICAL_CONFIG).read_text())) == {"word_range", "char_range", "word_vocabulary", "char_vocabulary"}
    (tmp_path / LEXICAL_WEIGHTS).unlink()
    with pytest.raises(FileNotFoundError, match="has no lexical.safetensors"):
        LexicalScorer.load(tmp_path)


def test_mismatched_shapes_are_named():
    with pytest.raises(ValueError, match=r"2 n-grams, idf \(3,\)"):
        LexicalScorer(("a", "b"), (), np.zeros(3), np.zeros((2, 3)), np.zeros(3))


def test_a_model_with_a_lexical_part_mixes_saves_and_reloads_it(tmp_path):
    pytest.importorskip("torch")
    from stance.classifier import StanceClassifier, file_sha256, mix_logits
    from stance.inputs import render_input
    from training.tiny_model import make_tiny_model

    tiny = StanceClassifier.from_pretrained(make_tiny_model(tmp_path / "tiny"))
    scorer = fit(ROWS)[3]
    with pytest.raises(ValueError, match="has no lexical scorer"):
        tiny.with_config(lexical_weight=0.5).save_pretrained(tmp_path / "none")
    mixed = tiny.with_config(lexical_weight=0.5)
    mixed.lexical = scorer
    texts = [t for t, _ in ROWS]
    rendered = [render_input(t, mixed.config.template) for t in texts]  # both parts read the one model input
    assert mixed.logits(texts) == pytest.approx(mix_logits(tiny.logits(texts), scorer.logits(rendered), 0.5), abs=1e-5)
    path = mixed.save_pretrained(tmp_path / "mixed")
    assert {LEXICAL_CONFIG, LEXICAL_WEIGHTS} <= {p.name for p in path.iterdir()}
    assert "lexical weight: 0.5" in (path / "README.md").read_text()
    loaded = StanceClassifier.from_pretrained(path)
    assert loaded.config.lexical_weight == 0.5
    assert [p.label for p in loaded.predict(texts)] == [p.label for p in mixed.predict(texts)]
    assert loaded.with_config(lexical_weight=0.0).logits(texts) == pytest.approx(tiny.logits(texts), abs=1e-5)
    tiny.save_pretrained(tmp_path / "plain")
    assert not (tmp_path / "plain" / LEXICAL_CONFIG).exists()
    # the same transformer weights with and without a lexical part are two models, with two hashes
    assert tiny.sha256 == file_sha256(tmp_path / "plain" / "model.safetensors")
    assert loaded.sha256 == mixed.sha256 != tiny.sha256
