"""The self-contained HTML report of a run (``report.html``).

One file, no network: CSS and the little JavaScript (sortable tables, document
search, open-on-anchor) are inline and the figures are PNG data URIs.  The page is
rendered by jinja2 with autoescaping on; corpus and summarizer strings reach the
template only as plain text (highlighting is a list of ``(text, marked)`` segments
that the template escapes and wraps in ``<mark>``), and nothing of theirs is ever
marked safe.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from sumbench.runfolder import Run
from sumbench.text import words

from . import model
from .common import fmt, metric_label
from .markdown import figure_caption
from .verdicts import CLOSE_P

__all__ = ["environment", "render_html", "write_html", "data_uri"]

TEMPLATES = Path(__file__).with_name("templates")
#: Rows of the failures table; failures.jsonl has the rest.
MAX_FAILURES = 1000


def environment() -> jinja2.Environment:
    """The jinja2 environment of the report templates (autoescape on everywhere)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt
    env.filters["metric_label"] = metric_label
    env.filters["sortval"] = _sortval
    return env


def _sortval(x: Any) -> str:
    """A number for the table sorter (``data-v``), or empty for missing values."""
    if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x):
        return repr(float(x))
    return ""


def data_uri(path: Path, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


def _documents(run: Run, anchors: Mapping[str, str]) -> list[dict[str, Any]]:
    """The drill-down: every document the run holds the text of (see ``render_report``'s budget)."""
    pm = run.primary_metric
    systems = list(run.systems)
    shown = {d.id for d in run.documents}
    row_of = {(d, s): k for k, (d, s) in enumerate(zip(run.scores.doc_ids, run.scores.systems)) if d in shown}
    score_column = run.scores.columns.get(pm) if pm else None
    words_column = run.scores.columns.get("words")
    failed = {(f.doc_id, f.system): f for f in run.failures}
    docs = []
    for d in run.documents:
        grams = model.reference_ngrams(d.references)
        cards: list[dict[str, Any]] = []
        for s in systems:
            summary = run.summary(d.id, s)
            row = row_of.get((d.id, s))
            score = float(score_column[row]) if row is not None and score_column is not None else math.nan
            cards.append(
                {
                    "system": s,
                    "segments": model.highlight(summary.text, grams) if summary else None,
                    "cached": bool(summary and summary.cached),
                    "score": score,
                    "score_text": fmt(pm, score) if pm else "–",
                    "words": float(words_column[row]) if row is not None and words_column is not None else None,
                    "failure": failed.get((d.id, s)),
                }
            )
        finite = [c for c in cards if math.isfinite(c["score"])]
        top = max(finite, key=lambda c: c["score"]) if finite else None
        docs.append(
            {
                "id": d.id,
                "anchor": anchors[d.id],
                "title": d.title,
                "search": f"{d.id} {d.title or ''}".lower(),
                "article": model.highlight(d.text, grams),
                "article_words": len(words(d.text)),
                "references": [model.highlight(r, set()) for r in d.references],
                "cards": cards,
                "top": top,
                "n_failed": sum(1 for c in cards if c["failure"]),
            }
        )
    return docs


def context(run: Run, figures: Mapping[str, Mapping[str, Path]] | None = None) -> dict[str, Any]:
    """Everything the template shows, as plain data."""
    figures = figures or {}
    anchors = model.anchor_ids([d.id for d in run.documents])
    # a scored or failed document missing from documents.jsonl gets no anchor: links are dropped
    calls = model.close_calls(run)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for c in calls:
        grouped.setdefault(c["label"], []).append(c)
    return {
        "h": model.header(run),
        "lb": model.leaderboard(run),
        "anchors": anchors,
        "figures": {
            name: {"uri": data_uri(p["png"]), "svg": Path(p["svg"]).name, "caption": figure_caption(run, name)}
            for name, p in figures.items()
        },
        "calls": grouped,
        "close_p": CLOSE_P,
        "against": model.baseline_verdicts(run),
        "n_calls": len(calls),
        "n_tests": len(run.comparisons),
        "lengths": model.length_table(run),
        "extractive": model.extractiveness_table(run),
        "docs": _documents(run, anchors),
        "drill_down": model.drill_down_note(run),
        "failures": [
            {
                "doc_id": f.doc_id,
                "system": f.system,
                "stage": f.stage,
                "error": f.error,
                "anchor": anchors.get(f.doc_id) if f.doc_id is not None else None,
            }
            for f in run.failures[:MAX_FAILURES]
        ],
        "more_failures": max(len(run.failures) - MAX_FAILURES, 0),
        "systems": list(run.systems),
    }


def render_html(run: Run, figures: Mapping[str, Mapping[str, Path]] | None = None) -> str:
    """The report page as a string.  ``figures`` as from
    :func:`~sumbench.reports.plots.render_figures` (PNG files are embedded)."""
    return environment().get_template("report.html.j2").render(**context(run, figures))


def write_html(run: Run, out_dir: str | Path, figures: Mapping[str, Mapping[str, Path]] | None = None) -> Path:
    path = Path(out_dir) / "report.html"
    path.write_text(render_html(run, figures), encoding="utf-8")
    return path
