"""Reports rendered from a run folder alone.

>>> paths = render_report("runs/my-suite")        # doctest: +SKIP
>>> paths["html"], paths["markdown"]               # doctest: +SKIP

``render_report`` writes ``report.md``, ``report.html``, ``leaderboard.csv``, ``leaderboard.tex``,
``figures/*.png|svg`` and, for a meta-evaluated run, ``meta_eval.csv``
into the run folder (or ``out_dir``); ``compare_runs`` writes a comparison of two
run folders.

Reports do not grow with the corpus: past ``max_documents`` the drill-down embeds each
system's best and worst document and a seeded sample, and only those documents' texts
and summaries are ever held (the other numbers come from the columnar scores and from
length counts taken while the texts stream by); scatter figures draw a seeded sample
of their points.
"""

from __future__ import annotations

from pathlib import Path

from sumbench.runfolder import Run, RunFolderError, ScoreTable, load_run

from .compare import compare_runs
from .findings import leaderboard_csv, leaderboard_latex
from .html import render_html, write_html
from .markdown import render_markdown, write_markdown
from .meta import meta_csv
from .model import DRILL_DOWN_DOCUMENTS, drill_down_documents
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


def render_report(
    run_dir: str | Path, out_dir: str | Path | None = None, *, max_documents: int = DRILL_DOWN_DOCUMENTS
) -> dict[str, Path]:
    """Write report.md, report.html and figures/ (and meta_eval.csv when the run has meta_eval.json) for the
    run folder ``run_dir``.

    ``out_dir`` defaults to the run folder itself.  Returns ``{"markdown": ..,
    "html": .., "figures/<name>.png": .., "figures/<name>.svg": .., ...}`` (and
    ``"meta_eval_csv"``).
    Raises :class:`RunFolderError` if the run folder is missing or malformed.

    ``max_documents``: the drill-down's budget. A run with more documents embeds only each
    system's best and worst document (primary metric) and a seeded sample (the manifest's
    seed) up to the budget, in corpus order, and both reports say so; only those documents'
    texts and summaries are read into memory.
    """
    if max_documents < 0:
        raise ValueError(f"max_documents should be 0 or more, got {max_documents}")
    run = load_run(run_dir, keep_documents=lambda skeleton: drill_down_documents(skeleton, max_documents))
    out = Path(out_dir) if out_dir is not None else run.path
    out.mkdir(parents=True, exist_ok=True)
    figures = render_figures(run, out / "figures")
    paths: dict[str, Path] = {
        "markdown": write_markdown(run, out, figures),
        "html": write_html(run, out, figures),
        "leaderboard_csv": out / "leaderboard.csv",
        "leaderboard_tex": out / "leaderboard.tex",
    }
    paths["leaderboard_csv"].write_text(leaderboard_csv(run), encoding="utf-8")
    paths["leaderboard_tex"].write_text(leaderboard_latex(run), encoding="utf-8")
    if run.meta_eval is not None:
        paths["meta_eval_csv"] = out / "meta_eval.csv"
        paths["meta_eval_csv"].write_text(meta_csv(run.meta_eval), encoding="utf-8")
    for name, files in figures.items():
        for kind, path in files.items():
            paths[f"figures/{name}.{kind}"] = path
    return paths
