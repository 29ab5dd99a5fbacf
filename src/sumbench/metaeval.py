"""Meta-evaluation: how far a run's metrics agree with human judgments of the same summaries.

A meta-evaluation is an ordinary run plus correlations. The judged systems' summaries are scored as
``precomputed`` summarizers; :func:`meta_evaluate` then joins the run's ``scores.csv`` with the
judgments on (document, system) and correlates every metric with every human dimension at the three
levels the literature mixes up, each named in the output and the signature:

- **summary** level: per document, the correlation across systems, averaged over documents;
- **system** level: the correlation of the systems' mean scores;
- **global**: all judged summaries pooled.

Columns whose metric declares lower values better (the fact checks' counts of unsupported facts) are
negated first, so that for every metric a positive correlation means agreement with people (recorded in
``MetaEvaluation.negated``). Kendall tau-b, Spearman and Pearson, with percentile bootstrap intervals
that resample documents, systems or both (Deutsch et al., 2021); paired tests of whether one metric
correlates better than another (bootstrap or permutation, plus Williams' test for Pearson at system and
global level), Holm-adjusted over the pairs of one (dimension, level, coefficient); and, for a binary
human label (e.g. FRANK's "has an error"), every metric validated as a detector by ROC AUC and
point-biserial r.
The numbers come from :mod:`sumbench.scoring.correlation`; the result is the run folder's
``meta_eval.json`` (:class:`sumbench.runfolder.MetaEvaluation`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sumbench.errors import RunError
from sumbench.judgments import Judgments
from sumbench.runfolder import (
    CorrelationEntry,
    DetectorEntry,
    MetaEvaluation,
    MetricTest,
    Run,
    load_run,
    write_meta_eval,
)
from sumbench.scoring import correlation
from sumbench.scoring.aggregate import score_matrices
from sumbench.scoring.metrics import ACCOUNTING_COLUMNS
from sumbench.scoring.stats import holm_bonferroni
from sumbench.suite import SAMPLE_SD, MetaEvalConfig

__all__ = ["default_compared", "meta_evaluate", "meta_evaluate_folder"]

VERSION = "1"

#: Columns that describe a summary's cost or spread, not its quality: never correlated by default.
_NOT_QUALITY = frozenset((*ACCOUNTING_COLUMNS, SAMPLE_SD))


def default_compared(metrics: Sequence[str]) -> tuple[str, ...]:
    """The metrics tested against each other when ``[meta_eval] compare`` is empty: every F column
    (ROUGE F, length-matched ROUGE F, BERTScore F) and the fact checks' detector score."""
    return tuple(m for m in metrics if m.endswith(("_f", "_f_lm")) or m == "unsupported_facts")


def _signature(config: MetaEvalConfig, judgments: Judgments, seed: int) -> str:
    return "|".join(
        [
            f"meta-eval:v{VERSION}",
            f"judgments:{config.judgments}@{judgments.fingerprint}",
            f"levels:{','.join(config.levels)}",
            f"coef:{','.join(config.coefficients)}",
            f"resample:{config.resample}",
            f"test:{config.test}",
            f"samples:{config.samples}",
            f"confidence:{config.confidence:g}",
            f"seed:{seed}",
        ]
    )


def meta_evaluate(run: Run, judgments: Judgments, config: MetaEvalConfig, *, seed: int = 0) -> MetaEvaluation:
    """Correlate ``run``'s metrics with ``judgments`` as ``config`` says (see the module docstring).

    Systems are matched by the run's labels; a judged summary counts where the run has its score row.
    Raises :class:`RunError` when no system or no document is shared, or a named metric or dimension is
    unknown."""
    judged = judgments.systems()
    systems = tuple(s for s in run.systems if s in judged)
    if not systems:
        raise RunError(
            f"meta-eval: no system of the run ({', '.join(run.systems)}) is judged in {config.judgments} "
            f"(judged: {', '.join(judged)}); label the summarizers like the judged systems"
        )
    judged_docs = set(judgments.doc_ids())
    doc_ids = tuple(d for d in run.scores.document_ids() if d in judged_docs)
    if not doc_ids:
        raise RunError(f"meta-eval: no document of the run is judged in {config.judgments}")
    available = [m for m in run.manifest.metrics if m not in _NOT_QUALITY]
    metrics = config.metrics or tuple(available)
    unknown = [m for m in metrics if m not in run.manifest.metrics]
    if unknown:
        raise RunError(f"meta-eval: metrics {', '.join(unknown)} are not scored in this run ({', '.join(available)})")
    dimensions = config.dimensions or judgments.dimensions
    missing = [d for d in dimensions if d not in judgments.dimensions]
    if missing:
        raise RunError(
            f"meta-eval: {config.judgments} has no dimension {', '.join(missing)} "
            f"(it has {', '.join(judgments.dimensions)})"
        )
    compared = config.compare or default_compared(metrics)
    unknown = [m for m in compared if m not in metrics]
    if unknown:
        raise RunError(f"meta-eval: [meta_eval] compare names {', '.join(unknown)}, not among the correlated metrics")

    raw = score_matrices(list(run.scores.rows()), systems, doc_ids, metrics)
    negated = tuple(m for m in metrics if m in run.manifest.lower_is_better)
    X = {m: -matrix if m in negated else matrix for m, matrix in raw.items()}  # positive = agreement, always
    Z = {d: judgments.matrix(d, systems, doc_ids) for d in dimensions}
    scored = np.zeros((len(systems), len(doc_ids)), dtype=bool)
    for matrix in X.values():
        scored |= ~np.isnan(matrix)
    judged_cells = np.zeros_like(scored)
    for matrix in Z.values():
        judged_cells |= ~np.isnan(matrix)
    matched = int((scored & judged_cells).sum())
    unmatched = len(judgments.rows) - matched

    rows = correlation.meta_correlations(
        X,
        Z,
        levels=config.levels,
        coefficients=config.coefficients,
        resample=config.resample,
        n_samples=config.samples,
        confidence=config.confidence,
        seed=seed,
    )
    correlations = tuple(
        CorrelationEntry(r.metric, r.dimension, r.level, r.coefficient, r.value, r.low, r.high, r.n_units, r.n_skipped)
        for r in rows
    )
    tests = _metric_tests(X, Z, compared, config, seed)
    detectors = _detectors(raw, Z, metrics, config, seed) if config.error_dimension else ()
    means: dict[str, dict[str, float]] = {}
    for i, system in enumerate(systems):
        row: dict[str, float] = {}
        for name, matrix in [*((m, raw[m]) for m in compared), *Z.items()]:
            values = matrix[i][scored[i] & judged_cells[i]]
            values = values[np.isfinite(values)]
            row[name] = float(values.mean()) if values.size else math.nan
        means[system] = row
    return MetaEvaluation(
        judgments=config.judgments,
        fingerprint=judgments.fingerprint,
        signature=_signature(config, judgments, seed),
        dimensions=tuple(dimensions),
        metrics=tuple(metrics),
        compared=tuple(compared),
        levels=tuple(config.levels),
        coefficients=tuple(config.coefficients),
        resample=config.resample,
        test=config.test,
        samples=config.samples,
        confidence=config.confidence,
        seed=seed,
        systems=systems,
        documents=len(doc_ids),
        matched=matched,
        unmatched=unmatched,
        correlations=correlations,
        tests=tests,
        detectors=detectors,
        system_means=means,
        negated=negated,
    )


def _metric_tests(
    X: dict[str, np.ndarray], Z: dict[str, np.ndarray], compared: Sequence[str], config: MetaEvalConfig, seed: int
) -> tuple[MetricTest, ...]:
    """Every pair of compared metrics, for each dimension, level and coefficient: the configured paired
    test, and Williams' test for Pearson at system and global level; Holm over each family's pairs."""
    pairs = list(itertools.combinations(compared, 2))
    out: list[MetricTest] = []
    for (dimension, z), level, coefficient in itertools.product(Z.items(), config.levels, config.coefficients):
        methods = [config.test]
        if coefficient == "pearson" and level in ("system", "global"):
            methods.append("williams")
        for method in methods:
            family = [(a, b, _compare(X[a], X[b], z, level, coefficient, method, config, seed)) for a, b in pairs]
            adjusted = holm_bonferroni([r.p_value for _, _, r in family])
            for (a, b, r), p_adj in zip(family, adjusted):
                low, high, difference = r.low, r.high, r.difference
                if difference < 0:  # the better-correlated metric first
                    a, b, low, high, difference = b, a, -high, -low, -difference
                out.append(
                    MetricTest(
                        dimension,
                        level,
                        coefficient,
                        a,
                        b,
                        difference,
                        low,
                        high,
                        r.p_value,
                        float(p_adj),
                        method,
                        r.n_samples,
                    )
                )
    return tuple(out)


def _compare(
    x1: np.ndarray,
    x2: np.ndarray,
    z: np.ndarray,
    level: str,
    coefficient: str,
    method: str,
    config: MetaEvalConfig,
    seed: int,
) -> correlation.MetricComparison:
    """One paired test of two metrics against one human dimension (Williams', or the resampling test)."""
    if method == "williams":
        return correlation.williams_compare(x1, x2, z, level)
    return correlation.compare_metrics(
        x1,
        x2,
        z,
        level,
        coefficient,
        method=method,
        resample=config.resample,
        n_samples=config.samples,
        confidence=config.confidence,
        seed=seed,
    )


def _detectors(
    X: dict[str, np.ndarray], Z: dict[str, np.ndarray], metrics: Sequence[str], config: MetaEvalConfig, seed: int
) -> tuple[DetectorEntry, ...]:
    """Each metric as a detector of ``error_dimension < error_below`` (label 1: the summary has an error)."""
    dimension = config.error_dimension
    assert dimension is not None
    if dimension not in Z:
        raise RunError(f"meta-eval: error_dimension {dimension!r} is not among the dimensions ({', '.join(Z)})")
    z = Z[dimension]
    out: list[DetectorEntry] = []
    for metric in metrics:
        x = X[metric]
        cells = np.isfinite(z) & np.isfinite(x)
        labels = (z[cells] < config.error_below).astype(float)
        if labels.size < 2 or labels.min() == labels.max():
            continue
        r = correlation.roc_auc(x[cells], labels, n_samples=config.samples, confidence=config.confidence, seed=seed)
        out.append(
            DetectorEntry(
                metric,
                dimension,
                config.error_below,
                r.auc,
                r.auc_low,
                r.auc_high,
                r.point_biserial,
                r.pb_low,
                r.pb_high,
                r.n,
                r.n_positive,
            )
        )
    return tuple(out)


def meta_evaluate_folder(run_dir: str | Path, config: MetaEvalConfig, *, seed: int | None = None) -> MetaEvaluation:
    """Meta-evaluate the run folder ``run_dir`` (its scores, not its texts) and write its
    ``meta_eval.json``; ``seed`` defaults to the run's."""
    run = load_run(run_dir, keep_documents=())
    judgments = config.load_judgments()
    meta = meta_evaluate(run, judgments, config, seed=run.manifest.seed if seed is None else seed)
    write_meta_eval(run_dir, meta)
    return meta
