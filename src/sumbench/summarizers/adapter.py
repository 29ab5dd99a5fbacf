"""The one place that knows a summarizer's optional hooks.

A summarizer needs only ``summarize(doc) -> str``. Its optional hooks are looked up once, here, when
:meth:`Plugin.wrap` adapts an instance; no other module inspects a summarizer with ``getattr``:

- ``summarize_batch(docs) -> list[str]`` (:class:`BatchSummarizer`): faster batched summarizing.
- ``version`` (a string attribute): bump it when outputs change, to invalidate cached summaries.
- ``cacheable = False``: never cache (e.g. summaries read from a file).
- ``validate()`` (:class:`Validating`): check parameters; called before any work, raises ``ValueError``.
- ``fingerprint() -> str`` (:class:`Fingerprinting`): extra cache-key material (a model file's hash).
- ``prepare(documents)`` (:class:`Preparing`): called with each chunk of evaluation documents before
  it is summarized (train on first use, refuse training documents by raising ``ValueError``); it
  may be called many times (every chunk, every worker), so it must be idempotent.
- ``train() -> Path`` (:class:`Training`): the explicit training step of ``sumbench train``.

A batch that raises or returns the wrong number of summaries is not silently redone: the
:class:`BatchOutcome` carries a warning with the exception text and how many documents were retried
one by one, so each failing document is named.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from sumbench.errors import PluginError
from sumbench.records import ROLES, Document, Failure, Generation
from sumbench.summarizers.base import Summarizer, get_params

__all__ = [
    "BatchOutcome",
    "BatchSummarizer",
    "Fingerprinting",
    "Plugin",
    "Preparing",
    "Training",
    "Validating",
]


@runtime_checkable
class BatchSummarizer(Protocol):
    def summarize_batch(self, docs: Sequence[Document]) -> Sequence[str]: ...


@runtime_checkable
class Validating(Protocol):
    def validate(self) -> None: ...


@runtime_checkable
class Fingerprinting(Protocol):
    def fingerprint(self) -> str: ...


@runtime_checkable
class Preparing(Protocol):
    def prepare(self, documents: Sequence[Document]) -> None: ...


@runtime_checkable
class Training(Protocol):
    def train(self) -> Path | str: ...


def _hook(instance: object, protocol: type, name: str) -> Callable[..., Any] | None:
    """The bound method ``name`` when ``instance`` implements ``protocol`` with a callable."""
    if isinstance(instance, protocol):
        method = getattr(instance, name)
        return method if callable(method) else None
    return None


@dataclass(frozen=True)
class BatchOutcome:
    """Summaries by document id, the documents that failed, and what went wrong with the batch."""

    summaries: dict[str, str] = field(default_factory=dict)
    failures: tuple[Failure, ...] = ()
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0  # time spent summarizing (where it ran)
    #: How each summary was made, by document id, for summarizers that return a Generation (tokens,
    #: latency, finish reason, model id; cost when the summarizer has prices): see Generation.meta.
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)


def _error_text(exc: BaseException) -> str:
    """``Type: message (file.py:line)`` of the innermost frame."""
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


@dataclass(frozen=True)
class Plugin:
    """A summarizer instance with its optional hooks looked up once."""

    instance: Summarizer
    name: str
    version: str
    cacheable: bool
    role: str
    reports_usage: bool
    batch_hook: Callable[[Sequence[Document]], Sequence[str]] | None
    validate_hook: Callable[[], None] | None
    fingerprint_hook: Callable[[], str] | None
    prepare_hook: Callable[[Sequence[Document]], None] | None
    train_hook: Callable[[], Path | str] | None
    #: Parameters that do not change a summary (concurrency, retries, timeouts, prices, the name of a key's
    #: variable): kept in the manifest, left out of the cache key (class attribute ``cache_exempt``).
    cache_exempt: tuple[str, ...] = ()

    @classmethod
    def wrap(cls, instance: Any, name: str | None = None) -> Plugin:
        """Adapt ``instance``; ``name`` is how errors call it (default: its class name)."""
        if not callable(getattr(instance, "summarize", None)):
            raise PluginError(f"{name or type(instance).__name__} has no summarize(doc) method")
        return cls(
            instance=instance,
            name=name or type(instance).__name__,
            version=str(getattr(instance, "version", "0")),
            cacheable=bool(getattr(instance, "cacheable", True)),
            role=_role(instance, name or type(instance).__name__),
            reports_usage=bool(getattr(instance, "reports_usage", False)),
            cache_exempt=tuple(getattr(instance, "cache_exempt", ())),
            batch_hook=_hook(instance, BatchSummarizer, "summarize_batch"),
            validate_hook=_hook(instance, Validating, "validate"),
            fingerprint_hook=_hook(instance, Fingerprinting, "fingerprint"),
            prepare_hook=_hook(instance, Preparing, "prepare"),
            train_hook=_hook(instance, Training, "train"),
        )

    # --- parameters and identity ----------------------------------------------------------
    def params(self) -> dict[str, Any]:
        """The constructor parameters as stored on the instance (its cache key and provenance)."""
        return get_params(self.instance)

    def validate(self) -> None:
        if self.validate_hook is not None:
            self.validate_hook()

    def fingerprint(self) -> str:
        return str(self.fingerprint_hook()) if self.fingerprint_hook is not None else ""

    def prepare(self, documents: Sequence[Document]) -> None:
        if self.prepare_hook is not None:
            self.prepare_hook(documents)

    @property
    def trainable(self) -> bool:
        return self.train_hook is not None

    def train(self) -> Path:
        if self.train_hook is None:
            raise PluginError(f"summarizer {self.name!r} has no training step")
        return Path(self.train_hook())

    # --- summarizing ----------------------------------------------------------------------
    def summarize(self, doc: Document) -> str:
        return self.generate(doc).text

    def generate(self, doc: Document) -> Generation:
        """``summarize(doc)`` as a :class:`~sumbench.records.Generation` (a bare string has no facts)."""
        return _generation(self.instance.summarize(doc), "summarize()")

    def meta(self, generation: Generation) -> dict[str, Any]:
        """What is stored beside a summary: the generation's facts, plus its cost in US dollars when the
        summarizer has ``price_per_1m_input`` / ``price_per_1m_output`` and the token counts are known."""
        out = generation.meta()
        prices = (
            getattr(self.instance, "price_per_1m_input", None),
            getattr(self.instance, "price_per_1m_output", None),
        )
        tokens = (generation.prompt_tokens, generation.completion_tokens)
        if any(p is not None for p in prices) and all(t is not None for t in tokens):
            out["cost_usd"] = sum(float(p or 0.0) * float(t or 0) / 1e6 for p, t in zip(prices, tokens))
        return out

    def summarize_documents(
        self,
        docs: Sequence[Document],
        label: str,
        tick: Callable[[int], None] = lambda n: None,
        *,
        batch: bool = True,
    ) -> BatchOutcome:
        """Summarize ``docs``; a document whose summarizer raises becomes a recorded failure.

        With ``summarize_batch``, the batch is tried first; if it raises or returns anything but one
        string per document, a warning records why and the documents are retried one by one.
        ``batch=False`` goes one by one from the start.
        """
        started = time.perf_counter()
        warnings: list[str] = []
        if batch and self.batch_hook is not None and docs:
            problem: str | None = None
            try:
                outputs = list(self.batch_hook(list(docs)))
            except Exception as exc:  # noqa: BLE001 - recorded below, then retried one by one
                problem = f"raised {_error_text(exc)}"
            else:
                if len(outputs) != len(docs):
                    problem = f"returned {len(outputs)} summaries for {len(docs)} documents"
                elif not all(isinstance(o, (str, Generation)) for o in outputs):
                    kinds = sorted({type(o).__name__ for o in outputs if not isinstance(o, (str, Generation))})
                    problem = f"returned {', '.join(kinds)} instead of str or Generation"
                else:
                    tick(len(docs))
                    generations = [_generation(o, "summarize_batch()") for o in outputs]
                    summaries = {d.id: g.text for d, g in zip(docs, generations)}
                    meta = {d.id: m for d, g in zip(docs, generations) if (m := self.meta(g))}
                    return BatchOutcome(summaries, seconds=time.perf_counter() - started, meta=meta)
            warnings.append(
                f"summarizer {label!r}: summarize_batch {problem}; retried the {len(docs)} documents one by one"
            )
        made: dict[str, str] = {}
        metas: dict[str, dict[str, Any]] = {}
        failures: list[Failure] = []
        for doc in docs:
            try:
                generation = self.generate(doc)
            except Exception as exc:  # noqa: BLE001 - one failing document never stops the run
                failures.append(Failure(doc.id, label, "summarize", _error_text(exc)))
            else:
                made[doc.id] = generation.text
                meta = self.meta(generation)
                if meta:
                    metas[doc.id] = meta
            tick(1)
        return BatchOutcome(made, tuple(failures), tuple(warnings), time.perf_counter() - started, metas)


def _generation(output: Any, where: str) -> Generation:
    if isinstance(output, Generation):
        if not isinstance(output.text, str):
            raise TypeError(f"{where} returned a Generation whose text is {type(output.text).__name__}, not str")
        return output
    if not isinstance(output, str):
        raise TypeError(f"{where} returned {type(output).__name__}, not str or Generation")
    return Generation(output)


def _role(instance: Any, name: str) -> str:
    """The role a summarizer declares (class attribute ``role``; ``candidate`` when none)."""
    role = getattr(instance, "role", "candidate")
    if role not in ROLES:
        raise PluginError(f"{name} declares role {role!r}; a role is one of {', '.join(ROLES)}")
    return str(role)
