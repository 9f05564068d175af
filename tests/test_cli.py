"""`stance analyze` / `stance quotes`: formats, inputs (.txt, .jsonl, stdin) and clear errors."""

import io
import json
import re
import subprocess
import sys

import pytest

from stance.cli import main, read_documents
from test_pipeline import ROOT, SEED, tiny_model_dir

SEED_ARG = str(SEED.relative_to(ROOT))


@pytest.fixture(scope="module")
def model() -> str:
    return str(tiny_model_dir())


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def expected(model, text):
    from stance.pipeline import analyze

    return analyze(text, model=model)


def test_table_shows_each_speaker_label_confidence_and_evidence(capsys, model):
    code, out, err = run(capsys, "analyze", SEED_ARG, "--model", model)
    analysis = expected(model, SEED.read_text(encoding="utf-8"))
    lines = out.splitlines()
    assert code == 0, err
    assert lines[0] == f"{SEED_ARG}: {len(analysis.quotes)} quotes, {len(analysis.speakers)} speakers"
    assert lines[1].split() == ["SPEAKER", "STANCE", "CONF", "QUOTES", "STRONGEST", "EVIDENCE"]
    assert len(analysis.speakers) >= 3
    for line, speaker in zip(lines[2:], analysis.speakers):
        evidence = analysis.quote(speaker.evidence[0]).quote.text
        label = f"{speaker.label} (mixed)" if speaker.mixed else speaker.label
        assert line.split()[: len(speaker.name.split()) + len(label.split())] == speaker.name.split() + label.split()
        assert f"{speaker.confidence:.2f}" in line and evidence[:20] in line


def test_json_is_a_list_of_the_contract_plus_source_and_id(capsys, model):
    code, out, _ = run(capsys, "analyze", SEED_ARG, "--model", model, "--format", "json")
    records = json.loads(out)
    assert code == 0 and len(records) == 1
    record = records[0]
    assert (record.pop("source"), record.pop("id")) == (SEED_ARG, SEED.stem)
    assert record == expected(model, SEED.read_text(encoding="utf-8")).to_dict()


def test_jsonl_reads_txt_and_jsonl_files(capsys, model, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"id": "a", "text": "Nothing said."}) + "\n\n" + json.dumps({"text": "Still nothing."}) + "\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "analyze", SEED_ARG, str(corpus), "--model", model, "--format", "jsonl", "--batch-size", "4")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(r["source"], r["id"]) for r in rows] == [(SEED_ARG, SEED.stem), (str(corpus), "a"), (str(corpus), f"{corpus}:3")]


@pytest.mark.parametrize(
    "stdin, expected_ids",
    [
        ("Plain text, no quotes.\n", ["stdin"]),
        ('{"id": "x", "text": "one"}\n{"id": "y", "text": "two"}\n', ["x", "y"]),
        ('{"note": "not an article"}\n', ["stdin"]),  # no text field: read as plain text
    ],
)
def test_stdin_is_text_or_jsonl(monkeypatch, stdin, expected_ids):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    assert [d.id for d in read_documents(["-"])] == expected_ids


@pytest.mark.parametrize(
    "files, message",
    [
        (["missing.txt"], r"stance analyze: error: missing.txt: no such file"),
        (["seeds"], r"stance analyze: error: seeds is a folder; give .txt or .jsonl files"),
        (["{bad}"], r"stance analyze: error: .*bad.txt: not UTF-8 text \(byte 0xff at byte offset 6\)"),
        (["{json}"], r"\.json is not read; give .txt, or .jsonl"),
        (["{badjsonl}"], r"bad.jsonl:2: not JSON .*`stance batch` skips bad rows"),
        (["{notext}"], r"notext.jsonl:1: expected an object with a string 'text' field"),
    ],
)
def test_bad_input_is_named(capsys, tmp_path, files, message):
    paths = {
        "bad": tmp_path / "bad.txt", "json": tmp_path / "a.json", "badjsonl": tmp_path / "bad.jsonl",
        "notext": tmp_path / "notext.jsonl",
    }
    paths["bad"].write_bytes("Kyiv: \xff".encode("latin-1"))
    paths["json"].write_text("{}", encoding="utf-8")
    paths["badjsonl"].write_text('{"text": "ok"}\n{"text": \n', encoding="utf-8")
    paths["notext"].write_text('{"text": 3}\n', encoding="utf-8")
    argv = [f.format(**{k: str(v) for k, v in paths.items()}) for f in files]
    code, out, err = run(capsys, "analyze", *argv, "--model", "/nonexistent/model")  # input is checked first
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert re.search(message, err), err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--model", "/nonexistent/model"], r"model='/nonexistent/model': no such folder; build the default model with `make model`"),
        (["--model", "data"], r"model='data' is not a stance model folder \(no stance_config.json\)"),
        (["--batch-size", "0"], r"--batch-size=0 must be a positive integer"),
        (["--device", "tpu"], r"device='tpu'; expected one of \['auto', 'cpu', 'cuda'\]"),
    ],
)
def test_bad_model_options_are_named(capsys, model, argv, message):
    argv = argv if "--model" in argv else [*argv, "--model", model]
    code, _, err = run(capsys, "analyze", SEED_ARG, *argv)
    assert code == 2
    assert re.search(message, err), err


def test_missing_default_model_says_how_to_build(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("STANCE_MODEL", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    code, _, err = run(capsys, "analyze", SEED_ARG)
    assert code == 2 and "no stance model at" in err and "make model" in err


def test_quotes_runs_the_extractor_only(capsys):
    from stance.extract import extract_quotes

    code, out, _ = run(capsys, "quotes", SEED_ARG)
    quotes = extract_quotes(SEED.read_text(encoding="utf-8"))
    lines = out.splitlines()
    assert code == 0 and lines[0] == f"{SEED_ARG}: {len(quotes)} quotes"
    for line, q in zip(lines[1:], quotes):
        assert line.split()[:2] == [q.id, q.kind]
        assert (q.speaker_name or "-") in line and q.text[:20] in line


def test_quotes_jsonl_needs_no_model(tmp_path):
    code = (
        "import sys, json; from stance.cli import main; rc = main(['quotes', sys.argv[1], '--format', 'jsonl']); "
        "print('heavy' if 'torch' in sys.modules else 'light', file=sys.stderr); sys.exit(rc)"
    )
    done = subprocess.run([sys.executable, "-c", code, SEED_ARG], capture_output=True, text=True, cwd=ROOT)
    row = json.loads(done.stdout)
    assert (done.returncode, done.stderr.strip(), row["id"]) == (0, "light", SEED.stem)
    assert list(row["quotes"][0]) == ["id", "group", "paragraph", "text", "start", "end", "kind", "speaker",
                                      "speaker_start", "speaker_end", "cue"]


def test_console_entry_point_help():
    done = subprocess.run([sys.executable, "-m", "stance.cli", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and all(c in done.stdout for c in ("analyze", "quotes", "batch"))
