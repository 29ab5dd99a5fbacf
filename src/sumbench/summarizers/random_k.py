"""Random-sentences baseline."""

from __future__ import annotations

import random

from sumbench.records import Document
from sumbench.summarizers.base import ExtractiveSummarizer


class RandomK(ExtractiveSummarizer):
    """Randomly chosen sentences, seeded per document (same seed and document give the same summary).

    Linear in the article: documents of any size take the same (exact) path.
    """

    version = "1"
    role = "lower-bound"  # see sumbench.records.ROLES

    def __init__(self, k: int | None = None, max_words: int | None = None, ratio: float | None = None, seed: int = 0):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.seed = seed

    def rank(self, doc: Document) -> list[int]:
        order = list(range(len(doc.sentences)))
        random.Random(f"{self.seed}:{doc.text_hash}").shuffle(order)
        return order
