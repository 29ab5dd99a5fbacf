"""What a report says, computed once from a :class:`~sumbench.runfolder.Run` and rendered by both the
Markdown and the HTML writers. Everything here is plain data (dicts, lists, str, float); nothing is
escaped or formatted for a particular output beyond the number formatting of :func:`.common.fmt`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from sumbench.runfolder import Comparison, Run
from sumbench.scoring.extractiveness import EXTRACTIVENESS_COLUMNS
from sumbench.scoring.lengths import LENGTH_COLUMNS

from .common import article_words, fmt, metric_label, reference_lengths, system_order
from .drilldown import (  # re-exported: the drill-down lives in drilldown.py
    DRILL_DOWN_DOCUMENTS,
    anchor_ids,
    drill_down_documents,
    drill_down_note,
    highlight,
    reference_ngrams,
)
from .findings import common_count, length_flag, tied_with_best
from .verdicts import is_close_call, is_significant, verdict

__all__ = [
    "DRILL_DOWN_DOCUMENTS",
    "anchor_ids",
    "baseline_verdicts",
    "best_worst",
    "close_calls",
    "drill_down_documents",
    "drill_down_note",
    "extractiveness_table",
    "header",
    "highlight",
    "leaderboard",
    "length_table",
    "reference_ngrams",
]


def _short_number(x: float) -> str:
    """``1.333`` -> ``1.33``, ``2.0`` -> ``2``; ``?`` when not finite."""
    return f"{x:.2f}".rstrip("0").rstrip(".") if math.isfinite(x) else "?"


# --- header ----------------------------------------------------------------------------
def header(run: Run) -> dict[str, Any]:
    """The facts of the run: suite, corpus, settings, versions, cache, failures, warnings."""
    m = run.manifest
    rpd = m.corpus.references_per_document
    if not math.isfinite(rpd) and run.document_count:
        rpd = float(run.lengths.reference_counts.mean())
    primary = run.primary_metric
    return {
        "suite": run.name,
        "suite_path": m.suite_path,
        "corpus_name": m.corpus.name,
        "corpus_source": m.corpus.source,
        "corpus_fingerprint": m.corpus.fingerprint,
        "documents": m.corpus.documents,
        "refs_per_doc": _short_number(rpd),
        "created": m.created,
        "seed": m.seed,
        "rouge_signature": m.rouge_signature,
        "versions": ", ".join(f"{k} {v}" for k, v in m.versions.items()),
        "confidence": f"{run.confidence:.0%}",
        "bootstrap_samples": m.bootstrap_samples,
        "cache": f"{m.cache.hits} hits, {m.cache.misses} misses",
        "failures": m.failures or len(run.failures),
        "warnings": list(m.warnings),
        "systems": len(run.systems),
        "primary_metric": primary,
        "primary_label": metric_label(primary) if primary else "–",
        "tests_note": tests_note(run),
    }


def tests_note(run: Run) -> str | None:
    """How the pairwise tests were run, and that they can reach significance: resamples (raised from the
    suite's when needed), the Holm family size, and the smallest reachable Holm-adjusted p."""
    from sumbench.scoring.stats import smallest_adjusted_p

    if not run.comparisons:
        return None
    if not any(c.n for c in run.comparisons):
        return (
            "No pairwise tests: the tests compare systems on the documents every system completed, and no "
            "document was scored for every system."
        )
    family = max((c.family for c in run.comparisons), default=0) or max(
        sum(1 for c in run.comparisons if c.metric == m) for m in {c.metric for c in run.comparisons}
    )
    samples = run.manifest.significance_samples
    asked = run.manifest.bootstrap_samples
    raised = f" (raised from the suite's {asked:,} so significance is reachable)" if samples > asked else ""
    smallest = smallest_adjusted_p(family, samples)
    untested = [c for c in run.comparisons if c.n and not c.tested]
    skipped = (
        f" {len(untested)} pairs were not tested: fewer than {untested[0].min_documents} shared documents."
        if untested
        else ""
    )
    return (
        f"Pairwise tests: paired bootstrap over the common documents, {samples:,} resamples{raised}, "
        f"Holm-adjusted over the {family} pairs of each metric; the smallest reachable adjusted p is "
        f"{smallest:.2g}, below {run.alpha:.2g}. The intervals quoted beside the verdicts are Holm-adjusted "
        "the same way, so an interval excludes 0 exactly when its verdict says one system beats the other." + skipped
    )


# --- tables ----------------------------------------------------------------------------
def _cell(run: Run, system: str, metric: str) -> dict[str, Any]:
    agg = run.aggregate(system, metric)
    mean = run.mean(system, metric)
    lo, hi = (agg.ci_low, agg.ci_high) if agg is not None else (math.nan, math.nan)
    n: int | None = agg.n if agg is not None else None
    if n is None and metric in run.scores.columns:
        n = int(np.isfinite(run.scores.values(system, metric)).sum())
    return {
        "metric": metric,
        "mean": mean,
        "ci_low": lo,
        "ci_high": hi,
        "n": n,
        "text": fmt(metric, mean),
        "ci": f"[{fmt(metric, lo)}, {fmt(metric, hi)}]" if math.isfinite(lo) and math.isfinite(hi) else "",
        "best": False,
        "tied": False,
    }


def _comparison_index(run: Run) -> dict[tuple[str, str, str], Comparison]:
    """``(metric, a, b)`` -> comparison, under both orders of the pair."""
    index: dict[tuple[str, str, str], Comparison] = {}
    for c in run.comparisons:
        index[(c.metric, c.a, c.b)] = index[(c.metric, c.b, c.a)] = c
    return index


def short_label(label: str, limit: int = 20) -> str:
    """``label`` cut to ``limit`` characters with an ellipsis in the middle (the start and the end of a
    label are what tells systems apart: ``embedding-cen…-mmr-3``); unchanged when it fits."""
    if len(label) <= limit:
        return label
    head = (limit - 1) * 2 // 3
    return label[:head] + "…" + label[len(label) - (limit - 1 - head) :]


def _own_cell(run: Run, system: str, metric: str) -> dict[str, Any] | None:
    """The mean over the system's own scored documents, when it differs from the common-set mean."""
    agg = run.aggregate(system, metric)
    if agg is None or not math.isfinite(agg.own_mean) or agg.own_n == agg.n:
        return None
    return {"metric": metric, "mean": agg.own_mean, "n": agg.own_n, "text": fmt(metric, agg.own_mean)}


def leaderboard(run: Run) -> dict[str, Any]:
    """The ranking: contestants (candidates and baselines) by the primary metric, over the common
    document set, x the ROUGE F metrics, mean and
    CI; bounds (upper and lower) apart in ``bounds``, never ranked. ``best`` marks the best *candidate*
    per column; ``tied`` the candidates the tests cannot tell from it (:func:`.findings.tied_with_best`).
    Each row has its role, coverage (documents scored / corpus), own-document means when coverage is
    partial, and flags (coverage, length, junk). When no document was scored for every system
    (``comparable`` False), each mean is over the system's own documents: no row is ranked or marked best."""
    metrics = list(run.f_metrics)  # the length-matched scores are beside the raw ones in "Length and junk"
    primary = run.primary_metric
    bw = best_worst(run)
    failures: dict[str | None, int] = {}
    for f in run.failures:
        failures[f.system] = failures.get(f.system, 0) + 1
    total = run.total_documents
    entries = {e.label: e for e in run.manifest.systems}
    # with no document every system was scored on, each mean is over the system's own documents: listed, not ranked
    comparable = common_count(run) > 0 or len(run.systems) < 2

    def row(s: str, rank: int | None) -> dict[str, Any]:
        docs = run.coverage(s)
        partial = docs < total
        flags = []
        if partial:
            flags.append(f"{docs:,}/{total:,} docs")
        length = length_flag(run, s)
        if length:
            flags.append(length)
        entry = entries.get(s)
        junk = sum(int(v) for v in entry.junk.values()) if entry is not None else 0
        if junk:
            flags.append(f"{junk} junk")
        if entry is not None and entry.constant:
            flags.append("same summary everywhere")
        own = [_own_cell(run, s, m) for m in metrics] if comparable else []  # else every mean is its own
        return {
            "rank": rank,
            "system": s,
            "short": short_label(s),
            "role": run.role(s),
            "cells": [_cell(run, s, m) for m in metrics],
            "docs": docs,
            "coverage": docs / total if total else math.nan,
            "partial": partial,
            "own": own if own and any(c is not None for c in own) else None,
            "failures": failures.get(s, 0),
            "flags": flags,
            **bw.get(s, {"best": None, "worst": None}),
        }

    ranked = [s for s in system_order(run) if run.role(s) not in ("upper-bound", "lower-bound")]
    rows = [row(s, k if comparable else None) for k, s in enumerate(ranked, 1)]
    bounds = [row(s, None) for s in system_order(run) if run.role(s) in ("upper-bound", "lower-bound")]
    for k, m in enumerate(metrics if comparable else ()):
        candidates = [r for r in rows if r["role"] == "candidate" and math.isfinite(r["cells"][k]["mean"])]
        if not candidates:
            continue
        top = max(r["cells"][k]["mean"] for r in candidates)
        tied = set(tied_with_best(run, m)) if m in {c.metric for c in run.comparisons} else set()
        for r in candidates:
            cell = r["cells"][k]
            cell["best"] = cell["mean"] == top
            cell["tied"] = not cell["best"] and r["system"] in tied
    return {
        "metrics": metrics,
        "labels": [metric_label(m) for m in metrics],
        "rows": rows,
        "bounds": bounds,
        "primary_metric": primary,
        "common": common_count(run),
        "documents": total,
        "baseline": run.baseline,
        "comparable": comparable,
    }


def _reference_cells(run: Run, metrics: Sequence[str]) -> list[dict[str, Any]] | None:
    """The length cells of the reference summaries, measured like the systems' (None without any)."""
    ref_words, ref_sents = reference_lengths(run)
    if not ref_words.size:
        return None
    per_ref_article = np.repeat(article_words(run), run.lengths.reference_counts)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = per_ref_article / ref_words
    ratios = ratios[np.isfinite(ratios)]
    values = {
        "words": float(ref_words.mean()),
        "sentences": float(ref_sents.mean()),
        "compression": float(ratios.mean()) if ratios.size else math.nan,
        "ref_ratio": 1.0,
    }
    return [
        {
            "metric": m,
            "mean": values.get(m, math.nan),
            "text": fmt(m, values.get(m, math.nan)),
            "ci": "",
            "best": False,
            "tied": False,
        }
        for m in metrics
    ]


def length_table(run: Run) -> dict[str, Any]:
    """Mean length statistics per system, with the reference summaries measured the same way on top."""
    metrics = [m for m in LENGTH_COLUMNS if m in run.scores.columns]
    rows = [{"system": s, "reference": False, "cells": [_cell(run, s, m) for m in metrics]} for s in system_order(run)]
    ref_cells = _reference_cells(run, metrics)
    if ref_cells is not None:
        rows.insert(0, {"system": "references", "reference": True, "cells": ref_cells})
    return {"metrics": metrics, "labels": [metric_label(m) for m in metrics], "rows": rows}


def extractiveness_table(run: Run) -> dict[str, Any]:
    """Mean extractiveness statistics per system."""
    metrics = [m for m in EXTRACTIVENESS_COLUMNS if m in run.scores.columns]
    rows = [{"system": s, "cells": [_cell(run, s, m) for m in metrics]} for s in system_order(run)]
    return {"metrics": metrics, "labels": [metric_label(m) for m in metrics], "rows": rows}


def close_calls(run: Run) -> list[dict[str, Any]]:
    """The statistical ties (:func:`~sumbench.reports.verdicts.is_close_call`: tested, not significant)
    with their verdicts, per metric in run order, then closest first (largest p). Pairs too small to test
    are not ties: :func:`tests_note` counts them."""
    order = {m: k for k, m in enumerate(run.metrics)}
    out: list[dict[str, Any]] = []
    for c in run.comparisons:
        if c.tested and is_close_call(c, run.confidence):
            p = c.p_bootstrap_holm if c.adjusted else c.p_bootstrap
            out.append(
                {
                    "metric": c.metric,
                    "label": metric_label(c.metric),
                    "a": c.a,
                    "b": c.b,
                    "p": p,
                    "significant": is_significant(c, run.confidence),
                    "verdict": verdict(c, run.confidence),
                }
            )
    out.sort(key=lambda r: (order.get(r["metric"], len(order)), -(r["p"] if math.isfinite(r["p"]) else 2)))
    return out


def baseline_verdicts(run: Run) -> dict[str, Any] | None:
    """Every system against the suite's ``baseline`` on each tested metric: the verdict of that pair,
    and whether the system is ``better``, ``worse`` or a ``tie``; None when the suite names no baseline."""
    baseline = run.manifest.baseline
    if not baseline:
        return None
    order = {m: k for k, m in enumerate(run.metrics)}
    rows: list[dict[str, Any]] = []
    for c in run.comparisons:
        if baseline not in (c.a, c.b):
            continue
        other, diff = (c.b, -c.diff) if c.a == baseline else (c.a, c.diff)
        outcome = "tie"
        if is_significant(c, run.confidence):
            outcome = "better" if diff > 0 else "worse"
        rows.append(
            {
                "system": other,
                "metric": c.metric,
                "label": metric_label(c.metric),
                "diff": diff,
                "outcome": outcome,
                "verdict": verdict(c, run.confidence),
            }
        )
    rows.sort(key=lambda r: (order.get(r["metric"], len(order)), r["system"]))
    return {"baseline": baseline, "rows": rows}


def best_worst(run: Run) -> dict[str, dict[str, Any]]:
    """Per system, the documents with the highest and lowest primary-metric score
    (``{"best": {"doc_id", "value", "text"}, "worst": {...}}``)."""
    pm = run.primary_metric
    out: dict[str, dict[str, Any]] = {}
    if pm is None:
        return out
    column = run.scores.column(pm)
    for s in run.systems:
        rows = np.flatnonzero(run.scores.mask(s))
        rows = rows[np.isfinite(column[rows])]
        if not rows.size:
            continue
        values = column[rows]
        out[s] = {}
        for kind, k in (("best", int(rows[np.argmax(values)])), ("worst", int(rows[np.argmin(values)]))):
            value = float(column[k])  # the first such row in file order, like max() / min()
            out[s][kind] = {"doc_id": run.scores.doc_ids[k], "value": value, "text": fmt(pm, value)}
    return out
