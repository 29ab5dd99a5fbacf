"""Compare two run folders: what moved, what changed, what is only in one of them.

For every system label and metric present in both runs: the mean in A, the mean in
B and the paired mean difference ``B - A`` over the documents both runs scored for
that system, with a seeded paired-bootstrap confidence interval (at run A's
confidence level).  A metric *moved* when that interval excludes 0; the table also
gives the paired permutation p-value Holm-adjusted over all comparisons, and marks
the moves that survive it.  Then the summaries whose text changed (old vs. new with a
word diff), and the systems and documents present in only one run.

Statistics are :func:`sumbench.scoring.stats.paired_bootstrap`, ``permutation_test`` and
``holm_bonferroni``.
"""

from __future__ import annotations

import difflib
import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from sumbench.runfolder import Run, load_run
from sumbench.scoring.stats import holm_bonferroni, paired_bootstrap, permutation_test

from .common import fmt, metric_label
from .html import environment
from .markdown import md_escape

__all__ = ["compare_runs", "comparison", "word_diff"]

MAX_MD_CHANGES = 50
#: Besides the ROUGE F metrics, the columns of the "all shared systems" table.
DISPLAY_OTHER = ("words", "coverage", "density")


def _paired(
    b: np.ndarray, a: np.ndarray, n_samples: int, confidence: float, seed: int
) -> tuple[float, float, float, float]:
    """diff = mean(b - a), its CI low and high (paired bootstrap), two-sided permutation p."""
    pb = paired_bootstrap(b, a, n_samples=n_samples, confidence=confidence, seed=seed)
    pt = permutation_test(b, a, n_samples=n_samples, seed=seed)
    return pb.diff, pb.low, pb.high, pt.p_value


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


# --- the comparison ----------------------------------------------------------------------------
def comparison(run_a: Run, run_b: Run, *, n_samples: int = 2000, seed: int = 0) -> dict[str, Any]:
    """Everything the comparison reports show, as plain data."""
    conf = run_a.confidence
    systems = [s for s in run_a.systems if s in run_b.systems]
    metrics = [m for m in run_a.metrics if m in run_b.metrics]
    rows: list[dict[str, Any]] = []
    for s in systems:
        for m in metrics:
            va, vb = run_a.scores.by_doc(s, m), run_b.scores.by_doc(s, m)
            shared = [d for d in va if d in vb and math.isfinite(va[d]) and math.isfinite(vb[d])]
            a = np.array([va[d] for d in shared], dtype=float)
            b = np.array([vb[d] for d in shared], dtype=float)
            if shared:
                diff, lo, hi, p = _paired(b, a, n_samples, conf, seed)
            else:
                diff = lo = hi = p = math.nan
            moved = bool(math.isfinite(lo) and math.isfinite(hi) and (lo > 0 or hi < 0))
            rows.append(
                {
                    "system": s,
                    "metric": m,
                    "label": metric_label(m),
                    "mean_a": run_a.mean(s, m),
                    "mean_b": run_b.mean(s, m),
                    "diff": diff,
                    "low": lo,
                    "high": hi,
                    "p": p,
                    "n": len(shared),
                    "moved": moved,
                }
            )
    for row, p_adj in zip(rows, holm_bonferroni([r["p"] for r in rows])):
        row["p_holm"] = float(p_adj)
        row["robust"] = bool(row["moved"] and math.isfinite(p_adj) and p_adj < 1 - conf)
    for r in rows:
        r.update(
            {
                "text_a": fmt(r["metric"], r["mean_a"]),
                "text_b": fmt(r["metric"], r["mean_b"]),
                "text_diff": _signed(r["metric"], r["diff"]),
                "text_ci": f"[{_signed(r['metric'], r['low'])}, {_signed(r['metric'], r['high'])}]"
                if math.isfinite(r["low"])
                else "",
            }
        )

    docs_a = {d.id: d for d in run_a.documents}
    docs_b = {d.id: d for d in run_b.documents}
    changed = []
    for s in systems:
        for doc_id in docs_a:
            if doc_id not in docs_b:
                continue
            sa, sb = run_a.summary(doc_id, s), run_b.summary(doc_id, s)
            if sa is None and sb is None:
                continue
            old = sa.text if sa else None
            new = sb.text if sb else None
            if old == new:
                continue
            old_segs, new_segs = word_diff(old or "", new or "")
            changed.append(
                {
                    "doc_id": doc_id,
                    "system": s,
                    "old": old,
                    "new": new,
                    "old_segments": old_segs,
                    "new_segments": new_segs,
                }
            )
    text_changed = [
        d
        for d in docs_a
        if d in docs_b and (docs_a[d].text, docs_a[d].references) != (docs_b[d].text, docs_b[d].references)
    ]
    fa, fb = run_a.manifest.corpus.fingerprint, run_b.manifest.corpus.fingerprint
    warnings = []
    if fa and fb and fa != fb:
        warnings.append(f"The corpora differ (fingerprint {fa} vs. {fb}): only shared documents are paired.")
    if text_changed:
        warnings.append(
            f"{len(text_changed)} shared document(s) have a different article or references in B: "
            + ", ".join(text_changed[:10])
            + ("…" if len(text_changed) > 10 else "")
        )
    sig_a, sig_b = run_a.manifest.rouge_signature, run_b.manifest.rouge_signature
    if sig_a != sig_b:
        warnings.append(f"ROUGE signatures differ: {sig_a} vs. {sig_b}: scores may not be comparable.")

    display = [m for m in metrics if m in run_a.f_metrics or m in DISPLAY_OTHER]
    return {
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
        "confidence": f"{conf:.0%}",
        "n_samples": n_samples,
        "seed": seed,
        "systems": systems,
        "metrics": metrics,
        "display_metrics": display,
        "rows": rows,
        "moved": [r for r in rows if r["moved"]],
        "changed": changed,
        "only_a_systems": [s for s in run_a.systems if s not in run_b.systems],
        "only_b_systems": [s for s in run_b.systems if s not in run_a.systems],
        "only_a_docs": [d for d in docs_a if d not in docs_b],
        "only_b_docs": [d for d in docs_b if d not in docs_a],
        "warnings": warnings,
    }


def _signed(metric: str, value: float) -> str:
    text = fmt(metric, value)
    return text if text.startswith("-") or text == "–" else "+" + text


def _render_markdown(c: dict[str, Any]) -> str:
    lines = [f"# sumbench comparison: {md_escape(c['a']['name'])} → {md_escape(c['b']['name'])}", ""]
    lines += [
        f"- **A**: {md_escape(c['a']['path'])} ({md_escape(c['a']['created'])}, {c['a']['systems']} systems, "
        f"{c['a']['docs']} documents)",
        f"- **B**: {md_escape(c['b']['path'])} ({md_escape(c['b']['created'])}, {c['b']['systems']} systems, "
        f"{c['b']['docs']} documents)",
        f"- Paired bootstrap on shared documents, {c['confidence']} CI, {c['n_samples']} resamples, "
        f"seed {c['seed']}. **Moved**: the CI of B − A excludes 0; † also significant after Holm "
        f"over all {len(c['rows'])} comparisons (permutation test).",
    ]
    for w in c["warnings"]:
        lines.append(f"- ⚠ {md_escape(w)}")
    lines += ["", "## Moved metrics", ""]
    if c["moved"]:
        lines += [
            "| System | Metric | A | B | B − A | CI | p (Holm) |",
            "| :--- | :--- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in c["moved"]:
            lines.append(
                f"| {md_escape(r['system'])} | {r['label']} | {r['text_a']} | {r['text_b']} | "
                f"**{r['text_diff']}**{' †' if r['robust'] else ''} | {r['text_ci']} | {r['p_holm']:.3g} |"
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
                d = f"**{r['text_diff']}**" if r["moved"] else r["text_diff"]
                cells.append(f"{r['text_a']} → {r['text_b']} ({d})")
            lines.append(f"| {md_escape(s)} | " + " | ".join(cells) + " |")
    else:
        lines.append("_No system and metric in common._")
    lines += ["", f"## Changed summaries ({len(c['changed'])})", ""]
    if c["changed"]:
        lines += ["| Document | System | Old | New |", "| :--- | :--- | :--- | :--- |"]
        for ch in c["changed"][:MAX_MD_CHANGES]:
            lines.append(
                f"| {md_escape(ch['doc_id'], 60)} | {md_escape(ch['system'])} | "
                f"{md_escape(ch['old'] if ch['old'] is not None else '(none)', 240)} | "
                f"{md_escape(ch['new'] if ch['new'] is not None else '(none)', 240)} |"
            )
        if len(c["changed"]) > MAX_MD_CHANGES:
            lines += ["", f"… and {len(c['changed']) - MAX_MD_CHANGES} more: see compare.html."]
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
            + (", ".join(md_escape(x) for x in items[:50]) or "none")
            + (" …" if len(items) > 50 else "")
        )
    lines.append("")
    return "\n".join(lines)


def compare_runs(
    run_a: str | Path | Run, run_b: str | Path | Run, out_dir: str | Path, *, n_samples: int = 2000, seed: int = 0
) -> dict[str, Path]:
    """Write ``compare.md`` and ``compare.html`` comparing run folder A (before) with
    B (after) into ``out_dir``; return ``{"markdown": path, "html": path}``."""
    a = run_a if isinstance(run_a, Run) else load_run(run_a)
    b = run_b if isinstance(run_b, Run) else load_run(run_b)
    c = comparison(a, b, n_samples=n_samples, seed=seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    md = out / "compare.md"
    md.write_text(_render_markdown(c), encoding="utf-8")
    html = out / "compare.html"
    html.write_text(
        environment().get_template("compare.html.j2").render(c=c, metric_label=metric_label), encoding="utf-8"
    )
    return {"markdown": md, "html": html}
