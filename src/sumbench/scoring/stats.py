"""Uncertainty and significance on kept per-document scores.

Everything here works on numpy arrays of per-document scores that were
computed once; no metric is ever re-run per resample.  For one metric the
input is a matrix ``scores[system_index, doc_index]`` (all systems scored on
the same documents, in the same order).  ``NaN`` marks a document that failed
for that system:

* per-system confidence intervals (:func:`bootstrap_ci`) use that system's
  non-NaN documents;
* paired tests (:func:`paired_bootstrap`, :func:`permutation_test`,
  :func:`pairwise_comparisons`) drop every document where either system is NaN.

``inf`` is rejected with a ``ValueError``.  All randomness comes from
``numpy.random.default_rng(seed)``: the same seed gives the same numbers.

Resampling is vectorized: documents are drawn as integer index matrices in
chunks of bounded size, turned into per-resample document counts and reduced
with one matrix product, so the cost is independent of the number of systems
(or pairs) to a first approximation.

Numbers only: the sentences that describe a comparison (verdicts, close calls) are written at report
time by :mod:`sumbench.reports.verdicts`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "Interval",
    "PairedBootstrap",
    "PermutationResult",
    "PairwiseResult",
    "bootstrap_ci",
    "bootstrap_cis",
    "paired_bootstrap",
    "permutation_test",
    "holm_bonferroni",
    "pairwise_comparisons",
    "pairwise_comparisons_many",
]

# Upper bound on the number of index entries drawn per chunk (bounds memory:
# about 4M entries -> ~16 MB of int32 indices plus ~32 MB of float counts).
_CHUNK_ELEMENTS = 1 << 22

# Upper bound on the resampled sums kept at once when one draw is shared by several score matrices
# (metrics): past it the matrices are split into passes, each drawing the same stream again (64 MB:
# a run's CIs always share one draw; significance with up to ~20 systems does).
_SHARED_BYTES = 1 << 26

FloatArray = NDArray[np.float64]


# --------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------


def _json_float(x: float | np.floating[Any]) -> float | None:
    """Plain Python float, or ``None`` for NaN (JSON has no NaN)."""
    x = float(x)
    return None if math.isnan(x) else x


def _json_dict(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in asdict(obj).items():
        if isinstance(value, (bool, np.bool_)):
            out[key] = bool(value)
        elif isinstance(value, (int, np.integer)):
            out[key] = int(value)
        elif isinstance(value, (float, np.floating)):
            out[key] = _json_float(value)
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class Interval:
    """Mean of one system with a percentile-bootstrap interval.

    ``n`` is the number of non-NaN documents used; with ``n == 0`` all three
    numbers are NaN.
    """

    mean: float
    low: float
    high: float
    n: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: plain floats/ints, NaN -> None."""
        return _json_dict(self)


@dataclass(frozen=True)
class PairedBootstrap:
    """Paired bootstrap of ``mean(a - b)`` over documents scored for both."""

    diff: float
    low: float
    high: float
    p_value: float
    n: int
    n_samples: int
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: plain floats/ints, NaN -> None."""
        return _json_dict(self)


@dataclass(frozen=True)
class PermutationResult:
    """Approximate-randomization test of ``mean(a - b)``."""

    diff: float
    p_value: float
    n: int
    n_samples: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: plain floats/ints, NaN -> None."""
        return _json_dict(self)


@dataclass(frozen=True)
class PairwiseResult:
    """One unordered pair of systems on one metric.

    ``mean_a``/``mean_b`` are means over the ``n`` documents scored for both
    systems, so ``diff == mean_a - mean_b``; ``low``/``high`` are the
    percentile-bootstrap interval of ``diff`` at ``confidence``.  The ``*_holm``
    p-values are Holm-Bonferroni adjusted across all pairs of ``metric``;
    ``significant`` is ``p_permutation_holm < 1 - confidence``.
    """

    metric: str
    system_a: str
    system_b: str
    n: int
    mean_a: float
    mean_b: float
    diff: float
    low: float
    high: float
    confidence: float
    p_bootstrap: float
    p_permutation: float
    p_bootstrap_holm: float
    p_permutation_holm: float
    significant: bool
    n_samples: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: plain floats/ints/bools/strs, NaN -> None."""
        return _json_dict(self)


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


def _as_float_array(x: ArrayLike, name: str) -> FloatArray:
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric; {exc}") from exc
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains infinite values; use NaN for failed documents")
    return arr


def _as_matrix(scores: ArrayLike) -> FloatArray:
    arr = _as_float_array(scores, "scores")
    if arr.ndim != 2:
        raise ValueError(f"scores must be a 2-D array indexed [system, document]; got shape {arr.shape}")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"scores needs at least one system and one document; got shape {arr.shape}")
    return arr


def _as_pair(a: ArrayLike, b: ArrayLike) -> tuple[FloatArray, FloatArray]:
    x = _as_float_array(a, "a")
    y = _as_float_array(b, "b")
    if x.ndim != 1 or y.ndim != 1:
        raise ValueError(f"a and b must be 1-D arrays of per-document scores; got shapes {x.shape} and {y.shape}")
    if x.shape != y.shape:
        raise ValueError(f"a and b must score the same documents; got lengths {x.size} and {y.size}")
    if x.size == 0:
        raise ValueError("a and b are empty; need at least one document")
    return x, y


def _check_n_samples(n_samples: int) -> int:
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)):
        raise ValueError(f"n_samples must be a positive integer; got {n_samples!r}")
    if n_samples < 1:
        raise ValueError(f"n_samples must be a positive integer; got {n_samples}")
    return int(n_samples)


def _check_confidence(confidence: float) -> float:
    c = float(confidence)
    if not 0.0 < c < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1; got {confidence!r}")
    return c


# --------------------------------------------------------------------------
# Vectorized cores
# --------------------------------------------------------------------------


def _chunk_rows(n_docs: int, n_samples: int) -> int:
    return max(1, min(n_samples, _CHUNK_ELEMENTS // n_docs))


def _resample_counts(rng: np.random.Generator, n_docs: int, n_samples: int) -> Iterator[FloatArray]:
    """Yield ``(rows, n_docs)`` float matrices of how often each document is drawn.

    Row ``b`` over all chunks equals ``np.bincount`` of row ``b`` of
    ``rng.integers(0, n_docs, size=(n_samples, n_docs), dtype=np.int32)``
    (chunked draws of int32 produce exactly that stream).
    """
    rows = _chunk_rows(n_docs, n_samples)
    for start in range(0, n_samples, rows):
        c = min(rows, n_samples - start)
        flat = rng.integers(0, n_docs, size=(c, n_docs), dtype=np.int32).astype(np.intp)
        flat += (np.arange(c, dtype=np.intp) * n_docs)[:, None]  # row b -> bins [b*n, (b+1)*n)
        counts = np.bincount(flat.ravel(), minlength=c * n_docs).reshape(c, n_docs)
        yield counts.astype(np.float64)


def _random_bits(rng: np.random.Generator, n_docs: int, n_samples: int) -> Iterator[FloatArray]:
    """Yield ``(rows, n_docs)`` float matrices of fair 0/1 coin flips."""
    rows = _chunk_rows(n_docs, n_samples)
    n_bytes = (n_docs + 7) // 8
    for start in range(0, n_samples, rows):
        c = min(rows, n_samples - start)
        packed = rng.integers(0, 256, size=(c, n_bytes), dtype=np.uint8)
        yield np.unpackbits(packed, axis=1, count=n_docs).astype(np.float64)


def _shared_passes(sizes: Sequence[int]) -> list[list[int]]:
    """Split groups (by index) into passes whose resampled sums fit :data:`_SHARED_BYTES` together
    (one group per pass at least); every pass draws the random matrix once for all its groups."""
    passes: list[list[int]] = []
    used = 0
    for g, size in enumerate(sizes):
        if passes and used + size <= _SHARED_BYTES:
            passes[-1].append(g)
            used += size
        else:
            passes.append([g])
            used = size
    return passes


def _resampled_means_many(
    groups: Sequence[tuple[FloatArray, NDArray[np.bool_]]], n_samples: int, seed: int
) -> list[FloatArray]:
    """Bootstrap means, shape ``(n_samples, k)``, of the columns of each group's ``values``
    ``(n_docs, k)`` (every group has the same ``n_docs``).

    Documents are drawn from all ``n_docs`` rows with ``default_rng(seed)``: one draw shared by
    every column of every group (the draw does not depend on the values, so each group gets the
    numbers it would get alone); a column's resampled mean averages only its ``valid`` rows among
    the drawn ones (NaN if none was drawn).  ``values`` must be 0 where invalid.
    """
    prepared = []
    for values, valid in groups:
        partial = ~valid.all(axis=0)
        weights = np.concatenate([values, valid[:, partial].astype(np.float64)], axis=1)
        prepared.append((values.shape[1], partial, weights))
    out: list[FloatArray] = [np.empty((0, 0))] * len(groups)
    if not groups:
        return out
    n_docs = groups[0][0].shape[0]
    for members in _shared_passes([n_samples * w.shape[1] * 8 for _, _, w in prepared]):
        rng = np.random.default_rng(seed)
        sums: list[list[FloatArray]] = [[] for _ in members]
        for counts in _resample_counts(rng, n_docs, n_samples):
            for acc, g in zip(sums, members):
                acc.append(counts @ prepared[g][2])
        for acc, g in zip(sums, members):
            k, partial, _ = prepared[g]
            total = np.concatenate(acc)
            means = total[:, :k] / float(n_docs)  # a column valid everywhere averages every draw
            if partial.any():
                denom = total[:, k:]  # the other columns average their valid documents among those drawn
                with np.errstate(invalid="ignore", divide="ignore"):
                    part = total[:, :k][:, partial] / denom
                part[denom == 0] = np.nan
                means[:, partial] = part
            out[g] = means
    return out


def _resampled_means(values: FloatArray, valid: NDArray[np.bool_], n_samples: int, seed: int) -> FloatArray:
    """:func:`_resampled_means_many` for one group."""
    return _resampled_means_many([(values, valid)], n_samples, seed)[0]


def _percentiles(samples: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    """Percentile interval per column (linear interpolation, NaN resamples ignored).

    Columns without NaN take one vectorized ``np.quantile`` (the same numbers ``np.nanquantile``
    gives them, which works column by column)."""
    alpha = (1.0 - confidence) / 2.0
    q = [alpha, 1.0 - alpha]
    has_nan = np.isnan(samples).any(axis=0)
    if not has_nan.any():
        both = np.quantile(samples, q, axis=0)
        return both[0], both[1]
    low = np.empty(samples.shape[1])
    high = np.empty(samples.shape[1])
    clean = ~has_nan
    if clean.any():
        both = np.quantile(samples[:, clean], q, axis=0)
        low[clean], high[clean] = both[0], both[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns -> NaN
        both = np.nanquantile(samples[:, has_nan], q, axis=0)
    low[has_nan], high[has_nan] = both[0], both[1]
    return low, high


def _paired_columns(pairs_a: FloatArray, pairs_b: FloatArray) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Per-document differences ``(n_docs, P)`` zeroed where either side is NaN, and the mask."""
    valid = ~(np.isnan(pairs_a) | np.isnan(pairs_b))
    diffs = np.where(valid, pairs_a - pairs_b, 0.0)
    return diffs, valid


def _observed(diffs: FloatArray, valid: NDArray[np.bool_]) -> tuple[FloatArray, NDArray[np.int64]]:
    n = valid.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        obs = diffs.sum(axis=0) / n
    return np.where(n > 0, obs, np.nan), n


Columns = tuple[FloatArray, NDArray[np.bool_]]


def _paired_bootstrap_groups(
    groups: Sequence[Columns], n_samples: int, confidence: float, seed: int
) -> list[tuple[FloatArray, FloatArray, FloatArray, FloatArray, NDArray[np.int64]]]:
    """Columnwise paired bootstrap of each group ``(diffs, valid)``, one shared draw:
    (diff, low, high, p, n) arrays of length P per group."""
    out = []
    for (diffs, valid), boot in zip(groups, _resampled_means_many(groups, n_samples, seed)):
        obs, n = _observed(diffs, valid)
        low, high = _percentiles(boot, confidence)
        flips = np.isnan(boot) | (boot == 0) | (np.sign(boot) != np.sign(obs))
        p = np.minimum(1.0, 2.0 * flips.sum(axis=0) / n_samples)
        p = np.where(n > 0, p, np.nan)
        out.append((obs, low, high, p, n))
    return out


def _paired_bootstrap_many(
    diffs: FloatArray, valid: NDArray[np.bool_], n_samples: int, confidence: float, seed: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, NDArray[np.int64]]:
    """Columnwise paired bootstrap: (diff, low, high, p, n) arrays of length P."""
    return _paired_bootstrap_groups([(diffs, valid)], n_samples, confidence, seed)[0]


def _permutation_groups(
    groups: Sequence[Columns], n_samples: int, seed: int
) -> list[tuple[FloatArray, FloatArray, NDArray[np.int64]]]:
    """Columnwise approximate randomization of each group ``(diffs, valid)``, one shared draw of
    the swaps (every group sees the coin flips it would see alone): (diff, p, n) per group."""
    if not groups:
        return []
    n_docs = groups[0][0].shape[0]
    totals = [diffs.sum(axis=0) for diffs, _ in groups]
    # Swapping a document's pair flips the sign of its difference:
    # sum(s_i d_i) with s_i = 1 - 2 * bit_i equals total - 2 * bits @ d.
    # Ties up to float rounding count as extreme.
    thresholds = [np.abs(total) - 1e-9 * np.abs(diffs).sum(axis=0) for total, (diffs, _) in zip(totals, groups)]
    counts = [np.zeros(diffs.shape[1], dtype=np.int64) for diffs, _ in groups]
    rng = np.random.default_rng(seed)
    for bits in _random_bits(rng, n_docs, n_samples):
        for g, (diffs, _) in enumerate(groups):
            swapped = totals[g] - 2.0 * (bits @ diffs)
            counts[g] += (np.abs(swapped) >= thresholds[g]).sum(axis=0)
    out = []
    for (diffs, valid), count in zip(groups, counts):
        obs, n = _observed(diffs, valid)
        p = (count + 1.0) / (n_samples + 1.0)
        out.append((obs, np.where(n > 0, p, np.nan), n))
    return out


def _permutation_many(
    diffs: FloatArray, valid: NDArray[np.bool_], n_samples: int, seed: int
) -> tuple[FloatArray, FloatArray, NDArray[np.int64]]:
    """Columnwise approximate randomization: (diff, p, n) arrays of length P."""
    return _permutation_groups([(diffs, valid)], n_samples, seed)[0]


# --------------------------------------------------------------------------
# Public statistics
# --------------------------------------------------------------------------


def bootstrap_ci(scores: ArrayLike, n_samples: int = 1000, confidence: float = 0.95, seed: int = 0) -> list[Interval]:
    """Percentile-bootstrap interval of the mean score of every system.

    ``scores`` is ``[system, document]``.  One index matrix is drawn per call
    and shared by all systems (resample ``b`` uses row ``b`` of
    ``default_rng(seed).integers(0, n_docs, size=(n_samples, n_docs),
    dtype=np.int32)``), so systems are resampled on the same documents.
    Interval ends are the ``(1 - confidence) / 2`` and ``(1 + confidence) / 2``
    quantiles (numpy ``linear`` method) of the resampled means.

    NaN: ``mean`` and ``n`` use the system's non-NaN documents; in each
    resample the system's mean is taken over its non-NaN documents among
    those drawn (resamples that drew none are ignored).  A system with no
    valid document gets ``Interval(nan, nan, nan, 0)``.
    """
    return bootstrap_cis([scores], n_samples=n_samples, confidence=confidence, seed=seed)[0]


def bootstrap_cis(
    scores: Sequence[ArrayLike], n_samples: int = 1000, confidence: float = 0.95, seed: int = 0
) -> list[list[Interval]]:
    """:func:`bootstrap_ci` of several ``[system, document]`` matrices (one per metric, say), with
    the resampling drawn once for all matrices that have the same number of documents: the same
    numbers as one :func:`bootstrap_ci` call per matrix, for about the cost of one."""
    matrices = [_as_matrix(m) for m in scores]
    n_samples = _check_n_samples(n_samples)
    confidence = _check_confidence(confidence)
    prepared = []
    for matrix in matrices:
        valid = ~np.isnan(matrix)
        values = np.where(valid, matrix, 0.0)
        n = valid.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = values.sum(axis=1) / n
        prepared.append((values, valid, n, means))
    boots: list[FloatArray] = [np.empty((0, 0))] * len(matrices)
    by_docs: dict[int, list[int]] = {}
    for i, matrix in enumerate(matrices):
        by_docs.setdefault(matrix.shape[1], []).append(i)
    for members in by_docs.values():
        groups = [(prepared[i][0].T, prepared[i][1].T) for i in members]
        for i, boot in zip(members, _resampled_means_many(groups, n_samples, seed)):
            boots[i] = boot
    out = []
    for (_, _, n, means), boot in zip(prepared, boots):
        low, high = _percentiles(boot, confidence)
        out.append(
            [
                Interval(float(m), float(lo), float(hi), int(k)) if k > 0 else Interval(math.nan, math.nan, math.nan, 0)
                for m, lo, hi, k in zip(means, low, high, n)
            ]
        )
    return out


def paired_bootstrap(
    a: ArrayLike, b: ArrayLike, n_samples: int = 1000, confidence: float = 0.95, seed: int = 0
) -> PairedBootstrap:
    """Paired bootstrap test of ``mean(a - b)`` with its percentile interval.

    Documents where ``a`` or ``b`` is NaN are dropped (they may still be
    drawn, but contribute nothing; resamples that drew no valid document
    count as sign flips).  Resampling uses the same index stream as
    :func:`bootstrap_ci` with the same seed.

    p-value (two-sided, "sign-flip" paired bootstrap in the style of Koehn,
    *Statistical Significance Tests for Machine Translation Evaluation*,
    EMNLP 2004, and Berg-Kirkpatrick, Burkett & Klein, *An Empirical
    Investigation of Statistical Significance in NLP*, EMNLP 2012)::

        p = min(1, 2 * #{b : sign(delta_b) != sign(delta) or delta_b == 0} / n_samples)

    where ``delta`` is the observed mean difference and ``delta_b`` the
    resampled one.  (Koehn counts resamples where the winner does not win,
    one-sided; we double it for a two-sided test.  Berg-Kirkpatrick et al.'s
    shifted-null variant, ``delta_b > 2 * delta``, is not used.)  If
    ``delta == 0`` the p-value is 1.  Its resolution is ``2 / n_samples``
    and it can be 0.
    """
    x, y = _as_pair(a, b)
    n_samples = _check_n_samples(n_samples)
    confidence = _check_confidence(confidence)
    diffs, valid = _paired_columns(x[:, None], y[:, None])
    obs, low, high, p, n = _paired_bootstrap_many(diffs, valid, n_samples, confidence, seed)
    return PairedBootstrap(float(obs[0]), float(low[0]), float(high[0]), float(p[0]), int(n[0]), n_samples, confidence)


def permutation_test(a: ArrayLike, b: ArrayLike, n_samples: int = 1000, seed: int = 0) -> PermutationResult:
    """Approximate randomization (paired permutation) test of ``mean(a - b)``.

    Each resample swaps every document's pair ``(a_i, b_i)`` independently
    with probability 1/2 (a random sign on ``a_i - b_i``).  Two-sided on
    ``|mean diff|``: ``p = (count + 1) / (n_samples + 1)`` where ``count`` is
    the number of resamples with ``|perm diff| >= |observed diff|`` (float
    ties count); the +1 correction makes p > 0 always.  Documents where
    ``a`` or ``b`` is NaN are dropped.
    """
    x, y = _as_pair(a, b)
    n_samples = _check_n_samples(n_samples)
    diffs, valid = _paired_columns(x[:, None], y[:, None])
    obs, p, n = _permutation_many(diffs, valid, n_samples, seed)
    return PermutationResult(float(obs[0]), float(p[0]), int(n[0]), n_samples)


def holm_bonferroni(p_values: ArrayLike) -> FloatArray:
    """Holm-Bonferroni step-down adjusted p-values, in input order.

    With ``m`` p-values sorted ascending ``p_(1) <= ... <= p_(m)``:
    ``adj_(i) = min(1, max_{j <= i} (m - j + 1) * p_(j))``, so adjusted values
    are monotone in the raw ones and capped at 1.  NaN entries stay NaN and
    are not counted in ``m``.
    """
    p = _as_float_array(p_values, "p_values")
    if p.ndim != 1:
        raise ValueError(f"p_values must be 1-D; got shape {p.shape}")
    finite = ~np.isnan(p)
    if ((p[finite] < 0) | (p[finite] > 1)).any():
        raise ValueError("p_values must lie in [0, 1]")
    out = np.full(p.shape, np.nan)
    q = p[finite]
    m = q.size
    order = np.argsort(q, kind="stable")
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * q[order]))
    ranked = np.empty(m)
    ranked[order] = adjusted
    out[finite] = ranked
    return out


def pairwise_comparisons(
    scores: ArrayLike,
    systems: Sequence[str],
    metric: str,
    n_samples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> list[PairwiseResult]:
    """Paired bootstrap and permutation test for every unordered pair of systems.

    Pairs are ``(systems[i], systems[j])`` for ``i < j`` in that order, with
    ``diff = mean(a - b)`` over documents where both are non-NaN.  All pairs
    are computed in one batch; pair ``(i, j)`` gives the same numbers (up to
    float rounding) as ``paired_bootstrap(scores[i], scores[j], n_samples,
    confidence, seed)`` and ``permutation_test(scores[i], scores[j],
    n_samples, seed)``.  Both p-value families are Holm-adjusted across all
    pairs of this metric; ``significant`` uses the adjusted permutation p.

    With ``P`` pairs the smallest possible adjusted permutation p is
    ``P / (n_samples + 1)``; a ``RuntimeWarning`` is issued when that is not
    below ``1 - confidence`` (no pair could ever be significant): raise
    ``n_samples``.
    """
    return _pairwise({metric: scores}, systems, n_samples, confidence, seed)


def pairwise_comparisons_many(
    scores: Mapping[str, ArrayLike],
    systems: Sequence[str],
    n_samples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> list[PairwiseResult]:
    """:func:`pairwise_comparisons` of several metrics (``{metric: [system, document] matrix}``),
    results metric by metric in the mapping's order: the same numbers as one call per metric, with
    the bootstrap resampling and the permutation swaps drawn once for all metrics (each metric
    is still Holm-adjusted on its own)."""
    return _pairwise(scores, systems, n_samples, confidence, seed)


def _pairwise(
    scores: Mapping[str, ArrayLike], systems: Sequence[str], n_samples: int, confidence: float, seed: int
) -> list[PairwiseResult]:
    """Both public pairwise functions (the low-sample warning points at their caller)."""
    matrices = {metric: _as_matrix(m) for metric, m in scores.items()}
    n_samples = _check_n_samples(n_samples)
    confidence = _check_confidence(confidence)
    names = [str(s) for s in systems]
    for matrix in matrices.values():
        if len(names) != matrix.shape[0]:
            raise ValueError(
                f"got {len(names)} system names for {matrix.shape[0]} score rows (scores is [system, document])"
            )
    if len(set(names)) != len(names):
        raise ValueError(f"system names must be unique; got {names}")
    ii, jj = np.triu_indices(len(names), k=1)
    if ii.size == 0 or not matrices:
        return []
    alpha = 1.0 - confidence
    if ii.size / (n_samples + 1.0) >= alpha:
        warnings.warn(
            f"{ii.size} pairs with n_samples={n_samples}: the smallest Holm-adjusted permutation "
            f"p is {ii.size / (n_samples + 1.0):.3g} >= {alpha:g}, so no pair can be significant; "
            f"use n_samples >= {math.ceil(ii.size / alpha)}",
            RuntimeWarning,
            stacklevel=3,
        )
    metrics = list(matrices)
    columns = {metric: _paired_columns(matrices[metric][ii].T, matrices[metric][jj].T) for metric in metrics}
    boots: dict[str, tuple[FloatArray, FloatArray, FloatArray, FloatArray, NDArray[np.int64]]] = {}
    perms: dict[str, FloatArray] = {}
    by_docs: dict[int, list[str]] = {}
    for metric in metrics:
        by_docs.setdefault(matrices[metric].shape[1], []).append(metric)
    for members in by_docs.values():
        groups = [columns[metric] for metric in members]
        for metric, boot in zip(members, _paired_bootstrap_groups(groups, n_samples, confidence, seed)):
            boots[metric] = boot
        for metric, (_, p_perm, _) in zip(members, _permutation_groups(groups, n_samples, seed)):
            perms[metric] = p_perm
    out: list[PairwiseResult] = []
    for metric in metrics:
        matrix = matrices[metric]
        _, valid = columns[metric]
        obs, low, high, p_boot, n = boots[metric]
        p_perm = perms[metric]
        p_boot_holm = holm_bonferroni(p_boot)
        p_perm_holm = holm_bonferroni(p_perm)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_a = np.where(valid, matrix[ii].T, 0.0).sum(axis=0) / n
            mean_b = np.where(valid, matrix[jj].T, 0.0).sum(axis=0) / n
        out.extend(
            PairwiseResult(
                metric=metric,
                system_a=names[i],
                system_b=names[j],
                n=int(n[k]),
                mean_a=float(mean_a[k]),
                mean_b=float(mean_b[k]),
                diff=float(obs[k]),
                low=float(low[k]),
                high=float(high[k]),
                confidence=confidence,
                p_bootstrap=float(p_boot[k]),
                p_permutation=float(p_perm[k]),
                p_bootstrap_holm=float(p_boot_holm[k]),
                p_permutation_holm=float(p_perm_holm[k]),
                significant=bool(p_perm_holm[k] < alpha),
                n_samples=n_samples,
            )
            for k, (i, j) in enumerate(zip(ii, jj))
        )
    return out
