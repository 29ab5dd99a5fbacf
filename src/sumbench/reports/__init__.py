"""Reports rendered from a run folder alone.

>>> paths = render_report("runs/my-suite")        # doctest: +SKIP
>>> paths["html"], paths["markdown"]               # doctest: +SKIP

``render_report`` writes ``report.md``, ``report.html`` and ``figures/*.png|svg``
into the run folder (or ``out_dir``); ``compare_runs`` writes a comparison of two
run folders.
"""

from __future__ import annotations

from pathlib import Path

from sumbench.runfolder import Run, RunFolderError, ScoreTable, load_run

from .compare import compare_runs
from .html import render_html, write_html
from .markdown import render_markdown, write_markdown
from .plots import render_figures

__all__ = [
    "Run",
    "RunFolderError",
    "ScoreTable",
    "compare_runs",
    "load_run",
    "render_figures",
    "render_html",
    "render_markdown",
    "render_report",
]


def render_report(run_dir: str | Path, out_dir: str | Path | None = None) -> dict[str, Path]:
    """Write report.md, report.html and figures/ for the run folder ``run_dir``.

    ``out_dir`` defaults to the run folder itself.  Returns ``{"markdown": ..,
    "html": .., "figures/<name>.png": .., "figures/<name>.svg": .., ...}``.
    Raises :class:`RunFolderError` if the run folder is missing or malformed.
    """
    run = load_run(run_dir)
    out = Path(out_dir) if out_dir is not None else run.path
    out.mkdir(parents=True, exist_ok=True)
    figures = render_figures(run, out / "figures")
    paths: dict[str, Path] = {
        "markdown": write_markdown(run, out, figures),
        "html": write_html(run, out, figures),
    }
    for name, files in figures.items():
        for kind, path in files.items():
            paths[f"figures/{name}.{kind}"] = path
    return paths
