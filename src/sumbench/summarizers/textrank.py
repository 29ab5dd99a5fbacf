"""TextRank with the original word-overlap sentence similarity."""

from __future__ import annotations

import numpy as np

from sumbench.records import Document
from sumbench.summarizers._text import ClassicSummarizer, Terms, order, pagerank, power_pagerank, tfidf_matrix

__all__ = ["TextRank", "pagerank", "tfidf_matrix"]  # the helpers live in _text; re-exported here


def overlap_similarity(terms: Terms) -> np.ndarray:
    """Mihalcea & Tarau's similarity: shared content words / (log |S_i| + log |S_j|), where |S| counts
    every word of the sentence; 0 on the diagonal and where both sentences have one word."""
    present = (terms.counts > 0).astype(np.float64)
    shared = present @ present.T
    logs = _sentence_logs(terms)
    denominator = logs[:, None] + logs[None, :]
    similarity = np.divide(shared, denominator, out=np.zeros_like(shared), where=denominator > 0)
    np.fill_diagonal(similarity, 0.0)
    return similarity


def _sentence_logs(terms: Terms) -> np.ndarray:
    lengths = np.bincount(terms.token_sentences, minlength=terms.n_sentences).astype(np.float64)
    return np.log(np.maximum(lengths, 1.0))


def overlap_pagerank(terms: Terms, damping: float = 0.85) -> np.ndarray:
    """PageRank over :func:`overlap_similarity` for a large (sparse) document, without the n x n matrix.

    ``W[i, j] = shared(i, j) / (l[i] + l[j])`` with ``shared = P P^T`` (``P`` the sparse 0/1
    sentence-term matrix) and ``l`` the log sentence lengths. Sentences with the same length share
    ``l``, and a document has few distinct lengths (53 in a 1 MB article), so ``W @ x`` is exact as
    ``sum_g P (P_g^T x_g) / (l + l_g)`` over the length groups ``g``, minus the diagonal: each
    power-iteration step costs O(non-zero cells x groups) instead of O(n^2).
    """
    from scipy.sparse import csr_matrix

    present = terms.counts.copy()
    present.data[:] = 1.0
    columns = present.T.tocsr()
    n = terms.n_sentences
    logs = _sentence_logs(terms)
    group_logs, group = np.unique(logs, return_inverse=True)
    sums = logs[:, None] + group_logs[None, :]  # (sentences, groups): l[i] + l_g
    inverse = np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)
    distinct = np.diff(present.indptr).astype(np.float64)  # shared(i, i)
    diagonal = np.divide(distinct, 2 * logs, out=np.zeros(n), where=logs > 0)  # W[i, i] before it is zeroed
    by_row = np.arange(n + 1)

    def product(x: np.ndarray) -> np.ndarray:  # W @ x (= W.T @ x: W is symmetric)
        spread = csr_matrix((x, group, by_row), shape=(n, len(group_logs)))  # x[j] in column group[j]
        per_group = present @ (columns @ spread).toarray()  # [i, g] = sum over j in g of shared(i, j) x[j]
        return (per_group * inverse).sum(axis=1) - diagonal * x

    # a sentence has an edge when it shares a term with another sentence and their l sum is positive
    df = np.bincount(present.indices, minlength=terms.n_terms)
    long_rows = np.repeat(logs > 0, distinct.astype(np.intp))
    df_long = np.bincount(present.indices[long_rows], minlength=terms.n_terms)
    linked = np.where(logs > 0, present @ (df > 1).astype(np.float64), present @ (df_long > 0).astype(np.float64)) > 0
    row_sums = np.where(linked, product(np.ones(n)), 0.0)
    return power_pagerank(product, row_sums, damping)


class TextRank(ClassicSummarizer):
    """TextRank (Mihalcea & Tarau 2004): PageRank over the graph of sentences weighted by their
    normalised content-word overlap.

    Large documents (more than 1,000 sentences or 8 million sentence-term cells, see
    :func:`~sumbench.summarizers._text.uses_dense`; a 1 MB article has ~8,000 sentences) would need
    the dense n x n graph (3.2 GB and 80 s for a 1 MB article). They run the same method without it:
    PageRank (power iteration to an L1 tolerance of 1e-13) whose products with the graph are
    computed from the sparse sentence-term matrix, one group of equally long sentences at a time
    (:func:`overlap_pagerank`). Every normal news article takes the exact dense path.
    """

    version = "2"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        damping: float = 0.85,
        stop_words: str | None = "auto",
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

    def large_method(self) -> str:
        return "sparse: the same method, graph products by sentence-length group, power iteration"

    def rank_terms(self, terms: Terms, doc: Document) -> list[int]:
        if terms.sparse:
            return order(overlap_pagerank(terms, self.damping))
        return order(pagerank(overlap_similarity(terms), self.damping))
