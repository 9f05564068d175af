"""Resumable batch analysis: JSON lines in, JSON lines out, one output row per input row.

    stance batch articles.jsonl results.jsonl          # run, or resume after a crash / Ctrl-C / kill

Safety rules, in order of importance:

* a finished row is never lost or corrupted: each row is one ``write()`` of a whole line to OUT opened
  for appending, made as soon as its chunk of articles is classified;
* a rerun skips the ids already in OUT; a half-written last line (left by a kill) is cut off first;
  ``retry_errors`` rewrites OUT without its error rows (temp file, then rename) and redoes them;
* a bad input row (bad JSON, no text field, text not a string, duplicate id) becomes
  ``{"id": ..., "error": {"type", "message"}}`` (id ``line:N`` when the row has none) and the run goes on.

Output rows are ``{"id": ..., <every other input field>, "analysis": ArticleAnalysis.to_dict()}``.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

logger = logging.getLogger(__name__)

#: Keys the runner writes itself; an input field of the same name is not copied.
RESERVED = ("id", "analysis", "error")


class BatchError(Exception):
    """The run itself cannot go on (unreadable input, an OUT that is not a batch output...)."""


@dataclass
class BatchSummary:
    """What one run did; ``written`` + ``errors`` rows were appended to OUT."""

    written: int = 0
    errors: int = 0
    skipped: int = 0
    repaired: bool = False
    retried: int = 0

    def __str__(self) -> str:
        parts = [f"{self.written} analysed", f"{self.errors} error rows", f"{self.skipped} already done"]
        if self.retried:
            parts.append(f"{self.retried} error rows retried")
        if self.repaired:
            parts.append("half-written last line repaired")
        return ", ".join(parts)


@dataclass
class _Row:
    """One input row on its way to OUT: either ``error`` is set, or ``text`` waits for analysis."""

    line: int
    id: Any
    fields: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    error: dict[str, str] | None = None


def _key(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _error(type_: str, message: str) -> dict[str, str]:
    return {"type": type_, "message": message}


def _dump(row: dict[str, Any]) -> bytes:
    return (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")


# ---------------------------------------------------------------- OUT: recover, resume
def recover_output(out_path: Path, *, retry_errors: bool = False) -> tuple[set[str], BatchSummary]:
    """Repair OUT's tail, drop its error rows when retrying, and return the keys of rows already done."""
    summary = BatchSummary()
    if not out_path.exists():
        return set(), summary
    if out_path.is_dir():
        raise BatchError(f"OUT={str(out_path)!r} is a folder; give a .jsonl file path")
    data = out_path.read_bytes()
    if data and not data.endswith(b"\n"):
        cut = data.rfind(b"\n") + 1
        logger.warning("%s: cutting a half-written last line (%d bytes) left by an interrupted run", out_path, len(data) - cut)
        with open(out_path, "r+b") as handle:
            handle.truncate(cut)
        data = data[:cut]
        summary.repaired = True
    done: set[str] = set()
    kept: list[bytes] = []
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise BatchError(
                f"OUT={str(out_path)!r} line {number} is not JSON ({err}); it is not a stance batch output "
                "or was edited. Give a new OUT path, or fix or remove that line"
            ) from None
        if not isinstance(row, dict) or "id" not in row or not ("analysis" in row or "error" in row):
            raise BatchError(
                f"OUT={str(out_path)!r} line {number} has no 'id' with 'analysis' or 'error'; it is not a stance "
                "batch output. Give a new OUT path"
            )
        if retry_errors and "error" in row:
            summary.retried += 1
            continue
        done.add(_key(row["id"]))
        kept.append(raw)
    if summary.retried:
        _write_atomic(out_path, b"".join(kept))
    return done, summary


def _write_atomic(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- IN: parse rows
def count_rows(path: Path) -> int:
    """Non-blank lines of ``path`` (for the progress bar total)."""
    count = 0
    with open(path, "rb") as handle:
        for raw in handle:
            count += bool(raw.strip())
    return count


def read_rows(path: Path, text_field: str, id_field: str) -> Iterator[_Row]:
    """Parse IN line by line; bad rows come out with ``error`` set (never raise for one bad row)."""
    seen: dict[str, int] = {}
    offset = 0
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            at, offset = offset, offset + len(raw)
            if not raw.strip():
                continue
            fallback = f"line:{number}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                yield _Row(number, fallback, error=_error(
                    "InvalidUTF8", f"line {number} is not UTF-8: byte 0x{raw[err.start]:02x} at byte offset {at + err.start}"))
                continue
            try:
                record = json.loads(line.lstrip("\ufeff"))
            except json.JSONDecodeError as err:
                yield _Row(number, fallback, error=_error("InvalidJSON", f"line {number} is not JSON: {err}"))
                continue
            if not isinstance(record, dict):
                yield _Row(number, fallback, error=_error(
                    "InvalidRow", f"line {number} is a JSON {type(record).__name__}, expected an object"))
                continue
            row_id = record.get(id_field)
            if row_id is None or isinstance(row_id, (dict, list)):
                row_id = fallback
            key = _key(row_id)
            if key in seen:
                yield _Row(number, fallback, error=_error(
                    "DuplicateId", f"line {number}: {id_field}={row_id!r} was already used on line {seen[key]}"))
                continue
            seen[key] = number
            fields = {k: v for k, v in record.items() if k not in (text_field, id_field) and k not in RESERVED}
            if text_field not in record:
                yield _Row(number, row_id, error=_error(
                    "MissingField", f"line {number} has no {text_field!r} field; fields: {sorted(record)}"))
                continue
            text = record[text_field]
            if not isinstance(text, str):
                yield _Row(number, row_id, error=_error(
                    "InvalidText", f"line {number}: {text_field!r} is a {type(text).__name__}, expected a string"))
                continue
            yield _Row(number, row_id, fields, text=text)


# ---------------------------------------------------------------- the run
def run_batch(
    in_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    load_pipeline: Callable[[], Any],
    *,
    text_field: str = "text",
    id_field: str = "id",
    retry_errors: bool = False,
    chunk_size: int = 16,
    show_progress: bool = True,
) -> BatchSummary:
    """Analyse every row of IN not yet in OUT and append one row each to OUT (see module doc).

    ``load_pipeline`` is called once, only when there is work left, and returns a
    :class:`~stance.pipeline.StancePipeline`. ``chunk_size`` articles share one classifier pass.
    """
    from tqdm.auto import tqdm

    source, target = Path(in_path), Path(out_path)
    if not source.exists():
        raise BatchError(f"IN={str(in_path)!r}: no such file")
    if source.is_dir():
        raise BatchError(f"IN={str(in_path)!r} is a folder; give a .jsonl file with one {{{text_field!r}: ...}} object per line")
    if target.exists() and source.resolve() == target.resolve():
        raise BatchError(f"OUT={str(out_path)!r} is the input file; give a different output path")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size={chunk_size!r} must be a positive integer")
    target.parent.mkdir(parents=True, exist_ok=True)
    done, summary = recover_output(target, retry_errors=retry_errors)
    total = max(0, count_rows(source) - len(done))

    # Load the model before the progress bar starts, so articles/s is the rate of analysis alone.
    pipeline = load_pipeline() if total else None
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    bar = tqdm(total=total, unit="article", desc="stance batch", disable=not show_progress or not total, smoothing=0.1)
    pending: list[_Row] = []

    def write(row: dict[str, Any]) -> None:
        data = _dump(row)
        while data:
            data = data[os.write(fd, data):]

    def flush() -> None:
        nonlocal pipeline
        work = [r for r in pending if r.error is None]
        results: dict[int, Any] = {}
        if work:
            if pipeline is None:
                pipeline = load_pipeline()
            results = _analyze(pipeline, work)
        for row in pending:
            outcome = results.get(row.line) if row.error is None else None
            if isinstance(outcome, dict):  # an error while analysing this one article
                row.error = outcome
            if row.error is not None:
                write({"id": row.id, "error": row.error})
                summary.errors += 1
            else:
                write({"id": row.id, **row.fields, "analysis": outcome.to_dict()})
                summary.written += 1
            bar.update(1)
        os.fsync(fd)
        pending.clear()

    try:
        for row in read_rows(source, text_field, id_field):
            if _key(row.id) in done:
                summary.skipped += 1
                continue
            pending.append(row)
            if sum(r.error is None for r in pending) >= chunk_size:
                flush()
        if pending:
            flush()
    finally:
        bar.close()
        os.close(fd)
    return summary


def _analyze(pipeline: Any, rows: list[_Row]) -> dict[int, Any]:
    """line -> ArticleAnalysis, or line -> error dict for an article that failed on its own."""
    out: dict[int, Any] = {}
    extracted = []
    for row in rows:
        try:
            extracted.append((row, pipeline.extract(row.text)))
        except Exception as err:  # one article's failure must not stop the run
            logger.warning("line %d (id %r): extraction failed: %s", row.line, row.id, err)
            out[row.line] = _error(type(err).__name__, f"extraction failed: {err}")
    try:
        analyses = pipeline.classify([(row.text, quotes) for row, quotes in extracted])
        out.update({row.line: analysis for (row, _), analysis in zip(extracted, analyses)})
    except Exception as err:
        if len(extracted) <= 1:
            for row, _ in extracted:
                logger.warning("line %d (id %r): classification failed: %s", row.line, row.id, err)
                out[row.line] = _error(type(err).__name__, f"classification failed: {err}")
            return out
        # Find the article(s) at fault: classify one at a time.
        for row, quotes in extracted:
            out.update(_analyze_one(pipeline, row, quotes))
    return out


def _analyze_one(pipeline: Any, row: _Row, quotes: Any) -> dict[int, Any]:
    try:
        return {row.line: pipeline.classify([(row.text, quotes)])[0]}
    except Exception as err:
        logger.warning("line %d (id %r): classification failed: %s", row.line, row.id, err)
        return {row.line: _error(type(err).__name__, f"classification failed: {err}")}
