"""Aggregation of kept per-document scores: means with bootstrap CIs, and pairwise significance.

Both work on the common set (:func:`common_documents`): the documents scored for every system that
has at least one scored document.  A system that failed on the hard documents is therefore ranked
on the same documents as the others, and every paired test uses those documents; the mean over a
system's own scored documents is kept beside it (``Aggregate.own_mean``/``own_n``).  Significance
comes from :func:`sumbench.scoring.stats.paired_tests` (one Holm family per metric), with
:func:`sumbench.scoring.stats.samples_for` resamples.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np

from sumbench.records import Aggregate, DocumentScores
from sumbench.runfolder import Comparison
from sumbench.scoring import stats

__all__ = ["aggregate", "common_documents", "score_matrices", "significance", "significance_samples"]


def score_matrices(
    rows: Sequence[DocumentScores], systems: Sequence[str], doc_ids: Sequence[str], metrics: Sequence[str]
) -> dict[str, np.ndarray]:
    """Per metric, the ``[system, document]`` values; NaN where a document failed for a system (or
    the value is undefined, e.g. the compression of an empty summary)."""
    system_index = {s: i for i, s in enumerate(systems)}
    doc_index = {d: j for j, d in enumerate(doc_ids)}
    matrices = {m: np.full((len(systems), len(doc_ids)), np.nan) for m in metrics}
    for row in rows:
        i, j = system_index.get(row.system), doc_index.get(row.doc_id)
        if i is None or j is None:
            continue
        for metric, matrix in matrices.items():
            value = row.values.get(metric)
            if value is not None:
                matrix[i, j] = value
    return matrices


def common_documents(matrices: Mapping[str, np.ndarray]) -> np.ndarray:
    """Boolean mask over the documents (columns) of the common set.

    A document is scored for a system when any metric has a value for it (a failed document is NaN
    in every metric); the common set is the documents scored for every system that has at least one
    scored document (the rule of :meth:`sumbench.runfolder.ScoreTable.common_documents`)."""
    if not matrices:
        return np.zeros(0, dtype=bool)
    first = next(iter(matrices.values()))
    scored = np.zeros((first.shape[0], first.shape[1]), dtype=bool)
    for matrix in matrices.values():
        scored |= ~np.isnan(matrix)
    active = scored.any(axis=1)
    if not active.any():
        return np.zeros(first.shape[1], dtype=bool)
    return np.asarray(scored[active].all(axis=0))


def aggregate(
    matrices: dict[str, np.ndarray],
    systems: Sequence[str],
    *,
    n_samples: int,
    confidence: float,
    seed: int,
    common: np.ndarray | None = None,
) -> list[Aggregate]:
    """Mean and seeded percentile-bootstrap CI of every metric (NaN skipped) for every system, over
    the common set (``common``, a document mask; default :func:`common_documents`), with the mean and
    count over the system's own scored documents as ``own_mean``/``own_n``.

    The resampled documents are drawn once and applied to every metric (each metric gets the numbers
    a bootstrap of its own with ``seed`` gives)."""
    out: list[Aggregate] = []
    if not matrices:
        return out
    mask = common_documents(matrices) if common is None else np.asarray(common, dtype=bool)
    nan_interval = stats.Interval(np.nan, np.nan, np.nan, 0)
    if mask.any():
        all_intervals = stats.bootstrap_cis(
            [m if mask.all() else m[:, mask] for m in matrices.values()],
            n_samples=n_samples,
            confidence=confidence,
            seed=seed,
        )
    else:
        all_intervals = [[nan_interval] * len(systems) for _ in matrices]
    for (metric, matrix), intervals in zip(matrices.items(), all_intervals):
        own_n = (~np.isnan(matrix)).sum(axis=1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a system without any value: NaN
            own_mean = np.nanmean(matrix, axis=1) if matrix.shape[1] else np.full(len(systems), np.nan)
        for k, (system, interval) in enumerate(zip(systems, intervals)):
            out.append(
                Aggregate(
                    system,
                    metric,
                    interval.mean,
                    interval.low,
                    interval.high,
                    interval.n,
                    float(own_mean[k]) if own_n[k] else float("nan"),
                    int(own_n[k]),
                )
            )
    return out


def significance_samples(n_systems: int, confidence: float, requested: int) -> int:
    """:func:`sumbench.scoring.stats.samples_for` of the pairs of ``n_systems`` systems (one Holm family
    per metric): what the runner draws for its pairwise tests."""
    return stats.samples_for(n_systems * (n_systems - 1) // 2, confidence, requested)


def significance(
    matrices: dict[str, np.ndarray],
    systems: Sequence[str],
    metrics: Sequence[str],
    *,
    n_samples: int,
    confidence: float,
    seed: int,
    common: np.ndarray | None = None,
    min_documents: int = stats.MIN_DOCUMENTS,
) -> list[Comparison]:
    """Paired tests (:func:`sumbench.scoring.stats.paired_tests`, Holm within each metric) for every pair
    of systems on each metric, over the common set (``common``; default :func:`common_documents` of
    ``matrices``): the ``significance.json`` records, numbers only. The bootstrap resamples and the
    permutation swaps are drawn once for all metrics and pairs. A pair on fewer than ``min_documents``
    common documents is not tested (:data:`sumbench.scoring.stats.MIN_DOCUMENTS` by default)."""
    records: list[Comparison] = []
    if len(systems) < 2 or not metrics:
        return records
    mask = common_documents(matrices) if common is None else np.asarray(common, dtype=bool)
    # no common document: one all-NaN column, so every pair reads "cannot be compared" (n = 0)
    chosen = {
        metric: (matrices[metric] if mask.all() else matrices[metric][:, mask])
        if mask.any()
        else np.full((len(systems), 1), np.nan)
        for metric in metrics
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # too few resamples is the caller's choice here
        results = stats.pairwise_comparisons_many(
            chosen, list(systems), n_samples=n_samples, confidence=confidence, seed=seed, min_documents=min_documents
        )
    for result in results:
        records.append(
            Comparison(
                metric=result.metric,
                a=result.system_a,
                b=result.system_b,
                mean_a=result.mean_a,
                mean_b=result.mean_b,
                diff=result.diff,
                diff_low=result.low,
                diff_high=result.high,
                p_bootstrap=result.p_bootstrap,
                p_permutation=result.p_permutation,
                p_bootstrap_holm=result.p_bootstrap_holm,
                p_permutation_holm=result.p_permutation_holm,
                significant=result.significant,
                n=result.n,
                n_samples=result.n_samples,
                confidence=result.confidence,
                adj_low=result.adj_low,
                adj_high=result.adj_high,
                adj_confidence=result.adj_confidence,
                wins=result.wins,
                ties=result.ties,
                losses=result.losses,
                family=result.family,
                min_documents=result.min_documents,
            )
        )
    return records
