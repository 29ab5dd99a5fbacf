"""What a report says, computed once from a :class:`Run` and rendered by both the
Markdown and the HTML writers.  Everything here is plain data (dicts, lists, str,
float); nothing is escaped or formatted for a particular output, except the number
formatting helpers at the bottom.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .data import Run
from .plots import article_words, metric_label, reference_lengths, system_order

__all__ = [
    "LENGTH_METRICS",
    "EXTRACTIVE_METRICS",
    "anchor_ids",
    "baseline_verdicts",
    "best_worst",
    "close_calls",
    "extractiveness_table",
    "fmt",
    "header",
    "highlight",
    "leaderboard",
    "length_table",
]

LENGTH_METRICS = ("words", "sentences", "compression", "ref_ratio")
EXTRACTIVE_METRICS = (
    "coverage", "density", "fragment_compression",
    "novel_1gram", "novel_2gram", "novel_3gram", "redundancy_1gram", "redundancy_2gram",
)
#: How each metric is shown: (scale, decimals, suffix)
_DISPLAY = {
    "words": (1, 1, ""), "sentences": (1, 2, ""), "compression": (1, 1, "x"), "ref_ratio": (1, 2, ""),
    "coverage": (1, 2, ""), "density": (1, 2, ""), "fragment_compression": (1, 1, "x"),
    "novel_1gram": (100, 1, "%"), "novel_2gram": (100, 1, "%"), "novel_3gram": (100, 1, "%"),
    "redundancy_1gram": (100, 1, "%"), "redundancy_2gram": (100, 1, "%"),
}
#: Close calls: pairs whose adjusted p-value is at least this (or not significant).
CLOSE_P = 0.01


def fmt(metric: str, value: Any) -> str:
    """Format a value of ``metric`` for display (ROUGE x100, fractions as %)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    scale, dec, suffix = _DISPLAY.get(metric, (100, 2, "") if metric.startswith("rouge") else (1, 3, ""))
    return f"{value * scale:.{dec}f}{suffix}"


def column_label(metric: str) -> str:
    label = metric_label(metric)
    return {"novel 1-grams": "novel 1-grams", "compression": "compression"}.get(label, label)


# --- header ----------------------------------------------------------------------------
def header(run: Run) -> dict[str, Any]:
    m = run.manifest
    corpus = m.get("corpus") if isinstance(m.get("corpus"), dict) else {}
    versions = m.get("versions") if isinstance(m.get("versions"), dict) else {}
    n_docs = corpus.get("documents", len(run.documents))
    rpd = corpus.get("references_per_document")
    if not isinstance(rpd, (int, float)) and run.documents:
        rpd = sum(len(d["references"]) for d in run.documents) / len(run.documents)
    cache = m.get("cache") if isinstance(m.get("cache"), dict) else {}
    failures = m.get("failures", len(run.failures))
    return {
        "suite": run.name,
        "suite_path": m.get("suite_path"),
        "corpus_name": corpus.get("name", "?"),
        "corpus_source": corpus.get("source"),
        "corpus_fingerprint": corpus.get("fingerprint"),
        "documents": n_docs,
        "refs_per_doc": f"{rpd:.2f}".rstrip("0").rstrip(".") if isinstance(rpd, (int, float)) else "?",
        "created": str(m.get("created", "?")),
        "seed": m.get("seed", "?"),
        "rouge_signature": str(m.get("rouge_signature", "?")),
        "versions": ", ".join(f"{k} {v}" for k, v in versions.items()),
        "confidence": f"{run.confidence:.0%}",
        "bootstrap_samples": m.get("bootstrap_samples"),
        "cache": f"{cache.get('hits', 0)} hits, {cache.get('misses', 0)} misses" if cache else None,
        "failures": failures if isinstance(failures, int) else len(run.failures),
        "warnings": [str(w) for w in m.get("warnings", []) or []],
        "systems": len(run.systems),
        "primary_metric": run.primary_metric,
        "primary_label": metric_label(run.primary_metric) if run.primary_metric else "–",
    }


# --- anchors ---------------------------------------------------------------------------
def anchor_ids(doc_ids: Iterable[str], prefix: str = "doc-") -> dict[str, str]:
    """A unique, HTML-id and URL-fragment safe anchor per document id.

    Ids made only of ``[A-Za-z0-9_-]`` keep their text (``doc-<id>``); others are
    reduced to those characters and get a short hash of the original id, so two
    different ids never share an anchor.
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for doc_id in doc_ids:
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", doc_id).strip("-")[:60]
        anchor = prefix + safe
        if safe != doc_id or not safe:
            anchor += ("-" if safe else "") + hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:8]
        base, k = anchor, 2
        while anchor in used:
            anchor, k = f"{base}-{k}", k + 1
        used.add(anchor)
        out[doc_id] = anchor
    return out


# --- tables ----------------------------------------------------------------------------
def _cell(run: Run, system: str, metric: str) -> dict[str, Any]:
    agg = run.aggregate(system, metric) or {}
    mean = run.mean(system, metric)
    lo, hi = agg.get("ci_low", math.nan), agg.get("ci_high", math.nan)
    n = agg.get("n")
    if n is None and metric in run.scores.columns:
        n = int(np.isfinite(run.scores.values(system, metric)).sum())
    return {"metric": metric, "mean": mean, "ci_low": lo, "ci_high": hi, "n": n,
            "text": fmt(metric, mean),
            "ci": f"[{fmt(metric, lo)}, {fmt(metric, hi)}]" if math.isfinite(lo) and math.isfinite(hi) else "",
            "best": False, "tied": False}


def leaderboard(run: Run) -> dict[str, Any]:
    """Systems ranked by the primary metric x the ROUGE F metrics, mean and CI; the
    best mean per column is flagged ``best``, and systems the significance tests
    cannot tell from the best are flagged ``tied``."""
    metrics = list(run.f_metrics)
    order = system_order(run)
    bw = best_worst(run)
    failures: dict[str, int] = {}
    for f in run.failures:
        failures[str(f.get("system"))] = failures.get(str(f.get("system")), 0) + 1
    rows = []
    for rank, s in enumerate(order, 1):
        cells = [_cell(run, s, m) for m in metrics]
        docs = int(sum(1 for x in run.scores.systems if x == s))
        rows.append({"rank": rank, "system": s, "cells": cells, "docs": docs,
                     "failures": failures.get(s, 0), **bw.get(s, {"best": None, "worst": None})})
    sig = {(r["metric"], r["a"], r["b"]): r for r in run.significance}
    for k, m in enumerate(metrics):
        means = [row["cells"][k]["mean"] for row in rows]
        finite = [x for x in means if math.isfinite(x)]
        if not finite:
            continue
        top = max(finite)
        leaders = [row["system"] for row in rows if row["cells"][k]["mean"] == top]
        for row in rows:
            cell = row["cells"][k]
            cell["best"] = cell["mean"] == top
            if not cell["best"] and math.isfinite(cell["mean"]):
                for lead in leaders:
                    rec = sig.get((m, lead, row["system"])) or sig.get((m, row["system"], lead))
                    if rec is not None and not rec.get("significant", False):
                        cell["tied"] = True
    return {"metrics": metrics, "labels": [metric_label(m) for m in metrics], "rows": rows,
            "primary_metric": run.primary_metric}


def length_table(run: Run) -> dict[str, Any]:
    metrics = [m for m in LENGTH_METRICS if m in run.scores.columns]
    rows = [{"system": s, "reference": False, "cells": [_cell(run, s, m) for m in metrics]} for s in system_order(run)]
    ref_words, ref_sents = reference_lengths(run)
    ref_vals = {"words": ref_words.mean() if ref_words.size else math.nan,
                "sentences": ref_sents.mean() if ref_sents.size else math.nan}
    ref_cells = []
    for m in metrics:
        v = ref_vals.get(m, math.nan)
        if m == "compression" and ref_words.size:
            arts = article_words(run)
            per_ref = np.repeat(arts, [len(d["references"]) for d in run.documents])
            with np.errstate(divide="ignore", invalid="ignore"):
                ratios = per_ref / ref_words
            ratios = ratios[np.isfinite(ratios)]
            v = float(ratios.mean()) if ratios.size else math.nan
        if m == "ref_ratio":
            v = 1.0
        ref_cells.append({"metric": m, "mean": v, "text": fmt(m, v), "ci": "", "best": False, "tied": False})
    if ref_words.size:
        rows.insert(0, {"system": "references", "reference": True, "cells": ref_cells})
    labels = {"words": "words", "sentences": "sentences", "compression": "compression (article/summary)",
              "ref_ratio": "ratio to reference"}
    return {"metrics": metrics, "labels": [labels[m] for m in metrics], "rows": rows}


def extractiveness_table(run: Run) -> dict[str, Any]:
    metrics = [m for m in EXTRACTIVE_METRICS if m in run.scores.columns]
    labels = {"coverage": "coverage", "density": "density", "fragment_compression": "compression",
              "novel_1gram": "novel 1-grams", "novel_2gram": "novel 2-grams", "novel_3gram": "novel 3-grams",
              "redundancy_1gram": "repeated 1-grams", "redundancy_2gram": "repeated 2-grams"}
    rows = [{"system": s, "cells": [_cell(run, s, m) for m in metrics]} for s in system_order(run)]
    return {"metrics": metrics, "labels": [labels[m] for m in metrics], "rows": rows}


def _adj_p(rec: dict[str, Any]) -> float:
    ps = [rec.get(k) for k in ("p_bootstrap_holm", "p_permutation_holm")]
    ps = [p for p in ps if isinstance(p, float) and math.isfinite(p)]
    if not ps:
        ps = [p for p in (rec.get("p_bootstrap"), rec.get("p_permutation")) if isinstance(p, float) and math.isfinite(p)]
    return max(ps) if ps else math.nan


def close_calls(run: Run) -> list[dict[str, Any]]:
    """Pairs the tests could not separate (or only barely: adjusted p >= 0.01), per
    metric in run order, then by how close they are (largest p first)."""
    order = {m: k for k, m in enumerate(run.metrics)}
    out = []
    for rec in run.significance:
        p = _adj_p(rec)
        if not rec.get("significant", False) or (math.isfinite(p) and p >= CLOSE_P):
            verdict = rec.get("verdict") or (
                f"{rec['a']} vs {rec['b']} on {metric_label(rec['metric'])}: difference "
                f"{fmt(rec['metric'], rec.get('diff'))}, p={p:.3g}")
            out.append({"metric": rec["metric"], "label": metric_label(rec["metric"]), "a": rec["a"], "b": rec["b"],
                        "p": p, "significant": bool(rec.get("significant", False)), "verdict": str(verdict)})
    out.sort(key=lambda r: (order.get(r["metric"], len(order)), -(r["p"] if math.isfinite(r["p"]) else 2)))
    return out


def baseline_verdicts(run: Run) -> dict[str, Any] | None:
    """Every system against the suite's ``baseline`` (manifest key) on each tested metric: the
    plain-sentence verdict of that pair, whether the system wins, loses or cannot be told apart."""
    baseline = run.manifest.get("baseline")
    if not baseline:
        return None
    order = {m: k for k, m in enumerate(run.metrics)}
    rows = []
    for rec in run.significance:
        if baseline not in (rec["a"], rec["b"]):
            continue
        other = rec["b"] if rec["a"] == baseline else rec["a"]
        diff = rec.get("diff")
        if isinstance(diff, (int, float)) and rec["a"] == baseline:
            diff = -diff
        outcome = "tie"
        if rec.get("significant"):
            outcome = "better" if (diff or 0) > 0 else "worse"
        rows.append({"system": other, "metric": rec["metric"], "label": metric_label(rec["metric"]),
                     "diff": diff, "outcome": outcome, "verdict": str(rec.get("verdict", ""))})
    rows.sort(key=lambda r: (order.get(r["metric"], len(order)), r["system"]))
    return {"baseline": baseline, "rows": rows}


def best_worst(run: Run) -> dict[str, dict[str, Any]]:
    """Per system, the documents with the highest and lowest primary-metric score
    (``{"best": {"doc_id", "value", "text"}, "worst": {...}}``)."""
    pm = run.primary_metric
    out: dict[str, dict[str, Any]] = {}
    if pm is None:
        return out
    for s in run.systems:
        vals = [(d, v) for d, v in run.scores.by_doc(s, pm).items() if math.isfinite(v)]
        if not vals:
            continue
        best = max(vals, key=lambda t: t[1])
        worst = min(vals, key=lambda t: t[1])
        out[s] = {"best": {"doc_id": best[0], "value": best[1], "text": fmt(pm, best[1])},
                  "worst": {"doc_id": worst[0], "value": worst[1], "text": fmt(pm, worst[1])}}
    return out


# --- highlighting ----------------------------------------------------------------------
_TOKEN = re.compile(r"[A-Za-z0-9]+")


def reference_ngrams(references: Sequence[str], n: int = 2) -> set[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    for ref in references:
        toks = [t.lower() for t in _TOKEN.findall(ref)]
        grams.update(tuple(toks[k : k + n]) for k in range(len(toks) - n + 1))
    return grams


def highlight(text: str, grams: set[tuple[str, ...]], n: int = 2) -> list[tuple[str, bool]]:
    """Split ``text`` into ``(segment, marked)`` pieces, marking every run of words
    that belongs to an n-gram (default bigram, lower-cased ``[A-Za-z0-9]+`` words)
    found in ``grams``.  The pieces concatenate back to ``text`` exactly; they are
    raw text, for the template to escape."""
    matches = list(_TOKEN.finditer(text))
    toks = [m.group(0).lower() for m in matches]
    marked = [False] * len(toks)
    for k in range(len(toks) - n + 1):
        if tuple(toks[k : k + n]) in grams:
            for j in range(k, k + n):
                marked[j] = True
    segments: list[tuple[str, bool]] = []
    pos = 0
    k = 0
    while k < len(toks):
        if not marked[k]:
            k += 1
            continue
        start = matches[k].start()
        while k + 1 < len(toks) and marked[k + 1]:
            k += 1
        end = matches[k].end()
        if start > pos:
            segments.append((text[pos:start], False))
        segments.append((text[start:end], True))
        pos = end
        k += 1
    if pos < len(text):
        segments.append((text[pos:], False))
    return segments
