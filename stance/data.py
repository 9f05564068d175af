"""Load labelled quotes for training and evaluation as ``datasets`` objects, with actionable errors.

    >>> load_corpus("data/articles.jsonl")              # DatasetDict: train / validation / test (splits.json)
    >>> load_corpus("mine.csv", column_mapping={"text": "sentence", "label": "stance"}, split="train")
    >>> load_corpus("dev.csv", format="ruw")             # RUW tweets (Russia/Ukraine targets)

Every example is quote-level and keeps the text the quote stands in plus the quote's offsets, so the
classifier builds its input with :func:`example_input` exactly as it does at inference. Labels are
checked against the fixed :data:`stance.types.LABELS`, never taken from the data. ``datasets`` is
imported inside functions only, so ``import stance`` stays light.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Mapping

from stance.inputs import quote_input
from stance.types import LABELS, StanceInput

logger = logging.getLogger(__name__)

FORMATS = ("auto", "articles", "flat", "ruw", "semeval")
FLAT_COLUMNS = ("text", "label", "speaker", "context", "id")
REQUIRED_COLUMNS = ("text", "label")
SPLITS = ("train", "validation", "test")
STANCE_VALUES = ("FAVOR", "AGAINST", "NONE")
RUW_COLUMNS = ("Tweet", "Target 1", "Stance 1", "Target 2", "Stance 2")
SEMEVAL_COLUMNS = ("Target", "Tweet", "Stance")
#: For SemEval-style rows: +1 when favouring the target means supporting the war, -1 when it means opposing it.
DEFAULT_POLARITY: Mapping[str, int] = {"Russia": 1, "Ukraine": -1}


class CorpusError(ValueError):
    """Bad training or evaluation data; the message names the file, the row or line, the column and the value."""


def _features() -> Any:
    from datasets import ClassLabel, Features, Value

    return Features(
        {
            "id": Value("string"),
            "article_id": Value("string"),
            "text": Value("string"),
            "start": Value("int32"),
            "end": Value("int32"),
            "speaker_start": Value("int32"),
            "speaker_end": Value("int32"),
            "quote": Value("string"),
            "speaker": Value("string"),
            "kind": Value("string"),
            "affiliation": Value("string"),
            "role": Value("string"),
            "label": ClassLabel(names=list(LABELS)),
            "source": Value("string"),
        }
    )


def example_input(example: Mapping[str, Any]) -> StanceInput:
    """The classifier input for one loaded example (the same :func:`quote_input` the pipeline calls).

    A flat-file row has no mention offsets; its ``speaker`` column, when given, is the speaker.
    """
    has_mention = example.get("speaker_start") is not None and example.get("speaker_end") is not None
    built = quote_input(
        example["text"],
        example["start"],
        example["end"],
        example["speaker_start"] if has_mention else None,
        example["speaker_end"] if has_mention else None,
    )
    if not has_mention and example.get("source") != "articles" and example.get("speaker"):
        built = StanceInput(built.quote, built.context, example["speaker"])
    return built


# ------------------------------------------------------------------------------------------ entry point
def load_corpus(
    path: str | os.PathLike[str],
    *,
    split: str | None = None,
    splits: str | os.PathLike[str] | Mapping[str, list[str]] | None = None,
    column_mapping: Mapping[str, str] | None = None,
    label_mapping: Mapping[str, str] | None = None,
    format: str = "auto",
) -> Any:
    """Load quote-level examples as a ``DatasetDict`` (or, with ``split=``, that one ``Dataset``).

    - our compiled ``articles.jsonl``: the splits of ``splits`` (default: ``splits.json`` beside it);
    - a flat table (JSONL, CSV/TSV, Parquet or a saved ``datasets`` folder) with at least ``text`` and
      ``label`` columns, optionally ``speaker``, ``context`` and ``id``; ``column_mapping`` maps these
      names to yours (``{"text": "sentence"}``) and ``label_mapping`` your label values to ours;
    - RUW and SemEval-2016 Task 6 files (``format="ruw"``/``"semeval"``, or detected from the columns).
    A flat file gives one ``train`` split.
    """
    from datasets import DatasetDict

    if format not in FORMATS:
        raise ValueError(f"format={format!r}; expected one of {list(FORMATS)}")
    path = Path(path).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"path={str(path)!r}: no such file or folder")
    if format == "auto":
        format = _detect_format(path)
    if format == "articles":
        corpus = load_articles(path, splits=splits)
    else:
        if splits is not None:
            raise ValueError(f"splits= applies to a compiled articles corpus only, not to format={format!r}")
        if format == "ruw":
            dataset = load_ruw(path)
        elif format == "semeval":
            dataset = load_semeval(path)
        else:
            dataset = load_flat(path, column_mapping=column_mapping, label_mapping=label_mapping)
        corpus = DatasetDict({"train": dataset})
    if split is None:
        return corpus
    if split not in corpus:
        raise ValueError(f"split={split!r}; {path} has splits {list(corpus)}")
    return corpus[split]


def _detect_format(path: Path) -> str:
    if path.is_dir():
        return "flat"
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json"):
        with open(path, encoding="utf-8") as handle:
            first = handle.readline()
        try:
            record = json.loads(first) if first.strip() else {}
        except json.JSONDecodeError as err:
            raise CorpusError(f"{path}:1: not valid JSON ({err.msg}); expected one JSON object per line") from err
        if isinstance(record, dict) and "quotes" in record and "text" in record:
            return "articles"
        return "flat"
    if suffix in (".csv", ".tsv", ".txt"):
        columns = set(_read_table(path, nrows=0).columns)
        if set(RUW_COLUMNS) <= columns:
            return "ruw"
        if set(SEMEVAL_COLUMNS) <= columns:
            return "semeval"
    return "flat"


# ------------------------------------------------------------------------------------------ our articles
def load_articles(
    path: str | os.PathLike[str], *, splits: str | os.PathLike[str] | Mapping[str, list[str]] | None = None
) -> Any:
    """Our compiled corpus as a ``DatasetDict`` with the splits of ``splits.json`` (article ids per split)."""
    from datasets import DatasetDict

    path = Path(path)
    articles = _read_articles(path)
    split_ids = _read_splits(path, splits)
    known = {a["id"] for a in articles}
    by_split: dict[str, list[dict[str, Any]]] = {name: [] for name in split_ids}
    where: dict[str, str] = {}
    for name, ids in split_ids.items():
        for article_id in ids:
            if article_id not in known:
                raise CorpusError(f"splits: split {name!r} names article {article_id!r}, which {path} does not hold")
            if article_id in where:
                raise CorpusError(f"splits: article {article_id!r} is in both {where[article_id]!r} and {name!r}")
            where[article_id] = name
    missing = sorted(known - set(where))
    if missing:
        logger.warning("%d articles of %s are in no split and are left out: %s", len(missing), path, missing[:5])
    for article in articles:
        if article["id"] in where:
            by_split[where[article["id"]]].extend(_article_examples(article))
    return DatasetDict(
        {name: _dataset(rows, split=name) for name, rows in by_split.items()}
    )


def _read_articles(path: Path) -> list[dict[str, Any]]:
    articles = []
    ids: dict[str, int] = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise CorpusError(f"{path}:{number}: not valid JSON ({err.msg})") from err
            for key in ("id", "text", "quotes"):
                if key not in record:
                    raise CorpusError(f"{path}:{number}: article has no {key!r}; keys found: {sorted(record)}")
            if record["id"] in ids:
                raise CorpusError(f"{path}:{number}: duplicate article id {record['id']!r} (first on line {ids[record['id']]})")
            ids[record["id"]] = number
            for quote in record["quotes"]:
                label = quote.get("stance")
                if label is not None and label not in LABELS:
                    raise CorpusError(
                        f"{path}:{number}: quote {quote.get('id')!r}: stance={label!r} is not a stance label; "
                        f"expected one of {list(LABELS)}"
                    )
            articles.append(record)
    return articles


def _read_splits(path: Path, splits: Any) -> dict[str, list[str]]:
    if isinstance(splits, Mapping):
        data, source = dict(splits), "splits"
    else:
        source = Path(splits) if splits is not None else path.with_name("splits.json")
        if not source.is_file():
            raise FileNotFoundError(
                f"{source}: no splits file for {path}; pass splits=PATH or a dict "
                f"{{'train': [article ids], 'validation': [...], 'test': [...]}}"
            )
        data = json.loads(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not data or not all(isinstance(v, list) for v in data.values()):
        raise CorpusError(f"{source}: expected {{split name: [article ids]}}, got {type(data).__name__}")
    return {name: list(ids) for name, ids in data.items()}


def _article_examples(article: Mapping[str, Any]) -> list[dict[str, Any]]:
    speakers = {s["key"]: s for s in article.get("speakers", [])}
    rows = []
    for quote in article["quotes"]:
        if quote.get("stance") is None:
            continue
        speaker = speakers.get(quote.get("speaker_key") or "", {})
        mention = quote.get("mention") or {}
        rows.append(
            {
                "id": f"{article['id']}/{quote['id']}",
                "article_id": article["id"],
                "text": article["text"],
                "start": quote["start"],
                "end": quote["end"],
                "speaker_start": mention.get("start"),
                "speaker_end": mention.get("end"),
                "quote": quote["text"],
                "speaker": quote.get("speaker"),
                "kind": quote.get("kind"),
                "affiliation": speaker.get("affiliation"),
                "role": speaker.get("role"),
                "label": LABELS.index(quote["stance"]),
                "source": "articles",
            }
        )
    return rows


# ------------------------------------------------------------------------------------------ flat tables
def _read_table(path: Path, nrows: int | None = None) -> Any:
    """A pandas DataFrame from JSONL/JSON, CSV/TSV, Parquet or a saved ``datasets`` folder."""
    import pandas as pd

    suffix = path.suffix.lower()
    if path.is_dir():
        from datasets import Dataset, DatasetDict, load_from_disk

        loaded = load_from_disk(str(path))
        if isinstance(loaded, DatasetDict):
            if list(loaded) != ["train"]:
                raise CorpusError(f"{path}: a saved DatasetDict with splits {list(loaded)}; load one with split=")
            loaded = loaded["train"]
        assert isinstance(loaded, Dataset)
        return loaded.to_pandas()
    if suffix in (".jsonl", ".json"):
        rows = []
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if nrows is not None and len(rows) >= nrows:
                    break
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    raise CorpusError(f"{path}:{number}: not valid JSON ({err.msg}); expected one object per line") from err
                if not isinstance(record, dict):
                    raise CorpusError(f"{path}:{number}: expected a JSON object, got {type(record).__name__}")
                rows.append(record)
        return pd.DataFrame(rows)
    if suffix in (".csv", ".tsv", ".txt"):
        sep = "\t" if suffix in (".tsv", ".txt") else ","
        try:
            return pd.read_csv(path, sep=sep, nrows=nrows, dtype=str, keep_default_na=False, encoding="utf-8")
        except UnicodeDecodeError:  # SemEval's files are Windows-1252
            return pd.read_csv(path, sep=sep, nrows=nrows, dtype=str, keep_default_na=False, encoding="cp1252")
    if suffix == ".parquet":
        return pd.read_parquet(path)
    raise CorpusError(f"{path}: unknown file type {suffix!r}; expected .jsonl, .json, .csv, .tsv, .parquet or a datasets folder")


def _row_name(path: Path, index: int) -> str:
    """How a user finds row ``index`` (0-based) in their file: a line for text files, a row otherwise."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return f"{path}:{index + 2}"  # the header is line 1
    if suffix in (".jsonl", ".json"):
        return f"{path}: row {index + 1}"  # blank lines are skipped, so count records
    return f"{path}: row {index}"


def load_flat(
    path: str | os.PathLike[str],
    *,
    column_mapping: Mapping[str, str] | None = None,
    label_mapping: Mapping[str, str] | None = None,
) -> Any:
    """A user's flat table of labelled quotes as one ``train`` ``Dataset``."""
    path = Path(path)
    table = _read_table(path)
    mapping = dict(column_mapping or {})
    unknown = set(mapping) - set(FLAT_COLUMNS)
    if unknown:
        raise ValueError(
            f"column_mapping has unknown key(s) {sorted(unknown)}; keys are our column names {list(FLAT_COLUMNS)}, "
            "values the names in your file"
        )
    found = [str(c) for c in table.columns]
    for ours in REQUIRED_COLUMNS:
        theirs = mapping.get(ours, ours)
        if theirs not in found:
            hint = f" (column_mapping maps {ours!r} to {theirs!r})" if ours in mapping else ""
            raise CorpusError(
                f"{path}: no column {theirs!r}{hint}; columns found: {found}. "
                f"Pass column_mapping={{{ours!r}: 'your column'}}"
            )
    columns = {ours: mapping.get(ours, ours) for ours in FLAT_COLUMNS if mapping.get(ours, ours) in found}
    records = table.to_dict("records")
    rows = []
    for index, record in enumerate(records):
        row = {ours: record.get(theirs) for ours, theirs in columns.items()}
        rows.append(_flat_example(row, path, index, columns, label_mapping, source="flat"))
    _check_duplicates(rows, path, columns)
    return _dataset(rows)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):  # NaN from pandas
        return ""
    return str(value)


def _flat_example(
    row: Mapping[str, Any],
    path: Path,
    index: int,
    columns: Mapping[str, str],
    label_mapping: Mapping[str, str] | None,
    *,
    source: str,
) -> dict[str, Any]:
    where = _row_name(path, index)
    quote = _text(row.get("text")).strip()
    if not quote:
        raise CorpusError(f"{where}: column {columns['text']!r} is empty; every example needs the quote's text")
    raw = _text(row.get("label")).strip()
    label = (label_mapping or {}).get(raw, raw)
    if label not in LABELS:
        extra = f" or a key of label_mapping {sorted(label_mapping)}" if label_mapping else ""
        hint = " (pass label_mapping={'yours': 'ours'} to map your labels)" if not label_mapping else ""
        raise CorpusError(
            f"{where}: column {columns['label']!r} has {raw!r}, which is not a stance label; "
            f"expected one of {list(LABELS)}{extra}{hint}"
        )
    context = _text(row.get("context")).strip()
    at = context.find(quote) if context else -1
    text, start = (context, at) if at >= 0 else (quote, 0)
    if context and at < 0:
        logger.debug("%s: the quote is not inside its context; using the quote alone", where)
    ident = _text(row.get("id")).strip() or f"{path.stem}/{index}"
    return {
        "id": ident,
        "article_id": None,
        "text": text,
        "start": start,
        "end": start + len(quote),
        "speaker_start": None,
        "speaker_end": None,
        "quote": quote,
        "speaker": _text(row.get("speaker")).strip() or None,
        "kind": None,
        "affiliation": None,
        "role": None,
        "label": LABELS.index(label),
        "source": source,
    }


def _check_duplicates(rows: list[dict[str, Any]], path: Path, columns: Mapping[str, str]) -> None:
    if "id" in columns:
        seen: dict[str, int] = {}
        for index, row in enumerate(rows):
            if row["id"] in seen:
                raise CorpusError(
                    f"{_row_name(path, index)}: column {columns['id']!r} repeats id {row['id']!r} "
                    f"(first at {_row_name(path, seen[row['id']])}); ids must be unique"
                )
            seen[row["id"]] = index
    counts = Counter(row["quote"] for row in rows)
    repeated = {text: n for text, n in counts.items() if n > 1}
    if repeated:
        sample = next(iter(repeated))
        warnings.warn(
            f"{path}: {len(repeated)} quote text(s) appear more than once, e.g. {sample[:60]!r} x{repeated[sample]}; "
            "duplicates can leak between training and evaluation",
            UserWarning,
            stacklevel=3,
        )


def _dataset(rows: Iterable[dict[str, Any]], split: str = "train") -> Any:
    from datasets import Dataset

    features = _features()
    columns: dict[str, list[Any]] = {name: [] for name in features}
    for row in rows:
        for name in features:
            columns[name].append(row[name])
    return Dataset.from_dict(columns, features=features, split=split)


# ------------------------------------------------------------------------------------------ public formats
def _check_stance_value(value: str, where: str, column: str) -> str:
    value = value.strip().upper()
    if value not in STANCE_VALUES:
        raise CorpusError(f"{where}: column {column!r} has {value!r}; expected one of {list(STANCE_VALUES)}")
    return value


def ruw_label(russia: str, ukraine: str) -> str | None:
    """Map RUW's (Russia, Ukraine) stances to ours; ``None`` for a conflicting pair (left out)."""
    pro = russia == "FAVOR" or ukraine == "AGAINST"
    anti = russia == "AGAINST" or ukraine == "FAVOR"
    if pro and not anti:
        return "supportive"
    if anti and not pro:
        return "critical"
    if russia == "NONE" and ukraine == "NONE":
        return "neutral"
    return None


def load_ruw(path: str | os.PathLike[str]) -> Any:
    """RUW tweets (``Tweet``, ``Target 1``=Russia, ``Stance 1``, ``Target 2``=Ukraine, ``Stance 2``) as a ``Dataset``.

    For evaluation: conflicting pairs (e.g. against both) are left out and counted in the log.
    """
    path = Path(path)
    table = _read_table(path)
    found = [str(c) for c in table.columns]
    missing = [c for c in RUW_COLUMNS if c not in found]
    if missing:
        raise CorpusError(f"{path}: not an RUW file: no column(s) {missing}; columns found: {found}")
    rows, conflicting = [], 0
    for index, record in enumerate(table.to_dict("records")):
        where = _row_name(path, index)
        stances = {}
        for target_col, stance_col, expected in (("Target 1", "Stance 1", "Russia"), ("Target 2", "Stance 2", "Ukraine")):
            target = _text(record[target_col]).strip()
            if target != expected:
                raise CorpusError(f"{where}: column {target_col!r} has {target!r}; expected {expected!r}")
            stances[expected] = _check_stance_value(_text(record[stance_col]), where, stance_col)
        label = ruw_label(stances["Russia"], stances["Ukraine"])
        if label is None:
            conflicting += 1
            continue
        row = {"text": record["Tweet"], "label": label, "id": f"ruw/{index}"}
        rows.append(_flat_example(row, path, index, {"text": "Tweet", "label": "Stance 1/2"}, None, source="ruw"))
    logger.info("%s: %d examples, %d conflicting pairs left out", path, len(rows), conflicting)
    return _dataset(rows)


def load_semeval(path: str | os.PathLike[str], *, polarity: Mapping[str, int] = DEFAULT_POLARITY) -> Any:
    """SemEval-2016 Task 6 rows (``Target``, ``Tweet``, ``Stance`` FAVOR/AGAINST/NONE) as a ``Dataset``.

    ``polarity`` says, per target, whether favouring it means supporting the war (+1) or opposing it (-1);
    NONE is neutral. A row whose target is not in ``polarity`` is an error that lists the targets found.
    """
    path = Path(path)
    table = _read_table(path)
    found = [str(c) for c in table.columns]
    missing = [c for c in SEMEVAL_COLUMNS if c not in found]
    if missing:
        raise CorpusError(f"{path}: not a SemEval-2016 Task 6 file: no column(s) {missing}; columns found: {found}")
    bad_polarity = {k: v for k, v in polarity.items() if v not in (1, -1)}
    if bad_polarity:
        raise ValueError(f"polarity={dict(polarity)}: values must be +1 or -1, got {bad_polarity}")
    targets = sorted({_text(t).strip() for t in table["Target"]})
    rows = []
    for index, record in enumerate(table.to_dict("records")):
        where = _row_name(path, index)
        target = _text(record["Target"]).strip()
        if target not in polarity:
            raise CorpusError(
                f"{where}: column 'Target' has {target!r}, which polarity= does not cover; targets in the file: "
                f"{targets}; pass polarity={{target: +1 (favour = supports the war) or -1}}"
            )
        value = _check_stance_value(_text(record["Stance"]), where, "Stance")
        if value == "NONE":
            label = "neutral"
        else:
            label = "supportive" if (value == "FAVOR") == (polarity[target] == 1) else "critical"
        ident = _text(record.get("ID")).strip() or f"semeval/{index}"
        row = {"text": record["Tweet"], "label": label, "id": ident}
        rows.append(_flat_example(row, path, index, {"text": "Tweet", "label": "Stance"}, None, source="semeval"))
    return _dataset(rows)
