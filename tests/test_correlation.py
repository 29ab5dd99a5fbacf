"""Tests for sumbench.scoring.correlation (metric-human meta-evaluation statistics)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.stats
from sklearn.metrics import roc_auc_score

from sumbench.scoring import correlation as corr
from sumbench.scoring.correlation import (
    COEFFICIENTS,
    LEVELS,
    RESAMPLES,
    CorrelationRow,
    compare_metrics,
    correlation,
    level_correlation,
    level_result,
    meta_correlations,
    resample_indices,
    roc_auc,
    williams_compare,
    williams_test,
)

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

# The 3 x 4 example ([system, document]) whose nine level correlations are worked out by hand below.
X34 = np.array([[1, 1, 1, 1], [2, 2, 2, 1], [3, 3, 3, 2]], dtype=float)
Z34 = np.array([[1, 3, 2, 1], [2, 2, 1, 2], [3, 1, 3, 3]], dtype=float)


def _fraction_pearson(x: list[Fraction], z: list[Fraction]) -> float:
    """Pearson r in exact arithmetic (only the final square root in floats)."""
    mx = sum(x, Fraction(0)) / len(x)
    mz = sum(z, Fraction(0)) / len(z)
    cov = sum(((a - mx) * (b - mz) for a, b in zip(x, z)), Fraction(0))
    vx = sum(((a - mx) ** 2 for a in x), Fraction(0))
    vz = sum(((b - mz) ** 2 for b in z), Fraction(0))
    return float(cov) / math.sqrt(float(vx * vz))


def _scipy(x: np.ndarray, z: np.ndarray, coefficient: str) -> float:
    if coefficient == "kendall":
        return float(scipy.stats.kendalltau(x, z, variant="b").statistic)
    if coefficient == "spearman":
        return float(scipy.stats.spearmanr(x, z).statistic)
    return float(scipy.stats.pearsonr(x, z).statistic)


def _random_matrix(rng: np.random.Generator, shape: tuple[int, int], levels: int, nan_share: float) -> np.ndarray:
    """Small integers (many ties) with a share of NaN cells."""
    m = rng.integers(0, levels, size=shape).astype(float)
    m[rng.random(shape) < nan_share] = np.nan
    return m


# --------------------------------------------------------------------------
# correlation()
# --------------------------------------------------------------------------


@pytest.mark.parametrize("coefficient", COEFFICIENTS)
def test_concordant_and_reversed(coefficient):
    x = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert correlation(x, [10.0, 20.0, 30.0, 40.0, 50.0], coefficient) == pytest.approx(1.0)
    assert correlation(x, [5.0, 4.0, 3.0, 2.0, 1.0], coefficient) == pytest.approx(-1.0)


def test_known_values_with_ties():
    # x = (1, 1, 2), z = (1, 2, 3): pairs (1,2) tied in x, (1,3) and (2,3) concordant.
    # tau-b = (2 - 0) / sqrt((3 - 1) * (3 - 0)) = 2 / sqrt(6).
    x, z = [1.0, 1.0, 2.0], [1.0, 2.0, 3.0]
    assert correlation(x, z, "kendall") == pytest.approx(2 / math.sqrt(6), abs=1e-15)
    assert correlation(x, z, "kendall") == pytest.approx(scipy.stats.kendalltau(x, z, variant="b").statistic)
    # average ranks (1.5, 1.5, 3) against (1, 2, 3): centred (-.5, -.5, 1) and (-1, 0, 1): 1.5 / sqrt(1.5 * 2)
    assert correlation(x, z, "spearman") == pytest.approx(math.sqrt(3) / 2, abs=1e-15)
    assert correlation(x, z, "pearson") == pytest.approx(math.sqrt(3) / 2, abs=1e-15)
    # a larger tau-b with ties in both: scipy's number
    x = [1, 2, 2, 3, 3, 3, 4, 5, 5, 6]
    z = [2, 1, 2, 3, 5, 5, 4, 4, 6, 6]
    for c in COEFFICIENTS:
        assert correlation(x, z, c) == pytest.approx(_scipy(np.array(x), np.array(z), c), abs=1e-14)


@pytest.mark.parametrize("coefficient", COEFFICIENTS)
def test_undefined_is_nan_never_zero(coefficient):
    assert math.isnan(correlation([1.0, 2.0, 3.0], [4.0, 4.0, 4.0], coefficient))
    assert math.isnan(correlation([2.0, 2.0], [1.0, 3.0], coefficient))
    assert math.isnan(correlation([1.0], [2.0], coefficient))
    assert math.isnan(correlation([], [], coefficient))
    # NaN on either side drops the pair: only (1, 1) and (2, 2) are left
    assert correlation([1.0, np.nan, 2.0, 5.0], [1.0, 3.0, 2.0, np.nan], coefficient) == pytest.approx(1.0)
    assert math.isnan(correlation([1.0, np.nan, 2.0], [1.0, 3.0, np.nan], coefficient))


def test_bad_input():
    with pytest.raises(ValueError, match="inf"):
        correlation([1.0, np.inf], [1.0, 2.0], "pearson")
    with pytest.raises(ValueError, match="coefficient"):
        correlation([1.0, 2.0], [1.0, 2.0], "tau")
    with pytest.raises(ValueError, match="same length"):
        correlation([1.0, 2.0], [1.0, 2.0, 3.0], "pearson")
    with pytest.raises(ValueError, match="level"):
        level_correlation(X34, Z34, "corpus", "pearson")
    with pytest.raises(ValueError, match="shape"):
        level_correlation(X34, Z34[:, :3], "global", "pearson")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 3), st.booleans()),
        min_size=0,
        max_size=25,
    )
)
def test_correlation_matches_scipy(points):
    x = np.array([p[0] for p in points], dtype=float)
    z = np.array([p[1] + (0.5 if p[2] else 0.0) for p in points])
    for c in COEFFICIENTS:
        got = correlation(x, z, c)
        if x.size < 2 or np.all(x == x[0]) or np.all(z == z[0]):
            assert math.isnan(got)
        else:
            assert got == pytest.approx(_scipy(x, z, c), abs=1e-12)


# --------------------------------------------------------------------------
# Levels
# --------------------------------------------------------------------------


def test_three_levels_by_hand():
    # summary: documents 1..4 have x = (1,2,3), (1,2,3), (1,2,3), (1,1,2) across systems and
    # z = (1,2,3), (3,2,1), (2,1,3), (1,2,3): tau-b 1, -1, 1/3, 2/sqrt(6); Spearman = Pearson
    # 1, -1, 1/2, sqrt(3)/2 (the z's are their own ranks, (1,1,2) has ranks 1.5 * x).
    assert level_correlation(X34, Z34, "summary", "kendall") == pytest.approx((1 / 3 + 2 / math.sqrt(6)) / 4)
    assert level_correlation(X34, Z34, "summary", "spearman") == pytest.approx((0.5 + math.sqrt(3) / 2) / 4)
    assert level_correlation(X34, Z34, "summary", "pearson") == pytest.approx((0.5 + math.sqrt(3) / 2) / 4)
    # system: means x = (1, 7/4, 11/4), z = (7/4, 7/4, 10/4): tau-b 2 / sqrt(3 * 2) (one z tie);
    # Spearman ranks (1, 2, 3) vs (1.5, 1.5, 3): sqrt(3)/2; Pearson centred (-10, -1, 11)/12 and
    # (-1, -1, 2)/4: (33/48) / sqrt(222/144 * 6/16) = 33 / sqrt(1332).
    assert level_correlation(X34, Z34, "system", "kendall") == pytest.approx(2 / math.sqrt(6))
    assert level_correlation(X34, Z34, "system", "spearman") == pytest.approx(math.sqrt(3) / 2)
    assert level_correlation(X34, Z34, "system", "pearson") == pytest.approx(33 / math.sqrt(1332))
    # global: 12 cells, 66 pairs: 22 concordant, 11 discordant, 19 tied in x, 18 tied in z
    assert level_correlation(X34, Z34, "global", "kendall") == pytest.approx(11 / math.sqrt(47 * 48))
    xs = [Fraction(int(v)) for v in X34.ravel()]
    zs = [Fraction(int(v)) for v in Z34.ravel()]
    assert level_correlation(X34, Z34, "global", "pearson") == pytest.approx(_fraction_pearson(xs, zs))
    assert _fraction_pearson(xs, zs) == pytest.approx(2 / math.sqrt(Fraction(23, 3) * 8))
    # average ranks: x = 1, 2, 3 (5, 4, 3 cells) -> 3, 7.5, 11; z = 1, 2, 3 (4 cells each) -> 2.5, 6.5, 10.5
    rx = [{1: Fraction(3), 2: Fraction(15, 2), 3: Fraction(11)}[int(v)] for v in xs]
    rz = [{1: Fraction(5, 2), 2: Fraction(13, 2), 3: Fraction(21, 2)}[int(v)] for v in zs]
    assert level_correlation(X34, Z34, "global", "spearman") == pytest.approx(_fraction_pearson(rx, rz))
    for c in COEFFICIENTS:  # the three levels answer three different questions
        assert len({round(level_correlation(X34, Z34, lv, c), 9) for lv in LEVELS}) == 3


def test_summary_level_skips_undefined_documents():
    x = np.array(
        [
            [1.0, 1.0, 5.0, np.nan, 2.0],
            [2.0, 3.0, 5.0, 1.0, 1.0],
            [3.0, 2.0, 5.0, np.nan, np.nan],
        ]
    )
    z = np.array(
        [
            [1.0, 1.0, 1.0, 4.0, 7.0],
            [2.0, 2.0, 2.0, 3.0, np.nan],
            [3.0, 3.0, 3.0, 2.0, 7.0],
        ]
    )
    # document 3: x constant; document 4: one system; document 5: one usable cell (x NaN or z NaN)
    for c in COEFFICIENTS:
        r1 = correlation(x[:, 0], z[:, 0], c)
        r2 = correlation(x[:, 1], z[:, 1], c)
        assert level_correlation(x, z, "summary", c) == pytest.approx((r1 + r2) / 2)
        res = level_result(x, z, "summary", c, n_samples=20)
        assert (res.n_units, res.n_skipped) == (2, 3)
    # system level: every system has a usable cell
    res = level_result(x, z, "system", "pearson", n_samples=20)
    assert (res.n_units, res.n_skipped) == (3, 0)
    means_x = [np.mean([1, 1, 5, 2]), np.mean([2, 3, 5, 1]), np.mean([3, 2, 5])]
    means_z = [np.mean([1, 1, 1, 7]), np.mean([2, 2, 2, 3]), np.mean([3, 3, 3])]
    assert res.value == pytest.approx(correlation(means_x, means_z, "pearson"))
    res = level_result(x, z, "global", "kendall", n_samples=20)
    keep = ~np.isnan(x) & ~np.isnan(z)
    assert (res.n_units, res.n_skipped) == (int(keep.sum()), 0)
    assert res.value == pytest.approx(scipy.stats.kendalltau(x[keep], z[keep]).statistic)
    # nothing usable at all: NaN, never 0
    empty = np.full((3, 2), np.nan)
    for lv in LEVELS:
        assert math.isnan(level_correlation(empty, z[:, :2], lv, "kendall"))


def test_system_level_leaves_out_systems_without_cells():
    x = np.array([[1.0, 2.0], [np.nan, np.nan], [3.0, 5.0], [2.0, 2.0]])
    z = np.array([[1.0, 1.0], [9.0, 9.0], [4.0, 4.0], [3.0, np.nan]])
    res = level_result(x, z, "system", "spearman", n_samples=10)
    assert (res.n_units, res.n_skipped) == (3, 1)
    assert res.value == pytest.approx(correlation([1.5, 4.0, 2.0], [1.0, 4.0, 3.0], "spearman"))


@pytest.mark.parametrize("coefficient", COEFFICIENTS)
def test_vectorised_summary_matches_scalar_loop(coefficient):
    rng = np.random.default_rng(7)
    x = _random_matrix(rng, (7, 40), 4, 0.2)
    z = _random_matrix(rng, (7, 40), 3, 0.1)
    per_doc = [correlation(x[:, d], z[:, d], coefficient) for d in range(40)]
    assert level_correlation(x, z, "summary", coefficient) == pytest.approx(np.nanmean(per_doc), abs=1e-12)


# --------------------------------------------------------------------------
# Resampled (weighted) engine == recomputation on the resampled sub-matrices
# --------------------------------------------------------------------------


def _engine(x, z, resample, n_samples, seed):
    systems, documents = resample_indices(*x.shape, resample=resample, n_samples=n_samples, seed=seed)
    res = corr._Resamples(corr._counts(systems, x.shape[0]), corr._counts(documents, x.shape[1]))
    mask = corr._Mask(res, ~np.isnan(x) & ~np.isnan(z))
    return systems, documents, corr._Side(mask, x), corr._Side(mask, z)


def _assert_engine_matches(x, z, resample, n_samples, seed):
    systems, documents, sx, sz = _engine(x, z, resample, n_samples, seed)
    for lv in LEVELS:
        for c in COEFFICIENTS:
            fast = corr._resampled(sx, sz, lv, c)
            slow = np.array([level_correlation(x[s][:, d], z[s][:, d], lv, c) for s, d in zip(systems, documents)])
            np.testing.assert_array_equal(np.isnan(fast), np.isnan(slow), err_msg=f"{resample} {lv} {c}")
            np.testing.assert_allclose(fast, slow, atol=1e-12, err_msg=f"{resample} {lv} {c}")


@pytest.mark.parametrize("resample", RESAMPLES)
def test_resampled_engine_matches_submatrices(resample):
    rng = np.random.default_rng(3)
    x = _random_matrix(rng, (6, 9), 4, 0.2)
    z = _random_matrix(rng, (6, 9), 3, 0.1)
    x[:, 2] = 1.0  # a constant document
    z[4] = np.nan  # a system without a usable cell
    _assert_engine_matches(x, z, resample, 25, seed=5)


def test_resampled_engine_continuous_values():
    rng = np.random.default_rng(11)
    z = rng.normal(size=(8, 15))
    x = z + rng.normal(size=z.shape)
    x[rng.random(x.shape) < 0.15] = np.nan
    _assert_engine_matches(x, z, "both", 20, seed=1)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(2, 6),
    st.integers(1, 7),
    st.integers(0, 2**31 - 1),
    st.sampled_from(RESAMPLES),
    st.floats(0.0, 0.5),
)
def test_resampled_engine_matches_submatrices_property(n_systems, n_docs, seed, resample, nan_share):
    rng = np.random.default_rng(seed)
    x = _random_matrix(rng, (n_systems, n_docs), 3, nan_share)
    z = _random_matrix(rng, (n_systems, n_docs), 3, nan_share)
    _assert_engine_matches(x, z, resample, 6, seed=seed)


def test_interval_is_percentile_of_recomputed_resamples():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(5, 12))
    x = z + rng.normal(size=z.shape)
    x[0, 3] = np.nan
    for lv in LEVELS:
        res = level_result(x, z, lv, "kendall", resample="both", n_samples=50, confidence=0.9, seed=4)
        systems, documents = resample_indices(5, 12, resample="both", n_samples=50, seed=4)
        values = np.array(
            [level_correlation(x[s][:, d], z[s][:, d], lv, "kendall") for s, d in zip(systems, documents)]
        )
        low, high = np.quantile(values[~np.isnan(values)], [0.05, 0.95])
        assert (res.low, res.high) == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))


def test_resample_indices_modes():
    s, d = resample_indices(4, 6, resample="documents", n_samples=5, seed=0)
    assert s.shape == (5, 4) and d.shape == (5, 6)
    assert (s == np.arange(4)).all() and not (d == np.arange(6)).all()
    s, d = resample_indices(4, 6, resample="systems", n_samples=5, seed=0)
    assert not (s == np.arange(4)).all() and (d == np.arange(6)).all()
    s, d = resample_indices(4, 6, resample="both", n_samples=5, seed=0)
    assert not (s == np.arange(4)).all() and not (d == np.arange(6)).all()
    with pytest.raises(ValueError, match="resample"):
        resample_indices(4, 6, resample="inputs")


def test_resample_modes_change_what_varies():
    # every document is the same column: redrawing documents changes nothing at the summary level
    rng = np.random.default_rng(0)
    col_x, col_z = rng.normal(size=8), rng.normal(size=8)
    x = np.tile(col_x[:, None], (1, 10))
    z = np.tile(col_z[:, None], (1, 10))
    docs = level_result(x, z, "summary", "pearson", resample="documents", n_samples=200)
    assert docs.low == pytest.approx(docs.value) and docs.high == pytest.approx(docs.value)
    systems = level_result(x, z, "summary", "pearson", resample="systems", n_samples=200)
    assert systems.high - systems.low > 0.1


# --------------------------------------------------------------------------
# meta_correlations
# --------------------------------------------------------------------------


def _data(seed: int = 0, shape: tuple[int, int] = (8, 30)):
    rng = np.random.default_rng(seed)
    human = {"coherence": rng.normal(size=shape), "relevance": rng.normal(size=shape)}
    metrics = {
        "good": human["coherence"] + 0.3 * rng.normal(size=shape),
        "bad": rng.normal(size=shape),
    }
    metrics["good"][0, :5] = np.nan
    return metrics, human


def test_meta_correlations_rows_and_values():
    metrics, human = _data()
    rows = meta_correlations(metrics, human, n_samples=200, seed=1)
    assert len(rows) == 2 * 2 * 3 * 3
    assert all(isinstance(r, CorrelationRow) for r in rows)
    assert [(r.metric, r.dimension, r.level, r.coefficient) for r in rows[:4]] == [
        ("good", "coherence", "summary", "kendall"),
        ("good", "coherence", "summary", "spearman"),
        ("good", "coherence", "summary", "pearson"),
        ("good", "coherence", "system", "kendall"),
    ]
    for r in rows:
        x, z = metrics[r.metric], human[r.dimension]
        assert r.value == level_correlation(x, z, r.level, r.coefficient)
        single = level_result(x, z, r.level, r.coefficient, n_samples=200, seed=1)
        assert (single.value, single.low, single.high, single.n_units, single.n_skipped) == (
            r.value,
            r.low,
            r.high,
            r.n_units,
            r.n_skipped,
        )
        assert r.low <= r.high
    good = {(r.level, r.coefficient): r for r in rows if (r.metric, r.dimension) == ("good", "coherence")}
    for r in good.values():
        assert r.low <= r.value <= r.high
        assert r.low > 0
    summary = good["summary", "kendall"]
    assert (summary.n_units, summary.n_skipped) == (30, 0)
    assert good["global", "kendall"].n_units == 8 * 30 - 5


def test_meta_correlations_deterministic_and_shared_resamples():
    metrics, human = _data()
    metrics["copy"] = metrics["good"].copy()
    a = meta_correlations(metrics, human, n_samples=100, seed=3, levels=("summary", "global"))
    b = meta_correlations(metrics, human, n_samples=100, seed=3, levels=("summary", "global"))
    c = meta_correlations(metrics, human, n_samples=100, seed=4, levels=("summary", "global"))
    assert a == b
    assert [r.low for r in a] != [r.low for r in c]
    good = [(r.value, r.low, r.high) for r in a if r.metric == "good"]
    copy = [(r.value, r.low, r.high) for r in a if r.metric == "copy"]
    assert good == copy  # the same resamples for every metric


def test_meta_correlations_without_resamples_and_validation():
    metrics, human = _data()
    rows = meta_correlations(metrics, human, n_samples=0, coefficients=("pearson",))
    assert len(rows) == 2 * 2 * 3
    assert all(math.isnan(r.low) and math.isnan(r.high) and not math.isnan(r.value) for r in rows)
    with pytest.raises(ValueError, match="shape"):
        meta_correlations({"m": np.zeros((3, 4))}, {"h": np.zeros((3, 5))})
    with pytest.raises(ValueError, match="confidence"):
        meta_correlations(metrics, human, confidence=95)
    assert meta_correlations({}, human) == []


def test_frank_like_block_missingness():
    # two groups of documents summarised by disjoint system sets (FRANK: 5 CNN/DM systems, 4 XSum systems)
    rng = np.random.default_rng(5)
    z = rng.normal(size=(9, 20))
    x = z + 0.5 * rng.normal(size=z.shape)
    z[5:, :12] = np.nan
    z[:5, 12:] = np.nan
    x[np.isnan(z)] = np.nan
    rows = meta_correlations({"m": x}, {"h": z}, n_samples=50)
    by = {(r.level, r.coefficient): r for r in rows}
    assert by["summary", "kendall"].n_units == 20
    assert by["system", "kendall"].n_units == 9
    assert by["global", "kendall"].n_units == 5 * 12 + 4 * 8
    for r in rows:
        assert r.low <= r.value <= r.high


# --------------------------------------------------------------------------
# compare_metrics, Williams
# --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["bootstrap", "permutation"])
@pytest.mark.parametrize("level", LEVELS)
def test_compare_detects_better_metric(method, level):
    rng = np.random.default_rng(0)
    z = rng.normal(size=(10, 40))
    better = z + 0.3 * rng.normal(size=z.shape)
    worse = z + 2.0 * rng.normal(size=z.shape)
    out = compare_metrics(better, worse, z, level, "pearson", method=method, n_samples=300, seed=1)
    assert out.difference == pytest.approx(
        level_correlation(better, z, level, "pearson") - level_correlation(worse, z, level, "pearson")
    )
    assert out.difference > 0
    assert out.p_value < 0.01
    assert out.method == method and out.n_samples == 300
    if method == "bootstrap":
        assert 0 < out.low <= out.difference <= out.high
    else:
        assert math.isnan(out.low) and math.isnan(out.high)


@pytest.mark.parametrize("method", ["bootstrap", "permutation"])
@pytest.mark.parametrize("resample", RESAMPLES)
def test_compare_copy_of_same_metric(method, resample):
    rng = np.random.default_rng(1)
    z = rng.normal(size=(6, 15))
    x = z + rng.normal(size=z.shape)
    for level in LEVELS:
        out = compare_metrics(x, x.copy(), z, level, "kendall", method=method, resample=resample, n_samples=100)
        assert out.difference == 0.0
        assert out.p_value == 1.0
        if method == "bootstrap":
            assert out.low == 0.0 and out.high == 0.0


def test_compare_two_unrelated_metrics_is_not_significant():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(8, 30))
    a = z + rng.normal(size=z.shape)
    b = z + rng.normal(size=z.shape)
    for method in ("bootstrap", "permutation"):
        out = compare_metrics(a, b, z, "summary", "spearman", method=method, n_samples=200)
        assert out.p_value > 0.05


def test_compare_uses_common_cells():
    rng = np.random.default_rng(4)
    z = rng.normal(size=(5, 10))
    a = z + rng.normal(size=z.shape)
    b = z + rng.normal(size=z.shape)
    a[0, 0] = np.nan
    out = compare_metrics(a, b, z, "global", "pearson", n_samples=20)
    b_common = b.copy()
    b_common[0, 0] = np.nan
    expected = level_correlation(a, z, "global", "pearson") - level_correlation(b_common, z, "global", "pearson")
    assert out.difference == pytest.approx(expected)
    assert out.n_units == 49


def test_williams_by_hand():
    # r12 = .8, r13 = .6, r23 = .5, n = 30:
    # K = 1 - .64 - .36 - .25 + 2 * .8 * .6 * .5 = 0.23
    # t = .2 * sqrt(29 * 1.5) / sqrt(2 * .23 * 29 / 27 + (1.4**2 / 4) * .5**3)
    #   = 1.3190905958 / sqrt(0.4940740741 + 0.06125) = 1.3190905958 / 0.7452007708 = 1.7701139...
    t = 1.3190905958272919 / math.sqrt(0.46 * 29 / 27 + 0.06125)
    assert t == pytest.approx(1.7701139, abs=1e-6)
    two_sided = williams_test(0.8, 0.6, 0.5, 30)
    assert two_sided == pytest.approx(2 * scipy.stats.t.sf(t, 27), rel=1e-9)
    assert 0.05 < two_sided < 0.1
    assert williams_test(0.8, 0.6, 0.5, 30, alternative="greater") == pytest.approx(two_sided / 2)
    assert williams_test(0.6, 0.8, 0.5, 30, alternative="greater") == pytest.approx(1 - two_sided / 2)
    assert williams_test(0.6, 0.8, 0.5, 30, alternative="less") == pytest.approx(two_sided / 2)
    assert williams_test(0.6, 0.8, 0.5, 30) == pytest.approx(two_sided)
    # more units, same correlations: smaller p
    assert williams_test(0.8, 0.6, 0.5, 300) < 1e-6
    assert williams_test(0.7, 0.7, 1.0, 20) == 1.0
    assert math.isnan(williams_test(0.8, 0.6, 0.5, 3))
    assert math.isnan(williams_test(math.nan, 0.6, 0.5, 30))
    with pytest.raises(ValueError):
        williams_test(0.9, -0.9, 0.9, 30)  # not a correlation matrix
    with pytest.raises(ValueError, match="alternative"):
        williams_test(0.8, 0.6, 0.5, 30, alternative="one-sided")


def test_williams_compare_system_and_global():
    rng = np.random.default_rng(6)
    z = rng.normal(size=(12, 20))
    a = z + 0.5 * rng.normal(size=z.shape)
    b = z + 1.5 * rng.normal(size=z.shape)
    a[3, :4] = np.nan
    keep = ~np.isnan(a)
    means = [np.array([m[i][keep[i]].mean() for i in range(12)]) for m in (a, b, z)]
    r12 = scipy.stats.pearsonr(means[2], means[0]).statistic
    r13 = scipy.stats.pearsonr(means[2], means[1]).statistic
    r23 = scipy.stats.pearsonr(means[0], means[1]).statistic
    out = williams_compare(a, b, z, "system")
    assert out.method == "williams" and out.coefficient == "pearson" and out.n_units == 12
    assert out.difference == pytest.approx(r12 - r13)
    assert out.p_value == pytest.approx(williams_test(r12, r13, r23, 12))
    glob = williams_compare(a, b, z, "global", alternative="greater")
    assert glob.n_units == int(keep.sum())
    assert glob.p_value < 1e-6
    with pytest.raises(ValueError, match="level"):
        williams_compare(a, b, z, "summary")


# --------------------------------------------------------------------------
# roc_auc
# --------------------------------------------------------------------------


def test_roc_auc_matches_sklearn_and_scipy():
    rng = np.random.default_rng(8)
    labels = (rng.random(200) < 0.3).astype(int)
    scores = np.round(labels * 0.8 + rng.normal(size=200), 1)  # rounded: many ties
    scores[[3, 50, 77]] = np.nan
    out = roc_auc(scores, labels, n_samples=300, seed=2)
    keep = ~np.isnan(scores)
    assert (out.n, out.n_dropped, out.n_positive) == (197, 3, int(labels[keep].sum()))
    assert out.auc == pytest.approx(roc_auc_score(labels[keep], scores[keep]), abs=1e-12)
    pb = scipy.stats.pointbiserialr(labels[keep], scores[keep]).statistic
    assert out.point_biserial == pytest.approx(pb, abs=1e-12)
    assert out.auc_low < out.auc < out.auc_high
    assert out.pb_low < out.point_biserial < out.pb_high
    assert out == roc_auc(scores, labels, n_samples=300, seed=2)


def test_roc_auc_bootstrap_is_stratified_resampling():
    rng = np.random.default_rng(9)
    labels = np.array([1] * 7 + [0] * 11)
    scores = rng.integers(0, 5, size=18).astype(float)
    out = roc_auc(scores, labels, n_samples=40, confidence=0.8, seed=3)
    draw = np.random.default_rng(3)
    pos, neg = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    pick_pos = draw.integers(0, 7, size=(40, 7))
    pick_neg = draw.integers(0, 11, size=(40, 11))
    aucs, pbs = [], []
    for p, n in zip(pick_pos, pick_neg):
        idx = np.concatenate([pos[p], neg[n]])
        aucs.append(roc_auc_score(labels[idx], scores[idx]))
        pbs.append(correlation(labels[idx].astype(float), scores[idx], "pearson"))
    assert out.auc_low == pytest.approx(np.quantile(aucs, 0.1), abs=1e-12)
    assert out.auc_high == pytest.approx(np.quantile(aucs, 0.9), abs=1e-12)
    pbs_arr = np.array(pbs)
    assert out.pb_low == pytest.approx(np.quantile(pbs_arr[~np.isnan(pbs_arr)], 0.1), abs=1e-12)


def test_roc_auc_edge_cases():
    assert roc_auc([0.1, 0.2, 0.9], [0, 0, 1], n_samples=10).auc == 1.0
    assert roc_auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1], n_samples=10).auc == 0.5
    assert math.isnan(roc_auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1], n_samples=10).point_biserial)
    one_class = roc_auc([0.1, 0.2], [1, 1], n_samples=10)
    assert math.isnan(one_class.auc) and one_class.n_positive == 2
    with pytest.raises(ValueError, match="0 or 1"):
        roc_auc([0.1, 0.2], [0, 2])
    with pytest.raises(ValueError, match="same length"):
        roc_auc([0.1, 0.2], [0, 1, 1])
