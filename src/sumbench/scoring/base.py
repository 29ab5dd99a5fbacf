"""What a metric is: one method over a batch of (summary, references, article), its declared output
columns and a signature string.

Metrics register like summarizers (entry-point group ``sumbench.metrics``; a suite may also name
``module:Class`` or ``path/file.py:Class``, see :mod:`sumbench.scoring.registry`). ROUGE, lengths,
extractiveness, BERTScore and the fact checks are built-ins of this same interface. A metric follows
the summarizers' rule: constructor arguments are its parameters and provenance (no work in
``__init__``; a model loads on first use), so an instance can be sent to a worker process.

A minimal metric::

    class SummaryWords:
        columns = ("summary_words",)

        def __init__(self, per: int = 1):
            self.per = per

        def signature(self) -> str:
            return f"summary-words|per:{self.per}|v1"

        def score_batch(self, items):
            return [{"summary_words": len(item.summary.split()) / self.per} for item in items]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["Metric", "MetricItem", "MetricResult"]


@dataclass(frozen=True)
class MetricItem:
    """One summary to score: its document and system, its text, the document's references and article."""

    doc_id: str
    system: str
    summary: str
    references: tuple[str, ...]
    article: str
    #: The document's language (ISO 639-1; :mod:`sumbench.languages` has its tokenizer and stemmer).
    language: str = "en"


#: What a metric gives back per item: its values by column (a subset of its ``columns``; a column left
#: out, or NaN, means "undefined for this summary", e.g. the share of unsupported numbers of a summary
#: with no number), or the exception that stopped it on that item (recorded as that pair's failure).
MetricResult = Mapping[str, float] | Exception


@runtime_checkable
class Metric(Protocol):
    """A per-summary metric. ``columns`` are the ``scores.csv`` columns it writes (names unique across
    a suite's metrics); ``signature()`` names every setting its numbers depend on (the run manifest
    records it); ``score_batch`` returns one :data:`MetricResult` per item, in order. Raising from
    ``score_batch`` is allowed too: the batch is then scored item by item to find the failing ones.

    Optional: ``validate()`` (raise ``ValueError`` for a bad parameter; runs when a suite is resolved) and
    ``lower_is_better`` (the columns where a lower value means a better summary, e.g. counts of errors:
    a meta-evaluation negates them, so that for every metric a positive correlation means agreement)."""

    @property
    def columns(self) -> Sequence[str]: ...

    def signature(self) -> str: ...

    def score_batch(self, items: Sequence[MetricItem]) -> Sequence[MetricResult]: ...
