"""Aggregation of kept per-document scores: means with bootstrap CIs, and pairwise significance."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from sumbench.records import Aggregate, DocumentScores
from sumbench.runfolder import Comparison
from sumbench.scoring import stats


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


def aggregate(
    matrices: dict[str, np.ndarray],
    systems: Sequence[str],
    *,
    n_samples: int,
    confidence: float,
    seed: int,
) -> list[Aggregate]:
    """Mean and seeded percentile-bootstrap CI of every metric (NaN skipped) for every system.

    The resampled documents are drawn once and applied to every metric (each metric gets the numbers
    a bootstrap of its own with ``seed`` gives)."""
    out: list[Aggregate] = []
    if not matrices:
        return out
    all_intervals = stats.bootstrap_cis(list(matrices.values()), n_samples=n_samples, confidence=confidence, seed=seed)
    for metric, intervals in zip(matrices, all_intervals):
        for system, interval in zip(systems, intervals):
            out.append(Aggregate(system, metric, interval.mean, interval.low, interval.high, interval.n))
    return out


def significance_samples(n_systems: int, confidence: float, requested: int) -> int:
    """Enough resamples that Holm-adjusted permutation p-values can reach ``1 - confidence``.

    With P pairs the smallest adjusted p is P / (samples + 1); we ask for 20x headroom, between the
    requested bootstrap samples and 20,000.
    """
    pairs = n_systems * (n_systems - 1) // 2
    needed = math.ceil(20 * pairs / (1 - confidence))
    return int(min(max(requested, needed), max(requested, 20_000)))


def significance(
    matrices: dict[str, np.ndarray],
    systems: Sequence[str],
    metrics: Sequence[str],
    *,
    n_samples: int,
    confidence: float,
    seed: int,
) -> list[Comparison]:
    """Paired bootstrap and permutation tests (Holm-adjusted within each metric) for every pair of
    systems on each metric: the ``significance.json`` records, numbers only. The bootstrap resamples
    and the permutation swaps are drawn once for all metrics and pairs."""
    records: list[Comparison] = []
    if len(systems) < 2:
        return records
    chosen = {metric: matrices[metric] for metric in metrics}
    for result in stats.pairwise_comparisons_many(
        chosen, list(systems), n_samples=n_samples, confidence=confidence, seed=seed
    ):
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
            )
        )
    return records
