"""Figures for a run, drawn with matplotlib's object API (Agg canvas, no pyplot).

Each ``plot_*`` function takes a :class:`~sumbench.runfolder.Run` and an output
folder, writes ``<name>.png`` and ``<name>.svg`` there and returns
``{"png": Path, "svg": Path}`` (or ``None`` when the run has nothing to draw, e.g. no
significance tests).  No global matplotlib state is touched, so it is safe to call
from a program that uses pyplot with another backend.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies);
past eight systems colours repeat and markers / hatches tell the systems apart.
ROUGE values are drawn x100.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from sumbench.runfolder import Run

from .common import metric_label, reference_lengths, scatter_sample, system_order
from .verdicts import is_significant

__all__ = [
    "FIGURES",
    "OKABE_ITO",
    "plot_coverage_density",
    "plot_lengths",
    "plot_rouge_means",
    "plot_rouge_vs_length",
    "plot_significance",
    "render_figures",
]

#: Okabe & Ito (2008), in the order used for systems (yellow last: weak on white).
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#000000", "#F0E442")
REFERENCE_COLOUR = "#999999"
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_HATCHES = ("", "//", "..", "xx")

#: rc parameters of every figure (keys are matplotlib rc names).
_STYLE: dict[Any, Any] = {
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    # titles sit just above the axes, where matplotlib's automatic placement puts them anyway (no figure
    # has decorations above its axes): a fixed place spares the search for them at every draw
    "axes.titley": 1.0,
    "axes.labelsize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e3e3e3",
    "grid.linewidth": 0.7,
    "axes.axisbelow": True,
    "svg.hashsalt": "sumbench",
    "legend.frameon": False,
}


def colour(k: int) -> str:
    return OKABE_ITO[k % len(OKABE_ITO)]


def marker(k: int) -> str:
    return _MARKERS[(k // len(OKABE_ITO)) % len(_MARKERS)] if k >= len(OKABE_ITO) else "o"


def hatch(k: int) -> str:
    return _HATCHES[(k // len(OKABE_ITO)) % len(_HATCHES)]


def _text(label: str, width: int = 28) -> str:
    """A label safe for matplotlib text: mathtext ``$`` escaped, long labels cut."""
    label = label if len(label) <= width else label[: width - 1] + "…"
    return label.replace("\\", "\\\\").replace("$", r"\$")


def _finite(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return x[np.isfinite(x)]


def _save(fig: Figure, out_dir: Path, name: str) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(fig)
    paths = {"png": out_dir / f"{name}.png", "svg": out_dir / f"{name}.svg"}
    fig.savefig(paths["png"], dpi=120, metadata={"Software": None})
    # Drawing the PNG ran the constrained layout and left every artist where it put them: freeze that
    # layout so the SVG is drawn from it instead of being laid out a second time.
    fig.set_layout_engine("none")
    fig.savefig(paths["svg"], metadata={"Date": None, "Creator": None})
    return paths


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _with_style(fn: Callable[..., dict[str, Path] | None]) -> Callable[..., dict[str, Path] | None]:
    def wrapper(run: Run, out_dir: str | Path, *args: Any, **kwargs: Any) -> dict[str, Path] | None:
        with matplotlib.rc_context(_STYLE):
            return fn(run, Path(out_dir), *args, **kwargs)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
    return wrapper


@_with_style
def plot_rouge_means(run: Run, out_dir: Path) -> dict[str, Path] | None:
    """Mean ROUGE F (x100) per system with its confidence interval, one panel per
    metric; systems ranked by the primary metric."""
    metrics = list(run.f_metrics)
    if not metrics or not run.systems:
        return None
    systems = system_order(run)
    n = len(systems)
    ncols = min(len(metrics), 4)
    nrows = math.ceil(len(metrics) / ncols)
    fig = _figure(2.0 + 2.4 * ncols, (0.75 + 0.3 * n) * nrows + 0.5)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharey=True)
    y = np.arange(n)[::-1]
    for k, metric in enumerate(metrics):
        ax = axes[k // ncols][k % ncols]
        for i, s in enumerate(systems):
            mean = run.mean(s, metric)
            agg = run.aggregate(s, metric)
            lo, hi = (agg.ci_low, agg.ci_high) if agg is not None else (math.nan, math.nan)
            if math.isnan(mean):
                continue
            c = colour(run.systems.index(s))
            if np.isfinite(lo) and np.isfinite(hi):
                ax.errorbar(
                    100 * mean,
                    y[i],
                    xerr=[[100 * max(mean - lo, 0)], [100 * max(hi - mean, 0)]],
                    fmt="none",
                    ecolor=c,
                    elinewidth=1.6,
                    capsize=3,
                )
            ax.plot(100 * mean, y[i], marker=marker(run.systems.index(s)), color=c, markersize=6, linestyle="none")
        ax.set_title(metric_label(metric))
        ax.set_xlabel("mean F (x100)")
        ax.grid(axis="y", visible=False)
    for k in range(len(metrics), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    for row in axes:
        row[0].set_yticks(y, [_text(s) for s in systems])
        row[0].set_ylim(-0.6, n - 0.4)
    fig.suptitle(f"ROUGE per system: mean with {run.confidence:.0%} bootstrap CI", fontsize=11)
    return _save(fig, out_dir, "rouge_means")


def _boxplot(ax: Axes, data: Sequence[np.ndarray], colours: Sequence[str], hatches: Sequence[str]) -> None:
    kwargs: dict[str, Any] = dict(
        patch_artist=True,
        widths=0.6,
        showfliers=True,
        medianprops={"color": "black", "linewidth": 1.2},
        flierprops={"marker": ".", "markersize": 4, "markerfacecolor": "#555", "markeredgecolor": "none"},
        showmeans=True,
        meanprops={"marker": "D", "markersize": 3.5, "markerfacecolor": "white", "markeredgecolor": "black"},
    )
    data = [d if d.size else np.array([np.nan]) for d in data]
    try:
        bp = ax.boxplot(data, orientation="horizontal", **kwargs)
    except TypeError:  # matplotlib < 3.10
        bp = ax.boxplot(data, vert=False, **kwargs)
    for patch, c, h in zip(bp["boxes"], colours, hatches):
        patch.set_facecolor(c)
        patch.set_alpha(0.75)
        patch.set_hatch(h)


@_with_style
def plot_lengths(run: Run, out_dir: Path) -> dict[str, Path] | None:
    """Summary length distributions per system (words, sentences) against the
    references (grey, top)."""
    cols = [c for c in ("words", "sentences") if c in run.scores.columns]
    if not cols or not run.systems:
        return None
    systems = system_order(run)
    ref_words, ref_sents = reference_lengths(run)
    refs = {"words": ref_words, "sentences": ref_sents}
    labels = ["references"] + [_text(s) for s in systems]
    colours = [REFERENCE_COLOUR] + [colour(run.systems.index(s)) for s in systems]
    hatches = [""] + [hatch(run.systems.index(s)) for s in systems]
    n = len(labels)
    fig = _figure(3.0 + 3.4 * len(cols), 1.2 + 0.32 * n)
    axes = fig.subplots(1, len(cols), squeeze=False, sharey=True)[0]
    for ax, col in zip(axes, cols):
        data = [_finite(refs[col])] + [_finite(run.scores.values(s, col)) for s in systems]
        _boxplot(ax, data[::-1], colours[::-1], hatches[::-1])
        ax.set_xlabel(f"summary length ({col})")
        ax.set_title(f"Length in {col}")
        ax.grid(axis="y", visible=False)
        ax.set_xlim(left=0)
    axes[0].set_yticks(np.arange(1, n + 1), labels[::-1])
    fig.suptitle("Summary lengths per system vs. the references (box: quartiles, ◇: mean)", fontsize=11)
    return _save(fig, out_dir, "lengths")


@_with_style
def plot_rouge_vs_length(run: Run, out_dir: Path) -> dict[str, Path] | None:
    """Primary metric against summary length, one point per document, with a
    least-squares line per system."""
    pm = run.primary_metric
    if pm is None or "words" not in run.scores.columns or not run.systems:
        return None
    fig = _figure(7.6, 4.6)
    ax = fig.subplots()
    for s in system_order(run):
        k = run.systems.index(s)
        x = run.scores.values(s, "words")
        y = run.scores.values(s, pm) * 100
        ok = np.isfinite(x) & np.isfinite(y)
        x, y = x[ok], y[ok]
        if not x.size:
            continue
        c = colour(k)
        # (colour, marker) pairs stay distinct past eight systems: the marker cycle is shifted
        drawn_x, drawn_y = scatter_sample(run, x, y)  # a seeded sample: MAX_SCATTER_POINTS per figure
        ax.scatter(
            drawn_x,
            drawn_y,
            s=16,
            color=c,
            alpha=0.55 if len(run.systems) <= 8 else 0.4,
            marker=_MARKERS[(k + k // len(OKABE_ITO)) % len(_MARKERS)],
            edgecolors="none",
            label=_text(s),
        )
        if x.size >= 3 and np.ptp(x) > 0:
            slope, icpt = np.polyfit(x, y, 1)
            xs = np.linspace(x.min(), x.max(), 2)
            ax.plot(xs, icpt + slope * xs, color=c, linewidth=1.8, linestyle="-" if k < len(OKABE_ITO) else "--")
    ax.set_xlabel("summary length (words)")
    ax.set_ylabel(f"{metric_label(pm)} (x100)")
    ax.set_title(f"{metric_label(pm)} vs. summary length, per document (line: least-squares fit per system)")
    ax.set_ylim(bottom=0)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8.5, markerscale=1.5)
    return _save(fig, out_dir, "rouge_vs_length")


@_with_style
def plot_coverage_density(run: Run, out_dir: Path) -> dict[str, Path] | None:
    """Extractive fragment coverage (x) and density (y, symlog) per document, one
    panel per system, as in Grusky et al. (2018) figure 3."""
    if not {"coverage", "density"} <= set(run.scores.columns) or not run.systems:
        return None
    systems = system_order(run)
    ncols = min(len(systems), 4)
    nrows = math.ceil(len(systems) / ncols)
    fig = _figure(1.2 + 2.5 * ncols, 0.7 + 2.3 * nrows)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
    dens_all = _finite(run.scores.column("density"))
    top = max(float(dens_all.max()) if dens_all.size else 1.0, 2.0) * 1.3
    for k, s in enumerate(systems):
        ax = axes[k // ncols][k % ncols]
        cov = run.scores.values(s, "coverage")
        den = run.scores.values(s, "density")
        ok = np.isfinite(cov) & np.isfinite(den)
        c = colour(run.systems.index(s))
        drawn_cov, drawn_den = scatter_sample(run, cov[ok], den[ok])  # a seeded sample; median and n: all
        ax.scatter(drawn_cov, drawn_den, s=14, color=c, alpha=0.5, edgecolors="none")
        if ok.any():
            ax.plot(np.median(cov[ok]), np.median(den[ok]), marker="+", color="black", markersize=11, mew=1.6)
        ax.set_title(_text(s, 32), fontsize=9.5)
        ax.set_yscale("symlog", linthresh=1.0)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
        ax.set_xlim(-0.03, 1.03)
        ax.set_ylim(0, top)
        ax.text(0.03, 0.95, f"n={int(ok.sum())}", transform=ax.transAxes, fontsize=8, va="top", color="#444")
    for k in range(len(systems), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    for k in range(len(systems)):
        if k + ncols >= len(systems):  # the lowest panel of its column: label the x axis
            ax = axes[k // ncols][k % ncols]
            ax.tick_params(labelbottom=True)
            ax.set_xlabel("coverage (share of words)")
    for row in axes:
        row[0].set_ylabel("density (words)")
    fig.suptitle("Extractive fragment coverage vs. density per document (+: median)", fontsize=11)
    return _save(fig, out_dir, "coverage_density")


@_with_style
def plot_significance(run: Run, out_dir: Path) -> dict[str, Path] | None:
    """Pairwise tests per metric: a cell is blue when the row system is significantly
    better than the column system, vermillion when worse, grey when the test cannot
    tell them apart (at the run's confidence); the number is the Holm-adjusted permutation
    p-value, the one every verdict shows."""
    if not run.comparisons:
        return None
    tested = {c.metric for c in run.comparisons}
    metrics = [m for m in run.metrics if m in tested] + sorted(tested - set(run.metrics))
    systems = [s for s in system_order(run) if any(s in (c.a, c.b) for c in run.comparisons)]
    n = len(systems)
    if n < 2:
        return None
    idx = {s: i for i, s in enumerate(systems)}
    ncols = 2 if len(metrics) == 4 else min(len(metrics), 3)
    nrows = math.ceil(len(metrics) / ncols)
    cell = 0.42 if n <= 8 else 0.3
    side = 1.0 + cell * n
    fig = _figure(1.4 + (side + 1.0) * ncols, 1.0 + (side + 1.0) * nrows)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    better, worse, same, diag = "#0072B2", "#D55E00", "#e6e6e6", "#ffffff"
    cmap = ListedColormap([worse, same, better, diag])
    for k, metric in enumerate(metrics):
        ax = axes[k // ncols][k % ncols]
        grid = np.full((n, n), 1.0)
        pvals = np.full((n, n), np.nan)
        np.fill_diagonal(grid, 3.0)
        for c in run.comparisons:
            if c.metric != metric or c.a not in idx or c.b not in idx:
                continue
            i, j = idx[c.a], idx[c.b]
            sig = is_significant(c, run.confidence)
            val = 1.0 if not sig or not math.isfinite(c.diff) or c.diff == 0 else (2.0 if c.diff > 0 else 0.0)
            grid[i, j], grid[j, i] = val, 2.0 - val
            pvals[i, j] = pvals[j, i] = c.p_permutation_holm
        ax.imshow(grid, cmap=cmap, vmin=-0.5, vmax=3.5, aspect="auto")
        ax.set_xticks(np.arange(n), [_text(s, 18) for s in systems], rotation=40, ha="right", rotation_mode="anchor")
        ax.set_yticks(np.arange(n), [_text(s, 18) for s in systems])
        # white lines between the cells: one collection per direction, not a grid of minor ticks
        # (the same pixels, without a tick and its label for every line)
        ax.grid(False)
        edges = np.arange(-0.5, n)
        ax.vlines(edges, -0.5, n - 0.5, colors="white", linewidth=1.5, zorder=0.5, capstyle="projecting")
        ax.hlines(edges, -0.5, n - 0.5, colors="white", linewidth=1.5, zorder=0.5, capstyle="projecting")
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(n - 0.5, -0.5)
        for sp in ax.spines.values():
            sp.set_visible(False)
        if n <= 10:
            for i in range(n):
                for j in range(n):
                    if i != j and np.isfinite(pvals[i, j]):
                        p = pvals[i, j]
                        txt = "<.001" if p < 0.001 else f"{p:.3f}" if p < 0.01 else f"{p:.2f}"
                        ax.text(
                            j,
                            i,
                            txt,
                            ha="center",
                            va="center",
                            fontsize=7.5,
                            color="white" if grid[i, j] in (0.0, 2.0) else "#333",
                        )
        ax.set_title(metric_label(metric))
        ax.set_xlabel("column system")
        if k % ncols == 0:
            ax.set_ylabel("row system")
    for k in range(len(metrics), nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    fig.legend(
        handles=[
            Patch(color=better, label="row significantly better"),
            Patch(color=worse, label="row significantly worse"),
            Patch(color=same, label="not distinguishable"),
        ],
        loc="outside lower center",
        ncols=3,
        fontsize=8.5,
    )
    fig.suptitle(f"Pairwise significance at {run.confidence:.0%} (cell text: Holm-adjusted p)", fontsize=11)
    return _save(fig, out_dir, "significance")


#: Figure name -> function, in report order.
FIGURES: dict[str, Callable[..., dict[str, Path] | None]] = {
    "rouge_means": plot_rouge_means,
    "significance": plot_significance,
    "lengths": plot_lengths,
    "rouge_vs_length": plot_rouge_vs_length,
    "coverage_density": plot_coverage_density,
}


#: Figures a forked helper process draws while this process draws the others (see
#: :func:`render_figures`): about half of the drawing time of a typical run.
_HELPER_FIGURES = ("coverage_density", "rouge_means")


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
        if helper is not None:
            got = helper.join()
            for name in _HELPER_FIGURES:
                drawn[name] = got[name] if got is not None and name in got else FIGURES[name](run, out_dir) is not None
    finally:
        if helper is not None:
            helper.kill()  # only does something when leaving early (an error, Ctrl-C)
    return {name: _paths(out_dir, name) for name in FIGURES if drawn.get(name)}


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
