"""A lexical stance scorer: TF-IDF word and character n-grams read by a linear layer, in plain numpy.

A saved model may carry one beside the transformer (``StanceConfig.lexical_weight``): the two read the
same input string and their logits are mixed before calibration. Word and character n-grams catch
wording the small encoder misses: the mix beat or matched both parts on every writer-held-out fold
(``python -m training.cross_writer``). Training fits it with scikit-learn (``training.lexical``); this
module only scores, with the same tokenisation, so the library never needs scikit-learn. Saved as
``lexical.json`` (vocabulary, n-gram ranges) and ``lexical.safetensors`` (idf, weights, bias).
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

LEXICAL_CONFIG = "lexical.json"
LEXICAL_WEIGHTS = "lexical.safetensors"
WORD_PATTERN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
_SPACES = re.compile(r"\s\s+")


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    """Lower-cased word n-grams (tokens of two or more word characters), as scikit-learn's ``analyzer="word"``."""
    tokens = WORD_PATTERN.findall(text.lower())
    return [" ".join(tokens[i : i + n]) for n in range(low, high + 1) for i in range(len(tokens) - n + 1)]


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside space-padded words, as scikit-learn's ``analyzer="char_wb"``."""
    return [gram for word in _SPACES.sub(" ", text.lower()).split() for gram in _padded_word_ngrams(word, low, high)]


def _padded_word_ngrams(word: str, low: int, high: int) -> list[str]:
    padded, grams = f" {word} ", []
    for n in range(low, high + 1):
        if len(padded) <= n:  # a word no longer than n counts once, whole
            grams.append(padded)
            break
        grams += [padded[i : i + n] for i in range(len(padded) - n + 1)]
    return grams


@dataclass(frozen=True, eq=False)
class LexicalScorer:
    """Two TF-IDF blocks (words, characters; sublinear tf, each block L2-normalised) and a linear layer.

    ``word_vocabulary``/``char_vocabulary`` list the n-grams in column order; ``idf`` holds both blocks'
    idf (words first), ``weights`` is ``(n_features, n_labels)`` and ``bias`` ``(n_labels,)``.
    """

    word_vocabulary: tuple[str, ...] = field(repr=False)
    char_vocabulary: tuple[str, ...] = field(repr=False)
    idf: Any = field(repr=False)
    weights: Any = field(repr=False)
    bias: Any = field(repr=False)
    word_range: tuple[int, int] = (1, 2)
    char_range: tuple[int, int] = (2, 5)

    def __post_init__(self) -> None:
        n = len(self.word_vocabulary) + len(self.char_vocabulary)
        if self.idf.shape != (n,) or self.weights.shape[0] != n or self.weights.shape[1:] != self.bias.shape:
            raise ValueError(
                f"lexical scorer shapes disagree: {n} n-grams, idf {tuple(self.idf.shape)}, weights "
                f"{tuple(self.weights.shape)}, bias {tuple(self.bias.shape)}"
            )
        object.__setattr__(self, "_word_index", {g: i for i, g in enumerate(self.word_vocabulary)})
        object.__setattr__(self, "_char_index", {g: i + len(self.word_vocabulary) for i, g in enumerate(self.char_vocabulary)})
        object.__setattr__(self, "_by_word", {})  # word -> its char n-gram columns; words repeat, so this saves most work

    def _word_columns(self, text: str) -> list[int]:
        index = self._word_index
        return [index[g] for g in word_ngrams(text, *self.word_range) if g in index]

    def _char_columns(self, text: str) -> list[int]:
        index, cache, columns = self._char_index, self._by_word, []
        for word in _SPACES.sub(" ", text.lower()).split():
            found = cache.get(word)
            if found is None:
                if len(cache) > 200_000:
                    cache.clear()
                found = cache[word] = [index[g] for g in _padded_word_ngrams(word, *self.char_range) if g in index]
            columns += found
        return columns

    def logits(self, texts: Sequence[str]) -> Any:
        """``(len(texts), n_labels)`` float32 scores (a softmax of them is the linear model's probability)."""
        import numpy as np

        out = np.tile(self.bias.astype(np.float32), (len(texts), 1))
        n_columns = len(self.idf)
        for columns_of in (self._word_columns, self._char_columns):  # one TF-IDF block at a time
            found = [columns_of(text) for text in texts]
            lengths = np.fromiter(map(len, found), dtype=np.int64, count=len(texts))
            if not lengths.any():
                continue
            flat = np.fromiter(itertools.chain.from_iterable(found), dtype=np.int64, count=int(lengths.sum()))
            # (text, column) pairs and how often each occurs: the n-gram counts, as sparse triples
            keys, counts = np.unique(np.repeat(np.arange(len(texts), dtype=np.int64), lengths) * n_columns + flat,
                                     return_counts=True)
            row_ids, col_ids = np.divmod(keys, n_columns)
            values = (1.0 + np.log(counts)) * self.idf[col_ids]  # sublinear tf x idf
            values /= np.sqrt(np.bincount(row_ids, weights=values**2, minlength=len(texts)))[row_ids]  # L2 per text
            contributions = self.weights[col_ids] * values[:, None]
            for label in range(out.shape[1]):
                out[:, label] += np.bincount(row_ids, weights=contributions[:, label], minlength=len(texts))
        return out

    def save(self, folder: str | Path) -> None:
        """Write ``lexical.json`` and ``lexical.safetensors`` into ``folder`` (not atomic by itself:
        ``StanceClassifier.save_pretrained`` calls it on a temporary folder that it then renames)."""
        import numpy as np
        from safetensors.numpy import save_file

        folder = Path(folder)
        config = {"word_range": list(self.word_range), "char_range": list(self.char_range),
                  "word_vocabulary": list(self.word_vocabulary), "char_vocabulary": list(self.char_vocabulary)}
        (folder / LEXICAL_CONFIG).write_text(json.dumps(config, ensure_ascii=False) + "\n", encoding="utf-8")
        arrays = {"idf": self.idf, "weights": self.weights, "bias": self.bias}
        save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in arrays.items()}, str(folder / LEXICAL_WEIGHTS))

    @classmethod
    def load(cls, folder: str | Path) -> LexicalScorer:
        """Read a scorer saved by :meth:`save`; names the missing file if there is none."""
        from safetensors.numpy import load_file

        folder = Path(folder)
        for name in (LEXICAL_CONFIG, LEXICAL_WEIGHTS):
            if not (folder / name).is_file():
                raise FileNotFoundError(f"{folder} has no {name}; a model with lexical_weight > 0 needs {LEXICAL_CONFIG} "
                                        f"and {LEXICAL_WEIGHTS} beside its weights")
        config = json.loads((folder / LEXICAL_CONFIG).read_text(encoding="utf-8"))
        arrays = load_file(str(folder / LEXICAL_WEIGHTS))
        return cls(
            word_vocabulary=tuple(config["word_vocabulary"]), char_vocabulary=tuple(config["char_vocabulary"]),
            idf=arrays["idf"], weights=arrays["weights"], bias=arrays["bias"],
            word_range=tuple(config["word_range"]), char_range=tuple(config["char_range"]),
        )
