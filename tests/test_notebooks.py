"""The notebooks: stored without outputs, and each runs clean (nbclient) with the tiny test model.

The kernel gets ``STANCE_NOTEBOOK_MODEL`` (a tiny random model built here) and ``STANCE_NOTEBOOK_QUICK=1``
(small subsets, a few training steps), so all four run in about a minute on two cores. Run by hand, the
notebooks use the default model instead.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = ["01_stance_evaluation", "02_quote_attribution", "03_retrain_on_your_data", "04_analyse_articles"]
KERNEL = "python3"
CELL_TIMEOUT = 120  # seconds per cell; the whole notebook test should take about a minute


def test_the_four_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_clean(path):
    """No outputs, no execution counts, a python3 kernel, and a first cell saying what the notebook answers."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {index} has stored outputs; clear them before committing"
            assert cell.execution_count is None, f"{path.name} cell {index} has an execution count; clear outputs"
        assert "attachments" not in cell or not cell.attachments, f"{path.name} cell {index} has attachments"
    assert nb.metadata.get("kernelspec", {}).get("name") == KERNEL
    first = nb.cells[0]
    assert first.cell_type == "markdown" and "**Question.**" in first.source and "**What to look at.**" in first.source


@pytest.fixture(scope="session")
def kernel_env(tmp_path_factory):
    """Environment for the kernel: the tiny model, quick mode, and a python3 kernel spec that exists."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    from training.tiny_model import make_tiny_model

    env = {
        "STANCE_NOTEBOOK_MODEL": str(make_tiny_model(tmp_path_factory.mktemp("notebook-model") / "tiny")),
        "STANCE_NOTEBOOK_QUICK": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "HF_HUB_OFFLINE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:  # install ipykernel's spec (for this interpreter) into a temp prefix
        prefix = tmp_path_factory.mktemp("jupyter")
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--prefix", str(prefix), "--name", KERNEL],
                       check=True, capture_output=True)
        env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(prefix / "share" / "jupyter"), os.environ.get("JUPYTER_PATH")]))
    return env


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, kernel_env, monkeypatch):
    for key, value in kernel_env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("STANCE_MODEL", raising=False)
    nb = nbformat.read(path, as_version=4)  # executed in memory; the stored file is never touched
    client = nbclient.NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name=KERNEL, resources={"metadata": {"path": str(NOTEBOOK_DIR)}}
    )
    started = time.perf_counter()
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as err:
        pytest.fail(f"{path.name} failed:\n{err}")
    took = time.perf_counter() - started
    errors = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs if o.output_type == "error"]
    assert not errors
    images = sum("image/png" in o.get("data", {}) for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs)
    assert images >= {"01": 3, "02": 1, "03": 0, "04": 1}[path.stem[:2]], f"{path.name} drew {images} figures"
    print(f"{path.name}: {took:.1f} s")


def test_readme_figure(tmp_path, kernel_env, capsys):
    """benchmarks/readme_figure.py draws both of its figures, small enough to commit."""
    from benchmarks.readme_figure import MAX_BYTES, main

    for name, argv in (("extraction", ["--extraction"]), ("model", ["--model", kernel_env["STANCE_NOTEBOOK_MODEL"]])):
        output = tmp_path / f"{name}.png"
        assert main([*argv, "--output", str(output)]) == 0
        data = output.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) < MAX_BYTES
    assert "macro-F1" in capsys.readouterr().out
