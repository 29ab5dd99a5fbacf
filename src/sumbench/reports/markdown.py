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

from . import findings, meta, model
from .common import scatter_note

__all__ = ["figure_caption", "md_escape", "render_markdown", "write_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#!])")
MAX_CLOSE_CALLS = 40
#: Up to this many contestants, report.md shows the head-to-head matrix (report.html always does).
MAX_H2H_MATRIX = 8
MAX_FAILURES = 100
#: The leaderboard's note when no document was scored for every system.
NO_COMMON_LEADERBOARD = (
    "**Not a ranking:** no document was scored for every system, so each row is the mean over that system's "
    "own documents (docs column), without an interval or a test, and rows are not comparable with each other "
    "(ordered by the primary metric only to list them)."
)

FIGURE_CAPTIONS = {
    "rouge_means": "Mean ROUGE F (x100) of each ranked system with its bootstrap confidence interval, one panel per "
    "metric; the baseline is the black diamond, the upper and lower bounds the dashed and dotted reference lines",
    "forest": "Each system's difference from the baseline on the primary metric with its Holm-adjusted interval "
    "(unadjusted for older run folders), best first; filled marks are significant (blue better, vermillion worse), "
    "hollow grey ones cannot be told apart",
    "significance": "Pairwise tests of the ranked systems (bounds left out); columns are numbered by rank like the "
    "rows, and the title says which metrics are drawn and whether cells print p",
    "groups": "Mean primary metric of each ranked system per document group, over the group's documents that every "
    "system with scores in the group was scored on (n per group shown); past six groups, a table coloured by the mean",
    "lengths": "Summary length distributions per system vs. the references; ranked systems first, then the bounds",
    "rouge_vs_length": "Primary metric vs. summary length, one panel per system on shared axes: its documents "
    "(baseline black, bounds grey), every other system's in faint grey behind them, its least-squares line and "
    "the references' mean length (dashed)",
    "coverage_density": "Extractive coverage vs. density per document, one panel per system (Grusky et al. 2018); "
    "+: median",
    "meta_scatter": "Each judged system's mean human score (x) against its mean score on the first compared metric "
    "(y), a panel per human dimension, each point labelled with its system; the panel title gives the system-level "
    "correlation with its interval",
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


def _run_facts(run: Run) -> list[str]:
    """The run's metadata table (suite, corpus, settings, versions), shown at the end."""
    h = model.header(run)
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
        ("Tests", md_escape(h.get("tests_note") or "–")),
        ("Versions", md_escape(h["versions"] or "–")),
        ("Cache", md_escape(h["cache"])),
        *([("Meta-evaluation", md_escape(run.meta_eval.signature))] if run.meta_eval is not None else []),
        ("Failures", f"{h['failures']} ([details](#failures))" if h["failures"] else "0"),
    ]
    return _table(["", ""], [[f"**{k}**", v] for k, v in info], ["l", "l"])


def _meta_table(rows: Sequence[Mapping[str, Any]], dimensions: Sequence[str]) -> list[str]:
    body = []
    for r in rows:
        cells = []
        for c in r["cells"]:
            text = f"**{c['text']}**" if c["excludes_zero"] else c["text"]
            if c["ci"]:
                text += f" ({c['ci']})"
            if c["skipped"]:
                text += f" n={c['n']}"
            cells.append(text)
        body.append([md_escape(r["label"])] + cells)
    return _table(["Metric"] + [md_escape(d) for d in dimensions], body)


def _meta_section(lines: list[str], run: Run, figures: Mapping[str, Any]) -> None:
    """ "Which metrics agree with people" (:func:`.meta.meta_section`), when the run was meta-evaluated."""
    sec = meta.meta_section(run)
    if sec is None:
        return
    lines += ["", "## Which metrics agree with people", ""]
    lines += [md_escape(sec["source"]), "", md_escape(sec["matching"]), ""]
    if sec["caution"]:
        lines += [f"**Caution:** {md_escape(sec['caution'])}", ""]
    lines += [f"- {md_escape(lv['line'])}" for lv in sec["levels"]]
    if sec["sentences"]:
        lines += [""] + [f"- {md_escape(s['text'])}" for s in sec["sentences"]]
    if sec["error_note"]:
        lines += ["", md_escape(sec["error_note"])]
    for t in sec["tables"]:
        lines += ["", f"### {t['name']} ({sec['coefficient_label']})", ""]
        lines += [
            f"{sec['coefficient_long']} with its {sec['confidence']} interval; **bold**: the "
            "interval excludes 0"
            + ("; n: documents that count, where some were left out." if t["level"] == "summary" else "."),
            "",
        ]
        lines += _meta_table(t["rows"], sec["dimensions"])
        if t["others"]:
            lines += ["", f"All other metrics ({t['name'].lower()}):", ""]
            lines += _meta_table(t["others"], sec["dimensions"])
    det = sec["detectors"]
    if det:
        lines += ["", f"### Detecting errors ({md_escape(det['label'])})", ""]
        if det["facts_sentence"]:
            lines += [md_escape(det["facts_sentence"]), ""]
        lines += [md_escape(det["direction"] + (" " + det["strongest"] if det["strongest"] else "")), ""]
        head = ["Metric", "ROC AUC (higher value = error)", "reads as", "point-biserial r", "n (errors)"]

        def rows(items: Sequence[Mapping[str, Any]]) -> list[list[str]]:
            return [
                [
                    md_escape(r["label"]),
                    f"{r['auc_text']} ({r['auc_ci']})",
                    r["reads"],
                    f"{r['pb_text']} ({r['pb_ci']})",
                    r["n_text"],
                ]
                for r in items
            ]

        lines += _table(head, rows(det["rows"]), ["l", "r", "l", "r", "r"])
        if det["others"]:
            lines += ["", "All other metrics:", ""]
            lines += _table(head, rows(det["others"]), ["l", "r", "l", "r", "r"])
    _figure(lines, run, figures, "meta_scatter")
    lines += ["", "<sub>Every correlation is also in [meta\\_eval.csv](meta_eval.csv).</sub>"]


def _role_mark(role: str) -> str:
    return "" if role == "candidate" else f" _({role})_"


def render_markdown(run: Run, figures: Mapping[str, Any] | None = None) -> str:
    """The report as Markdown text.  ``figures``: names of the figures drawn under
    ``figures/`` (as from :func:`~sumbench.reports.plots.render_figures`)."""
    figures = figures or {}
    h = model.header(run)
    lines: list[str] = [f"# sumbench report: {md_escape(h['suite'])}", ""]
    lines.append(
        f"{h['systems']} systems on {md_escape(h['corpus_name'])} ({h['documents']} documents, "
        f"{h['refs_per_doc']} references per document); primary metric {h['primary_label']}."
    )

    # the answer
    found = findings.answer(run)
    lines += ["", "## Answer", "", md_escape(found["text"])]
    if found["cautions"]:
        lines += [""] + [f"- {md_escape(c)}" for c in found["cautions"]]
    if h["warnings"]:
        lines += ["", "**Warnings**", ""] + [f"- {md_escape(w)}" for w in h["warnings"]]

    # leaderboard
    lb = model.leaderboard(run)
    lines += ["", "## Leaderboard", ""]
    if (lb["rows"] or lb["bounds"]) and lb["metrics"]:
        if lb["common"] or len(lb["rows"]) + len(lb["bounds"]) < 2:
            lines += [
                f"Mean ROUGE F x100 with {h['confidence']} confidence interval over the {lb['common']:,} documents "
                f"every system completed, ranked by {h['primary_label']}. **Bold**: best candidate in the column; "
                "† statistically tied with it. Baselines are ranked and marked; bounds are reference points "
                "below the ranking.",
                "",
            ]
        else:
            lines += [NO_COMMON_LEADERBOARD, ""]
        head = ["#", "System"] + lb["labels"] + ["docs", "flags", f"best / worst doc ({h['primary_label']})"]
        rows = []
        for r in lb["rows"] + lb["bounds"]:
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
            if r["own"]:
                own = next((c for c in r["own"] if c is not None and c["metric"] == lb["primary_metric"]), None)
                if own is not None:
                    docs += f"; own docs {own['text']}"
            rank = str(r["rank"]) if r["rank"] is not None else "–"
            name = md_escape(r["system"]) + _role_mark(r["role"])
            flags = md_escape("; ".join(r["flags"])) if r["flags"] else ""
            rows.append([rank, name] + cells + [docs, flags, bw])
        lines += _table(head, rows, ["r", "l"] + ["r"] * len(lb["metrics"]) + ["r", "l", "l"])
        lines += [
            "",
            "<sub>Also as [leaderboard.csv](leaderboard.csv) and [leaderboard.tex](leaderboard.tex) (LaTeX, booktabs)."
            + "</sub>",
        ]
    else:
        lines.append("_No scores in this run._")
    _figure(lines, run, figures, "rouge_means")
    _figure(lines, run, figures, "forest")

    # head to head
    h2h = findings.head_to_head(run)
    if h2h:
        lines += ["", "## Head to head", ""]
        lines += [
            f"{h2h['label']} on the {h2h['documents']:,} common documents: wins–ties–losses of the row system "
            f"against the column system, per document. The verdicts below quote the {h2h['interval']}.",
            "",
        ]
        if len(h2h["systems"]) <= MAX_H2H_MATRIX:
            head = [""] + [md_escape(s) for s in h2h["systems"]]
            rows = [
                [md_escape(a)]
                + [
                    "·" if cell is None else cell["text"] + (" ▲" if cell["better"] else " ▼" if cell["worse"] else "")
                    for cell in row
                ]
                for a, row in zip(h2h["systems"], h2h["matrix"])
            ]
            lines += _table(head, rows, ["l"] + ["c"] * len(h2h["systems"]))
            lines += ["", "▲ significantly better, ▼ significantly worse (row against column)."]
        else:
            lines.append(f"_{len(h2h['systems'])} systems: the matrix is in report.html; the pairs with the baseline:_")
    against = model.baseline_verdicts(run)
    if against:
        lines += ["", f"### Against the baseline ({md_escape(against['baseline'])})", ""]
        lines += [f"- {md_escape(r['verdict'])}" for r in against["rows"]] or ["_No pairwise tests in this run._"]

    # groups
    gr = findings.groups(run)
    if gr:
        lines += ["", f"## By group ({md_escape(gr['field'])})", ""]
        lines += [
            f"Mean {gr['label']} x100 per group over "
            + (
                "the documents every system with scores in the group completed (–: none in the group)"
                if gr["partial"]
                else "the common documents"
            )
            + "; **bold**: the group's best candidate.",
            "",
        ]
        head = ["System"] + [f"{md_escape(g['name'])} ({g['documents']})" for g in gr["groups"]]
        rows = []
        for k, system in enumerate(gr["systems"]):
            role = gr["groups"][0]["rows"][k]["role"] if gr["groups"] else "candidate"
            cells = []
            for g in gr["groups"]:
                cell = g["rows"][k]
                cells.append((f"**{cell['text']}**" if cell["best"] else cell["text"]) + f" {cell['ci']}")
            rows.append([md_escape(system) + _role_mark(role)] + cells)
        lines += _table(head, rows)
        _figure(lines, run, figures, "groups")

    _meta_section(lines, run, figures)

    # junk and length
    q = findings.quality(run)
    lines += ["", "## Length and junk", ""]
    lines += [
        f"Length is part of the answer: longer summaries earn ROUGE recall. Mean words per summary, the mean "
        f"ratio to the reference length (flagged beyond {q['length_ratio']:g}x either way), {q['label']} x100 per "
        "10 summary words"
        + (
            f", and {q['matched_label']} (every summary cut to its reference length, as ROUGE-1.5.5's -l)"
            if q["has_matched"]
            else ""
        )
        + ". Junk summaries (empty, whitespace or punctuation only) are scored 0.",
        "",
    ]
    head = ["System", "words", "x reference", f"{q['label']} per 10 words", q["label"]]
    if q["has_matched"]:
        head.append(str(q["matched_label"]))
    head.append("flags")
    rows = []
    for r in q["rows"]:
        cells = [
            md_escape(r["system"]) + _role_mark(r["role"]),
            r["words_text"],
            r["ratio_text"],
            r["per_words_text"],
            r["score_text"],
        ]
        if q["has_matched"]:
            cells.append(r["matched_text"])
        cells.append(md_escape("; ".join(r["flags"])) if r["flags"] else "")
        rows.append(cells)
    lines += _table(head, rows)
    if q["empty_references"]:
        lines += ["", f"{q['empty_references']} empty or punctuation-only references were dropped."]

    # lengths
    lt = model.length_table(run)
    if lt["metrics"]:
        lines += [
            "",
            "Length statistics per summary; the references row measures the reference summaries the same way.",
            "",
        ]
        lines += _table(
            ["System"] + lt["labels"],
            [
                [("_references_" if r["reference"] else md_escape(r["system"]))] + [c["text"] for c in r["cells"]]
                for r in lt["rows"]
            ],
        )
    _figure(lines, run, figures, "lengths")
    _figure(lines, run, figures, "rouge_vs_length")

    # fact checks
    fc = findings.fact_checks(run)
    if fc:
        lines += ["", "## Fact checks", ""]
        lines += [
            md_escape(fc["explanation"]) + f" Per system, {md_escape(fc['where'])}: the mean share of a summary's "
            "numbers, names, quotes and dates that the article does not contain (n: the summaries that state any), and "
            "the summaries with at least one unsupported fact.",
            "",
        ]
        head = ["System"] + list(fc["kinds"]) + ["with an unsupported fact", "facts per summary"]
        rows = [
            [md_escape(r["system"]) + _role_mark(r["role"])]
            + [f"{c['text']} (n={c['n']:,})" for c in r["kinds"]]
            + [r["flagged_text"], r["checked_text"]]
            for r in fc["rows"]
        ]
        lines += _table(head, rows)

    # accounting
    acc = findings.accounting(run)
    if acc:
        lines += ["", "## Tokens, latency, cost and answers", ""]
        lines += [
            f"Per summarizer that reports its usage, over the {acc['documents']} common documents: mean tokens, "
            "request latency (median / 95th percentile, retries included), cost per 1,000 summaries from the "
            "suite's prices, and the answer rate (not refusals, empty or cut off at max_tokens).",
            "",
        ]
        lines += _table(
            [
                "System",
                "prompt tokens",
                "completion tokens",
                "latency p50 / p95",
                "cost / 1,000",
                "answer rate",
                "not answers",
            ],
            [
                [
                    md_escape(r["system"]),
                    r["text"]["prompt_tokens"],
                    r["text"]["completion_tokens"],
                    r["text"]["latency"],
                    md_escape(r["text"]["cost"]),
                    r["text"]["answer_rate"],
                    md_escape(r["text"]["kinds"]),
                ]
                for r in acc["rows"]
            ],
        )

    # samples
    spread = findings.sampling(run)
    if spread:
        lines += ["", "## Sampling noise", ""]
        lines += [
            "Systems summarize each document several times; their scores are the means over the samples, and "
            "the tests resample documents (samples are repeated measures of one document).",
            "",
        ]
        lines += [f"- {md_escape(r['text'])}" for r in spread["rows"]]

    # significance
    lines += ["", "## Significance", ""]
    calls = model.close_calls(run)
    if not run.comparisons or not any(c.tested for c in run.comparisons):
        if not h.get("tests_note"):
            lines.append("_No pairwise tests in this run._")
    elif calls:
        lines += [
            f"Statistical ties: pairs the tests cannot separate at {h['confidence']} (Holm-adjusted).",
            "",
        ]
        lines += [f"- {md_escape(c['verdict'])}" for c in calls[:MAX_CLOSE_CALLS]]
        if len(calls) > MAX_CLOSE_CALLS:
            lines.append(f"- … and {len(calls) - MAX_CLOSE_CALLS} more (see significance.json)")
    else:
        lines.append("Every tested pair differs significantly.")
    if h.get("tests_note"):
        lines += ["", md_escape(h["tests_note"])]
    _figure(lines, run, figures, "significance")

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
    lines += ["", "## Run", ""] + _run_facts(run)
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
