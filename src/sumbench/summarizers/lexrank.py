"""LexRank: eigenvector centrality in the graph of TF-IDF cosine similarities between sentences."""

from __future__ import annotations

from typing import Any

import numpy as np

from sumbench.records import Document
from sumbench.summarizers._text import (
    GRAPH_NEIGHBOURS,
    ClassicSummarizer,
    Terms,
    dense_vector,
    neighbour_graph,
    order,
    pagerank,
    power_pagerank,
    sparse_pagerank,
    sparse_tfidf_rows,
    tfidf_rows,
)


class LexRank(ClassicSummarizer):
    """LexRank (Erkan & Radev 2004): PageRank centrality over the idf-modified-cosine sentence graph.

    Continuous LexRank by default: edge weights are the cosine similarities of the sentences' TF-IDF
    vectors (the sentences are the IDF collection; no self-loops). With ``threshold`` set, the
    thresholded variant: an unweighted edge wherever the similarity exceeds ``threshold`` (the
    paper's best value is 0.1), so a sentence's score is its degree-normalised centrality.
    ``damping`` is the probability of following an edge (the paper's ``1 - d``; ``d = 0.15``).

    Large documents (more than 1,000 sentences or 8 million sentence-term cells, see
    :func:`~sumbench.summarizers._text.uses_dense`; a 1 MB article has ~8,000 sentences) never build
    the dense n x n similarity matrix. Continuous LexRank stays the same method: the similarity matrix
    is ``R R^T`` minus its diagonal for the sparse TF-IDF rows ``R``, so each power-iteration step is
    two sparse products (PageRank to an L1 tolerance of 1e-13). Thresholded LexRank builds its graph
    block by block as a sparse matrix, bounded to each sentence's 500 most similar neighbours above
    ``threshold`` (``GRAPH_NEIGHBOURS``; an edge kept by either end is kept): memory O(sentences x
    500), and the exact graph unless a sentence has more neighbours than that (at ``threshold=0.1``
    the busiest sentence of a 1 MB article has 388). Every normal news article takes the exact dense
    path.
    """

    version = "2"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        threshold: float | None = None,
        damping: float = 0.85,
        stop_words: str | None = "auto",
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

    def large_method(self) -> str:
        if self.threshold is None:
            return "sparse: the same method, similarity products R(R^T x), power iteration"
        return f"bounded: thresholded graph, at most {GRAPH_NEIGHBOURS} neighbours a sentence, power iteration"

    def rank_terms(self, terms: Terms, doc: Document) -> list[int]:
        if terms.sparse:
            return self._rank_sparse(terms)
        rows = tfidf_rows(terms.counts)
        similarity = rows @ rows.T
        np.fill_diagonal(similarity, 0.0)
        if self.threshold is not None:
            similarity = (similarity > self.threshold).astype(np.float64)
        return order(pagerank(similarity, self.damping))

    def _rank_sparse(self, terms: Terms) -> list[int]:
        rows = sparse_tfidf_rows(terms.counts)
        columns = rows.T.tocsr()
        n = terms.n_sentences
        if self.threshold is not None:

            def similarity_rows(start: int, stop: int) -> Any:
                return rows[start:stop] @ columns

            graph = neighbour_graph(similarity_rows, n, GRAPH_NEIGHBOURS, self.threshold)
            return order(sparse_pagerank(graph, self.damping))
        # weights = R R^T - diag(R R^T): symmetric, so weights.T @ x = R (R^T x) - self * x
        self_similarity = dense_vector(rows.multiply(rows).sum(axis=1))  # 1, or 0 for a sentence without terms
        df = np.bincount(rows.indices, minlength=rows.shape[1])
        shares = rows.dot((df > 1).astype(np.float64)) > 0  # has an edge: a term some other sentence has
        row_sums = np.where(shares, rows.dot(columns.dot(np.ones(n))) - self_similarity, 0.0)

        def product(x: np.ndarray) -> np.ndarray:
            return rows.dot(columns.dot(x)) - self_similarity * x

        return order(power_pagerank(product, row_sums, self.damping))
