"""Length statistics of one summary against its article and references."""

from __future__ import annotations

import math

from sumbench.records import Document
from sumbench.text import split_sentences, words

LENGTH_COLUMNS = ("words", "sentences", "compression", "ref_ratio")


def length_stats(doc: Document, summary: str) -> dict[str, float]:
    """``words`` and ``sentences`` of the summary (whitespace words, our splitter), ``compression``
    (article words / summary words; NaN for an empty summary) and ``ref_ratio`` (summary words / mean
    reference words: 1.0 means as long as the references)."""
    summary_words = len(words(summary))
    article_words = len(words(doc.text))
    reference_words = sum(len(words(r)) for r in doc.references) / max(1, len(doc.references))
    return {
        "words": float(summary_words),
        "sentences": float(len(split_sentences(summary))),
        "compression": article_words / summary_words if summary_words else math.nan,
        "ref_ratio": summary_words / reference_words if reference_words else math.nan,
    }
