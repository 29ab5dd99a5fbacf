"""Helpers shared by every part of the reports: how a metric is named and formatted, the order systems
are shown in, and reference / article lengths counted in the same units as the summaries' length
columns. Nothing here depends on the output format.
"""

from __future__ import annotations

import math
import re

import numpy as np

from sumbench.runfolder import Run
from sumbench.text import split_sentences, words

__all__ = ["article_words", "fmt", "metric_label", "reference_lengths", "system_order"]

_ROUGE_NAME = re.compile(r"rouge(\w+?)_([prf])")

#: Names of the non-ROUGE columns of scores.csv (length and extractiveness statistics).
_LABELS = {
    "words": "words",
    "sentences": "sentences",
    "compression": "compression (article/summary)",
    "ref_ratio": "ratio to reference",
    "coverage": "coverage",
    "density": "density",
    "fragment_compression": "fragment compression",
    "novel_1gram": "novel 1-grams",
    "novel_2gram": "novel 2-grams",
    "novel_3gram": "novel 3-grams",
    "redundancy_1gram": "repeated 1-grams",
    "redundancy_2gram": "repeated 2-grams",
}

#: How each non-ROUGE metric is shown: (scale, decimals, suffix). ROUGE is shown x100 with 2 decimals.
_DISPLAY = {
    "words": (1, 1, ""),
    "sentences": (1, 2, ""),
    "compression": (1, 1, "x"),
    "ref_ratio": (1, 2, ""),
    "coverage": (1, 2, ""),
    "density": (1, 2, ""),
    "fragment_compression": (1, 1, "x"),
    "novel_1gram": (100, 1, "%"),
    "novel_2gram": (100, 1, "%"),
    "novel_3gram": (100, 1, "%"),
    "redundancy_1gram": (100, 1, "%"),
    "redundancy_2gram": (100, 1, "%"),
}


def metric_label(metric: str) -> str:
    """How a metric is named in tables, figures and sentences.

    ``rouge2_f`` -> ``ROUGE-2 F``, ``rougeLsum_r`` -> ``ROUGE-Lsum R``; length and extractiveness
    columns get their plain-words names (``novel_2gram`` -> ``novel 2-grams``); others as is.
    """
    match = _ROUGE_NAME.fullmatch(metric)
    if match:
        return f"ROUGE-{match.group(1)} {match.group(2).upper()}"
    return _LABELS.get(metric, metric)


def fmt(metric: str, value: float | None) -> str:
    """Format a value of ``metric`` for display (ROUGE x100, n-gram shares as %); ``–`` when missing."""
    if value is None or not math.isfinite(value):
        return "–"
    scale, decimals, suffix = _DISPLAY.get(metric, (100, 2, "") if metric.startswith("rouge") else (1, 3, ""))
    return f"{value * scale:.{decimals}f}{suffix}"


def system_order(run: Run) -> list[str]:
    """Systems ranked by the run's primary metric (best first); unscored systems last."""
    primary = run.primary_metric
    systems = list(run.systems)
    if primary is None:
        return systems

    def key(system: str) -> tuple[int, float]:
        mean = run.mean(system, primary)
        return (1, 0.0) if math.isnan(mean) else (0, -mean)

    return sorted(systems, key=key)


def reference_lengths(run: Run) -> tuple[np.ndarray, np.ndarray]:
    """Words and sentences of every reference summary, counted like the summaries' length columns."""
    references = [ref for doc in run.documents for ref in doc.references]
    return (
        np.array([len(words(ref)) for ref in references], dtype=float),
        np.array([len(split_sentences(ref)) for ref in references], dtype=float),
    )


def article_words(run: Run) -> np.ndarray:
    """Words per article (documents in run order), counted like the summaries' length columns."""
    return np.array([len(words(doc.text)) for doc in run.documents], dtype=float)
