"""Speed of sumbench.scoring.stats vs rouge-score's BootstrapAggregator, and of one resampling
draw shared by every metric vs one draw per metric.

Both sides work on the same kept per-document scores (synthetic, seeded);
neither re-runs a metric.  Prints a table of seconds and the ratio
(other / sumbench).  The shared-draw rows compare a run's statistics as
``aggregate`` / ``significance`` compute them (one draw for all metrics) with
one ``bootstrap_ci`` / ``pairwise_comparisons`` call per metric (a draw
each, as before); both give the same numbers, which the script checks.
The last rows time a 20-system run's significance (4 ROUGE F metrics x 190
pairs x 2,000 documents) at the resamples ``samples_for`` asks for (76,000
at 95%: no cap), with and without the supplementary permutation test, and at
the 20,000 the old cap allowed, with the peak memory of the tests.
Not a test: nothing else is asserted.

    PYTHONPATH=src python benchmarks/speed/stats_speed.py [--resamples 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from rouge_score.scoring import BootstrapAggregator, Score

from sumbench.scoring import stats
from sumbench.scoring.stats import bootstrap_ci, bootstrap_cis, pairwise_comparisons, pairwise_comparisons_many

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def _best_of(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _rouge_score_seconds(prf: np.ndarray, types: tuple[str, ...], n_samples: int, seed: int) -> float:
    """Feed Score tuples doc by doc (normal use), time add_scores + aggregate.

    ``prf`` is ``[type, measure(p, r, f), document]``.
    """
    np.random.seed(seed)  # rouge-score resamples with numpy's global RNG
    agg = BootstrapAggregator(confidence_interval=0.95, n_samples=n_samples)
    start = time.perf_counter()
    for d in range(prf.shape[2]):
        agg.add_scores({t: Score(*map(float, prf[i, :, d])) for i, t in enumerate(types)})
    agg.aggregate()
    return time.perf_counter() - start


def _synthetic(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return np.clip(rng.normal(0.3, 0.12, shape), 0.0, 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="best-of for sumbench timings")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    b, rng = args.resamples, np.random.default_rng(args.seed)
    rows: list[tuple[str, float, float | None]] = []

    # 1. Same job both ways: one system, 10,000 docs, 4 ROUGE types x (P, R, F).
    prf = _synthetic(rng, (len(ROUGE_TYPES), 3, 10_000))
    ours = _best_of(lambda: bootstrap_ci(prf.reshape(-1, prf.shape[2]), n_samples=b, seed=args.seed), args.repeat)
    peer = _rouge_score_seconds(prf, ROUGE_TYPES, b, args.seed)
    rows.append((f"CIs: 1 system, 10,000 docs x 4 types x P/R/F, {b:,} resamples", ours, peer))

    # 2. Ten systems x 11,500 docs on one metric; rouge-score needs one aggregator per
    #    system and always carries P/R/F, so both sides get the same 30 score rows.
    sys_prf = _synthetic(rng, (10, 3, 11_500))
    ours = _best_of(lambda: bootstrap_ci(sys_prf[:, 2, :], n_samples=b, seed=args.seed), args.repeat)
    rows.append((f"CIs: 10 systems x 11,500 docs, F only, {b:,} resamples", ours, None))
    ours = _best_of(lambda: bootstrap_ci(sys_prf.reshape(-1, 11_500), n_samples=b, seed=args.seed), args.repeat)
    peer = sum(_rouge_score_seconds(sys_prf[s : s + 1], ("rouge2",), b, args.seed) for s in range(10))
    rows.append((f"CIs: 10 systems x 11,500 docs x P/R/F, {b:,} resamples", ours, peer))

    # 3. All pairs, 4 metrics x 10 systems: paired bootstrap + permutation + Holm.
    metrics = _synthetic(rng, (4, 10, 11_500))
    names = [f"sys{i}" for i in range(10)]

    def all_pairs() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # low-n_samples warning if --resamples is small
            for m in range(4):
                pairwise_comparisons(metrics[m], names, f"metric{m}", n_samples=b, seed=args.seed)

    ours = _best_of(all_pairs, args.repeat)
    rows.append((f"Pairwise: 4 metrics x 45 pairs x 11,500 docs, boot+perm {b:,}", ours, None))

    # 4. A run's statistics: every scores.csv metric (24 with four ROUGE types) for 5 systems x 20,000
    #    documents, and the significance of the four ROUGE F metrics; shared draw vs a draw per metric.
    n_docs, n_metrics = 20_000, 24
    run_metrics = {f"metric{m}": _synthetic(rng, (5, n_docs)) for m in range(n_metrics)}
    run_names = [f"sys{i}" for i in range(5)]
    f_metrics = {k: run_metrics[k] for k in list(run_metrics)[:4]}

    def cis_shared() -> Any:
        return bootstrap_cis(list(run_metrics.values()), n_samples=b, seed=args.seed)

    def cis_per_metric() -> Any:
        return [bootstrap_ci(m, n_samples=b, seed=args.seed) for m in run_metrics.values()]

    assert cis_shared() == cis_per_metric()
    rows.append(
        (
            f"CIs: {n_metrics} metrics x 5 systems x {n_docs:,} docs, {b:,} resamples (vs a draw per metric)",
            _best_of(cis_shared, args.repeat),
            _best_of(cis_per_metric, args.repeat),
        )
    )

    def pairs_shared() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return [r.to_dict() for r in pairwise_comparisons_many(f_metrics, run_names, n_samples=b, seed=args.seed)]

    def pairs_per_metric() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return [
                r.to_dict()
                for k, m in f_metrics.items()
                for r in pairwise_comparisons(m, run_names, k, n_samples=b, seed=args.seed)
            ]

    assert pairs_shared() == pairs_per_metric()
    rows.append(
        (
            f"Pairwise: 4 metrics x 10 pairs x {n_docs:,} docs, boot+perm {b:,} (vs a draw per metric)",
            _best_of(pairs_shared, args.repeat),
            _best_of(pairs_per_metric, args.repeat),
        )
    )

    # 5. A 20-system run's significance at samples_for's resamples (no cap) vs the old 20,000 cap.
    n_sys, n_docs = 20, 2_000
    f4 = [_synthetic(rng, (n_sys, n_docs)) for _ in range(4)]
    ii, jj = np.triu_indices(n_sys, k=1)
    groups = [(m[ii], m[jj]) for m in f4]
    needed = stats.samples_for(len(ii), 0.95, b)

    def significance_run(n_samples: int, permutation: bool) -> Callable[[], Any]:
        return lambda: stats._paired_tests_groups(groups, n_samples, 0.95, args.seed, permutation)

    for n_samples, permutation, what in (
        (needed, True, f"samples_for = {needed:,}, boot+perm"),
        (needed, False, f"samples_for = {needed:,}, boot only"),
        (20_000, True, "old cap 20,000, boot+perm"),
    ):
        seconds = _best_of(significance_run(n_samples, permutation), args.repeat)
        rows.append((f"Significance: 4 metrics x {len(ii)} pairs x {n_docs:,} docs, {what}", seconds, None))
    tracemalloc.start()  # peak memory in a separate call (tracing slows numpy down)
    significance_run(needed, True)()
    peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    print(f"numpy {np.__version__}, python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"sumbench: best of {args.repeat}; rouge-score 0.1.2: one run (add_scores + aggregate)")
    print("other = rouge-score 0.1.2, or a draw per metric for the rows that say so\n")
    width = max(len(r[0]) for r in rows)
    print(f"{'task':<{width}}  {'sumbench s':>10}  {'other s':>13}  {'ratio':>7}")
    print("-" * (width + 36))
    for task, ours_s, peer_s in rows:
        peer_txt = f"{peer_s:13.3f}" if peer_s is not None else f"{'n/a':>13}"
        ratio_txt = f"{peer_s / ours_s:6.1f}x" if peer_s is not None else f"{'':>7}"
        print(f"{task:<{width}}  {ours_s:10.3f}  {peer_txt}  {ratio_txt}")
    print(f"\npeak traced memory of the samples_for significance run: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
