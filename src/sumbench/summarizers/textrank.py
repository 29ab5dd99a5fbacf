"""TextRank over TF-IDF sentence similarity."""

from __future__ import annotations

import numpy as np

from sumbench.records import Document
from sumbench.summarizers._text import pagerank, tfidf_matrix
from sumbench.summarizers.base import ExtractiveSummarizer

__all__ = ["TextRank", "pagerank", "tfidf_matrix"]  # the helpers live in _text; re-exported here


class TextRank(ExtractiveSummarizer):
    """TextRank (Mihalcea & Tarau 2004): PageRank over the TF-IDF cosine-similarity graph of sentences."""

    version = "1"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        damping: float = 0.85,
        stop_words: str | None = "english",
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.damping = damping
        self.stop_words = stop_words

    def validate(self) -> None:
        super().validate()
        if not 0 < self.damping < 1:
            raise ValueError(f"damping must be in (0, 1), not {self.damping!r}")

    def rank(self, doc: Document) -> list[int]:
        sentences = list(doc.sentences)
        matrix = tfidf_matrix(sentences, self.stop_words)
        if matrix is None or len(sentences) < 2:
            return list(range(len(sentences)))
        similarity = matrix @ matrix.T
        np.fill_diagonal(similarity, 0.0)
        scores = pagerank(similarity, self.damping)
        # stable: ties keep document order
        return sorted(range(len(sentences)), key=lambda i: (-round(float(scores[i]), 12), i))
