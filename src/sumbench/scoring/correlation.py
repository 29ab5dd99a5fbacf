"""Meta-evaluation: how well an automatic metric agrees with human judgments of summaries.

Numbers only.  The inputs are float matrices indexed ``[system, document]``: an automatic metric
``X`` and a human dimension ``Z`` of the same shape, ``NaN`` where a system has no summary (or no
score) for a document.  A cell is *usable* for a pair ``(X, Z)`` only where both are finite; ``inf``
is rejected with a ``ValueError``.  All randomness comes from ``numpy.random.default_rng(seed)``.

Coefficients (:func:`correlation`, :data:`COEFFICIENTS`)
    ``kendall`` is Kendall's tau-b (``scipy.stats.kendalltau(variant="b")``), ``spearman`` is the
    Pearson correlation of average ranks (``scipy.stats.spearmanr``), ``pearson`` is Pearson's r.
    A correlation is *undefined* -- ``NaN``, never 0 -- on fewer than 2 usable points or when either
    side is constant over them.

Levels (:func:`level_correlation`, :data:`LEVELS`), following SummEval and Deutsch, Dror & Roth,
*A Statistical Analysis of Summarization Evaluation Metrics using Resampling Methods* (TACL 2021)
    * ``summary``: for each document, the correlation across the systems usable on it; then the
      mean over the documents where it is defined.  The others are *skipped* (``n_skipped``).
    * ``system``: the correlation across systems of the per-system means, each mean taken over the
      system's usable cells; a system without a usable cell is left out.
    * ``global``: the correlation of all usable cells pooled.

Bootstrap intervals (:func:`meta_correlations`, :func:`level_result`)
    Percentile intervals (numpy ``linear`` quantiles at ``(1 -/+ confidence) / 2``) of the level
    correlation recomputed on resampled sub-matrices ``X[s][:, d]``, with ``s`` and ``d`` drawn with
    replacement (:func:`resample_indices`): ``resample="documents"`` redraws the documents only,
    ``"systems"`` the systems only, ``"both"`` both (Deutsch et al.'s BOOT-INPUTS, BOOT-SYSTEMS and
    BOOT-BOTH).  A system drawn twice is two copies, tied with each other on both sides (tau-b's
    untied-pair counts leave their pair out; Pearson and Spearman count the system twice); a
    document drawn twice counts twice in the summary-level mean and in the system means.  Resamples
    on which the correlation is undefined are left out of the interval.  The same draws serve every
    metric and human dimension, so the intervals are paired.

    Nothing is materialised per resample: a resample is a vector of system counts ``c`` and one of
    document counts ``e``, and each level is computed as the weighted statistic it equals exactly
    on the sub-matrix -- summary-level tau-b and Pearson as count-weighted sums over system pairs
    (one matrix product for all documents and resamples), ranks as count-weighted "number below plus
    half the ties", global tau-b as ``sum_ij u_i u_j sign(x_i - x_j) sign(z_i - z_j)`` with
    ``u = c (x) e`` (a float32 matrix product of exact small integers) over ``U^2 - sum_g U_g^2``
    untied pairs.  The tests check every path against the sub-matrix recomputed with
    :func:`level_correlation`.  Global tau-b dominates the cost, about ``S^2 D^2 B / 2``
    multiply-adds per (metric, dimension) pair: 1.4e9 for 16 systems, 100 documents and 1000
    resamples (tens of milliseconds); everything else is linear in ``D`` and ``B``.

Comparing two metrics on one human dimension (:func:`compare_metrics`, :func:`williams_compare`)
    Both metrics are restricted to the cells usable for all three matrices.  The paired bootstrap
    uses the resamples above; the permutation test swaps the two (standardised) metrics' values at
    random (Deutsch et al.'s PERM-BOTH / PERM-SYSTEMS / PERM-INPUTS); Williams' test is the classic
    test of two dependent Pearson correlations (Williams 1959; Graham & Baldwin 2014).

Binary labels (:func:`roc_auc`)
    ROC AUC (Mann-Whitney, ties count 1/2) and the point-biserial correlation of a score against 0/1
    labels, with stratified bootstrap intervals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.stats
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "LEVELS",
    "COEFFICIENTS",
    "RESAMPLES",
    "LevelResult",
    "CorrelationRow",
    "MetricComparison",
    "BinaryResult",
    "correlation",
    "level_correlation",
    "level_result",
    "resample_indices",
    "meta_correlations",
    "compare_metrics",
    "williams_test",
    "williams_compare",
    "roc_auc",
]

#: Levels at which a metric is correlated with human judgments.
LEVELS = ("summary", "system", "global")
#: Correlation coefficients.
COEFFICIENTS = ("kendall", "spearman", "pearson")
#: What a bootstrap resample (or a permutation) redraws: documents, systems, or both.
RESAMPLES = ("documents", "systems", "both")

_METHODS = ("bootstrap", "permutation")
_ALTERNATIVES = ("two-sided", "greater", "less")

# Upper bound on the elements of one temporary array in the vectorised paths (32 MB of float64).
_CHUNK = 1 << 22
# Global-level tau-b: the pair-sign blocks of one matrix are kept (int8) when they take at most this.
_BLOCK_CACHE_BYTES = 1 << 24
# Absolute tolerance under which a permuted difference counts as tied with the observed one.
_PERMUTATION_TIE = 1e-12

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.intp]


# --------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelResult:
    """One level correlation with its bootstrap interval.

    ``n_units`` counts what the correlation is over: documents where the per-document correlation is
    defined (``summary``), systems with at least one usable cell (``system``), usable cells
    (``global``).  ``n_skipped`` counts documents where it is undefined (``summary``: fewer than 2
    usable systems, or a constant metric or human column), systems without a usable cell
    (``system``), and is 0 for ``global``.  ``low``/``high`` are NaN without resamples.
    """

    level: str
    coefficient: str
    value: float
    low: float
    high: float
    n_units: int
    n_skipped: int


@dataclass(frozen=True)
class CorrelationRow:
    """One row of :func:`meta_correlations`: :class:`LevelResult`'s numbers for one metric and one
    human dimension."""

    metric: str
    dimension: str
    level: str
    coefficient: str
    value: float
    low: float
    high: float
    n_units: int
    n_skipped: int


@dataclass(frozen=True)
class MetricComparison:
    """Paired comparison of two metrics against one human dimension.

    ``difference = r(X1, Z) - r(X2, Z)`` on the cells usable for all three matrices; ``low``/``high``
    is the bootstrap percentile interval of the difference (NaN for ``permutation`` and
    ``williams``); ``p_value`` is two-sided unless a Williams alternative says otherwise;
    ``n_samples`` is the number of resamples or permutations (0 for ``williams``); ``n_units`` is
    what the level correlation is over (see :class:`LevelResult`).
    """

    level: str
    coefficient: str
    difference: float
    low: float
    high: float
    p_value: float
    method: str
    n_samples: int
    n_units: int = 0


@dataclass(frozen=True)
class BinaryResult:
    """ROC AUC and point-biserial correlation of a score against 0/1 labels (:func:`roc_auc`).

    ``n`` items were used (``n_positive`` of them labelled 1); ``n_dropped`` had a NaN score.
    """

    auc: float
    auc_low: float
    auc_high: float
    point_biserial: float
    pb_low: float
    pb_high: float
    n: int
    n_positive: int
    n_dropped: int = 0


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


def _check_choice(value: str, choices: tuple[str, ...], name: str) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value


def _as_float(values: ArrayLike, name: str) -> FloatArray:
    try:
        arr = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from exc
    if np.isinf(arr).any():
        raise ValueError(f"{name} contains inf; use NaN for a missing value")
    return arr


def _as_vector(values: ArrayLike, name: str) -> FloatArray:
    arr = _as_float(values, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got shape {arr.shape}")
    return arr


def _as_matrix(values: ArrayLike, name: str) -> FloatArray:
    arr = _as_float(values, name)
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array indexed [system, document]; got shape {arr.shape}")
    return arr


def _same_shape(shape: tuple[int, ...], arr: FloatArray, name: str) -> None:
    if arr.shape != shape:
        raise ValueError(f"{name} has shape {arr.shape}; every matrix must have shape {shape} [system, document]")


def _check_n_samples(n_samples: int, minimum: int = 1) -> int:
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < minimum:
        raise ValueError(f"n_samples must be an integer >= {minimum}; got {n_samples!r}")
    return int(n_samples)


def _check_confidence(confidence: float) -> float:
    c = float(confidence)
    if not 0.0 < c < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1; got {confidence!r}")
    return c


# --------------------------------------------------------------------------
# Scalar coefficients
# --------------------------------------------------------------------------


def correlation(x: ArrayLike, z: ArrayLike, coefficient: str) -> float:
    """Correlation of two 1-D arrays over the positions where both are finite (NaN = missing).

    ``kendall``: tau-b, ``(n_c - n_d) / sqrt((n_0 - n_1)(n_0 - n_2))`` with ``n_1``/``n_2`` the pairs
    tied in ``x``/``z`` (equals ``scipy.stats.kendalltau(x, z, variant="b")``).  ``spearman``: Pearson
    of the average ranks (equals ``scipy.stats.spearmanr``).  ``pearson``: ``sum(xc * zc) /
    sqrt(sum(xc**2) * sum(zc**2))`` with ``xc``, ``zc`` centred on their means.  NaN when fewer than 2
    positions are usable or when ``x`` or ``z`` is constant over them.
    """
    coefficient = _check_choice(coefficient, COEFFICIENTS, "coefficient")
    xv = _as_vector(x, "x")
    zv = _as_vector(z, "z")
    if xv.shape != zv.shape:
        raise ValueError(f"x and z must have the same length; got {xv.size} and {zv.size}")
    keep = ~np.isnan(xv) & ~np.isnan(zv)
    return _correlation_finite(xv[keep], zv[keep], coefficient)


def _correlation_finite(x: FloatArray, z: FloatArray, coefficient: str) -> float:
    """:func:`correlation` of finite 1-D arrays of equal length."""
    if x.size < 2 or bool(np.all(x == x[0])) or bool(np.all(z == z[0])):
        return math.nan
    if coefficient == "kendall":
        if x.size == 2:  # scipy's p-value divides by n - 2; the statistic is the one pair's concordance
            return float(np.sign(x[1] - x[0]) * np.sign(z[1] - z[0]))
        return float(scipy.stats.kendalltau(x, z, variant="b", method="asymptotic").statistic)
    if coefficient == "spearman":
        x = scipy.stats.rankdata(x)
        z = scipy.stats.rankdata(z)
    xc = x - x.mean()
    zc = z - z.mean()
    den = math.sqrt(float(np.dot(xc, xc)) * float(np.dot(zc, zc)))
    if not den > 0.0:
        return math.nan
    return float(np.clip(np.dot(xc, zc) / den, -1.0, 1.0))


def _ratio(num: FloatArray, den: FloatArray, defined: BoolArray) -> FloatArray:
    """``num / sqrt(den)`` clipped to [-1, 1] where ``defined`` and ``den > 0``; NaN elsewhere."""
    ok = defined & (den > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = num / np.sqrt(np.where(ok, den, 1.0))
    return np.where(ok, np.clip(r, -1.0, 1.0), np.nan)


class _Rows:
    """Weighted pair statistics of one variable, row by row: ``values`` and ``weights`` are (R, N),
    point ``i`` of row ``r`` counting ``weights[r, i]`` times (0 = left out).

    Over the ordered pairs ``(i, j)``, weighted ``w_i w_j``: the signs ``sign(x_i - x_j)`` and
    differences ``x_i - x_j``, the weighted number of untied pairs and sum of squared differences,
    and the centred average ranks of the repeated data, ``r_i = sum_j w_j H(x_i - x_j) + 1/2 -
    (W + 1) / 2`` (``H`` = 1, 1/2, 0 for >, =, <; ``W = sum_j w_j``)."""

    def __init__(self, values: FloatArray, weights: FloatArray) -> None:
        keep = weights > 0
        self.w = np.where(keep, weights, 0.0)
        self.x = np.where(keep, values, 0.0)
        self.ww = self.w[:, :, None] * self.w[:, None, :]

    @cached_property
    def diffs(self) -> FloatArray:
        return self.x[:, :, None] - self.x[:, None, :]

    @cached_property
    def signs(self) -> FloatArray:
        return np.sign(self.diffs)

    @cached_property
    def weighted_signs(self) -> FloatArray:
        return self.ww * self.signs

    @cached_property
    def weighted_diffs(self) -> FloatArray:
        return self.ww * self.diffs

    @cached_property
    def untied(self) -> FloatArray:
        return np.abs(self.weighted_signs).sum(axis=(1, 2))

    @cached_property
    def squares(self) -> FloatArray:
        return (self.weighted_diffs * self.diffs).sum(axis=(1, 2))

    @cached_property
    def ranks(self) -> FloatArray:
        half = 0.5 * (self.w.sum(axis=1) + 1.0)
        return np.einsum("rij,rj->ri", 0.5 * (self.signs + 1.0), self.w) + 0.5 - half[:, None]

    @cached_property
    def weighted_ranks(self) -> FloatArray:
        return self.w * self.ranks

    @cached_property
    def rank_squares(self) -> FloatArray:
        return (self.weighted_ranks * self.ranks).sum(axis=1)


def _rows_corr(a: _Rows, b: _Rows, coefficient: str) -> FloatArray:
    """Row-wise weighted correlation of two :class:`_Rows` with the same weights: exactly the
    correlation of the data with each point repeated as often as its weight says.  tau-b is
    ``sum s^x s^z / sqrt(sum |s^x| * sum |s^z|)`` over the weighted ordered pairs, Pearson the same
    with differences (``sum_ij w_i w_j dx dz = 2 W^2 cov_w``), Spearman the weighted Pearson of the
    ranks.  NaN where fewer than 2 points or a constant side (no untied pair)."""
    defined = (a.untied > 0) & (b.untied > 0)
    if coefficient == "kendall":
        num = (a.weighted_signs * b.signs).sum(axis=(1, 2))
        den = a.untied * b.untied
    elif coefficient == "pearson":
        num = (a.weighted_diffs * b.diffs).sum(axis=(1, 2))
        den = a.squares * b.squares
    else:
        num = (a.weighted_ranks * b.ranks).sum(axis=1)
        den = a.rank_squares * b.rank_squares
    return _ratio(num, den, defined)


def _pairwise_corr(x: FloatArray, z: FloatArray, w: FloatArray, coefficient: str) -> FloatArray:
    """:func:`_rows_corr` of rows ``x[r]`` and ``z[r]`` (R, N) with weights ``w`` (R, N), in chunks."""
    rows, n = x.shape
    out = np.full(rows, np.nan)
    if n < 2:
        return out
    step = max(1, (_CHUNK // 8) // (n * n))  # a _Rows pair keeps about ten (step, N, N) arrays
    for start in range(0, rows, step):
        sl = slice(start, start + step)
        out[sl] = _rows_corr(_Rows(x[sl], w[sl]), _Rows(z[sl], w[sl]), coefficient)
    return out


# --------------------------------------------------------------------------
# Point values of the levels
# --------------------------------------------------------------------------


def _masked(x: FloatArray, mask: BoolArray) -> FloatArray:
    return np.where(mask, x, 0.0)


def _point(x: FloatArray, z: FloatArray, mask: BoolArray, level: str, coefficient: str) -> tuple[float, int, int]:
    """``(value, n_units, n_skipped)`` of one level on the cells of ``mask`` (see :class:`LevelResult`)."""
    n_systems, n_docs = mask.shape
    if level == "summary":
        r = _pairwise_corr(_masked(x, mask).T, _masked(z, mask).T, mask.T.astype(np.float64), coefficient)
        ok = ~np.isnan(r)
        used = int(ok.sum())
        return (float(r[ok].mean()) if used else math.nan), used, n_docs - used
    if level == "system":
        counts = mask.sum(axis=1)
        has = counts > 0
        mx = _masked(x, mask).sum(axis=1)[has] / counts[has]
        mz = _masked(z, mask).sum(axis=1)[has] / counts[has]
        used = int(has.sum())
        return _correlation_finite(mx, mz, coefficient), used, n_systems - used
    return _correlation_finite(x[mask], z[mask], coefficient), int(mask.sum()), 0


def level_correlation(x: ArrayLike, z: ArrayLike, level: str, coefficient: str) -> float:
    """Correlation of metric ``x`` with human scores ``z`` (``[system, document]`` matrices of one
    shape, NaN = missing) at one level, over the cells finite in both.

    ``summary``: mean over documents of the correlation across the systems usable on the document,
    skipping documents where it is undefined (fewer than 2 usable systems, or a constant column);
    ``system``: correlation of the per-system means over usable cells (systems without one left
    out); ``global``: correlation of all usable cells pooled.  NaN when undefined (no document
    defined; fewer than 2 systems or constant means; fewer than 2 cells or a constant side).
    """
    level = _check_choice(level, LEVELS, "level")
    coefficient = _check_choice(coefficient, COEFFICIENTS, "coefficient")
    xm = _as_matrix(x, "x")
    zm = _as_matrix(z, "z")
    _same_shape(xm.shape, zm, "z")
    return _point(xm, zm, ~np.isnan(xm) & ~np.isnan(zm), level, coefficient)[0]


# --------------------------------------------------------------------------
# Resampling
# --------------------------------------------------------------------------


def resample_indices(
    n_systems: int, n_documents: int, *, resample: str = "both", n_samples: int = 1000, seed: int = 0
) -> tuple[IntArray, IntArray]:
    """The bootstrap draws shared by every function here: ``(systems, documents)`` index matrices of
    shapes ``(n_samples, n_systems)`` and ``(n_samples, n_documents)``; resample ``b`` is the
    sub-matrix ``X[systems[b]][:, documents[b]]``.

    With ``rng = numpy.random.default_rng(seed)``: the systems are ``rng.integers(0, n_systems,
    (n_samples, n_systems))`` when ``resample`` is ``"systems"`` or ``"both"`` (drawn first), else
    every row is ``arange(n_systems)``; the documents likewise ``rng.integers(0, n_documents,
    (n_samples, n_documents))`` when ``resample`` is ``"documents"`` or ``"both"``.
    """
    resample = _check_choice(resample, RESAMPLES, "resample")
    n_samples = _check_n_samples(n_samples, 0)
    rng = np.random.default_rng(seed)
    if resample in ("systems", "both"):
        systems = rng.integers(0, n_systems, size=(n_samples, n_systems)).astype(np.intp)
    else:
        systems = np.tile(np.arange(n_systems, dtype=np.intp), (n_samples, 1))
    if resample in ("documents", "both"):
        documents = rng.integers(0, n_documents, size=(n_samples, n_documents)).astype(np.intp)
    else:
        documents = np.tile(np.arange(n_documents, dtype=np.intp), (n_samples, 1))
    return systems, documents


def _counts(indices: IntArray, n: int) -> FloatArray:
    """Row-wise ``bincount``: how often each of ``0..n-1`` is drawn in each row."""
    rows = indices.shape[0]
    flat = (indices + n * np.arange(rows, dtype=np.intp)[:, None]).ravel()
    return np.bincount(flat, minlength=rows * n).reshape(rows, n).astype(np.float64)


def _interval(samples: FloatArray, confidence: float) -> tuple[float, float]:
    """Percentile interval (numpy ``linear`` quantiles) of the finite samples; NaN if none."""
    finite = samples[np.isfinite(samples)]
    if finite.size == 0:
        return math.nan, math.nan
    alpha = (1.0 - confidence) / 2.0
    low, high = np.quantile(finite, [alpha, 1.0 - alpha])
    return float(low), float(high)


class _Resamples:
    """Rows of system counts ``C`` (R, S) and document counts ``E`` (R, D) with what every matrix
    shares: pair weights ``W[r, p] = C[r, i_p] C[r, j_p]`` over system pairs ``i_p < j_p`` and, for
    global tau-b, weights of the blocks ``a <= a'`` of cell pairs (``C_a C_a'``, doubled off the
    diagonal since block ``(a', a)`` is the transpose of ``(a, a')``)."""

    def __init__(self, systems: FloatArray, documents: FloatArray) -> None:
        self.C = systems
        self.E = documents
        n_systems = systems.shape[1]
        self.ii, self.jj = np.triu_indices(n_systems, 1)
        self.W = systems[:, self.ii] * systems[:, self.jj]
        self.bi, self.bj = np.triu_indices(n_systems)
        self.block_weight = systems[:, self.bi] * systems[:, self.bj] * np.where(self.bi == self.bj, 1.0, 2.0)
        self.E32 = documents.astype(np.float32)


class _Mask:
    """One usable-cell mask ``M`` (S, D) under one set of resamples."""

    def __init__(self, res: _Resamples, mask: BoolArray) -> None:
        self.res = res
        self.M = mask
        self.Mf = mask.astype(np.float64)
        self.pair_mask = (mask[res.ii] & mask[res.jj]).astype(np.float64)

    @cached_property
    def n_doc(self) -> FloatArray:
        """Usable systems per resampled document, with multiplicity (R, D)."""
        return self.res.C @ self.Mf

    @cached_property
    def system_counts(self) -> FloatArray:
        """Usable cells per system in each resample, with multiplicity (R, S)."""
        return self.res.E @ self.Mf.T

    @cached_property
    def cells(self) -> IntArray:
        return np.flatnonzero(self.M.ravel())

    @cached_property
    def u(self) -> FloatArray:
        """Multiplicity ``C[r, a] E[r, d]`` of each usable cell ``(a, d)`` (R, cells)."""
        rows, cols = np.divmod(self.cells, self.M.shape[1])
        return self.res.C[:, rows] * self.res.E[:, cols]

    @cached_property
    def U(self) -> FloatArray:
        return self.u.sum(axis=1)


class _Side:
    """One matrix (a metric or a human dimension) under a :class:`_Mask`: what its correlations with
    any other matrix under the same mask need, computed once."""

    def __init__(self, mask: _Mask, values: FloatArray) -> None:
        self.mask = mask
        self.X = _masked(values, mask.M)
        self._blocks: NDArray[np.int8] | None = None

    # summary level ------------------------------------------------------
    @cached_property
    def pair_diffs(self) -> FloatArray:
        """``X[i] - X[j]`` for system pairs ``i < j``, 0 unless both cells are usable (P, D)."""
        res = self.mask.res
        return (self.X[res.ii] - self.X[res.jj]) * self.mask.pair_mask

    @cached_property
    def pair_signs(self) -> FloatArray:
        return np.sign(self.pair_diffs)

    @cached_property
    def pair_untied(self) -> FloatArray:
        """Weighted count of untied usable system pairs per resampled document (R, D)."""
        return self.mask.res.W @ np.abs(self.pair_signs)

    @cached_property
    def pair_squares(self) -> FloatArray:
        return self.mask.res.W @ (self.pair_diffs * self.pair_diffs)

    @cached_property
    def doc_ranks(self) -> FloatArray:
        """Centred average ranks across systems within each document, usable cells only (R, S, D)."""
        res, mask = self.mask.res, self.mask
        n_systems, n_docs = self.X.shape
        signs = np.sign(self.X[:, None, :] - self.X[None, :, :])  # [a, a', d]
        below = 0.5 * (signs + 1.0) * mask.Mf[None, :, :]
        ranks = (res.C @ below.transpose(1, 0, 2).reshape(n_systems, -1)).reshape(-1, n_systems, n_docs) + 0.5
        return (ranks - 0.5 * (mask.n_doc + 1.0)[:, None, :]) * mask.Mf[None, :, :]

    @cached_property
    def doc_rank_squares(self) -> FloatArray:
        return np.einsum("rsd,rs->rd", self.doc_ranks * self.doc_ranks, self.mask.res.C)

    # system level -------------------------------------------------------
    @cached_property
    def system_means(self) -> _Rows:
        """Per-system means over the resampled usable cells (R, S), weighted by the system counts
        (0 for a system without a usable cell)."""
        counts = self.mask.system_counts
        sums = self.mask.res.E @ self.X.T
        means = np.where(counts > 0, sums / np.where(counts > 0, counts, 1.0), 0.0)
        return _Rows(means, self.mask.res.C * (counts > 0))

    # global level -------------------------------------------------------
    @cached_property
    def values(self) -> FloatArray:
        return self.X.ravel()[self.mask.cells]

    @cached_property
    def centred(self) -> FloatArray:
        return self.values - self.values.mean()

    @cached_property
    def tie_groups(self) -> tuple[IntArray, IntArray, IntArray]:
        """``(order, starts, group)``: usable cells sorted by value, the start of each group of equal
        values in that order, and each cell's group (in cell order)."""
        order = np.argsort(self.values, kind="stable")
        ordered = self.values[order]
        new = np.ones(ordered.size, dtype=bool)
        new[1:] = ordered[1:] != ordered[:-1]
        starts = np.flatnonzero(new)
        group = np.empty(ordered.size, dtype=np.intp)
        group[order] = np.cumsum(new) - 1
        return order, starts, group

    @cached_property
    def group_weights(self) -> FloatArray:
        order, starts, _ = self.tie_groups
        return np.add.reduceat(self.mask.u[:, order], starts, axis=1)

    @cached_property
    def global_untied(self) -> FloatArray:
        """Weighted count of ordered pairs of usable cells with different values: ``U^2 - sum_g U_g^2``."""
        return self.mask.U**2 - (self.group_weights**2).sum(axis=1)

    @cached_property
    def global_ranks(self) -> FloatArray:
        """Centred weighted average ranks of the usable cells (R, cells)."""
        _, _, group = self.tie_groups
        weights = self.group_weights
        ranks = np.cumsum(weights, axis=1) - 0.5 * (weights - 1.0)
        return ranks[:, group] - 0.5 * (self.mask.U + 1.0)[:, None]

    @cached_property
    def weighted_global_ranks(self) -> FloatArray:
        return self.mask.u * self.global_ranks

    @cached_property
    def global_rank_squares(self) -> FloatArray:
        return (self.weighted_global_ranks * self.global_ranks).sum(axis=1)

    @cached_property
    def moments(self) -> tuple[FloatArray, FloatArray]:
        """Weighted ``(sum x, sum x^2)`` of the centred usable values per resample."""
        u = self.mask.u
        return u @ self.centred, u @ (self.centred * self.centred)

    def blocks(self, start: int, stop: int) -> NDArray[np.int8]:
        """Signs ``sign(X[a, d] - X[a', d'])`` (0 unless both usable) of blocks ``k`` in
        ``start..stop`` of the system pairs ``a = bi[k] <= a' = bj[k]`` (k, D, D)."""
        if self._blocks is not None:
            return self._blocks[start:stop]
        res, mask = self.mask.res, self.mask.M
        n_docs = self.X.shape[1]
        whole = res.bi.size * n_docs * n_docs <= _BLOCK_CACHE_BYTES
        lo, hi = (0, res.bi.size) if whole else (start, stop)
        a, b = res.bi[lo:hi], res.bj[lo:hi]
        signs = np.sign(self.X[a][:, :, None] - self.X[b][:, None, :]).astype(np.int8)
        signs *= (mask[a][:, :, None] & mask[b][:, None, :]).astype(np.int8)
        if whole:
            self._blocks = signs
            return signs[start:stop]
        return signs


def _global_concordance(sx: _Side, sz: _Side) -> FloatArray:
    """``sum_ij u_i u_j sign(x_i - x_j) sign(z_i - z_j)`` over ordered pairs of usable cells, with
    ``u = C[a] E[d]``: per block of system pairs ``(a, a')``, ``C_a C_a' e^T Q_aa' e`` where
    ``Q_aa'[d, d']`` is the sign product.  ``E Q^T`` is one float32 matrix product of small integers
    (exact while ``D^2 < 2^24``), then each row is reduced against its own ``e``."""
    res = sx.mask.res
    n_blocks = res.bi.size
    rows, n_docs = res.E.shape
    total = np.zeros(rows)
    step = max(1, (2 * _CHUNK) // (n_docs * max(n_docs, rows)))
    for start in range(0, n_blocks, step):
        stop = min(n_blocks, start + step)
        q = (sx.blocks(start, stop) * sz.blocks(start, stop)).astype(np.float32)
        y = (res.E32 @ q.reshape(-1, n_docs).T).reshape(rows, stop - start, n_docs)
        per_block = np.matmul(y, res.E32[:, :, None])[:, :, 0]
        total += (res.block_weight[:, start:stop] * per_block).sum(axis=1)
    return total


def _resampled(sx: _Side, sz: _Side, level: str, coefficient: str) -> FloatArray:
    """The level correlation on every resample of ``sx.mask.res`` (R,): equal to
    :func:`level_correlation` of the resampled sub-matrices."""
    mask = sx.mask
    res = mask.res
    rows = res.C.shape[0]
    if level == "summary":
        defined = (sx.pair_untied > 0) & (sz.pair_untied > 0)
        if coefficient == "kendall":
            num = res.W @ (sx.pair_signs * sz.pair_signs)
            den = sx.pair_untied * sz.pair_untied
        elif coefficient == "pearson":
            num = res.W @ (sx.pair_diffs * sz.pair_diffs)
            den = sx.pair_squares * sz.pair_squares
        else:
            num = np.einsum("rsd,rsd,rs->rd", sx.doc_ranks, sz.doc_ranks, res.C, optimize=True)
            den = sx.doc_rank_squares * sz.doc_rank_squares
        r = _ratio(num, den, defined)
        weights = res.E * defined
        total = weights.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = (weights * np.where(defined, r, 0.0)).sum(axis=1) / total
        return np.where(total > 0, value, np.nan)
    if level == "system":
        return _rows_corr(sx.system_means, sz.system_means, coefficient)
    if mask.cells.size == 0:
        return np.full(rows, np.nan)
    defined = (sx.global_untied > 0) & (sz.global_untied > 0)
    if coefficient == "kendall":
        num = _global_concordance(sx, sz)
        den = sx.global_untied * sz.global_untied
    elif coefficient == "spearman":
        num = (sx.weighted_global_ranks * sz.global_ranks).sum(axis=1)
        den = sx.global_rank_squares * sz.global_rank_squares
    else:
        total = np.where(mask.U > 0, mask.U, 1.0)  # no usable cell drawn: undefined anyway
        (s_x, s_xx), (s_z, s_zz) = sx.moments, sz.moments
        num = mask.u @ (sx.centred * sz.centred) - s_x * s_z / total
        den = (s_xx - s_x * s_x / total) * (s_zz - s_z * s_z / total)
    return _ratio(num, den, defined)


def _row_chunks(n_samples: int, cells: int) -> Iterable[slice]:
    step = max(1, min(n_samples, (_CHUNK // 2) // max(cells, 1)))
    for start in range(0, n_samples, step):
        yield slice(start, min(n_samples, start + step))


def _draw(shape: tuple[int, int], resample: str, n_samples: int, seed: int) -> tuple[FloatArray, FloatArray]:
    systems, documents = resample_indices(shape[0], shape[1], resample=resample, n_samples=n_samples, seed=seed)
    return _counts(systems, shape[0]), _counts(documents, shape[1])


# --------------------------------------------------------------------------
# Meta-evaluation tables
# --------------------------------------------------------------------------


def meta_correlations(
    metrics: Mapping[str, ArrayLike],
    human: Mapping[str, ArrayLike],
    *,
    levels: Iterable[str] = LEVELS,
    coefficients: Iterable[str] = COEFFICIENTS,
    resample: str = "both",
    n_samples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> list[CorrelationRow]:
    """Every metric against every human dimension at every level with every coefficient.

    All matrices are ``[system, document]`` of one shape.  Rows come metric by metric (mapping
    order), then dimension, level and coefficient in the given orders.  ``value``, ``n_units`` and
    ``n_skipped`` are :func:`level_correlation`'s on the cells finite in both matrices; ``low`` and
    ``high`` the percentile bootstrap interval over the ``n_samples`` resamples of
    :func:`resample_indices` ``(S, D, resample=resample, n_samples=n_samples, seed=seed)`` -- the same
    resamples for every metric and dimension -- leaving out resamples where the correlation is
    undefined (NaN when all are, or when ``n_samples`` is 0).
    """
    levels = tuple(_check_choice(level, LEVELS, "level") for level in levels)
    coefficients = tuple(_check_choice(c, COEFFICIENTS, "coefficient") for c in coefficients)
    resample = _check_choice(resample, RESAMPLES, "resample")
    n_samples = _check_n_samples(n_samples, 0)
    confidence = _check_confidence(confidence)
    xs = {name: _as_matrix(m, f"metric {name!r}") for name, m in metrics.items()}
    zs = {name: _as_matrix(h, f"human dimension {name!r}") for name, h in human.items()}
    if not xs or not zs:
        return []
    shape = next(iter(xs.values())).shape
    for label, group in (("metric", xs), ("human dimension", zs)):
        for name, arr in group.items():
            _same_shape(shape, arr, f"{label} {name!r}")
    finite_x = {name: ~np.isnan(arr) for name, arr in xs.items()}
    finite_z = {name: ~np.isnan(arr) for name, arr in zs.items()}
    combos = [(level, c) for level in levels for c in coefficients]

    boots = np.full((len(xs), len(zs), len(combos), n_samples), np.nan)
    if n_samples:
        counts_s, counts_d = _draw(shape, resample, n_samples, seed)
        for rows in _row_chunks(n_samples, shape[0] * shape[1]):
            res = _Resamples(counts_s[rows], counts_d[rows])
            # Sides are kept per usable-cell mask: a dimension's side serves every metric with the same
            # NaN pattern (the usual case); a few masks are kept at a time to bound memory.
            masks: dict[bytes, _Mask] = {}
            human_sides: dict[tuple[str, bytes], _Side] = {}
            for i, (mname, x) in enumerate(xs.items()):
                metric_sides: dict[bytes, _Side] = {}
                for j, (hname, z) in enumerate(zs.items()):
                    joint = finite_x[mname] & finite_z[hname]
                    key = joint.tobytes()
                    if key not in masks:
                        if len(masks) >= 4:
                            masks.clear()
                            human_sides.clear()
                            metric_sides.clear()
                        masks[key] = _Mask(res, joint)
                    mask = masks[key]
                    if key not in metric_sides:
                        metric_sides[key] = _Side(mask, x)
                    if (hname, key) not in human_sides:
                        human_sides[hname, key] = _Side(mask, z)
                    sx, sz = metric_sides[key], human_sides[hname, key]
                    for k, (level, coefficient) in enumerate(combos):
                        boots[i, j, k, rows] = _resampled(sx, sz, level, coefficient)

    out: list[CorrelationRow] = []
    for i, (mname, x) in enumerate(xs.items()):
        for j, (hname, z) in enumerate(zs.items()):
            joint = finite_x[mname] & finite_z[hname]
            for k, (level, coefficient) in enumerate(combos):
                value, n_units, n_skipped = _point(x, z, joint, level, coefficient)
                low, high = _interval(boots[i, j, k], confidence)
                out.append(CorrelationRow(mname, hname, level, coefficient, value, low, high, n_units, n_skipped))
    return out


def level_result(
    x: ArrayLike,
    z: ArrayLike,
    level: str,
    coefficient: str,
    *,
    resample: str = "both",
    n_samples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> LevelResult:
    """:func:`level_correlation` with its bootstrap interval and unit counts: the numbers of the one
    row of :func:`meta_correlations` ``({"x": x}, {"z": z}, ...)`` at this level and coefficient."""
    (row,) = meta_correlations(
        {"x": x},
        {"z": z},
        levels=(level,),
        coefficients=(coefficient,),
        resample=resample,
        n_samples=n_samples,
        confidence=confidence,
        seed=seed,
    )
    return LevelResult(row.level, row.coefficient, row.value, row.low, row.high, row.n_units, row.n_skipped)


# --------------------------------------------------------------------------
# Comparing two metrics
# --------------------------------------------------------------------------


def _three(x1: ArrayLike, x2: ArrayLike, z: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray]:
    a = _as_matrix(x1, "x1")
    b = _as_matrix(x2, "x2")
    h = _as_matrix(z, "z")
    _same_shape(a.shape, b, "x2")
    _same_shape(a.shape, h, "z")
    common = ~np.isnan(a) & ~np.isnan(b) & ~np.isnan(h)
    return a, b, h, common


def _standardised(x: FloatArray, mask: BoolArray) -> FloatArray:
    """``(x - mean) / std`` over the cells of ``mask`` (population std; only centred if it is 0)."""
    values = x[mask]
    if values.size == 0:
        return _masked(x, mask)
    std = float(values.std())
    return _masked((x - values.mean()) / (std if std > 0 else 1.0), mask)


def _batch_values(xb: FloatArray, z: FloatArray, mask: BoolArray, level: str, coefficient: str) -> FloatArray:
    """The level correlation of each matrix ``xb[r]`` (R, S, D) with ``z`` on the cells of ``mask``."""
    rows, n_systems, n_docs = xb.shape
    if level == "summary":
        w = np.broadcast_to(mask.T.astype(np.float64), (rows, n_docs, n_systems)).reshape(-1, n_systems)
        zt = np.broadcast_to(_masked(z, mask).T, (rows, n_docs, n_systems)).reshape(-1, n_systems)
        r = _pairwise_corr(xb.transpose(0, 2, 1).reshape(-1, n_systems), zt, w, coefficient).reshape(rows, n_docs)
        ok = ~np.isnan(r)
        used = ok.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(ok, r, 0.0).sum(axis=1) / used
        return np.where(used > 0, value, np.nan)
    if level == "system":
        counts = mask.sum(axis=1)
        has = counts > 0
        safe = np.where(has, counts, 1)
        mx = (xb * mask).sum(axis=2) / safe
        mz = np.broadcast_to(_masked(z, mask).sum(axis=1) / safe, (rows, n_systems))
        return _pairwise_corr(mx, mz, np.broadcast_to(has.astype(np.float64), (rows, n_systems)), coefficient)
    zv = z[mask]
    return np.array([_correlation_finite(xb[r][mask], zv, coefficient) for r in range(rows)])


def compare_metrics(
    x1: ArrayLike,
    x2: ArrayLike,
    z: ArrayLike,
    level: str,
    coefficient: str,
    *,
    method: str = "bootstrap",
    resample: str = "both",
    n_samples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> MetricComparison:
    """Is metric ``x1`` more correlated with human scores ``z`` than metric ``x2``?

    All three are ``[system, document]`` matrices of one shape; only the cells finite in all three
    are used, so ``difference = r(x1, z) - r(x2, z)`` (:func:`level_correlation` on those cells) may
    differ from the difference of two :func:`meta_correlations` values when NaN patterns differ.

    ``method="bootstrap"`` (paired): the differences ``d_b`` on the resamples of
    :func:`resample_indices` (the ones :func:`meta_correlations` uses for the same ``seed``), leaving
    out undefined ones; ``low``/``high`` is their percentile interval and the two-sided
    ``p = min(1, 2 * (1 + min(#{d_b <= 0}, #{d_b >= 0})) / (1 + B))`` over the ``B`` defined resamples
    (never 0; 1 when every ``d_b`` is 0, e.g. ``x1`` equal to ``x2``).

    ``method="permutation"`` (Deutsch et al. 2021's permutation test): each metric is standardised
    (z-scored over the common cells; correlations do not change), then each permutation swaps the
    two metrics' values with probability 1/2 independently per cell (``resample="both"``), per
    system row (``"systems"``) or per document column (``"documents"``), drawn with
    ``default_rng(seed).random``, and recomputes the difference.  ``p = (1 + #{|d_perm| >= |d_obs|}) /
    (1 + B)`` over the ``B`` defined permutations, a permuted difference within 1e-12 of ``|d_obs|``
    counting as at least as large.  ``low``/``high`` are NaN.
    """
    level = _check_choice(level, LEVELS, "level")
    coefficient = _check_choice(coefficient, COEFFICIENTS, "coefficient")
    method = _check_choice(method, _METHODS, "method")
    resample = _check_choice(resample, RESAMPLES, "resample")
    n_samples = _check_n_samples(n_samples)
    confidence = _check_confidence(confidence)
    a, b, h, common = _three(x1, x2, z)
    r1, n_units, _ = _point(a, h, common, level, coefficient)
    r2 = _point(b, h, common, level, coefficient)[0]
    difference = r1 - r2
    if method == "bootstrap":
        counts_s, counts_d = _draw(common.shape, resample, n_samples, seed)
        diffs = np.empty(n_samples)
        for rows in _row_chunks(n_samples, common.size):
            mask = _Mask(_Resamples(counts_s[rows], counts_d[rows]), common)
            sz = _Side(mask, h)
            diffs[rows] = _resampled(_Side(mask, a), sz, level, coefficient) - _resampled(
                _Side(mask, b), sz, level, coefficient
            )
        diffs = diffs[np.isfinite(diffs)]
        low, high = _interval(diffs, confidence)
        if math.isnan(difference) or diffs.size == 0:
            p = math.nan
        else:
            extreme = min(int((diffs <= 0).sum()), int((diffs >= 0).sum()))
            p = min(1.0, 2.0 * (1 + extreme) / (1 + diffs.size))
        return MetricComparison(level, coefficient, difference, low, high, p, method, n_samples, n_units)

    sa, sb = _standardised(a, common), _standardised(b, common)
    observed = float(
        _batch_values(sa[None], h, common, level, coefficient)[0]
        - _batch_values(sb[None], h, common, level, coefficient)[0]
    )
    rng = np.random.default_rng(seed)
    n_systems, n_docs = common.shape
    swap_shape = {"both": (n_systems, n_docs), "systems": (n_systems, 1), "documents": (1, n_docs)}[resample]
    perm = np.empty(n_samples)
    for rows in _row_chunks(n_samples, common.size):
        swap = rng.random((rows.stop - rows.start, *swap_shape)) < 0.5
        pa = np.where(swap, sb[None], sa[None])
        pb = np.where(swap, sa[None], sb[None])
        perm[rows] = _batch_values(pa, h, common, level, coefficient) - _batch_values(pb, h, common, level, coefficient)
    perm = perm[np.isfinite(perm)]
    if math.isnan(observed) or perm.size == 0:
        p = math.nan
    else:
        p = (1 + int((np.abs(perm) >= abs(observed) - _PERMUTATION_TIE).sum())) / (1 + perm.size)
    return MetricComparison(level, coefficient, difference, math.nan, math.nan, p, method, n_samples, n_units)


def williams_test(r12: float, r13: float, r23: float, n: int, *, alternative: str = "two-sided") -> float:
    """Williams' (1959) test that two dependent Pearson correlations sharing variable 1 are equal.

    Variable 1 is the human score, 2 and 3 the two metrics, on ``n`` units (Graham & Baldwin 2014's
    use for MT metrics)::

        K = 1 - r12^2 - r13^2 - r23^2 + 2 r12 r13 r23
        t = (r12 - r13) sqrt((n - 1)(1 + r23)) / sqrt(2 K (n - 1) / (n - 3) + (r12 + r13)^2 / 4 (1 - r23)^3)

    with ``n - 3`` degrees of freedom.  Returns the p-value: ``two-sided`` ``2 P(T >= |t|)``,
    ``greater`` (H1: r12 > r13) ``P(T >= t)``, ``less`` ``P(T <= t)``.  ``t = 0`` when ``r12 == r13``
    (so two identical metrics give p = 1 two-sided), NaN when ``n <= 3`` or a correlation is NaN.
    ``K`` is the determinant of the correlation matrix; a ``K`` below -1e-12 is not a correlation
    matrix and raises ``ValueError`` (small negative rounding is taken as 0).
    """
    alternative = _check_choice(alternative, _ALTERNATIVES, "alternative")
    rs = (float(r12), float(r13), float(r23))
    if any(math.isnan(r) for r in rs) or n <= 3:
        return math.nan
    if any(abs(r) > 1.0 for r in rs):
        raise ValueError(f"correlations must lie in [-1, 1]; got {rs}")
    a, b, c = rs
    k = 1.0 - a * a - b * b - c * c + 2.0 * a * b * c
    if k < -1e-12:
        raise ValueError(f"r12={a}, r13={b}, r23={c} cannot be three correlations of the same units")
    k = max(k, 0.0)
    numerator = (a - b) * math.sqrt((n - 1) * (1.0 + c))
    if numerator == 0.0:
        t = 0.0
    else:
        denominator = math.sqrt(2.0 * k * (n - 1) / (n - 3) + ((a + b) ** 2 / 4.0) * (1.0 - c) ** 3)
        if denominator == 0.0:
            return math.nan
        t = numerator / denominator
    df = n - 3
    if alternative == "greater":
        return float(scipy.stats.t.sf(t, df))
    if alternative == "less":
        return float(scipy.stats.t.cdf(t, df))
    return float(min(1.0, 2.0 * scipy.stats.t.sf(abs(t), df)))


def williams_compare(
    x1: ArrayLike, x2: ArrayLike, z: ArrayLike, level: str = "system", *, alternative: str = "two-sided"
) -> MetricComparison:
    """:func:`williams_test` of ``r(z, x1)`` against ``r(z, x2)`` (Pearson) with ``r23 = r(x1, x2)``.

    Units, on the cells finite in all three matrices: ``system`` -- the per-system means (systems
    with at least one such cell); ``global`` -- the cells pooled.  (Summary-level correlations are
    means of per-document correlations, to which the test does not apply: ``ValueError``.)
    ``difference = r(z, x1) - r(z, x2)``; ``n_units`` is the number of units, ``n_samples`` 0.
    """
    level = _check_choice(level, ("system", "global"), "level")
    a, b, h, common = _three(x1, x2, z)
    if level == "system":
        counts = common.sum(axis=1)
        has = counts > 0
        va, vb, vh = (_masked(m, common).sum(axis=1)[has] / counts[has] for m in (a, b, h))
    else:
        va, vb, vh = a[common], b[common], h[common]
    r12 = _correlation_finite(vh, va, "pearson")
    r13 = _correlation_finite(vh, vb, "pearson")
    r23 = _correlation_finite(va, vb, "pearson")
    p = williams_test(r12, r13, r23, int(vh.size), alternative=alternative)
    return MetricComparison(level, "pearson", r12 - r13, math.nan, math.nan, p, "williams", 0, int(vh.size))


# --------------------------------------------------------------------------
# Binary labels
# --------------------------------------------------------------------------


def _auc(scores: FloatArray, positive: BoolArray) -> float:
    ranks = scipy.stats.rankdata(scores)
    n1 = int(positive.sum())
    n0 = scores.size - n1
    return float((ranks[positive].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def roc_auc(
    scores: ArrayLike, labels: ArrayLike, *, n_samples: int = 1000, confidence: float = 0.95, seed: int = 0
) -> BinaryResult:
    """How well ``scores`` separate items labelled 1 from items labelled 0 (e.g. FRANK: 1 = the
    summary has a factual error, scored by an error detector).

    Items with a NaN score are dropped (``n_dropped``); labels must be 0/1 (or booleans).  ``auc`` is
    ``P(s_pos > s_neg) + P(s_pos == s_neg) / 2`` over all (label-1, label-0) pairs, the Mann-Whitney
    statistic (equals ``sklearn.metrics.roc_auc_score(labels, scores)``): a score that is *high* for
    label 1 gives an AUC above 1/2 (pass ``-scores`` for a score that is high for label 0).
    ``point_biserial`` is Pearson's r between the labels and the scores (``scipy.stats.pointbiserialr``).

    Intervals: percentile bootstrap, **stratified** -- each resample draws the label-1 items and the
    label-0 items with replacement separately, keeping both class sizes, so the AUC is always defined
    (``default_rng(seed)``; per resample the positives' indices, then the negatives').  Resamples where
    the scores are constant (point-biserial undefined) are left out of its interval.  Everything is
    NaN when a class is empty (and the point-biserial when the scores are constant).
    """
    n_samples = _check_n_samples(n_samples, 0)
    confidence = _check_confidence(confidence)
    s = _as_vector(scores, "scores")
    y = _as_vector(labels, "labels")
    if y.shape != s.shape:
        raise ValueError(f"scores and labels must have the same length; got {s.size} and {y.size}")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("labels must all be 0 or 1")
    keep = ~np.isnan(s)
    n_dropped = int((~keep).sum())
    s = s[keep]
    positive = y[keep] == 1.0
    n = int(s.size)
    n1 = int(positive.sum())
    n0 = n - n1
    nan = math.nan
    if n1 == 0 or n0 == 0:
        return BinaryResult(nan, nan, nan, nan, nan, nan, n, n1, n_dropped)
    auc = _auc(s, positive)
    pb = _correlation_finite(positive.astype(np.float64), s, "pearson")
    if n_samples == 0:
        return BinaryResult(auc, nan, nan, pb, nan, nan, n, n1, n_dropped)

    values, inverse = np.unique(s, return_inverse=True)
    n_values = values.size
    pos_value = inverse[positive]
    neg_value = inverse[~positive]
    centred = s - s.mean()
    pos_centred = centred[positive]
    neg_centred = centred[~positive]
    rng = np.random.default_rng(seed)
    aucs = np.empty(n_samples)
    pbs = np.empty(n_samples)
    for rows in _row_chunks(n_samples, n):
        k = rows.stop - rows.start
        wp = _counts(rng.integers(0, n1, size=(k, n1)).astype(np.intp), n1)
        wn = _counts(rng.integers(0, n0, size=(k, n0)).astype(np.intp), n0)
        offsets = n_values * np.arange(k, dtype=np.intp)[:, None]
        pos_u = np.bincount((pos_value[None, :] + offsets).ravel(), weights=wp.ravel(), minlength=k * n_values)
        neg_u = np.bincount((neg_value[None, :] + offsets).ravel(), weights=wn.ravel(), minlength=k * n_values)
        pos_u = pos_u.reshape(k, n_values)
        neg_u = neg_u.reshape(k, n_values)
        below = np.cumsum(neg_u, axis=1) - neg_u
        aucs[rows] = (pos_u * (below + 0.5 * neg_u)).sum(axis=1) / (n1 * n0)
        s_sum = wp @ pos_centred + wn @ neg_centred
        s_sq = wp @ (pos_centred * pos_centred) + wn @ (neg_centred * neg_centred)
        cov = wp @ pos_centred - n1 * s_sum / n
        var_s = s_sq - s_sum * s_sum / n
        var_y = n1 - n1 * n1 / n
        varied = ((pos_u + neg_u) > 0).sum(axis=1) > 1
        pbs[rows] = _ratio(cov, var_y * var_s, varied)
    auc_low, auc_high = _interval(aucs, confidence)
    pb_low, pb_high = _interval(pbs, confidence)
    return BinaryResult(auc, auc_low, auc_high, pb, pb_low, pb_high, n, n1, n_dropped)
