"""`stance batch`: bad rows become error rows, fields are copied, reruns resume, kills lose nothing."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from stance.batch import BatchError, recover_output, run_batch
from stance.cli import main
from stance.pipeline import StancePipeline
from test_pipeline import ALL_ARTICLES, ROOT, KeywordClassifier, gold_extract, tiny_model_dir

TEXTS = [a["text"] for a in ALL_ARTICLES[:3]]

# (input line, expected output row without "analysis": id and error type or copied fields)
ROWS = [
    (json.dumps({"id": "a", "text": TEXTS[0], "date": "2025-03-14", "outlet": "Kyiv Post"}),
     {"id": "a", "date": "2025-03-14", "outlet": "Kyiv Post"}),
    (json.dumps({"text": TEXTS[1], "url": "https://x"}), {"id": "line:2", "url": "https://x"}),
    ('{"id": "b", "text": ', {"id": "line:3", "error": "InvalidJSON"}),
    (json.dumps({"id": "c", "body": "x"}), {"id": "c", "error": "MissingField"}),
    (json.dumps({"id": "d", "text": 42}), {"id": "d", "error": "InvalidText"}),
    (json.dumps({"id": "a", "text": TEXTS[2]}), {"id": "line:6", "error": "DuplicateId"}),
    (json.dumps(["not", "an", "object"]), {"id": "line:7", "error": "InvalidRow"}),
    ("", None),  # blank lines are not rows
    (json.dumps({"id": 9, "text": "No quotes at all."}), {"id": 9}),
]


def keyword_pipeline():
    return StancePipeline(gold_extract_or_none, KeywordClassifier())


def gold_extract_or_none(text):
    if "EXPLODE" in text:
        raise RuntimeError("extractor exploded")
    return gold_extract(text) if text in TEXTS else []


def write_input(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def read_output(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def strip(row):
    row = dict(row)
    if "error" in row:
        return {"id": row["id"], "error": row["error"]["type"]}
    row.pop("analysis")
    return row


def test_bad_rows_become_error_rows_and_fields_are_copied(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(src, [line for line, _ in ROWS])
    summary = run_batch(src, out, keyword_pipeline, chunk_size=2, show_progress=False)
    rows = read_output(out)
    assert [strip(r) for r in rows] == [expected for _, expected in ROWS if expected is not None]
    assert (summary.written, summary.errors, summary.skipped) == (3, 5, 0)
    assert rows[0]["analysis"] == keyword_pipeline()(TEXTS[0]).to_dict()
    assert "message" in rows[2]["error"] and "line 3 is not JSON" in rows[2]["error"]["message"]


def test_rerun_skips_finished_rows_without_loading_a_model(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(src, [line for line, _ in ROWS])
    run_batch(src, out, keyword_pipeline, show_progress=False)
    before = out.read_bytes()
    loads = []
    summary = run_batch(src, out, lambda: loads.append(1) or keyword_pipeline(), show_progress=False)
    assert (out.read_bytes(), loads, summary.written, summary.skipped) == (before, [], 0, 8)


def test_half_written_last_line_is_repaired(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(src, [json.dumps({"id": i, "text": t}) for i, t in enumerate(TEXTS)])
    run_batch(src, out, keyword_pipeline, show_progress=False)
    lines = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:2]) + lines[2][:25])  # as if killed while writing row 3
    summary = run_batch(src, out, keyword_pipeline, show_progress=False)
    assert summary.repaired and (summary.written, summary.skipped) == (1, 2)
    assert [r["id"] for r in read_output(out)] == [0, 1, 2]


def test_retry_errors_redoes_only_error_rows(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(src, [json.dumps({"id": "x", "text": TEXTS[0]}), json.dumps({"id": "y", "text": "EXPLODE"})])
    first = run_batch(src, out, keyword_pipeline, show_progress=False)
    assert [strip(r) for r in read_output(out)] == [{"id": "x"}, {"id": "y", "error": "RuntimeError"}]
    assert first.errors == 1
    write_input(src, [json.dumps({"id": "x", "text": TEXTS[0]}), json.dumps({"id": "y", "text": TEXTS[1]})])
    assert run_batch(src, out, keyword_pipeline, show_progress=False).written == 0  # errors are kept by default
    summary = run_batch(src, out, keyword_pipeline, retry_errors=True, show_progress=False)
    assert (summary.retried, summary.written) == (1, 1)
    assert [strip(r) for r in read_output(out)] == [{"id": "x"}, {"id": "y"}]


def test_one_failing_article_does_not_sink_its_chunk(tmp_path):
    class Flaky(KeywordClassifier):
        def predict(self, inputs, **kwargs):
            if any("solidarity" in i.quote for i in inputs):
                raise RuntimeError("model choked")
            return super().predict(inputs, **kwargs)

    seed = next(a["text"] for a in ALL_ARTICLES if a["id"] == "seed")
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(src, [json.dumps({"id": 1, "text": TEXTS[0]}), json.dumps({"id": 2, "text": seed})])
    pipe = StancePipeline(gold_extract, Flaky())
    summary = run_batch(src, out, lambda: pipe, chunk_size=8, show_progress=False)
    assert [strip(r) for r in read_output(out)] == [{"id": 1}, {"id": 2, "error": "RuntimeError"}]
    assert summary.errors == 1


def test_interrupt_keeps_finished_rows_and_rerun_completes(tmp_path, capsys, monkeypatch):
    class Interrupting(KeywordClassifier):
        def predict(self, inputs, **kwargs):
            if len(self.calls) == 2:
                raise KeyboardInterrupt
            return super().predict(inputs, **kwargs)

    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_input(src, [json.dumps({"id": i, "text": TEXTS[i % 3]}) for i in range(6)])
    monkeypatch.setattr("stance.cli._pipeline", lambda args: StancePipeline(gold_extract, Interrupting()))
    code = main(["batch", str(src), str(out), "--chunk-size", "1", "--no-progress"])
    assert code == 130 and "run the same command again to resume" in capsys.readouterr().err
    assert [r["id"] for r in read_output(out)] == [0, 1]
    monkeypatch.setattr("stance.cli._pipeline", lambda args: keyword_pipeline())
    assert main(["batch", str(src), str(out), "--no-progress"]) == 0
    assert [r["id"] for r in read_output(out)] == list(range(6))
    assert "4 analysed, 0 error rows, 2 already done" in capsys.readouterr().err


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda d: None, r"IN='.*missing.jsonl': no such file"),
        (lambda d: (d / "missing.jsonl").mkdir(), r"IN='.*missing.jsonl' is a folder"),
        (lambda d: (d / "out.jsonl").write_text('{"id": 1, "text": "x"}\n'), r"line 1 has no 'id' with 'analysis' or 'error'; it is not a stance batch output"),
        (lambda d: (d / "out.jsonl").write_text('{"id": 1, "error": {}}\nnot json\n'), r"OUT='.*out.jsonl' line 2 is not JSON"),
    ],
)
def test_run_level_problems_stop_the_run(tmp_path, setup, message):
    src = tmp_path / ("missing.jsonl" if "missing" in message else "in.jsonl")
    if "missing" not in message:
        write_input(src, [json.dumps({"id": 1, "text": "x"})])
    setup(tmp_path)
    with pytest.raises(BatchError, match=message):
        run_batch(src, tmp_path / "out.jsonl", keyword_pipeline, show_progress=False)


def test_output_must_not_be_the_input(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    write_input(src, [json.dumps({"id": 1, "text": "x"})])
    assert main(["batch", str(src), str(src), "--no-progress"]) == 2
    assert "is the input file; give a different output path" in capsys.readouterr().err
    assert recover_output(tmp_path / "none.jsonl") [0] == set()


# A subprocess `stance batch` with the tiny model and real extractor, slowed so a kill lands midway.
SLOW_BATCH = """
import sys, time
import stance.pipeline as p
classify = p.StancePipeline.classify
def slow(self, extracted):
    time.sleep(0.15)
    return classify(self, extracted)
if sys.argv[1] == "slow":
    p.StancePipeline.classify = slow
from stance.cli import main
sys.exit(main(["batch", *sys.argv[2:], "--chunk-size", "1", "--no-progress"]))
"""


def test_sigkill_midway_then_rerun_has_every_row_exactly_once(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    n = 24
    write_input(src, [json.dumps({"id": f"doc{i}", "text": ALL_ARTICLES[i % len(ALL_ARTICLES)]["text"], "n": i}) for i in range(n)])
    args = [str(src), str(out), "--model", str(tiny_model_dir())]
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false"}
    proc = subprocess.Popen([sys.executable, "-c", SLOW_BATCH, "slow", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 3:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    written = read_output(out)
    assert 3 <= len(written) < n
    with open(out, "ab") as handle:  # a kill during a write leaves a half line; make sure of one
        handle.write(b'{"id": "doc99", "analysis": {"quo')

    done = subprocess.run([sys.executable, "-c", SLOW_BATCH, "fast", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = read_output(out)
    assert sorted(r["id"] for r in rows) == sorted(f"doc{i}" for i in range(n))
    assert len(rows) == n and rows[: len(written)] == written
    assert all("analysis" in r and r["n"] == int(r["id"][3:]) for r in rows)
    assert f"{n - len(written)} analysed, 0 error rows, {len(written)} already done" in done.stderr
