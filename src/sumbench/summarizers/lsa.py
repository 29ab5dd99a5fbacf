"""Latent semantic analysis: sentences ranked by their weight in the document's main latent topics."""

from __future__ import annotations

from typing import Any

import numpy as np

from sumbench.records import Document
from sumbench.summarizers._text import ClassicSummarizer, Terms, complete, idf, order, scale_columns, sparse_idf

VARIANTS = ("steinberger-jezek", "gong-liu")
WEIGHTINGS = ("tf", "binary", "tfidf")
# Up to this many sentences the SVD is read off the eigen-decomposition of the small sentence Gram
# matrix (exact and ~20x cheaper than an estimator); beyond it a truncated SVD (ARPACK) is used.
_EXACT_LIMIT = 400
# Topics the truncated SVD computes when n_topics is None (those of at least half the largest
# singular value are kept, as in the exact path, but at most this many).
_TRUNCATED_TOPICS = 20


class LSA(ClassicSummarizer):
    """LSA (Steinberger & Jezek 2004; Gong & Liu 2001): ranks sentences by the SVD of the term-sentence matrix.

    ``variant="steinberger-jezek"`` (default) scores sentence ``i`` by the length of its vector in
    the reduced topic space, ``sqrt(sum_k sigma_k**2 * v_ik**2)`` over the kept topics, so a
    sentence that is strong in several important topics wins. ``variant="gong-liu"`` takes, for
    each topic in order of singular value, the sentence with the largest (absolute) weight in it,
    then ranks the rest by the Steinberger-Jezek score. ``n_topics`` topics are kept; by default
    (``None``) those whose singular value is at least half the largest.

    ``weighting`` fills the term-sentence matrix with raw counts (``"tf"``, default), 0/1
    (``"binary"``) or counts times the smoothed IDF with the sentences as the collection
    (``"tfidf"``). On 500 BBC articles (3 sentences, ROUGE-2 F) tf scored 0.39, binary 0.38 and
    tfidf 0.34; one topic (``n_topics=1``) scored 0.52 with tf.

    The right singular vectors and singular values are computed exactly from the eigen-decomposition
    of the sentence Gram matrix for documents of up to 400 sentences. Beyond that only the largest
    ``n_topics`` (by default 20) are computed, by a truncated SVD of the sparse matrix (ARPACK through
    ``scipy.sparse.linalg.svds``, seeded start vector): memory O(non-zero cells), ~1 s for a 1 MB
    article (~8,000 sentences). Documents past :func:`~sumbench.summarizers._text.uses_dense` (1,000
    sentences or 8 million sentence-term cells) also keep the matrix sparse from the start. Every
    normal news article takes the exact path.
    """

    version = "2"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        variant: str = "steinberger-jezek",
        n_topics: int | None = None,
        weighting: str = "tf",
        stop_words: str | None = "auto",
        stemming: bool = False,
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.variant = variant
        self.n_topics = n_topics
        self.weighting = weighting
        self.stop_words = stop_words
        self.stemming = stemming

    def validate(self) -> None:
        super().validate()
        if self.variant not in VARIANTS:
            raise ValueError(f"variant must be one of {', '.join(VARIANTS)}, not {self.variant!r}")
        if self.n_topics is not None and (not isinstance(self.n_topics, int) or self.n_topics < 1):
            raise ValueError(f"n_topics must be None or a positive integer, not {self.n_topics!r}")
        if self.weighting not in WEIGHTINGS:
            raise ValueError(f"weighting must be one of {', '.join(WEIGHTINGS)}, not {self.weighting!r}")

    def large_method(self) -> str:
        return f"bounded: truncated SVD, {self.n_topics or _TRUNCATED_TOPICS} topics (ARPACK)"

    def ranking_method(self, doc: Document) -> str:
        if len(doc.sentences) <= _EXACT_LIMIT:
            return super().ranking_method(doc)
        return self.large_method()

    def rank_terms(self, terms: Terms, doc: Document) -> list[int]:
        weighted = terms.counts  # sentences x terms: the term-sentence matrix, transposed
        if terms.sparse:
            weighted = _sparse_weighting(weighted, self.weighting)
        elif self.weighting == "binary":
            weighted = (weighted > 0).astype(np.float64)
        elif self.weighting == "tfidf":
            weighted = weighted * idf(weighted)
        sigma, topics = _sentence_topics(weighted, self.n_topics)
        if self.n_topics is None:
            keep = sigma >= sigma[0] / 2 if sigma.size and sigma[0] > 0 else np.zeros(sigma.size, dtype=bool)
            sigma, topics = sigma[keep], topics[:, keep]
        else:
            sigma, topics = sigma[: self.n_topics], topics[:, : self.n_topics]
        scores = np.sqrt((topics**2) @ (sigma**2))
        if self.variant == "steinberger-jezek":
            return order(scores)
        picked: list[int] = []
        for column in np.abs(topics).T:
            column = np.round(column, 12)
            column[picked] = -1.0
            best = int(np.argmax(column))
            if column[best] >= 0:
                picked.append(best)
        return complete(picked, scores)


def _sparse_weighting(counts: Any, weighting: str) -> Any:
    """The weighted matrix of a sparse document (:meth:`LSA.rank_terms`' weightings, on CSR)."""
    if weighting == "binary":
        binary = counts.copy()
        binary.data[:] = 1.0
        return binary
    if weighting == "tfidf":
        return scale_columns(counts, sparse_idf(counts))
    return counts


def _sentence_topics(weighted: Any, n_topics: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Singular values (descending) and right singular vectors (columns, one per topic, over the
    sentences) of the term-sentence matrix ``weighted.T`` (``weighted``: dense or CSR)."""
    n = weighted.shape[0]
    dense = isinstance(weighted, np.ndarray)
    if n <= _EXACT_LIMIT or min(weighted.shape) < 3:
        if not dense and min(weighted.shape) < 3:  # a large document with one or two terms
            vectors, sigma, _ = np.linalg.svd(weighted.toarray(), full_matrices=False)
            return sigma, vectors
        gram = weighted @ weighted.T if dense else (weighted @ weighted.T).toarray()
        eigenvalues, vectors = np.linalg.eigh(gram)
        eigenvalues, vectors = eigenvalues[::-1], vectors[:, ::-1]
        sigma = np.sqrt(np.clip(eigenvalues, 0.0, None))
        return sigma, vectors
    from scipy.sparse import csr_matrix
    from scipy.sparse.linalg import svds

    matrix = csr_matrix(weighted)
    components = min(n_topics or _TRUNCATED_TOPICS, min(matrix.shape) - 1)
    start = np.random.default_rng(0).standard_normal(min(matrix.shape))  # ARPACK's own start is not reproducible
    vectors, sigma, _ = svds(matrix, k=components, v0=start, solver="arpack")
    by_size = np.argsort(-sigma, kind="stable")
    return sigma[by_size], vectors[:, by_size]  # vectors: (n_sentences, components), left of weighted
