"""Helpers shared by every part of the reports: how a metric is named and formatted, the order systems
are shown in, reference / article lengths counted in the same units as the summaries' length columns,
and the seeded sample of points a scatter figure draws. Nothing here depends on the output format.
"""

from __future__ import annotations

import math
import re

import numpy as np

from sumbench.runfolder import Run

__all__ = [
    "MAX_SCATTER_POINTS",
    "article_words",
    "fmt",
    "group_documents",
    "metric_label",
    "point_sample",
    "reference_lengths",
    "scatter_limit",
    "scatter_note",
    "scatter_sample",
    "system_order",
]

_ROUGE_NAME = re.compile(r"rouge(\w+?\*?)_([prf])")

#: Names of the non-ROUGE columns of scores.csv (length and extractiveness statistics).
_LABELS = {
    "words": "words",
    "sentences": "sentences",
    "compression": "compression (article/summary)",
    "ref_ratio": "ratio to reference",
    "coverage": "coverage",
    "density": "density",
    "fragment_compression": "fragment compression",
    "novel_1gram": "novel 1-grams",
    "novel_2gram": "novel 2-grams",
    "novel_3gram": "novel 3-grams",
    "redundancy_1gram": "repeated 1-grams",
    "redundancy_2gram": "repeated 2-grams",
    "bertscore_p": "BERTScore P",
    "bertscore_r": "BERTScore R",
    "bertscore_f": "BERTScore F",
    "unsupported_numbers": "unsupported numbers",
    "unsupported_dates": "unsupported dates",
    "unsupported_quotes": "unsupported quotes",
    "unsupported_names": "unsupported names",
    "unsupported_facts": "unsupported facts",
    "checked_facts": "checked facts",
}

#: How each non-ROUGE metric is shown: (scale, decimals, suffix). ROUGE is shown x100 with 2 decimals.
_DISPLAY = {
    "words": (1, 1, ""),
    "sentences": (1, 2, ""),
    "compression": (1, 1, "x"),
    "ref_ratio": (1, 2, ""),
    "coverage": (1, 2, ""),
    "density": (1, 2, ""),
    "fragment_compression": (1, 1, "x"),
    "novel_1gram": (100, 1, "%"),
    "novel_2gram": (100, 1, "%"),
    "novel_3gram": (100, 1, "%"),
    "redundancy_1gram": (100, 1, "%"),
    "redundancy_2gram": (100, 1, "%"),
}


def metric_label(metric: str) -> str:
    """How a metric is named in tables, figures and sentences.

    ``rouge2_f`` -> ``ROUGE-2 F``, ``rougeLsum_r`` -> ``ROUGE-Lsum R``; length and extractiveness
    columns get their plain-words names (``novel_2gram`` -> ``novel 2-grams``); others as is.
    """
    if metric.endswith("_lm") and _ROUGE_NAME.fullmatch(metric[:-3]):
        return f"{metric_label(metric[:-3])} (length-matched)"
    match = _ROUGE_NAME.fullmatch(metric)
    if match:
        return f"ROUGE-{match.group(1)} {match.group(2).upper()}"
    return _LABELS.get(metric, metric)


def fmt(metric: str, value: float | None) -> str:
    """Format a value of ``metric`` for display (ROUGE x100, n-gram shares as %); ``–`` when missing."""
    if value is None or not math.isfinite(value):
        return "–"
    scale, decimals, suffix = _DISPLAY.get(metric, (100, 2, "") if metric.startswith("rouge") else (1, 3, ""))
    return f"{value * scale:.{decimals}f}{suffix}"


def system_order(run: Run) -> list[str]:
    """Systems ranked by the run's primary metric (best first); unscored systems last."""
    primary = run.primary_metric
    systems = list(run.systems)
    if primary is None:
        return systems

    def key(system: str) -> tuple[int, float]:
        mean = run.mean(system, primary)
        return (1, 0.0) if math.isnan(mean) else (0, -mean)

    return sorted(systems, key=key)


def group_documents(run: Run) -> dict[str, tuple[str, ...]]:
    """Per document group, the documents a group's figures and tables compare systems on: those scored for
    every system that has a score in the group (in scores order). When every system has scores in every
    group, that is the group's share of the common set; a system with none in a group (say, the systems of
    a corpus whose halves were summarized by different systems) is left out of that group instead of
    emptying it. Groups with no such document are left out; empty without document groups."""
    by_doc = run.document_groups()
    if not by_doc:
        return {}
    table = run.scores
    labels = list(table.system_labels)
    codes = {s: k for k, s in enumerate(labels)}
    has: dict[str, set[int]] = {}
    present: dict[str, set[int]] = {}
    for doc, system in zip(table.doc_ids, table.systems):
        g = by_doc.get(doc)
        if g is None:
            continue
        code = codes[system]
        has.setdefault(doc, set()).add(code)
        present.setdefault(g, set()).add(code)
    out: dict[str, list[str]] = {}
    for doc, systems in has.items():
        g = by_doc[doc]
        if systems >= present[g]:
            out.setdefault(g, []).append(doc)
    return {g: tuple(docs) for g, docs in out.items()}


def reference_lengths(run: Run) -> tuple[np.ndarray, np.ndarray]:
    """Words and sentences of every reference summary of every document (kept in the drill-down or not),
    counted like the summaries' length columns."""
    lengths = run.lengths
    return lengths.reference_words, lengths.reference_sentences


def article_words(run: Run) -> np.ndarray:
    """Words per article (every document, in run order), counted like the summaries' length columns."""
    return run.lengths.article_words


# --- scatter figures at scale ------------------------------------------------------------------
#: The most points one scatter figure draws, shared equally among the systems: a seeded sample of each
#: system's points beyond that. Fitted lines, medians and counts always use every point.
MAX_SCATTER_POINTS = 5000


def scatter_limit(run: Run) -> int:
    """The most points a scatter figure draws per system (:data:`MAX_SCATTER_POINTS` shared equally)."""
    return max(MAX_SCATTER_POINTS // max(len(run.systems), 1), 1)


def point_sample(n: int, limit: int, seed: int) -> np.ndarray:
    """Sorted indices of a seeded random sample of at most ``limit`` of ``n`` points (all when ``n <= limit``)."""
    if n <= limit:
        return np.arange(n)
    rng = np.random.default_rng(seed % 2**64)
    return np.sort(rng.choice(n, size=limit, replace=False))


def scatter_sample(run: Run, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """The points of one system that a scatter figure draws: the same seeded sample (the run's seed) of
    at most :func:`scatter_limit` rows of each of the equally long ``arrays``, in their order."""
    keep = point_sample(len(arrays[0]) if arrays else 0, scatter_limit(run), run.manifest.seed)
    return tuple(np.asarray(a)[keep] for a in arrays)


def scatter_note(run: Run, x_metric: str, y_metric: str | None) -> str | None:
    """How much of a scatter figure of ``y_metric`` against ``x_metric`` (one point per scored document
    and system) is drawn, e.g. ``"4,998 of 299,995 points drawn (a seeded sample)"``; None when every
    point is drawn or the metrics are not scored."""
    if y_metric is None or not {x_metric, y_metric} <= set(run.scores.columns):
        return None
    x, y = run.scores.column(x_metric), run.scores.column(y_metric)
    ok = np.isfinite(x) & np.isfinite(y)
    limit = scatter_limit(run)
    total = drawn = 0
    for system in run.systems:
        n = int(ok[run.scores.mask(system)].sum())
        total += n
        drawn += min(n, limit)
    if drawn == total:
        return None
    return f"{drawn:,} of {total:,} points drawn (a seeded sample)"
