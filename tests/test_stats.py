"""Tests for sumbench.scoring.stats."""

from __future__ import annotations

import itertools
import json
import math
import warnings

import numpy as np
import pytest
import scipy.stats

from sumbench.scoring import stats
from sumbench.scoring.stats import (
    Interval,
    PairwiseResult,
    bootstrap_ci,
    bootstrap_cis,
    holm_bonferroni,
    paired_bootstrap,
    pairwise_comparisons,
    pairwise_comparisons_many,
    permutation_test,
)


def _scores(n_systems: int = 3, n_docs: int = 200, seed: int = 0, shift: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = rng.uniform(0.1, 0.5, n_docs)
    noise = rng.normal(0.0, 0.05, (n_systems, n_docs))
    out = base + noise
    out[1:] += shift
    return out


# ---------------------------------------------------------------- bootstrap_ci


def test_ci_coverage_is_roughly_nominal() -> None:
    true_mean = 0.3
    hits = 0
    for seed in range(200):
        data = np.random.default_rng(1000 + seed).normal(true_mean, 0.1, (1, 100))
        (iv,) = bootstrap_ci(data, n_samples=1000, confidence=0.95, seed=seed)
        hits += iv.low <= true_mean <= iv.high
    assert 0.90 <= hits / 200 <= 0.99


def test_ci_matches_scipy_percentile_bootstrap() -> None:
    x = np.random.default_rng(5).gamma(2.0, 0.1, 37)
    ours = bootstrap_ci(x[None, :], n_samples=500, confidence=0.9, seed=3)[0]
    ref = scipy.stats.bootstrap(
        (x,),
        np.mean,
        n_resamples=500,
        confidence_level=0.9,
        method="percentile",
        rng=np.random.default_rng(3),
    )
    assert ours.low == pytest.approx(ref.confidence_interval.low, rel=1e-12)
    assert ours.high == pytest.approx(ref.confidence_interval.high, rel=1e-12)
    assert ours.mean == pytest.approx(x.mean(), rel=1e-12)
    assert ours.n == 37


def test_ci_matches_naive_loop_across_chunks_with_nan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stats, "_CHUNK_ELEMENTS", 64)  # several resamples per chunk, many chunks
    scores = _scores(n_systems=3, n_docs=23, seed=1)
    scores[1, [0, 5, 7]] = np.nan
    n_samples, seed = 301, 11
    ours = bootstrap_ci(scores, n_samples=n_samples, confidence=0.8, seed=seed)

    idx = np.random.default_rng(seed).integers(0, 23, size=(n_samples, 23), dtype=np.int32)
    for s, iv in enumerate(ours):
        means = np.array([np.nanmean(scores[s, row]) for row in idx])
        low, high = np.quantile(means, [0.1, 0.9])
        assert iv.low == pytest.approx(low, rel=1e-12)
        assert iv.high == pytest.approx(high, rel=1e-12)
        assert iv.mean == pytest.approx(np.nanmean(scores[s]), rel=1e-12)
    assert [iv.n for iv in ours] == [23, 20, 23]


def test_ci_shared_resamples_and_fast_path_agree() -> None:
    scores = _scores(n_systems=4, n_docs=300, seed=2)
    together = bootstrap_ci(scores, n_samples=400, seed=9)
    alone = [bootstrap_ci(scores[[s]], n_samples=400, seed=9)[0] for s in range(4)]
    for t, a in zip(together, alone):
        assert t.low == pytest.approx(a.low, rel=1e-12)
        assert t.high == pytest.approx(a.high, rel=1e-12)


def test_ci_reproducible_and_seed_sensitive() -> None:
    scores = _scores()
    assert bootstrap_ci(scores, seed=4) == bootstrap_ci(scores, seed=4)
    assert bootstrap_ci(scores, seed=4) != bootstrap_ci(scores, seed=5)


def test_ci_all_nan_system() -> None:
    scores = _scores(n_systems=2, n_docs=10)
    scores[0] = np.nan
    iv0, iv1 = bootstrap_ci(scores, n_samples=50)
    assert iv0.n == 0 and math.isnan(iv0.mean) and math.isnan(iv0.low) and math.isnan(iv0.high)
    assert iv1.n == 10 and iv1.low <= iv1.mean <= iv1.high
    assert iv0.to_dict() == {"mean": None, "low": None, "high": None, "n": 0}


def test_ci_constant_scores() -> None:
    (iv,) = bootstrap_ci(np.full((1, 50), 0.25), n_samples=100)
    assert iv.mean == pytest.approx(0.25) and iv.low == pytest.approx(0.25) and iv.high == pytest.approx(0.25)


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bootstrap_ci(np.zeros(5)), "2-D array indexed \\[system, document\\]"),
        (lambda: bootstrap_ci(np.zeros((2, 0))), "at least one system and one document"),
        (lambda: bootstrap_ci(np.array([[0.1, np.inf]])), "infinite"),
        (lambda: bootstrap_ci(np.zeros((2, 3)), n_samples=0), "n_samples"),
        (lambda: bootstrap_ci(np.zeros((2, 3)), confidence=1.0), "confidence"),
        (lambda: bootstrap_ci([["a", "b"]]), "numeric"),
        (lambda: paired_bootstrap(np.zeros(3), np.zeros(4)), "same documents; got lengths 3 and 4"),
        (lambda: paired_bootstrap(np.zeros((2, 2)), np.zeros((2, 2))), "1-D"),
        (lambda: permutation_test([], []), "empty"),
        (lambda: pairwise_comparisons(np.zeros((3, 4)), ["a", "b"], "m"), "2 system names for 3 score rows"),
        (lambda: pairwise_comparisons(np.zeros((2, 4)), ["a", "a"], "m"), "unique"),
        (lambda: holm_bonferroni([[0.1]]), "1-D"),
        (lambda: holm_bonferroni([1.5]), "\\[0, 1\\]"),
    ],
)
def test_shape_and_value_errors(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------- paired tests


def test_identical_systems_not_significant() -> None:
    x = _scores(n_systems=1, n_docs=500)[0]
    pb = paired_bootstrap(x, x.copy(), n_samples=500)
    pt = permutation_test(x, x.copy(), n_samples=500)
    assert pb.diff == 0 and pb.p_value == 1.0 and pb.low == 0 and pb.high == 0
    assert pt.diff == 0 and pt.p_value == 1.0
    results = pairwise_comparisons(np.vstack([x, x]), ["a", "b"], "rouge2_f", n_samples=500)
    assert not results[0].significant


def test_similar_systems_large_p() -> None:
    scores = _scores(n_systems=2, n_docs=400, seed=3)
    pb = paired_bootstrap(scores[0], scores[1], n_samples=1000, seed=1)
    pt = permutation_test(scores[0], scores[1], n_samples=1000, seed=1)
    assert pb.p_value > 0.05 and pt.p_value > 0.05
    assert pb.low < 0 < pb.high


def test_clearly_different_systems_tiny_p() -> None:
    scores = _scores(n_systems=2, n_docs=400, seed=3, shift=0.05)
    pb = paired_bootstrap(scores[1], scores[0], n_samples=1000)
    pt = permutation_test(scores[1], scores[0], n_samples=1000)
    assert pb.p_value == 0.0 and 0 < pb.low < pb.diff < pb.high
    assert pt.p_value == pytest.approx(1 / 1001)  # never 0: the +1 correction
    (res,) = pairwise_comparisons(scores, ["base", "better"], "rouge2_f", n_samples=1000)
    assert res.significant and res.diff < 0
    assert res.p_permutation_holm == pytest.approx(1 / 1001)


def test_permutation_p_never_zero_and_on_grid() -> None:
    a = np.linspace(1, 2, 100)
    pt = permutation_test(a, a - 10, n_samples=99)
    assert pt.p_value == pytest.approx(0.01)
    for seed in range(5):
        x, y = _scores(n_systems=2, n_docs=60, seed=seed)
        p = permutation_test(x, y, n_samples=199, seed=seed).p_value
        assert 0 < p <= 1
        assert p * 200 == pytest.approx(round(p * 200))


def test_permutation_matches_exact_enumeration() -> None:
    d = np.array([0.3, -0.1, 0.25, 0.05, 0.2, -0.15, 0.4, 0.1])
    signs = np.array(list(itertools.product([1, -1], repeat=d.size)))
    exact = np.mean(np.abs(signs @ d) >= abs(d.sum()) - 1e-12)
    approx = permutation_test(d, np.zeros_like(d), n_samples=40000, seed=2).p_value
    assert approx == pytest.approx(exact, abs=0.01)


def test_permutation_type_one_error_under_null() -> None:
    rejections = 0
    for seed in range(200):
        x, y = np.random.default_rng(seed).normal(0.3, 0.1, (2, 50))
        rejections += permutation_test(x, y, n_samples=500, seed=seed).p_value < 0.05
    assert 0.01 <= rejections / 200 <= 0.10


def test_paired_bootstrap_matches_naive_definition() -> None:
    x, y = _scores(n_systems=2, n_docs=40, seed=6, shift=0.01)
    y = y.copy()
    y[[3, 9]] = np.nan
    n_samples, seed = 300, 8
    res = paired_bootstrap(x, y, n_samples=n_samples, confidence=0.9, seed=seed)

    d = x - y
    idx = np.random.default_rng(seed).integers(0, 40, size=(n_samples, 40), dtype=np.int32)
    boot = np.array([np.nanmean(d[row]) for row in idx])
    obs = np.nanmean(d)
    tails = min(np.sum(boot <= 0), np.sum(boot >= 0))
    assert res.n == 38
    assert res.diff == pytest.approx(obs, rel=1e-12)
    assert res.p_value == pytest.approx(min(1.0, 2 * tails / n_samples))
    j = math.ceil(n_samples * 0.1 / 2) - 1  # order statistics dual to the p-value
    ordered = np.sort(boot)
    assert res.low == pytest.approx(ordered[j], rel=1e-10)
    assert res.high == pytest.approx(ordered[n_samples - 1 - j], rel=1e-10)


def test_paired_tests_drop_nan_documents() -> None:
    x, y = _scores(n_systems=2, n_docs=50, seed=7)
    x, y = x.copy(), y.copy()
    x[[1, 2]] = np.nan
    y[[2, 10]] = np.nan
    pt = permutation_test(x, y, n_samples=200)
    pb = paired_bootstrap(x, y, n_samples=200)
    keep = ~(np.isnan(x) | np.isnan(y))
    assert pt.n == pb.n == 47
    assert pt.diff == pytest.approx(np.mean(x[keep] - y[keep]))
    assert not math.isnan(pt.p_value) and not math.isnan(pb.low)


def test_no_common_documents() -> None:
    x = np.array([0.1, np.nan, 0.3])
    y = np.array([np.nan, 0.2, np.nan])
    pb = paired_bootstrap(x, y, n_samples=50)
    assert pb.n == 0 and math.isnan(pb.diff) and math.isnan(pb.p_value)
    assert pb.to_dict()["diff"] is None
    (res,) = pairwise_comparisons(np.vstack([x, y]), ["a", "b"], "rouge1_f", n_samples=50)
    assert not res.significant and res.n == 0


def test_paired_reproducible_and_seed_sensitive() -> None:
    x, y = _scores(n_systems=2, n_docs=100, seed=8)
    assert paired_bootstrap(x, y, seed=1) == paired_bootstrap(x, y, seed=1)
    assert permutation_test(x, y, seed=1) == permutation_test(x, y, seed=1)
    assert paired_bootstrap(x, y, seed=1).low != paired_bootstrap(x, y, seed=2).low
    assert permutation_test(x, y, seed=1).p_value != permutation_test(x, y, seed=2).p_value


# ---------------------------------------------------------------- Holm


def test_holm_hand_computed() -> None:
    # sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> max-accumulated 0.06
    adjusted = holm_bonferroni([0.01, 0.04, 0.03, 0.005])
    np.testing.assert_allclose(adjusted, [0.03, 0.06, 0.06, 0.02])


def test_holm_monotone_capped_and_nan() -> None:
    p = np.random.default_rng(0).uniform(0, 0.5, 30)
    adj = holm_bonferroni(p)
    order = np.argsort(p)
    assert np.all(np.diff(adj[order]) >= 0)
    assert np.all(adj >= p) and np.all(adj <= 1)
    np.testing.assert_allclose(holm_bonferroni([0.5, 0.9]), [1.0, 1.0])
    out = holm_bonferroni([0.02, np.nan, 0.01])
    assert math.isnan(out[1])
    np.testing.assert_allclose(out[[0, 2]], [0.02, 0.02])
    assert holm_bonferroni([]).shape == (0,)


# ---------------------------------------------------------------- pairwise


def test_pairwise_matches_standalone_functions() -> None:
    scores = _scores(n_systems=4, n_docs=120, seed=9, shift=0.004)
    scores[2, [4, 8]] = np.nan
    names = ["lead", "textrank", "oracle", "random"]
    results = pairwise_comparisons(scores, names, "rouge2_f", n_samples=500, confidence=0.9, seed=3)
    pairs = list(itertools.combinations(range(4), 2))
    assert [(r.system_a, r.system_b) for r in results] == [(names[i], names[j]) for i, j in pairs]
    for r, (i, j) in zip(results, pairs):
        pb = paired_bootstrap(scores[i], scores[j], n_samples=500, confidence=0.9, seed=3)
        pt = permutation_test(scores[i], scores[j], n_samples=500, seed=3)
        assert r.diff == pytest.approx(pb.diff, rel=1e-9)
        assert r.diff == pytest.approx(r.mean_a - r.mean_b, abs=1e-12)
        assert r.low == pytest.approx(pb.low, rel=1e-9) and r.high == pytest.approx(pb.high, rel=1e-9)
        assert r.p_bootstrap == pytest.approx(pb.p_value, abs=2.5 / 500)
        assert r.p_permutation == pytest.approx(pt.p_value, abs=1.5 / 501)
        assert r.n == pb.n
    np.testing.assert_allclose(
        [r.p_permutation_holm for r in results], holm_bonferroni([r.p_permutation for r in results])
    )
    np.testing.assert_allclose([r.p_bootstrap_holm for r in results], holm_bonferroni([r.p_bootstrap for r in results]))
    assert all(r.significant == (r.p_bootstrap_holm < 0.1) for r in results)
    assert all(r.significant == (r.adj_low > 0 or r.adj_high < 0) for r in results)


def _plain(results) -> str:
    """Results as JSON, exact to the last bit (NaN as null: NaN never equals itself)."""
    if isinstance(results, list):
        return "[" + ",".join(_plain(r) for r in results) + "]"
    return json.dumps({k: v.hex() if isinstance(v, float) else v for k, v in results.to_dict().items()})


def _metric_matrices(n_systems: int = 4, n_docs: int = 90) -> dict[str, np.ndarray]:
    """Several metrics of the same systems and documents, with NaNs (a partial system, an empty one)."""
    out = {}
    for k, metric in enumerate(["rouge1_f", "rouge2_f", "rougeL_f", "words"]):
        m = _scores(n_systems=n_systems, n_docs=n_docs, seed=20 + k, shift=0.01 * k)
        if k % 2 == 0:
            m[1, [3, 17, 40]] = np.nan
        out[metric] = np.round(m, 2) if metric == "words" else m  # ties in the resampled sums
    out["rouge2_f"][2] = np.nan
    return out


@pytest.mark.parametrize("shared_bytes", [None, 1], ids=["one-pass", "one-metric-per-pass"])
def test_cis_of_many_metrics_equal_one_call_per_metric(monkeypatch: pytest.MonkeyPatch, shared_bytes) -> None:
    # One draw shared by every metric gives each metric exactly the numbers of its own draw
    # (also with matrices split into passes, and across chunks of the draw).
    monkeypatch.setattr(stats, "_CHUNK_ELEMENTS", 1000)
    if shared_bytes is not None:
        monkeypatch.setattr(stats, "_SHARED_BYTES", shared_bytes)
    matrices = _metric_matrices()
    matrices["fewer_docs"] = _scores(n_systems=2, n_docs=31, seed=5)  # another document count: its own draw
    together = bootstrap_cis(list(matrices.values()), n_samples=333, confidence=0.9, seed=4)
    alone = [bootstrap_ci(m, n_samples=333, confidence=0.9, seed=4) for m in matrices.values()]
    assert _plain(together) == _plain(alone)
    assert together[1][2].n == 0 and math.isnan(together[1][2].mean)  # rouge2_f of the empty system
    assert bootstrap_cis([], n_samples=10) == []


def test_aggregate_draws_once_for_every_metric(monkeypatch: pytest.MonkeyPatch) -> None:
    from sumbench.scoring.aggregate import aggregate

    draws = []
    real = stats._resample_counts
    monkeypatch.setattr(stats, "_resample_counts", lambda *a: draws.append(a[1:]) or real(*a))
    matrices = _metric_matrices()
    got = aggregate(matrices, list("abcd"), n_samples=200, confidence=0.95, seed=1)
    assert len(draws) == 1  # one stream of resample counts, shared by the four metrics
    expected = [(m, iv) for m, matrix in matrices.items() for iv in bootstrap_ci(matrix, 200, 0.95, 1)]
    assert [(a.metric, (a.mean, a.ci_low, a.ci_high, a.n)) for a in got] == [
        (m, (iv.mean, iv.low, iv.high, iv.n)) for m, iv in expected
    ]


def test_pairwise_of_many_metrics_equals_one_call_per_metric(monkeypatch: pytest.MonkeyPatch) -> None:
    from sumbench.scoring.aggregate import significance

    monkeypatch.setattr(stats, "_CHUNK_ELEMENTS", 2000)
    matrices = _metric_matrices()
    names = ["lead", "textrank", "oracle", "random"]
    expected = [
        r
        for metric, matrix in matrices.items()
        for r in pairwise_comparisons(matrix, names, metric, n_samples=700, confidence=0.9, seed=8)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        together = pairwise_comparisons_many(matrices, names, n_samples=700, confidence=0.9, seed=8)
    assert _plain(together) == _plain(expected)
    draws = {"counts": 0, "bits": 0}
    real_counts, real_bits = stats._resample_counts, stats._random_bits
    monkeypatch.setattr(
        stats, "_resample_counts", lambda *a: draws.__setitem__("counts", draws["counts"] + 1) or real_counts(*a)
    )
    monkeypatch.setattr(stats, "_random_bits", lambda *a: draws.__setitem__("bits", draws["bits"] + 1) or real_bits(*a))
    records = significance(matrices, names, list(matrices), n_samples=700, confidence=0.9, seed=8)
    assert draws == {"counts": 1, "bits": 1}  # the bootstrap and the permutation swaps, each drawn once
    assert [(c.metric, c.a, c.b) for c in records] == [(r.metric, r.system_a, r.system_b) for r in expected]
    for c, r in zip(records, expected):
        got = (
            c.mean_a,
            c.mean_b,
            c.diff,
            c.diff_low,
            c.diff_high,
            c.p_bootstrap,
            c.p_permutation,
            c.p_permutation_holm,
        )
        want = (r.mean_a, r.mean_b, r.diff, r.low, r.high, r.p_bootstrap, r.p_permutation, r.p_permutation_holm)
        assert [x.hex() for x in got] == [x.hex() for x in want]


def test_percentiles_fast_path_equals_nanquantile() -> None:
    rng = np.random.default_rng(3)
    samples = np.round(rng.uniform(0, 1, (1001, 7)), 3)
    samples[[5, 9], 2] = np.nan
    samples[:, 4] = np.nan
    for confidence in (0.5, 0.9, 0.95, 0.99):
        low, high = stats._percentiles(samples, confidence)
        alpha = (1 - confidence) / 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            ref = np.nanquantile(samples, [alpha, 1 - alpha], axis=0)
        np.testing.assert_array_equal(low, ref[0])
        np.testing.assert_array_equal(high, ref[1])


def test_pairwise_single_system_and_low_sample_warning() -> None:
    assert pairwise_comparisons(np.zeros((1, 5)), ["a"], "m") == []
    with pytest.warns(RuntimeWarning, match="samples_for"):
        pairwise_comparisons(_scores(n_systems=4), list("abcd"), "m", n_samples=50)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pairwise_comparisons(_scores(n_systems=4), list("abcd"), "m", n_samples=stats.samples_for(6, 0.95, 200))


def test_to_dict_is_plain_json() -> None:
    results = pairwise_comparisons(_scores(), ["a", "b", "c"], "rouge2_f", n_samples=200)
    d = results[0].to_dict()
    assert set(d) == {f.name for f in PairwiseResult.__dataclass_fields__.values()}
    assert all(type(v) in (str, int, float, bool) for v in d.values())
    json.dumps([r.to_dict() for r in results], allow_nan=False)
    iv = bootstrap_ci(_scores(), n_samples=50)[0].to_dict()
    assert set(iv) == {"mean", "low", "high", "n"} and type(iv["n"]) is int
    x, y = _scores(n_systems=2)
    json.dumps(paired_bootstrap(x, y, n_samples=50).to_dict(), allow_nan=False)
    json.dumps(permutation_test(x, y, n_samples=50).to_dict(), allow_nan=False)


# ---------------------------------------------------------------- results


def test_interval_is_frozen() -> None:
    iv = Interval(0.1, 0.0, 0.2, 3)
    with pytest.raises(AttributeError):
        iv.mean = 0.5  # type: ignore[misc]


# ---------------------------------------------------------------- paired_tests: one procedure, exact duality


def _naive_paired_tests(
    a: np.ndarray, b: np.ndarray, n_samples: int, confidence: float, seed: int, min_documents: int = 0
):
    """The documented procedure, written out with full sorts, Fractions and loops (rows on fewer than
    ``min_documents`` shared documents are left out: not tested)."""
    from fractions import Fraction

    alpha = Fraction(repr(round(1 - confidence, 12)))
    n_docs = a.shape[1]
    idx = np.random.default_rng(seed).integers(0, n_docs, size=(n_samples, n_docs), dtype=np.int32)
    rows = []
    for x, y in zip(a, b):
        d = x - y
        boot = np.array([np.nanmean(d[r]) if (~np.isnan(d[r])).any() else 0.0 for r in idx])
        ok = ~np.isnan(d)
        rows.append((ok.sum(), np.sort(boot), min(int((boot <= 0).sum()), int((boot >= 0).sum()))))
    usable = [k for k, r in enumerate(rows) if r[0] >= max(min_documents, 1)]
    order = sorted(usable, key=lambda k: rows[k][2])
    m = len(order)
    out: dict[int, tuple] = {}
    stop = None
    running = Fraction(0)
    for r, k in enumerate(order, start=1):
        _, boot, f = rows[k]
        step = alpha / (m - r + 1)
        p = min(Fraction(1), Fraction(2 * f, n_samples))
        running = max(running, min(Fraction(1), (m - r + 1) * p))
        rejected = stop is None and p < step
        if not rejected and stop is None:
            stop = step
        level = step if rejected else stop
        j = math.ceil(n_samples * level / 2) - 1
        ju = math.ceil(n_samples * alpha / 2) - 1
        out[k] = (boot[j], boot[n_samples - 1 - j], boot[ju], boot[n_samples - 1 - ju], p, running, rejected, level)
    return out


@pytest.mark.parametrize("min_documents", [0, 22])
@pytest.mark.parametrize("confidence", [0.95, 0.9, 0.99, 0.5])
def test_paired_tests_match_the_documented_procedure(
    monkeypatch: pytest.MonkeyPatch, confidence: float, min_documents: int
) -> None:
    monkeypatch.setattr(stats, "_CHUNK_ELEMENTS", 300)  # many chunks: the kept tails must be exact
    rng = np.random.default_rng(int(confidence * 100))
    # quarters: ties, and resampled sums that are exact, so a resample is exactly 0 in both computations
    a = np.round(rng.uniform(0, 1, (7, 25)) * 4) / 4
    b = np.round((a + rng.normal(0, 0.2, (7, 25)) * rng.integers(0, 3, (7, 1))) * 4) / 4
    a[rng.uniform(size=a.shape) < 0.15] = np.nan
    b[3] = np.nan  # a pair with no shared document
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        got = stats.paired_tests(a, b, n_samples=257, confidence=confidence, seed=5, min_documents=min_documents)
    want = _naive_paired_tests(a, b, 257, confidence, 5, min_documents)
    assert got[3].n == 0 and not got[3].significant and math.isnan(got[3].adj_low) and not got[3].tested
    assert all(t.family == len(want) for t in got)
    assert {k for k, t in enumerate(got) if t.tested} == set(want)
    if min_documents:  # 25 documents, some NaN: some rows fall below 22 shared documents, some do not
        assert 0 < len(want) < 6
    else:
        assert len(want) == 6
    for k, t in enumerate(got):
        if k not in want:
            continue
        adj_low, adj_high, low, high, p, p_holm, rejected, level = want[k]
        assert (t.adj_low, t.adj_high, t.low, t.high) == pytest.approx((adj_low, adj_high, low, high), abs=1e-12)
        assert t.p == pytest.approx(float(p)) and t.p_holm == pytest.approx(float(p_holm))
        assert t.significant == rejected and t.adj_confidence == pytest.approx(float(1 - level))
        keep = ~(np.isnan(a[k]) | np.isnan(b[k]))
        assert (t.wins, t.ties, t.losses) == (
            int((a[k][keep] > b[k][keep]).sum()),
            int((a[k][keep] == b[k][keep]).sum()),
            int((a[k][keep] < b[k][keep]).sum()),
        )
        assert t.diff == pytest.approx(t.mean_a - t.mean_b, abs=1e-12)


def test_paired_tests_decision_interval_and_p_agree_exactly() -> None:
    rng = np.random.default_rng(11)
    alpha_seen = set()
    for trial in range(300):
        pairs, n_docs = int(rng.integers(1, 40)), int(rng.integers(1, 12))
        a = np.round(rng.uniform(0, 1, (pairs, n_docs)), 1)
        b = np.round(a + rng.normal(0.05, 0.2, (pairs, n_docs)) * rng.integers(0, 2, (pairs, 1)), 1)
        a[rng.uniform(size=a.shape) < 0.1] = np.nan
        confidence = (0.95, 0.9, 0.99, 0.8, 0.5)[trial % 5]
        n_samples = int(rng.integers(1, 400))
        # on 1-12 documents: the mechanics with the minimum off, and with a minimum that leaves some rows untested
        min_documents = (0, trial % 13)[trial % 2]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            tests = stats.paired_tests(
                a, b, n_samples=n_samples, confidence=confidence, seed=trial, min_documents=min_documents
            )
        alpha = round(1 - confidence, 12)
        alpha_seen.add(alpha)
        for t in tests:
            assert t.tested == (t.n >= max(min_documents, 1)) and t.min_documents == min_documents
            assert t.family == sum(u.tested for u in tests)
            if t.n == 0:
                assert not t.significant and math.isnan(t.p_holm)
                continue
            if not t.tested:  # no interval, p = p_holm = 1: the duality holds trivially
                assert not t.significant and t.p == t.p_holm == 1.0
                assert all(math.isnan(x) for x in (t.low, t.high, t.adj_low, t.adj_high, t.adj_confidence))
                assert not (t.adj_low > 0 or t.adj_high < 0) and not (t.low > 0 or t.high < 0)
                continue
            excludes = t.adj_low > 0 or t.adj_high < 0
            assert t.significant == excludes == (t.p_holm < alpha), (t, alpha)
            assert (t.low > 0 or t.high < 0) == (t.p < alpha)
            assert t.adj_low <= t.low <= t.high <= t.adj_high
            assert t.p <= t.p_holm <= 1
    assert alpha_seen == {0.05, 0.1, 0.01, 0.2, 0.5}


def test_p_on_the_boundary_is_not_below_alpha() -> None:
    # 2 * 1 / 40 == 0.05 exactly: not below alpha = 0.05, although the float 0.05 < 1 - 0.95
    from fractions import Fraction

    assert stats.alpha_of(0.95) == Fraction(1, 20) and stats.alpha_of(0.9) == Fraction(1, 10)
    assert stats._rounded_p(Fraction(1, 20), Fraction(1, 20)) == 0.05
    below = stats._rounded_p(Fraction(1, 20) - Fraction(1, 10**30), Fraction(1, 20))
    assert below < 0.05  # rounding would have landed it on 0.05: moved one ulp down
    x = np.zeros((1, 5))
    y = np.array([[-1.0, -1.0, -1.0, -1.0, 1.0]])
    for seed in range(40):
        (t,) = stats.paired_tests(x, y, n_samples=40, confidence=0.95, seed=seed, min_documents=0)
        assert t.significant == (t.adj_low > 0 or t.adj_high < 0) == (t.p_holm < round(1 - 0.95, 12))


def test_paired_tests_rows_equal_paired_bootstrap_and_permutation_test() -> None:
    scores = _scores(n_systems=2, n_docs=60, seed=4, shift=0.01)
    a = np.vstack([scores[0], scores[1]])
    b = np.vstack([scores[1], scores[0]])
    t0, t1 = stats.paired_tests(a, b, n_samples=800, confidence=0.9, seed=2)
    pb = paired_bootstrap(scores[0], scores[1], n_samples=800, confidence=0.9, seed=2)
    pt = permutation_test(scores[0], scores[1], n_samples=800, seed=2)
    assert (t0.p, t0.n) == (pb.p_value, pb.n)
    assert (t0.diff, t0.low, t0.high) == pytest.approx((pb.diff, pb.low, pb.high), rel=1e-12)
    assert t0.p_permutation == pt.p_value
    assert t1.diff == -t0.diff and t1.low == pytest.approx(-t0.high) and t1.p == t0.p  # symmetric
    assert (t1.wins, t1.losses) == (t0.losses, t0.wins) and t0.family == 2
    assert all(math.isnan(t.p_permutation) for t in stats.paired_tests(a, b, n_samples=800, permutation=False))
    assert stats.paired_tests(np.zeros((0, 4)), np.zeros((0, 4)), n_samples=10) == []
    with pytest.raises(ValueError, match="same shape"):
        stats.paired_tests(np.zeros((2, 4)), np.zeros((3, 4)))
    json.dumps(t0.to_dict(), allow_nan=False)


def test_paired_tests_keep_only_the_tails() -> None:
    # the resampled differences are never all kept: per row, the ceil(B * alpha / 2) smallest and largest
    diffs, valid = stats._paired_columns(_scores(n_systems=3, n_docs=50)[:2].T, _scores(n_systems=3, n_docs=50)[1:].T)
    stream = stats._PairedStream(diffs, valid, tail=stats._tail_size(10_000, stats.alpha_of(0.95)))
    for counts in stats._resample_counts(np.random.default_rng(0), 50, 10_000):
        stream.add(counts)
        assert stream.low.shape[0] <= 250 and stream.high.shape[0] <= 250
    assert stream.below.max() <= 10_000


@pytest.mark.parametrize("confidence", [0.95, 0.9, 0.99])
def test_samples_for_reaches_below_alpha_for_2_to_40_systems(confidence: float) -> None:
    alpha = round(1 - confidence, 12)
    for systems in range(2, 41):
        pairs = systems * (systems - 1) // 2
        b = stats.samples_for(pairs, confidence, 1000)
        assert b >= 1000
        assert stats.smallest_adjusted_p(pairs, b) <= alpha / 10 < alpha  # with headroom
        assert b * alpha / pairs / 2 >= 10 - 1e-9  # >= 10 resamples per tail at the first Holm step
        assert stats._tail_size(b, stats.alpha_of(confidence) / pairs) >= 10
    assert stats.samples_for(190, 0.95, 1000) == 76_000  # no cap
    assert stats.samples_for(1, 0.95, 50_000) == 50_000  # never fewer than requested
    assert stats.samples_for(0, 0.95, 123) == 123
    assert stats.smallest_adjusted_p(10, 4000) == 0.005


def test_significance_uses_samples_for_and_the_common_set() -> None:
    from sumbench.scoring.aggregate import common_documents, significance, significance_samples

    assert significance_samples(20, 0.95, 1000) == stats.samples_for(190, 0.95, 1000)
    m = _scores(n_systems=3, n_docs=10, seed=3)
    m[0, [1, 2, 3]] = np.nan  # fails on three documents
    m[2] = np.nan  # never scored: not part of the rule
    mask = common_documents({"rouge2_f": m})
    assert mask.tolist() == [True, False, False, False] + [True] * 6
    records = significance({"rouge2_f": m}, ["a", "b", "c"], ["rouge2_f"], n_samples=500, confidence=0.95, seed=0)
    ab, ac, bc = records
    assert ab.n == 7 and ac.n == 0 and bc.n == 0 and not ac.significant
    assert not ab.tested and ab.family == 0 and ab.min_documents == stats.MIN_DOCUMENTS  # 7 < 20: not tested
    assert ab.significant == (ab.adj_low > 0 or ab.adj_high < 0) == (ab.p_bootstrap_holm < 0.05) is False
    kw = dict(n_samples=500, confidence=0.95, seed=0, min_documents=0)
    ab, ac, bc = significance({"rouge2_f": m}, ["a", "b", "c"], ["rouge2_f"], **kw)  # type: ignore[arg-type]
    assert ab.tested and ab.family == 1 and ab.min_documents == 0 and not ac.tested
    assert ab.significant == (ab.adj_low > 0 or ab.adj_high < 0) == (ab.p_bootstrap_holm < 0.05)


# ---------------------------------------------------------------- the minimum number of documents


def test_min_documents_is_20_and_the_default_everywhere() -> None:
    import inspect

    from sumbench.scoring.aggregate import significance

    assert stats.MIN_DOCUMENTS == 20
    for f in (stats.paired_tests, paired_bootstrap, pairwise_comparisons, pairwise_comparisons_many, significance):
        assert inspect.signature(f).parameters["min_documents"].default == stats.MIN_DOCUMENTS, f
    for bad in (-1, True, 1.5, "20"):
        with pytest.raises(ValueError, match="min_documents"):
            stats.paired_tests(np.zeros((1, 3)), np.ones((1, 3)), n_samples=10, min_documents=bad)  # type: ignore[arg-type]


def test_pairs_below_the_minimum_are_not_tested() -> None:
    # rows on 25, 19, 20, 3 and 0 shared documents (NaN elsewhere): 19 and 3 are below 20
    rng = np.random.default_rng(4)
    a = rng.uniform(0.1, 0.5, (5, 25))
    b = a - 0.05 + rng.normal(0, 0.01, (5, 25))  # a is clearly better everywhere
    for row, shared in enumerate([25, 19, 20, 3, 0]):
        b[row, shared:] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        got = stats.paired_tests(a, b, n_samples=2000, seed=1)
        off = stats.paired_tests(a, b, n_samples=2000, seed=1, min_documents=0)
        only = stats.paired_tests(a[[0, 2]], b[[0, 2]], n_samples=2000, seed=1, min_documents=0)
    assert [t.n for t in got] == [25, 19, 20, 3, 0]
    assert [t.tested for t in got] == [True, False, True, False, False]
    assert [t.significant for t in got] == [True, False, True, False, False]
    assert [t.significant for t in off[:3]] == [True, True, True]  # the minimum is what stops the 19
    assert all(t.family == 2 for t in got) and all(t.family == 4 for t in off)  # untested rows are not in m
    for t, o in zip(got, off):
        # what an untested row keeps: its difference, means, counts, n and permutation p
        same = ("diff", "mean_a", "mean_b", "wins", "ties", "losses", "n", "p_permutation", "p_permutation_holm")
        assert _plain_fields(t, same) == _plain_fields(o, same)
    for k in (1, 3):
        t = got[k]
        assert t.p == t.p_holm == 1.0 and t.min_documents == 20
        assert all(math.isnan(x) for x in (t.low, t.high, t.adj_low, t.adj_high, t.adj_confidence))
        d = t.to_dict()
        assert d["tested"] is False and d["low"] is None and d["adj_high"] is None and d["p_holm"] == 1.0
        json.dumps(d, allow_nan=False)
    # the tested rows get exactly the numbers of a call on them alone (one shared draw; Holm over them)
    for t, o in zip((got[0], got[2]), only):
        fields = ("diff", "low", "high", "adj_low", "adj_high", "adj_confidence", "p", "p_holm", "significant")
        assert _plain_fields(t, fields) == _plain_fields(o, fields) and t.family == o.family == 2


def _plain_fields(t, names) -> list:
    return [getattr(t, n).hex() if isinstance(getattr(t, n), float) else getattr(t, n) for n in names]


def test_paired_bootstrap_and_pairwise_respect_the_minimum() -> None:
    x, y = _scores(n_systems=2, n_docs=12, seed=3, shift=0.2)
    pb = paired_bootstrap(y, x, n_samples=500)
    assert not pb.tested and pb.n == 12 and pb.p_value == 1.0 and math.isnan(pb.low) and math.isnan(pb.high)
    assert pb.diff == pytest.approx(np.mean(y - x))
    json.dumps(pb.to_dict(), allow_nan=False)
    on = paired_bootstrap(y, x, n_samples=500, min_documents=0)
    assert on.tested and on.p_value == 0.0 and 0 < on.low <= on.high and on.diff == pb.diff
    assert paired_bootstrap(y, x, n_samples=500, min_documents=12).tested
    scores = np.vstack([x, y])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        (r,) = pairwise_comparisons(scores, ["a", "b"], "rouge2_f", n_samples=500)
        (r0,) = pairwise_comparisons(scores, ["a", "b"], "rouge2_f", n_samples=500, min_documents=0)
        (rm,) = pairwise_comparisons_many({"rouge2_f": scores}, ["a", "b"], n_samples=500, min_documents=0)
    assert not r.tested and not r.significant and r.p_bootstrap == r.p_bootstrap_holm == 1.0 and r.family == 0
    assert math.isnan(r.adj_low) and r.diff == r0.diff and (r.wins, r.losses) == (r0.wins, r0.losses) == (0, 12)
    assert r0.tested and r0.significant and r0.min_documents == 0 and _plain([r0]) == _plain([rm])
