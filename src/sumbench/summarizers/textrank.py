"""TextRank with the original word-overlap sentence similarity."""

from __future__ import annotations

import numpy as np

from sumbench.records import Document
from sumbench.summarizers._text import ClassicSummarizer, Terms, order, pagerank, tfidf_matrix

__all__ = ["TextRank", "pagerank", "tfidf_matrix"]  # the helpers live in _text; re-exported here


def overlap_similarity(terms: Terms) -> np.ndarray:
    """Mihalcea & Tarau's similarity: shared content words / (log |S_i| + log |S_j|), where |S| counts
    every word of the sentence; 0 on the diagonal and where both sentences have one word."""
    present = (terms.counts > 0).astype(np.float64)
    shared = present @ present.T
    lengths = np.bincount(terms.token_sentences, minlength=terms.n_sentences).astype(np.float64)
    logs = np.log(np.maximum(lengths, 1.0))
    denominator = logs[:, None] + logs[None, :]
    similarity = np.divide(shared, denominator, out=np.zeros_like(shared), where=denominator > 0)
    np.fill_diagonal(similarity, 0.0)
    return similarity


class TextRank(ClassicSummarizer):
    """TextRank (Mihalcea & Tarau 2004): PageRank over the graph of sentences weighted by their
    normalised content-word overlap."""

    version = "2"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        damping: float = 0.85,
        stop_words: str | None = "english",
        stemming: bool = False,
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.damping = damping
        self.stop_words = stop_words
        self.stemming = stemming

    def validate(self) -> None:
        super().validate()
        if not 0 < self.damping < 1:
            raise ValueError(f"damping must be in (0, 1), not {self.damping!r}")

    def rank_terms(self, terms: Terms, doc: Document) -> list[int]:
        return order(pagerank(overlap_similarity(terms), self.damping))
