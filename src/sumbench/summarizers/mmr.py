"""Maximal Marginal Relevance: relevance to the document centroid minus redundancy with the summary."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sumbench.records import Document
from sumbench.summarizers._text import (
    ClassicSummarizer,
    CosineRows,
    Terms,
    complete,
    dense_vector,
    greedy_steps,
    l2_rows,
    sparse_tfidf_rows,
    tfidf_rows,
)


class MMR(ClassicSummarizer):
    """Maximal Marginal Relevance (Carbonell & Goldstein 1998): relevance to the centroid minus redundancy.

    Greedily adds the sentence maximising ``lambda_ * sim(s, centroid) - (1 - lambda_) * max sim(s, chosen)``.

    Similarities are cosines of TF-IDF vectors (sentences are the IDF collection); the "query" is the
    document centroid (the normalised mean of the sentence vectors). ``lambda_ = 1`` is plain
    relevance ranking; lower values trade relevance for diversity (``lambda_ = 0.3`` drops a repeated
    sentence).

    Large documents (more than 1,000 sentences or 8 million sentence-term cells, see
    :func:`~sumbench.summarizers._text.uses_dense`; a 1 MB article has ~8,000 sentences) run the
    same method on sparse TF-IDF rows, computing one row of similarities per pick instead of the
    n x n matrix.
    """

    version = "1"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        lambda_: float = 0.7,
        stop_words: str | None = "auto",
        stemming: bool = False,
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.lambda_ = lambda_
        self.stop_words = stop_words
        self.stemming = stemming

    def validate(self) -> None:
        super().validate()
        if not 0 <= self.lambda_ <= 1:
            raise ValueError(f"lambda_ must be in [0, 1], not {self.lambda_!r}")

    def rank_terms(self, terms: Terms, doc: Document) -> list[int]:
        if terms.sparse:
            return self._greedy(*_sparse_relevance(terms), doc)
        rows = tfidf_rows(terms.counts)
        relevance = l2_rows(rows.mean(axis=0, keepdims=True))[0] @ rows.T
        similarity = rows @ rows.T
        return self._greedy(relevance, similarity.__getitem__, doc)

    def _greedy(self, relevance: np.ndarray, similarities: Callable[[int], np.ndarray], doc: Document) -> list[int]:
        """The MMR picks; ``similarities(i)`` is sentence ``i``'s row of the similarity matrix."""
        n = len(relevance)
        redundancy = np.zeros(n)
        available = np.ones(n, dtype=bool)
        picked: list[int] = []
        for _ in range(greedy_steps(self, doc)):
            scores = self.lambda_ * relevance - (1 - self.lambda_) * redundancy
            best = int(np.argmax(np.where(available, np.round(scores, 12), -np.inf)))
            picked.append(best)
            available[best] = False
            np.maximum(redundancy, similarities(best), out=redundancy)
        return complete(picked, self.lambda_ * relevance - (1 - self.lambda_) * redundancy)


def _sparse_relevance(terms: Terms) -> tuple[np.ndarray, CosineRows]:
    """A large document's relevance (cosine to the normalised centroid) and its similarity rows."""
    rows = sparse_tfidf_rows(terms.counts)
    centroid = dense_vector(rows.sum(axis=0)) / terms.n_sentences
    norm = np.sqrt(centroid @ centroid)
    relevance = rows.dot(centroid / norm if norm > 0 else centroid)
    return relevance, CosineRows(rows)
