"""Fit the TF-IDF + logistic-regression stance model with scikit-learn and export it as a ``LexicalScorer``.

The same fit is the TF-IDF baseline (``training.baselines``) and, exported, the lexical part of a saved
model (``--lexical_weight``), so the baseline the issue compares against and the part we ship are one model.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from stance.lexical import LexicalScorer
from stance.types import LABELS
from training import metrics

C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
WORD_RANGE = (1, 2)
CHAR_RANGE = (2, 5)


def fit_logistic_regression(train_x: Any, train_y: Sequence[int], val_x: Any, val_y: Sequence[int], seed: int) -> Any:
    """Logistic regression with C chosen on validation macro-F1 (balanced class weights)."""
    from sklearn.linear_model import LogisticRegression

    best = (-1.0, None)
    for c in C_GRID:
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced", random_state=seed).fit(train_x, train_y)
        score = metrics.macro_f1(val_y, model.predict(val_x))
        if score > best[0]:
            best = (score, model)
    return best[1]


def fit_tfidf(train: tuple[Sequence[str], Sequence[int]], validation: tuple[Sequence[str], Sequence[int]], seed: int) -> tuple[Any, Any, Any]:
    """Word 1-2-gram and char_wb 2-5-gram TF-IDF fitted on ``train`` texts, and the logistic regression on them."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(ngram_range=WORD_RANGE, min_df=1, sublinear_tf=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_RANGE, min_df=2, sublinear_tf=True)
    train_x = hstack([word.fit_transform(train[0]), char.fit_transform(train[0])]).tocsr()
    model = fit_logistic_regression(train_x, train[1], tfidf_features(word, char, validation[0]), validation[1], seed)
    return word, char, model


def tfidf_features(word: Any, char: Any, texts: Sequence[str]) -> Any:
    """Both TF-IDF blocks side by side, one row per text."""
    from scipy.sparse import hstack

    return hstack([word.transform(texts), char.transform(texts)]).tocsr()


def to_scorer(word: Any, char: Any, model: Any) -> LexicalScorer:
    """The fitted vectorizers and logistic regression as a numpy :class:`LexicalScorer` (labels in ``LABELS`` order).

    A label absent from training gets a bias of -30 (never predicted); a two-label fit becomes +-z/2.
    """
    n = len(word.vocabulary_) + len(char.vocabulary_)
    weights = np.zeros((n, len(LABELS)), dtype=np.float32)
    bias = np.full(len(LABELS), -30.0, dtype=np.float32)
    classes = [int(c) for c in model.classes_]
    if len(classes) == 2:
        coef = np.stack([-model.coef_[0] / 2, model.coef_[0] / 2])
        intercept = np.array([-model.intercept_[0] / 2, model.intercept_[0] / 2])
    else:
        coef, intercept = model.coef_, model.intercept_
    for row, label in enumerate(classes):
        weights[:, label] = coef[row]
        bias[label] = intercept[row]
    return LexicalScorer(
        word_vocabulary=tuple(sorted(word.vocabulary_, key=word.vocabulary_.get)),
        char_vocabulary=tuple(sorted(char.vocabulary_, key=char.vocabulary_.get)),
        idf=np.concatenate([word.idf_, char.idf_]).astype(np.float32),
        weights=weights, bias=bias, word_range=WORD_RANGE, char_range=CHAR_RANGE,
    )
