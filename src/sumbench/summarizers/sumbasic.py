"""SumBasic: word-probability sentence scoring with the probability-squaring redundancy update."""

from __future__ import annotations

import numpy as np

from sumbench.records import Document
from sumbench.summarizers._text import ClassicSummarizer, Terms, complete, dense_vector, greedy_steps


class SumBasic(ClassicSummarizer):
    """SumBasic (Nenkova & Vanderwende 2005): frequent-word sentences, squaring the probability of used words.

    ``p(w)`` is the word's share of the document's content tokens; a sentence scores the mean
    ``p(w)`` over its content tokens. Each step picks the best-scoring sentence -- with
    ``top_word=True`` (the paper's step 3) among the sentences containing the most probable word
    still available -- then sets ``p(w) <- p(w) ** 2`` for every word of the pick, so repeated
    content loses its weight.

    Large documents (more than 1,000 sentences or 8 million sentence-term cells, see
    :func:`~sumbench.summarizers._text.uses_dense`; a 1 MB article has ~8,000 sentences) run the
    same method on a sparse count matrix: each step costs O(non-zero cells), not O(sentences x terms).
    """

    version = "1"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        top_word: bool = True,
        stop_words: str | None = "auto",
        stemming: bool = False,
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.top_word = top_word
        self.stop_words = stop_words
        self.stemming = stemming

    def validate(self) -> None:
        super().validate()
        if not isinstance(self.top_word, bool):
            raise ValueError(f"top_word must be True or False, not {self.top_word!r}")

    def rank_terms(self, terms: Terms, doc: Document) -> list[int]:
        if terms.sparse:
            return self._rank_sparse(terms, doc)
        counts = terms.counts
        lengths = counts.sum(axis=1)
        probability = counts.sum(axis=0) / lengths.sum()
        inverse_lengths = 1.0 / np.where(lengths == 0, 1.0, lengths)
        present = counts > 0
        in_play = present.sum(axis=0)  # how many unpicked sentences hold each word
        available = np.ones(len(lengths), dtype=bool)
        picked: list[int] = []
        for _ in range(greedy_steps(self, doc)):
            scores = np.round((counts @ probability) * inverse_lengths, 12)
            candidates = available
            if self.top_word and in_play.any():
                word = int(np.argmax(np.where(in_play > 0, probability, -1.0)))
                candidates = available & present[:, word]
            best = int(np.argmax(np.where(candidates, scores, -np.inf)))
            picked.append(best)
            available[best] = False
            used = present[best]
            in_play -= used
            probability[used] **= 2
        return complete(picked, (counts @ probability) * inverse_lengths)

    def _rank_sparse(self, terms: Terms, doc: Document) -> list[int]:
        counts = terms.counts  # CSR
        by_word = counts.tocsc()
        lengths = dense_vector(counts.sum(axis=1))
        probability = dense_vector(counts.sum(axis=0)) / lengths.sum()
        inverse_lengths = 1.0 / np.where(lengths == 0, 1.0, lengths)
        in_play = np.diff(by_word.indptr)  # how many unpicked sentences hold each word
        available = np.ones(len(lengths), dtype=bool)
        picked: list[int] = []
        for _ in range(greedy_steps(self, doc)):
            scores = np.round(counts.dot(probability) * inverse_lengths, 12)
            candidates = available
            if self.top_word and in_play.any():
                word = int(np.argmax(np.where(in_play > 0, probability, -1.0)))
                holders = np.zeros(len(lengths), dtype=bool)
                holders[by_word.indices[by_word.indptr[word] : by_word.indptr[word + 1]]] = True
                candidates = available & holders
            best = int(np.argmax(np.where(candidates, scores, -np.inf)))
            picked.append(best)
            available[best] = False
            used = counts.indices[counts.indptr[best] : counts.indptr[best + 1]]
            in_play[used] -= 1
            probability[used] **= 2
        return complete(picked, counts.dot(probability) * inverse_lengths)
