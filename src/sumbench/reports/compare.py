"""Compare two run folders: what moved, what changed, what is only in one of them.

For every system label and metric present in both runs (a *comparison*): the means in A and
in B and the paired mean difference ``B - A`` over the documents both runs scored for that
system. All comparisons are tested together in one call of
:func:`sumbench.scoring.stats.paired_tests` (one row per comparison over the union of the two
runs' documents, NaN where a run did not score a document): a seeded paired bootstrap test
Holm-adjusted over every comparison, with the bootstrap interval of the difference at the
Holm step of its row, so the interval excludes 0 exactly when the adjusted p is below
``1 - confidence`` (run A's confidence). A comparison *moved* exactly then.

The number of resamples is :func:`~sumbench.scoring.stats.samples_for` the number of
comparisons (at least the requested ``n_samples``): enough that the smallest Holm-adjusted p
the test can reach is below ``1 - confidence``, so a real change can be marked, however many
comparisons there are. Both reports state the resamples used and that smallest p.

The reports lead with one verdict sentence (:func:`verdict`, also printed by ``sumbench
compare``), then what changed in the runs' set-up (per-system parameters and versions,
run-level versions, seed, ROUGE signature and corpus), the metrics that moved, every shared
system, and the summaries whose text changed, biggest change of run A's primary metric first,
with a word diff.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sumbench.runfolder import Run, SystemEntry, load_run
from sumbench.scoring.stats import paired_tests, samples_for, smallest_adjusted_p

from .common import fmt, metric_label
from .html import environment
from .markdown import md_escape

__all__ = ["compare_runs", "comparison", "verdict", "word_diff", "write_comparison"]

#: Changed summaries written out in full in compare.md (biggest score change first); compare.html has all.
MAX_MD_CHANGES = 50
#: Besides the ROUGE F metrics, the columns of the "all shared systems" table.
DISPLAY_OTHER = ("words", "coverage", "density")
#: Text markers of a significant move: ROUGE is better when higher; other metrics only go up or down.
MARKERS = {"better": "▲ better", "worse": "▼ worse", "higher": "↑ higher", "lower": "↓ lower"}


def higher_is_better(metric: str) -> bool | None:
    """Whether a higher value of ``metric`` is an improvement: True for ROUGE, None (no direction)
    for lengths and extractiveness statistics."""
    return True if metric.lower().startswith("rouge") else None


def _direction(metric: str, diff: float) -> str:
    """``better``/``worse`` for a metric with a direction, ``higher``/``lower`` otherwise; empty for no change."""
    if not math.isfinite(diff) or diff == 0:
        return ""
    if higher_is_better(metric):
        return "better" if diff > 0 else "worse"
    return "higher" if diff > 0 else "lower"


# --- word diff -------------------------------------------------------------------------------
_PIECES = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """``(old_segments, new_segments)``: raw text pieces, ``True`` where the piece was
    deleted (old) or inserted (new).  The template escapes them."""
    a, b = _PIECES.findall(old), _PIECES.findall(new)
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    old_segs: list[tuple[str, bool]] = []
    new_segs: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if i2 > i1:
            old_segs.append(("".join(a[i1:i2]), op != "equal"))
        if j2 > j1:
            new_segs.append(("".join(b[j1:j2]), op != "equal"))
    return old_segs, new_segs


def md_diff(segments: Sequence[tuple[str, bool]], mark: str) -> str:
    """One summary as Markdown, in full: every piece escaped (:func:`md_escape`), whitespace folded to
    single spaces, and the changed pieces wrapped in ``mark`` (``~~`` deleted, ``**`` inserted) with
    the wrapping kept off their outer spaces so GitHub renders it."""
    out: list[str] = []
    for text, marked in segments:
        pieces = [" " if p.isspace() else md_escape(p) for p in _PIECES.findall(text)]
        body = "".join(pieces)
        core = body.strip(" ")
        if marked and core:
            lead = body[: len(body) - len(body.lstrip(" "))]
            trail = body[len(body.rstrip(" ")) :]
            body = f"{lead}{mark}{core}{mark}{trail}"
        out.append(body)
    return re.sub(" +", " ", "".join(out)).strip()


# --- the numbers -------------------------------------------------------------------------------
def _score_matrices(
    run_a: Run, run_b: Run, systems: Sequence[str], metrics: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """``(A, B)``, each ``[system x metric, document]`` over the union of both runs' scored documents
    (row ``s * len(metrics) + m``), NaN where that run has no score."""
    ids = dict.fromkeys((*run_a.scores.document_ids(), *run_b.scores.document_ids()))
    index = {d: k for k, d in enumerate(ids)}
    shape = (len(systems) * len(metrics), len(index))
    out = (np.full(shape, np.nan), np.full(shape, np.nan))
    for run, matrix in zip((run_a, run_b), out):
        doc_ids = run.scores.doc_ids
        for si, s in enumerate(systems):
            rows = np.flatnonzero(run.scores.mask(s))
            cols = np.fromiter((index[doc_ids[k]] for k in rows.tolist()), dtype=np.intp, count=rows.size)
            for mi, m in enumerate(metrics):
                matrix[si * len(metrics) + mi, cols] = run.scores.columns[m][rows]
    return out


def _signed(metric: str, value: float) -> str:
    text = fmt(metric, value)
    return text if text.startswith("-") or text == "–" else "+" + text


def _points(metric: str, value: float) -> str:
    """A signed difference as a sentence says it: ROUGE in points (x100)."""
    text = _signed(metric, value)
    return text + " points" if higher_is_better(metric) and text != "–" else text


def _stat_rows(
    run_a: Run, run_b: Run, systems: Sequence[str], metrics: Sequence[str], requested: int, seed: int
) -> tuple[list[dict[str, Any]], int, float]:
    """Every comparison tested in one :func:`paired_tests` call: ``(rows, resamples used, smallest
    reachable Holm-adjusted p)``."""
    conf = run_a.confidence
    pairs = len(systems) * len(metrics)
    n_samples = samples_for(pairs, conf, requested) if pairs else requested
    if not pairs:
        return [], n_samples, math.nan
    smallest = float(smallest_adjusted_p(pairs, n_samples))
    a, b = _score_matrices(run_a, run_b, systems, metrics)
    # paired_tests tests mean(first - second): B first, so every difference is B - A
    tests = paired_tests(b, a, n_samples=n_samples, confidence=conf, seed=seed, permutation=False)
    valid = np.isfinite(a) & np.isfinite(b)
    n = valid.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        means_a = np.where(valid, a, 0.0).sum(axis=1) / n
        means_b = np.where(valid, b, 0.0).sum(axis=1) / n
    rows: list[dict[str, Any]] = []
    for k, t in enumerate(tests):
        s, m = systems[k // len(metrics)], metrics[k % len(metrics)]
        significant = bool(t.significant) and t.n > 0
        direction = _direction(m, t.diff) if significant else ""
        rows.append(
            {
                "system": s,
                "metric": m,
                "label": metric_label(m),
                "mean_a": float(means_a[k]),
                "mean_b": float(means_b[k]),
                "diff": float(t.diff),
                "low": float(t.adj_low),
                "high": float(t.adj_high),
                "adj_confidence": float(t.adj_confidence),
                "p": float(t.p),
                "p_holm": float(t.p_holm),
                "n": int(t.n),
                "wins": int(t.wins),
                "ties": int(t.ties),
                "losses": int(t.losses),
                "moved": significant,
                "direction": direction,
                "marker": MARKERS.get(direction, ""),
                "text_a": fmt(m, float(means_a[k])),
                "text_b": fmt(m, float(means_b[k])),
                "text_diff": _signed(m, float(t.diff)),
                "text_ci": f"{_signed(m, float(t.adj_low))} to {_signed(m, float(t.adj_high))}"
                if math.isfinite(t.adj_low) and math.isfinite(t.adj_high)
                else "–",
                "text_p": (
                    f"not tested (n < {t.min_documents})"
                    if not t.tested
                    else f"< {_p_text(smallest)}"
                    if t.p_holm == 0
                    else _p_text(float(t.p_holm))
                ),
            }
        )
    return rows, n_samples, smallest


def _p_text(p: float) -> str:
    if not math.isfinite(p):
        return "–"
    if p < 0.001:
        return f"{p:.1e}"
    return f"{p:.3f}" if p < 0.01 else f"{p:.2f}"


# --- what changed in the set-up ------------------------------------------------------------------
_UNSET = object()


def _show(value: Any) -> str:
    """A parameter value as a suite would spell it."""
    if value is _UNSET:
        return "(not set)"
    if isinstance(value, str):
        return value if value else '""'
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def system_changes(a: SystemEntry, b: SystemEntry) -> list[str]:
    """What differs between one system's two configurations, e.g. ``["damping 0.85 → 0.9",
    "version 1 → 2"]`` (empty when nothing does)."""
    out: list[str] = []
    if a.use != b.use:
        out.append(f"use {a.use} → {b.use}")
    pa, pb = _plain(a.params), _plain(b.params)
    for key in dict.fromkeys((*pa, *pb)):
        va, vb = pa.get(key, _UNSET), pb.get(key, _UNSET)
        if va != vb or type(va) is not type(vb):
            out.append(f"{key} {_show(va)} → {_show(vb)}")
    if a.version != b.version:
        out.append(f"version {a.version} → {b.version}")
    if a.role != b.role:
        out.append(f"role {a.role} → {b.role}")
    if not out and a.cache_key and b.cache_key and a.cache_key != b.cache_key:
        out.append("cache key differs (same use, parameters and version)")
    return out


def _setup(run_a: Run, run_b: Run) -> dict[str, Any]:
    """Per-system and run-level differences of the two manifests, and the critical ones."""
    ea = {e.label: e for e in run_a.manifest.systems}
    eb = {e.label: e for e in run_b.manifest.systems}
    systems = []
    for label in dict.fromkeys((*ea, *eb)):
        if label in ea and label in eb:
            changes = system_changes(ea[label], eb[label])
            systems.append({"system": label, "status": "changed" if changes else "same", "changes": changes})
        else:
            entry = ea.get(label) or eb[label]
            params = ", ".join(f"{k}={_show(v)}" for k, v in _plain(entry.params).items())
            where = "A" if label in ea else "B"
            systems.append(
                {
                    "system": label,
                    "status": f"only in {where}",
                    "changes": [f"only in {where}: {entry.use}({params}), version {entry.version}"],
                }
            )
    ma, mb = run_a.manifest, run_b.manifest
    run: list[dict[str, Any]] = []

    def add(what: str, va: Any, vb: Any, critical: bool = False) -> None:
        if va != vb:
            run.append({"what": what, "a": _show(va), "b": _show(vb), "critical": critical})

    add("corpus fingerprint", ma.corpus.fingerprint, mb.corpus.fingerprint, critical=True)
    add("ROUGE signature", ma.rouge_signature, mb.rouge_signature, critical=True)
    # every other metric's settings, and the tools of each document language (both change numbers); a
    # run folder from before they were recorded has none, which is not a difference
    sa, sb = dict(ma.metric_signatures), dict(mb.metric_signatures)
    if sa and sb:
        for name in dict.fromkeys((*sa, *sb)):
            if name != "rouge":
                add(f"{name} signature", sa.get(name, _UNSET), sb.get(name, _UNSET), critical=True)
    la, lb = dict(ma.languages), dict(mb.languages)
    for code in dict.fromkeys((*la, *lb)):
        if la and lb:
            add(f"ROUGE settings for {code!r}", la.get(code, _UNSET), lb.get(code, _UNSET), critical=True)
    add("corpus", ma.corpus.name, mb.corpus.name)
    add("corpus documents", ma.corpus.documents, mb.corpus.documents)
    va, vb = dict(ma.versions), dict(mb.versions)
    add("sumbench version", va.get("sumbench", _UNSET), vb.get("sumbench", _UNSET))
    for key in dict.fromkeys((*va, *vb)):
        if key != "sumbench":
            add(f"{key} version", va.get(key, _UNSET), vb.get(key, _UNSET))
    add("seed", ma.seed, mb.seed)
    add("text pipeline", ma.text_pipeline, mb.text_pipeline)
    add("confidence", ma.confidence, mb.confidence)
    add("primary metric", ma.primary_metric, mb.primary_metric)
    add("baseline", ma.baseline, mb.baseline)
    return {
        "systems": systems,
        "changed_systems": [s for s in systems if s["status"] == "changed"],
        "run": run,
        "critical": [d for d in run if d["critical"]],
    }


# --- the verdict -----------------------------------------------------------------------------------
def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _names(items: Sequence[str], limit: int = 3) -> str:
    shown = list(items[:limit])
    if len(items) > limit:
        shown.append(f"{len(items) - limit} more")
    if len(shown) <= 2:
        return " and ".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _headline(rows: list[dict[str, Any]], primary: str | None, confidence: str) -> str:
    """The biggest move of a direction (the primary metric first, then F scores), stated in full, then how
    many more."""
    top = sorted(rows, key=lambda r: (r["metric"] != primary, not r["metric"].endswith("_f"), -abs(r["diff"])))[0]
    text = (
        f"{top['system']} on {top['label']} by {_points(top['metric'], top['diff'])} "
        f"(Holm-adjusted {confidence} CI {top['text_ci']})"
    )
    rest = [r for r in rows if r is not top]
    if rest:
        systems = list(dict.fromkeys(r["system"] for r in rest))
        text += f" and {_plural(len(rest), 'other score')} of {_names(systems)}"
    return text


def verdict(c: Mapping[str, Any]) -> str:
    """One sentence: what B changed against A, significantly (Holm over every comparison), which
    summaries changed, and which systems only one run has; e.g. "B improves textrank-3 on ROUGE-2 F
    by +1.80 points (Holm-adjusted 95% CI +0.90 to +2.70) and changes nothing else significantly;
    1 system's summaries changed on 48 documents."."""
    conf = c["confidence"]
    rows = c["rows"]
    better = [r for r in rows if r["direction"] == "better"]
    worse = [r for r in rows if r["direction"] == "worse"]
    shifted = [r for r in rows if r["direction"] in ("higher", "lower")]
    clauses = []
    if better:
        clauses.append("improves " + _headline(better, c["primary"], conf))
    if worse:
        clauses.append("worsens " + _headline(worse, c["primary"], conf))
    if shifted:
        top = min(shifted, key=lambda r: r["p_holm"])
        systems = list(dict.fromkeys(r["system"] for r in shifted))
        more = ""
        if len(shifted) > 1:
            more = f" and {_plural(len(shifted) - 1, 'other length or extractiveness score')} of {_names(systems)}"
        clauses.append(f"moves {top['label']} of {top['system']} by {top['text_diff']}{more}")
    if not c["systems"]:
        text = "A and B share no system, so no score can be compared"
    elif clauses:
        text = "B " + ", ".join(clauses) + " and changes nothing else significantly"
    else:
        text = (
            f"B changes no score significantly ({_plural(len(rows), 'comparison')}, Holm-adjusted at {conf}"
            f", smallest reachable adjusted p {_p_text(c['smallest_p'])})"
        )
    changed = c["changed"]
    if changed:
        n_sys = len({ch["system"] for ch in changed})
        n_docs = len({ch["doc_id"] for ch in changed})
        whose = "1 system's" if n_sys == 1 else f"{n_sys} systems'"
        text += f"; {whose} summaries changed on {_plural(n_docs, 'document')}"
    elif c["systems"]:
        text += "; no summary changed"
    for key, where in (("only_a_systems", "A"), ("only_b_systems", "B")):
        only = c[key]
        if only:
            text += f"; {_names(only)} {'is' if len(only) == 1 else 'are'} only in {where}"
    critical = c["setup"]["critical"]
    if critical:
        what = " and ".join(d["what"] for d in critical)
        text = f"Not comparable as-is (the {what} differ{'s' if len(critical) == 1 else ''}): " + text
    return text + "."


# --- the comparison ----------------------------------------------------------------------------
def _changed_summaries(run_a: Run, run_b: Run, systems: Sequence[str], primary: str | None) -> list[dict[str, Any]]:
    """Summaries whose text differs, biggest change of ``primary`` (``B - A``) first, either way."""
    docs_b = {d.id for d in run_b.documents}
    score_metric = primary if primary in run_a.metrics and primary in run_b.metrics else None
    changed: list[dict[str, Any]] = []
    for s in systems:
        va = run_a.scores.by_doc(s, score_metric) if score_metric else {}
        vb = run_b.scores.by_doc(s, score_metric) if score_metric else {}
        for doc in run_a.documents:
            if doc.id not in docs_b:
                continue
            sa, sb = run_a.summary(doc.id, s), run_b.summary(doc.id, s)
            old = sa.text if sa else None
            new = sb.text if sb else None
            if old == new:
                continue
            old_segs, new_segs = word_diff(old or "", new or "")
            delta = vb.get(doc.id, math.nan) - va.get(doc.id, math.nan)
            direction = _direction(score_metric, delta) if score_metric else ""
            changed.append(
                {
                    "doc_id": doc.id,
                    "system": s,
                    "old": old,
                    "new": new,
                    "old_segments": old_segs,
                    "new_segments": new_segs,
                    "score_a": va.get(doc.id, math.nan),
                    "score_b": vb.get(doc.id, math.nan),
                    "delta": delta,
                    "direction": direction,
                    "marker": MARKERS.get(direction, "no change" if delta == 0 else ""),
                    "text_delta": _signed(score_metric, delta) if score_metric else "–",
                }
            )
    changed.sort(key=lambda ch: (math.isnan(ch["delta"]), -abs(ch["delta"]) if math.isfinite(ch["delta"]) else 0.0))
    return changed


def comparison(run_a: Run, run_b: Run, *, n_samples: int = 2000, seed: int = 0) -> dict[str, Any]:
    """Everything the comparison reports show, as plain data. ``n_samples`` is the least number of
    resamples; more are used when the comparisons need them (:func:`samples_for`)."""
    conf = run_a.confidence
    systems = [s for s in run_a.systems if s in run_b.systems]
    metrics = [m for m in run_a.metrics if m in run_b.metrics]
    rows, used, smallest = _stat_rows(run_a, run_b, systems, metrics, n_samples, seed)
    primary = run_a.primary_metric
    changed = _changed_summaries(run_a, run_b, systems, primary)

    docs_a = {d.id: d for d in run_a.documents}
    docs_b = {d.id: d for d in run_b.documents}
    text_changed = [
        d
        for d in docs_a
        if d in docs_b and (docs_a[d].text, docs_a[d].references) != (docs_b[d].text, docs_b[d].references)
    ]
    setup = _setup(run_a, run_b)
    critical = [
        f"The {d['what']} differs (A: {d['a']}; B: {d['b']}): the numbers are not comparable as-is"
        + (", and only the documents both runs share are paired." if d["what"].startswith("corpus") else ".")
        for d in setup["critical"]
    ]
    notes = []
    if text_changed:
        notes.append(
            f"{len(text_changed)} shared document(s) have a different article or references in B: "
            + ", ".join(text_changed[:10])
            + ("…" if len(text_changed) > 10 else "")
        )

    display = [m for m in metrics if m in run_a.f_metrics or m in DISPLAY_OTHER]
    c: dict[str, Any] = {
        "a": {
            "name": run_a.name,
            "path": str(run_a.path),
            "created": run_a.manifest.created,
            "docs": len(run_a.documents),
            "systems": len(run_a.systems),
        },
        "b": {
            "name": run_b.name,
            "path": str(run_b.path),
            "created": run_b.manifest.created,
            "docs": len(run_b.documents),
            "systems": len(run_b.systems),
        },
        "confidence": f"{100 * conf:g}%",
        "alpha": 1.0 - conf,
        "requested_samples": n_samples,
        "n_samples": used,
        "smallest_p": smallest,
        "text_smallest_p": _p_text(smallest),
        "seed": seed,
        "primary": primary,
        "primary_label": metric_label(primary) if primary else None,
        "systems": systems,
        "metrics": metrics,
        "display_metrics": display,
        "rows": rows,
        "moved": sorted((r for r in rows if r["moved"]), key=lambda r: r["p_holm"]),
        "changed": changed,
        "max_md_changes": MAX_MD_CHANGES,
        "only_a_systems": [s for s in run_a.systems if s not in run_b.systems],
        "only_b_systems": [s for s in run_b.systems if s not in run_a.systems],
        "only_a_docs": [d for d in docs_a if d not in docs_b],
        "only_b_docs": [d for d in docs_b if d not in docs_a],
        "setup": setup,
        "warnings": critical + notes,
        "notes": notes,
    }
    c["verdict"] = verdict(c)
    return c


# --- Markdown ----------------------------------------------------------------------------------
def _md_diff_cell(r: Mapping[str, Any]) -> str:
    return f"**{r['text_diff']} {r['marker']}**" if r["moved"] else r["text_diff"]


def _render_markdown(c: dict[str, Any]) -> str:
    e = md_escape
    lines = [f"# sumbench comparison: {e(c['a']['name'])} → {e(c['b']['name'])}", "", f"**{e(c['verdict'])}**", ""]
    for w in c["warnings"]:
        lines.append(f"> ⚠ **{e(w)}**")
    if c["warnings"]:
        lines.append("")
    lines += [
        f"- **A** (before): {e(c['a']['path'])} ({e(c['a']['created'])}, {c['a']['systems']} systems, "
        f"{c['a']['docs']} documents)",
        f"- **B** (after): {e(c['b']['path'])} ({e(c['b']['created'])}, {c['b']['systems']} systems, "
        f"{c['b']['docs']} documents)",
        f"- Method: per system and metric, the paired difference B − A over the documents both runs scored "
        f"(the means A and B are over those documents too). Paired bootstrap test, Holm-adjusted over all "
        f"{len(c['rows'])} comparisons; {c['n_samples']} resamples (requested {c['requested_samples']}), seed "
        f"{c['seed']}: the smallest reachable adjusted p is {c['text_smallest_p']}. The {c['confidence']} "
        f"interval is Holm-adjusted: it excludes 0 exactly when the adjusted p is below {c['alpha']:.3g}, "
        f"and then the metric **moved** (ROUGE: ▲ better / ▼ worse; other metrics: ↑ higher / ↓ lower).",
        "",
        "## What changed in the set-up",
        "",
    ]
    setup = c["setup"]
    changed_systems = [s for s in setup["systems"] if s["status"] != "same"]
    if changed_systems:
        lines += [f"- {e(s['system'])}: {e('; '.join(s['changes']))}" for s in changed_systems]
    else:
        lines.append("- Systems: same use, parameters and version in both runs.")
    if setup["run"]:
        lines += [
            f"- {'⚠ **' if d['critical'] else ''}{e(d['what'])}: {e(d['a'])} → {e(d['b'])}"
            f"{'**' if d['critical'] else ''}"
            for d in setup["run"]
        ]
    else:
        lines.append("- Run: same corpus, ROUGE signature, seed and versions.")
    lines += ["", "## Moved metrics", ""]
    if c["moved"]:
        lines += [
            f"| System | Metric | A | B | B − A | Holm-adjusted {c['confidence']} CI | p (Holm) | docs |",
            "| :--- | :--- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in c["moved"]:
            lines.append(
                f"| {e(r['system'])} | {r['label']} | {r['text_a']} | {r['text_b']} | {_md_diff_cell(r)} | "
                f"{r['text_ci']} | {r['text_p']} | {r['n']} |"
            )
    else:
        lines.append("No metric moved significantly.")
    lines += ["", "## All shared systems", ""]
    if c["systems"] and c["display_metrics"]:
        head = ["System"] + [metric_label(m) + " A → B (Δ)" for m in c["display_metrics"]]
        lines += ["| " + " | ".join(head) + " |", "| :--- |" + " ---: |" * len(c["display_metrics"])]
        idx = {(r["system"], r["metric"]): r for r in c["rows"]}
        for s in c["systems"]:
            cells = []
            for m in c["display_metrics"]:
                r = idx[(s, m)]
                cells.append(f"{r['text_a']} → {r['text_b']} ({_md_diff_cell(r)})")
            lines.append(f"| {e(s)} | " + " | ".join(cells) + " |")
        lines += ["", "Every metric of every shared system: compare.html."]
    else:
        lines.append("_No system and metric in common._")
    changed = c["changed"]
    lines += ["", f"## Changed summaries ({len(changed)})", ""]
    if changed:
        by = f"the change of {c['primary_label']} (B − A)" if c["primary_label"] else "document"
        shown = changed[: c["max_md_changes"]]
        lines += [
            f"Biggest change first, either way, by {by}. ~~Struck~~: only in A; **bold**: only in B.",
        ]
        if len(changed) > len(shown):
            lines += [
                "",
                f"Showing the {len(shown)} biggest changes of {len(changed)}; compare.html in this folder lists all "
                f"{len(changed)} (and `sumbench compare A B` writes it), and each run's summaries.jsonl has every "
                "summary.",
            ]
        for k, ch in enumerate(shown, 1):
            score = ""
            if c["primary_label"]:
                marker = f" {ch['marker']}" if ch["marker"] else ""
                score = f" — {c['primary_label']} {ch['text_delta']}{marker}"
            lines += ["", f"### {k}. {e(ch['doc_id'])} · {e(ch['system'])}{score}", ""]
            old = "_(no summary)_" if ch["old"] is None else md_diff(ch["old_segments"], "~~")
            new = "_(no summary)_" if ch["new"] is None else md_diff(ch["new_segments"], "**")
            lines += [f"- **A**: {old}", f"- **B**: {new}"]
    else:
        lines.append("No summary changed.")
    lines += ["", "## Only in one run", ""]
    for key, what in (
        ("only_a_systems", "Systems only in A"),
        ("only_b_systems", "Systems only in B"),
        ("only_a_docs", "Documents only in A"),
        ("only_b_docs", "Documents only in B"),
    ):
        items = c[key]
        lines.append(
            f"- {what} ({len(items)}): "
            + (", ".join(e(x) for x in items[:50]) or "none")
            + (" …" if len(items) > 50 else "")
        )
    lines.append("")
    return "\n".join(lines)


def write_comparison(c: Mapping[str, Any], out_dir: str | Path) -> dict[str, Path]:
    """Write ``compare.md`` and ``compare.html`` of a :func:`comparison` into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    md = out / "compare.md"
    md.write_text(_render_markdown(dict(c)), encoding="utf-8")
    html = out / "compare.html"
    html.write_text(
        environment().get_template("compare.html.j2").render(c=c, metric_label=metric_label), encoding="utf-8"
    )
    return {"markdown": md, "html": html}


def compare_runs(
    run_a: str | Path | Run, run_b: str | Path | Run, out_dir: str | Path, *, n_samples: int = 2000, seed: int = 0
) -> dict[str, Path]:
    """Write ``compare.md`` and ``compare.html`` comparing run folder A (before) with
    B (after) into ``out_dir``; return ``{"markdown": path, "html": path}``. ``n_samples``: the least
    number of resamples (more when the number of comparisons needs them)."""
    a = run_a if isinstance(run_a, Run) else load_run(run_a)
    b = run_b if isinstance(run_b, Run) else load_run(run_b)
    return write_comparison(comparison(a, b, n_samples=n_samples, seed=seed), out_dir)
