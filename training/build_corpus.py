"""Compile the authored gold articles in ``data/articles/`` to ``data/articles.jsonl``.

    python -m training.build_corpus            # write data/articles.jsonl
    python -m training.build_corpus --check    # exit 1 if the committed file is out of date
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from training.markup import MarkupError, parse_file

ROOT = Path(__file__).resolve().parent.parent
ARTICLES_DIR = ROOT / "data" / "articles"
CORPUS_PATH = ROOT / "data" / "articles.jsonl"


def compile_articles(folder: Path = ARTICLES_DIR) -> list[dict[str, Any]]:
    """Compile every ``*.txt`` file of ``folder`` in name order; raises MarkupError on the first bad one."""
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no *.txt articles in {folder}")
    articles = []
    for path in paths:
        record = parse_file(path)
        record["source"] = "seed" if path.stem.startswith("seed") else "authored"
        articles.append(record)
    return articles


def render_jsonl(articles: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(a, ensure_ascii=False, sort_keys=False) + "\n" for a in articles)


def write_atomic(path: Path, content: str) -> None:
    """Write ``content`` to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; the corpus is meant to be read by all
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_stale(path: Path, content: str, command: str) -> bool:
    """True, saying how to refresh it, when the committed ``path`` differs from the freshly made ``content``."""
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current != content:
        print(f"{path} is out of date; run: {command}", file=sys.stderr)
        return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=ARTICLES_DIR)
    parser.add_argument("--output", type=Path, default=CORPUS_PATH)
    parser.add_argument("--check", action="store_true", help="only check that OUTPUT is up to date")
    args = parser.parse_args(argv)
    try:
        content = render_jsonl(compile_articles(args.articles))
    except MarkupError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.check:
        return int(is_stale(args.output, content, "python -m training.build_corpus"))
    write_atomic(args.output, content)
    count = content.count("\n")
    print(f"wrote {count} articles to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
