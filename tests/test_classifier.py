"""StanceClassifier: one in one out, save/load round trip, config checks, load_default, devices."""

import json
from pathlib import Path

import pytest

from stance.classifier import STANCE_CONFIG, StanceClassifier, StanceConfig, default_model_dir, file_sha256, load_default
from stance.types import LABELS, StanceInput, StancePrediction

pytest.importorskip("torch")


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory):
    from training.tiny_model import make_tiny_model

    return make_tiny_model(tmp_path_factory.mktemp("models") / "tiny")


@pytest.fixture(scope="module")
def tiny(tiny_path):
    return StanceClassifier.from_pretrained(tiny_path)


INPUTS = [
    "We will win this war.",
    StanceInput("They are killing children", "“<<They are killing children>>,” she said.", "she"),
    StanceInput("no comment", None, None),
    "A much longer quote " * 20,
]


def test_one_in_one_out(tiny):
    single = tiny.predict("We will win.")
    assert isinstance(single, StancePrediction)
    many = tiny.predict(INPUTS, batch_size=3)
    assert isinstance(many, list) and len(many) == len(INPUTS)
    for prediction in many:
        assert set(prediction.scores) == set(LABELS)
        assert sum(prediction.scores.values()) == pytest.approx(1.0, abs=1e-5)
        assert prediction.label == max(prediction.scores, key=prediction.scores.get)
    assert tiny.predict([]) == []


def test_batching_and_sorting_keep_input_order(tiny):
    fp32 = tiny.with_config(cpu_quantization="none")
    together = fp32.predict(INPUTS, batch_size=2)
    assert [p.label for p in tiny.with_config(cpu_quantization="int8").predict(INPUTS, batch_size=2)] == [
        p.label for p in tiny.with_config(cpu_quantization="int8").predict(INPUTS, batch_size=3)
    ]
    alone = [fp32.predict(item) for item in INPUTS]
    for a, b in zip(together, alone):
        assert a.label == b.label
        for label in LABELS:
            assert a.scores[label] == pytest.approx(b.scores[label], abs=1e-4)


def test_temperature_softens_scores_but_keeps_label(tiny):
    sharp = tiny.with_config(temperature=0.5).predict(INPUTS[1])
    soft = tiny.with_config(temperature=5.0).predict(INPUTS[1])
    assert sharp.label == soft.label
    assert sharp.confidence > soft.confidence


def test_saved_folder_round_trip(tiny, tiny_path, tmp_path):
    files = {p.name for p in tiny_path.iterdir()}
    assert {"config.json", "model.safetensors", STANCE_CONFIG, "README.md", "tokenizer.json"} <= files
    assert not any(name.endswith((".bin", ".pt", ".pkl")) for name in files)
    config = json.loads((tiny_path / "config.json").read_text())
    assert config["id2label"] == {"0": "supportive", "1": "critical", "2": "neutral"}
    assert config["label2id"] == {"supportive": 0, "critical": 1, "neutral": 2}
    assert tiny.sha256 == file_sha256(tiny_path / "model.safetensors")
    assert tiny.name == str(tiny_path)

    changed = tiny.with_config(temperature=1.7, speaker_threshold=0.7, data_hash="abc")
    out = changed.save_pretrained(tmp_path / "copy", evaluation="| metric | value |\n|---|---|\n| macro-F1 | 0.9 |")
    loaded = StanceClassifier.from_pretrained(out)
    assert loaded.config == changed.config
    assert "| macro-F1 | 0.9 |" in (out / "README.md").read_text()
    assert loaded.predict(INPUTS[0]).scores == pytest.approx(changed.predict(INPUTS[0]).scores, abs=1e-5)


def test_save_never_overwrites_silently(tiny, tmp_path):
    target = tiny.save_pretrained(tmp_path / "m")
    with pytest.raises(FileExistsError, match="--overwrite"):
        tiny.save_pretrained(target)
    tiny.with_config(temperature=2.0).save_pretrained(target, overwrite=True)
    assert json.loads((target / STANCE_CONFIG).read_text())["temperature"] == 2.0
    assert [p.name for p in tmp_path.iterdir()] == ["m"]  # no temp or backup folders left behind


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"labels": ("positive", "negative", "neutral")}, "fixed label set"),
        ({"template": "{role}: {quote}"}, "allowed are"),
        ({"max_length": 4}, "max_length=4"),
        ({"temperature": 0.0}, "temperature=0.0"),
        ({"speaker_threshold": 1.5}, "speaker_threshold=1.5"),
        ({"cpu_quantization": "int4"}, "cpu_quantization='int4'"),
        ({"pooling": "max"}, r"pooling='max'; expected one of \['cls', 'mean'\]"),
        ({"lexical_weight": 1.0}, r"lexical_weight=1.0 must be in \[0, 1\)"),
        ({"lexical_weight": -0.1}, r"lexical_weight=-0.1 must be in \[0, 1\)"),
    ],
)
def test_config_rejects_bad_values(changes, message):
    with pytest.raises(ValueError, match=message):
        StanceConfig(**changes)


def test_config_from_dict_names_unknown_fields():
    with pytest.raises(ValueError, match=r"unknown field\(s\) \['colour'\]"):
        StanceConfig.from_dict({"colour": "red"})


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"device": "tpu"}, ValueError, "device='tpu'"),
        ({"batch_size": 0}, ValueError, "batch_size=0"),
    ],
)
def test_predict_rejects_bad_arguments(tiny, kwargs, error, message):
    with pytest.raises(error, match=message):
        tiny.predict(["x"], **kwargs)


def test_from_pretrained_explains_a_non_stance_folder(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(FileNotFoundError, match="not a stance model"):
        StanceClassifier.from_pretrained(tmp_path)
    with pytest.raises(FileNotFoundError, match="no model folder there"):
        StanceClassifier.from_pretrained(tmp_path / "missing")


def test_load_default_says_how_to_build_it(monkeypatch, tmp_path):
    monkeypatch.delenv("STANCE_MODEL", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_model_dir() == tmp_path / "stance" / "models" / "default"
    with pytest.raises(FileNotFoundError, match=r"make model.*STANCE_MODEL"):
        load_default()


def test_load_default_uses_env_then_cache(monkeypatch, tmp_path, tiny_path):
    monkeypatch.setenv("STANCE_MODEL", str(tiny_path))
    assert load_default().name == str(tiny_path)
    monkeypatch.setenv("STANCE_MODEL", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="STANCE_MODEL="):
        load_default()
    monkeypatch.delenv("STANCE_MODEL")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    StanceClassifier.from_pretrained(tiny_path).save_pretrained(default_model_dir())
    assert load_default().name == str(default_model_dir())


def test_default_model_if_built_is_a_stance_model(monkeypatch):
    """Compares with the real default model; skips when it has not been built (`make model`)."""
    import os
    if not os.environ.get("STANCE_MODEL") and not (default_model_dir() / STANCE_CONFIG).is_file():
        pytest.skip("default model not built (make model)")
    model = load_default()
    prediction = model.predict("We fully support the special military operation and will see it through to victory.")
    assert prediction.label == "supportive"


def test_int8_quantizes_the_encoder_only_and_keeps_the_original(tiny):
    from stance.classifier import quantize_int8

    quantized = quantize_int8(tiny.model)
    layer = quantized.bert.encoder.layer[0].attention.self.query
    assert type(layer).__module__.startswith("torch.ao.nn.quantized.dynamic")
    assert type(quantized.classifier).__module__ == "torch.nn.modules.linear"
    assert type(tiny.model.bert.encoder.layer[0].attention.self.query).__module__ == "torch.nn.modules.linear"
    int8 = tiny.with_config(cpu_quantization="int8").predict(INPUTS, device="cpu")
    fp32 = tiny.predict(INPUTS, device="cpu")
    assert tiny.config.cpu_quantization == "none"  # the shipped default
    assert [p.label for p in int8] == [p.label for p in fp32]


def test_bf16_runs_under_autocast_where_the_cpu_has_it_and_in_fp32_elsewhere(tiny, monkeypatch, caplog):
    import torch

    import stance.classifier as classifier_module

    fp32 = tiny.logits(INPUTS, device="cpu")
    bf16 = tiny.with_config(cpu_quantization="bf16")
    monkeypatch.setattr(classifier_module, "cpu_has_native_bf16", lambda: True)
    assert bf16.execution_mode("cpu") == "bf16" and tiny.execution_mode("cpu") == "fp32"
    native = bf16.logits(INPUTS, device="cpu")
    assert native.dtype == fp32.dtype and (native != fp32).any()  # bf16 arithmetic, not the fp32 path
    assert native == pytest.approx(fp32, abs=0.3)  # a random tiny model: loose; benchmarks/classifier_speed measures F1
    monkeypatch.setattr(classifier_module, "cpu_has_native_bf16", lambda: False)
    assert bf16.execution_mode("cpu") == "fp32"  # what it really runs in, for reports
    classifier_module._note_bf16_fallback.cache_clear()
    with caplog.at_level("INFO", logger="stance.classifier"):
        assert (bf16.logits(INPUTS, device="cpu") == fp32).all()  # emulated bf16 is slower than fp32: not used
    assert "no native bf16" in caplog.text
    assert tiny.model.bert.encoder.layer[0].attention.self.query.weight.dtype == torch.float32  # weights untouched


def test_pad_batch_pads_to_the_longest_row_in_batch_order():
    from stance.classifier import pad_batch

    ids, mask = pad_batch([[1, 2, 3], [4], [5, 6]], [1, 0], pad_id=0)
    assert ids.tolist() == [[4, 0, 0], [1, 2, 3]] and mask.tolist() == [[1, 0, 0], [1, 1, 1]]
    assert str(ids.dtype) == "torch.int64"


def test_an_fp16_base_model_loads_in_fp32_for_training(tmp_path):
    """A half-precision checkpoint (as carried to a GPU machine) must not make training run in fp16."""
    import torch

    from stance.classifier import StanceClassifier, StanceConfig
    from training.tiny_model import make_tiny_model

    tiny = StanceClassifier.from_pretrained(make_tiny_model(tmp_path / "tiny"))
    half = tmp_path / "half"
    tiny.model.half().save_pretrained(half)
    tiny.tokenizer.save_pretrained(half)
    model = StanceClassifier.from_base_model(half, StanceConfig()).model
    assert {p.dtype for p in model.parameters()} == {torch.float32}


@pytest.fixture(scope="module")
def tiny_mean(tiny_path, tmp_path_factory):
    """The tiny model saved with mean pooling, and loaded back."""
    folder = tmp_path_factory.mktemp("models") / "mean"
    mean = StanceClassifier.from_pretrained(tiny_path).with_config(pooling="mean")
    return StanceClassifier.from_pretrained(mean.save_pretrained(folder))


def test_mean_pooling_is_saved_and_changes_what_the_head_reads(tiny, tiny_mean):
    from stance.pooling import MaskedMeanPooler

    assert json.loads((Path(tiny_mean.name) / STANCE_CONFIG).read_text())["pooling"] == "mean"
    assert isinstance(tiny_mean.model.bert.pooler, MaskedMeanPooler) and tiny.config.pooling == "cls"
    assert tiny_mean.sha256 == file_sha256(Path(tiny.name) / "model.safetensors")  # same weights
    mean, cls = tiny_mean.logits(INPUTS, device="cpu"), tiny.logits(INPUTS, device="cpu")
    assert abs(mean - cls).max() > 1e-3
    assert "pooling: mean" in (Path(tiny_mean.name) / "README.md").read_text()


def test_mean_pooling_ignores_padding(tiny_mean):
    """A short input scores the same alone as in a batch padded to a long one (the mean skips padding).

    fp32 only: dynamic int8 quantizes activations with one range per batch, so it is batch-dependent anyway."""
    classifier = tiny_mean.with_config(cpu_quantization="none")
    together = classifier.logits(INPUTS, batch_size=len(INPUTS), device="cpu")
    alone = [classifier.logits([item], device="cpu")[0] for item in INPUTS]
    for a, b in zip(together, alone):
        assert a == pytest.approx(b, abs=1e-4)


def test_mean_pooling_survives_a_deep_copy(tiny_mean):
    """The GPU path runs a deep copy: its mask hook must feed the copy's pooler, not the original's."""
    import copy

    import torch

    copied = copy.deepcopy(tiny_mean.model)
    ids, mask = torch.tensor([[101, 2057, 2097, 102, 0, 0]]), torch.tensor([[1, 1, 1, 1, 0, 0]])
    with torch.inference_mode():
        expected = tiny_mean.model(input_ids=ids[:, :4], attention_mask=mask[:, :4]).logits
        got = copied(input_ids=ids, attention_mask=mask).logits
    assert torch.allclose(got, expected, atol=1e-5)
    assert copied.bert.pooler.mask is not None and tiny_mean.model.bert.pooler.mask.shape == (1, 4)


def test_mean_pooling_names_a_model_without_a_pooler():
    import torch

    from stance.pooling import apply_pooling

    class NoPooler(torch.nn.Module):
        base_model_prefix = "encoder"

        def __init__(self):
            super().__init__()
            self.encoder = torch.nn.Linear(2, 2)

    with pytest.raises(ValueError, match="pooling='mean' needs a BERT-style encoder with a pooler layer"):
        apply_pooling(NoPooler(), "mean")
    with pytest.raises(ValueError, match=r"pooling='avg'; expected one of \['cls', 'mean'\]"):
        apply_pooling(NoPooler(), "avg")
