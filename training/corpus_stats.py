"""Print the data-card tables of the compiled corpus: ``python -m training.corpus_stats [--json]``.

Counts by label, split, kind, affiliation and role bucket; role-balance percentages; distinct named
speakers; and the role-only baseline (a classifier that sees only the speaker's role and affiliation,
trained on train, macro-F1 on test), which must stay at or below 0.55.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable, Iterable

from training.make_splits import CORPUS_PATH, LABELS, SPLITS, SPLITS_PATH, is_person_name, load_corpus

WEST = {
    "United States", "United Kingdom", "European Union", "NATO", "Germany", "France", "Poland", "Italy",
    "Estonia", "Latvia", "Lithuania", "Finland", "Netherlands", "Czech Republic", "Slovakia", "Hungary",
    "Austria", "Switzerland", "Japan", "South Korea",
}
RUSSIA_ALIGNED = {"Belarus", "Iran", "North Korea", "Russia and North Korea"}
INTERNATIONAL = {"UN", "ICRC", "IAEA"}
INDEPENDENT = {"independent", "media"}
ROLE_BUCKETS = (  # first match wins
    ("media", r"\bTV\b|television|broadcaster|news|agency|blogger|journalist|correspondent|host|presenter|"
              r"commentator|pundit|editor|media|propagandist|reporter"),
    ("expert", r"analyst|economist|scientist|expert|researcher|professor|historian|lawyer|scholar|academic"),
    ("legislator", r"lawmaker|\bMPs?\b|\bMEP\b|senator|parliament|Duma|congress|politician|party|assembly|opposition"),
    ("military/security", r"military|defen[cs]e|soldier|commander|army|navy|air force|officer|fighter|"
                          r"intelligence|police|border|general staff|security|marine|sniper|sapper|medic\b|"
                          r"veteran|mercenar|volunteer fighter|battalion|brigade|\bunit\b|troops?"),
    ("government", r"minist|diplomat|embassy|ambassador|envoy|consul|foreign|spokes|official|government|"
                   r"president|secretary|commissioner|governor|mayor|administration|prosecutor|kremlin|"
                   r"state department|council|authorit|office|head of"),
    ("civil society", r"priest|church|clergy|imam|rabbi|activist|volunteer|rights|charity|humanitarian|"
                      r"organi[sz]ation|\bNGO\b|union|Red Cross|UN\b|monitor"),
)


def affiliation_bucket(affiliation: str) -> str:
    """Russia, Ukraine, West, Russia-aligned, international, independent/media or other state."""
    if affiliation in ("Russia", "Ukraine"):
        return affiliation
    for name, members in (("West", WEST), ("Russia-aligned", RUSSIA_ALIGNED),
                          ("international", INTERNATIONAL), ("independent/media", INDEPENDENT)):
        if affiliation in members:
            return name
    return "other state"


def role_bucket(role: str) -> str:
    """A coarse bucket of a free-text role; 'civilian/other' when no pattern matches."""
    return next((name for name, pattern in ROLE_BUCKETS if re.search(pattern, role, re.IGNORECASE)),
                "civilian/other")


def quote_rows(articles: list[dict[str, Any]], splits: dict[str, list[str]]) -> list[dict[str, Any]]:
    """One flat row per quote: split, label, kind, and its speaker's role and affiliation."""
    split_of = {aid: name for name, ids in splits.items() for aid in ids}
    rows = []
    for article in articles:
        speakers = {s["key"]: s for s in article["speakers"]}
        for quote in article["quotes"]:
            speaker = speakers.get(quote["speaker_key"] or "", {})
            rows.append({"article": article["id"], "split": split_of.get(article["id"]),
                         "label": quote["stance"], "kind": quote["kind"],
                         "role": speaker.get("role", "(unattributed)"),
                         "affiliation": speaker.get("affiliation", "(unattributed)")})
    return rows


def table(rows: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], str], title: str) -> str:
    """A markdown table of label counts per ``key`` value, with totals."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        counts[key(row)][row["label"]] += 1
    lines = [f"| {title} | " + " | ".join(LABELS) + " | total |", "|---" * (len(LABELS) + 2) + "|"]
    order = sorted(counts, key=lambda k: -sum(counts[k].values()))
    for name in order + (["total"] if len(order) > 1 else []):
        c = sum(counts.values(), Counter()) if name == "total" else counts[name]
        lines.append(f"| {name} | " + " | ".join(str(c[lab]) for lab in LABELS) + f" | {sum(c.values())} |")
    return "\n".join(lines)


def speaker_rows(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Speaker-level rows (one per article speaker entry) with ``label`` = the speaker's stance."""
    return [{**s, "label": s["stance"]} for a in articles for s in a["speakers"]]


def role_balance(articles: list[dict[str, Any]]) -> dict[str, tuple[int, int, float]]:
    """Share of speakers against type: Russia not supportive; Ukraine / West / both not critical."""
    speakers = speaker_rows(articles)
    groups = {
        "Russia, not supportive": ([s for s in speakers if s["affiliation"] == "Russia"], "supportive"),
        "Ukraine, not critical": ([s for s in speakers if s["affiliation"] == "Ukraine"], "critical"),
        "West, not critical": ([s for s in speakers if s["affiliation"] in WEST], "critical"),
        "Ukraine + West, not critical": (
            [s for s in speakers if s["affiliation"] == "Ukraine" or s["affiliation"] in WEST], "critical"),
    }
    out = {}
    for name, (group, typical) in groups.items():
        against = sum(s["stance"] != typical for s in group)
        out[name] = (against, len(group), against / max(1, len(group)))
    return out


def neutral_sources(rows: list[dict[str, Any]]) -> Counter:
    """Neutral quotes per affiliation bucket."""
    return Counter(affiliation_bucket(r["affiliation"]) for r in rows if r["label"] == "neutral")


def distinct_named_speakers(articles: list[dict[str, Any]]) -> int:
    """Distinct canonical names of named persons."""
    return len({s["name"] for a in articles for s in a["speakers"] if is_person_name(s["name"])})


def _features(rows: list[dict[str, Any]]) -> list[dict[str, int]]:
    """One-hot role and affiliation: all the role-only baseline sees."""
    return [{"role=" + r["role"]: 1, "aff=" + r["affiliation"]: 1} for r in rows]


def _logreg_f1(train: list[dict[str, Any]], test: list[dict[str, Any]]) -> float:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score

    vec = DictVectorizer()
    model = LogisticRegression(max_iter=2000).fit(vec.fit_transform(_features(train)), [r["label"] for r in train])
    predicted = model.predict(vec.transform(_features(test)))
    return float(f1_score([r["label"] for r in test], predicted, average="macro", labels=list(LABELS)))


def role_only_baseline(rows: list[dict[str, Any]], folds: int = 5) -> dict[str, float]:
    """Macro-F1 of classifiers that see only role and affiliation: trained on train, scored on test
    (the data card's number), on validation, and in article-grouped cross-validation over all quotes."""
    train = [r for r in rows if r["split"] == "train"]
    test = [r for r in rows if r["split"] == "test"]
    validation = [r for r in rows if r["split"] == "validation"]
    articles = sorted({r["article"] for r in rows})
    fold_of = {a: i % folds for i, a in enumerate(articles)}
    cv = [_logreg_f1([r for r in rows if fold_of[r["article"]] != k], [r for r in rows if fold_of[r["article"]] == k])
          for k in range(folds)]
    return {"logistic regression, role + affiliation one-hot: test": _logreg_f1(train, test),
            "majority per (role, affiliation), backing off to affiliation: test": _majority_f1(train, test),
            "logistic regression: validation": _logreg_f1(train, validation),
            f"logistic regression: {folds}-fold article-grouped cross-validation, mean": sum(cv) / folds}


def _majority_f1(train: list[dict[str, Any]], test: list[dict[str, Any]]) -> float:
    from sklearn.metrics import f1_score

    by_pair: dict[tuple[str, str], Counter] = defaultdict(Counter)
    by_aff: dict[str, Counter] = defaultdict(Counter)
    for r in train:
        by_pair[r["role"], r["affiliation"]][r["label"]] += 1
        by_aff[r["affiliation"]][r["label"]] += 1
    overall = Counter(r["label"] for r in train)
    def pick(r: dict[str, Any]) -> str:
        votes = by_pair.get((r["role"], r["affiliation"])) or by_aff.get(r["affiliation"]) or overall
        return votes.most_common(1)[0][0]

    predicted = [pick(r) for r in test]
    return float(f1_score([r["label"] for r in test], predicted, average="macro", labels=list(LABELS)))


def summary(articles: list[dict[str, Any]], splits: dict[str, list[str]]) -> dict[str, Any]:
    """Every number of the data card as a dict."""
    rows = quote_rows(articles, splits)
    return {
        "articles": len(articles),
        "quotes": len(rows),
        "labels": dict(Counter(r["label"] for r in rows)),
        "min_words": min(len(a["text"].split()) for a in articles),
        "distinct_named_speakers": distinct_named_speakers(articles),
        "speaker_entries": sum(len(a["speakers"]) for a in articles),
        "split_articles": {name: len(splits.get(name, [])) for name in SPLITS},
        "role_balance": {k: round(v[2], 3) for k, v in role_balance(articles).items()},
        "neutral_by_affiliation": dict(neutral_sources(rows)),
        "role_only_macro_f1": {k: round(v, 3) for k, v in role_only_baseline(rows).items()},
    }


def render(articles: list[dict[str, Any]], splits: dict[str, list[str]]) -> str:
    """The data-card tables as markdown."""
    rows = quote_rows(articles, splits)
    speakers = speaker_rows(articles)
    parts = [
        f"{len(articles)} articles, {len(rows)} quotes, {distinct_named_speakers(articles)} distinct named "
        f"speakers ({sum(len(a['speakers']) for a in articles)} speaker entries); shortest article "
        f"{min(len(a['text'].split()) for a in articles)} words.",
        table(rows, lambda r: "all quotes", "quotes"),
        table(rows, lambda r: f"{r['split']} ({len(splits.get(r['split'], []))} articles)", "split"),
        table(rows, lambda r: r["kind"], "kind"),
        table(rows, lambda r: affiliation_bucket(r["affiliation"]), "speaker affiliation"),
        table(rows, lambda r: role_bucket(r["role"]), "speaker role"),
        table(speakers, lambda s: affiliation_bucket(s["affiliation"]), "speakers (speaker-level label)"),
        "| role balance (speaker level) | against type | speakers | share |\n|---|---|---|---|\n" + "\n".join(
            f"| {k} | {a} | {n} | {p:.1%} |" for k, (a, n, p) in role_balance(articles).items()),
        "| role-only baseline (test) | macro-F1 |\n|---|---|\n" + "\n".join(
            f"| {k} | {v:.3f} |" for k, v in role_only_baseline(rows).items()),
    ]
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS_PATH)
    parser.add_argument("--splits", type=Path, default=SPLITS_PATH)
    parser.add_argument("--json", action="store_true", help="print the summary numbers as JSON")
    args = parser.parse_args(argv)
    articles = load_corpus(args.corpus)
    splits = json.loads(args.splits.read_text(encoding="utf-8"))
    print(json.dumps(summary(articles, splits), indent=1) if args.json else render(articles, splits))
    return 0


if __name__ == "__main__":
    sys.exit(main())
