"""Centroid-based extraction (MEAD's centroid score) with optional cross-sentence redundancy filter."""

from __future__ import annotations

import numpy as np

from sumbench.records import Document
from sumbench.summarizers._text import (
    ClassicSummarizer,
    CosineRows,
    Terms,
    dense_vector,
    idf,
    l2_rows,
    order,
    scale_columns,
    sparse_idf,
    sparse_l2_rows,
)


class Centroid(ClassicSummarizer):
    """TF-IDF centroid (Radev et al. 2004, MEAD): ranks sentences by the centroid value of their words.

    The centroid is the document's mean TF-IDF vector (sentences are the IDF collection); a
    sentence scores the sum of the centroid values of its distinct words (MEAD's centroid score,
    which favours long, on-topic sentences). ``redundancy_threshold`` enables MEAD's reranker: a
    sentence whose TF-IDF cosine similarity to an already chosen one exceeds it is moved to the end
    of the ranking. Off (``None``) by default, so exact duplicates can both be chosen.

    Large documents (more than 1,000 sentences or 8 million sentence-term cells, see
    :func:`~sumbench.summarizers._text.uses_dense`; a 1 MB article has ~8,000 sentences) run the
    same method on sparse matrices; the reranker computes one row of similarities per kept sentence
    instead of the n x n matrix.
    """

    version = "1"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        redundancy_threshold: float | None = None,
        stop_words: str | None = "auto",
        stemming: bool = False,
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.redundancy_threshold = redundancy_threshold
        self.stop_words = stop_words
        self.stemming = stemming

    def validate(self) -> None:
        super().validate()
        if self.redundancy_threshold is not None and not 0 < self.redundancy_threshold <= 1:
            raise ValueError(f"redundancy_threshold must be None or in (0, 1], not {self.redundancy_threshold!r}")

    def rank_terms(self, terms: Terms, doc: Document) -> list[int]:
        if terms.sparse:
            return self._rank_sparse(terms)
        weighted = terms.counts * idf(terms.counts)
        centroid = weighted.mean(axis=0)
        scores = (terms.counts > 0) @ centroid
        ranking = order(scores)
        if self.redundancy_threshold is None:
            return ranking
        rows = l2_rows(weighted)
        similarity = rows @ rows.T
        kept: list[int] = []
        dropped: list[int] = []
        for i in ranking:
            if kept and similarity[i, kept].max() > self.redundancy_threshold:
                dropped.append(i)
            else:
                kept.append(i)
        return kept + dropped

    def _rank_sparse(self, terms: Terms) -> list[int]:
        weighted = scale_columns(terms.counts, sparse_idf(terms.counts))
        centroid = dense_vector(weighted.sum(axis=0)) / terms.n_sentences
        present = terms.counts.copy()
        present.data[:] = 1.0
        ranking = order(present.dot(centroid))
        if self.redundancy_threshold is None:
            return ranking
        cosines = CosineRows(sparse_l2_rows(weighted))
        closest = np.zeros(terms.n_sentences)  # each sentence's highest similarity to a kept one
        kept: list[int] = []
        dropped: list[int] = []
        for i in ranking:
            if kept and closest[i] > self.redundancy_threshold:
                dropped.append(i)
            else:
                kept.append(i)
                np.maximum(closest, cosines(i), out=closest)
        return kept + dropped
