"""Figures for a run, drawn with matplotlib's object API (Agg canvas, no pyplot).

Each ``plot_*`` function takes a :class:`~sumbench.runfolder.Run` and an output folder, writes
``<name>.png`` and ``<name>.svg`` there and returns ``{"png": Path, "svg": Path}`` (or ``None`` when
the run has nothing to draw, e.g. no significance tests). :func:`draw_figure` returns the laid-out
:class:`~matplotlib.figure.Figure` instead (what the tests inspect). No global matplotlib state is
touched, so it is safe to call from a program that uses pyplot with another backend.

Readable at any number of systems:

- Every figure is :data:`FIGURE_WIDTH` inches wide (narrow enough that its text stays legible when a
  phone shrinks it) and grows in height with the systems: one row or one panel per system.
- Colour never tells systems apart: every system is named next to what it draws (a row label or a
  panel title), so nothing repeats a colour past a palette's end. Colours are the Okabe-Ito palette
  and say what a mark is: a candidate, the baseline, a bound (:data:`ROLE_COLOURS`), a document group
  (:data:`GROUP_COLOURS`), better or worse than the baseline.
- Upper and lower bounds are reference lines (or panels after the ranked systems), never ranked among
  the candidates; the baseline is marked wherever it is drawn.
- Long labels are shortened at a word boundary with an ellipsis (the tables name them in full).

ROUGE values are drawn x100.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import sys
import textwrap
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import matplotlib
import matplotlib.image as mimage
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sumbench.records import BOUND_ROLES
from sumbench.runfolder import Comparison, Run

from .common import group_documents, metric_label, reference_lengths, scatter_sample, system_order
from .verdicts import is_significant

__all__ = [
    "FIGURES",
    "META_FIGURES",
    "COLOUR_ENCODES",
    "FIGURE_WIDTH",
    "GROUP_COLOURS",
    "OKABE_ITO",
    "ROLE_COLOURS",
    "ForestRow",
    "draw_figure",
    "forest_rows",
    "group_means",
    "role_of",
    "plot_coverage_density",
    "plot_forest",
    "plot_groups",
    "plot_lengths",
    "plot_meta_scatter",
    "plot_rouge_means",
    "plot_rouge_vs_length",
    "plot_significance",
    "render_figures",
]

#: Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies (yellow last: weak on white).
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442")
#: What colour tells apart in each figure: never the system (every system is named by a label).
COLOUR_ENCODES = {
    "rouge_means": "role",
    "forest": "result",
    "significance": "result",
    "groups": "group",  # up to six groups; a table past that, coloured by the mean
    "lengths": "role",
    "rouge_vs_length": "role",
    "coverage_density": "role",
    "meta_scatter": "role",
}
#: What a system's marks are coloured by: its role (never its identity; the label names it).
ROLE_COLOURS = {"candidate": "#0072B2", "baseline": "#000000", "upper-bound": "#666666", "lower-bound": "#666666"}
#: Bounds are lines: dashed above, dotted below.
BOUND_LINESTYLES: dict[str, Any] = {"upper-bound": "--", "lower-bound": ":"}
ROLE_MARKERS = {"candidate": "o", "baseline": "D", "upper-bound": "^", "lower-bound": "v"}
REFERENCE_COLOUR = "#999999"
BETTER, WORSE, UNCLEAR = "#0072B2", "#D55E00", "#8c8c8c"
#: Document groups in the dot plot: one colour and marker each (at most this many; more are panels).
GROUP_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7")
GROUP_MARKERS = ("o", "s", "^", "D", "v", "P")

#: Width of every figure, inches. At the PNG's 120 dpi that is 720 px: shown at full size in the report
#: and shrunk about half on a 390 px phone, where 9 pt text still draws about 7.5 CSS px.
FIGURE_WIDTH = 6.0
DPI = 120
#: The smallest text any figure draws (points).
MIN_FONT = 8.5
_ROW = 0.24  # inches per system row

#: rc parameters of every figure (keys are matplotlib rc names).
_STYLE: dict[Any, Any] = {
    "font.size": 9.5,
    "axes.titlesize": 10,
    # titles sit just above the axes, where matplotlib's automatic placement puts them anyway (no figure
    # has decorations above its axes): a fixed place spares the search for them at every draw
    "axes.titley": 1.0,
    "axes.labelsize": 9.5,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "figure.titlesize": 10.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e3e3e3",
    "grid.linewidth": 0.7,
    "axes.axisbelow": True,
    "svg.hashsalt": "sumbench",
    "legend.frameon": False,
}
_SEPARATORS = " -_/.:,+"


def _escape(label: str) -> str:
    """A label safe for matplotlib text: mathtext ``$`` and backslashes escaped."""
    return label.replace("\\", "\\\\").replace("$", r"\$")


def short_label(label: str, width: int = 26) -> str:
    """``label`` in at most ``width`` characters: cut at the last word boundary (space, hyphen, ...)
    that keeps at least half of it, with an ellipsis; one long word is cut where it must."""
    label = " ".join(label.split())
    if len(label) <= width:
        return label
    cut = label[: width - 1]
    boundary = max(cut.rfind(c) for c in _SEPARATORS)
    if boundary >= width // 2:
        cut = cut[:boundary]
    return cut.rstrip(_SEPARATORS) + "…"


def _text(label: str, width: int = 26) -> str:
    return _escape(short_label(label, width))


def role_of(run: Run, system: str) -> str:
    """How a figure draws the system: its role, except that the run's baseline (what candidates are
    compared against) is drawn as a baseline whatever role it was given."""
    role = run.role(system)
    return "baseline" if role == "candidate" and system == run.baseline else role


def _role_suffix(run: Run, system: str) -> str:
    role = role_of(run, system)
    return "" if role == "candidate" else f" ({role.replace('-', ' ')})"


def _label(run: Run, system: str, width: int = 26) -> str:
    """A system's row label: its (shortened) name, with its role unless it is a candidate."""
    suffix = _role_suffix(run, system)
    return _text(system, max(width - len(suffix), 10)) + suffix


def _panel_title(run: Run, system: str, chars: int) -> str:
    """A small panel's title: the system's name in ``chars`` characters, its role (unless a candidate)
    beside it or, when that does not fit, on a second line."""
    suffix = _role_suffix(run, system)
    name = short_label(system, chars)
    if len(name) + len(suffix) <= chars:
        return _escape(name) + suffix
    return _escape(name) + ("\n" + suffix.strip() if suffix else "")


def _wrap(text: str, size: float, width: float = FIGURE_WIDTH) -> str:
    """``text`` wrapped at spaces to lines that fit ``width`` inches at ``size`` points, as few lines as
    that takes and as even in length as they can be (never a lone word on the last one)."""
    chars = max(int(width * 72 / (size * 0.58)), 20)
    lines = textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False)
    if len(lines) > 1:
        even = math.ceil(len(text) / len(lines))
        while even < chars:
            balanced = textwrap.wrap(text, even, break_long_words=False, break_on_hyphens=False)
            if len(balanced) == len(lines):
                return "\n".join(balanced)
            even += 1
    return "\n".join(lines)


def _finite(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return x[np.isfinite(x)]


def _scale(metric: str) -> float:
    return 100.0 if metric.startswith("rouge") else 1.0


def _unit(metric: str) -> str:
    return " (x100)" if metric.startswith("rouge") else ""


def _save(fig: Figure, out_dir: Path, name: str) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"png": out_dir / f"{name}.png", "svg": out_dir / f"{name}.svg"}
    # One Agg draw lays the figure out (constrained layout) and renders it; the PNG is that buffer
    # (savefig would draw twice: once to lay out, once to render).
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    no_software: dict[str, Any] = {"Software": None}  # None leaves the key out (the files stay the same)
    mimage.imsave(paths["png"], canvas.buffer_rgba(), format="png", dpi=fig.dpi, metadata=no_software)
    # Freeze that layout so the SVG is drawn from it instead of being laid out a second time.
    fig.set_layout_engine("none")
    fig.savefig(paths["svg"], metadata={"Date": None, "Creator": None})
    return paths


def _figure(height: float) -> Figure:
    return Figure(figsize=(FIGURE_WIDTH, height), layout="constrained", dpi=DPI)


def _title(fig: Figure, text: str) -> None:
    size = _STYLE["figure.titlesize"]
    fig.suptitle(_wrap(text, size), fontsize=size)


def _grid(n: int) -> int:
    """Columns of a grid of ``n`` small panels in one figure width."""
    return 1 if n == 1 else 2 if n <= 4 else 3 if n <= 9 else 4


def _hide_unused(axes: np.ndarray, used: int) -> None:
    for ax in axes.flat[used:]:
        ax.set_visible(False)


def _bottom_legend(fig: Figure, handles: Sequence[Any], ncols: int = 2) -> None:
    fig.legend(handles=list(handles), loc="outside lower center", ncols=min(ncols, len(handles)))


def _contestants(run: Run) -> list[str]:
    """The ranked systems (candidates and baselines) in rank order."""
    bounds = set(run.bounds)
    return [s for s in system_order(run) if s not in bounds]


def _bounds(run: Run) -> list[str]:
    """Upper bounds first, then lower bounds."""
    return [s for role in BOUND_ROLES for s in run.bounds if run.role(s) == role]


# --- rouge_means --------------------------------------------------------------------------------
def _bound_line(ax: Axes, x: float, role: str, label: str, left_of_centre: bool) -> None:
    """A bound as a labelled vertical line (the label in the row kept free below the ranked rows)."""
    ax.axvline(x, color=ROLE_COLOURS[role], linestyle=BOUND_LINESTYLES[role], linewidth=1.3, zorder=1.5)
    ax.text(
        x,
        -1.0,
        f" {label} " if not left_of_centre else f"{label} ",
        ha="right" if left_of_centre else "left",
        va="center",
        fontsize=MIN_FONT,
        color="#333333",
        clip_on=False,
    )


def _draw_rouge_means(run: Run) -> Figure | None:
    if len(run.systems) > 1 and not run.scores.common_documents():
        return None  # no document every system has: the means are not comparable, so nothing to rank
    metrics = list(run.f_metrics)
    ranked = [s for s in _contestants(run) if any(math.isfinite(run.mean(s, m)) for m in metrics)]
    bounds = [s for s in _bounds(run) if any(math.isfinite(run.mean(s, m)) for m in metrics)]
    if not metrics or not (ranked or bounds):
        return None
    n = len(ranked)
    ncols = 1 if len(metrics) == 1 else 2
    nrows = math.ceil(len(metrics) / ncols)
    spare = 1 if bounds else 0  # a free row at the bottom for the bounds' labels
    fig = _figure(nrows * (0.75 + _ROW * (n + spare)) + 1.0)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharey=True)
    y = np.arange(n)[::-1].astype(float)
    for k, metric in enumerate(metrics):
        ax = axes.flat[k]
        scale = _scale(metric)
        xs: list[float] = []
        for i, s in enumerate(ranked):
            mean = run.mean(s, metric)
            if math.isnan(mean):
                continue
            role = role_of(run, s)
            c = ROLE_COLOURS[role]
            agg = run.aggregate(s, metric)
            lo, hi = (agg.ci_low, agg.ci_high) if agg is not None else (math.nan, math.nan)
            if math.isfinite(lo) and math.isfinite(hi):
                ax.plot([scale * lo, scale * hi], [y[i], y[i]], color=c, linewidth=1.6, solid_capstyle="butt")
                xs += [scale * lo, scale * hi]
            ax.plot(scale * mean, y[i], marker=ROLE_MARKERS[role], color=c, markersize=5.5, linestyle="none")
            xs.append(scale * mean)
            if role == "baseline":
                ax.axvline(scale * mean, color=c, linewidth=0.8, alpha=0.35, zorder=1)
        values = {s: scale * run.mean(s, metric) for s in bounds if math.isfinite(run.mean(s, metric))}
        xs += list(values.values())
        if xs:
            lo_x, hi_x = min(xs), max(xs)
            pad = max(hi_x - lo_x, 1e-9) * 0.06
            ax.set_xlim(lo_x - pad, hi_x + pad)
            centre = (lo_x + hi_x) / 2
            for s, v in values.items():
                _bound_line(ax, v, run.role(s), _text(s, 14), left_of_centre=v > centre)
        ax.set_title(metric_label(metric))
        ax.set_xlabel(f"mean{_unit(metric)}")
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_locator(MaxNLocator(5))
    _hide_unused(axes, len(metrics))
    for row in axes:
        row[0].set_yticks(y, [_label(run, s) for s in ranked])
        row[0].set_ylim(-0.6 - spare, n - 0.4)
    handles: list[Any] = [
        Line2D([], [], color=ROLE_COLOURS["candidate"], marker="o", markersize=5.5, label="candidate"),
    ]
    if any(role_of(run, s) == "baseline" for s in ranked):
        handles.append(Line2D([], [], color="black", marker="D", markersize=5.5, label="baseline"))
    for role in BOUND_ROLES:
        if any(run.role(s) == role for s in bounds):
            handles.append(
                Line2D([], [], color=ROLE_COLOURS[role], linestyle=BOUND_LINESTYLES[role], label=role.replace("-", " "))
            )
    _bottom_legend(fig, handles, ncols=4)
    _title(fig, f"ROUGE F (x100) per system, ranked: mean with {run.confidence:.0%} bootstrap CI")
    return fig


# --- lengths ------------------------------------------------------------------------------------
def _boxplot(ax: Axes, data: Sequence[np.ndarray], colours: Sequence[str]) -> None:
    kwargs: dict[str, Any] = dict(
        patch_artist=True,
        widths=0.6,
        showfliers=True,
        medianprops={"color": "black", "linewidth": 1.2},
        flierprops={"marker": ".", "markersize": 3, "markerfacecolor": "#555", "markeredgecolor": "none"},
        showmeans=True,
        meanprops={"marker": "D", "markersize": 3.5, "markerfacecolor": "white", "markeredgecolor": "black"},
    )
    data = [d if d.size else np.array([np.nan]) for d in data]
    try:
        bp = ax.boxplot(data, orientation="horizontal", **kwargs)
    except TypeError:  # matplotlib < 3.10
        bp = ax.boxplot(data, vert=False, **kwargs)
    for patch, c in zip(bp["boxes"], colours):
        patch.set_facecolor(c)
        patch.set_alpha(0.55)


def _draw_lengths(run: Run) -> Figure | None:
    cols = [c for c in ("words", "sentences") if c in run.scores.columns]
    if not cols or not run.systems:
        return None
    systems = _contestants(run) + _bounds(run)
    ref_words, ref_sents = reference_lengths(run)
    refs = {"words": ref_words, "sentences": ref_sents}
    labels = ["references"] + [_label(run, s) for s in systems]
    fills = {**ROLE_COLOURS, "upper-bound": "#d9d9d9", "lower-bound": "#d9d9d9"}
    colours = [REFERENCE_COLOUR] + [fills[role_of(run, s)] for s in systems]
    n = len(labels)
    fig = _figure(1.3 + _ROW * 1.1 * n)
    axes = fig.subplots(1, len(cols), squeeze=False, sharey=True)[0]
    for ax, col in zip(axes, cols):
        data = [_finite(refs[col])] + [_finite(run.scores.values(s, col)) for s in systems]
        _boxplot(ax, data[::-1], colours[::-1])
        ax.set_xlabel(f"summary length ({col})")
        ax.set_title(f"Length in {col}")
        ax.grid(axis="y", visible=False)
        ax.set_xlim(left=0)
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    axes[0].set_yticks(np.arange(1, n + 1), labels[::-1])
    _title(fig, "Summary lengths per system vs. the references (box: quartiles, ◇: mean)")
    return fig


# --- rouge_vs_length ----------------------------------------------------------------------------
#: The grey of the other systems' points behind each panel: transparent where there is none, then
#: darker with more points in the pixel.
_BACKGROUND = ListedColormap(["#ffffff00"] + [(0.6, 0.6, 0.6, a) for a in np.linspace(0.25, 0.7, 6)])


def _background(counts: np.ndarray) -> np.ndarray:
    """Colour levels (0: none, 1-6: more points) of a per-pixel count of points."""
    if not counts.any():
        return np.zeros(counts.shape, dtype=np.int8)
    scaled = np.sqrt(counts / counts.max())
    return np.where(counts > 0, 1 + np.minimum(scaled * 6, 5.999), 0).astype(np.int8)


def _grid_height(nrows: int, panel_w: float, extra: float) -> float:
    return extra + nrows * (min(panel_w * 0.8, 2.2) + 0.4)


def _draw_rouge_vs_length(run: Run) -> Figure | None:
    pm = run.primary_metric
    if pm is None or "words" not in run.scores.columns or not run.systems:
        return None
    scale = _scale(pm)
    points: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for s in _contestants(run) + _bounds(run):
        x, y = run.scores.values(s, "words"), run.scores.values(s, pm) * scale
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.any():
            points[s] = (x[ok], y[ok])
    if not points:
        return None
    systems = list(points)
    ref_words = _finite(reference_lengths(run)[0])
    ref_mean = float(ref_words.mean()) if ref_words.size else math.nan
    x_max = max(max(float(p[0].max()) for p in points.values()), ref_mean if ref_words.size else 0.0, 1.0) * 1.04
    y_max = max(max(float(p[1].max()) for p in points.values()), 1e-9) * 1.04
    ncols = _grid(len(systems))
    nrows = math.ceil(len(systems) / ncols)
    panel_w = (FIGURE_WIDTH - 0.7) / ncols
    panel_h = min(panel_w * 0.8, 2.2)
    fig = _figure(_grid_height(nrows, panel_w, 1.25))
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
    # Behind each panel, every other system's points (all of them, not a sample), counted per pixel
    # cell of about 3 px: they draw as faint grey dots at the cost of one small image per panel.
    bins = (max(int(panel_w * DPI / 3), 10), max(int(panel_h * DPI / 3), 10))
    extent = (0.0, x_max, 0.0, y_max)
    counts = {s: np.histogram2d(*points[s], bins=bins, range=[extent[:2], extent[2:]])[0] for s in systems}
    total = sum(counts.values())
    title_chars = max(int(panel_w * 72 / (9 * 0.58)), 10)
    for k, s in enumerate(systems):
        ax = axes.flat[k]
        ax.imshow(
            _background(total - counts[s]).T,
            origin="lower",
            extent=extent,
            cmap=_BACKGROUND,
            vmin=-0.5,
            vmax=6.5,
            aspect="auto",
            interpolation="nearest",
            zorder=0.6,
        )
        x, y = points[s]
        drawn_x, drawn_y = scatter_sample(run, x, y)  # a seeded sample: MAX_SCATTER_POINTS per figure
        ax.scatter(drawn_x, drawn_y, s=7, color=ROLE_COLOURS[role_of(run, s)], alpha=0.7, edgecolors="none", zorder=2)
        if x.size >= 3 and np.ptp(x) > 0:
            slope, icpt = np.polyfit(x, y, 1)
            xs = np.array([x.min(), x.max()])
            ax.plot(xs, icpt + slope * xs, color=WORSE, linewidth=1.6, zorder=3)
        if math.isfinite(ref_mean):
            ax.axvline(ref_mean, color="#333333", linewidth=1.0, linestyle=(0, (4, 2)), zorder=2.5)
        ax.set_title(_panel_title(run, s, title_chars), fontsize=9)
        ax.grid(False)
    ax0 = axes.flat[0]
    ax0.set_xlim(0, x_max)
    ax0.set_ylim(0, y_max)
    ax0.xaxis.set_major_locator(MaxNLocator(3, integer=True))
    ax0.yaxis.set_major_locator(MaxNLocator(3))
    _hide_unused(axes, len(systems))
    for k in range(len(systems)):
        if k + ncols >= len(systems):  # the lowest panel of its column: its x tick labels and label
            axes.flat[k].tick_params(labelbottom=True)
            axes.flat[k].set_xlabel("length (words)")
    fig.supylabel(f"{metric_label(pm)}{_unit(pm)}", fontsize=_STYLE["axes.labelsize"])
    handles = [
        Line2D([], [], color=ROLE_COLOURS["candidate"], marker="o", ms=4, linestyle="none", label="the panel's system"),
        Line2D([], [], color="#a6a6a6", marker="s", ms=4, linestyle="none", label="every other system"),
        Line2D([], [], color=WORSE, linewidth=1.6, label="least-squares fit"),
    ]
    if math.isfinite(ref_mean):
        handles.append(Line2D([], [], color="#333333", linestyle=(0, (4, 2)), label="mean reference length"))
    _bottom_legend(fig, handles)
    _title(fig, f"{metric_label(pm)} vs. summary length per document, a panel per system")
    return fig


# --- coverage_density ---------------------------------------------------------------------------
def _draw_coverage_density(run: Run) -> Figure | None:
    if not {"coverage", "density"} <= set(run.scores.columns) or not run.systems:
        return None
    systems = _contestants(run) + _bounds(run)
    ncols = _grid(len(systems))
    nrows = math.ceil(len(systems) / ncols)
    panel_w = (FIGURE_WIDTH - 0.7) / ncols
    fig = _figure(_grid_height(nrows, panel_w, 0.9))
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
    dens_all = _finite(run.scores.column("density"))
    top = max(float(dens_all.max()) if dens_all.size else 1.0, 2.0) * 1.3
    title_chars = max(int(panel_w * 72 / (9 * 0.58)), 10)
    for k, s in enumerate(systems):
        ax = axes.flat[k]
        cov = run.scores.values(s, "coverage")
        den = run.scores.values(s, "density")
        ok = np.isfinite(cov) & np.isfinite(den)
        drawn_cov, drawn_den = scatter_sample(run, cov[ok], den[ok])  # a seeded sample; median and n: all
        ax.scatter(drawn_cov, drawn_den, s=9, color=ROLE_COLOURS[role_of(run, s)], alpha=0.5, edgecolors="none")
        if ok.any():
            ax.plot(np.median(cov[ok]), np.median(den[ok]), marker="+", color=WORSE, markersize=11, mew=2)
        ax.set_title(_panel_title(run, s, title_chars), fontsize=9)
        ax.text(0.04, 0.95, f"n={int(ok.sum())}", transform=ax.transAxes, fontsize=MIN_FONT, va="top", color="#444")
    ax0 = axes.flat[0]
    ax0.set_yscale("symlog", linthresh=1.0)
    ax0.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax0.set_xlim(-0.03, 1.03)
    ax0.set_ylim(0, top)
    ax0.xaxis.set_major_locator(MaxNLocator(3))
    _hide_unused(axes, len(systems))
    for k in range(len(systems)):
        if k + ncols >= len(systems):
            axes.flat[k].tick_params(labelbottom=True)
    fig.supxlabel("coverage (share of summary words copied)", fontsize=_STYLE["axes.labelsize"])
    fig.supylabel("density (words)", fontsize=_STYLE["axes.labelsize"])
    _title(fig, "Extractive fragment coverage vs. density per document (+: median)")
    return fig


# --- significance -------------------------------------------------------------------------------
def _adjusted(c: Comparison) -> bool:
    """Whether the record has the Holm-consistent interval (older run folders have NaN there)."""
    return math.isfinite(c.adj_low) and math.isfinite(c.adj_high)


def shown_p(c: Comparison) -> tuple[float, bool]:
    """The p-value a verdict quotes for the pair, and whether it is Holm-adjusted: the Holm-adjusted
    bootstrap p when the record has the Holm-consistent interval, else (an older record) the
    unadjusted bootstrap p."""
    return (c.p_bootstrap_holm, True) if _adjusted(c) else (c.p_bootstrap, False)


def _p_text(p: float) -> str:
    if p < 0.001:
        return "<.001"
    text = f"{p:.3f}" if p < 0.01 else f"{p:.2f}"
    return text[1:] if text.startswith("0") else text


#: The smallest cell (points) that prints its p-value ("<.001" at MIN_FONT).
_P_CELL = 26.0


def _draw_significance(run: Run) -> Figure | None:
    if not any(c.tested for c in run.comparisons):  # nothing tested (e.g. no document every system has)
        return None
    tested = {c.metric for c in run.comparisons}
    metrics = [m for m in run.metrics if m in tested] + sorted(tested - set(run.metrics))
    tested_systems = {s for c in run.comparisons for s in (c.a, c.b)}
    systems = [s for s in _contestants(run) if s in tested_systems]
    n = len(systems)
    if n < 2:
        return None
    primary = run.primary_metric if run.primary_metric in tested else metrics[0]
    labels = [_label(run, s, 24) for s in systems]
    label_w = max(len(t) for t in labels) * 9 * 0.55 / 72 + 0.3

    def grid_width(ncols: int) -> float:
        return (FIGURE_WIDTH - label_w - 0.5 - 0.25 * (ncols - 1)) / ncols

    # A panel per tested metric, two to a row, while each cell has room for its p-value; else the
    # primary metric alone (its p-values in the cells while they fit).
    if len(metrics) == 1 or grid_width(2) * 72 / n < _P_CELL:
        metrics = [primary]
    ncols = 1 if len(metrics) == 1 else 2
    nrows = math.ceil(len(metrics) / ncols)
    grid_w = grid_width(ncols)
    show_p = grid_w * 72 / n >= _P_CELL
    fig = _figure(nrows * (grid_w + 0.75) + 1.0)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharey=True)
    idx = {s: i for i, s in enumerate(systems)}
    same, diag = "#e6e6e6", "#ffffff"
    cmap = ListedColormap([WORSE, same, BETTER, diag])
    ranks = [str(k + 1) for k in range(n)]
    step = max(1, math.ceil(n / (grid_w * 72 / 11)))  # rank numbers at least 11 pt apart
    adjusted: set[bool] = set()
    for k, metric in enumerate(metrics):
        ax = axes.flat[k]
        grid = np.full((n, n), 1.0)
        pvals = np.full((n, n), np.nan)
        np.fill_diagonal(grid, 3.0)
        for c in run.comparisons:
            if c.metric != metric or c.a not in idx or c.b not in idx:
                continue
            i, j = idx[c.a], idx[c.b]
            sig = is_significant(c)
            val = 1.0 if not sig or not math.isfinite(c.diff) or c.diff == 0 else (2.0 if c.diff > 0 else 0.0)
            grid[i, j], grid[j, i] = val, 2.0 - val
            pvals[i, j] = pvals[j, i] = shown_p(c)[0]
            adjusted.add(shown_p(c)[1])
        ax.imshow(grid, cmap=cmap, vmin=-0.5, vmax=3.5, aspect="auto", interpolation="nearest")
        ax.set_xticks(np.arange(n)[::step], ranks[::step])
        ax.tick_params(length=0)
        # white lines between the cells: one collection per direction, not a grid of minor ticks
        ax.grid(False)
        edges = np.arange(-0.5, n)
        width = 1.5 if n <= 12 else 0.8
        ax.vlines(edges, -0.5, n - 0.5, colors="white", linewidth=width, zorder=0.5, capstyle="projecting")
        ax.hlines(edges, -0.5, n - 0.5, colors="white", linewidth=width, zorder=0.5, capstyle="projecting")
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(n - 0.5, -0.5)
        for sp in ax.spines.values():
            sp.set_visible(False)
        if show_p:
            for i in range(n):
                for j in range(n):
                    if i != j and np.isfinite(pvals[i, j]):
                        ax.text(
                            j,
                            i,
                            _p_text(pvals[i, j]),
                            ha="center",
                            va="center",
                            fontsize=MIN_FONT,
                            color="white" if grid[i, j] in (0.0, 2.0) else "#333",
                        )
        if len(metrics) > 1:
            ax.set_title(metric_label(metric))
        ax.set_xlabel("column k: the system of row k")
        if k % ncols == ncols - 1 or k == len(metrics) - 1:  # rank numbers to the right of each row
            right = ax.secondary_yaxis("right")
            right.set_yticks(np.arange(n)[::step], ranks[::step])
            right.tick_params(length=0)
            right.spines["right"].set_visible(False)
    _hide_unused(axes, len(metrics))
    for row in axes:
        row[0].set_yticks(np.arange(n), labels)
    for s in systems:
        if role_of(run, s) == "baseline":
            for row in axes:
                row[0].get_yticklabels()[idx[s]].set_fontweight("bold")
    fig.legend(
        handles=[
            Patch(color=BETTER, label="row significantly better"),
            Patch(color=WORSE, label="row significantly worse"),
            Patch(color=same, label="not distinguishable"),
        ],
        loc="outside lower center",
        ncols=2,
    )
    kind = "Holm-adjusted" if adjusted == {True} else "unadjusted" if adjusted == {False} else "Holm-adjusted or not"
    what = f"cell: {kind} p" if show_p else kind
    on = metric_label(metrics[0]) if len(metrics) == 1 else "each tested metric"
    _title(fig, f"Pairwise tests of the ranked systems on {on} at {run.confidence:.0%} ({what})")
    return fig


# --- forest -------------------------------------------------------------------------------------
def _interval(c: Comparison) -> tuple[float, float, bool]:
    """The comparison's Holm-consistent interval when it has one, else its unadjusted one; and which."""
    return (c.adj_low, c.adj_high, True) if _adjusted(c) else (c.diff_low, c.diff_high, False)


class ForestRow(NamedTuple):
    """One contestant against the baseline, from the contestant's side (``diff = contestant - baseline``)."""

    system: str
    diff: float
    low: float
    high: float
    significant: bool
    adjusted: bool  # the interval is the Holm-consistent one (else the unadjusted one of an older record)
    confidence: float


def forest_rows(run: Run, metric: str | None = None) -> list[ForestRow]:
    """Each contestant against the baseline on ``metric`` (default: the primary metric), best first."""
    metric = metric or run.primary_metric
    base = run.baseline
    if base is None or metric is None:
        return []
    contestants = set(_contestants(run)) - {base}
    rows = []
    for c in run.comparisons:
        if c.metric != metric or base not in (c.a, c.b) or not math.isfinite(c.diff):
            continue
        other = c.b if c.a == base else c.a
        if other not in contestants:
            continue
        lo, hi, adjusted = _interval(c)
        diff = c.diff if c.a == other else -c.diff
        if c.a != other:
            lo, hi = -hi, -lo
        rows.append(ForestRow(other, diff, lo, hi, is_significant(c), adjusted, c.confidence))
    rows.sort(key=lambda r: -r.diff)
    return rows


def _draw_forest(run: Run) -> Figure | None:
    metric = run.primary_metric
    rows = forest_rows(run)
    if not rows or metric is None or run.baseline is None:
        return None
    scale = _scale(metric)
    n = len(rows)
    fig = _figure(1.55 + _ROW * (n + 0.5))
    ax = fig.subplots()
    y = np.arange(n)[::-1].astype(float)
    for i, (_s, diff, lo, hi, sig, _adj, _level) in enumerate(rows):
        c = (BETTER if diff > 0 else WORSE) if sig else UNCLEAR
        if math.isfinite(lo) and math.isfinite(hi):
            ax.plot([scale * lo, scale * hi], [y[i], y[i]], color=c, linewidth=1.8, solid_capstyle="butt")
        ax.plot(
            scale * diff,
            y[i],
            marker="o",
            markersize=6,
            color=c,
            markerfacecolor=c if sig else "white",
            markeredgewidth=1.4,
            linestyle="none",
            zorder=3,
        )
    ax.axvline(0.0, color="black", linewidth=1.1, zorder=1.5)
    ax.set_yticks(y, [_label(run, r.system) for r in rows])
    ax.set_ylim(-0.7, n - 0.4)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(MaxNLocator(6))
    finite = [scale * v for r in rows for v in (r.low, r.high, r.diff) if math.isfinite(v)]
    lo_x, hi_x = min([0.0, *finite]), max([0.0, *finite])
    pad = max(hi_x - lo_x, 1e-9) * 0.05
    ax.set_xlim(lo_x - pad, hi_x + pad)
    right = ax.secondary_yaxis("right")
    right.set_yticks(y, [_diff_text(scale * r.diff, scale * r.low, scale * r.high) for r in rows])
    right.tick_params(length=0)
    right.spines["right"].set_visible(False)
    base = _text(run.baseline, 20)
    ax.set_xlabel(f"system − {base}")
    level = "/".join(sorted({f"{r.confidence:.0%}" for r in rows}))
    kinds = {r.adjusted for r in rows}
    kind = f"Holm-adjusted {level}" if kinds == {True} else f"unadjusted {level}" if kinds == {False} else level
    _bottom_legend(
        fig,
        [
            Line2D([], [], color=BETTER, marker="o", label="significantly better"),
            Line2D([], [], color=WORSE, marker="o", label="significantly worse"),
            Line2D([], [], color=UNCLEAR, marker="o", markerfacecolor="white", label="not distinguishable"),
        ],
        ncols=3,
    )
    _title(fig, f"{metric_label(metric)}{_unit(metric)}: difference from the baseline {base}, {kind} intervals")
    return fig


def _diff_text(diff: float, lo: float, hi: float) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return f"{diff:+.2f}"
    return f"{diff:+.2f} [{lo:+.2f}, {hi:+.2f}]".replace("-", "−")


# --- groups -------------------------------------------------------------------------------------
def group_means(run: Run, metric: str | None = None) -> tuple[list[str], dict[str, int], dict[str, list[float]]]:
    """Per document group: ``(groups, documents per group, {contestant: [mean per group]})`` of
    ``metric`` (default: the primary metric) over the group's documents that every system with a score in
    the group was scored on (:func:`.common.group_documents`: the group's share of the common set when
    every system has scores in every group; NaN for a system without). Groups in order of size (largest
    first), then name; groups without such a document are left out."""
    metric = metric or run.primary_metric
    by_group = group_documents(run)
    if metric is None or not by_group or metric not in run.scores.columns:
        return [], {}, {}
    sizes = {g: len(docs) for g, docs in by_group.items()}
    groups = sorted(sizes, key=lambda g: (-sizes[g], g))
    code = {g: k for k, g in enumerate(groups)}
    doc_code = {d: code[g] for g, docs in by_group.items() for d in docs}
    row_group = np.fromiter(
        (doc_code.get(d, -1) for d in run.scores.doc_ids),
        dtype=np.int64,
        count=len(run.scores),
    )
    values = run.scores.column(metric)
    means: dict[str, list[float]] = {}
    for s in _contestants(run):
        mask = run.scores.mask(s) & (row_group >= 0) & np.isfinite(values)
        codes = row_group[mask]
        sums = np.bincount(codes, weights=values[mask], minlength=len(groups))
        counts = np.bincount(codes, minlength=len(groups))
        with np.errstate(invalid="ignore", divide="ignore"):
            means[s] = (sums / counts).tolist()
    return groups, {g: sizes[g] for g in groups}, means


#: The most document groups the groups figure draws (the largest ones).
_MAX_GROUPS = 30


def _draw_groups(run: Run) -> Figure | None:
    metric = run.primary_metric
    groups, sizes, means = group_means(run)
    if metric is None or not groups or not means:
        return None
    scale = _scale(metric)
    systems = list(means)  # ranked
    n = len(systems)
    y = np.arange(n)[::-1].astype(float)
    labels = [_label(run, s) for s in systems]
    names = {g: f"{_text(g, 22)} (n={sizes[g]:,})" for g in groups}
    if len(groups) <= len(GROUP_COLOURS):
        # one dot plot: a row per system, a coloured mark per group, the spread as a grey bar
        fig = _figure(1.5 + _ROW * (n + 0.4) + 0.25 * math.ceil(len(groups) / 2))
        ax = fig.subplots()
        grid = scale * np.array([means[s] for s in systems], dtype=float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a row of NaN (no common document)
            lo, hi = np.nanmin(grid, axis=1), np.nanmax(grid, axis=1)
        ax.hlines(y, lo, hi, color="#d0d0d0", linewidth=3.5, zorder=1)
        for k, g in enumerate(groups):
            ax.plot(
                grid[:, k],
                y,
                linestyle="none",
                marker=GROUP_MARKERS[k],
                markersize=5.5,
                color=GROUP_COLOURS[k],
                alpha=0.9,
                label=names[g],
                zorder=2 + k * 0.01,
            )
        ax.set_yticks(y, labels)
        ax.set_ylim(-0.6, n - 0.4)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(f"mean {metric_label(metric)}{_unit(metric)}")
        ax.xaxis.set_major_locator(MaxNLocator(6))
        fig.legend(loc="outside lower center", ncols=2 if len(groups) > 1 else 1)
    else:
        # too many groups for a colour each: a table, a row per system and a column per group, each
        # cell coloured by its mean (cividis: ordered for every colour vision) and printed while it fits
        shown = groups[:_MAX_GROUPS]
        grid = scale * np.array([means[s][: len(shown)] for s in systems], dtype=float)
        label_w = max(len(t) for t in labels) * 9 * 0.55 / 72 + 0.3
        cell_pt = (FIGURE_WIDTH - label_w - 0.3) * 72 / len(shown)
        numbers = cell_pt >= _P_CELL
        heads = [f"{_text(g, 18)} ({sizes[g]:,})" for g in shown]
        head = max(len(h) for h in heads) * 9 * 0.6 / 72
        fig = _figure(1.2 + head + _ROW * 1.1 * n + (0 if numbers else 0.7))
        ax = fig.subplots()
        finite = grid[np.isfinite(grid)]
        lo_v, hi_v = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        image = ax.imshow(grid, cmap="cividis", vmin=lo_v, vmax=max(hi_v, lo_v + 1e-9), aspect="auto")
        ax.set_yticks(np.arange(n), labels)
        ax.set_xticks(np.arange(len(shown)), heads, rotation=90)
        ax.tick_params(length=0, labeltop=True, labelbottom=False)
        ax.grid(False)
        for sp in ax.spines.values():
            sp.set_visible(False)
        if numbers:
            middle = (lo_v + hi_v) / 2
            for i in range(n):
                for j in range(len(shown)):
                    if math.isfinite(grid[i, j]):
                        colour = "white" if grid[i, j] < middle else "black"
                        ax.text(j, i, f"{grid[i, j]:.1f}", ha="center", va="center", fontsize=MIN_FONT, color=colour)
        else:
            fig.colorbar(image, ax=ax, location="bottom", shrink=0.6, label=f"mean{_unit(metric)}")
        if len(shown) < len(groups):
            ax.set_xlabel(f"the {len(shown)} largest of {len(groups)} groups")
    partial = any(not math.isfinite(v) for row in means.values() for v in row)
    every = (
        "per group, the documents every system in it was scored on"
        if partial
        else "documents every system was scored on"
    )
    _title(fig, f"Mean {metric_label(metric)} per document group ({every})")
    return fig


# --- meta_scatter -------------------------------------------------------------------------------
#: Where a point's label may go, as (dx, dy) offsets in points from the point, nearest first: the four
#: corners beside it, above, below, then 16 directions ever farther out.
_LABEL_SPOTS = (
    (4.0, 2.0),
    (-4.0, 2.0),
    (4.0, -2.0),
    (-4.0, -2.0),
    (0.0, 5.0),
    (0.0, -5.0),
    (6.0, 0.0),
    (-6.0, 0.0),
    *(
        (round(r * math.cos(a), 1), round(0.8 * r * math.sin(a), 1))
        for r in (9.0, 13.0, 17.0, 22.0, 28.0, 35.0)
        for a in np.linspace(0, 2 * math.pi, 16, endpoint=False)
    ),
)


def _label_points(ax: Axes, xs: Sequence[float], ys: Sequence[float], labels: Sequence[str]) -> None:
    """Label each point with its text where it overlaps no other label and no point, inside the axes,
    trying the spots of :data:`_LABEL_SPOTS` (nearest first; a far one gets a leader line); where none is
    free, the spot that overlaps least. Needs the figure laid out (its axes placed)."""
    fig = ax.get_figure()
    assert fig is not None
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    to_px = fig.dpi / 72.0
    frame = ax.get_window_extent(renderer)
    centres = ax.transData.transform(np.column_stack([xs, ys]))
    marker = 3.5 * to_px
    taken: list[tuple[float, float, float, float]] = [
        (cx - marker, cy - marker, cx + marker, cy + marker) for cx, cy in centres
    ]

    def overlap(box: tuple[float, float, float, float]) -> float:
        area = 0.0
        for t in taken:
            w = min(box[2], t[2]) - max(box[0], t[0])
            h = min(box[3], t[3]) - max(box[1], t[1])
            if w > 0 and h > 0:
                area += w * h
        for lo, hi, a, b in ((box[0], box[2], frame.x0, frame.x1), (box[1], box[3], frame.y0, frame.y1)):
            if lo < a or hi > b:  # outside the axes: as bad as covering everything
                area += 1e6
        return area

    # the most crowded points choose first
    order = sorted(range(len(labels)), key=lambda k: -sum(1 for c in centres if np.hypot(*(c - centres[k])) < 40))
    for k in order:
        probe = ax.text(0, 0, labels[k], fontsize=MIN_FONT)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        w, h = extent.width, extent.height
        cx, cy = centres[k]
        best: tuple[float, tuple[float, float], tuple[float, float, float, float]] | None = None
        for dx, dy in _LABEL_SPOTS:
            ox, oy = dx * to_px, dy * to_px
            left = cx + ox - (w / 2 if abs(dx) < 1 else (0 if dx > 0 else w))
            bottom = cy + oy - (h / 2 if abs(dy) < 1 else (0 if dy > 0 else h))
            box = (left, bottom, left + w, bottom + h)
            cost = overlap(box)
            if best is None or cost < best[0]:
                best = (cost, (dx, dy), box)
            if cost == 0:
                break
        assert best is not None
        _, (dx, dy), box = best
        text = ax.annotate(
            labels[k],
            (xs[k], ys[k]),
            xytext=(dx, dy),
            textcoords="offset points",
            ha="center" if abs(dx) < 1 else ("left" if dx > 0 else "right"),
            va="center" if abs(dy) < 1 else ("bottom" if dy > 0 else "top"),
            fontsize=MIN_FONT,
            color="#222222",
        )
        text.set_in_layout(False)  # placed for this layout: it must not move the axes
        if math.hypot(dx, dy) > 8:  # a label moved away from its point: a faint leader line to it
            end = ax.transData.inverted().transform((cx + 0.8 * dx * to_px, cy + 0.8 * dy * to_px))
            leader = ax.plot([xs[k], end[0]], [ys[k], end[1]], color="#9a9a9a", linewidth=0.6, zorder=2)[0]
            leader.set_in_layout(False)
        taken.append(box)


def _meta_points(run: Run) -> tuple[str | None, list[str], list[tuple[str, list[str], list[float], list[float]]]]:
    """The scatter's metric (the first compared one), the systems drawn, and per human dimension its
    systems with both means: ``(dimension, systems, human means, metric means)``."""
    meta = run.meta_eval
    if meta is None or not meta.compared or not meta.system_means:
        return None, [], []
    metric = meta.compared[0]
    panels = []
    for dimension in meta.dimensions:
        systems, xs, ys = [], [], []
        for system in meta.systems:
            row = meta.system_means.get(system, {})
            x, y = row.get(dimension, math.nan), row.get(metric, math.nan)
            if math.isfinite(x) and math.isfinite(y):
                systems.append(system)
                xs.append(float(x))
                ys.append(float(y) * _scale(metric))
        if len(systems) >= 2:
            panels.append((dimension, systems, xs, ys))
    drawn = list(dict.fromkeys(s for _, systems, _, _ in panels for s in systems))
    return metric, drawn, panels


def _draw_meta_scatter(run: Run) -> Figure | None:
    from .meta import COEFFICIENT_LABELS, corr_text, display_coefficient, interval_text

    metric, _systems, panels = _meta_points(run)
    meta = run.meta_eval
    if meta is None or metric is None or not panels:
        return None
    coefficient = display_coefficient(meta)
    symbol = COEFFICIENT_LABELS.get(coefficient, coefficient).split()[-1]
    ncols = 1 if len(panels) == 1 else 2
    nrows = math.ceil(len(panels) / ncols)
    panel_w = (FIGURE_WIDTH - 0.7) / ncols
    panel_h = min(panel_w * 0.85, 3.2)
    fig = _figure(1.1 + nrows * (panel_h + 0.55))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, (dimension, systems, xs, ys) in enumerate(panels):
        ax = axes.flat[k]
        roles = [role_of(run, s) for s in systems]
        for role in dict.fromkeys(roles):
            idx = [i for i, r in enumerate(roles) if r == role]
            ax.plot(
                [xs[i] for i in idx],
                [ys[i] for i in idx],
                linestyle="none",
                marker=ROLE_MARKERS[role],
                markersize=5,
                color=ROLE_COLOURS[role],
                zorder=3,
            )
        for values, setter in ((xs, ax.set_xlim), (ys, ax.set_ylim)):
            lo, hi = min(values), max(values)
            pad = max(hi - lo, 1e-9) * 0.18
            setter(lo - pad, hi + pad)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.set_major_locator(MaxNLocator(4))
        entry = meta.correlation(metric, dimension, "system", coefficient)
        title = _text(dimension, 18)
        if entry is not None and math.isfinite(entry.value):
            title += f": {symbol} = {corr_text(entry.value)} [{interval_text(entry.low, entry.high)}]"
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(f"mean human {_text(dimension, 18)}")
        if k % ncols == 0:
            ax.set_ylabel(f"mean {metric_label(metric)}{_unit(metric)}")
    _hide_unused(axes, len(panels))
    what = f"system level, {_COEFFICIENT_WORDS.get(coefficient, coefficient)} with {meta.confidence:.0%} CI"
    _title(fig, f"Systems' mean {metric_label(metric)} vs. their mean human scores, one point per system ({what})")
    FigureCanvasAgg(fig).draw()  # lay the axes out (everything but the labels): the labels are placed in it
    for k, (_dimension, systems, xs, ys) in enumerate(panels):
        _label_points(axes.flat[k], xs, ys, [_text(s, 14) for s in systems])
    return fig


_COEFFICIENT_WORDS = {"kendall": "Kendall tau-b", "spearman": "Spearman rho", "pearson": "Pearson r"}


# --- the figures --------------------------------------------------------------------------------
#: Figure name -> drawing function (``run -> Figure | None``), in report order.
_DRAW: dict[str, Callable[[Run], Figure | None]] = {
    "rouge_means": _draw_rouge_means,
    "forest": _draw_forest,
    "significance": _draw_significance,
    "groups": _draw_groups,
    "lengths": _draw_lengths,
    "rouge_vs_length": _draw_rouge_vs_length,
    "coverage_density": _draw_coverage_density,
    "meta_scatter": _draw_meta_scatter,
}


def draw_figure(run: Run, name: str) -> Figure | None:
    """The figure ``name`` of :data:`FIGURES` as a laid-out matplotlib Figure (what its files show), or
    None when the run has nothing to draw for it."""
    with matplotlib.rc_context(_STYLE):
        fig = _DRAW[name](run)
        if fig is not None:
            FigureCanvasAgg(fig).draw()
    return fig


def _plotter(name: str) -> Callable[..., dict[str, Path] | None]:
    def plot(run: Run, out_dir: str | Path) -> dict[str, Path] | None:
        with matplotlib.rc_context(_STYLE):
            fig = _DRAW[name](run)
            return None if fig is None else _save(fig, Path(out_dir), name)

    plot.__name__ = f"plot_{name}"
    plot.__doc__ = f"Write ``{name}.png`` and ``{name}.svg`` under ``out_dir`` (None: nothing to draw)."
    return plot


plot_rouge_means = _plotter("rouge_means")
plot_rouge_means.__doc__ = """Mean ROUGE F (x100) per ranked system with its confidence interval, one panel per
metric, ranked by the primary metric; the baseline marked, the bounds as labelled vertical lines."""
plot_forest = _plotter("forest")
plot_forest.__doc__ = """Each contestant's difference from the baseline on the primary metric with its
(Holm-adjusted when recorded) interval, sorted, zero line, significant ones filled. Needs a baseline and
comparisons with it."""
plot_significance = _plotter("significance")
plot_significance.__doc__ = """Pairwise tests of the ranked systems: a cell is blue when the row system is
significantly better than the column system, vermillion when worse, grey when the tests cannot tell them
apart. Bounds are left out. A panel per tested metric while every cell has room for the p-value the
verdicts quote; else the primary metric alone, with its p-values while they fit (the title says which)."""
plot_groups = _plotter("groups")
plot_groups.__doc__ = """Mean primary metric per document group for each ranked system, over the common
documents. Needs document groups."""
plot_lengths = _plotter("lengths")
plot_lengths.__doc__ = """Summary length distributions per system (words, sentences) against the references."""
plot_rouge_vs_length = _plotter("rouge_vs_length")
plot_rouge_vs_length.__doc__ = """Primary metric against summary length, a panel per system (ranked, then the
bounds) on shared axes: its documents, every other system's in faint grey behind them, its least-squares
line and the references' mean length."""
plot_coverage_density = _plotter("coverage_density")
plot_coverage_density.__doc__ = """Extractive fragment coverage (x) and density (y, symlog) per document, one
panel per system, as in Grusky et al. (2018) figure 3."""

plot_meta_scatter = _plotter("meta_scatter")
plot_meta_scatter.__doc__ = """A meta-evaluated run: per human dimension, each judged system's mean human score (x)
against its mean on the first compared metric (y), each point labelled with its system, the panel titled
with the system-level correlation and its interval. Needs ``meta_eval.json``."""

#: The figures of a meta-evaluated run (``meta_eval.json``), drawn after :data:`FIGURES`.
META_FIGURES: dict[str, Callable[..., dict[str, Path] | None]] = {"meta_scatter": plot_meta_scatter}

#: Figure name -> function, in report order.
FIGURES: dict[str, Callable[..., dict[str, Path] | None]] = {
    "rouge_means": plot_rouge_means,
    "forest": plot_forest,
    "significance": plot_significance,
    "groups": plot_groups,
    "lengths": plot_lengths,
    "rouge_vs_length": plot_rouge_vs_length,
    "coverage_density": plot_coverage_density,
}


#: Figures a forked helper process draws while this process draws the others (see
#: :func:`render_figures`): about half of the drawing time, from 3 systems x 12 documents (0.44 of 0.95
#: CPU seconds) to 16 systems x 5,000 documents (1.35 of 2.85).
_HELPER_FIGURES = ("rouge_means", "forest", "rouge_vs_length")


def render_figures(run: Run, out_dir: str | Path, *, parallel: bool | None = None) -> dict[str, dict[str, Path]]:
    """Draw every figure that the run has data for; ``{name: {"png": .., "svg": ..}}`` in report order.

    ``parallel``: draw some of the figures in a forked helper process while this one draws the
    others (the files are the same either way). By default it does so when that is likely to be
    faster: on Linux, in a process running a single thread, with a second CPU available and not
    busy. Should the helper fail, its figures are drawn here (and any error is raised from here).
    """
    out_dir = Path(out_dir)
    helper = _Helper.start(run, out_dir, _HELPER_FIGURES) if (_can_fork() if parallel is None else parallel) else None
    drawn: dict[str, bool] = {}
    try:
        for name, fn in FIGURES.items():
            if helper is None or name not in helper.names:
                drawn[name] = fn(run, out_dir) is not None
        if run.meta_eval is not None:
            for name, fn in META_FIGURES.items():
                drawn[name] = fn(run, out_dir) is not None
        if helper is not None:
            got = helper.join()
            for name in _HELPER_FIGURES:
                drawn[name] = got[name] if got is not None and name in got else FIGURES[name](run, out_dir) is not None
    finally:
        if helper is not None:
            helper.kill()  # only does something when leaving early (an error, Ctrl-C)
    return {name: _paths(out_dir, name) for name in (*FIGURES, *META_FIGURES) if drawn.get(name)}


def _paths(out_dir: Path, name: str) -> dict[str, Path]:
    return {"png": out_dir / f"{name}.png", "svg": out_dir / f"{name}.svg"}


def _can_fork() -> bool:
    """Whether a forked helper can draw figures beside this process: Linux, one thread here, and a
    second CPU this process may use. (The load average is no guide: right after a run's workers finish
    it still says the CPUs are busy.)"""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return False
    return cpus >= 2


class _Helper:
    """A forked process drawing some figures; it reports which ones it drew (or had nothing to draw)."""

    def __init__(self, pid: int, fd: int, names: tuple[str, ...]) -> None:
        self.pid: int | None = pid
        self.fd: int | None = fd
        self.names = names

    @classmethod
    def start(cls, run: Run, out_dir: Path, names: tuple[str, ...]) -> _Helper | None:
        if not hasattr(os, "fork"):
            return None
        read_fd, write_fd = os.pipe()
        try:
            with warnings.catch_warnings():
                # Python 3.12+ warns about forking a process with threads: numpy's BLAS pool counts,
                # yet the helper only draws with Agg and writes files
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the helper: draw, report, and leave without running the parent's exit handlers
            code = 1
            try:
                os.close(read_fd)
                result = {name: FIGURES[name](run, out_dir) is not None for name in names}
                os.write(write_fd, json.dumps(result).encode())
                code = 0
            finally:
                os._exit(code)
        os.close(write_fd)
        return cls(pid, read_fd, names)

    def join(self) -> dict[str, bool] | None:
        """Wait for the helper: ``{name: drawn}``, or None when it failed."""
        data = b""
        if self.fd is not None:
            chunks = []
            try:
                while chunk := os.read(self.fd, 65536):
                    chunks.append(chunk)
            finally:
                os.close(self.fd)
                self.fd = None
            data = b"".join(chunks)
        status = self._reap()
        if status is None or os.waitstatus_to_exitcode(status) != 0:
            return None
        try:
            got = json.loads(data)
        except ValueError:
            return None
        return got if isinstance(got, dict) else None

    def _reap(self) -> int | None:
        if self.pid is None:
            return None
        pid, self.pid = self.pid, None
        return os.waitpid(pid, 0)[1]

    def kill(self) -> None:
        """Stop the helper (this process is leaving early)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                self._reap()
