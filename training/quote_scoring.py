"""Score extracted quotes against gold: our authored articles and PolNeAR (shared by benchmarks and notebooks).

Matching follows ``../shared/benchmarks/README.md``: an extracted quote matches a gold quote when at
least half of it lies inside the gold content; speakers are compared by name.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from stance.lexicon import TITLE_WORDS
from stance.types import Quote

DOUBLE_MARKS = ('"', "“", "”", "«", "»")
BARE_PRONOUNS = frozenset("he she it they who i we you him her them his its their this that which".split())
_ARTICLE_WORDS = re.compile(r"^(?:the|a|an|our|his|her|its|their)\s+", re.IGNORECASE)
_POSSESSIVE_PREFIX = re.compile(r"^\S+[’']s\s+")


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def lies_half_inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """True when at least half of [start, end) lies inside the union of ``spans``."""
    length = max(1, end - start)
    covered = 0
    for s, e in sorted(set(spans)):
        covered += _overlap(start, end, s, e)
    return covered * 2 >= length


def normalise_name(name: str | None) -> str:
    """Lower-case, without leading articles, a leading possessive or titles ("Dr", "Colonel")."""
    if not name:
        return ""
    name = " ".join(name.replace("’", "'").split()).lower()
    name = _ARTICLE_WORDS.sub("", name)
    name = _POSSESSIVE_PREFIX.sub("", name)
    words = name.split()
    while len(words) > 2 and words[0].rstrip(".") in TITLE_WORDS:
        words = words[1:]
    return " ".join(words)


def last_token(name: str | None) -> str:
    words = re.findall(r"[\w'’-]+", (name or "").lower())
    return words[-1] if words else ""


def same_speaker(predicted: str | None, gold: str | None) -> bool:
    """Strict: the same canonical name once articles and a leading possessive are dropped."""
    return bool(predicted) and normalise_name(predicted) == normalise_name(gold)


def same_speaker_lenient(predicted: str | None, gold_text: str | None) -> bool:
    """PolNeAR's rule: the last token of one name appears among the tokens of the other."""
    if not predicted or not gold_text:
        return False
    pred_tokens = re.findall(r"[\w'’-]+", predicted.lower())
    gold_tokens = re.findall(r"[\w'’-]+", gold_text.lower())
    return bool(pred_tokens and gold_tokens) and (pred_tokens[-1] in gold_tokens or gold_tokens[-1] in pred_tokens)


@dataclass
class Counts:
    """Running counts for precision, recall and speaker accuracy."""

    predicted: int = 0
    predicted_matched: int = 0
    gold: int = 0
    gold_found: int = 0
    speaker_scored: int = 0
    speaker_right: int = 0
    speaker_right_lenient: int = 0

    def add(self, other: "Counts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.predicted_matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.speaker_scored if self.speaker_scored else 0.0

    @property
    def speaker_accuracy_lenient(self) -> float:
        return self.speaker_right_lenient / self.speaker_scored if self.speaker_scored else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "speaker_accuracy": round(self.speaker_accuracy, 4),
            "speaker_accuracy_lenient": round(self.speaker_accuracy_lenient, 4),
            "predicted": self.predicted, "gold": self.gold, "speaker_scored": self.speaker_scored,
        }


@dataclass
class ArticleScore:
    """Counts for one article, by pattern (``all``, ``marked``, ``indirect``, ``direct``, tags...)."""

    by_pattern: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    errors: list[dict[str, Any]] = field(default_factory=list)


def _gold_patterns(gold: dict[str, Any]) -> list[str]:
    kind = gold["kind"]
    patterns = ["all", "indirect" if kind == "indirect" else "marked"] + ([kind] if kind != "indirect" else [])
    patterns += [f"tag:{t}" for t in gold.get("tags", [])]
    mention = gold.get("mention")
    if mention:
        patterns.append(f"mention:{mention['form']}")
    return patterns


def score_article(article: dict[str, Any], predicted: Sequence[Quote]) -> ArticleScore:
    """Match ``predicted`` quotes to the gold quotes of one compiled article."""
    result = ArticleScore()
    golds = article["quotes"]
    gold_spans = [(g["start"], g["end"]) for g in golds]
    for q in predicted:
        pred_patterns = ["all", "indirect" if q.kind == "indirect" else "marked"] + ([q.kind] if q.kind != "indirect" else [])
        matched = lies_half_inside(q.start, q.end, gold_spans)
        for p in pred_patterns:
            result.by_pattern[p].predicted += 1
            result.by_pattern[p].predicted_matched += int(matched)
        if not matched:
            result.errors.append({"type": "extra", "article": article["id"], "text": q.text, "kind": q.kind,
                                  "speaker": q.speaker_name})
    for g in golds:
        candidates = [q for q in predicted if lies_half_inside(q.start, q.end, [(g["start"], g["end"])])]
        found = bool(candidates)
        best = max(candidates, key=lambda q: _overlap(q.start, q.end, g["start"], g["end"]), default=None)
        patterns = _gold_patterns(g)
        for p in patterns:
            counts = result.by_pattern[p]
            counts.gold += 1
            counts.gold_found += int(found)
            if found and g["speaker"] is not None:
                counts.speaker_scored += 1
                right = same_speaker(best.speaker_name, g["speaker"])
                counts.speaker_right += int(right)
                counts.speaker_right_lenient += int(right or same_speaker_lenient(best.speaker_name, g["speaker"]))
        if not found:
            result.errors.append({"type": "missed", "article": article["id"], "text": g["text"], "kind": g["kind"],
                                  "speaker": g["speaker"]})
        elif g["speaker"] is not None and not same_speaker(best.speaker_name, g["speaker"]):
            result.errors.append({"type": "speaker", "article": article["id"], "text": g["text"], "kind": g["kind"],
                                  "speaker": g["speaker"], "predicted": best.speaker_name})
    return result


def score_corpus(articles: Iterable[dict[str, Any]], extract: Callable[[str], Sequence[Quote]]) -> ArticleScore:
    """Score ``extract`` over compiled articles; counts summed by pattern, errors listed."""
    total = ArticleScore()
    for article in articles:
        one = score_article(article, extract(article["text"]))
        for pattern, counts in one.by_pattern.items():
            total.by_pattern[pattern].add(counts)
        total.errors += one.errors
    return total


# -- PolNeAR ------------------------------------------------------------------------------------

def read_polnear(path: str | Path) -> list[dict[str, Any]]:
    """Articles of a PolNeAR JSONL file (see ``../shared/benchmarks/README.md``)."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def polnear_gold_quotes(article: dict[str, Any]) -> list[dict[str, Any]]:
    """Attributions whose content holds a double quotation mark: the gold quotes."""
    gold = []
    for attribution in article["attributions"]:
        content = attribution.get("content") or []
        if any(mark in span["text"] for span in content for mark in DOUBLE_MARKS):
            source_text = " ".join(span["text"] for span in attribution.get("source") or [])
            words = source_text.lower().split()
            named = bool(words) and not (len(words) == 1 and words[0] in BARE_PRONOUNS)
            gold.append({"spans": [(s["start"], s["end"]) for s in content], "source": source_text, "named": named})
    return gold


@dataclass
class PolnearScore:
    predicted: int = 0
    predicted_matched: int = 0
    predicted_two_apostrophes: int = 0  # quotes in '' marks (New York Times style): real, but outside the gold rule
    gold: int = 0
    gold_found: int = 0
    named: int = 0
    named_right: int = 0

    @property
    def precision(self) -> float:
        return self.predicted_matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 0.0

    @property
    def precision_double_marks(self) -> float:
        """Precision over quotes in double marks only, the marks the gold rule counts."""
        predicted = self.predicted - self.predicted_two_apostrophes
        return self.predicted_matched / predicted if predicted else 0.0

    @property
    def attribution_recall(self) -> float:
        return self.named_right / self.named if self.named else 0.0


@dataclass(frozen=True)
class SimpleQuote:
    """What the PolNeAR scorer needs of any extractor's output (ours or textacy's)."""

    start: int
    end: int
    kind: str
    speaker: str | None


def score_polnear(articles: Sequence[dict[str, Any]], extract: Callable[[str], Sequence[SimpleQuote]]) -> PolnearScore:
    score = PolnearScore()
    for article in articles:
        gold = polnear_gold_quotes(article)
        predicted = list(extract(article["text"]))
        all_spans = [span for g in gold for span in g["spans"]]
        for q in predicted:
            if q.kind == "indirect":
                continue
            score.predicted += 1
            matched = lies_half_inside(q.start, q.end, all_spans)
            score.predicted_matched += int(matched)
            if article["text"][max(0, q.start - 2) : q.start] == "''" and not matched:
                score.predicted_two_apostrophes += 1
        for g in gold:
            inside = [q for q in predicted if lies_half_inside(q.start, q.end, g["spans"])]
            score.gold += 1
            score.gold_found += int(bool(inside))
            if g["named"]:
                score.named += 1
                score.named_right += int(any(same_speaker_lenient(q.speaker, g["source"]) for q in inside))
    return score


def stance_extract_simple(text: str) -> list[SimpleQuote]:
    from stance.extract import extract_quotes

    return [SimpleQuote(q.start, q.end, q.kind, q.speaker_name) for q in extract_quotes(text)]
