"""Plain sentences about the pairwise tests of ``significance.json``, written at report time.

The run folder keeps numbers only (:class:`~sumbench.runfolder.Comparison`); everything a report says
about a comparison is decided here, from those numbers, at the level the test was run at: whether the
pair differs (:func:`is_significant`), whether it is a close call (:func:`is_close_call`: one meaning,
a pair the tests cannot separate) and the sentence that states it (:func:`verdict`).

A sentence never contradicts the interval it quotes. Records written by this sumbench quote the
Holm-consistent interval with the Holm-adjusted bootstrap p, and both come from the procedure that made
the decision (:mod:`sumbench.scoring.stats`): the pair "beats" exactly when that interval excludes 0,
exactly when the adjusted p is below ``1 - confidence``. Older records have no adjusted interval: they
quote the unadjusted interval with the unadjusted bootstrap p and call a winner only when both exclude
0 / fall below ``1 - confidence``; when those two disagree (older files computed them apart), the
sentence says so and calls no winner.

A pair on fewer shared documents than the paired bootstrap needs (``c.min_documents``, default
:data:`sumbench.scoring.stats.MIN_DOCUMENTS`) is not tested (``c.tested`` False): it has no interval, is
never significant, and its sentence says "not tested" — never "beats" nor "not distinguishable".
"""

from __future__ import annotations

import math
from fractions import Fraction

from sumbench.runfolder import Comparison
from sumbench.scoring.stats import alpha_of, smallest_adjusted_p

from .common import metric_label

__all__ = ["is_close_call", "is_significant", "verdict"]


def _check_level(c: Comparison, confidence: float | None) -> None:
    """A comparison is judged only at the level it was tested at (its interval and p are for that level)."""
    if confidence is None:
        return
    level = float(confidence)
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1; got {confidence!r}")
    if round(level, 12) != round(c.confidence, 12):
        raise ValueError(
            f"{c.a} vs {c.b} on {c.metric} was tested at {c.confidence:g}; it cannot be judged at {level:g} "
            "(its interval and p are for the level it was run at)"
        )


def _comparable(c: Comparison) -> bool:
    return c.n > 0 and not math.isnan(c.diff)


def _excludes_zero(low: float, high: float) -> bool:
    return low > 0 or high < 0


def _below(p: float, c: Comparison) -> bool:
    """``p < 1 - confidence`` with the level as an exact decimal (0.95 -> 1/20)."""
    return not math.isnan(p) and Fraction(p) < alpha_of(c.confidence)


def _old_decision(c: Comparison) -> bool | None:
    """A record without the adjusted interval: True when its unadjusted interval excludes 0 and its
    unadjusted bootstrap p is below ``1 - confidence``, False when neither, None when they disagree."""
    excludes = _excludes_zero(c.diff_low, c.diff_high)
    below = _below(c.p_bootstrap, c)
    return excludes if excludes == below else None


def is_significant(c: Comparison, confidence: float | None = None) -> bool:
    """Whether the pair differs: the stored Holm paired-bootstrap decision (``c.significant``), which
    agrees exactly with the Holm-adjusted interval and p the verdict quotes. For an older record
    without the adjusted interval: the unadjusted interval excludes 0 and the unadjusted bootstrap p
    is below ``1 - confidence``. A pair with no shared document, or one that was not tested (too few
    shared documents, ``c.tested`` False), never differs.

    ``confidence`` may only repeat the level the test was run at (``c.confidence``); any other level
    raises ``ValueError``."""
    _check_level(c, confidence)
    if not _comparable(c) or not c.tested:
        return False
    if c.adjusted:
        return bool(c.significant)
    return _old_decision(c) is True


def is_close_call(c: Comparison, confidence: float | None = None) -> bool:
    """The one definition of a close call, used by every report: a statistical tie, a pair the tests
    cannot separate (``not`` :func:`is_significant`)."""
    return not is_significant(c, confidence)


def _is_rouge(metric: str) -> bool:
    return metric.lower().startswith("rouge")


def _value(x: float, metric: str) -> str:
    """ROUGE in points with two decimals (more when those would show a non-zero value as 0, so an
    interval end never looks like it touches 0 when it does not); other metrics to 3 digits."""
    if not _is_rouge(metric):
        return f"{x:+.3g}"
    points = 100.0 * x
    for decimals in range(2, 10):
        text = f"{points:+.{decimals}f}"
        if points == 0 or float(text) != 0:
            return text
    return f"{points:+.2e}"


def _p(p: float, c: Comparison, family: int) -> str:
    """``p=...`` with two significant digits, more when rounding would move it across ``1 - confidence``;
    a p of 0 (no resample on the far side of 0) is shown as below the resolution of the resampling."""
    if p == 0:
        if c.n_samples > 0:
            bound = smallest_adjusted_p(max(family, 1), c.n_samples)
            return "p<0.001" if bound < 0.001 else f"p<{bound:.2g}"
        return "p<0.001"
    if p < 0.001:
        return "p<0.001"
    below = _below(p, c)
    for digits in range(2, 8):
        text = f"{p:.{digits}g}"
        if _below(float(text), c) == below:
            return f"p={text}"
    return f"p={p!r}"


def _percent(confidence: float) -> str:
    return f"{100.0 * confidence:g}%"


def _not_tested(c: Comparison, metric: str) -> str:
    """The sentence of a pair the paired bootstrap did not test: its documents, why, and its difference."""
    unit = " points" if _is_rouge(c.metric) else ""
    docs = f"{c.n:,} shared document{'s' if c.n != 1 else ''}"
    if c.min_documents > c.n:
        why = f"{docs}, below the {c.min_documents:,} a paired bootstrap needs"
    else:
        why = f"{docs}, and the record has no interval"
    return (
        f"{c.a} and {c.b} are not tested on {metric}: {why} (difference {_value(c.diff, c.metric)}{unit}, no interval)."
    )


def verdict(c: Comparison, confidence: float | None = None) -> str:
    """One plain sentence about a pair, at the level it was tested at (``confidence`` may only repeat it).

    Records written by this sumbench::

        lead-3 beats supervised-3 on ROUGE-2 F at 95% (+1.26 points, Holm-adjusted 95% CI +0.04 to +2.47,
        Holm-adjusted p=0.012).
        X and Y are not distinguishable on ROUGE-2 F at 95% (difference +0.40 points, Holm-adjusted 95% CI
        -0.30 to +1.10, Holm-adjusted p=0.41).
        lead-3 and textrank-3 are not tested on ROUGE-2 F: 12 shared documents, below the 20 a paired
        bootstrap needs (difference +1.26 points, no interval).

    The interval is the Holm-consistent one (``adj_low``/``adj_high``): it excludes 0 exactly when the
    pair is significant. Older records quote the unadjusted interval and bootstrap p, labelled
    "unadjusted". ROUGE metrics (names starting with ``rouge``) are shown in points (x100). When a system
    wins, the difference and interval are stated from the winner's side. A pair that was not tested
    (fewer shared documents than ``c.min_documents``) gets the "not tested" sentence, with no level, no
    interval and no p.
    """
    _check_level(c, confidence)
    metric = metric_label(c.metric)
    if not _comparable(c):
        return f"{c.a} and {c.b} cannot be compared on {metric}: no document was scored for both."
    if not c.tested:
        return _not_tested(c, metric)
    unit = " points" if _is_rouge(c.metric) else ""
    level = _percent(c.confidence)
    decision: bool | None
    if c.adjusted:
        low, high, p, family, label = c.adj_low, c.adj_high, c.p_bootstrap_holm, c.family, "Holm-adjusted"
        decision = bool(c.significant)
    else:
        low, high, p, family, label = c.diff_low, c.diff_high, c.p_bootstrap, 1, "unadjusted"
        decision = _old_decision(c)
    p_text = f"{label} {_p(p, c, family)}"
    if not decision:
        interval = f"{label} {level} CI {_value(low, c.metric)} to {_value(high, c.metric)}"
        if decision is None:
            return (
                f"{c.a} and {c.b} are a borderline call on {metric} at {level} (difference "
                f"{_value(c.diff, c.metric)}{unit}, {interval}, {p_text}: this older record's interval and p "
                "disagree, so no winner is called)."
            )
        return (
            f"{c.a} and {c.b} are not distinguishable on {metric} at {level} "
            f"(difference {_value(c.diff, c.metric)}{unit}, {interval}, {p_text})."
        )
    if low > 0:
        winner, loser, diff, low, high = c.a, c.b, c.diff, low, high
    else:
        winner, loser, diff, low, high = c.b, c.a, -c.diff, -high, -low
    return (
        f"{winner} beats {loser} on {metric} at {level} "
        f"({_value(diff, c.metric)}{unit}, {label} {level} CI "
        f"{_value(low, c.metric)} to {_value(high, c.metric)}, {p_text})."
    )
