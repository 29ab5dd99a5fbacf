"""Plain sentences about the pairwise tests of ``significance.json``, written at report time.

The run folder keeps numbers only (:class:`~sumbench.runfolder.Comparison`); everything a report says
about a comparison is decided here, from those numbers and one confidence level: whether the pair
differs (:func:`is_significant`), whether it is a close call (:func:`is_close_call`) and the sentence
that states it (:func:`verdict`).
"""

from __future__ import annotations

import math

from sumbench.runfolder import Comparison

from .common import metric_label

__all__ = ["CLOSE_P", "is_close_call", "is_significant", "verdict"]

#: A significant pair whose Holm-adjusted permutation p is at least this is still a close call.
CLOSE_P = 0.01


def _level(c: Comparison, confidence: float | None) -> float:
    level = c.confidence if confidence is None else float(confidence)
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence must be strictly between 0 and 1; got {confidence!r}")
    return level


def is_significant(c: Comparison, confidence: float | None = None) -> bool:
    """Whether the pair differs at ``confidence`` (default: the level the test was run at): its
    Holm-adjusted permutation p is below ``1 - confidence``. A pair with no shared document never is."""
    return c.n > 0 and c.p_permutation_holm < 1.0 - _level(c, confidence)


def is_close_call(c: Comparison, confidence: float | None = None) -> bool:
    """The one definition of a close call, used by every report: a pair the tests cannot separate (not
    :func:`significant <is_significant>` at ``confidence``), or can only barely (its Holm-adjusted
    permutation p, the p every verdict shows, is at least :data:`CLOSE_P` = 0.01)."""
    return not is_significant(c, confidence) or c.p_permutation_holm >= CLOSE_P


def _is_rouge(metric: str) -> bool:
    return metric.lower().startswith("rouge")


def _value(x: float, metric: str) -> str:
    return f"{100.0 * x:+.2f}" if _is_rouge(metric) else f"{x:+.3g}"


def _p(p: float) -> str:
    if p < 0.001:
        return "p<0.001"
    return f"p={p:.2f}" if p >= 0.01 else f"p={p:.3f}"


def _percent(confidence: float) -> str:
    return f"{100.0 * confidence:g}%"


def verdict(c: Comparison, confidence: float | None = None) -> str:
    """One plain sentence about a pair.

    Significance is :func:`is_significant` at ``confidence`` (default: ``c.confidence``); the interval
    shown is the one computed at ``c.confidence`` and the p shown is the Holm-adjusted permutation p.
    ROUGE metrics (names starting with ``rouge``) are shown in points (x100). When a system wins, the
    difference and interval are stated from the winner's side.
    """
    level = _level(c, confidence)
    metric = metric_label(c.metric)
    if c.n == 0 or math.isnan(c.diff):
        return f"{c.a} and {c.b} cannot be compared on {metric}: no document was scored for both."
    unit = " points" if _is_rouge(c.metric) else ""
    ci_label = _percent(c.confidence)
    p_text = "Holm-adjusted " + _p(c.p_permutation_holm)
    if not is_significant(c, level):
        return (
            f"{c.a} and {c.b} are not distinguishable on {metric} at {_percent(level)} "
            f"(difference {_value(c.diff, c.metric)}{unit}, {ci_label} CI "
            f"{_value(c.diff_low, c.metric)} to {_value(c.diff_high, c.metric)}, {p_text})."
        )
    if c.diff > 0:
        winner, loser, diff, low, high = c.a, c.b, c.diff, c.diff_low, c.diff_high
    else:
        winner, loser, diff, low, high = c.b, c.a, -c.diff, -c.diff_high, -c.diff_low
    return (
        f"{winner} beats {loser} on {metric} at {_percent(level)} "
        f"({_value(diff, c.metric)}{unit}, {ci_label} CI "
        f"{_value(low, c.metric)} to {_value(high, c.metric)}, {p_text})."
    )
