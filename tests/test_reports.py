"""Reports rendered from a synthetic run folder (tests/_runfolder.py)."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser

import numpy as np
import pytest

from _runfolder import (
    BOLD,
    FAILED,
    HOSTILE_DOC,
    HOSTILE_IMG,
    HOSTILE_SCRIPT,
    HOSTILE_TITLE,
    LARGE_SYSTEMS,
    ODD_DOC,
    ODD_SYSTEM,
    compare_without_minimum,
    synthetic_run,
    write_large_run,
    write_run,
)
from sumbench.reports import RunFolderError, compare_runs, load_run, render_report
from sumbench.reports.common import MAX_SCATTER_POINTS, metric_label, point_sample, scatter_sample
from sumbench.reports.compare import word_diff
from sumbench.reports.markdown import md_escape
from sumbench.reports.model import (
    anchor_ids,
    best_worst,
    close_calls,
    drill_down_documents,
    highlight,
    length_table,
    reference_ngrams,
)
from sumbench.reports.verdicts import is_close_call, is_significant, verdict
from sumbench.runfolder import SCHEMA_VERSION, Comparison, TextLengths, read_scores

HOSTILE = [HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_TITLE, BOLD, ODD_SYSTEM, ODD_DOC]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    run_dir = write_run(tmp_path_factory.mktemp("run") / "a")
    paths = render_report(run_dir)
    return run_dir, paths


class _Page(HTMLParser):
    """Collects ids, links, image sources, scripts and marks of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.tags: list[str] = []
        self.scripts = 0
        self.attrs_seen: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        d = dict(attrs)
        self.attrs_seen.extend(attrs)
        if "id" in d:
            self.ids.append(d["id"])
        if "href" in d:
            self.hrefs.append(d["href"])
        if "src" in d:
            self.srcs.append(d["src"])
        if tag == "script":
            self.scripts += 1


def _page(html: str) -> _Page:
    p = _Page()
    p.feed(html)
    return p


# --- render_report --------------------------------------------------------------------
def test_render_report_writes_everything(rendered):
    run_dir, paths = rendered
    assert paths["markdown"] == run_dir / "report.md" and paths["markdown"].exists()
    assert paths["html"] == run_dir / "report.html" and paths["html"].exists()
    names = {"rouge_means", "significance", "lengths", "rouge_vs_length", "coverage_density"}
    for name in names:
        png, svg = paths[f"figures/{name}.png"], paths[f"figures/{name}.svg"]
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
        assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml") and "<svg" in svg.read_text()


def test_markdown_leaderboard_with_cis_and_figures(rendered):
    run_dir, _ = rendered
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    run = load_run(run_dir)
    assert "## Leaderboard" in md
    header = next(line for line in md.splitlines() if line.startswith("| #"))
    assert "ROUGE-1 F" in header and "ROUGE-2 F" in header and "ROUGE-L F" in header
    agg = run.aggregate("lead", "rouge2_f")
    assert agg is not None
    ci = f"[{agg.ci_low * 100:.2f}, {agg.ci_high * 100:.2f}]"
    lead_row = next(line for line in md.splitlines() if line.startswith("| 1 | lead |"))
    assert f"**{agg.mean * 100:.2f}** {ci}" in lead_row  # lead is best on ROUGE-2: bold
    for name in ("rouge_means", "significance", "lengths", "rouge_vs_length", "coverage_density"):
        assert f"](figures/{name}.png)" in md
        assert (run_dir / "figures" / f"{name}.png").exists()
    # header facts
    for fact in (
        "synthetic-news",
        "12 documents",
        "1.33 references per document",
        "Seed",
        "13",
        "rouge1,2,L",
        "python 3.11.7",
        "Failures",
    ):
        assert fact in md
    assert "## Length" in md and "## Extractiveness" in md and "coverage" in md
    assert "## Against the baseline (lead)" in md and "lead beats textrank on ROUGE-2 F at 95%" in md


def test_markdown_escapes_hostile_strings(rendered):
    run_dir, _ = rendered
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    assert "<script" not in md and "<img" not in md and "<b>" not in md
    assert md_escape(ODD_SYSTEM) in md  # the label, escaped
    assert "## Failures" in md and "TimeoutError" in md and "&lt;on this input&gt;" in md
    assert md_escape("a|b") == "a\\|b"


def test_html_is_self_contained(rendered):
    run_dir, _ = rendered
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    page = _page(html)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "@import" not in html and "url(http" not in html
    assert len(page.srcs) >= 5 and all(s.startswith("data:image/png;base64,") for s in page.srcs)
    for h in page.hrefs:
        assert h.startswith("#") or h.startswith("figures/"), h
    assert page.scripts == 1  # our one inline script, nothing from the corpus
    assert "<style>" in html and '<meta name="viewport"' in html and "@media print" in html


def test_html_escapes_hostile_strings(rendered):
    run_dir, _ = rendered
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    for raw in HOSTILE:
        if any(ch in raw for ch in "<>&"):
            assert raw not in html, raw
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;script&gt;window.__pwned=3&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;window.__pwned=2&#34;&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "tail &lt;&amp;&gt; $x$" in html
    page = _page(html)
    figures = len(list((run_dir / "figures").glob("*.png")))
    assert figures >= 6 and page.tags.count("img") == figures  # the figures, nothing from the corpus
    assert not any(k.startswith("on") for k, _ in page.attrs_seen)


def test_html_has_sections_and_failures(rendered):
    run_dir, _ = rendered
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    page = _page(html)
    for section in (
        "run",
        "leaderboard",
        "significance",
        "length",
        "extractiveness",
        "documents",
        "failures",
        "leaderboard-table",
        "length-table",
        "extractiveness-table",
        "doc-search",
    ):
        assert section in page.ids, section
    assert 'href="#failures"' in html
    failures = html[html.index('<section id="failures">') :]
    assert FAILED[0] in failures and FAILED[1] in failures and "TimeoutError" in failures
    assert "&lt;on this input&gt;" in failures
    assert html.count('<details class="doc"') == 12
    assert "<mark>" in html  # shared bigrams highlighted
    assert "coverage" in html and "novel 2-grams" in html


def test_best_and_worst_links_resolve(rendered):
    run_dir, _ = rendered
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    page = _page(html)
    ids = set(page.ids)
    assert len(ids) == len(page.ids), "duplicate ids"
    links = re.findall(r'<a href="#([^"]+)" class="bw (best|worst)-link">', html)
    assert len(links) == 2 * 3
    for anchor, _kind in links:
        assert anchor in ids and anchor.startswith("doc-")
        assert re.fullmatch(r"[A-Za-z0-9_-]+", anchor)
    for h in page.hrefs:
        if h.startswith("#"):
            assert h[1:] in ids, h
    # lead's best document per rouge2_f is linked
    run = load_run(run_dir)
    vals = run.scores.by_doc("lead", "rouge2_f")
    best = max(vals, key=vals.get)
    assert f'href="#{anchor_ids([d.id for d in run.documents])[best]}" class="bw best-link"' in html


def test_anchor_ids_are_safe_and_unique():
    ids = ["doc-1", "a b", "a-b", "a/b", "<x>", "", "ünï"]
    anchors = anchor_ids(ids)
    assert anchors["doc-1"] == "doc-doc-1"
    assert len(set(anchors.values())) == len(ids)
    assert all(re.fullmatch(r"doc-[A-Za-z0-9_-]+", a) for a in anchors.values())


def test_highlight_segments_rebuild_the_text():
    grams = reference_ngrams(["The market fell sharply on Monday."])
    text = "Officials said <script>x</script> the Market fell, sharply."
    segs = highlight(text, grams)
    assert "".join(t for t, _ in segs) == text
    assert [t for t, m in segs if m] == ["the Market fell, sharply"]


def test_word_diff_marks_changes():
    old, new = word_diff("a b c", "a x c d")
    assert "".join(t for t, _ in old) == "a b c" and "".join(t for t, _ in new) == "a x c d"
    assert ("b", True) in old and ("x", True) in new


# --- compare ----------------------------------------------------------------------------
def test_compare_runs(tmp_path, monkeypatch):
    compare_without_minimum(monkeypatch)  # 11 shared documents: below MIN_DOCUMENTS
    a = write_run(tmp_path / "a")
    b = write_run(tmp_path / "b", variant="b")
    paths = compare_runs(a, b, tmp_path / "cmp")
    md = paths["markdown"].read_text(encoding="utf-8")
    html = paths["html"].read_text(encoding="utf-8")
    # lead got longer in B: words moved, and it is flagged
    moved = md[md.index("## Moved metrics") : md.index("## All shared systems")]
    assert re.search(r"\| lead \| words \| 26\.\d \| 40\.\d \| \*\*\+14\.\d ↑ higher\*\*", moved)
    assert "textrank" not in moved  # identical summaries: nothing moved
    # changed summaries, escaped
    assert "## Changed summaries (11)" in md
    assert "&lt;script&gt;window.\\_\\_pwned=1&lt;/script&gt;" in md
    assert "Changed summaries (11)" in html and "<ins>" in html
    assert HOSTILE_SCRIPT not in html and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    # only in one run
    assert "Systems only in A (1): tail &lt;&amp;&gt; $x$" in md
    assert "Systems only in B (1): lead1" in md
    assert "Documents only in A (1): doc-12" in md
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)


def test_compare_identical_runs_moves_nothing(tmp_path):
    a = write_run(tmp_path / "a")
    paths = compare_runs(a, a, tmp_path / "cmp")
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "No metric moved significantly." in md and "No summary changed." in md


# --- load_run errors --------------------------------------------------------------------
@pytest.fixture
def run_dir(tmp_path):
    return write_run(tmp_path / "run")


def test_load_run_reads_the_contract(run_dir):
    run = load_run(run_dir)
    assert run.systems == ("lead", "textrank", ODD_SYSTEM)
    assert run.primary_metric == "rouge2_f"
    assert len(run.documents) == 12 and len(run.failures) == 1
    assert len(run.scores) == 35  # 3 x 12 minus the failure
    assert run.summary(*FAILED) is None
    doc = run.document(HOSTILE_DOC)
    assert doc is not None and doc.title == HOSTILE_TITLE


@pytest.mark.parametrize(
    "name", ["manifest.json", "documents.jsonl", "summaries.jsonl", "scores.csv", "aggregates.json"]
)
def test_load_run_names_a_missing_file(run_dir, name):
    (run_dir / name).unlink()
    with pytest.raises(RunFolderError, match=re.escape(name)) as err:
        load_run(run_dir)
    assert "missing" in str(err.value)


def test_load_run_names_the_bad_line(run_dir):
    lines = (run_dir / "summaries.jsonl").read_text().splitlines()
    lines[4] = '{"doc_id": "x", "system": "lead", "summary": '
    (run_dir / "summaries.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(RunFolderError, match=r"summaries\.jsonl, line 5: invalid JSON"):
        load_run(run_dir)


def test_load_run_names_a_missing_field(run_dir):
    lines = (run_dir / "documents.jsonl").read_text().splitlines()
    d = json.loads(lines[2])
    del d["references"]
    lines[2] = json.dumps(d)
    (run_dir / "documents.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(RunFolderError, match=r"documents\.jsonl, line 3: missing field 'references'"):
        load_run(run_dir)


def test_load_run_names_a_bad_score(run_dir):
    lines = (run_dir / "scores.csv").read_text().splitlines()
    cells = lines[3].split(",")
    cells[4] = "abc"
    lines[3] = ",".join(cells)
    (run_dir / "scores.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(RunFolderError, match=r"scores\.csv, line 4: column 'rouge1_f': 'abc' is not a number"):
        load_run(run_dir)


def test_load_run_rejects_bad_json_files(run_dir):
    (run_dir / "aggregates.json").write_text('{"not": "a list"}')
    with pytest.raises(RunFolderError, match=r"aggregates\.json: expected a JSON array"):
        load_run(run_dir)
    (run_dir / "aggregates.json").write_text("[")
    with pytest.raises(RunFolderError, match=r"aggregates\.json, line 1: invalid JSON"):
        load_run(run_dir)


def test_load_run_optional_files(run_dir):
    (run_dir / "significance.json").unlink()
    (run_dir / "failures.jsonl").unlink()
    run = load_run(run_dir)
    assert run.comparisons == () and run.failures == ()
    paths = render_report(run_dir)
    assert "figures/significance.png" not in paths
    html = paths["html"].read_text(encoding="utf-8")
    assert "No pairwise tests in this run." in html and "No failures." in html


def test_load_run_not_a_folder(tmp_path):
    with pytest.raises(RunFolderError, match="not a folder"):
        load_run(tmp_path / "nope")


# --- the typed run folder: versions and round trip ------------------------------------------
def test_write_run_then_load_run_gives_equal_records(tmp_path):
    synthetic = synthetic_run()
    run = load_run(synthetic.write(tmp_path / "run"))
    assert run.manifest == synthetic.manifest
    assert run.documents == synthetic.documents and run.summaries == synthetic.summaries
    assert tuple(run.scores.rows()) == synthetic.scores
    assert run.aggregates == synthetic.aggregates
    assert run.comparisons == synthetic.comparisons and run.failures == synthetic.failures


def test_a_newer_schema_is_refused_in_one_line(run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text())
    manifest["schema_version"] = SCHEMA_VERSION + 1
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(RunFolderError, match=rf"manifest\.json: run folder schema {SCHEMA_VERSION + 1}") as err:
        load_run(run_dir)
    assert "\n" not in str(err.value) and "upgrade sumbench" in str(err.value)


def test_a_schema_1_run_folder_still_loads_and_renders(run_dir):
    """sumbench 0.1.0 wrote no schema_version, primary_metric or significance_samples, and its
    significance.json carried verdict sentences and close-call flags but no confidence."""
    manifest = json.loads((run_dir / "manifest.json").read_text())
    for key in ("schema_version", "primary_metric", "text_pipeline", "significance_samples"):
        del manifest[key]
    manifest["confidence"] = 0.9
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    tests = json.loads((run_dir / "significance.json").read_text())
    for t in tests:
        del t["confidence"], t["mean_a"], t["mean_b"]
        t.update(verdict="an old sentence", close_call=False)
    (run_dir / "significance.json").write_text(json.dumps(tests))
    run = load_run(run_dir)
    assert run.primary_metric == "rouge2_f" and run.manifest.significance_samples == 1000
    assert len(run.comparisons) == len(tests) and all(c.confidence == 0.9 for c in run.comparisons)
    assert math.isnan(run.comparisons[0].mean_a)
    md = render_report(run_dir)["markdown"].read_text(encoding="utf-8")
    assert "ranked by ROUGE-2 F" in md and "an old sentence" not in md and " at 90% " in md


# --- the primary metric ----------------------------------------------------------------
def test_reports_rank_by_the_manifests_primary_metric(tmp_path):
    run_dir = write_run(tmp_path / "run", primary="rougeL_f")
    assert load_run(run_dir).primary_metric == "rougeL_f"
    md = render_report(run_dir)["markdown"].read_text(encoding="utf-8")
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "ranked by ROUGE-L F" in md and "best / worst doc (ROUGE-L F)" in md
    assert "ranked by ROUGE-L F" in html and "Score: ROUGE-L F" in html


# --- verdicts and close calls ----------------------------------------------------------
def _comparison(**kw) -> Comparison:
    base = dict(
        metric="rouge2_f",
        a="lead",
        b="textrank",
        mean_a=0.2,
        mean_b=0.1959,
        diff=0.0041,
        diff_low=-0.0020,
        diff_high=0.0102,
        p_bootstrap=0.2,
        p_permutation=0.21,
        p_bootstrap_holm=0.2,
        p_permutation_holm=0.21,
        significant=False,
        n=1000,
        n_samples=1000,
        confidence=0.95,
    )
    base.update(kw)
    return Comparison(**base)


def test_metric_labels():
    assert metric_label("rouge2_f") == "ROUGE-2 F"
    assert metric_label("rougeLsum_r") == "ROUGE-Lsum R"
    assert metric_label("rougeL_p") == "ROUGE-L P"
    assert metric_label("novel_2gram") == "novel 2-grams"
    assert metric_label("bertscore_f1") == "bertscore_f1"


def _adjusted(**kw) -> Comparison:
    """A record as this sumbench writes it: with the Holm-consistent interval."""
    base = dict(adj_low=-0.0030, adj_high=0.0110, adj_confidence=0.9833333333333333, family=3, wins=520, ties=80)
    base.update(losses=400, p_bootstrap_holm=0.41)
    base.update(kw)
    return _comparison(**base)


def test_verdict_not_distinguishable():
    assert verdict(_adjusted(), 0.95) == (
        "lead and textrank are not distinguishable on ROUGE-2 F at 95% "
        "(difference +0.41 points, Holm-adjusted 95% CI -0.30 to +1.10, Holm-adjusted p=0.41)."
    )
    # an older record (no adjusted interval) quotes its unadjusted interval with the unadjusted p
    assert verdict(_comparison(), 0.95) == (
        "lead and textrank are not distinguishable on ROUGE-2 F at 95% "
        "(difference +0.41 points, unadjusted 95% CI -0.20 to +1.02, unadjusted p=0.2)."
    )


def test_verdict_winner_oriented():
    c = _adjusted(
        b="oracle",
        diff=-0.098,
        diff_low=-0.105,
        diff_high=-0.091,
        adj_low=-0.1126,
        adj_high=-0.0874,
        p_bootstrap=0.0,
        p_bootstrap_holm=0.0,
        significant=True,
    )
    assert verdict(c) == (
        "oracle beats lead on ROUGE-2 F at 95% (+9.80 points, Holm-adjusted 95% CI +8.74 to +11.26, "
        "Holm-adjusted p<0.006)."  # p = 0: below the resolution 2 * 3 pairs / 1000 resamples
    )
    c2 = _adjusted(adj_low=0.0001, p_bootstrap_holm=0.012, significant=True)
    assert verdict(c2) == (
        "lead beats textrank on ROUGE-2 F at 95% (+0.41 points, Holm-adjusted 95% CI +0.01 to +1.10, "
        "Holm-adjusted p=0.012)."
    )
    # a comparison is judged at the level it was tested at, never re-judged at another
    with pytest.raises(ValueError, match=r"tested at 0\.95"):
        verdict(c2, 0.99)


def test_verdict_non_rouge_metric_has_no_points():
    text = verdict(_comparison(metric="length_ratio", diff=0.5, diff_low=0.1, diff_high=0.9, p_permutation_holm=0.2))
    assert "on length_ratio" in text and "points" not in text and "+0.5" in text


def test_verdict_without_shared_documents():
    c = _comparison(n=0, diff=math.nan, diff_low=math.nan, diff_high=math.nan, p_permutation_holm=math.nan)
    assert verdict(c) == "lead and textrank cannot be compared on ROUGE-2 F: no document was scored for both."
    assert not is_significant(c) and is_close_call(c)


def test_close_call_rule():
    # one meaning: a close call is a statistical tie, a pair that is not significant
    assert is_close_call(_adjusted()) and not is_significant(_adjusted())
    barely = _adjusted(adj_low=0.0001, p_bootstrap_holm=0.049, significant=True)
    assert is_significant(barely) and not is_close_call(barely)
    assert is_significant(barely, 0.95)  # the level it was tested at may be repeated
    with pytest.raises(ValueError):
        is_close_call(barely, 0.999)
    with pytest.raises(ValueError):
        is_close_call(barely, 1.5)
    # older records: a winner only when the unadjusted interval and p agree
    assert not is_significant(_comparison())
    assert is_significant(_comparison(diff_low=0.0001, p_bootstrap=0.01))
    odd = _comparison(diff_low=0.0001, p_bootstrap=0.2)  # the two disagree: no winner is called
    assert not is_significant(odd) and "borderline" in verdict(odd) and "beats" not in verdict(odd)


def test_both_reports_list_the_same_close_calls(tmp_path):
    run_dir = write_run(tmp_path / "b", variant="b")  # a run with ties and clear differences
    render_report(run_dir)
    run = load_run(run_dir)
    calls = [c for c in run.comparisons if is_close_call(c, run.confidence)]
    assert calls and len(calls) < len(run.comparisons)
    assert sorted(r["verdict"] for r in close_calls(run)) == sorted(verdict(c, run.confidence) for c in calls)
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    section = md.split("## Significance")[1].split("![")[0]
    assert section.count("\n- ") == len(calls)
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert f"{len(calls)} of {len(run.comparisons)} pairwise comparisons" in html
    for c in calls:
        assert md_escape(verdict(c, run.confidence)) in section


def test_significance_json_has_numbers_only(run_dir):
    for entry in json.loads((run_dir / "significance.json").read_text()):
        assert "verdict" not in entry and "close_call" not in entry
        assert set(entry) == {f.name for f in dataclasses.fields(Comparison)}


# --- reports that do not grow with the corpus ------------------------------------------------------
_DOC_ID = re.compile(
    r'<details class="doc" id="[^"]+" data-search="[^"]*">\s*<summary>\s*<span class="doc-id">([^<]*)</span>'
)


def _shown(html: str) -> list[str]:
    """The document ids of the drill-down, in page order."""
    return [unescape(doc_id) for doc_id in _DOC_ID.findall(html)]


def test_load_run_keeps_only_the_documents_asked_for(run_dir):
    full = load_run(run_dir)
    keep = {"doc-02", HOSTILE_DOC, FAILED[0], "not-a-document"}
    run = load_run(run_dir, keep_documents=keep)
    assert [d.id for d in run.documents] == [d.id for d in full.documents if d.id in keep]  # file order
    assert {s.doc_id for s in run.summaries} == keep - {"not-a-document"}
    assert run.summaries == tuple(s for s in full.summaries if s.doc_id in keep)
    assert run.partial and not full.partial and run.document_count == full.document_count == 12
    # what the reports need over every document is counted while the texts stream by
    lengths, expected = run.lengths, TextLengths.of(full.documents)
    assert run.text_lengths is lengths and full.lengths.article_words.tolist() == expected.article_words.tolist()
    for name in ("article_words", "reference_counts", "reference_words", "reference_sentences"):
        assert getattr(lengths, name).tolist() == getattr(expected, name).tolist(), name
    assert len(lengths) == 12 and int(lengths.reference_counts.sum()) == len(lengths.reference_words) == 16
    # scores, aggregates, tests and failures stay complete; the length table is the same
    assert len(run.scores) == len(full.scores) and run.failures == full.failures
    assert length_table(run) == length_table(full)
    # a function of the run read without texts chooses, or keeps all with None
    seen = []
    chosen = load_run(run_dir, keep_documents=lambda r: seen.append(r) or {"doc-01"})
    assert [d.id for d in chosen.documents] == ["doc-01"]
    assert seen[0].documents == () and len(seen[0].scores) == 35 and seen[0].primary_metric == "rouge2_f"
    assert not load_run(run_dir, keep_documents=lambda r: None).partial


def test_load_run_checks_every_line_even_of_documents_it_does_not_keep(run_dir):
    lines = (run_dir / "documents.jsonl").read_text().splitlines()
    d = json.loads(lines[9])
    d["references"] = "not a list"
    lines[9] = json.dumps(d)
    (run_dir / "documents.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(RunFolderError, match=r"documents\.jsonl, line 10: field 'references' should be a list"):
        load_run(run_dir, keep_documents={"doc-01"})


def test_text_with_unicode_line_separators_round_trips(tmp_path):
    """JSON keeps U+2028 and U+0085 unescaped: the reader splits lines at newlines only."""
    synthetic = synthetic_run()
    doc = synthetic.documents[0]
    odd = dataclasses.replace(doc, text=doc.text + " Line\u2028separator and next\x85line.")
    synthetic = dataclasses.replace(synthetic, documents=(odd, *synthetic.documents[1:]))
    run = load_run(synthetic.write(tmp_path / "run"))
    assert run.documents == synthetic.documents


def test_read_scores_nan_spellings_and_duplicates(run_dir):
    path = run_dir / "scores.csv"
    lines = path.read_text().splitlines()
    cells = lines[2].split(",")
    cells[2:6] = ["", " NA ", "null", "nan"]
    cells[6] = " 0.5 "
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    table = read_scores(path)
    row = [table.column(n)[1] for n in table.names[:5]]
    assert all(math.isnan(v) for v in row[:4]) and row[4] == 0.5
    assert table.system_labels == ("lead", "textrank", ODD_SYSTEM)
    assert int(table.mask("lead").sum()) == 12 and not table.mask("nobody").any()
    assert table.document_ids()[:2] == ("doc-01", "doc-02") and len(table.document_ids()) == 12
    # a repeated (document, system) names the line that repeats it
    path.write_text("\n".join([*lines[:8], lines[3], *lines[8:]]) + "\n")
    with pytest.raises(
        RunFolderError, match=r"scores\.csv, line 9: duplicate row for document 'doc-03', system 'lead'"
    ):
        read_scores(path)


def test_point_sample_is_seeded_sorted_and_bounded():
    assert point_sample(10, 20, seed=1).tolist() == list(range(10))
    a, b = point_sample(100_000, 500, seed=3), point_sample(100_000, 500, seed=3)
    assert a.tolist() == b.tolist() and len(set(a.tolist())) == 500 and (np.diff(a) > 0).all()
    assert a.tolist() != point_sample(100_000, 500, seed=4).tolist()
    assert point_sample(5, 3, seed=-7).size == 3  # any int seed


def test_a_budgeted_drill_down_keeps_best_worst_and_a_seeded_sample(tmp_path):
    run_dir = write_run(tmp_path / "run")
    paths = render_report(run_dir, tmp_path / "out", max_documents=8)
    html = paths["html"].read_text(encoding="utf-8")
    md = paths["markdown"].read_text(encoding="utf-8")
    full = load_run(run_dir)
    extremes = {e[kind]["doc_id"] for e in best_worst(full).values() for kind in ("best", "worst")}
    shown = _shown(html)
    assert len(shown) == 8 and extremes <= set(shown)
    order = [d.id for d in full.documents]
    assert sorted(shown, key=order.index) == shown  # corpus order
    note = (
        "The drill-down shows 8 of 12 documents: each system's best and worst, and a random sample; "
        "scores.csv has every document."
    )
    assert note in unescape(html) and note in md
    # the leaderboard's links land on embedded documents
    page = _page(html)
    links = re.findall(r'<a href="#([^"]+)" class="bw (best|worst)-link">', html)
    assert len(links) == 6 and all(anchor in page.ids for anchor, _ in links)
    for h in page.hrefs:
        if h.startswith("#"):
            assert h[1:] in page.ids, h
    # numbers over every document are unchanged; the sample is the same each time (the manifest's seed)
    assert html.count('class="ref pin"') == 1
    whole = render_report(run_dir, tmp_path / "whole")["html"].read_text(encoding="utf-8")
    table = re.compile(r'<table class="sortable" id="length-table">.*?</table>', re.S)
    assert table.search(html).group(0) == table.search(whole).group(0)
    assert "drill-down shows" not in whole and len(_shown(whole)) == 12
    again = render_report(run_dir, tmp_path / "again", max_documents=8)["html"].read_text(encoding="utf-8")
    assert _shown(again) == shown
    assert drill_down_documents(full, 12) is None and drill_down_documents(full, 0) == frozenset(extremes)
    with pytest.raises(ValueError):
        render_report(run_dir, tmp_path / "bad", max_documents=-1)


def test_scatter_figures_draw_a_seeded_sample(run_dir):
    run = load_run(run_dir)
    x = np.arange(20_000.0)
    drawn, again = scatter_sample(run, x, x)
    assert drawn.size == MAX_SCATTER_POINTS // len(run.systems) and (np.diff(drawn) > 0).all()
    assert drawn.tolist() == again.tolist()
    (small,) = scatter_sample(run, x[:10])
    assert small.tolist() == x[:10].tolist()


# Peak RSS of render_report in a child process: RUSAGE_CHILDREN of a fresh parent that waited for that
# one child (the test process's own RUSAGE_CHILDREN would count every earlier test's children too).
_MEASURE = """
import resource, subprocess, sys
render = "import sys; from sumbench.reports import render_report; render_report(sys.argv[1])"
subprocess.run([sys.executable, "-c", render, sys.argv[1]], check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10))
"""


def _peak_rss_mb(run_dir) -> float:
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(run_dir)], check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1])


@pytest.mark.slow
def test_a_large_run_renders_a_small_page_in_bounded_memory(tmp_path):
    """20,000 documents x 3 systems (a 52 MB documents.jsonl, 19 MB summaries.jsonl, 60,000 score rows).

    Memory bound, as measured (Linux, Python 3.11): rendering this run peaks at 110 MB, 21 MB above
    rendering a 12-document run (89 MB: Python with numpy, matplotlib and jinja2); the 21 MB are the
    scores' columns, the length counts, 300 documents' texts and the page. Reading every text (a plain
    ``load_run``) costs 89 MB more on this run, and the reports that held them peaked at 710 MB. So the
    growth over the small run must stay under 50 MB: comfortably above what is needed, well below what
    holding the texts costs; measuring against the small run absorbs how big the libraries are on a
    platform.
    """
    run_dir = write_large_run(tmp_path / "large", 20_000, sentences=30)
    texts = (run_dir / "documents.jsonl").stat().st_size + (run_dir / "summaries.jsonl").stat().st_size
    assert texts > 60 * 2**20
    baseline = _peak_rss_mb(write_large_run(tmp_path / "small", 12, sentences=30))
    peak = _peak_rss_mb(run_dir)
    assert peak - baseline < 50, f"peak RSS {peak:.0f} MB, {baseline:.0f} MB for 12 documents"
    assert peak < 300, f"peak RSS {peak:.0f} MB"  # and in absolute terms, a few times the measured 110 MB

    html = (run_dir / "report.html").read_text(encoding="utf-8")
    md = (run_dir / "report.md").read_text(encoding="utf-8")
    assert len(html.encode("utf-8")) < 4 * 2**20
    shown = _shown(html)
    assert len(shown) == 300 and shown == sorted(shown)  # the ids sort in corpus order
    scores = read_scores(run_dir / "scores.csv")
    ids = np.array(scores.doc_ids)
    for system in LARGE_SYSTEMS:
        values, rows = scores.values(system, "rouge2_f"), ids[scores.mask(system)]
        assert rows[np.nanargmax(values)] in shown and rows[np.nanargmin(values)] in shown
    page = _page(html)
    links = re.findall(r'<a href="#([^"]+)" class="bw (best|worst)-link">', html)
    assert len(links) == 6 and all(anchor in page.ids for anchor, _ in links)
    note = (
        "The drill-down shows 300 of 20,000 documents: each system's best and worst, and a random sample; "
        "scores.csv has every document."
    )
    assert note in unescape(html) and note in md
    # the two scatter figures say they draw a sample
    assert len(re.findall(r"<figcaption>(?:(?!</figcaption>).)*points drawn \(a seeded sample\)", html, re.S)) == 2
