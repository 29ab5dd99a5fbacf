"""Per-document scoring: ROUGE, length and extractiveness values for every (document, system) pair.

Scoring is kept apart from aggregation: the rows made here are written to ``scores.csv`` and the
statistics resample them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sumbench.records import Document, DocumentScores, Failure, Summary
from sumbench.scoring.extractiveness import EXTRACTIVENESS_COLUMNS, Article, extractiveness
from sumbench.scoring.lengths import LENGTH_COLUMNS, DocumentLengths, document_lengths, length_stats
from sumbench.scoring.quality import answer_kind
from sumbench.scoring.rouge import truncate_text


def rouge_columns(rouge_types: Sequence[str]) -> list[str]:
    """``rouge1_p, rouge1_r, rouge1_f, ...`` in the suite's order."""
    return [f"{t}_{part}" for t in rouge_types for part in ("p", "r", "f")]


#: Suffix of the length-matched ROUGE F columns (``rouge2_f_lm``): see :func:`length_matched_columns`.
LENGTH_MATCHED_SUFFIX = "_lm"


def length_matched_columns(rouge_types: Sequence[str]) -> list[str]:
    """``rouge1_f_lm, ...``: ROUGE F of each summary cut, as ROUGE-1.5.5's ``-l N`` cuts, to N = its
    document's mean reference length in whitespace words (rounded; a shorter summary is unchanged)."""
    return [f"{t}_f{LENGTH_MATCHED_SUFFIX}" for t in rouge_types]


#: The accounting columns of a run with an LLM summarizer: tokens, latency and cost of each summary as
#: its Generation reported them (empty for summarizers that report none), and ``answered``: 1 for an
#: answer, 0 for a refusal, an empty or a cut-off answer (:func:`sumbench.scoring.quality.answer_kind`).
ACCOUNTING_COLUMNS = ("prompt_tokens", "completion_tokens", "latency_s", "cost_usd", "answered")


def metric_columns(rouge_types: Sequence[str], length_matched: bool = False, accounting: bool = False) -> list[str]:
    """Every per-document column of ``scores.csv`` after ``doc_id`` and ``system``."""
    extra = length_matched_columns(rouge_types) if length_matched else []
    usage = list(ACCOUNTING_COLUMNS) if accounting else []
    return [*rouge_columns(rouge_types), *extra, *LENGTH_COLUMNS, *EXTRACTIVENESS_COLUMNS, *usage]


def accounting_values(summary: Summary) -> dict[str, float]:
    """The :data:`ACCOUNTING_COLUMNS` of one summary (NaN where its summarizer reported nothing)."""
    meta = summary.meta
    values = {name: float(meta[name]) if meta.get(name) is not None else math.nan for name in ACCOUNTING_COLUMNS[:4]}
    values["answered"] = 1.0 if answer_kind(summary.text, meta.get("finish_reason")) == "answer" else 0.0
    return values


def reference_length(doc: Document) -> int:
    """The length a length-matched summary is cut to: the mean whitespace word count of the document's
    references, rounded (at least 1)."""
    counts = [len(r.split()) for r in doc.references]
    return max(1, round(sum(counts) / len(counts))) if counts else 1


class _Joined(dict[str, Any]):
    """A raw ROUGE result with its length-matched one beside it (``matched``)."""

    def __init__(self, raw: dict[str, Any], matched: dict[str, Any]) -> None:
        super().__init__(raw)
        self.matched = matched


def _safe(scorer: Any, target: list[str], prediction: str) -> dict[str, Any] | Exception:
    try:
        return scorer.score_multi(target, prediction)
    except Exception as exc:  # noqa: BLE001 - recorded per document
        return exc


def _rouge_values(result: dict[str, Any]) -> dict[str, float]:
    values: dict[str, float] = {}
    for rouge_type, score in result.items():
        values[f"{rouge_type}_p"] = float(score.precision)
        values[f"{rouge_type}_r"] = float(score.recall)
        values[f"{rouge_type}_f"] = float(score.fmeasure)
    if isinstance(result, _Joined):
        for rouge_type, score in result.matched.items():
            values[f"{rouge_type}_f{LENGTH_MATCHED_SUFFIX}"] = float(score.fmeasure)
    return values


def score_summaries(
    documents: dict[str, Document],
    summaries: Sequence[Summary],
    scorer: Any,
    length_matched: bool = False,
    accounting: bool = False,
) -> tuple[list[DocumentScores], list[Failure]]:
    """Score all summaries in one ROUGE batch; a pair that cannot be scored becomes a failure.

    ``length_matched`` adds the :func:`length_matched_columns`: a second ROUGE batch over the summaries
    cut to their document's :func:`reference_length` (the raw columns are unchanged); ``accounting`` the
    :data:`ACCOUNTING_COLUMNS` from each summary's ``meta``.

    Rows and failures follow the order of ``summaries``. What the length and extractiveness values
    need from a document (its article's tokens, position index and N-grams, its word counts) is
    computed once per document, however many systems summarized it.
    """
    targets = [list(documents[s.doc_id].references) for s in summaries]
    predictions = [s.text for s in summaries]
    try:
        rouge_results: list[dict[str, Any] | Exception] = list(scorer.score_batch(targets, predictions))
    except Exception:  # noqa: BLE001 - find which pairs fail, score the rest
        rouge_results = []
        for target, prediction in zip(targets, predictions):
            try:
                rouge_results.append(scorer.score_multi(target, prediction))
            except Exception as exc:  # noqa: BLE001 - recorded per document
                rouge_results.append(exc)
    if length_matched:
        cut = [
            truncate_text(p, max_words=reference_length(documents[s.doc_id])) for s, p in zip(summaries, predictions)
        ]
        try:
            matched: list[dict[str, Any] | Exception] = list(scorer.score_batch(targets, cut))
        except Exception:  # noqa: BLE001 - the raw scores already name the failing pairs
            matched = [_safe(scorer, t, c) for t, c in zip(targets, cut)]
        for i, extra in enumerate(matched):
            base = rouge_results[i]
            if isinstance(base, Exception):
                continue
            rouge_results[i] = extra if isinstance(extra, Exception) else _Joined(base, extra)
    by_doc: dict[str, list[int]] = {}
    for i, summary in enumerate(summaries):
        by_doc.setdefault(summary.doc_id, []).append(i)
    results: list[DocumentScores | Failure | None] = [None] * len(summaries)
    for doc_id, indices in by_doc.items():
        doc = _DocumentValues(documents[doc_id])
        for i in indices:
            summary, rouge = summaries[i], rouge_results[i]
            try:
                if isinstance(rouge, Exception):
                    raise rouge
                values = {**_rouge_values(rouge), **doc.values(summary.text)}
                if accounting:
                    values.update(accounting_values(summary))
            except Exception as exc:  # noqa: BLE001 - one bad pair never stops the run
                results[i] = Failure(summary.doc_id, summary.system, "score", f"{type(exc).__name__}: {exc}")
                continue
            results[i] = DocumentScores(summary.doc_id, summary.system, values)
    rows = [r for r in results if isinstance(r, DocumentScores)]
    failures = [r for r in results if isinstance(r, Failure)]
    return rows, failures


class _DocumentValues:
    """One document's length and extractiveness values for each of its summaries; the document-side
    work is done on first use and kept (a document that cannot be analysed fails each pair alike)."""

    __slots__ = ("_article", "_doc", "_lengths")

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._lengths: DocumentLengths | None = None
        self._article: Article | None = None

    def values(self, summary: str) -> dict[str, float]:
        if self._lengths is None:
            self._lengths = document_lengths(self._doc)
        lengths = length_stats(self._lengths, summary)
        if self._article is None:
            self._article = Article(self._doc.text)
        return {**lengths, **extractiveness(self._article, summary)}
