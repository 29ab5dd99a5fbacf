"""LexRank: eigenvector centrality in the graph of TF-IDF cosine similarities between sentences."""

from __future__ import annotations

import numpy as np

from sumbench.records import Document
from sumbench.summarizers._text import ClassicSummarizer, Terms, order, pagerank, tfidf_rows


class LexRank(ClassicSummarizer):
    """LexRank (Erkan & Radev 2004): PageRank centrality over the idf-modified-cosine sentence graph.

    Continuous LexRank by default: edge weights are the cosine similarities of the sentences' TF-IDF
    vectors (the sentences are the IDF collection; no self-loops). With ``threshold`` set, the
    thresholded variant: an unweighted edge wherever the similarity exceeds ``threshold`` (the
    paper's best value is 0.1), so a sentence's score is its degree-normalised centrality.
    ``damping`` is the probability of following an edge (the paper's ``1 - d``; ``d = 0.15``).
    """

    version = "1"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        threshold: float | None = None,
        damping: float = 0.85,
        stop_words: str | None = "english",
        stemming: bool = False,
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.threshold = threshold
        self.damping = damping
        self.stop_words = stop_words
        self.stemming = stemming

    def validate(self) -> None:
        super().validate()
        if not 0 < self.damping < 1:
            raise ValueError(f"damping must be in (0, 1), not {self.damping!r}")
        if self.threshold is not None and not 0 <= self.threshold < 1:
            raise ValueError(f"threshold must be None or in [0, 1), not {self.threshold!r}")

    def rank_terms(self, terms: Terms, doc: Document) -> list[int]:
        rows = tfidf_rows(terms.counts)
        similarity = rows @ rows.T
        np.fill_diagonal(similarity, 0.0)
        if self.threshold is not None:
            similarity = (similarity > self.threshold).astype(np.float64)
        return order(pagerank(similarity, self.damping))
