"""A GitHub-renderable Markdown report of a run (``report.md``).

Every string that comes from the corpus, the suite or a summarizer (labels, ids,
titles, errors, warnings, verdicts) goes through :func:`md_escape`, which turns HTML
specials into entities and backslash-escapes Markdown syntax, so it shows as text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sumbench.runfolder import Run

from . import model
from .common import scatter_note
from .verdicts import CLOSE_P

__all__ = ["figure_caption", "md_escape", "render_markdown", "write_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#!])")
MAX_CLOSE_CALLS = 40
MAX_FAILURES = 100

FIGURE_CAPTIONS = {
    "rouge_means": "ROUGE F per system with confidence intervals",
    "significance": "Pairwise significance per metric",
    "lengths": "Summary length distributions vs. references",
    "rouge_vs_length": "ROUGE vs. summary length per document",
    "coverage_density": "Extractive coverage vs. density (Grusky et al. 2018)",
}


#: The scatter figures: their (x, y) metrics; None stands for the run's primary metric.
SCATTER_FIGURES: dict[str, tuple[str, str | None]] = {
    "rouge_vs_length": ("words", None),
    "coverage_density": ("coverage", "density"),
}
#: What a sampled scatter figure still computes on every point.
_SCATTER_ALL = {"rouge_vs_length": "the lines fit every point", "coverage_density": "medians and n count every point"}


def sample_note(run: Run, name: str) -> str | None:
    """For a scatter figure that draws a sample of its points: how many, and what still uses them all."""
    if name not in SCATTER_FIGURES:
        return None
    x, y = SCATTER_FIGURES[name]
    note = scatter_note(run, x, y if y is not None else run.primary_metric)
    return f"{note}; {_SCATTER_ALL[name]}" if note else None


def figure_caption(run: Run, name: str) -> str:
    """A figure's caption, saying when it draws a seeded sample of its points."""
    caption = FIGURE_CAPTIONS.get(name, name)
    note = sample_note(run, name)
    return f"{caption}; {note}" if note else caption


def md_escape(text: Any, limit: int | None = None) -> str:
    """Make ``text`` literal in GitHub Markdown (tables included): one line,
    ``& < >`` as entities, Markdown punctuation backslash-escaped."""
    s = " ".join(str(text).split())
    if limit is not None and len(s) > limit:
        s = s[: limit - 1] + "…"
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", s)


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], align: Sequence[str] | None = None) -> list[str]:
    align = align or ["l"] + ["r"] * (len(head) - 1)
    sep = ["---:" if a == "r" else ":---" if a == "l" else ":---:" for a in align]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def _figure(lines: list[str], run: Run, figures: Mapping[str, Any], name: str) -> None:
    if name in figures:
        note = sample_note(run, name)
        lines += [
            "",
            f"![{FIGURE_CAPTIONS.get(name, name)}](figures/{name}.png)",
            f"<sub>[SVG](figures/{name}.svg)" + (f" · {note}" if note else "") + "</sub>",
        ]


def render_markdown(run: Run, figures: Mapping[str, Any] | None = None) -> str:
    """The report as Markdown text.  ``figures``: names of the figures drawn under
    ``figures/`` (as from :func:`~sumbench.reports.plots.render_figures`)."""
    figures = figures or {}
    h = model.header(run)
    lines: list[str] = [f"# sumbench report: {md_escape(h['suite'])}", ""]
    corpus = f"{md_escape(h['corpus_name'])}: {h['documents']} documents, {h['refs_per_doc']} references per document"
    if h["corpus_source"]:
        corpus += f" (source {md_escape(h['corpus_source'])})"
    info = [
        ("Suite", md_escape(h["suite"]) + (f" ({md_escape(h['suite_path'])})" if h["suite_path"] else "")),
        ("Corpus", corpus),
        ("Corpus fingerprint", md_escape(h["corpus_fingerprint"] or "–")),
        ("Created", md_escape(h["created"])),
        ("Seed", md_escape(h["seed"])),
        ("ROUGE", md_escape(h["rouge_signature"])),
        (
            "Confidence",
            f"{h['confidence']} bootstrap CI"
            + (f", {h['bootstrap_samples']} resamples" if h["bootstrap_samples"] else ""),
        ),
        ("Versions", md_escape(h["versions"] or "–")),
        ("Cache", md_escape(h["cache"])),
        ("Failures", f"{h['failures']} ([details](#failures))" if h["failures"] else "0"),
    ]
    lines += _table(["", ""], [[f"**{k}**", v] for k, v in info], ["l", "l"])
    if h["warnings"]:
        lines += ["", "**Warnings**", ""] + [f"- {md_escape(w)}" for w in h["warnings"]]

    # leaderboard
    lb = model.leaderboard(run)
    lines += ["", "## Leaderboard", ""]
    if lb["rows"] and lb["metrics"]:
        lines += [
            f"Mean ROUGE F x100 with {h['confidence']} confidence interval, ranked by {h['primary_label']}. "
            "**Bold**: best in the column; † not significantly different from the best.",
            "",
        ]
        head = ["#", "System"] + lb["labels"] + ["docs", f"best / worst doc ({h['primary_label']})"]
        rows = []
        for r in lb["rows"]:
            cells = []
            for c in r["cells"]:
                t = f"**{c['text']}**" if c["best"] else c["text"] + (" †" if c["tied"] else "")
                cells.append(f"{t} {c['ci']}".strip())
            bw = "–"
            if r["best"]:
                bw = (
                    f"{md_escape(r['best']['doc_id'], 40)} ({r['best']['text']}) / "
                    f"{md_escape(r['worst']['doc_id'], 40)} ({r['worst']['text']})"
                )
            docs = str(r["docs"]) + (f" ({r['failures']} failed)" if r["failures"] else "")
            rows.append([str(r["rank"]), md_escape(r["system"])] + cells + [docs, bw])
        lines += _table(head, rows, ["r", "l"] + ["r"] * len(lb["metrics"]) + ["r", "l"])
    else:
        lines.append("_No scores in this run._")
    _figure(lines, run, figures, "rouge_means")

    # against the baseline
    against = model.baseline_verdicts(run)
    if against:
        lines += ["", f"## Against the baseline ({md_escape(against['baseline'])})", ""]
        lines += [f"- {md_escape(r['verdict'])}" for r in against["rows"]] or ["_No pairwise tests in this run._"]

    # significance
    lines += ["", "## Significance", ""]
    calls = model.close_calls(run)
    if not run.comparisons:
        lines.append("_No pairwise tests in this run._")
    elif calls:
        lines += [
            f"Close calls: pairs the tests cannot separate at {h['confidence']}, or only barely "
            f"(Holm-adjusted p ≥ {CLOSE_P:g}).",
            "",
        ]
        lines += [f"- {md_escape(c['verdict'])}" for c in calls[:MAX_CLOSE_CALLS]]
        if len(calls) > MAX_CLOSE_CALLS:
            lines.append(f"- … and {len(calls) - MAX_CLOSE_CALLS} more (see significance.json)")
    else:
        lines.append("Every tested pair differs significantly.")
    _figure(lines, run, figures, "significance")

    # lengths
    lt = model.length_table(run)
    lines += ["", "## Length", ""]
    if lt["metrics"]:
        lines += ["Means per summary; the references row measures the reference summaries the same way.", ""]
        lines += _table(
            ["System"] + lt["labels"],
            [
                [("_references_" if r["reference"] else md_escape(r["system"]))] + [c["text"] for c in r["cells"]]
                for r in lt["rows"]
            ],
        )
    _figure(lines, run, figures, "lengths")
    _figure(lines, run, figures, "rouge_vs_length")

    # extractiveness
    et = model.extractiveness_table(run)
    lines += ["", "## Extractiveness", ""]
    if et["metrics"]:
        lines += [
            "Grusky et al. (2018) extractive fragments: coverage (share of summary words inside a fragment "
            "copied from the article), density (mean squared fragment length per summary word), fragment "
            "compression (article words per summary word); novel n-grams: share of summary n-grams absent "
            "from the article; repeated n-grams: share repeating earlier ones in the summary. Means per system.",
            "",
        ]
        lines += _table(
            ["System"] + et["labels"], [[md_escape(r["system"])] + [c["text"] for c in r["cells"]] for r in et["rows"]]
        )
    else:
        lines.append("_No extractiveness columns in scores.csv._")
    _figure(lines, run, figures, "coverage_density")

    # failures
    lines += ["", "## Failures", ""]
    if run.failures:
        rows = [
            [md_escape(f.doc_id or "–", 60), md_escape(f.system or "–"), md_escape(f.stage), md_escape(f.error, 200)]
            for f in run.failures[:MAX_FAILURES]
        ]
        lines += _table(["Document", "System", "Stage", "Error"], rows, ["l", "l", "l", "l"])
        if len(run.failures) > MAX_FAILURES:
            lines += ["", f"… and {len(run.failures) - MAX_FAILURES} more in failures.jsonl."]
    else:
        lines.append("No failures.")
    drill_down = model.drill_down_note(run)
    if drill_down:
        lines += ["", "## Documents", "", drill_down]
    lines += [
        "",
        "---",
        "",
        "<sub>Generated by sumbench from this run folder; report.html has the per-document drill-down.</sub>",
        "",
    ]
    return "\n".join(lines)


def write_markdown(run: Run, out_dir: str | Path, figures: Mapping[str, Any] | None = None) -> Path:
    path = Path(out_dir) / "report.md"
    path.write_text(render_markdown(run, figures), encoding="utf-8")
    return path
