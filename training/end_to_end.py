"""End-to-end scoring of the pipeline against gold articles (``data/articles.jsonl``).

Quote precision, recall and speaker accuracy come from the lead's ``training/quote_scoring.py``
(an extracted quote matches a gold quote when at least half of it lies inside the gold quote; the
speaker of a found gold quote is judged on the extracted quote that overlaps it most). On top:

* quote stance macro-F1: over found gold quotes, the predicted label of that best match vs gold;
* speaker stance macro-F1: over gold speakers, the label of the predicted speaker with the same
  name (``quote_scoring.normalise_name``); a speaker the pipeline never names counts as wrong.
* speaker stance macro-F1 (by quotes): the same, but the predicted speaker is the one the gold
  speaker's found quotes were most often given to, whatever its name ("a sailor on a neighbouring
  ferry" for the gold "Kerch ferry sailor"), and none when most went to no one; it scores the stance
  of the speakers the pipeline forms without the exact-name match that descriptor speakers rarely
  pass. Two gold speakers can meet in one predicted speaker: the measure does not force a one-to-one
  match.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from stance.types import LABELS, Quote, Span, Speaker

ROOT = Path(__file__).resolve().parent.parent
CORPUS_PATH = ROOT / "data" / "articles.jsonl"
SPLITS_PATH = ROOT / "data" / "splits.json"


# ---------------------------------------------------------------- gold data
def load_articles(path: str | Path = CORPUS_PATH) -> list[dict[str, Any]]:
    """The compiled gold articles, one dict per line of ``path``."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def gold_quotes(article: Mapping[str, Any]) -> list[Quote]:
    """The gold quotes of a compiled article as :class:`~stance.types.Quote` records."""
    quotes = []
    for q in article["quotes"]:
        speaker = None
        if q.get("speaker"):
            m = q.get("mention")
            speaker = Speaker(
                name=q["speaker"],
                mention=Span(m["start"], m["end"], m["text"]) if m else None,
                form=m["form"] if m else "name",
            )
        cue = q.get("cue")
        quotes.append(
            Quote(
                id=q["id"], group=q.get("group", q["id"]), text=q["text"], start=q["start"], end=q["end"],
                kind=q["kind"], speaker=speaker, cue=Span(cue["start"], cue["end"], cue["text"]) if cue else None,
                paragraph=q.get("paragraph", 0), tags=tuple(q.get("tags", ())),
            )
        )
    return quotes


def gold_extractor(articles: Iterable[Mapping[str, Any]]) -> Callable[[str], list[Quote]]:
    """An extractor that returns the gold quotes of whichever of ``articles`` has this exact text."""
    by_text = {a["text"]: gold_quotes(a) for a in articles}

    def extract(text: str) -> list[Quote]:
        if text not in by_text:
            raise KeyError(f"text={text[:40]!r}... is not one of the gold articles")
        return list(by_text[text])

    return extract


# ---------------------------------------------------------------- matching
def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def best_matches(extracted: Sequence[Any], gold: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """gold index -> index of the extracted quote that lies half inside it and overlaps it most."""
    from training.quote_scoring import lies_half_inside

    best: dict[int, int] = {}
    for j, g in enumerate(gold):
        span = [(g["start"], g["end"])]
        candidates = [i for i, e in enumerate(extracted) if lies_half_inside(e.start, e.end, span)]
        if candidates:
            best[j] = max(candidates, key=lambda i: overlap(extracted[i].start, extracted[i].end, g["start"], g["end"]))
    return best


# ---------------------------------------------------------------- scores
def macro_f1(gold: Sequence[str], predicted: Sequence[str | None], labels: Sequence[str] = LABELS) -> float:
    """Macro-averaged F1 over ``labels`` (a label absent from both sides is skipped; ``None`` is never right)."""
    scores = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted) if g == label and p != label)
        if tp + fp + fn == 0:
            continue
        scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores) if scores else 0.0


@dataclass
class Tally:
    """Counts gathered over articles; :meth:`scores` turns them into the end-to-end table."""

    articles: int = 0

    def __post_init__(self) -> None:
        from training.quote_scoring import Counts

        self.counts = Counts()
        self.quote_gold: list[str] = []
        self.quote_pred: list[str] = []
        self.speaker_gold: list[str] = []
        self.speaker_pred: list[str | None] = []
        self.speaker_pred_by_quotes: list[str | None] = []

    def add(self, article: Mapping[str, Any], analysis: Any) -> None:
        """Score one :class:`~stance.analysis.ArticleAnalysis` against its gold article dict."""
        from training.quote_scoring import normalise_name, score_article

        self.articles += 1
        extracted = [item.quote for item in analysis.quotes]
        self.counts.add(score_article(dict(article), extracted).by_pattern["all"])
        # gold speaker key -> predicted names of its found quotes; an unattributed quote votes for no one (None)
        given_to: dict[str, Counter[str | None]] = defaultdict(Counter)
        for j, i in best_matches(extracted, article["quotes"]).items():
            gold = article["quotes"][j]
            self.quote_gold.append(gold["stance"])
            self.quote_pred.append(analysis.quotes[i].label)
            if gold.get("speaker_key"):
                given_to[gold["speaker_key"]][extracted[i].speaker_name] += 1
        predicted = {normalise_name(s.name): s.label for s in analysis.speakers}
        by_name = {s.name: s.label for s in analysis.speakers}
        for speaker in article.get("speakers", []):
            self.speaker_gold.append(speaker["stance"])
            self.speaker_pred.append(predicted.get(normalise_name(speaker["name"])))
            names = given_to.get(speaker.get("key"))
            top = names.most_common(1)[0][0] if names else None
            self.speaker_pred_by_quotes.append(by_name.get(top) if top is not None else None)

    def scores(self) -> dict[str, float]:
        return {
            "quote precision": self.counts.precision,
            "quote recall": self.counts.recall,
            "speaker accuracy": self.counts.speaker_accuracy,
            "quote stance macro-F1": macro_f1(self.quote_gold, self.quote_pred),
            "speaker stance macro-F1": macro_f1(self.speaker_gold, self.speaker_pred),
            "speaker stance macro-F1 (by quotes)": macro_f1(self.speaker_gold, self.speaker_pred_by_quotes),
        }


def score_analyses(articles: Sequence[Mapping[str, Any]], analyses: Sequence[Any]) -> Tally:
    """A :class:`Tally` over paired gold articles and analyses."""
    tally = Tally()
    for article, analysis in zip(articles, analyses, strict=True):
        tally.add(article, analysis)
    return tally
