"""KL-Sum: greedy minimisation of the KL divergence between document and summary word distributions."""

from __future__ import annotations

import numpy as np

from sumbench.records import Document
from sumbench.summarizers._text import ClassicSummarizer, Terms, complete, greedy_steps


class KLSum(ClassicSummarizer):
    """KL-Sum (Haghighi & Vanderwende 2009): greedily adds the sentence that most lowers KL(doc || summary).

    The divergence is between the content-word unigram distributions of the document and of the
    summary with the candidate sentence added.

    ``P_summary`` is additively smoothed (``smoothing`` pseudo-counts per vocabulary word) so the
    divergence stays finite. A sentence repeating the summary adds no unseen document word, so it
    lowers the divergence less than one that does: repeats are avoided by construction -- as long as
    the smoothing is small. Small values also reward sentences covering many unseen words (longer
    ones); large values (add-one) make the method frequency-driven and let repeats back in. With 3
    sentences, ROUGE-2 F on 500 BBC articles / the bundled CNN/DailyMail sample was 0.42 / 0.194 for
    smoothing 0.0001, 0.40 / 0.195 for 0.001 (default; 132 words on CNN/DM), 0.35 / 0.187 for 0.01
    (103 words) and 0.53 / 0.220 for 1 (123 words, repeats possible).
    """

    version = "1"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        smoothing: float = 0.001,
        stop_words: str | None = "english",
        stemming: bool = False,
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.smoothing = smoothing
        self.stop_words = stop_words
        self.stemming = stemming

    def validate(self) -> None:
        super().validate()
        if not (isinstance(self.smoothing, (int, float)) and self.smoothing > 0):
            raise ValueError(f"smoothing must be a positive number, not {self.smoothing!r}")

    def rank_terms(self, terms: Terms, doc: Document) -> list[int]:
        counts = terms.counts
        n, n_terms = counts.shape
        lengths = counts.sum(axis=1)
        target = counts.sum(axis=0) / lengths.sum()  # P_document
        summary = np.zeros(n_terms)
        summary_length = 0.0
        pseudo = self.smoothing * n_terms
        available = np.ones(n, dtype=bool)
        picked: list[int] = []
        fit = np.zeros(n)
        for _ in range(greedy_steps(self, doc)):
            # sum_w P(w) log Q(w) for each candidate summary (current summary + sentence i);
            # KL = sum P log P - this, so the best sentence maximises it.
            fit = np.log(summary + counts + self.smoothing) @ target - np.log(summary_length + lengths + pseudo)
            best = int(np.argmax(np.where(available, np.round(fit, 12), -np.inf)))
            picked.append(best)
            available[best] = False
            summary += counts[best]
            summary_length += lengths[best]
        return complete(picked, fit)
