"""Lead baseline."""

from __future__ import annotations

from sumbench.records import Document
from sumbench.summarizers.base import ExtractiveSummarizer


class Lead(ExtractiveSummarizer):
    """The first sentences of the article (lead-k): the strong baseline of news summarization.

    Linear in the article: documents of any size take the same (exact) path.
    """

    version = "1"
    role = "baseline"  # see sumbench.records.ROLES

    def __init__(self, k: int | None = None, max_words: int | None = None, ratio: float | None = None):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio

    def rank(self, doc: Document) -> list[int]:
        return list(range(len(doc.sentences)))
