"""Maximal Marginal Relevance: relevance to the document centroid minus redundancy with the summary."""

from __future__ import annotations

import numpy as np

from sumbench.records import Document
from sumbench.summarizers._text import ClassicSummarizer, Terms, complete, greedy_steps, l2_rows, tfidf_rows


class MMR(ClassicSummarizer):
    """Maximal Marginal Relevance (Carbonell & Goldstein 1998): relevance to the centroid minus redundancy.

    Greedily adds the sentence maximising ``lambda_ * sim(s, centroid) - (1 - lambda_) * max sim(s, chosen)``.

    Similarities are cosines of TF-IDF vectors (sentences are the IDF collection); the "query" is the
    document centroid (the normalised mean of the sentence vectors). ``lambda_ = 1`` is plain
    relevance ranking; lower values trade relevance for diversity (``lambda_ = 0.3`` drops a repeated
    sentence).
    """

    version = "1"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        lambda_: float = 0.7,
        stop_words: str | None = "english",
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
        rows = tfidf_rows(terms.counts)
        relevance = l2_rows(rows.mean(axis=0, keepdims=True))[0] @ rows.T
        similarity = rows @ rows.T
        n = len(relevance)
        redundancy = np.zeros(n)
        available = np.ones(n, dtype=bool)
        picked: list[int] = []
        for _ in range(greedy_steps(self, doc)):
            scores = self.lambda_ * relevance - (1 - self.lambda_) * redundancy
            best = int(np.argmax(np.where(available, np.round(scores, 12), -np.inf)))
            picked.append(best)
            available[best] = False
            np.maximum(redundancy, similarity[best], out=redundancy)
        return complete(picked, self.lambda_ * relevance - (1 - self.lambda_) * redundancy)
