"""Check marked-up articles and print what they hold: ``python -m training.check_articles FILE...``.

For authors: compiles each file (errors name file, line and column) and prints per-file counts of
words, quotes, labels and kinds, then totals, so a batch can be balanced while it is written.
``--overlap N`` also flags every quote that shares an N-word sequence with a quote of another article
in the compiled corpus or with a worked case of ``GUIDELINES.md``: new text must not reuse older
(possibly held-out) quotes or the guidelines' examples word for word.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable

from training.build_corpus import CORPUS_PATH
from training.make_splits import load_corpus
from training.markup import MarkupError, parse_file

GUIDELINES_PATH = Path(__file__).resolve().parent.parent / "data" / "GUIDELINES.md"
_WORD = re.compile(r"[a-z0-9']+")


def word_ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    """The lower-cased word n-grams of ``text`` (punctuation and quote marks ignored)."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def ngram_sources(corpus: Path, guidelines: Path | None, n: int, skip: Iterable[str]) -> dict[tuple[str, ...], str]:
    """Map each word n-gram of the corpus quotes (articles in ``skip`` left out) and guidelines to where it occurs."""
    skip = set(skip)
    sources: dict[tuple[str, ...], str] = {}
    if guidelines is not None and guidelines.exists():
        for gram in word_ngrams(guidelines.read_text(encoding="utf-8"), n):
            sources[gram] = "GUIDELINES.md"
    for article in load_corpus(corpus) if corpus.exists() else []:
        if article["id"] not in skip:
            for quote in article["quotes"]:
                for gram in word_ngrams(quote["text"], n):
                    sources.setdefault(gram, article["id"])
    return sources


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--overlap", type=int, default=0, metavar="N",
                        help="flag quotes sharing an N-word sequence with other articles' quotes or GUIDELINES.md (e.g. 6)")
    parser.add_argument("--corpus", type=Path, default=CORPUS_PATH, help="compiled corpus to compare with (--overlap)")
    args = parser.parse_args(argv)
    if args.overlap < 0 or args.overlap == 1:
        parser.error(f"--overlap {args.overlap}: expected 0 (off) or a sequence length of 2 or more, e.g. 6")
    labels: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    speakers: set[str] = set()
    articles = []
    failed = 0
    for path in args.files:
        try:
            article = parse_file(path)
        except MarkupError as err:
            print(f"ERROR {err}")
            failed += 1
            continue
        articles.append((path, article))
        quotes = article["quotes"]
        words = len(article["text"].split())
        unlabelled = sum(1 for q in quotes if q["stance"] is None)
        file_labels = Counter(q["stance"] for q in quotes)
        labels.update(file_labels)
        kinds.update(q["kind"] for q in quotes)
        speakers.update(s["name"] for s in article["speakers"])
        warn = []
        if words < 120:
            warn.append(f"only {words} words (need >= 120)")
        if unlabelled:
            warn.append(f"{unlabelled} quotes without stance")
        print(f"{path.name}: {words} words, {len(quotes)} quotes {dict(file_labels)}" + (" WARN " + "; ".join(warn) if warn else ""))
    print(f"\n{len(args.files) - failed}/{len(args.files)} files compile; quotes by label {dict(labels)}; by kind {dict(kinds)}; "
          f"{len(speakers)} distinct speaker names")
    if args.overlap:
        sources = ngram_sources(args.corpus, GUIDELINES_PATH, args.overlap, (a["id"] for _, a in articles))
        flagged = 0
        for path, article in articles:
            for quote in article["quotes"]:
                shared = sorted(g for g in word_ngrams(quote["text"], args.overlap) if g in sources)
                if shared:
                    flagged += 1
                    print(f"OVERLAP {path.name}: “{quote['text'][:80]}” shares “{' '.join(shared[0])}” with {sources[shared[0]]}")
        print(f"{flagged} quotes share a {args.overlap}-word sequence with older quotes or GUIDELINES.md")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
