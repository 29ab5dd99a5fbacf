"""The summarizer protocol, parameter introspection and the length budget shared by extractive methods.

A summarizer is any object with ``summarize(doc) -> str`` (optionally ``summarize_batch(docs)``).
Following scikit-learn's rule, constructor arguments are its parameters: ``__init__`` only stores them
under the same names, so :func:`get_params` can read them back for the cache key and the manifest.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from sumbench.languages import word_count
from sumbench.records import Document


@runtime_checkable
class Summarizer(Protocol):
    """What the runner needs: one method. The optional hooks (``summarize_batch``, ``version``,
    ``cacheable``, ``validate``, ``fingerprint``, ``prepare``, ``train``) are described, and looked up
    once, in :mod:`sumbench.summarizers.adapter`.
    """

    def summarize(self, doc: Document) -> str: ...


def get_params(summarizer: Any) -> dict[str, Any]:
    """The constructor parameters of ``summarizer`` as stored on the instance (scikit-learn style)."""
    params = {}
    for name, parameter in inspect.signature(type(summarizer).__init__).parameters.items():
        if name == "self" or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if not hasattr(summarizer, name):
            raise TypeError(
                f"{type(summarizer).__name__} stores no attribute {name!r}: a summarizer's __init__ "
                "must keep each argument under its own name (its parameters are its cache key)"
            )
        params[name] = getattr(summarizer, name)
    return params


@dataclass(frozen=True)
class Budget:
    """How long an extractive summary may be: ``k`` sentences, ``max_words`` words or a ``ratio`` of
    the article's words. Exactly one applies; ``k = 3`` when none is given.

    Words are counted in the document's language (:func:`sumbench.languages.word_count`): whitespace
    words, or for Chinese and Japanese the tokens of their word segmenter."""

    k: int | None = None
    max_words: int | None = None
    ratio: float | None = None

    def __post_init__(self) -> None:
        given = [n for n in ("k", "max_words", "ratio") if getattr(self, n) is not None]
        if len(given) > 1:
            raise ValueError(f"give one budget, not {' and '.join(given)}")
        if self.k is not None and (not isinstance(self.k, int) or self.k < 1):
            raise ValueError(f"k must be a positive integer, not {self.k!r}")
        if self.max_words is not None and (not isinstance(self.max_words, int) or self.max_words < 1):
            raise ValueError(f"max_words must be a positive integer, not {self.max_words!r}")
        if self.ratio is not None and not (0 < self.ratio <= 1):
            raise ValueError(f"ratio must be in (0, 1], not {self.ratio!r}")

    def word_limit(self, doc: Document) -> int | None:
        if self.max_words is not None:
            return self.max_words
        if self.ratio is not None:
            language = doc.language
            return max(1, math.ceil(self.ratio * sum(word_count(s, language) for s in doc.sentences)))
        return None

    def select(self, ranked: Sequence[int], doc: Document) -> list[int]:
        """Take sentences in ``ranked`` order until the budget is spent; return them in document order.

        With a word limit, sentences that would overflow it are passed over for shorter ones further
        down the ranking; at least the top sentence is always kept.
        """
        limit = self.word_limit(doc)
        if limit is None:
            return sorted(ranked[: self.k or 3])
        chosen: list[int] = []
        used = 0
        for index in ranked:
            length = word_count(doc.sentences[index], doc.language)
            if used + length <= limit:
                chosen.append(index)
                used += length
            if used >= limit:
                break
        if not chosen and ranked:
            chosen.append(ranked[0])
        return sorted(chosen)


class ExtractiveSummarizer:
    """Base of sentence-ranking summarizers: subclasses implement :meth:`rank`.

    Subclasses accept ``k``, ``max_words`` and ``ratio`` in ``__init__`` and store them unchanged; the
    summary keeps document order and joins the chosen sentences with newlines.
    """

    k: int | None = None
    max_words: int | None = None
    ratio: float | None = None

    def budget(self) -> Budget:
        k = self.k if (self.k is not None or self.max_words is not None or self.ratio is not None) else 3
        return Budget(k=k, max_words=self.max_words, ratio=self.ratio)

    def validate(self) -> None:
        """Check the parameters (called by the registry before any work)."""
        self.budget()

    def rank(self, doc: Document) -> Sequence[int]:
        """Sentence indices of ``doc``, best first."""
        raise NotImplementedError

    def summarize(self, doc: Document) -> str:
        budget = self.budget()  # validates the parameters even for empty documents
        if not doc.sentences:
            return ""
        ranked = list(self.rank(doc))
        return "\n".join(doc.sentences[i] for i in budget.select(ranked, doc))
