"""Aggregation of kept per-document scores: means with bootstrap CIs, and pairwise significance."""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from sumbench.records import Aggregate, DocumentScores
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
    """Mean and seeded percentile-bootstrap CI of every metric (NaN skipped) for every system."""
    out: list[Aggregate] = []
    for metric, matrix in matrices.items():
        intervals = stats.bootstrap_ci(matrix, n_samples=n_samples, confidence=confidence, seed=seed)
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
) -> list[dict[str, Any]]:
    """Paired bootstrap and permutation tests for every pair of systems on each metric, as the
    ``significance.json`` records (with a plain-sentence verdict each)."""
    records: list[dict[str, Any]] = []
    if len(systems) < 2:
        return records
    samples = significance_samples(len(systems), confidence, n_samples)
    for metric in metrics:
        for result in stats.pairwise_comparisons(
            matrices[metric], list(systems), metric, n_samples=samples, confidence=confidence, seed=seed
        ):
            data = result.to_dict()
            records.append(
                {
                    "metric": metric,
                    "a": result.system_a,
                    "b": result.system_b,
                    "mean_a": data["mean_a"],
                    "mean_b": data["mean_b"],
                    "diff": data["diff"],
                    "diff_low": data["low"],
                    "diff_high": data["high"],
                    "p_bootstrap": data["p_bootstrap"],
                    "p_permutation": data["p_permutation"],
                    "p_bootstrap_holm": data["p_bootstrap_holm"],
                    "p_permutation_holm": data["p_permutation_holm"],
                    "significant": data["significant"],
                    "n": data["n"],
                    "n_samples": data["n_samples"],
                    "close_call": result in stats.close_calls([result]),
                    "verdict": stats.verdict(result, confidence),
                }
            )
    return records
