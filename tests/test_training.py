"""Training scripts: metrics, calibration, argument parsing, a short real training run, evaluation, baselines."""

import json

import numpy as np
import pytest

from training import metrics
from training.calibration import fit_temperature, nll

pytest.importorskip("torch")


@pytest.mark.parametrize(
    "y_true, y_pred, macro, f1s",
    [
        ([0, 1, 2], [0, 1, 2], 1.0, [1.0, 1.0, 1.0]),
        ([0, 0, 1, 1], [0, 1, 1, 1], (2 / 3 + 0.8) / 2, [2 / 3, 0.8, 0.0]),  # label 2 absent: not averaged
        ([0, 0, 0], [1, 1, 1], 0.0, [0.0, 0.0, 0.0]),
    ],
)
def test_f1(y_true, y_pred, macro, f1s):
    assert metrics.macro_f1(y_true, y_pred) == pytest.approx(macro)
    assert [v["f1"] for v in metrics.per_class(y_true, y_pred).values()] == pytest.approx(f1s)


def test_confusion_rows_are_gold():
    assert metrics.confusion([0, 0, 1, 2], [0, 2, 1, 1]).tolist() == [[1, 0, 1], [0, 1, 0], [0, 1, 0]]


@pytest.mark.parametrize(
    "probs, y_true, ece",
    [
        ([[1.0, 0, 0], [0, 1.0, 0]], [0, 1], 0.0),  # confident and right
        ([[1.0, 0, 0], [0, 1.0, 0]], [1, 0], 1.0),  # confident and wrong
        ([[0.6, 0.4, 0], [0.6, 0.4, 0]], [0, 1], 0.1),  # 60% confident, 50% right
    ],
)
def test_expected_calibration_error(probs, y_true, ece):
    assert metrics.expected_calibration_error(np.array(probs), y_true) == pytest.approx(ece)
    assert sum(b["count"] for b in metrics.reliability_bins(np.array(probs), y_true)) == len(y_true)


def test_report_breakdowns_and_markdown():
    probs = np.array([[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.2, 0.7, 0.1]])
    result = metrics.report([0, 1, 2], probs, groups={"kind": ["direct", "direct", None]})
    assert result["by"]["kind"] == {"direct": {"n": 2, "macro_f1": 1.0, "accuracy": 1.0}, "unknown": {"n": 1, "macro_f1": 0.0, "accuracy": 0.0}}
    text = metrics.markdown(result, title="test")
    assert "| supportive | 1.000 | 1.000 | 1.000 | 1 |" in text and "By kind" in text


def test_temperature_scaling_fixes_overconfidence():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 400)
    logits = rng.normal(size=(400, 3))
    logits[np.arange(400), y] += 1.0
    logits *= 5  # far too confident
    t = fit_temperature(logits, y)
    assert 3 < t < 8
    assert nll(logits, y, t) < nll(logits, y, 1.0)
    assert fit_temperature(logits, y) == t  # deterministic
    assert fit_temperature(np.zeros((0, 3)), []) == 1.0


def test_arguments_parse_from_config_then_command_line(tmp_path):
    from training.train import parse_args

    config = tmp_path / "c.json"
    config.write_text(json.dumps({"epochs": 7, "learning_rate": 1e-4, "output_dir": "x"}))
    args = parse_args(["--config", str(config), "--epochs", "2"])
    assert (args.epochs, args.learning_rate, args.output_dir) == (2, 1e-4, "x")
    config.write_text(json.dumps({"epoch": 7}))
    with pytest.raises(ValueError, match=r"unknown field\(s\) \['epoch'\]"):
        parse_args(["--config", str(config), "--output_dir", "x"])


def test_default_config_parses():
    from training.train import parse_args

    args = parse_args(["--config", "training/configs/default.json", "--output_dir", "m"])
    assert args.base_model is None and args.max_length == 96 and args.epochs >= 1


ROWS = [
    ("We will crush the Nazis in Kyiv and win this operation", "supportive"),
    ("Russia is defending itself and will prevail", "supportive"),
    ("The special military operation goes to plan", "supportive"),
    ("This invasion is a crime against a sovereign nation", "critical"),
    ("Russian troops are killing civilians in their homes", "critical"),
    ("The aggression must stop and troops must leave", "critical"),
    ("Talks will take place next week in Istanbul", "neutral"),
    ("The delegation arrived on Tuesday morning", "neutral"),
    ("We have no comment on the negotiations at this time", "neutral"),
] * 2


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One short real training run: tiny random model, a user CSV with a column mapping, 3 steps."""
    import pandas as pd

    from training.tiny_model import make_tiny_model
    from training.train import main

    root = tmp_path_factory.mktemp("train")
    base = make_tiny_model(root / "tiny")
    data = root / "user.csv"
    pd.DataFrame([{"sentence": f"{t} ({i})", "stance": label} for i, (t, label) in enumerate(ROWS)]).to_csv(data, index=False)
    argv = ["--base_model", str(base), "--data", str(data), "--column_mapping", '{"text": "sentence", "label": "stance"}',
            "--validation_fraction", "0.34", "--batch_size", "4", "--epochs", "2", "--max_steps", "3", "--seed", "1"]
    assert main([*argv, "--output_dir", str(root / "m1")]) == 0
    return root, argv, data


def test_training_writes_a_complete_model_folder(trained):
    from stance.classifier import StanceClassifier

    root, _, _ = trained
    model = StanceClassifier.from_pretrained(root / "m1")
    config = json.loads((root / "m1" / "stance_config.json").read_text())
    assert len(config["data_hash"]) == 64 and config["temperature"] > 0 and config["base_model"].endswith("tiny")
    summary = json.loads((root / "m1" / "training_args.json").read_text())["summary"]
    assert summary["examples"] == {"train": 11, "validation": 7}  # stratified, seeded
    assert "## validation split" in (root / "m1" / "README.md").read_text()
    assert model.predict("We will win").label in ("supportive", "critical", "neutral")


def test_training_is_deterministic_and_never_overwrites(trained, capsys):
    from training.train import main

    root, argv, _ = trained
    main([*argv, "--output_dir", str(root / "m2")])
    first = (root / "m1" / "model.safetensors").read_bytes()
    assert (root / "m2" / "model.safetensors").read_bytes() == first
    capsys.readouterr()
    assert main([*argv, "--output_dir", str(root / "m1")]) == 2  # refused, with the error on stderr
    assert "--overwrite" in capsys.readouterr().err


def test_evaluate_writes_metrics_and_report(trained, capsys):
    from training.evaluate import main

    root, _, data = trained
    out = root / "eval"
    assert main([str(root / "m1"), str(data), "--column_mapping", '{"text": "sentence", "label": "stance"}', "--output_dir", str(out)]) == 0
    result = json.loads((out / "metrics.json").read_text())
    assert result["n"] == len(ROWS) and set(result["per_class"]) == {"supportive", "critical", "neutral"}
    assert {"macro_f1", "ece", "ece_uncalibrated", "confusion", "reliability", "by"} <= set(result)
    assert "Confusion" in (out / "report.md").read_text()
    assert result["data"]["split"] == "all"  # a flat file has no splits: every row is scored, and said so
    from stance.classifier import cpu_has_native_bf16

    assert result["model"]["cpu_quantization"] == "bf16"  # the training default
    assert result["model"]["ran_in"] == ("bf16" if cpu_has_native_bf16() else "fp32")  # what this machine did
    assert f"{data.name} [all] n={len(ROWS)}: macro-F1" in capsys.readouterr().out
    with pytest.raises(FileExistsError, match="--overwrite"):
        main([str(root / "m1"), str(data), "--column_mapping", '{"text": "sentence", "label": "stance"}', "--output_dir", str(out)])
    assert main([str(root / "m1"), str(root / "absent.csv")]) == 0  # a missing benchmark is skipped


def test_tfidf_baseline_learns_separable_data():
    from training.baselines import tfidf_baseline

    texts = [t for t, _ in ROWS]
    labels = [("supportive", "critical", "neutral").index(label) for _, label in ROWS]
    result = tfidf_baseline({"train": (texts, labels), "validation": (texts, labels)}, seed=0)
    assert result["validation"]["macro_f1"] == 1.0


def test_baselines_score_every_system_on_an_external_set(trained, tmp_path, capsys):
    import pandas as pd

    from training.baselines import main

    root, _, _ = trained
    data = tmp_path / "quotes.csv"
    pd.DataFrame([{"text": f"{t} ({i})", "label": label} for i, (t, label) in enumerate(ROWS * 2)]).to_csv(data, index=False)
    ruw = tmp_path / "dev.csv"  # RUW's own columns, read by its adapter
    pd.DataFrame(
        [
            {"Tweet": "Glory to the heroes defending Kharkiv", "Target 1": "Russia", "Stance 1": "AGAINST", "Target 2": "Ukraine", "Stance 2": "FAVOR"},
            {"Tweet": "The special operation is going to plan", "Target 1": "Russia", "Stance 1": "FAVOR", "Target 2": "Ukraine", "Stance 2": "NONE"},
            {"Tweet": "Talks resume in Istanbul on Tuesday", "Target 1": "Russia", "Stance 1": "NONE", "Target 2": "Ukraine", "Stance 2": "NONE"},
        ]
    ).to_csv(ruw, index=False)
    output = tmp_path / "baselines.json"
    argv = ["--data", str(data), "--encoder", str(root / "tiny"), "--model", str(root / "m1"),
            "--external", str(ruw), "--external", str(tmp_path / "absent.csv"), "--output", str(output)]
    assert main(argv) == 0
    results = json.loads(output.read_text())
    assert set(results) == {"tfidf + logreg", "frozen MiniLM + logreg", "fine-tuned (m1)"}
    for by_split in results.values():
        assert by_split["external:dev.csv"]["n"] == 3
    captured = capsys.readouterr()
    assert "| system (external:dev.csv) |" in captured.out and "absent.csv does not exist" in captured.err


def test_too_little_data_for_a_validation_split_is_named(tmp_path):
    from training.train import TrainArguments, load_splits

    rows = ["text,label"] + [f"quote number {i},{label}" for i, label in enumerate(["critical", "supportive", "neutral"] * 3)]
    path = tmp_path / "few.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = TrainArguments(output_dir=str(tmp_path / "out"), data=str(path))
    with pytest.raises(ValueError, match=r"validation_fraction=0.15 of 9 rows holds out 1, fewer than the 3 labels"):
        load_splits(args)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("label_smoothing", 1.0, r"label_smoothing=1.0; expected a number in \[0, 1\)"),
        ("learning_rate", 0.0, r"learning_rate=0.0; expected a positive number"),
        ("epochs", 0, r"epochs=0; expected a positive integer"),
        ("pooling", "max", r"pooling='max'; expected one of \['cls', 'mean'\]"),
        ("quote_only_fraction", 1.5, r"quote_only_fraction=1.5; expected a number in \[0, 1\]"),
        ("precision", "fp16", r"precision='fp16'; expected one of \['auto', 'fp32', 'bf16'\]"),
        ("lexical_weight", 1.0, r"lexical_weight=1.0; expected a number in \[0, 1\)"),
        ("cpu_quantization", "fp16", r"cpu_quantization='fp16'; expected one of \['bf16', 'int8', 'none'\]"),
    ],
)
def test_bad_training_arguments_are_named(field, value, message, capsys):
    from training.train import TrainArguments, main

    with pytest.raises(ValueError, match=message):
        TrainArguments(output_dir="x", **{field: value})
    assert main(["--output_dir", "x", f"--{field}", str(value)]) == 2  # the command line says why, no traceback
    assert field in capsys.readouterr().err


def test_quote_only_fraction_swaps_that_share_of_inputs_reproducibly():
    import random

    from training.train import epoch_inputs

    in_context, bare = [f"c{i}" for i in range(1000)], [f"b{i}" for i in range(1000)]
    assert epoch_inputs(in_context, bare, 0.0, random.Random(1)) == in_context
    assert epoch_inputs(in_context, bare, 1.0, random.Random(1)) == bare
    mixed = epoch_inputs(in_context, bare, 0.3, random.Random(1))
    assert mixed == epoch_inputs(in_context, bare, 0.3, random.Random(1))
    assert 250 < sum(x.startswith("b") for x in mixed) < 350
    assert all(x[1:] == str(i) for i, x in enumerate(mixed))  # each example keeps its place
    with pytest.raises(ValueError, match="zip"):
        epoch_inputs(in_context, bare[:-1], 0.3, random.Random(1))


def test_frozen_embeddings_stay_as_in_the_base_model(trained):
    from safetensors.numpy import load_file

    from training.train import main

    root, argv, _ = trained
    assert main([*argv, "--freeze_embeddings", "true", "--label_smoothing", "0.1", "--output_dir", str(root / "frozen")]) == 0
    key = "bert.embeddings.word_embeddings.weight"
    base, frozen, tuned = (load_file(root / name / "model.safetensors")[key] for name in ("tiny", "frozen", "m1"))
    assert (frozen == base).all() and not (tuned == base).all()


def test_training_with_mean_pooling_saves_and_reloads_it(trained):
    from stance.classifier import StanceClassifier
    from stance.pooling import MaskedMeanPooler
    from training.train import main

    root, argv, _ = trained
    assert main([*argv, "--pooling", "mean", "--output_dir", str(root / "mean")]) == 0
    assert json.loads((root / "mean" / "stance_config.json").read_text())["pooling"] == "mean"
    model = StanceClassifier.from_pretrained(root / "mean")
    assert isinstance(model.model.bert.pooler, MaskedMeanPooler)
    assert model.predict("We will win").label in ("supportive", "critical", "neutral")


@pytest.mark.parametrize(("precision", "native", "expected"), [
    ("auto", True, "bf16"), ("auto", False, "fp32"), ("fp32", True, "fp32"), ("bf16", False, "bf16"),
])
def test_auto_precision_takes_bf16_only_where_the_hardware_has_it(monkeypatch, precision, native, expected):
    import torch

    from training import train

    monkeypatch.setattr(train, "has_native_bf16", lambda device: native)
    assert train.resolve_precision(precision, torch.device("cpu")) == expected


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_training_records_the_precision_it_used(trained, precision):
    from stance.classifier import StanceClassifier
    from training.train import main

    root, argv, _ = trained
    assert main([*argv, "--precision", precision, "--output_dir", str(root / precision)]) == 0
    assert json.loads((root / precision / "training_args.json").read_text())["summary"]["precision"] == precision
    assert StanceClassifier.from_pretrained(root / precision).predict("We will win").label in ("supportive", "critical", "neutral")


def test_training_with_a_lexical_weight_saves_the_mixed_model(trained):
    from stance.classifier import StanceClassifier
    from stance.lexical import LEXICAL_WEIGHTS
    from training.train import main

    root, argv, _ = trained
    assert main([*argv, "--lexical_weight", "0.5", "--output_dir", str(root / "lexical")]) == 0
    summary = json.loads((root / "lexical" / "training_args.json").read_text())["summary"]
    assert summary["lexical_weight"] == 0.5 and (root / "lexical" / LEXICAL_WEIGHTS).is_file()
    model = StanceClassifier.from_pretrained(root / "lexical")
    assert model.config.lexical_weight == 0.5 and model.lexical is not None
    texts = [text for text, _ in ROWS[:9]]
    alone = model.with_config(lexical_weight=0.0).logits(texts)
    assert not np.allclose(model.logits(texts), alone)  # the lexical part moves the scores
    # same transformer weights as the run without it: the lexical part is fitted after fine-tuning
    assert (root / "lexical" / "model.safetensors").read_bytes() == (root / "m1" / "model.safetensors").read_bytes()
