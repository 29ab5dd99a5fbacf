"""Junk detection: summaries that are not summaries, counted per system (numbers only, no prose).

A summary is *junk* when it is empty, only whitespace, or has no letter or digit in any script (``".\\n!\\n! '"``,
the kind KL-Sum returns on some documents); a system is *constant* when it gave the same summary for every
document (two or more). The runner counts both while it streams (:class:`QualityCounter`, memory bounded by
a few examples per system), records them on each system's manifest entry and warns; the reports show them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sumbench.records import Summary

__all__ = ["JUNK_KINDS", "MAX_EXAMPLES", "QualityCounter", "SystemQuality", "junk_kind"]

#: The kinds of junk summary, in the order they are checked.
JUNK_KINDS = ("empty", "whitespace", "punctuation")
#: How many example document ids are kept per system.
MAX_EXAMPLES = 3


def junk_kind(text: str) -> str | None:
    """``"empty"``, ``"whitespace"`` (only whitespace), ``"punctuation"`` (no letter or digit of any script)
    or None for a text with at least one letter or digit."""
    if not text:
        return "empty"
    if not text.strip():
        return "whitespace"
    if not any(ch.isalnum() for ch in text):
        return "punctuation"
    return None


@dataclass(frozen=True)
class SystemQuality:
    """Junk counts of one system: summaries seen, junk per kind, whether every summary was the same text
    (``constant``, with two or more summaries) and a few example document ids of junk."""

    summaries: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)
    constant: bool = False
    examples: tuple[str, ...] = ()

    @property
    def junk(self) -> int:
        return sum(self.counts.values())


class QualityCounter:
    """Counts :class:`SystemQuality` per system as summaries stream past (call :meth:`add` per chunk)."""

    def __init__(self) -> None:
        self._n: dict[str, int] = {}
        self._counts: dict[str, dict[str, int]] = {}
        self._examples: dict[str, list[str]] = {}
        self._first: dict[str, str] = {}
        self._same: dict[str, bool] = {}

    def add(self, system: str, summaries: Iterable[Summary]) -> None:
        counts = self._counts.setdefault(system, {})
        examples = self._examples.setdefault(system, [])
        for s in summaries:
            self._n[system] = self._n.get(system, 0) + 1
            digest = hashlib.sha256(s.text.encode("utf-8")).hexdigest()
            first = self._first.setdefault(system, digest)
            self._same[system] = self._same.get(system, True) and digest == first
            kind = junk_kind(s.text)
            if kind is not None:
                counts[kind] = counts.get(kind, 0) + 1
                if len(examples) < MAX_EXAMPLES:
                    examples.append(s.doc_id)

    def result(self, system: str) -> SystemQuality:
        n = self._n.get(system, 0)
        counts = {k: self._counts[system][k] for k in JUNK_KINDS if self._counts.get(system, {}).get(k)}
        return SystemQuality(n, counts, n >= 2 and self._same.get(system, False), tuple(self._examples.get(system, ())))
