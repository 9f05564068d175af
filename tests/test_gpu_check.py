"""The GPU check script runs end to end on CPU with a tiny model, so it is ready when a GPU is lent."""

import json

import pytest


def test_gpu_check_smoke_runs_on_cpu(tmp_path, capsys):
    from benchmarks.gpu_check import main
    from training.tiny_model import make_tiny_model

    base = make_tiny_model(tmp_path / "tiny")
    out = tmp_path / "figures.json"
    argv = ["run", "--device", "cpu", "--base_model", str(base), "--max_steps", "2", "--n", "300", "--batch_size", "64",
            "--repeats", "1", "--output_dir", str(tmp_path / "run"), "--json", str(out)]
    assert main(argv) == 0
    figures = json.loads(out.read_text())
    assert figures["n"] == 300 and figures["predict_qps"] > 0 and figures["raw_forward_qps"] > 0
    assert 0 <= figures["test_macro_f1_predict"] <= 1
    # the default config's model, lexical part included, timed whole and as its transformer alone
    assert figures["lexical_weight"] == 0.5 and figures["lexical_alone_qps"] > 0
    assert figures["predict_transformer_alone_qps"] > 0 and figures["ratio_transformer_alone"] > 0
    out = capsys.readouterr().out
    assert "predict / raw forward" in out and "its transformer alone" in out


def test_gpu_check_times_a_model_without_lexical_part(tmp_path, capsys):
    from benchmarks.gpu_check import main
    from training.tiny_model import make_tiny_model

    out = tmp_path / "figures.json"
    argv = ["run", "--device", "cpu", "--base_model", str(make_tiny_model(tmp_path / "tiny")), "--max_steps", "1",
            "--n", "64", "--batch_size", "64", "--repeats", "1", "--lexical_weight", "0", "--json", str(out)]
    assert main(argv) == 0
    figures = json.loads(out.read_text())
    assert figures["lexical_weight"] == 0.0 and figures["lexical_alone_qps"] is None
    assert figures["predict_transformer_alone_qps"] == figures["predict_qps"]
    assert "its transformer alone" not in capsys.readouterr().out


def test_gpu_check_names_a_missing_gpu(tmp_path, capsys):
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    from benchmarks.gpu_check import main

    assert main(["run", "--device", "cuda", "--output_dir", str(tmp_path)]) == 2
    assert "CUDA is not available" in capsys.readouterr().err
