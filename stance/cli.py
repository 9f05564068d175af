"""The ``stance`` command: ``analyze`` (quotes, speakers, stance), ``quotes`` (extractor only), ``batch``.

    stance analyze article.txt                       # a table for a person
    stance analyze corpus.jsonl --format jsonl       # one JSON object per article (README: output format)
    cat article.txt | stance analyze -
    stance quotes article.txt                        # quotes and speakers, no model needed
    stance batch in.jsonl out.jsonl                  # resumable; rerun the same command to resume

Exit codes: 0 done (a batch with error rows is done), 1 unexpected failure, 2 bad input or missing
model, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Sequence, TextIO

logger = logging.getLogger(__name__)

FORMATS = ("table", "json", "jsonl")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
#: Articles analysed per pipeline call by ``analyze`` (bounds memory on large .jsonl files).
ANALYZE_CHUNK = 64


class InputError(Exception):
    """A file the user gave cannot be read as input; the message names it and says why."""


@dataclass(frozen=True)
class Document:
    """One article to analyse: where it came from, an id, and its text."""

    source: str
    id: str | int
    text: str

    @property
    def title(self) -> str:
        """The source, with the id when the source holds several documents."""
        if self.id in ("stdin", Path(self.source).stem):
            return self.source
        return f"{self.source} [{self.id}]"


# ---------------------------------------------------------------- reading input
def decode_utf8(data: bytes, name: str) -> str:
    """``data`` as text; a non-UTF-8 file is refused naming the file, the byte and its offset."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name}: not UTF-8 text (byte 0x{data[err.start]:02x} at byte offset {err.start}); "
            f"convert it first, e.g. `iconv -f cp1252 -t utf-8 {name}`"
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    file = Path(path)
    if not file.exists():
        raise InputError(f"{path}: no such file")
    if file.is_dir():
        raise InputError(f"{path} is a folder; give .txt or .jsonl files (e.g. {path.rstrip('/')}/*.txt)")
    try:
        return file.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read it ({err.strerror})") from None


def _jsonl_documents(text: str, name: str, text_field: str) -> list[Document]:
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{name}:{number}: not JSON ({err}); `stance batch` skips bad rows instead") from None
        if not isinstance(record, dict) or not isinstance(record.get(text_field), str):
            raise InputError(
                f"{name}:{number}: expected an object with a string {text_field!r} field; "
                "`stance batch` skips bad rows instead"
            )
        row_id = record.get("id")
        documents.append(Document(name, row_id if isinstance(row_id, (str, int)) else f"{name}:{number}", record[text_field]))
    return documents


def _looks_like_jsonl(text: str, text_field: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines or not lines[0].lstrip().startswith("{"):
        return False
    try:
        return all(isinstance(r := json.loads(line), dict) and text_field in r for line in lines)
    except json.JSONDecodeError:
        return False


def read_documents(paths: Sequence[str], text_field: str = "text") -> list[Document]:
    """Documents from .txt files (one each), .jsonl files (one per line) and ``-`` (stdin, either)."""
    if list(paths).count("-") > 1:
        raise InputError("'-' (stdin) given more than once")
    documents: list[Document] = []
    for path in paths:
        name = "<stdin>" if path == "-" else path
        suffix = Path(path).suffix.lower()
        if suffix == ".json":
            raise InputError(f"{path}: .json is not read; give .txt, or .jsonl with one {{{text_field!r}: ...}} object per line")
        text = decode_utf8(read_bytes(path), name)
        if suffix in JSONL_SUFFIXES or (path == "-" and _looks_like_jsonl(text, text_field)):
            documents.extend(_jsonl_documents(text, name, text_field))
        else:
            documents.append(Document(name, "stdin" if path == "-" else Path(path).stem, text))
    return documents


# ---------------------------------------------------------------- rendering
def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def render_table(document: Document, analysis: Any) -> str:
    """A person's view of one article: each speaker, stance, confidence and strongest evidence quote."""
    quotes = {item.quote.id: item for item in analysis.quotes}
    unattributed = sum(1 for item in analysis.quotes if item.quote.speaker is None)
    lines = [f"{document.title}: {len(analysis.quotes)} quotes, {len(analysis.speakers)} speakers"]
    if not analysis.speakers:
        lines.append("  (no attributed quotes)")
    else:
        rows = [("SPEAKER", "STANCE", "CONF", "QUOTES", "STRONGEST EVIDENCE")]
        for s in analysis.speakers:
            evidence = quotes[s.evidence[0]].quote.text if s.evidence else ""
            label = f"{s.label} (mixed)" if s.mixed else s.label
            rows.append((_clip(s.name, 32), label, f"{s.confidence:.2f}", str(s.quote_count), f"“{_clip(evidence, 70)}”"))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        for r in rows:
            lines.append(
                f"  {r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]:>{widths[3]}}  {r[4]}".rstrip()
            )
    if unattributed:
        lines.append(f"  + {unattributed} quote(s) with no speaker")
    return "\n".join(lines)


def render_quotes(document: Document, quotes: Sequence[Any]) -> str:
    lines = [f"{document.title}: {len(quotes)} quotes"]
    name_width = max([len(_clip(q.speaker_name or "-", 32)) for q in quotes] + [7])
    for q in quotes:
        speaker = _clip(q.speaker_name or "-", 32)
        lines.append(f"  {q.id:<4} {q.kind:<8} {speaker:<{name_width}}  “{_clip(q.text, 80)}”")
    return "\n".join(lines)


def _record(document: Document, analysis: Any) -> dict[str, Any]:
    return {"source": document.source, "id": document.id, **analysis.to_dict()}


# ---------------------------------------------------------------- commands
def _pipeline(args: argparse.Namespace) -> Any:
    from stance.pipeline import check_batch_size, get_pipeline

    check_batch_size(args.batch_size, argument="--batch-size")
    _quiet_transformers()
    pipeline = get_pipeline(args.model)
    return replace(pipeline, batch_size=args.batch_size, device=args.device)


def _quiet_transformers() -> None:
    """No weight-loading progress bars from transformers on the user's terminal."""
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except Exception:  # pragma: no cover - transformers missing or changed: harmless
        pass


def cmd_analyze(args: argparse.Namespace, out: TextIO) -> int:
    documents = read_documents(args.files, args.text_field)  # fail on bad input before loading a model
    pipeline = _pipeline(args)
    records = []
    for at in range(0, len(documents), ANALYZE_CHUNK):
        chunk = documents[at : at + ANALYZE_CHUNK]
        analyses = pipeline.analyze_many([d.text for d in chunk])
        for document, analysis in zip(chunk, analyses):
            if args.format == "table":
                out.write(("\n" if at or document is not chunk[0] else "") + render_table(document, analysis) + "\n")
            elif args.format == "jsonl":
                out.write(json.dumps(_record(document, analysis), ensure_ascii=False) + "\n")
            else:
                records.append(_record(document, analysis))
        out.flush()
    if args.format == "json":
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    return 0


def cmd_quotes(args: argparse.Namespace, out: TextIO) -> int:
    from stance.pipeline import default_extractor

    documents = read_documents(args.files, args.text_field)
    extract = default_extractor()
    for i, document in enumerate(documents):
        quotes = sorted(extract(document.text), key=lambda q: (q.start, q.end))
        if args.format == "table":
            out.write(("\n" if i else "") + render_quotes(document, quotes) + "\n")
        else:
            rows = [_quote_dict(q) for q in quotes]
            out.write(json.dumps({"source": document.source, "id": document.id, "quotes": rows}, ensure_ascii=False) + "\n")
    return 0


def _quote_dict(q: Any) -> dict[str, Any]:
    mention = q.speaker.mention if q.speaker is not None else None
    return {
        "id": q.id, "group": q.group, "paragraph": q.paragraph, "text": q.text, "start": q.start, "end": q.end,
        "kind": q.kind, "speaker": q.speaker_name, "speaker_start": mention.start if mention else None,
        "speaker_end": mention.end if mention else None, "cue": q.cue.text if q.cue is not None else None,
    }


def cmd_batch(args: argparse.Namespace, out: TextIO) -> int:
    from stance.batch import run_batch

    summary = run_batch(
        args.input, args.output, lambda: _pipeline(args), text_field=args.text_field, id_field=args.id_field,
        retry_errors=args.retry_errors, chunk_size=args.chunk_size, show_progress=not args.no_progress,
    )
    print(f"stance batch: {summary} -> {args.output}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stance", description="Quotes, speakers and stance toward the war in Ukraine in news text.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def model_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--model", default=None, help="stance model folder (default: $STANCE_MODEL, else ~/.cache/stance/models/default)")
        p.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (default: auto)")
        p.add_argument("--batch-size", type=int, default=32, help="quotes per classifier batch (default: 32)")

    p = sub.add_parser("analyze", help="quotes, speakers and their stance, per article")
    p.add_argument("files", nargs="+", metavar="FILE", help=".txt (one article), .jsonl (one per line) or - for stdin")
    p.add_argument("--format", choices=FORMATS, default="table", help="table (default), json or jsonl")
    p.add_argument("--text-field", default="text", help="field holding the text in .jsonl input (default: text)")
    model_options(p)
    p.set_defaults(run=cmd_analyze)

    p = sub.add_parser("quotes", help="only extract quotes and speakers (no model needed)")
    p.add_argument("files", nargs="+", metavar="FILE", help=".txt, .jsonl or - for stdin")
    p.add_argument("--format", choices=("table", "jsonl"), default="table")
    p.add_argument("--text-field", default="text")
    p.set_defaults(run=cmd_quotes)

    p = sub.add_parser("batch", help="resumable analysis of a large .jsonl file (rerun to resume)")
    p.add_argument("input", metavar="IN.jsonl")
    p.add_argument("output", metavar="OUT.jsonl", help="appended to; ids already there are skipped")
    p.add_argument("--text-field", default="text")
    p.add_argument("--id-field", default="id")
    p.add_argument("--retry-errors", action="store_true", help="redo the rows that ended as errors in OUT")
    p.add_argument("--chunk-size", type=int, default=16, help="articles per classifier pass (default: 16)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    model_options(p)
    p.set_defaults(run=cmd_batch)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``stance`` command; returns the exit code."""
    from stance.pipeline import ModelNotFoundError

    args = build_parser().parse_args(argv)
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.run(args, sys.stdout)
    except (InputError, ModelNotFoundError, ValueError, _batch_error()) as err:
        print(f"stance {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        hint = "; run the same command again to resume" if args.command == "batch" else ""
        print(f"stance {args.command}: interrupted{hint}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `stance analyze x.txt | head`
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 0


def _batch_error() -> type[Exception]:
    from stance.batch import BatchError

    return BatchError


if __name__ == "__main__":
    sys.exit(main())
