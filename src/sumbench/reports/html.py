"""The self-contained HTML report of a run (``report.html``).

One file, no network: CSS and the little JavaScript (sortable tables; the drill-down's search, sort
and filter; open-on-anchor) are inline and the figures are PNG data URIs. The page is rendered by
jinja2 with autoescaping on; corpus and summarizer strings reach the template only as plain text
(highlighting is a list of ``(text, marked)`` segments that the template escapes and wraps in
``<mark>``; :func:`labelled` escapes a sentence and wraps the system and metric labels in it in
unbreakable spans), and nothing of theirs is ever marked safe.

The page, top to bottom: the verdict (``_answer.html.j2``), the leaderboard, the baseline, head to
head (``_head_to_head.html.j2``), groups (``_groups.html.j2``), significance, length, quality flags
(``_quality.html.j2``), extractiveness, the documents (``_documents.html.j2``), failures, and the run's
facts. Partials that do not exist are skipped; the navigation lists the sections that rendered.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from sumbench.runfolder import Run

from . import drilldown, findings, meta, model
from .common import fmt, metric_label
from .markdown import figure_caption

__all__ = ["context", "data_uri", "environment", "labeller", "leaderboard_view", "render_html", "write_html"]

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
    env.filters["nav_entry"] = _nav_entry
    return env


def _sortval(x: Any) -> str:
    """A number for the table sorter (``data-v``), or empty for missing values."""
    if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x):
        return repr(float(x))
    return ""


_SECTION = re.compile(r"<section\b[^>]*?\bid=\"([^\"]+)\"", re.S)
_H2 = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.S)


def _nav_entry(html: Markup | str) -> tuple[str, str] | None:
    """``(id, heading)`` of the first ``<section id>`` of a rendered partial (its ``<h2>`` as plain
    text), for the navigation; None when it renders no section."""
    section = _SECTION.search(str(html))
    if section is None:
        return None
    heading = _H2.search(str(html), section.end())
    title = Markup(heading.group(1)).striptags() if heading else section.group(1).replace("-", " ").capitalize()
    return section.group(1), title


def data_uri(path: Path, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


# --- labels that never break ------------------------------------------------------------------------
def labeller(labels: Iterable[str]) -> Callable[[Any], Markup]:
    """A function that escapes a sentence and wraps each of ``labels`` in it (system and metric names,
    longest first, whole words only) in ``<span class="lbl">``, which never breaks across lines."""
    names = sorted({x for x in labels if x and x.strip()}, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(x) for x in names) + r")(?![\w-])") if names else None

    def labelled(text: Any) -> Markup:
        s = "" if text is None else str(text)
        if pattern is None:
            return escape(s)
        out, pos = [], 0
        for m in pattern.finditer(s):
            out.append(escape(s[pos : m.start()]))
            out.append(Markup('<span class="lbl">%s</span>') % m.group(0))
            pos = m.end()
        out.append(escape(s[pos:]))
        return Markup("").join(out)

    return labelled


# --- the leaderboard, whatever version of model.leaderboard made it ---------------------------------
def _view_row(run: Run, row: Mapping[str, Any], order: Sequence[int], bound: bool) -> dict[str, Any]:
    system = str(row.get("system", ""))
    cells = list(row.get("cells") or [])
    own = row.get("own")
    role = row.get("role") or run.role(system)
    docs = row.get("docs")
    coverage = row.get("coverage")
    partial = row.get("partial")
    if partial is None:
        partial = coverage is not None and coverage < 1
    return {
        "rank": None if bound else row.get("rank"),
        "system": system,
        "short": row.get("short") or system,
        "role": role,
        "cells": [cells[k] for k in order if k < len(cells)],
        "own": [own[k] for k in order if k < len(own)] if own else None,
        "docs": docs,
        "coverage": coverage,
        "partial": bool(partial),
        "failures": row.get("failures") or 0,
        "best": row.get("best"),
        "worst": row.get("worst"),
        "flags": [str(f) for f in row.get("flags") or ()],
    }


def leaderboard_view(run: Run, lb: Mapping[str, Any]) -> dict[str, Any]:
    """:func:`model.leaderboard` as the template shows it: the primary metric's column first, and
    every key a row may lack filled in (``short`` the full label, ``role`` the run's, no flags)."""
    metrics = list(lb.get("metrics") or [])
    labels = list(lb.get("labels") or [metric_label(m) for m in metrics])
    primary = lb.get("primary_metric", run.primary_metric)
    order = list(range(len(metrics)))
    if primary in metrics:
        first = metrics.index(primary)
        order = [first, *(k for k in order if k != first)]
    rows = [_view_row(run, r, order, False) for r in lb.get("rows") or []]
    bounds = [_view_row(run, r, order, True) for r in lb.get("bounds") or []]
    documents = lb.get("documents")
    return {
        "metrics": [metrics[k] for k in order],
        "labels": [labels[k] for k in order],
        "primary_metric": primary,
        "rows": rows,
        "bounds": bounds,
        "common": lb.get("common"),
        "documents": documents if documents is not None else run.document_count,
        "any_partial": any(r["partial"] for r in rows + bounds),
        "any_flags": any(r["flags"] for r in rows + bounds),
    }


def context(run: Run, figures: Mapping[str, Mapping[str, Path]] | None = None) -> dict[str, Any]:
    """Everything the template shows, as plain data: one dict; a new section adds its key here."""
    figures = figures or {}
    anchors = drilldown.anchor_ids([d.id for d in run.documents])
    # a scored or failed document missing from documents.jsonl gets no anchor: links are dropped
    calls = model.close_calls(run)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for c in calls:
        grouped.setdefault(c["label"], []).append(c)
    lb = leaderboard_view(run, model.leaderboard(run))
    # each document's summary cards in leaderboard order (ranked, then bounds, then any others)
    card_systems = list(dict.fromkeys([*(r["system"] for r in lb["rows"] + lb["bounds"]), *run.systems]))
    docs = drilldown.drill_down(run, anchors, card_systems)
    short = {r["system"]: r["short"] for r in lb["rows"] + lb["bounds"]}
    return {
        "h": model.header(run),
        # the lead's sections (_answer, _head_to_head, _groups, _quality partials)
        "answer": findings.answer(run),
        "h2h": findings.head_to_head(run),
        "groups_data": findings.groups(run),
        "quality": findings.quality(run),
        "accounting": findings.accounting(run),
        "sampling": findings.sampling(run),
        "meta": meta.meta_section(run),
        "facts": findings.fact_checks(run),
        "meta_signature": run.meta_eval.signature if run.meta_eval is not None else None,
        "lb": lb,
        "anchors": anchors,
        "figures": {
            name: {"uri": data_uri(p["png"]), "svg": Path(p["svg"]).name, "caption": figure_caption(run, name)}
            for name, p in figures.items()
        },
        "calls": grouped,
        "against": model.baseline_verdicts(run),
        "n_calls": len(calls),
        "n_tests": len(run.comparisons),
        "n_tested": sum(1 for c in run.comparisons if c.tested),
        "lengths": model.length_table(run),
        "extractive": model.extractiveness_table(run),
        "docs": docs,
        "card_index": {s: k for k, s in enumerate(card_systems)},
        "doc_systems": [{"system": s, "short": short.get(s, s), "role": run.role(s)} for s in card_systems],
        "score_label": drilldown.score_label(run),
        "drill_down": drilldown.drill_down_note(run),
        "drill_down_total": run.document_count,
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
        "labelled": labeller([*run.systems, *(metric_label(m) for m in run.metrics)]),
    }


def render_html(run: Run, figures: Mapping[str, Mapping[str, Path]] | None = None) -> str:
    """The report page as a string.  ``figures`` as from
    :func:`~sumbench.reports.plots.render_figures` (PNG files are embedded)."""
    return environment().get_template("report.html.j2").render(**context(run, figures))


def write_html(run: Run, out_dir: str | Path, figures: Mapping[str, Mapping[str, Path]] | None = None) -> Path:
    path = Path(out_dir) / "report.html"
    path.write_text(render_html(run, figures), encoding="utf-8")
    return path
