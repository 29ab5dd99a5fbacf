"""Conformance check for summarizers: ``check_summarizer(obj)`` raises with a clear message on failure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sumbench.errors import PluginError
from sumbench.records import Document, Generation
from sumbench.summarizers.adapter import Plugin
from sumbench.text import split_sentences

_SAMPLE = (
    "The city council approved a new budget on Tuesday after weeks of debate. "
    "The plan raises spending on schools and roads by 4 percent. "
    "Mayor Ana Ruiz said the vote was a victory for families. "
    "Opponents argued that the budget relies on optimistic tax forecasts. "
    "The council will review the figures again in March."
)


class ConformanceError(AssertionError):
    """A summarizer broke the protocol; the message says which rule and on which document."""


def sample_documents() -> list[Document]:
    """A normal news document, a one-sentence document and a document with no sentences."""
    one = "Officials confirmed the bridge will reopen next week."
    return [
        Document("sample-news", _SAMPLE, tuple(split_sentences(_SAMPLE)), ("The council passed a budget.",)),
        Document("sample-one-sentence", one, (one,), ("The bridge reopens.",)),
        Document("sample-empty", "", (), ("Nothing happened.",)),
    ]


def _text(output: Any) -> Any:
    """A summary's text: a Generation's ``text`` (its latency and the like differ run to run)."""
    return output.text if isinstance(output, Generation) else output


def check_summarizer(summarizer: Any, documents: Sequence[Document] | None = None) -> None:
    """Check the protocol on ``documents`` (default :func:`sample_documents`): ``summarize`` returns a
    ``str``; it is deterministic; zero- and one-sentence documents work; ``summarize_batch`` (if any)
    agrees with ``summarize``; the constructor parameters round-trip (``type(s)(**get_params(s))``
    gives equal parameters and equal summaries)."""
    name = type(summarizer).__name__
    try:
        plugin = Plugin.wrap(summarizer)
        params = plugin.params()
    except (PluginError, TypeError) as exc:
        raise ConformanceError(str(exc)) from exc
    docs = list(documents) if documents is not None else sample_documents()
    twin = Plugin.wrap(type(summarizer)(**params))
    if twin.params() != params:
        raise ConformanceError(f"{name}: parameters do not round-trip: {params} != {twin.params()}")
    plugin.prepare(docs)
    twin.prepare(docs)
    for doc in docs:
        output = summarizer.summarize(doc)
        if not isinstance(output, (str, Generation)):
            raise ConformanceError(
                f"{name}.summarize({doc.id!r}) returned {type(output).__name__}, not str or Generation"
            )
        first = _text(output)
        if _text(summarizer.summarize(doc)) != first:
            raise ConformanceError(f"{name} is not deterministic on {doc.id!r}")
        if _text(twin.instance.summarize(doc)) != first:
            raise ConformanceError(f"{name}: a new instance with the same parameters differs on {doc.id!r}")
    if plugin.batch_hook is not None:
        batched = [_text(o) for o in plugin.batch_hook(docs)]
        single = [_text(summarizer.summarize(d)) for d in docs]
        if batched != single:
            raise ConformanceError(f"{name}.summarize_batch disagrees with summarize")
