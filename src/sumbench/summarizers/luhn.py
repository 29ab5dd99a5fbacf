"""Luhn's auto-abstract: sentences scored by their densest cluster of significant words."""

from __future__ import annotations

import numpy as np

from sumbench.records import Document
from sumbench.summarizers._text import ClassicSummarizer, Terms, dense_vector, order


class Luhn(ClassicSummarizer):
    """Luhn (1958): scores a sentence by its densest cluster of significant (frequent content) words.

    Significant words are content terms (stop words removed) occurring at least ``min_count`` times
    in the document. A cluster is a run of significant words in one sentence where consecutive ones
    are separated by at most ``max_gap`` insignificant words (any word counts, stop words included);
    it scores ``significant_words ** 2 / span`` (span from its first to its last significant word),
    one-word clusters score 0, and a sentence scores its best cluster.

    Luhn's work is linear in the document's words. Large documents (more than 1,000 sentences or 8
    million sentence-term cells, see :func:`~sumbench.summarizers._text.uses_dense`) only count
    their terms in a sparse matrix; the method and its results are the same.
    """

    version = "1"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        min_count: int = 2,
        max_gap: int = 4,
        stop_words: str | None = "auto",
        stemming: bool = False,
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.min_count = min_count
        self.max_gap = max_gap
        self.stop_words = stop_words
        self.stemming = stemming

    def validate(self) -> None:
        super().validate()
        if not isinstance(self.min_count, int) or self.min_count < 1:
            raise ValueError(f"min_count must be a positive integer, not {self.min_count!r}")
        if not isinstance(self.max_gap, int) or self.max_gap < 0:
            raise ValueError(f"max_gap must be a non-negative integer, not {self.max_gap!r}")

    def rank_terms(self, terms: Terms, doc: Document) -> list[int]:
        scores = np.zeros(terms.n_sentences)
        frequencies = dense_vector(terms.counts.sum(axis=0)) if terms.sparse else terms.counts.sum(axis=0)
        significant_terms = np.append(frequencies >= self.min_count, False)  # [-1] -> False
        positions = np.flatnonzero(significant_terms[terms.token_terms])
        if positions.size:
            sentence = terms.token_sentences[positions]
            starts = np.ones(positions.size, dtype=bool)
            starts[1:] = (sentence[1:] != sentence[:-1]) | (np.diff(positions) - 1 > self.max_gap)
            first = np.flatnonzero(starts)
            last = np.append(first[1:], positions.size) - 1
            words = last - first + 1
            span = positions[last] - positions[first] + 1
            cluster = np.where(words > 1, words**2 / span, 0.0)
            np.maximum.at(scores, sentence[first], cluster)
        return order(scores)
