"""Immutable records passed between the stages of a run: corpus -> summaries -> scores -> aggregates."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

#: What a summarizer is in a comparison. ``candidate`` (the default) competes; ``baseline`` is what
#: candidates must beat (it is ranked, and marked); ``upper-bound`` (an oracle that reads the references)
#: and ``lower-bound`` (random sentences) are reference points, drawn as lines and never ranked.
ROLES = ("candidate", "baseline", "upper-bound", "lower-bound")
BOUND_ROLES = ("upper-bound", "lower-bound")


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class Document:
    """One article with its reference summaries (always a tuple: multi-reference everywhere)."""

    id: str
    text: str
    sentences: tuple[str, ...]
    references: tuple[str, ...]
    title: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    group: str | None = None  # the corpus's group_field value (or id pattern match), if it names one
    #: ISO 639-1 code: which tokenizer, stemmer, sentence splitter and stop words apply
    #: (:mod:`sumbench.languages`); ``sentences`` were split with that language's splitter.
    language: str = "en"

    def __post_init__(self) -> None:
        object.__setattr__(self, "sentences", tuple(self.sentences))
        object.__setattr__(self, "references", tuple(self.references))
        object.__setattr__(self, "meta", _frozen_mapping(self.meta))

    def __reduce__(self) -> tuple[Any, ...]:
        # a read-only mapping does not pickle: rebuild from a plain dict (worker processes need this)
        return (
            Document,
            (
                self.id,
                self.text,
                self.sentences,
                self.references,
                self.title,
                dict(self.meta),
                self.group,
                self.language,
            ),
        )

    @property
    def text_hash(self) -> str:
        """SHA-256 of the article text (seeds of random choices, training-overlap checks)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def cache_hash(self) -> str:
        """The document's part of a summary cache key: :attr:`text_hash` for English, else the hash of the
        language and the text (the same article read as another language splits, tokenizes and stems
        differently, so its summaries differ)."""
        if self.language == "en":
            return self.text_hash
        return hashlib.sha256(f"{self.language}\x00{self.text}".encode()).hexdigest()


@dataclass(frozen=True)
class Generation:
    """A summary with the facts of how a model made it: what an LLM summarizer may return from
    ``summarize`` instead of a bare string (the runner keeps these in ``summaries.jsonl`` and
    ``scores.csv``; a bare string has none of them).

    ``prompt_tokens`` / ``completion_tokens``: as the model or server counted them; ``latency_s``: wall
    seconds of the request (retries included); ``finish_reason``: ``stop``, ``length`` (cut off at
    ``max_tokens``), ``content_filter``...; ``model``: the model id the server reports; ``truncated``:
    the article was cut to fit the context window; ``retries``: requests retried before this answer.
    """

    text: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_s: float | None = None
    finish_reason: str | None = None
    model: str | None = None
    truncated: bool = False
    retries: int = 0

    def meta(self) -> dict[str, Any]:
        """The facts other than the text, without the empty ones (as stored beside a summary)."""
        out: dict[str, Any] = {}
        for name in ("prompt_tokens", "completion_tokens", "latency_s", "finish_reason", "model"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.truncated:
            out["truncated"] = True
        if self.retries:
            out["retries"] = self.retries
        return out


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus: documents in a fixed order plus where they came from."""

    name: str
    source: str
    documents: tuple[Document, ...]
    skipped: tuple[Failure, ...] = ()

    @property
    def fingerprint(self) -> str:
        """SHA-256 over ids, texts and references: two corpora with equal fingerprints score equally."""
        digest = hashlib.sha256()
        for doc in self.documents:
            for part in (doc.id, doc.text, *doc.references):
                digest.update(part.encode("utf-8"))
                digest.update(b"\x00")
            digest.update(b"\x01")
        return digest.hexdigest()

    @property
    def references_per_document(self) -> float:
        if not self.documents:
            return 0.0
        return sum(len(d.references) for d in self.documents) / len(self.documents)


@dataclass(frozen=True)
class Summary:
    """A system's summary of one document; ``meta`` holds how a model made it (a
    :meth:`Generation.meta`: tokens, latency, finish reason, model id, cost), empty for a bare string."""

    doc_id: str
    system: str
    text: str
    cached: bool = False
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    sample: int = 0  # which sample of a summarizer with samples > 1 (0: the first, shown in reports)

    def __post_init__(self) -> None:
        object.__setattr__(self, "meta", _frozen_mapping(self.meta))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Summary, (self.doc_id, self.system, self.text, self.cached, dict(self.meta), self.sample))


@dataclass(frozen=True)
class Failure:
    """A document that failed at some stage; recorded in the run instead of crashing it. ``doc_id`` is
    None only for a corpus record unreadable enough to have no id; ``system`` is None at the load stage."""

    doc_id: str | None
    system: str | None
    stage: str
    error: str


@dataclass(frozen=True)
class DocumentScores:
    """Every metric value of one system on one document (kept so statistics can resample them)."""

    doc_id: str
    system: str
    values: Mapping[str, float]

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _frozen_mapping(self.values))

    def __reduce__(self) -> tuple[Any, ...]:
        return (DocumentScores, (self.doc_id, self.system, dict(self.values)))


@dataclass(frozen=True)
class Aggregate:
    """Mean of one metric for one system with its bootstrap confidence interval, over the run's common
    set (the documents scored for every system that has at least one scored document): ``n`` is the
    number of those documents with a value.  ``own_mean``/``own_n`` are the mean over every document
    scored for this system (its own coverage); without them (older run folders) they equal
    ``mean``/``n``."""

    system: str
    metric: str
    mean: float
    ci_low: float
    ci_high: float
    n: int
    own_mean: float = math.nan
    own_n: int = -1

    def __post_init__(self) -> None:
        if self.own_n < 0:  # not given: the common-set numbers are all there is
            object.__setattr__(self, "own_mean", self.mean)
            object.__setattr__(self, "own_n", self.n)
