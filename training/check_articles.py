"""Check marked-up articles and print what they hold: ``python -m training.check_articles FILE...``.

For authors: compiles each file (errors name file, line and column) and prints per-file counts of
words, quotes, labels and kinds, then totals, so a batch can be balanced while it is written.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from training.markup import MarkupError, parse_file


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    if not paths:
        print("usage: python -m training.check_articles FILE...", file=sys.stderr)
        return 2
    labels: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    speakers: set[str] = set()
    failed = 0
    for path in paths:
        try:
            article = parse_file(path)
        except MarkupError as err:
            print(f"ERROR {err}")
            failed += 1
            continue
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
    print(f"\n{len(paths) - failed}/{len(paths)} files compile; quotes by label {dict(labels)}; by kind {dict(kinds)}; "
          f"{len(speakers)} distinct speaker names")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
