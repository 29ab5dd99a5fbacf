"""The report of a meta-evaluated run ("Which metrics agree with people"), the fact checks in the report
and the drill-down, and a run in which no document was summarized by every system."""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import re
from html import unescape

import pytest

from _runfolder import METRICS, ODD_SYSTEM, synthetic_run, write_run
from sumbench.records import DocumentScores
from sumbench.reports import findings, load_run, plots, render_report
from sumbench.reports.common import metric_label
from sumbench.reports.markdown import render_markdown
from sumbench.reports.meta import (
    META_CSV_COLUMNS,
    corr_text,
    diff_text,
    interval_text,
    is_error_metric,
    meta_csv,
    meta_section,
    p_text,
)
from sumbench.runfolder import CorrelationEntry, DetectorEntry, MetaEvaluation, MetricTest
from sumbench.scoring.aggregate import aggregate, score_matrices, significance
from sumbench.scoring.base import MetricItem
from sumbench.scoring.facts import FACT_COLUMNS, FactChecks

SUITE = """
name = "summeval-meta-quick"
seed = 0
[corpus]
source = "cnndm-summeval"
[scoring]
rouge_types = ["rouge1", "rouge2", "rougeL"]
[[metrics]]
use = "facts"
[meta_eval]
judgments = "summeval"
samples = 200
"""


@pytest.fixture(scope="module")
def meta_run(tmp_path_factory):
    """The summeval-meta-quick run (16 judged systems x 100 documents, ROUGE and the fact checks,
    correlated with SummEval's judgments), rendered."""
    from sumbench.runner import run_suite
    from sumbench.suite import load_suite

    base = tmp_path_factory.mktemp("meta")
    (base / "meta.toml").write_text(SUITE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SUMBENCH_CACHE_DIR", str(base / "cache"))
        patch.setenv("MPLBACKEND", "Agg")
        result = run_suite(load_suite(base / "meta.toml"), out_dir=base / "run", cache_path=base / "c", render=False)
        paths = render_report(result.run_dir)
    return result.run_dir, paths


# --- parsing the sentences back ----------------------------------------------------------------------------
_NUM = r"[−\-]?\d+\.\d+"
_HEAD = re.compile(
    rf"^Against (?P<dim>\S+) \((?P<level>\w+) level, Kendall τ\), (?P<label>.+?) agrees best with people "
    rf"\((?P<v>{_NUM}), 95% CI (?P<lo>{_NUM})(?:–| to )(?P<hi>{_NUM})"
    r"(?:, (?P<n>[\d,]+) of (?P<tot>[\d,]+) documents)?\)"
)
_BETTER = re.compile(r"(?P<label>[^,;]+?) \(difference (?P<d>[+−]\d+\.\d+), Holm-adjusted p = (?P<p>[^)]+)\)")
_SAME = re.compile(r"not distinguishable from (?!none)(?P<names>[^;.]+)")
_ERROR = re.compile(
    r"(?:^|\. )(?:Against [^,]+, )?(?P<label>[^.;,]+?) counts errors, "
    rf"so agreement is a negative correlation: (?P<v>{_NUM}) "
    rf"\(95% CI (?P<lo>{_NUM})(?:–| to )(?P<hi>{_NUM})(?:, (?P<n>[\d,]+) of (?P<tot>[\d,]+) documents)?\)"
    r"(?P<tail>[^.]*)\."
)


def _labels(data: dict) -> dict[str, str]:
    negated = set(data.get("negated", ()))
    return {metric_label(m) + (" (negated)" if m in negated else ""): m for m in data["metrics"]}


def _split_names(text: str) -> list[str]:
    return [x.strip() for x in re.split(r",| and ", text) if x.strip()]


def check_sentence(text: str, data: dict) -> dict[str, int]:
    """Every number of one ranking sentence against ``meta_eval.json`` (``data``): the correlations are the
    file's correlation entries, the differences and p-values its tests, and the words match the numbers.
    Returns how many numbers of each kind were checked."""
    labels = _labels(data)
    alpha = 1 - data["confidence"]
    corr = {(c["metric"], c["dimension"], c["level"], c["coefficient"]): c for c in data["correlations"]}
    checked = {"correlations": 0, "tests": 0, "same": 0}
    head = _HEAD.match(text)
    assert head, text
    dim, level, best = head["dim"], head["level"], labels[head["label"]]
    e = corr[(best, dim, level, "kendall")]
    assert (head["v"], head["lo"], head["hi"]) == (corr_text(e["value"]), corr_text(e["low"]), corr_text(e["high"]))
    if head["n"]:
        assert int(head["n"].replace(",", "")) == e["n_units"]
        assert int(head["tot"].replace(",", "")) == e["n_units"] + e["n_skipped"]
    none = e["low"] <= 0 <= e["high"]
    assert ("but its agreement is not distinguishable from none" in text.split(". ")[0]) is none
    checked["correlations"] += 1
    # the best is the best of the compared quality metrics
    negated = set(data.get("negated", ()))
    quality = [m for m in data["compared"] if not is_error_metric(m) or m in negated]
    values = {m: corr[(m, dim, level, "kendall")]["value"] for m in quality}
    assert values[best] == max(v for v in values.values() if v is not None)

    def test_of(other: str) -> dict:
        found = [
            t
            for t in data["tests"]
            if (t["dimension"], t["level"], t["coefficient"], t["method"]) == (dim, level, "kendall", data["test"])
            and {t["a"], t["b"]} == {best, other}
        ]
        assert len(found) == 1
        return found[0]

    first = text.split(". ")[0] if ". " in text else text
    for m in _BETTER.finditer(first):
        other = labels[re.sub(r"^(it correlates significantly better than|and)\s+", "", m["label"].strip())]
        t = test_of(other)
        assert t["a"] == best and t["p_adjusted"] < alpha
        assert m["d"] == diff_text(t["difference"]) and m["p"] == p_text(t["p_adjusted"])
        checked["tests"] += 1
    same = _SAME.search(first.split(", but its agreement")[-1])
    if same:
        for name in _split_names(same["names"]):
            assert test_of(labels[name])["p_adjusted"] >= alpha
            checked["same"] += 1
    for m in _ERROR.finditer(text):
        metric = labels[m["label"]]
        assert is_error_metric(metric)
        e = corr[(metric, dim, level, "kendall")]
        assert (m["v"], m["lo"], m["hi"]) == (corr_text(e["value"]), corr_text(e["low"]), corr_text(e["high"]))
        assert ("not distinguishable from none" in m["tail"]) is (e["low"] <= 0 <= e["high"])
        checked["correlations"] += 1
    return checked


def _md_sentences(md: str) -> list[str]:
    section = md.split("## Which metrics agree with people", 1)[1].split("\n## ", 1)[0]
    lines = [line[2:] for line in section.splitlines() if line.startswith("- Against ")]
    return [unescape(re.sub(r"\\(.)", r"\1", line)) for line in lines]


# --- the real run ------------------------------------------------------------------------------------------
def test_the_section_is_in_both_reports(meta_run):
    run_dir, paths = meta_run
    md = paths["markdown"].read_text(encoding="utf-8")
    html = paths["html"].read_text(encoding="utf-8")
    data = json.loads((run_dir / "meta_eval.json").read_text())
    assert "## Which metrics agree with people" in md and '<section id="meta-eval">' in html
    assert '<a href="#meta-eval">Which metrics agree with people</a>' in html
    # after the leaderboard and head to head, before the drill-down
    assert md.index("## Leaderboard") < md.index("## Which metrics") < md.index("## Significance")
    assert html.index('id="head-to-head"') < html.index('id="meta-eval"') < html.index('id="documents"')
    for text in (md, unescape(html)):
        assert "Summary level: for each document" in text and "16 systems' mean scores" in text
        assert "all 1,600 judged summaries pooled" in text
        assert data["fingerprint"] in text and "200 resamples of documents and systems" in text
        assert "1,600 judged summaries matched" in text
    assert unescape(data["signature"]) in unescape(html) and re.sub(r"\\(.)", r"\1", md).count(data["signature"]) == 1
    for level in ("summary", "system", "global"):
        assert f'id="meta-{level}"' in html and f'id="meta-{level}-all"' in html
    # the compared metrics first, every other metric folded
    table = html.split('id="meta-summary"', 1)[1].split("</table>", 1)[0]
    assert [unescape(x) for x in re.findall(r'<th class="sys l" scope="row" title="([^"]+)"', table)] == data[
        "compared"
    ]
    assert "figures/meta_scatter.png" in md and "meta_scatter" in paths["html"].read_text()
    assert paths["meta_eval_csv"] == run_dir / "meta_eval.csv"


def test_the_sentences_quote_meta_eval_json(meta_run):
    run_dir, paths = meta_run
    data = json.loads((run_dir / "meta_eval.json").read_text())
    sentences = _md_sentences(paths["markdown"].read_text(encoding="utf-8"))
    assert len(sentences) == 2 * len(data["dimensions"])  # summary and system level per dimension
    counts = {"correlations": 0, "tests": 0, "same": 0}
    for s in sentences:
        for k, v in check_sentence(s, data).items():
            counts[k] += v
    # each sentence quotes its best metric's correlation and a test against every other compared metric (the
    # negated fact-check count competes like the rest)
    others = len(data["compared"]) - 1
    assert counts["correlations"] == len(sentences) and counts["tests"] + counts["same"] == others * len(sentences)
    # the HTML says the same sentences
    html = unescape(re.sub(r"<[^>]+>", "", paths["html"].read_text(encoding="utf-8")))
    for s in sentences:
        assert s in html


def test_meta_eval_csv_has_every_correlation(meta_run):
    run_dir, _ = meta_run
    meta = load_run(run_dir, keep_documents=()).meta_eval
    assert meta is not None
    with open(run_dir / "meta_eval.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == META_CSV_COLUMNS and len(rows) == len(meta.correlations)
    for row, c in zip(rows, meta.correlations):
        assert (row["metric"], row["dimension"], row["level"], row["coefficient"]) == (
            c.metric,
            c.dimension,
            c.level,
            c.coefficient,
        )
        for key in ("value", "low", "high"):
            value = getattr(c, key)
            assert (float(row[key]) == value) if math.isfinite(value) else row[key] == ""
        assert (int(row["n_units"]), int(row["n_skipped"])) == (c.n_units, c.n_skipped)


def test_the_fact_checks_table_and_the_drill_down_of_the_real_run(meta_run):
    run_dir, paths = meta_run
    md, html = paths["markdown"].read_text(encoding="utf-8"), paths["html"].read_text(encoding="utf-8")
    assert "## Fact checks" in md and 'id="facts-table"' in html
    assert "found by rules, no model" in md
    run = load_run(run_dir, keep_documents=())
    fc = findings.fact_checks(run)
    assert fc is not None and len(fc["rows"]) == 16
    for r in fc["rows"]:
        values = run.scores.values(r["system"], "unsupported_facts")
        assert r["flagged"] == int((values > 0).sum()) and r["summaries"] == 100
    # every unsupported fact of the drill-down is underlined, with what it is
    assert html.count('class="unsup" title="not in the article: ') > 0
    assert "Wavy underline" in html


def test_the_meta_scatter_figure_follows_the_conventions(meta_run):
    from test_figures_scale import _readability_problems, _texts

    run = load_run(meta_run[0], keep_documents=())
    fig = plots.draw_figure(run, "meta_scatter")
    assert fig is not None and plots.COLOUR_ENCODES["meta_scatter"] == "role"
    assert _readability_problems(fig) == []
    shown = [t.get_text() for t in _texts(fig)]
    for system in run.meta_eval.systems:
        assert system in shown  # every point named by its label, never by a colour
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    meta = run.meta_eval
    for dimension, title in zip(meta.dimensions, titles):
        e = meta.correlation(meta.compared[0], dimension, "system", "kendall")
        assert title == f"{dimension}: τ = {corr_text(e.value)} [{interval_text(e.low, e.high)}]"
    points = [line for ax in fig.axes for line in ax.get_lines() if line.get_marker() not in ("None", "", None)]
    assert {line.get_color() for line in points} == {plots.ROLE_COLOURS["candidate"]}  # colour: the role
    assert sum(len(line.get_xdata()) for line in points) == len(meta.dimensions) * len(meta.systems)
    assert (
        plots.draw_figure(load_run(write_run(meta_run[0].parent / "plain"), keep_documents=()), "meta_scatter") is None
    )


# --- hand-made meta-evaluations ----------------------------------------------------------------------------
def _meta(**changes) -> MetaEvaluation:
    dims = ("relevance",)
    corrs = []
    values = {"rouge1_f": (0.22, 0.14, 0.30), "rouge2_f": (0.16, 0.08, 0.25), "rougeL_f": (0.19, -0.02, 0.27)}
    values["unsupported_facts"] = (-0.31, -0.45, -0.12)
    for level in ("summary", "system"):
        for m, (v, lo, hi) in values.items():
            corrs.append(CorrelationEntry(m, "relevance", level, "kendall", v, lo, hi, 12 if level == "summary" else 3))
    tests = []
    for level in ("summary", "system"):
        tests += [
            MetricTest("relevance", level, "kendall", "rouge1_f", "rouge2_f", 0.06, 0.01, 0.11, 0.004, 0.012,
                       "bootstrap", 1000),
            MetricTest("relevance", level, "kendall", "rouge1_f", "rougeL_f", 0.03, -0.02, 0.08, 0.2, 0.4,
                       "bootstrap", 1000),
            MetricTest("relevance", level, "kendall", "rougeL_f", "rouge2_f", 0.03, -0.02, 0.08, 0.3, 0.4,
                       "bootstrap", 1000),
            MetricTest("relevance", level, "kendall", "rouge1_f", "unsupported_facts", 0.53, 0.3, 0.7, 0.001, 0.003,
                       "bootstrap", 1000),
        ]  # fmt: skip
    base = dict(
        judgments="hand-made",
        fingerprint="abc123",
        signature="meta-eval:v1|judgments:hand-made@abc123",
        dimensions=dims,
        metrics=("rouge1_f", "rouge2_f", "rougeL_f", "unsupported_facts"),
        compared=("rouge1_f", "rouge2_f", "rougeL_f", "unsupported_facts"),
        levels=("summary", "system"),
        coefficients=("kendall",),
        resample="both",
        test="bootstrap",
        samples=1000,
        confidence=0.95,
        seed=0,
        systems=("lead", "textrank", ODD_SYSTEM),
        documents=12,
        matched=35,
        unmatched=1,
        correlations=tuple(corrs),
        tests=tuple(tests),
        system_means={
            "lead": {"rouge1_f": 0.4, "relevance": 3.5},
            "textrank": {"rouge1_f": 0.35, "relevance": 3.1},
            ODD_SYSTEM: {"rouge1_f": 0.2, "relevance": 2.0},
        },
    )
    base.update(changes)
    return MetaEvaluation(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def plain_run(tmp_path_factory):
    return load_run(write_run(tmp_path_factory.mktemp("plain") / "run"))


def test_a_significant_difference_is_quoted_with_its_test(plain_run):
    meta = _meta()
    run = dataclasses.replace(plain_run, meta_eval=meta)
    sec = meta_section(run)
    assert sec is not None
    first = sec["sentences"][0]["text"]
    assert first.startswith(
        "Against relevance (summary level, Kendall τ), ROUGE-1 F agrees best with people (0.22, 95% CI 0.14–0.30); "
        "it correlates significantly better than ROUGE-2 F (difference +0.06, Holm-adjusted p = 0.012) and is not "
        "distinguishable from ROUGE-L F."
    )
    # the error count is quoted apart, never by its (signed) test against a quality metric
    assert (
        "unsupported facts counts errors, so agreement is a negative correlation: −0.31 (95% CI −0.45 to −0.12)"
        in first
    )
    assert ": it agrees with people." in first and "0.53" not in first
    data = meta.to_json()
    for s in sec["sentences"]:
        counts = check_sentence(s["text"], data)
        assert counts == {"correlations": 2, "tests": 1, "same": 1}
    # what the sentence quotes is what it was built from
    assert sec["sentences"][0]["tests"][0] is meta.tests[0]
    # a best metric whose interval includes 0 is not distinguishable from none
    weak = _meta(
        correlations=tuple(
            dataclasses.replace(c, low=-0.05) if c.metric == "rouge1_f" else c for c in meta.correlations
        )
    )
    text = meta_section(dataclasses.replace(plain_run, meta_eval=weak))["sentences"][0]["text"]
    assert "(0.22, 95% CI −0.05 to 0.30), but its agreement is not distinguishable from none;" in text
    check_sentence(text, weak.to_json())


def test_numbers_are_formatted_one_way():
    assert corr_text(0.2249) == "0.22" and corr_text(-0.004) == "0.00" and corr_text(-0.31) == "−0.31"
    assert interval_text(0.08, 0.23) == "0.08–0.23" and interval_text(-0.04, 0.31) == "−0.04 to 0.31"
    assert interval_text(-0.003, 0.2) == "0.00–0.20"  # as shown, no minus: a dash
    assert diff_text(0.06) == "+0.06" and diff_text(-0.061) == "−0.06"
    assert p_text(0.0123) == "0.012" and p_text(0.0004) == "< 0.001" and p_text(1.0) == "1"
    assert corr_text(math.nan) == "–" and interval_text(math.nan, 1.0) == "no interval"


def _detector(metric, auc, lo, hi, pb=(0.1, 0.05, 0.15)) -> DetectorEntry:
    return DetectorEntry(metric, "Factuality", 1.0, auc, lo, hi, *pb, 500, 210)


@pytest.mark.parametrize(
    ("auc", "lo", "hi", "verdict"),
    [
        (0.62, 0.58, 0.66, "better than chance, but a weak detector."),
        (0.84, 0.80, 0.88, "a good detector."),
        (0.52, 0.47, 0.57, "not distinguishable from chance."),
        (0.40, 0.35, 0.45, "below chance, so summaries with more unsupported facts"),
    ],
)
def test_the_detector_sentence_says_what_the_auc_means(plain_run, auc, lo, hi, verdict):
    meta = _meta(
        dimensions=("Factuality",),
        correlations=(),
        tests=(),
        detectors=(
            _detector("rouge2_f", 0.35, 0.31, 0.39, (-0.2, -0.25, -0.15)),
            _detector("unsupported_facts", auc, lo, hi),
            _detector("rouge1_f", 0.49, 0.44, 0.54),
        ),
    )
    det = meta_section(dataclasses.replace(plain_run, meta_eval=meta))["detectors"]
    sentence = det["facts_sentence"]
    assert f"ROC AUC {corr_text(auc)} (95% CI {interval_text(lo, hi)}), where 0.5 is chance and 1 perfect" in sentence
    assert "over 500 summaries (210 with an error)" in sentence and verdict in sentence
    assert "Factuality below 1" in sentence
    # best first by the distance from chance, whichever way the metric reads
    rows = det["rows"]
    assert [r["metric"] for r in rows] == sorted(
        ["rouge2_f", "unsupported_facts", "rouge1_f"],
        key=lambda m: -abs({"rouge2_f": 0.35, "rouge1_f": 0.49}.get(m, auc) - 0.5),
    )
    reads = {r["metric"]: r["reads"] for r in rows}
    assert reads["rouge2_f"] == "lower = error" and reads["rouge1_f"] == "chance"
    assert "higher value = error" in det["direction"] and "below 0.5" in det["direction"]
    md = render_markdown(dataclasses.replace(plain_run, meta_eval=meta))
    assert "### Detecting errors (Factuality below 1)" in md
    assert "| ROUGE-2 F | 0.35 (0.31–0.39) | lower = error | −0.20 (−0.25 to −0.15) | 500 (210 errors) |" in md


def test_meta_csv_of_a_hand_made_evaluation():
    meta = _meta(correlations=(CorrelationEntry("rouge1_f", "relevance", "system", "kendall", math.nan, math.nan,
                                                math.nan, 3, 0),))  # fmt: skip
    assert meta_csv(meta).splitlines() == [",".join(META_CSV_COLUMNS), "rouge1_f,relevance,system,kendall,,,,3,0"]


# --- runs without a meta-evaluation render as before --------------------------------------------------------
def test_a_run_without_meta_eval_has_no_section(tmp_path):
    run_dir = write_run(tmp_path / "run")
    paths = render_report(run_dir)
    md, html = paths["markdown"].read_text(encoding="utf-8"), paths["html"].read_text(encoding="utf-8")
    for text in (md, html):
        assert "Which metrics agree with people" not in text and "meta_eval.csv" not in text
        assert "Fact checks" not in text and "Wavy underline" not in text and "Meta-evaluation" not in text
    assert 'class="unsup"' not in html and 'id="meta-eval"' not in html
    assert "meta_eval_csv" not in paths and not (run_dir / "meta_eval.csv").exists()
    assert not any("meta_scatter" in k for k in paths)


# --- fact checks in a constructed run ------------------------------------------------------------------------
def _with_facts(syn, doc_id: str, system: str, summary: str):
    """``syn`` with ``system``'s summary of ``doc_id`` replaced and every summary fact-checked."""
    docs = {d.id: d for d in syn.documents}
    summaries = tuple(
        dataclasses.replace(s, text=summary) if (s.doc_id, s.system) == (doc_id, system) else s for s in syn.summaries
    )
    checker = FactChecks()
    texts = {(s.doc_id, s.system): s.text for s in summaries}
    scores = []
    for sc in syn.scores:
        text = texts[(sc.doc_id, sc.system)]
        item = MetricItem(sc.doc_id, sc.system, text, docs[sc.doc_id].references, docs[sc.doc_id].text)
        facts = checker.score_batch([item])[0]
        scores.append(DocumentScores(sc.doc_id, sc.system, {**sc.values, **facts}))
    suite = {**syn.manifest.suite, "metrics": [{"use": "facts", "params": {}}]}
    manifest = dataclasses.replace(syn.manifest, metrics=(*METRICS, *FACT_COLUMNS), suite=suite)
    return dataclasses.replace(syn, summaries=summaries, scores=tuple(scores), manifest=manifest)


def test_the_drill_down_underlines_an_unsupported_number(tmp_path):
    syn = synthetic_run()
    doc = syn.documents[0]
    invented = "Officials said 7,300 workers joined the strike."
    original = next(s.text for s in syn.summaries if (s.doc_id, s.system) == (doc.id, "textrank"))
    assert "7,300" not in doc.text and "7300" not in doc.text
    run_dir = _with_facts(syn, doc.id, "textrank", original + " " + invented).write(tmp_path / "run")
    paths = render_report(run_dir)
    html = paths["html"].read_text(encoding="utf-8")
    section = html.split(f'id="doc-{doc.id}"', 1)[1].split("</details>\n", 1)[0]
    cards = re.findall(r'<div class="card sum"[^>]*>(.*?)</div>', section, re.S)
    names = [unescape(re.search(r'title="([^"]+)"', c).group(1)) for c in cards]
    textrank = cards[names.index("textrank")]
    assert '<span class="unsup" title="not in the article: number 7,300">7,300</span>' in textrank
    assert "1 fact not in the article" in textrank
    # the underlined text is still the summary, word for word
    shown = unescape(re.sub(r'<span class="vh">[^<]*</span>|<[^>]+>', "", textrank.split('<p class="text">', 1)[1]
                            .split("</p>", 1)[0]))  # fmt: skip
    assert shown == original + " " + invented
    assert "not in the article" not in cards[names.index("lead")]
    assert "Wavy underline" in html and 'id="facts-table"' in html
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "## Fact checks" in md
    assert re.search(r"^\| textrank \| [\d.]+% \(n=\d+\) \|.*\| 1 of 11 \| [\d.]+ \|$", md, re.M)
    assert re.search(r"^\| lead \|.*\| 0 of 11 \| [\d.]+ \|$", md, re.M)


# --- a run in which no document was summarized by every system ------------------------------------------------
def test_a_run_without_common_documents_renders_and_ranks_nothing(tmp_path):
    syn = synthetic_run()
    half = {d.id for d in syn.documents[:6]}
    groups = tuple(dataclasses.replace(d, group="first" if d.id in half else "second") for d in syn.documents)

    def keep(doc_id: str, system: str) -> bool:
        return (doc_id in half) == (system == "lead")

    summaries = tuple(s for s in syn.summaries if keep(s.doc_id, s.system))
    scores = tuple(s for s in syn.scores if keep(s.doc_id, s.system))
    labels = ["lead", "textrank", ODD_SYSTEM]
    matrices = score_matrices(scores, labels, [d.id for d in groups], METRICS)
    syn = dataclasses.replace(
        syn,
        documents=groups,
        summaries=summaries,
        scores=scores,
        aggregates=tuple(aggregate(matrices, labels, n_samples=200, confidence=0.95, seed=1)),
        comparisons=tuple(significance(matrices, labels, ("rouge2_f",), n_samples=200, confidence=0.95, seed=1)),
        manifest=dataclasses.replace(syn.manifest, suite={**syn.manifest.suite, "corpus": {"group_field": "half"}}),
    )
    run_dir = syn.write(tmp_path / "run")
    paths = render_report(run_dir)
    md, html = paths["markdown"].read_text(encoding="utf-8"), paths["html"].read_text(encoding="utf-8")
    run = load_run(run_dir)
    answer = findings.answer(run)["text"]
    assert answer.startswith("No document was scored for every system") and "not comparable" in answer
    assert "Within each half group the systems share documents" in answer
    assert "Not a ranking" in md and "Not a ranking" in html
    assert "every mean and test uses the 0 documents" not in md and "Every tested pair differs" not in md
    assert "## Head to head" not in md and "figures/rouge_means.png" not in md
    assert "significance" not in {k.split("/")[-1].split(".")[0] for k in paths}
    assert re.search(r"^\| – \| lead ", md, re.M)  # listed, not ranked
    gr = findings.groups(run)
    assert gr is not None and gr["partial"]
    by_name = {g["name"]: g for g in gr["groups"]}
    assert by_name["first"]["documents"] == 6 and by_name["first"]["best"] == "lead"
    assert {r["system"] for r in by_name["second"]["rows"] if r["n"]} == {"textrank", ODD_SYSTEM}
    fig = plots.draw_figure(run, "groups")
    assert fig is not None
    csv_rows = list(csv.DictReader(paths["leaderboard_csv"].read_text().splitlines()))
    assert all(r["rank"] == "" for r in csv_rows)
    assert r"\midrule" in paths["leaderboard_tex"].read_text()
