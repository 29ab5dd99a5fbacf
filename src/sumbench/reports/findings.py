"""What a run found, in the words the reports lead with: the answer paragraph, head-to-head counts,
junk and length flags, per-group leaderboards, and the leaderboard export (CSV, LaTeX).

Computed once from a :class:`~sumbench.runfolder.Run` as plain data and rendered by the Markdown and HTML
writers and the terminal. Every number a sentence here quotes is the number shown beside it: means and
intervals come from ``aggregates.json`` (the common document set), differences and their intervals from
the same :class:`~sumbench.runfolder.Comparison` the verdicts quote, and "tied" means exactly what the
leaderboard's ≈ mark means (:func:`tied_with_best`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from sumbench.runfolder import Comparison, Run
from sumbench.scoring import stats

from .common import fmt, group_documents, metric_label
from .verdicts import _p, _value, is_significant

__all__ = [
    "LENGTH_RATIO",
    "answer",
    "best_candidate",
    "common_count",
    "fact_checks",
    "groups",
    "head_to_head",
    "leaderboard_csv",
    "leaderboard_latex",
    "length_flag",
    "oriented",
    "quality",
    "report_settings",
    "tied_with_best",
]

#: A system whose summaries are on average more than this many times the reference length (or less than
#: its inverse) is flagged; ``[report] length_ratio`` in a suite changes it.
LENGTH_RATIO = 1.5


def report_settings(run: Run) -> dict[str, Any]:
    """The suite's ``[report]`` table as the manifest recorded it, with defaults."""
    table = run.manifest.suite.get("report") or {}
    ratio = table.get("length_ratio", LENGTH_RATIO) if hasattr(table, "get") else LENGTH_RATIO
    return {"length_ratio": float(ratio if ratio else LENGTH_RATIO)}


# --- numbers shared by the sentences ----------------------------------------------------------
def _is_rouge(metric: str) -> bool:
    return metric.lower().startswith("rouge")


def _signed(metric: str, x: float) -> str:
    return _value(x, metric)


def _plain(metric: str, x: float) -> str:
    return _value(x, metric).lstrip("+")


def _unit(metric: str) -> str:
    return " points" if _is_rouge(metric) else ""


def _percent(confidence: float) -> str:
    return f"{100.0 * confidence:g}%"


def oriented(c: Comparison, system: str) -> dict[str, Any]:
    """``c`` seen from ``system``'s side: its difference (``system`` minus the other), the interval and p
    its verdict quotes (Holm-adjusted when the record has them, formatted as the verdict formats them),
    whether it is significant, and the wins/ties/losses."""
    adjusted = c.adjusted
    if adjusted:
        low, high, p, family = c.adj_low, c.adj_high, c.p_bootstrap_holm, max(c.family, 1)
    else:
        low, high, p, family = c.diff_low, c.diff_high, c.p_bootstrap, 1
    flip = c.b == system
    wins, ties, losses = c.wins, c.ties, c.losses
    if flip:
        wins, losses = losses, wins
    tested = c.tested
    return {
        "other": c.a if flip else c.b,
        "diff": -c.diff if flip else c.diff,
        "low": -high if flip else low,
        "high": -low if flip else high,
        "adjusted": adjusted,
        "p": p,
        "p_text": ("Holm-adjusted " if adjusted else "unadjusted ") + _p(p, c, family),
        "significant": is_significant(c),
        "tested": tested and math.isfinite(low) and math.isfinite(high),
        "wins": wins,
        "ties": ties,
        "losses": losses,
        "n": c.n,
    }


def _ci_text(run: Run, metric: str, o: dict[str, Any]) -> str:
    if not o["tested"]:
        return "no interval: too few shared documents to test"
    label = ("Holm-adjusted " if o["adjusted"] else "unadjusted ") + f"{_percent(run.confidence)} CI"
    return f"{label} {_signed(metric, o['low'])} to {_signed(metric, o['high'])}"


def _comparisons(run: Run, metric: str) -> dict[frozenset[str], Comparison]:
    return {frozenset((c.a, c.b)): c for c in run.comparisons if c.metric == metric}


def common_count(run: Run) -> int:
    """How many documents every system completed (the common set every mean and test uses)."""
    recorded = run.manifest.common_documents  # -1 in run folders written before it was recorded
    if recorded > 0:
        return recorded
    return len(run.scores.common_documents())


def best_candidate(run: Run, metric: str | None = None) -> str | None:
    """The candidate with the highest mean on ``metric`` (default: the primary metric); None without one."""
    metric = metric or run.primary_metric
    if metric is None:
        return None
    scored = [(run.mean(s, metric), s) for s in run.candidates if math.isfinite(run.mean(s, metric))]
    if not scored:
        return None
    top = max(m for m, _ in scored)
    return next(s for m, s in scored if m == top)


def tied_with_best(run: Run, metric: str) -> list[str]:
    """The other candidates that the tests cannot tell from the best candidate on ``metric`` (the
    leaderboard's ≈ mark, and the answer's "statistically tied"), best first."""
    best = best_candidate(run, metric)
    if best is None:
        return []
    tests = _comparisons(run, metric)
    tied = []
    for s in run.candidates:
        c = tests.get(frozenset((best, s)))
        if s != best and c is not None and c.tested and math.isfinite(run.mean(s, metric)) and not is_significant(c):
            tied.append(s)
    return sorted(tied, key=lambda s: -run.mean(s, metric))


def length_flag(run: Run, system: str) -> str | None:
    """ "3.4x the reference length" (or "0.4x") when a system's mean summary-to-reference length ratio is
    beyond ``[report] length_ratio`` (default 1.5) either way; None otherwise."""
    if "ref_ratio" not in run.scores.columns:
        return None
    ratio = run.mean(system, "ref_ratio")
    limit = report_settings(run)["length_ratio"]
    if not math.isfinite(ratio) or (1.0 / limit <= ratio <= limit):
        return None
    return f"{ratio:.1f}x the reference length"


# --- the answer -----------------------------------------------------------------------------
def answer(run: Run) -> dict[str, Any]:
    """The verdict paragraph every report opens with: the best candidate on the primary metric, its margin
    over the baseline with the interval, whether that lead is real, how many candidates are statistically
    tied with it, and where it stands between the bounds; then cautions (coverage, length, junk).

    Returns ``{"sentences": [...], "cautions": [...], "text": one paragraph, "best", "metric"}``."""
    metric = run.primary_metric
    out: dict[str, Any] = {"sentences": [], "cautions": [], "best": None, "metric": metric, "text": ""}
    if metric is None or not run.systems:
        out["sentences"] = ["This run has no scores."]
        out["text"] = out["sentences"][0]
        return out
    label = metric_label(metric)
    conf = _percent(run.confidence)
    tests = _comparisons(run, metric)
    sentences: list[str] = []
    best = best_candidate(run, metric)
    baseline = run.baseline if run.baseline in run.systems else None
    n_common = common_count(run)
    total = run.total_documents
    if best is not None and n_common == 0 and len(run.systems) > 1:
        sentences += _no_common_sentences(run, metric, best)
        out["best"] = best
        out["sentences"] = sentences
        out["cautions"] = _cautions(run, metric, best, n_common)
        out["text"] = " ".join(sentences)
        return out
    if best is None:
        shown = baseline or next((s for s in run.contestants if math.isfinite(run.mean(s, metric))), None)
        sentences.append("This run has no candidate systems: only baselines and bounds, which are reference points.")
        if shown is not None:
            sentences.append(f"The baseline {shown} scores {fmt(metric, run.mean(shown, metric))} on {label}.")
    else:
        out["best"] = best
        agg = run.aggregate(best, metric)
        mean = run.mean(best, metric)
        ci = f" ({conf} CI {fmt(metric, agg.ci_low)}–{fmt(metric, agg.ci_high)})" if agg is not None else ""
        where = f"over the {n_common:,} documents every system completed" if n_common else "over its documents"
        if n_common and n_common < total:
            where += f" ({total - n_common:,} of {total:,} left out because some system failed on them)"
        sentences.append(f"{best} is the best candidate on {label}: {fmt(metric, mean)}{ci}, {where}.")
        # against the baseline
        c = tests.get(frozenset((best, baseline))) if baseline else None
        if baseline is None:
            sentences.append('The run has no baseline to measure the margin against (give one role = "baseline").')
        elif c is None or c.n == 0:
            sentences.append(f"It was not tested against the baseline {baseline}: no document was scored for both.")
        elif not c.tested:
            sentences.append(
                f"It was not tested against the baseline {baseline}: {c.n} shared document"
                f"{'s' if c.n != 1 else ''}, below the {c.min_documents} a paired bootstrap needs "
                f"(difference {_signed(metric, oriented(c, best)['diff'])}{_unit(metric)}, no interval)."
            )
        else:
            o = oriented(c, best)
            numbers = f"({_ci_text(run, metric, o)}, {o['p_text']})"
            d = _signed(metric, o["diff"]) + _unit(metric)
            if o["significant"] and o["diff"] > 0:
                sentences.append(f"It beats the baseline {baseline} by {d} {numbers}: the lead is real at {conf}.")
            elif o["significant"]:
                below = _plain(metric, -o["diff"]) + _unit(metric)
                sentences.append(
                    f"It is {below} below the baseline {baseline} {numbers}: the best candidate loses to the baseline."
                )
            elif o["diff"] >= 0:
                sentences.append(
                    f"Its margin over the baseline {baseline} is {d} {numbers}: not a real lead at {conf}; "
                    "the difference is within the noise."
                )
            else:
                below = _plain(metric, -o["diff"]) + _unit(metric)
                sentences.append(
                    f"It trails the baseline {baseline} by {below} {numbers}, within the noise at {conf}: "
                    "it does not beat the baseline."
                )
        # ties among candidates
        tied = tied_with_best(run, metric)
        others = [s for s in run.candidates if s != best and math.isfinite(run.mean(s, metric))]
        if tied:
            names = ", ".join(tied[:5]) + (f" and {len(tied) - 5} more" if len(tied) > 5 else "")
            word = "candidate is" if len(tied) == 1 else "candidates are"
            sentences.append(
                f"{len(tied)} other {word} statistically tied with it ({names}): "
                f"the tests cannot separate them at {conf}."
            )
        elif others:
            runner_up = max(others, key=lambda s: run.mean(s, metric))
            c = tests.get(frozenset((best, runner_up)))
            if c is not None and c.n and not c.tested:
                sentences.append(
                    f"The runner-up {runner_up} was not tested against it ({c.n} shared documents, below the "
                    f"{c.min_documents} a paired bootstrap needs)."
                )
            elif c is not None and c.n:
                o = oriented(c, best)
                sentences.append(
                    f"No other candidate is statistically tied with it: the runner-up {runner_up} is "
                    f"{_plain(metric, o['diff'])}{_unit(metric)} behind ({_ci_text(run, metric, o)})."
                )
        else:
            sentences.append("It is the only candidate.")
        # between the bounds
        bound = _bounds_sentence(run, metric, mean)
        if bound:
            sentences.append(bound)
    out["sentences"] = sentences
    out["cautions"] = _cautions(run, metric, best, n_common)
    out["text"] = " ".join(sentences)
    return out


def _no_common_sentences(run: Run, metric: str, best: str) -> list[str]:
    """The answer of a run in which no document was scored for every system: no common ranking."""
    label = metric_label(metric)
    coverage = [run.coverage(s) for s in run.systems]
    total = run.total_documents
    lo, hi = min(coverage), max(coverage)
    span = f"{lo:,}" if lo == hi else f"{lo:,}–{hi:,}"
    out = [
        f"No document was scored for every system (each covers {span} of {total:,} documents), so this run "
        "cannot rank its systems: there is no mean over shared documents and no pairwise test.",
        f"On its own documents {best} has the highest {label} ({fmt(metric, run.mean(best, metric))}), but the "
        "systems' documents differ, so their means are not comparable.",
    ]
    gr = groups(run, metric)
    if gr and gr["groups"] and any(g["systems"] > 1 for g in gr["groups"]):
        out.append(
            f"Within each {gr['field']} group the systems share documents: the groups' leaderboards compare them."
        )
    return out


def _bounds_sentence(run: Run, metric: str, mean: float) -> str | None:
    def first(role: str) -> str | None:
        return next((s for s in run.bounds if run.role(s) == role and math.isfinite(run.mean(s, metric))), None)

    upper, lower = first("upper-bound"), first("lower-bound")
    if upper and lower and run.mean(upper, metric) > run.mean(lower, metric):
        u, lo = run.mean(upper, metric), run.mean(lower, metric)
        share = (mean - lo) / (u - lo)
        return (
            f"Between the bounds it closes {share:.0%} of the gap from the lower bound {lower} "
            f"({fmt(metric, lo)}) to the upper bound {upper} ({fmt(metric, u)})."
        )
    if upper and run.mean(upper, metric) > 0:
        u = run.mean(upper, metric)
        return f"It reaches {mean / u:.0%} of the upper bound {upper} ({fmt(metric, u)}), which reads the references."
    if lower:
        lo = run.mean(lower, metric)
        return f"It is {_signed(metric, mean - lo)}{_unit(metric)} from the lower bound {lower} ({fmt(metric, lo)})."
    return None


def _cautions(run: Run, metric: str, best: str | None, n_common: int) -> list[str]:
    out: list[str] = []
    coverage = {s: run.coverage(s) for s in run.systems}
    total = run.total_documents
    for s in run.systems if n_common or len(run.systems) < 2 else ():  # else the answer says it once
        if coverage[s] < total:
            out.append(
                f"{s} completed {coverage[s]:,} of {total:,} documents; every mean and test uses the "
                f"{n_common:,} documents all systems completed."
            )
    if best is not None:
        flag = length_flag(run, best)
        if flag:
            lm = f"{metric}_lm"
            tail = (
                f"; cut to the reference length it scores {fmt(lm, run.mean(best, lm))}"
                if lm in run.scores.columns
                else " (set [scoring] length_matched = true to compare at equal length)"
            )
            out.append(f"{best}'s summaries are {flag}, which inflates ROUGE recall{tail}.")
    for entry in run.manifest.systems:
        junk = sum(entry.junk.values())
        if junk:
            out.append(f"{entry.label} returned {junk} junk summaries (empty or punctuation only), scored 0.")
        if entry.constant:
            out.append(f"{entry.label} returned the same summary for every document.")
        missed = {k: n for k, n in entry.answers.items() if k != "answer" and n}
        if missed:
            total = sum(entry.answers.values())
            kinds = ", ".join(f"{n} {'cut off at max_tokens' if k == 'cut-off' else k}" for k, n in missed.items())
            out.append(f"{entry.label}: {sum(missed.values())} of {total} answers are not summaries ({kinds}).")
    return out


# --- head to head --------------------------------------------------------------------------
def _common_values(run: Run, metric: str, systems: Sequence[str]) -> np.ndarray:
    """``[system, document]`` values of ``metric`` on the common set (NaN where a value is undefined)."""
    return _values(run, metric, systems, run.scores.common_documents())


def _values(run: Run, metric: str, systems: Sequence[str], documents: Sequence[str]) -> np.ndarray:
    """``[system, document]`` values of ``metric`` on ``documents`` (NaN where a value is undefined or
    the system has no score)."""
    index = {d: j for j, d in enumerate(documents)}
    out = np.full((len(systems), len(documents)), np.nan)
    ids = run.scores.doc_ids
    column = run.scores.column(metric)
    for i, s in enumerate(systems):
        for k in np.flatnonzero(run.scores.mask(s)).tolist():
            j = index.get(ids[k])
            if j is not None:
                out[i, j] = column[k]
    return out


def head_to_head(run: Run, metric: str | None = None) -> dict[str, Any] | None:
    """Every pair of contestants on ``metric`` (default primary): documents won, tied and lost (over the
    common set), the mean difference with the interval its verdict quotes, and whether it is significant.
    ``matrix[i][j]`` is row system i against column system j. None without two contestants or without a document every
    system was scored on."""
    metric = metric or run.primary_metric
    systems = [s for s in run.contestants if metric and math.isfinite(run.mean(s, metric))]
    if metric is None or len(systems) < 2:
        return None
    if not run.scores.common_documents():  # no document every system has: nothing to set side by side
        return None
    systems.sort(key=lambda s: -run.mean(s, metric))
    values = _common_values(run, metric, systems)
    tests = _comparisons(run, metric)
    matrix: list[list[dict[str, Any] | None]] = []
    pairs: list[dict[str, Any]] = []
    for i, a in enumerate(systems):
        row: list[dict[str, Any] | None] = []
        for j, b in enumerate(systems):
            if i == j:
                row.append(None)
                continue
            ok = np.isfinite(values[i]) & np.isfinite(values[j])
            x, y = values[i][ok], values[j][ok]
            wins, ties, losses = int((x > y).sum()), int((x == y).sum()), int((x < y).sum())
            c = tests.get(frozenset((a, b)))
            o = oriented(c, a) if c is not None else None
            cell = {
                "wins": wins,
                "ties": ties,
                "losses": losses,
                "text": f"{wins}–{ties}–{losses}",
                "diff": o["diff"] if o else math.nan,
                "diff_text": _signed(metric, o["diff"]) if o else "–",
                "ci": f"{_signed(metric, o['low'])} to {_signed(metric, o['high'])}" if o and o["tested"] else "",
                "significant": bool(o and o["significant"]),
                "better": bool(o and o["significant"] and o["diff"] > 0),
                "worse": bool(o and o["significant"] and o["diff"] < 0),
            }
            row.append(cell)
            if i < j:
                pairs.append({"a": a, "b": b, **cell})
        matrix.append(row)
    adjusted = any(c.adjusted for c in tests.values())
    return {
        "metric": metric,
        "label": metric_label(metric),
        "systems": systems,
        "matrix": matrix,
        "pairs": pairs,
        "documents": int(values.shape[1]),
        "interval": ("Holm-adjusted " if adjusted else "") + f"{_percent(run.confidence)} CI",
    }


# --- junk and length --------------------------------------------------------------------------
def quality(run: Run) -> dict[str, Any]:
    """Per system: junk summaries by kind, a constant output, coverage, mean length against the
    references (flagged beyond ``length_ratio``), the primary metric per 10 words of summary and, when
    scored, the length-matched primary metric. Plus the references dropped as empty."""
    metric = run.primary_metric
    settings = report_settings(run)
    coverage = {s: run.coverage(s) for s in run.systems}
    total = run.total_documents
    entries = {e.label: e for e in run.manifest.systems}
    lm = f"{metric}_lm" if metric else None
    has_lm = lm is not None and lm in run.scores.columns
    rows = []
    for s in run.systems:
        entry = entries.get(s)
        junk = dict(entry.junk) if entry is not None else {}
        words = run.mean(s, "words") if "words" in run.scores.columns else math.nan
        ratio = run.mean(s, "ref_ratio") if "ref_ratio" in run.scores.columns else math.nan
        score = run.mean(s, metric) if metric else math.nan
        per_words = 10.0 * score / words if math.isfinite(score) and words and math.isfinite(words) else math.nan
        flags = []
        length = length_flag(run, s)
        if length:
            flags.append(length)
        if sum(junk.values()):
            flags.append(f"{sum(junk.values())} junk")
        if entry is not None and entry.constant:
            flags.append("same summary everywhere")
        if coverage[s] < total:
            flags.append(f"{coverage[s]:,}/{total:,} documents")
        rows.append(
            {
                "system": s,
                "role": run.role(s),
                "documents": coverage[s],
                "coverage": coverage[s] / total if total else math.nan,
                "junk": junk,
                "junk_total": sum(junk.values()),
                "junk_examples": list(entry.junk_examples) if entry is not None else [],
                "constant": bool(entry is not None and entry.constant),
                "words": words,
                "words_text": fmt("words", words),
                "ratio": ratio,
                "ratio_text": f"{ratio:.2f}x" if math.isfinite(ratio) else "–",
                "per_words": per_words,
                "per_words_text": f"{100.0 * per_words:.2f}" if math.isfinite(per_words) and metric else "–",
                "score": score,
                "score_text": fmt(metric, score) if metric else "–",
                "matched": run.mean(s, lm) if has_lm and lm else math.nan,
                "matched_text": fmt(lm, run.mean(s, lm)) if has_lm and lm else "–",
                "flags": flags,
            }
        )
    return {
        "rows": rows,
        "metric": metric,
        "label": metric_label(metric) if metric else "–",
        "length_ratio": settings["length_ratio"],
        "has_matched": has_lm,
        "matched_label": metric_label(lm) if has_lm and lm else None,
        "empty_references": run.manifest.empty_references,
        "documents": total,
    }


# --- fact checks --------------------------------------------------------------------------------
#: The fact checks' kinds, as their columns name them, in the order the report shows them.
FACT_KINDS = ("numbers", "names", "quotes", "dates")


def fact_checks(run: Run) -> dict[str, Any] | None:
    """Per system, from the fact checks' columns (:mod:`sumbench.scoring.facts`): the mean share of its
    summaries' numbers, names, quotes and dates that the article does not contain (over the summaries
    that have any of that kind, counted), how many summaries have at least one unsupported fact, and the
    facts checked per summary. Over the common documents (every system's own when there are none). None
    when the run did not check facts."""
    columns = run.scores.columns
    if "unsupported_facts" not in columns:
        return None
    common = run.scores.common_documents()
    keep = np.isin(np.asarray(run.scores.doc_ids), list(common)) if common else np.ones(len(run.scores), bool)
    rows = []
    for s in run.systems:
        mask = run.scores.mask(s) & keep
        count = columns["unsupported_facts"][mask]
        count = count[np.isfinite(count)]
        if not count.size:
            continue
        kinds = []
        for kind in FACT_KINDS:
            name = f"unsupported_{kind}"
            v = columns[name][mask] if name in columns else np.array([])
            v = v[np.isfinite(v)]
            share = float(v.mean()) if v.size else math.nan
            kinds.append(
                {
                    "kind": kind,
                    "share": share,
                    "text": f"{100 * share:.1f}%" if v.size else "–",
                    "n": int(v.size),
                }
            )
        checked = columns["checked_facts"][mask] if "checked_facts" in columns else np.array([])
        checked = checked[np.isfinite(checked)]
        flagged = int((count > 0).sum())
        rows.append(
            {
                "system": s,
                "role": run.role(s),
                "kinds": kinds,
                "summaries": int(count.size),
                "flagged": flagged,
                "flagged_share": flagged / count.size,
                "flagged_text": f"{flagged:,} of {count.size:,}",
                "checked": float(checked.mean()) if checked.size else math.nan,
                "checked_text": f"{checked.mean():.1f}" if checked.size else "–",
            }
        )
    if not rows:
        return None
    where = (
        f"over the {len(common):,} documents every system completed"
        if common
        else "over each system's own documents (no document was summarized by every system)"
    )
    return {
        "rows": rows,
        "kinds": list(FACT_KINDS),
        "common": len(common),
        "where": where,
        "explanation": "Facts in a summary that its article does not contain, found by rules, no model: numbers "
        "(with their units), names, quoted spans and dates, each looked up in the article (never the references).",
    }


# --- accounting -------------------------------------------------------------------------------
def accounting(run: Run) -> dict[str, Any] | None:
    """Per system that reported usage (an LLM): mean prompt and completion tokens, latency p50 and p95,
    cost per 1,000 summaries (when the summarizer has prices), and the answer rate (answers / summaries,
    over the common documents) with the refusals, empty and cut-off answers counted. None without any."""
    columns = run.scores.columns
    if "latency_s" not in columns and "prompt_tokens" not in columns:
        return None
    common = set(run.scores.common_documents())
    ids = np.asarray(run.scores.doc_ids)
    entries = {e.label: e for e in run.manifest.systems}
    rows = []
    for s in run.systems:
        mask = run.scores.mask(s) & np.isin(ids, list(common))

        def values(name: str, mask: np.ndarray = mask) -> np.ndarray:
            v = columns[name][mask] if name in columns else np.array([])
            return v[np.isfinite(v)]

        latency, prompt, completion, cost = (
            values("latency_s"),
            values("prompt_tokens"),
            values("completion_tokens"),
            values("cost_usd"),
        )
        if not (latency.size or prompt.size):
            continue
        answered = values("answered")
        entry = entries.get(s)
        row: dict[str, Any] = {
            "system": s,
            "role": run.role(s),
            "documents": int(mask.sum()),
            "prompt_tokens": float(prompt.mean()) if prompt.size else math.nan,
            "completion_tokens": float(completion.mean()) if completion.size else math.nan,
            "latency_p50": float(np.percentile(latency, 50)) if latency.size else math.nan,
            "latency_p95": float(np.percentile(latency, 95)) if latency.size else math.nan,
            "cost_per_1000": 1000.0 * float(cost.mean()) if cost.size else math.nan,
            "answer_rate": float(answered.mean()) if answered.size else math.nan,
            "kinds": dict(entry.answers) if entry is not None else {},
        }
        row["text"] = {
            "prompt_tokens": f"{row['prompt_tokens']:.0f}" if math.isfinite(row["prompt_tokens"]) else "–",
            "completion_tokens": f"{row['completion_tokens']:.0f}" if math.isfinite(row["completion_tokens"]) else "–",
            "latency": (
                f"{row['latency_p50']:.2f} s / {row['latency_p95']:.2f} s" if math.isfinite(row["latency_p50"]) else "–"
            ),
            "cost": f"${row['cost_per_1000']:.2f}" if math.isfinite(row["cost_per_1000"]) else "–",
            "answer_rate": f"{row['answer_rate']:.0%}" if math.isfinite(row["answer_rate"]) else "–",
            "kinds": ", ".join(f"{n} {k}" for k, n in row["kinds"].items() if k != "answer") or "none",
        }
        rows.append(row)
    if not rows:
        return None
    return {"rows": rows, "documents": len(common)}


# --- samples ------------------------------------------------------------------------------------
def sampling(run: Run) -> dict[str, Any] | None:
    """For systems with ``samples > 1``: how much the primary metric varies between samples of one
    document (mean ``sample_sd`` over the common documents) and how much sampling alone moves the
    system's mean (its standard error, sqrt(mean(sd²) / samples / documents)), to set beside the gaps
    between systems. None when no system has samples."""
    metric = run.primary_metric
    if metric is None or "sample_sd" not in run.scores.columns:
        return None
    configs = run.manifest.suite.get("summarizers") or ()
    counts = {str(c.get("label")): int(c.get("samples", 1)) for c in configs if hasattr(c, "get")}
    common = set(run.scores.common_documents())
    ids = np.asarray(run.scores.doc_ids)
    rows = []
    for s in run.systems:
        n = counts.get(s, 1)
        if n < 2:
            continue
        sd = run.scores.column("sample_sd")[run.scores.mask(s) & np.isin(ids, list(common))]
        sd = sd[np.isfinite(sd)]
        if not sd.size:
            continue
        mean_sd = float(sd.mean())
        noise = float(np.sqrt((sd**2).mean() / n / sd.size))
        rows.append(
            {
                "system": s,
                "samples": n,
                "documents": int(sd.size),
                "mean_sd": mean_sd,
                "noise": noise,
                "text": (
                    f"{s}: {metric_label(metric)} varies by {_plain(metric, mean_sd)}{_unit(metric)} between "
                    f"samples of one document (mean SD over {n} samples); over {sd.size:,} documents, sampling "
                    f"alone moves its mean by about ±{_plain(metric, noise)}{_unit(metric)} (1 SE)."
                ),
            }
        )
    if not rows:
        return None
    return {"rows": rows, "metric": metric, "label": metric_label(metric)}


# --- groups ------------------------------------------------------------------------------------
def groups(run: Run, metric: str | None = None) -> dict[str, Any] | None:
    """Per-group leaderboards on ``metric`` (default primary): each group's documents (those every system
    with a score in the group completed, :func:`.common.group_documents`: the group's share of the common
    set when every system has scores in every group), every system's mean with a bootstrap interval (the
    run's seed, resamples and level; ``n`` 0 and no interval for a system without scores in the group),
    the contestants ranked and the best candidate marked. None when the corpus named no group."""
    metric = metric or run.primary_metric
    by_group = group_documents(run)
    if metric is None or not by_group:
        return None
    common = run.scores.common_documents()
    systems = [s for s in run.contestants if math.isfinite(run.mean(s, metric))] + [
        s for s in run.bounds if math.isfinite(run.mean(s, metric))
    ]
    systems.sort(key=lambda s: (run.role(s) in ("upper-bound", "lower-bound"), -run.mean(s, metric)))
    documents = [d for docs in by_group.values() for d in docs]
    values = _values(run, metric, systems, documents)
    field = run.manifest.suite.get("corpus", {}).get("group_field") or "id pattern"
    out_groups: list[dict[str, Any]] = []
    start = 0
    spans = {}
    for name, docs in by_group.items():
        spans[name] = (start, start + len(docs))
        start += len(docs)
    for name in sorted(by_group, key=lambda g: (-len(by_group[g]), g)):
        lo, hi = spans[name]
        sub = values[:, lo:hi]
        intervals = stats.bootstrap_ci(
            sub, n_samples=max(run.manifest.bootstrap_samples, 1), confidence=run.confidence, seed=run.manifest.seed
        )
        rows: list[dict[str, Any]] = []
        for s, iv in zip(systems, intervals):
            rows.append(
                {
                    "system": s,
                    "role": run.role(s),
                    "mean": float(iv.mean),
                    "text": fmt(metric, iv.mean),
                    "ci": f"[{fmt(metric, iv.low)}, {fmt(metric, iv.high)}]" if iv.n else "",
                    "n": iv.n,
                    "best": False,
                }
            )
        ranked = [r for r in rows if r["role"] == "candidate" and math.isfinite(float(r["mean"]))]
        if ranked:
            top = max(float(r["mean"]) for r in ranked)
            for r in ranked:
                r["best"] = r["mean"] == top
        out_groups.append(
            {
                "name": name,
                "documents": hi - lo,
                "rows": rows,
                "best": next((r["system"] for r in ranked if r["best"]), None),
                "systems": sum(1 for r in rows if r["n"]),
            }
        )
    return {
        "field": str(field),
        "metric": metric,
        "label": metric_label(metric),
        "systems": systems,
        "groups": out_groups,
        "common": len(common),
        "partial": any(g["systems"] < len(systems) for g in out_groups),
    }


# --- export ----------------------------------------------------------------------------------
def _export_rows(run: Run) -> tuple[list[str], list[tuple[str, str, int | None, list[Any]]]]:
    metrics = list(run.f_metrics)
    lm = [f"{m}_lm" for m in metrics if f"{m}_lm" in run.scores.columns]
    metrics += lm
    order = sorted(
        run.systems,
        key=lambda s: (
            run.role(s) in ("upper-bound", "lower-bound"),
            -(run.mean(s, run.primary_metric) if run.primary_metric else 0.0)
            if run.primary_metric and math.isfinite(run.mean(s, run.primary_metric))
            else math.inf,
        ),
    )
    rows = []
    rank = 0
    ranked = common_count(run) > 0 or len(run.systems) < 2  # else each mean is over the system's own documents
    for s in order:
        bound = run.role(s) in ("upper-bound", "lower-bound")
        if not bound:
            rank += 1
        rows.append((s, run.role(s), None if bound or not ranked else rank, [run.aggregate(s, m) for m in metrics]))
    return metrics, rows


def leaderboard_csv(run: Run) -> str:
    """``leaderboard.csv``: one row per system (contestants ranked, bounds after, unranked): role, the
    documents its means use, and per metric the mean, interval low and high, as stored (ROUGE 0-1)."""
    metrics, rows = _export_rows(run)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["rank", "system", "role", "documents"] + [f"{m}{k}" for m in metrics for k in ("", "_low", "_high")]
    )
    for system, role, rank, aggs in rows:
        n = next((a.n for a in aggs if a is not None), "")
        cells: list[Any] = []
        for a in aggs:
            cells += [
                "" if a is None or not math.isfinite(v) else repr(float(v))
                for v in ((a.mean, a.ci_low, a.ci_high) if a is not None else (math.nan,) * 3)
            ]
        writer.writerow(["" if rank is None else rank, system, role, n] + cells)
    return buffer.getvalue()


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def leaderboard_latex(run: Run) -> str:
    """``leaderboard.tex``: a booktabs table of the means with their intervals (ROUGE x100), contestants
    ranked, the best candidate per column in bold, bounds below a rule in italics."""
    metrics, rows = _export_rows(run)
    best: dict[str, float] = {}
    for m in metrics:
        values = [run.mean(s, m) for s in run.candidates if math.isfinite(run.mean(s, m))]
        if values:
            best[m] = max(values)
    head = " & ".join(["", "System"] + [latex_escape(metric_label(m)) for m in metrics]) + r" \\"
    lines = [
        "% sumbench leaderboard: " + latex_escape(run.name) + f" ({run.confidence:.0%} bootstrap intervals,"
        f" {common_count(run)} documents every system completed); needs \\usepackage{{booktabs}}",
        r"\begin{tabular}{rl" + "r" * len(metrics) + "}",
        r"\toprule",
        head,
        r"\midrule",
    ]
    ruled = False
    for system, role, rank, aggs in rows:
        bound = role in ("upper-bound", "lower-bound")
        if bound and not ruled:
            lines.append(r"\midrule")
            ruled = True
        name = latex_escape(system) + (" (baseline)" if role == "baseline" else f" ({role})" if bound else "")
        cells = []
        for m, a in zip(metrics, aggs):
            if a is None or not math.isfinite(a.mean):
                cells.append("--")
                continue
            text = fmt(m, a.mean)
            if role == "candidate" and best.get(m) == a.mean:
                text = r"\textbf{" + text + "}"
            if math.isfinite(a.ci_low) and math.isfinite(a.ci_high):
                text += r" {\scriptsize[" + fmt(m, a.ci_low) + ", " + fmt(m, a.ci_high) + "]}"
            cells.append(text)
        if bound:
            name = r"\textit{" + name + "}"
        lines.append(" & ".join(["" if rank is None else str(rank), name, *cells]) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", ""]
    return "\n".join(lines)
