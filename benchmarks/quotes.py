"""Quote extraction benchmark: our gold articles, PolNeAR dev beside textacy, and speed.

    python -m benchmarks.quotes [--shared ../shared/benchmarks] [--split test]
    python -m benchmarks.quotes --only a34_ a35_ --no-shared   # one group of articles by id prefix

Prints figures only; it asserts nothing. PolNeAR is skipped with a message when its folder is absent.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import time
from pathlib import Path

from stance.extract import extract_quotes
from training.quote_scoring import read_polnear, score_corpus, score_polnear, stance_extract_simple

ROOT = Path(__file__).resolve().parent.parent


def _row(name: str, counts) -> str:
    return (f"{name:<22} P {counts.precision:.3f}  R {counts.recall:.3f}  speaker acc {counts.speaker_accuracy:.3f} "
            f"(lenient {counts.speaker_accuracy_lenient:.3f})  gold {counts.gold}  predicted {counts.predicted}")


def bench_articles(split: str | None, only: list[str] | None = None, exclude: list[str] | None = None) -> list[dict]:
    articles = [json.loads(line) for line in (ROOT / "data" / "articles.jsonl").open(encoding="utf-8")]
    if split:
        splits = json.loads((ROOT / "data" / "splits.json").read_text())
        keep = set(splits[split])
        articles = [a for a in articles if a["id"] in keep]
    if only:
        articles = [a for a in articles if a["id"].startswith(tuple(only))]
    if exclude:
        articles = [a for a in articles if not a["id"].startswith(tuple(exclude))]
    if not articles:
        raise SystemExit(f"no article matches --split {split} --only {only} --exclude {exclude}")
    score = score_corpus(articles, extract_quotes)
    chosen = "".join(f", {name} {' '.join(v)}" for name, v in (("only", only), ("exclude", exclude)) if v)
    print(f"== data/articles ({len(articles)} articles{', split ' + split if split else ''}{chosen})")
    for pattern in ("all", "marked", "indirect", "direct", "partial"):
        print(_row(pattern, score.by_pattern[pattern]))
    for pattern in sorted(p for p in score.by_pattern if p.startswith(("tag:", "mention:"))):
        counts = score.by_pattern[pattern]
        if counts.gold >= 5:
            print(f"  {pattern:<20} R {counts.recall:.3f}  speaker acc {counts.speaker_accuracy:.3f}  gold {counts.gold}")
    seed = next((a for a in articles if a["id"] == "seed"), None)
    if seed is None:
        seed = next(json.loads(l) for l in (ROOT / "data" / "articles.jsonl").open(encoding="utf-8") if '"id": "seed"' in l[:20])
    seed_score = score_corpus([seed], extract_quotes).by_pattern["marked"]
    print(f"seed: {seed_score.gold_found}/{seed_score.gold} marked quotes found, "
          f"{seed_score.speaker_right}/{seed_score.speaker_scored} with the right speaker")
    return articles


def bench_polnear(shared: Path) -> list[dict]:
    path = shared / "polnear" / "dev.jsonl"
    if not path.exists():
        print(f"== PolNeAR: skipped ({path} not found)")
        return []
    articles = read_polnear(path)
    print(f"== PolNeAR dev ({len(articles)} articles)")
    systems = {"stance": stance_extract_simple}
    if importlib.util.find_spec("textacy") is None:  # textacy_extract imports it only when called
        print("textacy: skipped, not installed (install the bench extra: make bench)")
    else:
        from training.textacy_baseline import textacy_extract

        systems["textacy 0.13"] = textacy_extract
    for name, extract in systems.items():
        started = time.perf_counter()
        s = score_polnear(articles, extract)
        took = time.perf_counter() - started
        print(f"{name:<14} marked-quote P {s.precision:.3f}  R {s.recall:.3f}  attribution recall {s.attribution_recall:.3f} "
              f"({s.named_right}/{s.named})  [{took:.1f}s]")
        if s.predicted_two_apostrophes:
            print(f"{'':<14} P {s.precision_double_marks:.3f} leaving out {s.predicted_two_apostrophes} quotes in '' marks "
                  "(real quotes in New York Times style that the gold rule does not count)")
    return articles


def bench_speed(texts: list[str]) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    extract_quotes("Warm-up, he said.")
    small = "\n\n".join(texts[: max(1, len(texts) // 10)])
    large = "\n\n".join(texts)
    timings = {}
    for name, text in (("1x", small), ("10x", large)):
        best = float("inf")
        for _ in range(3):
            started = time.process_time()  # CPU time of this one process: one core, robust to other load
            extract_quotes(text)
            best = min(best, time.process_time() - started)
        timings[name] = (len(text.encode("utf-8")), best)
    size, took = timings["10x"]
    small_size, small_took = timings["1x"]
    print(f"== speed (one core, CPU time, best of 3): {size / 1e6 / took:.2f} MB/s on {size / 1e6:.2f} MB of distinct "
          f"articles concatenated; {size / small_size:.1f}x the text took {took / small_took:.1f}x the time")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--split", default=None, help="score one split of data/splits.json only")
    parser.add_argument("--only", nargs="+", metavar="PREFIX", help="score only articles whose id starts with one of these")
    parser.add_argument("--exclude", nargs="+", metavar="PREFIX", help="leave out articles whose id starts with one of these")
    parser.add_argument("--no-shared", action="store_true", help="skip PolNeAR")
    args = parser.parse_args(argv)
    ours = bench_articles(args.split, args.only, args.exclude)
    polnear = [] if args.no_shared else bench_polnear(args.shared)
    bench_speed([a["text"] for a in ours] + [a["text"] for a in polnear])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
