"""Junk detection: summaries that are not summaries, counted per system (numbers only, no prose).

A summary is *junk* when it is empty, only whitespace, or has no letter or digit in any script (``".\\n!\\n! '"``,
the kind KL-Sum returns on some documents); a system is *constant* when it gave the same summary for every
document (two or more). The runner counts both while it streams (:class:`QualityCounter`, memory bounded by
a few examples per system), records them on each system's manifest entry and warns; the reports show them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sumbench.records import Summary

__all__ = [
    "ANSWER_KINDS",
    "JUNK_KINDS",
    "MAX_EXAMPLES",
    "QualityCounter",
    "SystemQuality",
    "answer_kind",
    "junk_kind",
]

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


#: What an LLM's answer is: a summary, or one of the ways it is not (the report's answer rate).
ANSWER_KINDS = ("answer", "refusal", "empty", "cut-off")

#: How refusals open (lower-cased, after leading punctuation and quotes), in the wording models use.
_REFUSAL = re.compile(
    r"^(i'?m sorry|i am sorry|sorry, (but )?i|i can(no|')t|i cannot|i won'?t|i will not|i'?m (not able|unable)|"
    r"i am (not able|unable)|as an ai|i'?m an ai|unfortunately,? i (can|am)|i must decline|i do not feel comfortable)"
)


def answer_kind(text: str, finish_reason: str | None = None) -> str:
    """``refusal`` (``finish_reason`` ``content_filter`` or ``refusal``, or the text opens like a refusal),
    ``empty`` (no letter or digit), ``cut-off`` (``finish_reason`` ``length``: the model ran out of ``max_tokens``
    mid-answer) or ``answer``."""
    if finish_reason in ("content_filter", "refusal"):
        return "refusal"
    if junk_kind(text) is not None:
        return "empty"
    if _REFUSAL.match(text.strip().lstrip("\"'*-“ ").lower().replace("’", "'")):
        return "refusal"
    if finish_reason == "length":
        return "cut-off"
    return "answer"


@dataclass(frozen=True)
class SystemQuality:
    """Junk counts of one system: summaries seen, junk per kind, whether every summary was the same text
    (``constant``, with two or more summaries) and a few example document ids of junk."""

    summaries: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)
    constant: bool = False
    examples: tuple[str, ...] = ()
    #: Summaries by :func:`answer_kind` (answer, refusal, empty, cut-off).
    answers: Mapping[str, int] = field(default_factory=dict)

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
        self._answers: dict[str, dict[str, int]] = {}

    def add(self, system: str, summaries: Iterable[Summary]) -> None:
        counts = self._counts.setdefault(system, {})
        examples = self._examples.setdefault(system, [])
        for s in summaries:
            self._n[system] = self._n.get(system, 0) + 1
            digest = hashlib.sha256(s.text.encode("utf-8")).hexdigest()
            first = self._first.setdefault(system, digest)
            self._same[system] = self._same.get(system, True) and digest == first
            answer = answer_kind(s.text, s.meta.get("finish_reason"))
            answers = self._answers.setdefault(system, {})
            answers[answer] = answers.get(answer, 0) + 1
            kind = junk_kind(s.text)
            if kind is not None:
                counts[kind] = counts.get(kind, 0) + 1
                if len(examples) < MAX_EXAMPLES:
                    examples.append(s.doc_id)

    def result(self, system: str) -> SystemQuality:
        n = self._n.get(system, 0)
        counts = {k: self._counts[system][k] for k in JUNK_KINDS if self._counts.get(system, {}).get(k)}
        answers = {k: self._answers[system][k] for k in ANSWER_KINDS if self._answers.get(system, {}).get(k)}
        return SystemQuality(
            n, counts, n >= 2 and self._same.get(system, False), tuple(self._examples.get(system, ())), answers
        )
