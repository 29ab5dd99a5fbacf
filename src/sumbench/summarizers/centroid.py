"""Centroid-based extraction (MEAD's centroid score) with optional cross-sentence redundancy filter."""

from __future__ import annotations

from sumbench.records import Document
from sumbench.summarizers._text import ClassicSummarizer, Terms, idf, l2_rows, order


class Centroid(ClassicSummarizer):
    """TF-IDF centroid (Radev et al. 2004, MEAD): ranks sentences by the centroid value of their words.

    The centroid is the document's mean TF-IDF vector (sentences are the IDF collection); a
    sentence scores the sum of the centroid values of its distinct words (MEAD's centroid score,
    which favours long, on-topic sentences). ``redundancy_threshold`` enables MEAD's reranker: a
    sentence whose TF-IDF cosine similarity to an already chosen one exceeds it is moved to the end
    of the ranking. Off (``None``) by default, so exact duplicates can both be chosen.
    """

    version = "1"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        redundancy_threshold: float | None = None,
        stop_words: str | None = "english",
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
