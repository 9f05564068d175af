"""Split the compiled corpus into train / validation / test by article, stratified by label.

    python -m training.make_splits            # write data/splits.json
    python -m training.make_splits --check    # exit 1 if data/splits.json is not what this script makes

Articles are first joined into units that must share a split: articles with the same named person
(canonical name; organisations and unnamed descriptors may repeat) and articles holding near-duplicate
quotes (character 5-gram Jaccard above 0.6 after speaker names are masked). The seed article is test
only. Units are then placed largest first (ties in a seeded order) into the split whose per-label
quote counts lag furthest behind 80/10/10.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from stance.types import LABELS
from training.build_corpus import CORPUS_PATH, is_stale, write_atomic

ROOT = Path(__file__).resolve().parent.parent
SPLITS_PATH = ROOT / "data" / "splits.json"
SPLITS = ("train", "validation", "test")
RATIOS = {"train": 0.8, "validation": 0.1, "test": 0.1}
SEED = 1729
SEED_ARTICLE = "seed"
THRESHOLD = 0.6
NGRAM = 5
_PARTICLES = {"de", "da", "van", "von", "der", "den", "bin", "al", "la", "le", "di", "du", "del", "ter", "ten", "el"}
_ORG = re.compile(
    r"\b(Ministry|Agency|Service|Forces?|Office|Committee|Council|Bank|News|TV|Television|Radio|Group|"
    r"Company|Institute|University|Commission|Command|Staff|Guard|Kremlin|Navy|Army|Press|Federation|Church|"
    r"Patriarchate|Security|Directorate|Centre|Center|Parliament|Duma|Headquarters|Administration|Embassy|"
    r"Mission|Foundation|Organi[sz]ation|Network|Association|Union|Department|Authority|Board|Court|Inform|Info)\b"
)


def load_corpus(path: Path = CORPUS_PATH) -> list[dict[str, Any]]:
    """The compiled articles of ``path`` (JSONL)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def is_person_name(name: str) -> bool:
    """True for a canonical name that looks like a person's ("Pavel Orlov"), not an organisation or descriptor."""
    tokens = name.split()
    if len(tokens) < 2 or _ORG.search(name) or re.search(r"\d", name):
        return False
    for token in tokens:
        letters = token.replace("-", "").replace("'", "").replace("’", "")
        if token.lower() in _PARTICLES:
            continue
        if not letters or not token[0].isupper() or (len(letters) > 1 and letters.isupper()):
            return False
    return True


def named_persons(article: dict[str, Any]) -> set[str]:
    """Canonical names of the article's speakers that are named persons."""
    return {s["name"] for s in article["speakers"] if is_person_name(s["name"])}


def mask_names(text: str, names: Iterable[str]) -> str:
    """Lower-cased ``text`` with every speaker name and name part (3+ letters) replaced by ``@``."""
    pattern = _name_pattern(tuple(sorted(set(names))))
    return " ".join((pattern.sub("@", text) if pattern else text).lower().split())


@lru_cache(maxsize=4096)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = sorted({p for n in names for p in [n, *n.split()] if len(p) >= 3}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, parts)), re.IGNORECASE) if parts else None


def shingles(text: str, n: int = NGRAM) -> frozenset[str]:
    """Character ``n``-grams of ``text`` (the text itself when shorter)."""
    return frozenset(text[i : i + n] for i in range(max(1, len(text) - n + 1)))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def near_duplicates(sets: list[frozenset[str]], threshold: float = THRESHOLD) -> list[tuple[int, int, float]]:
    """All pairs (i, j, jaccard) with Jaccard above ``threshold``, exact, by prefix filtering.

    Shingles are ordered rarest first; two sets with Jaccard > t share a shingle among the first
    ``len - ceil(t * len) + 1`` of either, so only pairs sharing a prefix shingle are compared.
    """
    freq = Counter(s for st in sets for s in st)
    index: dict[str, list[int]] = defaultdict(list)
    candidates: set[tuple[int, int]] = set()
    for i, st in enumerate(sets):
        ordered = sorted(st, key=lambda s: (freq[s], s))
        prefix = len(ordered) - int(threshold * len(ordered)) + 1
        for shingle in ordered[:prefix]:
            candidates.update((j, i) for j in index[shingle])
            index[shingle].append(i)
    pairs = []
    for i, j in sorted(candidates):
        small, large = sorted((len(sets[i]), len(sets[j])))
        if small > threshold * large:  # length filter: a smaller ratio caps Jaccard at or below t
            common = len(sets[i] & sets[j])
            score = common / (small + large - common)
            if score > threshold:
                pairs.append((i, j, score))
    return pairs


def quote_shingles(articles: list[dict[str, Any]]) -> tuple[list[str], list[frozenset[str]]]:
    """(article id, masked 5-gram set) for every quote, article by article."""
    owners, sets = [], []
    for article in articles:
        names = [s["name"] for s in article["speakers"]]
        for quote in article["quotes"]:
            owners.append(article["id"])
            sets.append(shingles(mask_names(quote["text"], names)))
    return owners, sets


class _Union:
    """Union-find over article ids."""

    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def units(articles: list[dict[str, Any]]) -> list[list[str]]:
    """Groups of article ids that must share a split (shared named person or near-duplicate quote)."""
    union = _Union(a["id"] for a in articles)
    seen: dict[str, str] = {}
    for article in articles:
        for name in named_persons(article):
            union.join(seen.setdefault(name, article["id"]), article["id"])
    owners, sets = quote_shingles(articles)
    for i, j, _ in near_duplicates(sets):
        union.join(owners[i], owners[j])
    groups: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        groups[union.find(article["id"])].append(article["id"])
    return list(groups.values())


def assign(articles: list[dict[str, Any]], seed: int = SEED) -> dict[str, list[str]]:
    """Place units into splits: the seed unit in test, the rest largest first where labels lag most."""
    counts = {a["id"]: Counter(q["stance"] for q in a["quotes"]) for a in articles}
    total = sum(counts.values(), Counter())
    groups = units(articles)
    random.Random(seed).shuffle(groups)
    size = {tuple(g): sum(sum(counts[a].values()) for a in g) for g in groups}
    groups.sort(key=lambda g: (SEED_ARTICLE not in g, -size[tuple(g)]))
    current = {name: Counter() for name in SPLITS}
    out: dict[str, list[str]] = {name: [] for name in SPLITS}
    for group in groups:
        held = sum((counts[a] for a in group), Counter())
        name = "test" if SEED_ARTICLE in group else max(SPLITS, key=lambda s: _need(s, held, current, total))
        current[name].update(held)
        out[name].extend(group)
    return {name: sorted(ids) for name, ids in out.items()}


def _need(split: str, held: Counter, current: dict[str, Counter], total: Counter) -> float:
    """How far ``split`` lags behind its target share, weighted by the unit's labels."""
    return sum(held[lab] * (RATIOS[split] * total[lab] - current[split][lab]) / max(1, total[lab]) for lab in LABELS)


def render(splits: dict[str, list[str]]) -> str:
    return json.dumps(splits, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS_PATH)
    parser.add_argument("--output", type=Path, default=SPLITS_PATH)
    parser.add_argument("--check", action="store_true", help="only check that OUTPUT is up to date")
    args = parser.parse_args(argv)
    content = render(assign(load_corpus(args.corpus)))
    if args.check:
        return int(is_stale(args.output, content, "python -m training.make_splits"))
    write_atomic(args.output, content)
    sizes = {name: len(ids) for name, ids in json.loads(content).items()}
    print(f"wrote {args.output}: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
