"""Length statistics of one summary against its article and references."""

from __future__ import annotations

import math
from typing import NamedTuple

from sumbench.languages import sentence_splitter, word_count
from sumbench.records import Document

LENGTH_COLUMNS = ("words", "sentences", "compression", "ref_ratio")


class DocumentLengths(NamedTuple):
    """What the length statistics need from a document, computed once for all its summaries."""

    article_words: int
    reference_words: float  # mean whitespace words of the references (0.0 without references)


def document_lengths(doc: Document) -> DocumentLengths:
    """Words (:func:`word_count`) of the article and mean words of the references."""
    lang = doc.language
    return DocumentLengths(
        word_count(doc.text, lang), sum(word_count(r, lang) for r in doc.references) / max(1, len(doc.references))
    )


def length_stats(doc: Document | DocumentLengths, summary: str, language: str = "en") -> dict[str, float]:
    """``words`` and ``sentences`` of the summary (whitespace words, our splitter), ``compression``
    (article words / summary words; NaN for an empty summary) and ``ref_ratio`` (summary words / mean
    reference words: 1.0 means as long as the references). ``doc`` is the document, or its
    :func:`document_lengths` (the same numbers; cheaper for several summaries)."""
    if isinstance(doc, Document):
        language = doc.language
    lengths = doc if isinstance(doc, DocumentLengths) else document_lengths(doc)
    summary_words = word_count(summary, language)
    article_words, reference_words = lengths
    return {
        "words": float(summary_words),
        "sentences": float(len(sentence_splitter(language)(summary))),
        "compression": article_words / summary_words if summary_words else math.nan,
        "ref_ratio": summary_words / reference_words if reference_words else math.nan,
    }
