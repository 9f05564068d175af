"""StancePipeline / analyze / analyze_dataset: batching across articles, records, the JSON contract.

Also holds the helpers the CLI and batch tests share (tiny model, gold extractor, keyword classifier).
"""

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from stance.analysis import QUOTE_COLUMNS, ArticleAnalysis
from stance.types import LABELS, Quote, Speaker, StancePrediction
from training.end_to_end import gold_extractor, gold_quotes, load_articles

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_ef0fb1aaffeb18a3.txt"
ALL_ARTICLES = load_articles()
SEED_ARTICLE = next(a for a in ALL_ARTICLES if a["id"] == "seed")
#: The seed first, then a few authored articles: enough variety, fast on 2 cores.
ARTICLES = [SEED_ARTICLE] + [a for a in ALL_ARTICLES if a["id"] != "seed"][:3]


# ---------------------------------------------------------------- shared helpers
def tiny_model_dir() -> Path:
    """A tiny random stance model, built once per machine and tiny_model.py version (about 3 s)."""
    import hashlib

    source = (ROOT / "training" / "tiny_model.py").read_bytes()
    folder = Path(tempfile.gettempdir()) / f"stance-test-tiny-{hashlib.sha256(source).hexdigest()[:12]}"
    if not (folder / "stance_config.json").is_file():
        from training.tiny_model import make_tiny_model

        try:
            make_tiny_model(folder)
        except FileExistsError:  # another test process built it meanwhile
            pass
    return folder


def gold_extract(text: str) -> list[Quote]:
    """The gold quotes of whichever gold article has this text (test extractor, independent of rules)."""
    return gold_extractor(ARTICLES)(text)


@dataclass
class KeywordClassifier:
    """A fake classifier: supportive for 'support', critical for 'war'/'aggression', else neutral."""

    calls: list = field(default_factory=list)
    name: str = "keywords"
    sha256: str = "0" * 64

    @dataclass
    class config:  # noqa: N801 - mimics StanceClassifier.config
        speaker_threshold = 0.6
        low_confidence_threshold = 0.7

    def predict(self, inputs, batch_size=32, device="auto", show_progress=False):
        self.calls.append(len(inputs))
        out = []
        for item in inputs:
            text = item.quote.lower()
            if "support" in text:
                scores = {"supportive": 0.8, "critical": 0.1, "neutral": 0.1}
            elif "war" in text or "aggression" in text:
                scores = {"supportive": 0.05, "critical": 0.9, "neutral": 0.05}
            else:
                scores = {"supportive": 0.2, "critical": 0.15, "neutral": 0.65}
            out.append(StancePrediction(max(scores, key=scores.get), scores))
        return out


def keyword_pipeline():
    from stance.pipeline import StancePipeline

    return StancePipeline(gold_extract, KeywordClassifier())


# ---------------------------------------------------------------- pipeline
def test_seed_with_gold_quotes_and_keyword_classifier():
    analysis = keyword_pipeline()(SEED_ARTICLE["text"])
    assert [q.quote.id for q in analysis.quotes] == [q["id"] for q in SEED_ARTICLE["quotes"]]
    assert all(analysis.text[q.quote.start : q.quote.end] == q.quote.text for q in analysis.quotes)
    got = {s.name: (s.label, s.quote_count, s.mixed) for s in analysis.speakers}
    assert got == {
        "Kim Jong Un": ("supportive", 1, False),
        "Vladimir Putin": ("neutral", 4, False),  # "unwavering" etc.: no keyword
        "both countries": ("neutral", 1, False),
        "international correspondent": ("neutral", 1, False),
        "KCNA": ("neutral", 2, False),
        "Antony Blinken": ("critical", 1, False),
    }
    assert [q.low_confidence for q in analysis.quotes][:2] == [False, True]  # 0.8 >= 0.7, 0.65 < 0.7


def test_classification_is_one_pass_across_articles():
    texts = [a["text"] for a in ARTICLES] * 3
    pipe = keyword_pipeline()
    analyses = pipe(texts)
    assert pipe.classifier.calls == [sum(len(a["quotes"]) for a in ARTICLES) * 3]
    single = keyword_pipeline()(texts[0])
    assert analyses[0].to_dict() == single.to_dict()
    assert [len(a.quotes) for a in analyses] == [len(a["quotes"]) for a in ARTICLES] * 3


def test_no_quotes_means_no_classifier_call():
    from stance.pipeline import StancePipeline

    pipe = StancePipeline(lambda text: [], KeywordClassifier())
    analysis = pipe("Nothing quoted here.")
    assert (analysis.quotes, analysis.speakers, pipe.classifier.calls) == ((), (), [])


def test_unattributed_quotes_are_reported_but_join_no_speaker():
    from stance.pipeline import StancePipeline

    text = '"We support them," said Orlov. "This war is a crime."'
    quotes = [
        Quote("q1", "q1", "We support them,", 1, 17, "direct", Speaker("Pavel Orlov", form="name")),
        Quote("q2", "q2", "This war is a crime.", 32, 52, "direct", None),
    ]
    analysis = StancePipeline(lambda t: quotes, KeywordClassifier())(text)
    assert [(q.quote.id, q.label) for q in analysis.quotes] == [("q1", "supportive"), ("q2", "critical")]
    assert [(s.name, s.label, s.evidence) for s in analysis.speakers] == [("Pavel Orlov", "supportive", ("q1",))]


def test_extractor_offsets_are_checked():
    from stance.pipeline import StancePipeline

    bad = [Quote("q1", "q1", "wrong", 0, 5, "direct")]
    with pytest.raises(ValueError, match=r"quote 'q1' at 0:5 whose text is not text\[0:5\]"):
        StancePipeline(lambda t: bad, KeywordClassifier())("right here")


# ---------------------------------------------------------------- records and the JSON contract
def test_to_dict_is_the_documented_contract():
    d = keyword_pipeline()(SEED_ARTICLE["text"]).to_dict()
    assert list(d) == ["schema_version", "stance_version", "model", "quotes", "speakers"]
    assert d["schema_version"] == 1 and d["stance_version"].count(".") == 2
    assert d["model"] == {"name": "keywords", "sha256": "0" * 64}
    assert list(d["quotes"][0]) == [
        "id", "group", "paragraph", "text", "start", "end", "kind", "speaker", "speaker_start", "speaker_end",
        "cue", "label", "scores", "low_confidence",
    ]
    assert list(d["speakers"][0]) == ["name", "description", "label", "confidence", "scores", "quote_count", "mixed", "evidence"]
    first = d["quotes"][0]
    assert (first["speaker"], first["speaker_start"], first["speaker_end"], first["cue"]) == ("Kim Jong Un", 0, 31, "pledged")
    assert list(first["scores"]) == list(LABELS)
    blinken = next(s for s in d["speakers"] if s["name"] == "Antony Blinken")
    assert blinken == {
        "name": "Antony Blinken", "description": None, "label": "critical", "confidence": 0.9,
        "scores": {"supportive": 0.05, "critical": 0.9, "neutral": 0.1}, "quote_count": 1, "mixed": False,
        "evidence": ["q10"],
    }
    assert json.loads(json.dumps(d)) == d


def test_to_dataframe_has_one_row_per_quote():
    analysis = keyword_pipeline()(SEED_ARTICLE["text"])
    frame = analysis.to_dataframe()
    assert list(frame.columns) == list(QUOTE_COLUMNS)
    assert frame["id"].tolist() == [q.quote.id for q in analysis.quotes]
    assert frame["score_critical"].tolist()[-1] == 0.9
    assert str(frame["speaker_start"].dtype) == "Int64"
    empty = ArticleAnalysis("x", (), ())
    assert list(empty.to_dataframe().columns) == list(QUOTE_COLUMNS) and len(empty.to_dataframe()) == 0


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda a: a.speaker("Nobody"), KeyError, r"name='Nobody' is not a speaker in this analysis; speakers: \['Kim Jong Un'"),
        (lambda a: a.quote("q99"), KeyError, r"quote_id='q99' is not in this analysis; known ids: \['q1'"),
    ],
)
def test_lookups_name_the_choices(call, error, message):
    with pytest.raises(error, match=message):
        call(keyword_pipeline()(SEED_ARTICLE["text"]))


# ---------------------------------------------------------------- analyze() and model loading
@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: __import__("stance.pipeline").pipeline.analyze(42, model=keyword_pipeline()), TypeError, r"text is a int, expected str"),
        (lambda: __import__("stance.pipeline").pipeline.get_pipeline(42), TypeError, r"model=42 is not a model; expected None, a model folder"),
        (lambda: __import__("stance.pipeline").pipeline.StancePipeline(gold_extract, KeywordClassifier(), batch_size=0),
         ValueError, r"batch_size=0 must be a positive integer"),
        (lambda: __import__("stance.pipeline").pipeline.StancePipeline(gold_extract, object()), TypeError, r"has no predict\(\)"),
        (lambda: __import__("stance.pipeline").pipeline.load_classifier("/nonexistent/model"),
         FileNotFoundError, r"model='/nonexistent/model': no such folder; build the default model with `make model`"),
        (lambda: __import__("stance.pipeline").pipeline.load_classifier(ROOT / "data"),
         FileNotFoundError, r"is not a stance model folder \(no stance_config.json\); build"),
    ],
)
def test_bad_arguments_are_named(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_default_model_missing_says_how_to_build(monkeypatch, tmp_path):
    from stance.pipeline import ModelNotFoundError, load_classifier

    monkeypatch.delenv("STANCE_MODEL", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with pytest.raises(ModelNotFoundError, match=r"no stance model at .*make model"):
        load_classifier(None)


def test_analyze_with_a_model_folder_loads_it_once():
    from stance import pipeline

    folder = tiny_model_dir()
    first = pipeline.analyze(SEED_ARTICLE["text"], model=folder)
    misses = pipeline._cached_classifier.cache_info().misses
    second = pipeline.analyze(SEED_ARTICLE["text"], model=str(folder))
    assert pipeline._cached_classifier.cache_info().misses == misses
    assert first.to_dict() == second.to_dict()
    assert first.model_sha256 and len(first.model_sha256) == 64
    for item in first.quotes:
        assert sum(item.scores.values()) == pytest.approx(1.0, abs=1e-5)
        assert item.label == max(item.scores, key=item.scores.get)


# ---------------------------------------------------------------- datasets
def test_analyze_dataset_adds_one_analysis_column():
    from datasets import Dataset

    from stance.pipeline import analyze_dataset

    rows = [{"id": a["id"], "body": a["text"]} for a in ARTICLES]
    pipe = keyword_pipeline()
    ds = analyze_dataset(Dataset.from_list(rows), text_column="body", model=pipe, batch_size=2)
    assert ds.column_names == ["id", "body", "analysis"]
    assert ds[0]["analysis"] == keyword_pipeline()(rows[0]["body"]).to_dict()
    assert ds[0]["analysis"]["quotes"][0]["speaker_start"] == 0


def test_analyze_dataset_cache_key_follows_the_model_config():
    from datasets import Dataset

    from stance.classifier import StanceConfig
    from stance.pipeline import StancePipeline, analyze_dataset

    data = Dataset.from_list([{"text": "no quotes"}])
    fingerprints = []
    for weight in (0.0, 0.5, 0.5):  # same weights hash, different lexical weight: a different model
        classifier = KeywordClassifier()
        classifier.config = StanceConfig(lexical_weight=weight)
        fingerprints.append(analyze_dataset(data, model=StancePipeline(lambda text: [], classifier))._fingerprint)
    assert fingerprints[0] != fingerprints[1] == fingerprints[2]


def test_analyze_dataset_types_rows_without_quotes():
    from datasets import Dataset

    from stance.pipeline import StancePipeline, analyze_dataset

    pipe = StancePipeline(lambda text: gold_extract(text) if text == SEED_ARTICLE["text"] else [], KeywordClassifier())
    ds = analyze_dataset(Dataset.from_list([{"text": "no quotes"}, {"text": SEED_ARTICLE["text"]}]), model=pipe, batch_size=1)
    assert ds[0]["analysis"]["quotes"] == [] and len(ds[1]["analysis"]["quotes"]) == len(SEED_ARTICLE["quotes"])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"text_column": "body"}, r"text_column='body' is not a column of the dataset; columns: \['text', 'analysis'\]"),
        ({"output_column": "analysis"}, r"output_column='analysis' is already a column"),
    ],
)
def test_analyze_dataset_bad_columns(kwargs, message):
    from datasets import Dataset

    from stance.pipeline import analyze_dataset

    ds = Dataset.from_list([{"text": "x", "analysis": "y"}])
    with pytest.raises(ValueError, match=message):
        analyze_dataset(ds, model=keyword_pipeline(), **kwargs)


def test_gold_quotes_round_trip_offsets():
    for article in ALL_ARTICLES:
        for q in gold_quotes(article):
            assert article["text"][q.start : q.end] == q.text


def test_my_modules_keep_import_stance_light():
    code = (
        "import sys, stance.analysis, stance.aggregate, stance.pipeline, stance.cli, stance.batch; "
        "print(sorted(m for m in ('torch', 'datasets', 'transformers', 'training', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


# ---------------------------------------------------------------- end-to-end scoring and benchmark
@pytest.mark.parametrize(
    "gold, predicted, expected",
    [
        (["critical", "neutral"], ["critical", "neutral"], 1.0),
        (["critical", "neutral"], ["neutral", "neutral"], (0 + 2 / 3) / 2),
        (["critical", "supportive"], [None, "supportive"], 0.5),  # a missing speaker is never right
        (["neutral"], ["critical"], 0.0),
    ],
)
def test_macro_f1(gold, predicted, expected):
    from training.end_to_end import macro_f1

    assert macro_f1(gold, predicted) == pytest.approx(expected)


def test_scoring_gold_quotes_is_perfect_extraction():
    from training.end_to_end import score_analyses

    analyses = keyword_pipeline()([a["text"] for a in ARTICLES])
    scores = score_analyses(ARTICLES, analyses).scores()
    assert (scores["quote precision"], scores["quote recall"], scores["speaker accuracy"]) == (1.0, 1.0, 1.0)
    # seed: all right but Putin (gold supportive, keywords say neutral): F1 sup 2/3, crit 1, neutral 6/7
    seed_scores = score_analyses([SEED_ARTICLE], analyses[:1]).scores()
    assert seed_scores["speaker stance macro-F1"] == pytest.approx((2 / 3 + 1 + 6 / 7) / 3)
    assert seed_scores["speaker stance macro-F1 (by quotes)"] == seed_scores["speaker stance macro-F1"]


def test_speaker_stance_by_quotes_does_not_need_the_gold_name():
    import copy

    from training.end_to_end import score_analyses

    analyses = keyword_pipeline()([SEED_ARTICLE["text"]])
    renamed = copy.deepcopy(SEED_ARTICLE)  # gold names the pipeline cannot match ("Kerch ferry sailor"-style)
    for speaker in renamed["speakers"]:
        speaker["name"] = "the person called " + speaker["name"]
    scores = score_analyses([renamed], analyses).scores()
    assert scores["speaker stance macro-F1"] < 0.5  # every gold speaker counts as missing
    assert scores["speaker stance macro-F1 (by quotes)"] == pytest.approx((2 / 3 + 1 + 6 / 7) / 3)


def test_speaker_stance_by_quotes_counts_unattributed_quotes_as_no_one():
    from types import SimpleNamespace

    from stance.types import Quote, Speaker
    from training.end_to_end import score_analyses

    text = "“A one.” “A two.” “A three.” “B one.”"
    gold = [("A one.", "a", "Anna Alpha", "critical"), ("A two.", "a", "Anna Alpha", "critical"),
            ("A three.", "a", "Anna Alpha", "critical"), ("B one.", "b", "Boris Beta", "supportive")]
    article = {"id": "x", "text": text, "speakers": [{"key": "a", "name": "Anna Alpha", "stance": "critical"},
                                                     {"key": "b", "name": "Boris Beta", "stance": "supportive"}],
               "quotes": [{"id": f"q{k}", "text": t, "start": text.index(t), "end": text.index(t) + len(t), "kind": "direct",
                           "speaker": name, "speaker_key": key, "stance": stance, "tags": []}
                          for k, (t, key, name, stance) in enumerate(gold)]}

    def item(k: int, t: str, name: str | None, label: str) -> SimpleNamespace:
        speaker = Speaker(name=name, mention=None, form="name") if name else None
        quote = Quote(id=f"p{k}", group=f"p{k}", text=t, start=text.index(t), end=text.index(t) + len(t), kind="direct",
                      speaker=speaker, cue=None, paragraph=0, tags=())
        return SimpleNamespace(quote=quote, label=label)

    # Anna's first quote wrongly given to Boris, her other two to no one: she is missing, not Boris
    analysis = SimpleNamespace(quotes=[item(0, "A one.", "Boris Beta", "critical"), item(1, "A two.", None, "critical"),
                                       item(2, "A three.", None, "critical"), item(3, "B one.", "Boris Beta", "supportive")],
                               speakers=[SimpleNamespace(name="Boris Beta", label="supportive")])
    tally = score_analyses([article], [analysis])
    assert tally.speaker_pred_by_quotes == [None, "supportive"]
    assert tally.scores()["speaker stance macro-F1 (by quotes)"] == pytest.approx(tally.scores()["speaker stance macro-F1"])


def test_end_to_end_benchmark_runs_on_the_seed(capsys, tmp_path):
    from benchmarks.end_to_end import main as bench

    figures = tmp_path / "figures.json"
    code = bench(["--model", str(tiny_model_dir()), "--splits", str(tmp_path / "none.json"), "--repeat", "1",
                  "--json", str(figures)])
    out = capsys.readouterr().out
    assert code == 0
    assert "none.json not found" in out and "| seed | 1 | 10 |" in out and "pipeline / classifier" in out
    saved = json.loads(figures.read_text())
    assert set(saved["quality"]) == {"seed"} and saved["speed"]["articles"] == 1
