"""stance: quotes, speakers and stance toward Russia's war in Ukraine in news text.

    >>> import stance
    >>> quotes = stance.extract_quotes(article_text)        # rule-based, no model needed
    >>> analysis = stance.analyze(article_text)             # quotes + stance per quote and speaker

Heavy dependencies (torch, transformers, datasets) load only when a model or corpus is used.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from stance.types import LABELS, Quote, Span, Speaker, StanceInput, StancePrediction

__version__ = "0.2.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

# Public names that live in modules with heavy imports: loaded on first attribute access.
_LAZY = {
    "extract_quotes": "stance.extract",
    "StanceClassifier": "stance.classifier",
    "load_default": "stance.classifier",
    "quote_input": "stance.inputs",
    "load_corpus": "stance.data",
    "StancePipeline": "stance.pipeline",
    "analyze": "stance.pipeline",
    "analyze_dataset": "stance.pipeline",
    "SpeakerStance": "stance.analysis",
    "ArticleAnalysis": "stance.analysis",
    "QuoteStance": "stance.analysis",
    "ModelNotFoundError": "stance.pipeline",
}

__all__ = ["LABELS", "Quote", "Span", "Speaker", "StanceInput", "StancePrediction", "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stance' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
