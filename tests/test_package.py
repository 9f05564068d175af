"""`import stance` is light and polite: no torch, datasets or training code; only a NullHandler."""

import json
import subprocess
import sys

import pytest


def test_import_is_light_and_adds_only_a_null_handler():
    code = (
        "import json, logging, sys; import stance; "
        "handlers = logging.getLogger('stance').handlers; "
        "print(json.dumps({'heavy': sorted(m for m in ('torch', 'datasets', 'transformers', 'training') if m in sys.modules),"
        " 'handlers': [type(h).__name__ for h in handlers], 'root': len(logging.getLogger().handlers)}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    seen = json.loads(out)
    assert seen == {"heavy": [], "handlers": ["NullHandler"], "root": 0}


def test_unknown_attribute_names_itself():
    import stance

    with pytest.raises(AttributeError, match="no attribute 'extract_quote'"):
        stance.extract_quote  # noqa: B018


def test_version_is_set():
    import stance

    assert stance.__version__.count(".") == 2
