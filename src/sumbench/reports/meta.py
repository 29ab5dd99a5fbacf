"""The meta-evaluation section of a report: which metrics agree with people (``meta_eval.json``).

:func:`meta_section` turns a run's :class:`~sumbench.runfolder.MetaEvaluation` into plain data that the
Markdown and HTML writers both render: one line per correlation level, where the judgments come from,
a correlation table per level (the display coefficient, each cell with its interval), one sentence per
human dimension and level ranking the compared metrics with the paired tests that separate them, and
the metrics validated as error detectors. :func:`meta_csv` writes every correlation as ``meta_eval.csv``.

Every number a sentence quotes is the number of one :class:`~sumbench.runfolder.CorrelationEntry` or
:class:`~sumbench.runfolder.MetricTest` of the file, formatted by :func:`corr_text`, :func:`diff_text`
and :func:`p_text`; "significantly better" means the test's Holm-adjusted p is below ``1 - confidence``,
"not distinguishable" that it is not.

Metrics that count errors (the fact checks' ``unsupported_*``: higher = more unsupported facts) agree
with people when they correlate *negatively*. The paired tests of ``meta_eval.json`` compare signed
correlations, which would rank such a metric below every quality metric whatever its agreement, so the
sentences quote its correlation apart and never one of those tests.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from sumbench.runfolder import CorrelationEntry, DetectorEntry, MetaEvaluation, MetricTest, Run
from sumbench.scoring.stats import alpha_of

from .common import metric_label

__all__ = [
    "COEFFICIENT_LABELS",
    "META_CSV_COLUMNS",
    "corr_text",
    "diff_text",
    "display_coefficient",
    "is_error_metric",
    "meta_csv",
    "meta_section",
    "p_text",
]

COEFFICIENT_LABELS = {"kendall": "Kendall τ", "spearman": "Spearman ρ", "pearson": "Pearson r"}
_COEFFICIENT_LONG = {"kendall": "Kendall tau-b", "spearman": "Spearman rho", "pearson": "Pearson r"}
LEVEL_NAMES = {"summary": "Summary level", "system": "System level", "global": "Global"}
_RESAMPLED = {"both": "documents and systems", "documents": "documents", "systems": "systems"}
META_CSV_COLUMNS = ("metric", "dimension", "level", "coefficient", "value", "low", "high", "n_units", "n_skipped")
#: The levels that get a ranking sentence per dimension.
SENTENCE_LEVELS = ("summary", "system")
MINUS = "\u2212"


# --- numbers ------------------------------------------------------------------------------------
def corr_text(x: float) -> str:
    """A correlation or an AUC, two decimals, a true minus sign; ``–`` when undefined."""
    if not math.isfinite(x):
        return "–"
    text = f"{x:.2f}"
    if text in ("-0.00", "0.00"):
        text = "0.00"
    return text.replace("-", MINUS)


def diff_text(x: float) -> str:
    """A difference of correlations, signed, two decimals."""
    if not math.isfinite(x):
        return "–"
    return f"{x:+.2f}".replace("-", MINUS)


def p_text(p: float) -> str:
    """A p-value as the sentences quote it: two significant digits, ``< 0.001`` below that."""
    if not math.isfinite(p):
        return "–"
    if p < 0.001:
        return "< 0.001"
    return f"{p:.2g}"


def interval_text(low: float, high: float) -> str:
    """``0.08–0.23``, or ``−0.04 to 0.31`` when a bound is negative (a dash beside a minus misleads)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return "no interval"
    lo, hi = corr_text(low), corr_text(high)
    sep = " to " if MINUS in lo + hi else "–"
    return f"{lo}{sep}{hi}"


def _excludes(low: float, high: float, value: float = 0.0) -> bool:
    return math.isfinite(low) and math.isfinite(high) and (low > value or high < value)


def is_error_metric(metric: str) -> bool:
    """Whether higher values of ``metric`` mean a worse summary (the fact checks' counts and shares of
    unsupported facts), read from the column name: for detectors, whose AUC is of the values as scored."""
    return metric.startswith("unsupported_")


def meta_label(meta: MetaEvaluation, metric: str) -> str:
    """A metric's name in the section: negated metrics say so (``unsupported facts (negated)``)."""
    label = metric_label(metric)
    return f"{label} (negated)" if metric in meta.negated else label


def display_coefficient(meta: MetaEvaluation) -> str:
    """The coefficient the report shows: Kendall tau-b when computed, else the first one."""
    return "kendall" if "kendall" in meta.coefficients else (meta.coefficients[0] if meta.coefficients else "kendall")


def _percent(confidence: float) -> str:
    return f"{100.0 * confidence:g}%"


def _significant(p: float, confidence: float) -> bool:
    return math.isfinite(p) and Fraction(p) < alpha_of(confidence)


# --- the tables -----------------------------------------------------------------------------------
def _cell(entry: CorrelationEntry | None) -> dict[str, Any]:
    if entry is None:
        return {"value": math.nan, "text": "–", "ci": "", "excludes_zero": False, "n": None, "skipped": 0, "title": ""}
    ci = interval_text(entry.low, entry.high) if math.isfinite(entry.value) else ""
    title = f"n = {entry.n_units:,}" + (f" ({entry.n_skipped:,} left out)" if entry.n_skipped else "")
    return {
        "value": entry.value,
        "text": corr_text(entry.value),
        "ci": ci,
        "excludes_zero": _excludes(entry.low, entry.high),
        "n": entry.n_units,
        "skipped": entry.n_skipped,
        "title": title,
    }


def _rows(meta: MetaEvaluation, metrics: Sequence[str], level: str, coefficient: str) -> list[dict[str, Any]]:
    return [
        {
            "metric": m,
            "label": meta_label(meta, m),
            "error": m in meta.negated,
            "cells": [_cell(meta.correlation(m, d, level, coefficient)) for d in meta.dimensions],
        }
        for m in metrics
    ]


def _level_lines(meta: MetaEvaluation, shared: bool = True) -> dict[str, str]:
    m, n, k = len(meta.systems), meta.documents, meta.matched
    across = f"the {m} systems' summaries of it" if shared else "the summaries of the systems that summarized it"
    return {
        "summary": f"Summary level: for each document, the correlation across {across}, "
        f"averaged over the {n:,} documents (a document whose scores or judgments are all equal is left out: "
        "n says how many count).",
        "system": f"System level: the correlation of the {m} systems' mean scores with their mean human scores "
        f"({m} points, so the intervals are wide).",
        "global": f"Global: all {k:,} judged summaries pooled, across documents and systems.",
    }


# --- the sentences --------------------------------------------------------------------------------
def _test(meta: MetaEvaluation, dimension: str, level: str, coefficient: str, x: str, y: str) -> MetricTest | None:
    """The paired test of ``x`` and ``y`` (either order), by the run's configured method when there is
    one (Williams' test is an extra for Pearson)."""
    found = [
        t
        for t in meta.tests
        if (t.dimension, t.level, t.coefficient) == (dimension, level, coefficient) and {t.a, t.b} == {x, y}
    ]
    return next((t for t in found if t.method == meta.test), found[0] if found else None)


def _units(meta: MetaEvaluation, e: CorrelationEntry) -> str:
    """``, 35 of 100 documents`` when a summary-level correlation left documents out; else nothing."""
    if e.level != "summary" or not e.n_skipped:
        return ""
    return f", {e.n_units:,} of {e.n_units + e.n_skipped:,} documents"


def _names(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(meta: MetaEvaluation, dimension: str, level: str, coefficient: str) -> dict[str, Any] | None:
    """The sentence ranking the compared metrics against ``dimension`` at ``level``, and the records it
    quotes (``entries``, ``tests``)."""
    conf = _percent(meta.confidence)
    entries = {m: meta.correlation(m, dimension, level, coefficient) for m in meta.compared}
    # negated metrics (lower is better) were turned around before correlating: all compete alike; a
    # meta_eval.json from before that still holds raw error counts, quoted on their own below
    errors = [m for m in meta.compared if is_error_metric(m) and m not in meta.negated]
    quality = [m for m in meta.compared if m not in errors]
    defined = [m for m in quality if entries[m] is not None and math.isfinite(entries[m].value)]  # type: ignore[union-attr]
    where = f"Against {dimension} ({level} level, {COEFFICIENT_LABELS.get(coefficient, coefficient)})"
    parts: list[str] = []
    quoted_entries: list[CorrelationEntry] = []
    quoted_tests: list[MetricTest] = []
    best: str | None = None
    if defined:
        best = max(defined, key=lambda m: entries[m].value)  # type: ignore[union-attr]
        e = entries[best]
        assert e is not None
        quoted_entries.append(e)
        head = (
            f"{where}, {meta_label(meta, best)} agrees best with people "
            f"({corr_text(e.value)}, {conf} CI {interval_text(e.low, e.high)}{_units(meta, e)})"
        )
        if not _excludes(e.low, e.high):
            head += ", but its agreement is not distinguishable from none"
        better: list[str] = []
        same: list[str] = []
        other_way: list[str] = []
        untested: list[str] = []
        for other in quality:
            if other == best:
                continue
            t = _test(meta, dimension, level, coefficient, best, other)
            if t is None or not math.isfinite(t.p_adjusted):
                untested.append(meta_label(meta, other))
                continue
            quoted_tests.append(t)
            numbers = f"(difference {diff_text(t.difference)}, Holm-adjusted p = {p_text(t.p_adjusted)})"
            if not _significant(t.p_adjusted, meta.confidence):
                same.append(meta_label(meta, other))
            elif t.a == best:
                better.append(f"{meta_label(meta, other)} {numbers}")
            else:  # the test, on the summaries both score, favours the other metric
                other_way.append(f"{meta_label(meta, other)} {numbers}")
        clauses = []
        if better:
            clauses.append(f"it correlates significantly better than {_names(better)}")
        if same:
            clauses.append(f"{'is' if better else 'it is'} not distinguishable from {_names(same)}")
        text = head
        if clauses:
            text += "; " + " and ".join(clauses)
        if other_way:
            text += (
                f"; on the summaries both score, {_names(other_way)} "
                f"{'correlates' if len(other_way) == 1 else 'correlate'} significantly better"
            )
        if untested:
            text += f"; it was not tested against {_names(untested)}"
        parts.append(text + ".")
    elif quality:
        parts.append(
            f"{where}, no compared metric has a correlation ({_names([meta_label(meta, m) for m in quality])})."
        )
    for m in errors:
        e = entries[m]
        if e is None or not math.isfinite(e.value):
            parts.append(f"{metric_label(m)} has no {level}-level correlation with {dimension}.")
            continue
        quoted_entries.append(e)
        lead = f"{where}, " if not defined and not quality else ""
        text = (
            f"{lead}{metric_label(m)} counts errors, so agreement is a negative correlation: "
            f"{corr_text(e.value)} ({conf} CI {interval_text(e.low, e.high)}{_units(meta, e)})"
        )
        if not _excludes(e.low, e.high):
            text += ", not distinguishable from none."
        elif e.value < 0:
            text += ": it agrees with people."
        else:
            text += ": it disagrees with people (more unsupported facts where they saw a better summary)."
        parts.append(text)
    if not parts:
        return None
    return {
        "dimension": dimension,
        "level": level,
        "coefficient": coefficient,
        "best": best,
        "text": " ".join(parts),
        "entries": quoted_entries,
        "tests": quoted_tests,
    }


# --- detectors ------------------------------------------------------------------------------------
def _detector_row(d: DetectorEntry) -> dict[str, Any]:
    if _excludes(d.auc_low, d.auc_high, 0.5):
        reads = "higher = error" if d.auc > 0.5 else "lower = error"
    else:
        reads = "chance"
    return {
        "metric": d.metric,
        "label": metric_label(d.metric),
        "auc": d.auc,
        "auc_text": corr_text(d.auc),
        "auc_ci": interval_text(d.auc_low, d.auc_high),
        "separation": abs(d.auc - 0.5) if math.isfinite(d.auc) else -1.0,
        "reads": reads,
        "pb": d.point_biserial,
        "pb_text": corr_text(d.point_biserial),
        "pb_ci": interval_text(d.pb_low, d.pb_high),
        "n": d.n,
        "errors": d.n_positive,
        "n_text": f"{d.n:,} ({d.n_positive:,} errors)",
    }


def _fact_sentence(meta: MetaEvaluation, d: DetectorEntry) -> str:
    conf = _percent(meta.confidence)
    label = f"{d.dimension} below {d.threshold:g}"
    text = (
        f"The fact checks ({metric_label(d.metric)}: the number of a summary's numbers, dates, quotes and names "
        f"that its article does not contain) detect the summaries people judged to have an error ({label}) with "
        f"ROC AUC {corr_text(d.auc)} ({conf} CI {interval_text(d.auc_low, d.auc_high)}), where 0.5 is chance and "
        f"1 perfect, over {d.n:,} summaries ({d.n_positive:,} with an error)"
    )
    if not _excludes(d.auc_low, d.auc_high, 0.5):
        text += ": not distinguishable from chance."
    elif d.auc < 0.5:
        text += ": below chance, so summaries with more unsupported facts were judged to have an error less often."
    elif d.auc < 0.7:
        text += ": better than chance, but a weak detector."
    elif d.auc < 0.8:
        text += ": a fair detector."
    else:
        text += ": a good detector."
    return text


def _detectors(meta: MetaEvaluation) -> dict[str, Any] | None:
    if not meta.detectors:
        return None
    rows = sorted((_detector_row(d) for d in meta.detectors), key=lambda r: (-r["separation"], r["metric"]))
    main = {*meta.compared, *(d.metric for d in meta.detectors if is_error_metric(d.metric))}
    first = meta.detectors[0]
    facts = next((d for d in meta.detectors if d.metric == "unsupported_facts"), None)
    others = [r for r in rows if r["metric"] not in main]
    shown = [r for r in rows if r["metric"] in main]
    strongest = None
    if others and shown and others[0]["separation"] > shown[0]["separation"] and others[0]["reads"] != "chance":
        o = others[0]
        strongest = (
            f"Of all metrics, {o['label']} separates best (ROC AUC {o['auc_text']}, {_percent(meta.confidence)} CI "
            f"{o['auc_ci']}, {o['reads']}): see all metrics below."
        )
    return {
        "dimension": first.dimension,
        "threshold": first.threshold,
        "label": f"{first.dimension} below {first.threshold:g}",
        "rows": shown,
        "others": others,
        "strongest": strongest,
        "direction": (
            "The AUC is that of \u201chigher value = error\u201d: a quality metric such as ROUGE, whose higher values "
            "mean fewer errors, detects errors when its AUC is below 0.5, so the table ranks by the distance from "
            "0.5 and says which way each metric reads (chance: the interval includes 0.5)."
        ),
        "facts_sentence": _fact_sentence(meta, facts) if facts is not None else None,
    }


# --- the section ----------------------------------------------------------------------------------
def meta_section(run: Run) -> dict[str, Any] | None:
    """The report's "Which metrics agree with people" section as plain data; None without ``meta_eval.json``.

    ``levels`` (one explanation each), ``source`` and ``matching`` lines, a ``caution`` (or None) when
    no document has every system's summary, ``coefficient`` (shown),
    ``tables`` (per level: ``rows`` of the compared metrics, ``others`` of the rest, a cell per dimension
    with its interval and whether it excludes 0), ``sentences`` (per dimension, summary and system level:
    ``text`` and the ``entries`` / ``tests`` it quotes), ``detectors`` (or None) and the ``signature``."""
    meta = run.meta_eval
    if meta is None:
        return None
    coefficient = display_coefficient(meta)
    conf = _percent(meta.confidence)
    shared = len(meta.systems) < 2 or bool(run.scores.common_documents())
    lines = _level_lines(meta, shared)
    compared = [m for m in meta.compared if m in meta.metrics] or list(meta.metrics[:1])
    others = [m for m in meta.metrics if m not in compared]
    tables = []
    for level in meta.levels:
        tables.append(
            {
                "level": level,
                "name": LEVEL_NAMES.get(level, level),
                "line": lines.get(level, level),
                "rows": _rows(meta, compared, level, coefficient),
                "others": _rows(meta, others, level, coefficient),
            }
        )
    sentences = [
        s
        for d in meta.dimensions
        for level in SENTENCE_LEVELS
        if level in meta.levels
        for s in [_sentence(meta, d, level, coefficient)]
        if s is not None
    ]
    source = (
        f"Human judgments: {meta.judgments} (fingerprint {meta.fingerprint}) of {len(meta.systems)} systems on "
        f"{meta.documents:,} documents, dimensions {', '.join(meta.dimensions)}. Intervals: {conf} percentile "
        f"bootstrap, {meta.samples:,} resamples of {_RESAMPLED.get(meta.resample, meta.resample)}; paired "
        f"{meta.test} tests between the compared metrics, Holm-adjusted per dimension and level."
    )
    matching = f"{meta.matched:,} judged summaries matched a scored summary of this run" + (
        f"; {meta.unmatched:,} did not (failed, or not in the corpus)." if meta.unmatched else "; none was left out."
    )
    caution = None
    if not shared:
        caution = (
            "No document has a summary of every system here: each summary-level correlation ranks the systems "
            "that summarized that document, and the system level compares means over different documents (a "
            "system's mean also reflects which documents it had)."
        )
    negated = [metric_label(m) for m in compared if m in meta.negated]
    errors = [metric_label(m) for m in compared if is_error_metric(m) and m not in meta.negated]
    one = len(errors) == 1
    error_note = (
        f"{_names(negated)} {'counts' if len(negated) == 1 else 'count'} errors (lower is better), so "
        f"{'its values were' if len(negated) == 1 else 'their values were'} negated before correlating: for every "
        "metric here a positive correlation means agreement with people."
        if negated
        else None
    ) or (
        f"{_names(errors)} {'counts' if one else 'count'} errors (higher = more unsupported facts), so "
        f"{'it agrees' if one else 'they agree'} with people when the correlation is negative. The paired tests "
        "compare signed correlations, which would put an error count below every quality metric whatever its "
        f"agreement, so the sentences quote no test of {'it' if one else 'them'}."
        if errors
        else None
    )
    return {
        "coefficient": coefficient,
        "coefficient_label": COEFFICIENT_LABELS.get(coefficient, coefficient),
        "coefficient_long": _COEFFICIENT_LONG.get(coefficient, coefficient),
        "confidence": conf,
        "alpha": f"{1 - meta.confidence:.2g}",
        "levels": [{"level": lv, "line": lines.get(lv, lv)} for lv in meta.levels],
        "source": source,
        "matching": matching,
        "caution": caution,
        "dimensions": list(meta.dimensions),
        "compared": compared,
        "tables": tables,
        "sentences": sentences,
        "error_note": error_note,
        "detectors": _detectors(meta),
        "signature": meta.signature,
        "systems": list(meta.systems),
    }


def meta_csv(meta: MetaEvaluation) -> str:
    """``meta_eval.csv``: every correlation of ``meta_eval.json`` (metric, dimension, level, coefficient,
    value, low, high, n_units, n_skipped), in the file's order; undefined numbers empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(META_CSV_COLUMNS)

    def num(x: float) -> str:
        return repr(float(x)) if math.isfinite(x) else ""

    for c in meta.correlations:
        writer.writerow(
            [
                c.metric,
                c.dimension,
                c.level,
                c.coefficient,
                num(c.value),
                num(c.low),
                num(c.high),
                c.n_units,
                c.n_skipped,
            ]
        )
    return buffer.getvalue()
