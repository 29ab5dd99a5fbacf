"""Reports rendered from a synthetic run folder (tests/_runfolder.py)."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from html.parser import HTMLParser

import pytest

from _runfolder import (
    BOLD,
    FAILED,
    HOSTILE_DOC,
    HOSTILE_IMG,
    HOSTILE_SCRIPT,
    HOSTILE_TITLE,
    ODD_DOC,
    ODD_SYSTEM,
    synthetic_run,
    write_run,
)
from sumbench.reports import RunFolderError, compare_runs, load_run, render_report
from sumbench.reports.common import metric_label
from sumbench.reports.compare import word_diff
from sumbench.reports.markdown import md_escape
from sumbench.reports.model import anchor_ids, close_calls, highlight, reference_ngrams
from sumbench.reports.verdicts import is_close_call, is_significant, verdict
from sumbench.runfolder import SCHEMA_VERSION, Comparison

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
    assert page.tags.count("img") == 5  # the five figures, nothing from the corpus
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
def test_compare_runs(tmp_path):
    a = write_run(tmp_path / "a")
    b = write_run(tmp_path / "b", variant="b")
    paths = compare_runs(a, b, tmp_path / "cmp")
    md = paths["markdown"].read_text(encoding="utf-8")
    html = paths["html"].read_text(encoding="utf-8")
    # lead got longer in B: words moved, and it is flagged
    moved = md[md.index("## Moved metrics") : md.index("## All shared systems")]
    assert re.search(r"\| lead \| words \| 26\.\d \| 40\.\d \| \*\*\+14\.\d\*\*", moved)
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


def test_verdict_not_distinguishable():
    assert verdict(_comparison(), 0.95) == (
        "lead and textrank are not distinguishable on ROUGE-2 F at 95% "
        "(difference +0.41 points, 95% CI -0.20 to +1.02, Holm-adjusted p=0.21)."
    )


def test_verdict_winner_oriented():
    c = _comparison(
        b="oracle", diff=-0.098, diff_low=-0.105, diff_high=-0.091, p_permutation_holm=0.000999, significant=True
    )
    assert verdict(c) == (
        "oracle beats lead on ROUGE-2 F at 95% (+9.80 points, 95% CI +9.10 to +10.50, Holm-adjusted p<0.001)."
    )
    # a stricter level can turn it into a non-result
    c2 = _comparison(p_permutation_holm=0.03, significant=True)
    assert "beats" in verdict(c2) and "not distinguishable on ROUGE-2 F at 99%" in verdict(c2, 0.99)


def test_verdict_non_rouge_metric_has_no_points():
    text = verdict(_comparison(metric="length_ratio", diff=0.5, diff_low=0.1, diff_high=0.9, p_permutation_holm=0.2))
    assert "on length_ratio" in text and "points" not in text and "+0.5" in text


def test_verdict_without_shared_documents():
    c = _comparison(n=0, diff=math.nan, diff_low=math.nan, diff_high=math.nan, p_permutation_holm=math.nan)
    assert verdict(c) == "lead and textrank cannot be compared on ROUGE-2 F: no document was scored for both."
    assert not is_significant(c) and is_close_call(c)


def test_close_call_rule():
    assert is_close_call(_comparison())  # not significant
    barely = _comparison(p_permutation_holm=0.02, significant=True)
    assert is_significant(barely) and is_close_call(barely)  # significant, but only barely
    clear = _comparison(diff=0.002, p_permutation_holm=0.004, significant=True)
    assert not is_close_call(clear)  # a small but clear difference is not a close call
    assert is_close_call(clear, 0.999)  # not significant at a stricter level
    with pytest.raises(ValueError):
        is_close_call(clear, 1.5)


def test_both_reports_list_the_same_close_calls(rendered):
    run_dir, _ = rendered
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
