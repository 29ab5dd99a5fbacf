"""Uncertainty and significance on kept per-document scores.

Everything here works on numpy arrays of per-document scores that were computed once; no metric is
ever re-run per resample.  ``NaN`` marks a document that failed (or has no value) for a system;
``inf`` is rejected with a ``ValueError``.  All randomness comes from
``numpy.random.default_rng(seed)``: the same seed gives the same numbers.

Per-system intervals (:func:`bootstrap_ci`, :func:`bootstrap_cis`)
    Percentile bootstrap of each system's mean over its non-NaN documents (numpy ``linear``
    quantiles of the resampled means).

Paired tests (:func:`paired_tests`, the one primitive every comparison uses)
    ``a`` and ``b`` are ``[P, n_docs]``: row ``p`` is one pair, and a document that is NaN on either
    side is dropped for that pair only.  The decision and the interval it quotes come from one
    procedure, so they can never disagree:

    * **Paired bootstrap.**  ``B`` resamples of the documents (one shared draw for all rows) give
      resampled mean differences ``d_1..d_B`` per pair; a resample that drew no valid document of
      the pair counts as ``d_b = 0``.  With ``F+ = #{d_b <= 0}`` and ``F- = #{d_b >= 0}`` the
      two-sided p is ``p = min(1, 2 * min(F+, F-) / B)``.
    * **Dual percentile interval.**  At level ``1 - a`` the interval is the pair of order statistics
      ``[d_(j), d_(B-1-j)]`` of the sorted resamples (0-based) with ``j = ceil(B * a / 2) - 1``.
      Then ``d_(j) > 0  <=>  F+ <= j`` and ``d_(B-1-j) < 0  <=>  F- <= j``, so **the interval
      excludes 0  <=>  min(F+, F-) < B * a / 2  <=>  p < a**, exactly.  Both sides are decided in
      integer / :class:`fractions.Fraction` arithmetic, with ``a`` taken as the decimal
      ``round(1 - confidence, 12)`` (:func:`alpha_of`), never as a float comparison on one side and
      a float quantile on the other.  (The ``(F + 1) / (B + 1)`` convention is not used: its dual
      order statistic would be ``j = ceil((B + 1) a / 2) - 2``, which is ``-1`` — an unbounded
      interval — whenever ``B * a < 2``; instead :func:`samples_for` makes ``B`` large enough that
      ``p = 0`` only ever means "below the resolution ``2 / B``".)
    * **Minimum documents.**  A row with fewer than ``min_documents`` shared documents (default
      :data:`MIN_DOCUMENTS` = 20; ``0`` turns the rule off) is *not tested* by the bootstrap: its
      ``p`` and ``p_holm`` are 1, it is never significant, and it has no interval (``low``/``high``/
      ``adj_low``/``adj_high`` and ``adj_confidence`` are NaN: "no interval", the unbounded interval a
      test that was not run allows; JSON has no infinity, so NaN, written ``null``).  ``tested`` is
      False for it; its ``diff``, means, wins/ties/losses, ``n`` and permutation p are still given.
      The duality holds for it trivially (no interval excludes 0, ``p_holm = 1 >= alpha``).
    * **Holm step-down** over the ``m`` *tested* rows (at least ``max(min_documents, 1)`` shared
      documents).  A row that is not tested cannot be rejected, so it is left out of ``m`` (more
      power for the rest; which rows are tested depends only on their document counts, not on the
      scores, so the family-wise error over the tested rows is still at most ``alpha``).  Rows sorted
      by ``p`` ascending (stable), step level ``a_r = alpha / (m - r + 1)`` (``r`` 1-based), ``s`` = the
      first rank not rejected at its step.  The Holm-consistent interval of rank ``r`` uses level
      ``a_r`` if ``r < s`` and ``a_s`` otherwise, so each adjusted interval excludes 0 exactly when
      Holm rejects that row (rank ``r >= s`` has ``p_(r) >= p_(s) >= a_s``).  The Holm-adjusted p,
      ``min(1, max_{j <= r} (m - j + 1) p_(j))``, is below ``alpha`` exactly for the rejected rows;
      ``significant`` is that exact decision.  The floats stored for ``p`` and ``p_holm`` are the
      exact rationals rounded to nearest, moved down by one ulp in the one case where rounding
      would land a p that is exactly below ``alpha`` on ``float(alpha)``; so ``p_holm < alpha``
      in floats, with ``alpha = round(1 - confidence, 12)``, agrees with ``significant`` too.
    * Supplementary numbers, not used for any decision: the unadjusted interval at the run
      level (``low``/``high``, dual to ``p``), the approximate-randomization (permutation) p and its
      Holm adjustment, and per pair the documents where ``a`` is above / equal to / below ``b``
      (``wins``/``ties``/``losses``).

    Why the minimum: the percentile bootstrap is anti-conservative on few documents.  Measured
    rejection rate of one true-null pair at a nominal 5% (normal differences, ``B = 2000``, 400
    trials): 26% at ``n = 3``, 16% at ``n = 5``, about 10% at ``n = 10``, 5% from ``n = 20`` on; the
    permutation p (kept beside it) stays at or below 5%.  Hence :data:`MIN_DOCUMENTS` = 20.  The
    supplementary permutation p is computed for every row with a shared document, and its Holm
    adjustment runs over all of those rows (the permutation test is not liberal on few documents).

    The resampled differences are never all kept: they are streamed in chunks, keeping per row the
    two sign counts and the ``ceil(B * alpha / 2)`` smallest and largest values (every order
    statistic an interval can use lies in those tails), so memory is bounded by the chunk size
    and ``alpha`` — not by ``B``.

Resample counts (:func:`samples_for`, :func:`smallest_adjusted_p`)
    ``samples_for(pairs, confidence, requested)`` returns ``max(requested, ceil(20 * pairs /
    alpha))``: at the most extreme Holm step ``a_1 = alpha / pairs`` each tail then holds at least 10
    resamples, and the smallest non-zero Holm-adjusted p, ``2 * pairs / B``, is at most ``alpha / 10``.
    There is no cap.

Resampling is vectorized: documents are drawn as integer index matrices in chunks of bounded size,
turned into per-resample document counts and reduced with one matrix product per chunk.

Numbers only: the sentences that describe a comparison are written at report time by
:mod:`sumbench.reports.verdicts`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "MIN_DOCUMENTS",
    "Interval",
    "PairedBootstrap",
    "PairedTest",
    "PermutationResult",
    "PairwiseResult",
    "alpha_of",
    "bootstrap_ci",
    "bootstrap_cis",
    "paired_tests",
    "samples_for",
    "smallest_adjusted_p",
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
# (metrics) for the per-system intervals: past it the matrices are split into passes, each drawing
# the same stream again (64 MB).  Paired tests stream their resamples and keep only the tails.
_SHARED_BYTES = 1 << 26

#: Fewest shared documents on which a pair is tested by the paired bootstrap.  Below it the percentile
#: bootstrap is too liberal: the measured rejection rate of one true-null pair at a nominal 5%
#: (normal differences, ``B = 2000``, 400 trials) is 26% at ``n = 3``, 16% at ``n = 5``, about 10% at
#: ``n = 10`` and 5% from ``n = 20`` on (the permutation test stays at or below 5%).  A pair on fewer
#: shared documents is reported as not tested: p = 1, never significant, no interval.
MIN_DOCUMENTS = 20

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
class PairedTest:
    """One row of :func:`paired_tests`: ``mean(a - b)`` over the ``n`` documents scored on both sides.

    * ``diff`` = ``mean_a - mean_b``; ``[low, high]`` its unadjusted percentile interval at
      ``confidence`` (dual to ``p``: it excludes 0 exactly when ``p < 1 - confidence``).
    * ``[adj_low, adj_high]``: the Holm-consistent interval, at level ``adj_confidence`` for this row
      (``1 - alpha / k`` for the Holm step ``k`` that applies to it); it excludes 0 exactly when
      ``significant``.
    * ``p``: paired-bootstrap p; ``p_holm``: its Holm adjustment over the ``family`` rows that have
      a shared document; ``significant`` = Holm rejects this row at ``alpha = 1 - confidence``
      (equivalently ``p_holm < alpha``).
    * ``wins``/``ties``/``losses``: documents with ``a > b``, ``a == b``, ``a < b``.
    * ``p_permutation``/``p_permutation_holm``: approximate-randomization p and its Holm adjustment
      (supplementary, NaN when not computed); no decision uses them.
    * ``tested``: whether the bootstrap tested the row, i.e. ``n >= max(min_documents, 1)``;
      ``min_documents`` is the rule it was run under (:data:`MIN_DOCUMENTS` by default, 0 = off).
      A row that is not tested has ``p == p_holm == 1``, ``significant`` False and no interval
      (``low``, ``high``, ``adj_low``, ``adj_high``, ``adj_confidence`` NaN); it is not counted in
      ``family``.

    With ``n == 0`` every number is NaN and ``significant`` is False.
    """

    diff: float
    low: float
    high: float
    adj_low: float
    adj_high: float
    adj_confidence: float
    p: float
    p_holm: float
    significant: bool
    n: int
    wins: int
    ties: int
    losses: int
    n_samples: int
    confidence: float
    mean_a: float
    mean_b: float
    family: int
    p_permutation: float
    p_permutation_holm: float
    tested: bool
    min_documents: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: plain floats/ints/bools, NaN -> None."""
        return _json_dict(self)


@dataclass(frozen=True)
class PairedBootstrap:
    """Paired bootstrap of ``mean(a - b)`` over documents scored for both (one pair, no adjustment).

    ``tested`` is False when ``n`` is below ``max(min_documents, 1)``: then ``low``/``high`` are NaN
    (no interval) and ``p_value`` is 1 (NaN when ``n == 0``)."""

    diff: float
    low: float
    high: float
    p_value: float
    n: int
    n_samples: int
    confidence: float
    tested: bool
    min_documents: int

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
    """One unordered pair of systems on one metric (a :class:`PairedTest` with names).

    ``mean_a``/``mean_b`` are means over the ``n`` documents scored for both systems, so
    ``diff == mean_a - mean_b``; ``low``/``high`` are the unadjusted percentile interval of ``diff``
    at ``confidence`` and ``adj_low``/``adj_high`` the Holm-consistent one (level
    ``adj_confidence``).  The ``*_holm`` p-values are Holm-adjusted across all pairs of ``metric``;
    ``significant`` is the Holm paired-bootstrap decision: ``p_bootstrap_holm < 1 - confidence``,
    equivalently ``0`` outside ``[adj_low, adj_high]``.  ``tested``/``min_documents`` as in
    :class:`PairedTest`: a pair on fewer than ``min_documents`` shared documents is not tested (p 1,
    not significant, no interval).
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
    adj_low: float
    adj_high: float
    adj_confidence: float
    wins: int
    ties: int
    losses: int
    family: int
    tested: bool
    min_documents: int

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


def _check_min_documents(min_documents: int) -> int:
    if isinstance(min_documents, bool) or not isinstance(min_documents, (int, np.integer)) or min_documents < 0:
        raise ValueError(f"min_documents must be a non-negative integer; got {min_documents!r}")
    return int(min_documents)


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
# Exact levels and resample counts
# --------------------------------------------------------------------------


def alpha_of(confidence: float) -> Fraction:
    """``1 - confidence`` as an exact decimal fraction: ``Fraction(repr(round(1 - confidence, 12)))``
    (0.95 -> 1/20, not the binary float 0.050000000000000044).  Every decision of this module
    compares integers against it exactly."""
    c = _check_confidence(confidence)
    alpha = Fraction(repr(round(1.0 - c, 12)))
    if not 0 < alpha < 1:
        raise ValueError(f"confidence must leave 1 - confidence of at least 1e-12; got {confidence!r}")
    return alpha


def samples_for(pairs: int, confidence: float, requested: int) -> int:
    """Resamples for a Holm family of ``pairs`` paired tests at ``confidence``: at least ``requested``,
    and at least ``ceil(20 * pairs / alpha)`` so that the most extreme Holm step
    ``a_1 = alpha / pairs`` leaves 10 or more resamples in each tail of the bootstrap distribution,
    and the smallest non-zero Holm-adjusted p (:func:`smallest_adjusted_p`) is at most
    ``alpha / 10``.  No cap: a 20-system run (190 pairs per metric) at 95% needs 76,000."""
    requested = _check_n_samples(requested)
    if isinstance(pairs, bool) or not isinstance(pairs, (int, np.integer)) or pairs < 0:
        raise ValueError(f"pairs must be a non-negative integer; got {pairs!r}")
    if pairs == 0:
        return requested
    return max(requested, math.ceil(20 * int(pairs) / alpha_of(confidence)))


def smallest_adjusted_p(pairs: int, n_samples: int) -> float:
    """The smallest non-zero Holm-adjusted bootstrap p that ``n_samples`` resamples can give in a family
    of ``pairs`` tests: ``min(1, 2 * pairs / n_samples)`` (one resample on the far side of 0 at the
    first Holm step).  A reported p of 0 means "below this" (no resample fell on the far side)."""
    n_samples = _check_n_samples(n_samples)
    if isinstance(pairs, bool) or not isinstance(pairs, (int, np.integer)) or pairs < 0:
        raise ValueError(f"pairs must be a non-negative integer; got {pairs!r}")
    return float(min(Fraction(1), Fraction(2 * int(pairs), n_samples)))


def _tail_size(n_samples: int, alpha: Fraction) -> int:
    """How many of the smallest (and largest) resamples every interval at a level <= ``alpha`` can use."""
    return _order_index(n_samples, alpha) + 1


def _order_index(n_samples: int, level: Fraction) -> int:
    """``j = ceil(B * level / 2) - 1``: the interval at ``1 - level`` is ``[d_(j), d_(B-1-j)]``."""
    return max(math.ceil(n_samples * level / 2) - 1, 0)


def _rounded_p(exact: Fraction, alpha: Fraction) -> float:
    """``exact`` as the nearest float, moved one ulp down if rounding put a p that is below ``alpha``
    onto ``float(alpha)`` (rounding to nearest is monotone, so that is the only way a float
    ``p < alpha`` could disagree with the exact one)."""
    x = float(exact)
    if exact < alpha and x >= float(alpha):
        x = float(np.nextafter(x, -np.inf))
    return x


# --------------------------------------------------------------------------
# Paired tests: streamed bootstrap, exact Holm decisions
# --------------------------------------------------------------------------


class _PairedStream:
    """Running totals of one group's paired bootstrap: ``#{d_b <= 0}``, ``#{d_b >= 0}`` and the
    ``tail`` smallest and largest resampled differences of every column."""

    def __init__(self, diffs: FloatArray, valid: NDArray[np.bool_], tail: int):
        self.k = diffs.shape[1]
        self.n_docs = diffs.shape[0]
        self.partial = ~valid.all(axis=0)
        self.weights = np.concatenate([diffs, valid[:, self.partial].astype(np.float64)], axis=1)
        self.tail = tail
        self.below = np.zeros(self.k, dtype=np.int64)
        self.above = np.zeros(self.k, dtype=np.int64)
        self.low = np.empty((0, self.k))
        self.high = np.empty((0, self.k))

    def add(self, counts: FloatArray) -> None:
        sums = counts @ self.weights
        means = sums[:, : self.k] / float(self.n_docs)  # a column valid everywhere averages every draw
        if self.partial.any():
            denom = sums[:, self.k :]  # the others average their valid documents among those drawn
            with np.errstate(invalid="ignore", divide="ignore"):
                part = sums[:, : self.k][:, self.partial] / denom
            part[denom == 0] = 0.0  # no valid document drawn: the resample counts as a difference of 0
            means[:, self.partial] = part
        self.below += (means <= 0).sum(axis=0)
        self.above += (means >= 0).sum(axis=0)
        low = np.concatenate([self.low, means])
        if low.shape[0] > self.tail:
            low = np.partition(low, self.tail - 1, axis=0)[: self.tail]
        high = np.concatenate([self.high, means])
        if high.shape[0] > self.tail:
            high = np.partition(high, high.shape[0] - self.tail, axis=0)[high.shape[0] - self.tail :]
        self.low, self.high = low, high

    def order_statistics(self) -> tuple[FloatArray, FloatArray]:
        """``(ascending, descending)``: row ``j`` holds ``d_(j)`` and ``d_(B-1-j)`` of every column."""
        return np.sort(self.low, axis=0), -np.sort(-self.high, axis=0)


@dataclass(frozen=True)
class _Holm:
    """Exact Holm step-down of one family: per row the level of its interval (None: the row is not
    tested), the exact p and adjusted p, and the decision."""

    level: list[Fraction | None]
    p: list[Fraction | None]
    p_holm: list[Fraction | None]
    rejected: list[bool]
    family: int


def _holm_exact(fmin: NDArray[np.int64], usable: NDArray[np.bool_], n_samples: int, alpha: Fraction) -> _Holm:
    size = fmin.shape[0]
    level: list[Fraction | None] = [None] * size
    p_exact: list[Fraction | None] = [None] * size
    p_holm: list[Fraction | None] = [None] * size
    rejected = [False] * size
    rows = np.flatnonzero(usable)
    order = rows[np.argsort(fmin[rows], kind="stable")]  # p is increasing in min(F+, F-)
    m = int(order.size)
    running = Fraction(0)
    stop: Fraction | None = None  # a_s, the level of the first rank Holm does not reject
    for r, i in enumerate(order.tolist(), start=1):
        f = int(fmin[i])
        step = alpha / (m - r + 1)
        p = min(Fraction(1), Fraction(2 * f, n_samples))
        running = max(running, min(Fraction(1), (m - r + 1) * p))
        if stop is None and 2 * f < n_samples * step:  # p_(r) < a_r, exactly
            rejected[i] = True
            level[i] = step
        else:
            if stop is None:
                stop = step
            level[i] = stop
        p_exact[i], p_holm[i] = p, running
        if (running < alpha) != rejected[i]:  # pragma: no cover - the algebra in the module docstring
            raise AssertionError("Holm-adjusted p and the step-down decision disagree")
    return _Holm(level, p_exact, p_holm, rejected, m)


def _check_rows(a: ArrayLike, b: ArrayLike) -> tuple[FloatArray, FloatArray]:
    x = _as_float_array(a, "a")
    y = _as_float_array(b, "b")
    if x.ndim == 1 and y.ndim == 1:
        x, y = x[None, :], y[None, :]
    if x.ndim != 2 or y.ndim != 2:
        raise ValueError(f"a and b must be 2-D arrays indexed [pair, document]; got shapes {x.shape} and {y.shape}")
    if x.shape != y.shape:
        raise ValueError(f"a and b must have the same shape [pair, document]; got {x.shape} and {y.shape}")
    if x.shape[1] == 0:
        raise ValueError("a and b have no documents; need at least one")
    return x, y


def _paired_tests_groups(
    groups: Sequence[tuple[FloatArray, FloatArray]],
    n_samples: int,
    confidence: float,
    seed: int,
    permutation: bool = True,
    min_documents: int = MIN_DOCUMENTS,
) -> list[list[PairedTest]]:
    """:func:`paired_tests` of several ``(a, b)`` groups, each its own Holm family.  Groups with the same
    number of documents share one bootstrap draw and one draw of permutation swaps: each group gets
    exactly the numbers it would get alone.  Rows on fewer than ``min_documents`` shared documents
    are not tested (and not in their family's Holm ``m``)."""
    alpha = alpha_of(confidence)
    tail = _tail_size(n_samples, alpha)
    columns = [_paired_columns(a.T, b.T) for a, b in groups]
    streams = [_PairedStream(diffs, valid, tail) for diffs, valid in columns]
    perms: list[FloatArray | None] = [None] * len(groups)
    by_docs: dict[int, list[int]] = {}
    for g, (a, _) in enumerate(groups):
        if a.shape[0]:
            by_docs.setdefault(a.shape[1], []).append(g)
    for n_docs, members in by_docs.items():
        rng = np.random.default_rng(seed)
        for counts in _resample_counts(rng, n_docs, n_samples):
            for g in members:
                streams[g].add(counts)
        if permutation:
            swaps = _permutation_groups([columns[g] for g in members], n_samples, seed)
            for g, (_, p_swapped, _) in zip(members, swaps):
                perms[g] = p_swapped
    out: list[list[PairedTest]] = []
    for g, ((a, b), (diffs, valid), stream) in enumerate(zip(groups, columns, streams)):
        size = a.shape[0]
        if size == 0:
            out.append([])
            continue
        obs, n = _observed(diffs, valid)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_a = np.where(valid, a.T, 0.0).sum(axis=0) / n
            mean_b = np.where(valid, b.T, 0.0).sum(axis=0) / n
        wins = (valid & (a.T > b.T)).sum(axis=0)
        ties = (valid & (a.T == b.T)).sum(axis=0)
        losses = (valid & (a.T < b.T)).sum(axis=0)
        fmin = np.minimum(stream.below, stream.above)
        tested = n >= max(min_documents, 1)
        holm = _holm_exact(fmin, tested, n_samples, alpha)
        ascending, descending = stream.order_statistics()
        j_run = _order_index(n_samples, alpha)
        perm = perms[g]
        p_perm: FloatArray = perm if perm is not None else np.full(size, np.nan)
        p_perm_holm = holm_bonferroni(p_perm)
        rows = []
        nan = math.nan
        for k in range(size):
            level, p, p_holm = holm.level[k], holm.p[k], holm.p_holm[k]
            if n[k] == 0:
                rows.append(
                    PairedTest(
                        nan, nan, nan, nan, nan, nan, nan, nan, False, 0, 0, 0, 0, n_samples, confidence,
                        nan, nan, holm.family, nan, nan, False, min_documents,
                    )
                )  # fmt: skip
                continue
            shared: dict[str, Any] = {
                "diff": float(obs[k]),
                "n": int(n[k]),
                "wins": int(wins[k]),
                "ties": int(ties[k]),
                "losses": int(losses[k]),
                "n_samples": n_samples,
                "confidence": confidence,
                "mean_a": float(mean_a[k]),
                "mean_b": float(mean_b[k]),
                "family": holm.family,
                "p_permutation": float(p_perm[k]),
                "p_permutation_holm": float(p_perm_holm[k]),
                "min_documents": min_documents,
            }
            if level is None or p is None or p_holm is None:  # too few shared documents: not tested
                rows.append(
                    PairedTest(
                        low=nan,
                        high=nan,
                        adj_low=nan,
                        adj_high=nan,
                        adj_confidence=nan,
                        p=1.0,
                        p_holm=1.0,
                        significant=False,
                        tested=False,
                        **shared,
                    )
                )
                continue
            j = _order_index(n_samples, level)
            rows.append(
                PairedTest(
                    low=float(ascending[j_run, k]),
                    high=float(descending[j_run, k]),
                    adj_low=float(ascending[j, k]),
                    adj_high=float(descending[j, k]),
                    adj_confidence=float(1 - level),
                    p=_rounded_p(p, alpha),
                    p_holm=_rounded_p(p_holm, alpha),
                    significant=holm.rejected[k],
                    tested=True,
                    **shared,
                )
            )
        out.append(rows)
    return out


def _warn_resolution(pairs: int, n_samples: int, confidence: float, stacklevel: int) -> None:
    needed = samples_for(pairs, confidence, 1)
    if pairs and n_samples < needed:
        warnings.warn(
            f"{pairs} Holm-adjusted tests with n_samples={n_samples}: the most extreme Holm step leaves fewer "
            f"than 10 resamples in a tail (smallest non-zero adjusted p "
            f"{smallest_adjusted_p(pairs, n_samples):.3g}); use n_samples >= {needed} (samples_for)",
            RuntimeWarning,
            stacklevel=stacklevel,
        )


def paired_tests(
    a: ArrayLike,
    b: ArrayLike,
    *,
    n_samples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    permutation: bool = True,
    min_documents: int = MIN_DOCUMENTS,
) -> list[PairedTest]:
    """Paired tests of ``mean(a - b)`` for every row, Holm step-down over the rows: the one primitive
    behind a run's pairwise tests and ``sumbench compare``.

    ``a`` and ``b`` are float arrays shaped ``[P, n_docs]`` (1-D arrays are one row): row ``p`` is one
    pair, and a document that is NaN in ``a[p]`` or ``b[p]`` is dropped for that pair only.  All rows
    are resampled with one draw of ``n_samples`` document resamples from ``default_rng(seed)`` (the
    index stream of :func:`bootstrap_ci`).  The decision (``significant``: Holm rejects the row at
    ``alpha = round(1 - confidence, 12)``), ``p_holm < alpha`` and "0 is outside
    ``[adj_low, adj_high]``" are the same statement, exactly; ``p < alpha`` and "0 is outside
    ``[low, high]``" likewise (see the module docstring for the procedure).  Rows without a shared
    document are all-NaN, never significant, and not counted in the Holm family.

    Rows with fewer than ``min_documents`` shared documents (default :data:`MIN_DOCUMENTS`; ``0``
    turns the rule off) are not tested: ``tested`` False, ``p == p_holm == 1``, never significant,
    no interval (NaN ends), not counted in the Holm family; their difference, means, counts and
    permutation p are still computed.

    ``permutation=False`` skips the supplementary permutation p-values (about half the cost; they come
    back NaN).  A ``RuntimeWarning`` says when ``n_samples`` is below :func:`samples_for` ``(P, ...)``.
    Returns one :class:`PairedTest` per row, in row order.
    """
    x, y = _check_rows(a, b)
    n_samples = _check_n_samples(n_samples)
    confidence = _check_confidence(confidence)
    min_documents = _check_min_documents(min_documents)
    _warn_resolution(x.shape[0], n_samples, confidence, stacklevel=3)
    return _paired_tests_groups([(x, y)], n_samples, confidence, int(seed), permutation, min_documents)[0]


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
    a: ArrayLike,
    b: ArrayLike,
    n_samples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    min_documents: int = MIN_DOCUMENTS,
) -> PairedBootstrap:
    """Paired bootstrap test of ``mean(a - b)`` for one pair, with its dual percentile interval: a
    one-row :func:`paired_tests` without adjustment or permutation test.

    Documents where ``a`` or ``b`` is NaN are dropped (they may still be drawn, but contribute nothing;
    a resample that drew no valid document counts as a difference of 0).  Resampling uses the same
    index stream as :func:`bootstrap_ci` with the same seed.

    p-value (two-sided paired bootstrap in the style of Koehn, *Statistical Significance Tests for
    Machine Translation Evaluation*, EMNLP 2004)::

        p = min(1, 2 * min(#{b : delta_b <= 0}, #{b : delta_b >= 0}) / n_samples)

    and the interval is ``[delta_(j), delta_(B-1-j)]`` of the sorted resamples with
    ``j = ceil(B * alpha / 2) - 1``, so it excludes 0 exactly when ``p < alpha``.  If every resampled
    difference is 0 the p-value is 1.  Its resolution is ``2 / n_samples`` and it can be 0.

    On fewer than ``min_documents`` shared documents (default :data:`MIN_DOCUMENTS`, ``0`` = off) the
    pair is not tested: ``tested`` False, ``p_value`` 1, no interval (NaN ends).
    """
    x, y = _as_pair(a, b)
    n_samples = _check_n_samples(n_samples)
    confidence = _check_confidence(confidence)
    min_documents = _check_min_documents(min_documents)
    (t,) = _paired_tests_groups(
        [(x[None, :], y[None, :])], n_samples, confidence, int(seed), permutation=False, min_documents=min_documents
    )[0]
    return PairedBootstrap(t.diff, t.low, t.high, t.p, t.n, n_samples, confidence, t.tested, min_documents)


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
    min_documents: int = MIN_DOCUMENTS,
) -> list[PairwiseResult]:
    """:func:`paired_tests` of every unordered pair of systems on one metric (one Holm family).

    Pairs are ``(systems[i], systems[j])`` for ``i < j`` in that order, with ``diff = mean(a - b)``
    over documents where both are non-NaN.  Pair ``(i, j)`` gets the bootstrap numbers of
    ``paired_bootstrap(scores[i], scores[j], n_samples, confidence, seed)`` and the permutation p of
    ``permutation_test(scores[i], scores[j], n_samples, seed)``; ``significant`` is the Holm
    paired-bootstrap decision, which agrees exactly with the Holm-consistent interval.

    A ``RuntimeWarning`` is issued when ``n_samples`` is below :func:`samples_for` for the number of
    pairs (the extreme Holm step would rest on fewer than 10 resamples per tail).

    A pair on fewer than ``min_documents`` shared documents (default :data:`MIN_DOCUMENTS`, ``0`` = off)
    is not tested: ``tested`` False, both bootstrap p-values 1, not significant, no interval.
    """
    return _pairwise({metric: scores}, systems, n_samples, confidence, seed, min_documents)


def pairwise_comparisons_many(
    scores: Mapping[str, ArrayLike],
    systems: Sequence[str],
    n_samples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    min_documents: int = MIN_DOCUMENTS,
) -> list[PairwiseResult]:
    """:func:`pairwise_comparisons` of several metrics (``{metric: [system, document] matrix}``),
    results metric by metric in the mapping's order: the same numbers as one call per metric, with
    the bootstrap resampling and the permutation swaps drawn once for all metrics (each metric
    is still its own Holm family)."""
    return _pairwise(scores, systems, n_samples, confidence, seed, min_documents)


def _pairwise(
    scores: Mapping[str, ArrayLike],
    systems: Sequence[str],
    n_samples: int,
    confidence: float,
    seed: int,
    min_documents: int,
) -> list[PairwiseResult]:
    """Both public pairwise functions (the low-sample warning points at their caller)."""
    matrices = {metric: _as_matrix(m) for metric, m in scores.items()}
    n_samples = _check_n_samples(n_samples)
    confidence = _check_confidence(confidence)
    min_documents = _check_min_documents(min_documents)
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
    _warn_resolution(int(ii.size), n_samples, confidence, stacklevel=4)
    metrics = list(matrices)
    groups = [(matrices[metric][ii], matrices[metric][jj]) for metric in metrics]
    out: list[PairwiseResult] = []
    tested = _paired_tests_groups(groups, n_samples, confidence, int(seed), min_documents=min_documents)
    for metric, tests in zip(metrics, tested):
        out.extend(
            PairwiseResult(
                metric=metric,
                system_a=names[i],
                system_b=names[j],
                n=t.n,
                mean_a=t.mean_a,
                mean_b=t.mean_b,
                diff=t.diff,
                low=t.low,
                high=t.high,
                confidence=confidence,
                p_bootstrap=t.p,
                p_permutation=t.p_permutation,
                p_bootstrap_holm=t.p_holm,
                p_permutation_holm=t.p_permutation_holm,
                significant=t.significant,
                n_samples=n_samples,
                adj_low=t.adj_low,
                adj_high=t.adj_high,
                adj_confidence=t.adj_confidence,
                wins=t.wins,
                ties=t.ties,
                losses=t.losses,
                family=t.family,
                tested=t.tested,
                min_documents=t.min_documents,
            )
            for t, i, j in zip(tests, ii.tolist(), jj.tolist())
        )
    return out
