"""Second labelling pass: sample a blind file and score agreement with Cohen's kappa.

    python -m training.agreement blind              # write data/second_pass/blind.jsonl (no labels)
    python -m training.agreement freeze             # snapshot the first labels of the blind quotes
    python -m training.agreement kappa              # kappa of labels.jsonl against the first labels

``--dir`` keeps a further pass in its own folder and ``--match`` samples only the articles whose id
matches a regex (e.g. the later against-type batches: ``--dir data/second_pass/against_type --match
'^a(1[6-9]|2[0-4])_'``).

A unit is one quote group (the parts of one quote, ``group=``), ``qid`` = ``ARTICLE#GROUP``. Its first
label is the parts' label; when parts differ, the first non-neutral part's label. ``freeze`` keeps the
first labels as they were before adjudication (``first_labels.jsonl``), so the reported kappa does not
change when article labels are corrected afterwards; ``kappa`` uses that snapshot when it exists.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from training.build_corpus import CORPUS_PATH
from training.make_splits import write_atomic

ROOT = Path(__file__).resolve().parent.parent
PASS_DIR = ROOT / "data" / "second_pass"
BLIND_PATH = PASS_DIR / "blind.jsonl"
LABELS_PATH = PASS_DIR / "labels.jsonl"
FIRST_PATH = PASS_DIR / "first_labels.jsonl"
LABELS = ("supportive", "critical", "neutral")
SEED = 20240224
SIZE = 320
OPEN, CLOSE = "⟦", "⟧"
_BOUNDARY = re.compile(r"(?<=[.!?])[”\"’»)]*\s+|\n+")


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSONL file (blank lines skipped)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def dump_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    write_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def groups_of(article: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The article's quotes by group, in text order."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for quote in article["quotes"]:
        groups[quote["group"]].append(quote)
    return dict(groups)


def group_label(parts: list[dict[str, Any]]) -> str:
    """The parts' common label, or the first non-neutral one when they differ."""
    labels = [p["stance"] for p in parts]
    return next((lab for lab in labels if lab != "neutral"), "neutral")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans: cut after . ! ? (and closing marks) followed by space, and at newlines."""
    spans, start = [], 0
    for match in _BOUNDARY.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def context_for(text: str, parts: list[dict[str, Any]], extra: int = 1) -> str:
    """The sentences holding the quote's parts, ``extra`` sentences either side, parts marked ⟦ ⟧."""
    spans = sentence_spans(text)
    lo, hi = parts[0]["start"], parts[-1]["end"]
    hits = [i for i, (s, e) in enumerate(spans) if s < hi and e > lo]
    first, last = max(0, hits[0] - extra), min(len(spans) - 1, hits[-1] + extra)
    begin, end = spans[first][0], spans[last][1]
    out, pos = [], begin
    for part in parts:
        out += [text[pos : part["start"]], OPEN, text[part["start"] : part["end"]], CLOSE]
        pos = part["end"]
    out.append(text[pos:end])
    return "".join(out).replace("\n", " ")


def blind_rows(articles: list[dict[str, Any]], size: int = SIZE, seed: int = SEED) -> list[dict[str, Any]]:
    """One attributed quote group per article, then a second from randomly chosen articles up to ``size``."""
    rng = random.Random(seed)
    picks: list[list[tuple[str, list[dict[str, Any]]]]] = []
    for article in articles:
        groups = [(g, ps) for g, ps in groups_of(article).items() if ps[0]["speaker"]]
        random.Random(f"{seed}:{article['id']}").shuffle(groups)
        picks.append(groups)
    chosen = [(i, 0) for i, groups in enumerate(picks) if groups]
    spare = [i for i, groups in enumerate(picks) if len(groups) > 1]
    chosen += [(i, 1) for i in sorted(rng.sample(spare, max(0, min(len(spare), size - len(chosen)))))]
    rows = []
    for i, rank in sorted(chosen):
        article, (group, parts) = articles[i], picks[i][rank]
        rows.append({
            "qid": f"{article['id']}#{group}",
            "article_id": article["id"],
            "sentence_context": context_for(article["text"], parts),
            "speaker": parts[0]["speaker"],
            "quote": " … ".join(p["text"] for p in parts),
        })
    return rows


def first_labels(articles: list[dict[str, Any]], qids: Iterable[str]) -> dict[str, str]:
    """The corpus label of each ``ARTICLE#GROUP`` in ``qids``."""
    by_id = {a["id"]: a for a in articles}
    out = {}
    for qid in qids:
        article_id, group = qid.split("#", 1)
        out[qid] = group_label(groups_of(by_id[article_id])[group])
    return out


def cohen_kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa of two label sequences of equal length."""
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second)) / n
    ca, cb = Counter(first), Counter(second)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def report(first: dict[str, str], second: dict[str, str], blind: dict[str, dict[str, Any]]) -> str:
    """Kappa, raw agreement, confusion table and the list of disagreements."""
    qids = sorted(set(first) & set(second))
    a, b = [first[q] for q in qids], [second[q] for q in qids]
    lines = [f"units: {len(qids)}  agreement: {sum(x == y for x, y in zip(a, b)) / len(qids):.3f}  "
             f"kappa: {cohen_kappa(a, b):.3f}", "", "first \\ second  " + "  ".join(f"{l:>10}" for l in LABELS)]
    pairs = Counter(zip(a, b))
    lines += [f"{r:>14}  " + "  ".join(f"{pairs[r, c]:>10}" for c in LABELS) for r in LABELS]
    lines.append("")
    for q in qids:
        if first[q] != second[q]:
            row = blind.get(q, {})
            lines.append(f"{q}  first={first[q]} second={second[q]}  [{row.get('speaker')}] {row.get('quote', '')}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("blind", "freeze", "kappa"))
    parser.add_argument("--corpus", type=Path, default=CORPUS_PATH)
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--labels", type=Path, default=None, help="second labels (default: labels.jsonl in --dir)")
    parser.add_argument("--force", action="store_true", help="freeze: overwrite an existing snapshot")
    parser.add_argument("--dir", type=Path, default=PASS_DIR, help="folder of this pass's blind/first/labels files")
    parser.add_argument("--match", default=None, help="blind: sample only articles whose id matches this regex")
    args = parser.parse_args(argv)
    articles = load_jsonl(args.corpus)
    blind_path, first_path = args.dir / BLIND_PATH.name, args.dir / FIRST_PATH.name
    labels_path = args.labels or args.dir / LABELS_PATH.name
    if args.command == "blind":
        if args.match:
            articles = [a for a in articles if re.search(args.match, a["id"])]
            if not articles:
                print(f"error: --match {args.match!r} matches no article id", file=sys.stderr)
                return 2
        rows = blind_rows(articles, args.size)
        args.dir.mkdir(parents=True, exist_ok=True)
        dump_jsonl(blind_path, rows)
        print(f"wrote {len(rows)} quotes from {len({r['article_id'] for r in rows})} articles to {blind_path}")
        return 0
    blind = {r["qid"]: r for r in load_jsonl(blind_path)}
    if args.command == "freeze":
        if first_path.exists() and not args.force:
            print(f"{first_path} exists (labels may since have been adjudicated); --force to overwrite")
            return 1
        labels = first_labels(articles, blind)
        dump_jsonl(first_path, ({"qid": q, "label": lab} for q, lab in labels.items()))
        print(f"wrote {len(labels)} first labels to {first_path}")
        return 0
    source = load_jsonl(first_path) if first_path.exists() else None
    first = {r["qid"]: r["label"] for r in source} if source else first_labels(articles, blind)
    second = {r["qid"]: r["label"] for r in load_jsonl(labels_path)}
    print(report(first, second, blind))
    return 0


if __name__ == "__main__":
    sys.exit(main())
