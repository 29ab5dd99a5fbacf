"""Per-document scoring: ROUGE, length and extractiveness values for every (document, system) pair.

Scoring is kept apart from aggregation: the rows made here are written to ``scores.csv`` and the
statistics resample them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sumbench.records import Document, DocumentScores, Failure, Summary
from sumbench.scoring.extractiveness import EXTRACTIVENESS_COLUMNS, extractiveness
from sumbench.scoring.lengths import LENGTH_COLUMNS, length_stats


def rouge_columns(rouge_types: Sequence[str]) -> list[str]:
    """``rouge1_p, rouge1_r, rouge1_f, ...`` in the suite's order."""
    return [f"{t}_{part}" for t in rouge_types for part in ("p", "r", "f")]


def metric_columns(rouge_types: Sequence[str]) -> list[str]:
    """Every per-document column of ``scores.csv`` after ``doc_id`` and ``system``."""
    return [*rouge_columns(rouge_types), *LENGTH_COLUMNS, *EXTRACTIVENESS_COLUMNS]


def _rouge_values(result: dict[str, Any]) -> dict[str, float]:
    values: dict[str, float] = {}
    for rouge_type, score in result.items():
        values[f"{rouge_type}_p"] = float(score.precision)
        values[f"{rouge_type}_r"] = float(score.recall)
        values[f"{rouge_type}_f"] = float(score.fmeasure)
    return values


def score_summaries(
    documents: dict[str, Document], summaries: Sequence[Summary], scorer: Any
) -> tuple[list[DocumentScores], list[Failure]]:
    """Score all summaries in one ROUGE batch; a pair that cannot be scored becomes a failure."""
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
    rows: list[DocumentScores] = []
    failures: list[Failure] = []
    for summary, rouge in zip(summaries, rouge_results):
        doc = documents[summary.doc_id]
        try:
            if isinstance(rouge, Exception):
                raise rouge
            values = {
                **_rouge_values(rouge),
                **length_stats(doc, summary.text),
                **extractiveness(doc.text, summary.text),
            }
        except Exception as exc:  # noqa: BLE001 - one bad pair never stops the run
            failures.append(Failure(summary.doc_id, summary.system, "score", f"{type(exc).__name__}: {exc}"))
            continue
        rows.append(DocumentScores(summary.doc_id, summary.system, values))
    return rows, failures
