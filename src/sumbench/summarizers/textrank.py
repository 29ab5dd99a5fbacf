"""TextRank over TF-IDF sentence similarity."""

from __future__ import annotations

import numpy as np

from sumbench.records import Document
from sumbench.summarizers.base import ExtractiveSummarizer


def pagerank(weights: np.ndarray, damping: float = 0.85, tol: float = 1e-8, max_iter: int = 200) -> np.ndarray:
    """PageRank scores of a weighted graph by power iteration (rows normalised; dangling rows uniform)."""
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    row_sums = weights.sum(axis=1, keepdims=True)
    transition = np.where(row_sums > 0, weights / np.where(row_sums == 0, 1, row_sums), 1.0 / n)
    scores = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        updated = (1 - damping) / n + damping * transition.T @ scores
        if np.abs(updated - scores).sum() < tol:
            return updated
        scores = updated
    return scores


def tfidf_matrix(sentences: list[str], stop_words: str | None = "english"):
    """L2-normalised TF-IDF rows, one per sentence (the document is its own IDF collection)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words=stop_words, token_pattern=r"(?u)\b\w\w+\b", lowercase=True)
    try:
        return vectorizer.fit_transform(sentences)
    except ValueError:  # only stop words or no tokens at all
        return None


class TextRank(ExtractiveSummarizer):
    """TextRank (Mihalcea & Tarau 2004): PageRank over the TF-IDF cosine-similarity graph of sentences."""

    version = "1"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        damping: float = 0.85,
        stop_words: str | None = "english",
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.damping = damping
        self.stop_words = stop_words

    def validate(self) -> None:
        super().validate()
        if not 0 < self.damping < 1:
            raise ValueError(f"damping must be in (0, 1), not {self.damping!r}")

    def rank(self, doc: Document) -> list[int]:
        sentences = list(doc.sentences)
        matrix = tfidf_matrix(sentences, self.stop_words)
        if matrix is None or len(sentences) < 2:
            return list(range(len(sentences)))
        similarity = (matrix @ matrix.T).toarray()
        np.fill_diagonal(similarity, 0.0)
        scores = pagerank(similarity, self.damping)
        # stable: ties keep document order
        return sorted(range(len(sentences)), key=lambda i: (-round(float(scores[i]), 12), i))
