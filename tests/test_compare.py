"""``sumbench compare``: statistics that can reach significance and agree with themselves, the verdict,
the set-up diff, direction colours, changed summaries by score change, full summaries in compare.md."""

from __future__ import annotations

import math
import re
from html import unescape
from pathlib import Path

import numpy as np
import pytest

from _runfolder import HOSTILE_SCRIPT, write_run
from sumbench import runfolder
from sumbench.cli import main
from sumbench.records import DocumentScores, Summary
from sumbench.reports import compare_runs, load_run
from sumbench.reports.compare import MAX_MD_CHANGES, comparison, md_diff, verdict, word_diff
from sumbench.runfolder import CorpusInfo, DocumentEntry, Manifest, SystemEntry
from sumbench.scoring.stats import smallest_adjusted_p

METRICS8 = ("rouge1_f", "rouge2_f", "rougeL_f", "rouge1_r", "rouge2_r", "words", "coverage", "density")


def _summary_text(doc: int, system: str, changed: bool) -> str:
    base = f"Summary of document {doc} by {system}: the council met and the budget passed."
    return base + (" It also cut the tax rate for small farms." if changed else "")


def build_run(
    path: Path,
    *,
    systems: tuple[str, ...] = ("lead", "textrank"),
    metrics: tuple[str, ...] = ("rouge2_f", "words"),
    n_docs: int = 40,
    shift: dict[tuple[str, str], float] | None = None,
    changed: dict[str, set[int]] | None = None,
    params: dict[str, dict] | None = None,
    versions: dict[str, str] | None = None,
    seed: int = 0,
    fingerprint: str = "sha256:abc",
    rouge_signature: str = "rouge1,2,L|stem=porter",
    texts: dict[tuple[int, str], str] | None = None,
    drop_docs: set[int] | None = None,
    metric_signatures: dict[str, str] | None = None,
    languages: dict[str, str] | None = None,
) -> Path:
    """A run folder: every system scores every document with a fixed, noisy base value per (system,
    metric, document); ``shift`` adds a per-document change ``value * (1 + noise)`` to some cells
    and ``changed`` appends a sentence to some documents' summaries."""
    shift = shift or {}
    changed = changed or {}
    rng = np.random.default_rng(1234)  # the same base in every run
    base = {(s, m): rng.uniform(0.2, 0.5, n_docs) for s in systems for m in metrics}
    noise = np.random.default_rng(99).normal(0.0, 0.3, n_docs)
    noise -= noise.mean()  # a shift of x moves the mean over all documents by exactly x
    docs = [
        DocumentEntry(f"doc-{k:03d}", f"Article {k}. The council met.", (f"Reference {k}.",))
        for k in range(n_docs)
        if k not in (drop_docs or set())
    ]
    summaries, scores = [], []
    for s in systems:
        for d in docs:
            k = int(d.id.split("-")[1])
            text = (texts or {}).get((k, s)) or _summary_text(k, s, k in changed.get(s, set()))
            summaries.append(Summary(d.id, s, text))
            values = {}
            for m in metrics:
                v = base[(s, m)][k] + shift.get((s, m), 0.0) * (1.0 + noise[k])
                values[m] = float(v)
            scores.append(DocumentScores(d.id, s, values))
    manifest = Manifest(
        suite_name="t",
        suite={},
        suite_path=None,
        created="2025-01-01T00:00:00+00:00",
        seed=seed,
        versions=versions or {"sumbench": "0.1.0", "python": "3.11.7"},
        corpus=CorpusInfo("c", "tests", fingerprint, len(docs), 1.0),
        rouge_signature=rouge_signature,
        systems=tuple(SystemEntry(s, s, (params or {}).get(s, {"k": 3}), "1") for s in systems),
        metrics=metrics,
        primary_metric="rouge2_f" if "rouge2_f" in metrics else None,
        metric_signatures=metric_signatures or {},
        languages=languages or {},
    )
    return runfolder.write_run(
        path, manifest, documents=docs, summaries=summaries, scores=scores, aggregates=(), comparisons=(), failures=()
    )


def _rows(c):
    return {(r["system"], r["metric"]): r for r in c["rows"]}


# --- 1. statistics that can reach significance and agree with themselves ------------------------
@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """16 systems x 8 metrics = 128 comparisons; sys-07 gains 5 ROUGE-2 points on every document."""
    root = tmp_path_factory.mktemp("many")
    systems = tuple(f"sys-{k:02d}" for k in range(16))
    a = build_run(root / "a", systems=systems, metrics=METRICS8, n_docs=60)
    b = build_run(
        root / "b",
        systems=systems,
        metrics=METRICS8,
        n_docs=60,
        shift={("sys-07", "rouge2_f"): 0.05},
        changed={"sys-07": set(range(60))},
    )
    return comparison(load_run(a), load_run(b), n_samples=2000)


def test_a_large_change_among_128_comparisons_is_marked(many):
    c = many
    assert len(c["rows"]) == 128
    # 2,000 resamples could not: the smallest Holm-adjusted p would be 128 / 2001 > 0.05
    assert smallest_adjusted_p(128, 2000) >= 0.05
    assert c["requested_samples"] == 2000 and c["n_samples"] > 2000
    assert c["smallest_p"] < 0.05
    row = _rows(c)[("sys-07", "rouge2_f")]
    assert row["moved"] and row["p_holm"] < 0.05 and row["direction"] == "better"
    assert [(r["system"], r["metric"]) for r in c["moved"]] == [("sys-07", "rouge2_f")]
    assert c["verdict"].startswith(
        f"B improves sys-07 on ROUGE-2 F by +5.00 points (Holm-adjusted 95% CI {row['text_ci']}) "
        "and changes nothing else significantly; 1 system's summaries changed on 60 documents"
    )


def test_marks_intervals_and_p_agree(many):
    for r in many["rows"]:
        excludes_zero = r["low"] > 0 or r["high"] < 0
        assert r["moved"] == excludes_zero == (r["p_holm"] < 0.05), r
        assert r["low"] <= r["diff"] <= r["high"]
        assert math.isclose(r["mean_b"] - r["mean_a"], r["diff"], abs_tol=1e-12)


def test_resamples_and_smallest_p_are_stated(tmp_path, many):
    a = build_run(tmp_path / "a")
    b = build_run(tmp_path / "b", shift={("lead", "rouge2_f"): 0.05})
    paths = compare_runs(a, b, tmp_path / "cmp", n_samples=500)
    c = comparison(load_run(a), load_run(b), n_samples=500)
    md = paths["markdown"].read_text(encoding="utf-8")
    html = paths["html"].read_text(encoding="utf-8")
    assert f"{c['n_samples']} resamples (requested 500)" in md
    assert f"smallest reachable adjusted p is {c['text_smallest_p']}" in md
    assert f"<b>{c['n_samples']} resamples</b> (requested 500)" in html
    assert f"smallest reachable adjusted p is <b>{c['text_smallest_p']}</b>" in html


def test_missing_documents_are_paired_over_the_union(tmp_path):
    a = build_run(tmp_path / "a", drop_docs={0, 1})
    b = build_run(tmp_path / "b", drop_docs={2}, shift={("lead", "words"): 5.0})
    c = comparison(load_run(a), load_run(b))
    r = _rows(c)[("lead", "words")]
    assert r["n"] == 37 and r["moved"] and r["direction"] == "higher" and r["marker"] == "↑ higher"
    assert c["only_a_docs"] == ["doc-002"] and c["only_b_docs"] == ["doc-000", "doc-001"]


# --- 2. the verdict -------------------------------------------------------------------------------
def test_verdict_regression_and_improvement(tmp_path):
    a = build_run(tmp_path / "a", systems=("lead", "textrank", "luhn"))
    b = build_run(
        tmp_path / "b",
        systems=("lead", "textrank", "mmr"),
        shift={("textrank", "rouge2_f"): 0.03, ("lead", "rouge2_f"): -0.04},
        changed={"textrank": {1, 2, 3}, "lead": {4}},
    )
    c = comparison(load_run(a), load_run(b))
    v = c["verdict"]
    assert v.startswith("B improves textrank on ROUGE-2 F by +3.00 points (Holm-adjusted 95% CI +")
    assert ", worsens lead on ROUGE-2 F by -4.00 points (Holm-adjusted 95% CI -" in v
    assert "and changes nothing else significantly; 2 systems' summaries changed on 4 documents" in v
    assert v.endswith("; luhn is only in A; mmr is only in B.")


def test_verdict_no_change(tmp_path):
    a = build_run(tmp_path / "a")
    c = comparison(load_run(a), load_run(a))
    assert c["verdict"].startswith("B changes no score significantly (4 comparisons, Holm-adjusted at 95%")
    assert c["verdict"].endswith("; no summary changed.")
    assert verdict(c) == c["verdict"]


def test_verdict_is_the_first_line_everywhere(tmp_path, capsys):
    a = build_run(tmp_path / "a")
    b = build_run(tmp_path / "b", shift={("lead", "rouge2_f"): 0.05}, changed={"lead": {3}})
    assert main(["compare", str(a), str(b), "--out", str(tmp_path / "cmp"), "--samples", "300"]) == 0
    printed = capsys.readouterr().out.splitlines()
    line = printed[0]
    assert line.startswith("B improves lead on ROUGE-2 F by +5.00 points")
    assert printed[1:] == [str(tmp_path / "cmp" / "compare.md"), str(tmp_path / "cmp" / "compare.html")]
    md = (tmp_path / "cmp" / "compare.md").read_text(encoding="utf-8").splitlines()
    assert md[2] == f"**{line}**"
    html = (tmp_path / "cmp" / "compare.html").read_text(encoding="utf-8")
    found = re.search(r'<p class="verdict" id="verdict">([^<]*)</p>', html)
    assert found and unescape(found.group(1)) == line
    assert html.index('id="verdict"') < html.index("<main>")


def test_cli_rejects_zero_samples(tmp_path, capsys):
    a = build_run(tmp_path / "a")
    assert main(["compare", str(a), str(a), "--out", str(tmp_path / "cmp"), "--samples", "0"]) == 2
    assert "--samples" in capsys.readouterr().err


# --- 3. set-up diff -------------------------------------------------------------------------------
def test_parameter_and_version_diff(tmp_path):
    a = build_run(tmp_path / "a", params={"textrank": {"k": 3, "damping": 0.85}}, seed=0)
    b = build_run(
        tmp_path / "b",
        params={"textrank": {"k": 3, "damping": 0.9, "stemming": True}},
        versions={"sumbench": "0.2.0", "python": "3.11.7"},
        seed=7,
    )
    c = comparison(load_run(a), load_run(b))
    tr = next(s for s in c["setup"]["systems"] if s["system"] == "textrank")
    assert tr["changes"] == ["damping 0.85 → 0.9", "stemming (not set) → true"]
    assert next(s for s in c["setup"]["systems"] if s["system"] == "lead")["status"] == "same"
    assert [(d["what"], d["a"], d["b"]) for d in c["setup"]["run"]] == [
        ("sumbench version", "0.1.0", "0.2.0"),
        ("seed", "0", "7"),
    ]
    assert not c["setup"]["critical"] and not c["warnings"]
    paths = compare_runs(a, b, tmp_path / "cmp")
    md = paths["markdown"].read_text(encoding="utf-8")
    html = paths["html"].read_text(encoding="utf-8")
    assert "- textrank: damping 0.85 → 0.9; stemming (not set) → true" in md
    assert "- sumbench version: 0.1.0 → 0.2.0" in md and "- seed: 0 → 7" in md
    assert "<li><b>textrank</b>: damping 0.85 → 0.9; stemming (not set) → true</li>" in html
    assert 'id="not-comparable"' not in html


def test_version_of_a_system(tmp_path):
    a_entry = SystemEntry("textrank-3", "textrank", {"damping": 0.85}, "1")
    b_entry = SystemEntry("textrank-3", "textrank", {"damping": 0.9}, "2")
    from sumbench.reports.compare import system_changes

    assert system_changes(a_entry, b_entry) == ["damping 0.85 → 0.9", "version 1 → 2"]
    assert system_changes(a_entry, a_entry) == []


@pytest.mark.parametrize(
    ("field", "what"), [("fingerprint", "corpus fingerprint"), ("rouge_signature", "ROUGE signature")]
)
def test_different_corpus_or_rouge_is_not_comparable(tmp_path, field, what):
    a = build_run(tmp_path / "a")
    b = build_run(tmp_path / "b", **{field: "something-else"})
    c = comparison(load_run(a), load_run(b))
    assert c["verdict"].startswith(f"Not comparable as-is (the {what} differs): B changes no score")
    paths = compare_runs(a, b, tmp_path / "cmp")
    md = paths["markdown"].read_text(encoding="utf-8")
    html = paths["html"].read_text(encoding="utf-8")
    assert f"> ⚠ **The {what} differs (A: " in md and "not comparable as-is" in md
    assert md.index("> ⚠") < md.index("## What changed")
    alert = html[html.index('id="not-comparable"') :]
    assert 'role="alert"' in html and "Not comparable as-is." in alert[:200]
    assert html.index('id="not-comparable"') < html.index('id="setup"')


# --- 4. direction colours --------------------------------------------------------------------------
def test_improvements_and_regressions_differ_in_colour_and_words(tmp_path):
    a = build_run(tmp_path / "a")
    b = build_run(tmp_path / "b", shift={("textrank", "rouge2_f"): 0.05, ("lead", "rouge2_f"): -0.05})
    paths = compare_runs(a, b, tmp_path / "cmp")
    html = paths["html"].read_text(encoding="utf-8")
    md = paths["markdown"].read_text(encoding="utf-8")
    better = re.search(r'<td data-v="[^"]*" class="better">\+5\.00 <span class="mk">▲ better</span></td>', html)
    worse = re.search(r'<td data-v="[^"]*" class="worse">-5\.00 <span class="mk">▼ worse</span></td>', html)
    assert better and worse
    css = dict(re.findall(r"--(better|worse): (#[0-9A-Fa-f]{6})", html))
    assert css == {"better": "#0072B2", "worse": "#D55E00"}  # Okabe-Ito blue and vermillion
    assert "| textrank | ROUGE-2 F | " in md and "**+5.00 ▲ better**" in md and "**-5.00 ▼ worse**" in md


# --- 5. changed documents by score change -----------------------------------------------------------
def test_changed_summaries_sorted_by_score_change(tmp_path):
    a = build_run(tmp_path / "a")
    texts_b = {(k, "lead"): f"A new summary for {k}." for k in (1, 2, 3, 4)}
    b_dir = build_run(tmp_path / "b", texts=texts_b)
    # give the changed documents score changes of both signs and sizes
    run_b = load_run(b_dir)
    col = run_b.scores.columns["rouge2_f"]
    deltas = {"doc-001": +0.01, "doc-002": -0.20, "doc-003": +0.10, "doc-004": 0.0}
    for k, (d, s) in enumerate(zip(run_b.scores.doc_ids, run_b.scores.systems)):
        if s == "lead" and d in deltas:
            col[k] += deltas[d]
    c = comparison(load_run(a), run_b)
    assert [ch["doc_id"] for ch in c["changed"]] == ["doc-002", "doc-003", "doc-001", "doc-004"]
    assert [ch["marker"] for ch in c["changed"]] == ["▼ worse", "▲ better", "▲ better", "no change"]
    assert [ch["text_delta"] for ch in c["changed"]] == ["-20.00", "+10.00", "+1.00", "+0.00"]
    md_dir = tmp_path / "cmp"
    from sumbench.reports.compare import write_comparison

    md = write_comparison(c, md_dir)["markdown"].read_text(encoding="utf-8")
    heads = re.findall(r"^### \d+\. (.*)$", md, flags=re.M)
    assert heads[:2] == ["doc-002 · lead — ROUGE-2 F -20.00 ▼ worse", "doc-003 · lead — ROUGE-2 F +10.00 ▲ better"]
    assert "Biggest change first, either way, by the change of ROUGE-2 F (B − A)." in md
    html = (md_dir / "compare.html").read_text(encoding="utf-8")
    assert html.index(">doc-002<") < html.index(">doc-003<") < html.index(">doc-001<")
    assert '<span class="delta worse">ROUGE-2 F -20.00 <span class="mk">▼ worse</span></span>' in html


# --- 6. full summaries in compare.md ------------------------------------------------------------------
def test_full_summaries_with_marked_diff_and_escaping(tmp_path):
    long_old = " ".join(f"word{k}" for k in range(200)) + " the end."
    long_new = long_old.replace("word150", "*starred* <b>x</b> word_150")
    a = build_run(tmp_path / "a", texts={(0, "lead"): long_old})
    b = build_run(tmp_path / "b", texts={(0, "lead"): long_new})
    md = compare_runs(a, b, tmp_path / "cmp")["markdown"].read_text(encoding="utf-8")
    assert len(long_old) > 1000
    a_line = next(line for line in md.splitlines() if line.startswith("- **A**: word0"))
    b_line = next(line for line in md.splitlines() if line.startswith("- **B**: word0"))
    assert a_line.endswith("word199 the end.") and "~~word150~~" in a_line
    assert "**\\*starred\\* &lt;b&gt;x&lt;/b&gt; word\\_150**" in b_line and b_line.endswith("the end.")
    assert "<b>" not in md


def test_md_diff_keeps_marks_off_spaces():
    old, new = word_diff("a b c", "a x y c")
    assert md_diff(old, "~~") == "a ~~b~~ c"
    assert md_diff(new, "**") == "a **x y** c"
    assert md_diff(word_diff("keep", "keep [link](http://x)")[1], "**") == "keep **\\[link\\](http://x)**"


def test_markdown_caps_the_number_of_documents_and_says_where_the_rest_is(tmp_path):
    n = MAX_MD_CHANGES + 7
    a = build_run(tmp_path / "a", n_docs=n)
    b = build_run(tmp_path / "b", n_docs=n, changed={"lead": set(range(n))})
    paths = compare_runs(a, b, tmp_path / "cmp")
    md = paths["markdown"].read_text(encoding="utf-8")
    assert f"## Changed summaries ({n})" in md
    assert len(re.findall(r"^### \d+\. ", md, flags=re.M)) == MAX_MD_CHANGES
    assert f"Showing the {MAX_MD_CHANGES} biggest changes of {n}; compare.html in this folder lists all {n}" in md
    html = paths["html"].read_text(encoding="utf-8")
    assert html.count('<div class="change">') == n


# --- 7. self-contained, escaped HTML; the synthetic pair ------------------------------------------------
def test_synthetic_pair_html_is_escaped_and_self_contained(tmp_path):
    a = write_run(tmp_path / "a")
    b = write_run(tmp_path / "b", variant="b")
    paths = compare_runs(a, b, tmp_path / "cmp")
    html = paths["html"].read_text(encoding="utf-8")
    md = paths["markdown"].read_text(encoding="utf-8")
    assert HOSTILE_SCRIPT not in html and "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert HOSTILE_SCRIPT not in md
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert html.count("<script>") == 1  # only the inline sorter
    # every table sits in a horizontal scroll box, so the page itself never overflows a phone
    body = html[html.index("<body>") :]
    assert body.count("<table") == body.count('<div class="scroll"><table') > 0


@pytest.mark.parametrize(
    ("a_kwargs", "b_kwargs", "what"),
    [
        (
            {"metric_signatures": {"rouge": "r", "bertscore": "bertscore|model:all-MiniLM-L6-v2|layer:6"}},
            {"metric_signatures": {"rouge": "r", "bertscore": "bertscore|model:all-mpnet-base-v2|layer:9"}},
            "bertscore signature",
        ),
        (
            {"languages": {"de": "rouge1|lang=de|tok=unicode|stem=snowball-german"}},
            {"languages": {"de": "rouge1|lang=de|tok=whitespace|stem=snowball-german"}},
            "ROUGE settings for 'de'",
        ),
    ],
)
def test_another_metric_or_language_setting_is_not_comparable(tmp_path, a_kwargs, b_kwargs, what):
    a = build_run(tmp_path / "a", **a_kwargs)
    b = build_run(tmp_path / "b", **b_kwargs)
    c = comparison(load_run(a), load_run(b))
    assert c["verdict"].startswith(f"Not comparable as-is (the {what} differs)")
    # a run folder from before these were recorded is not flagged for lacking them
    old = build_run(tmp_path / "old")
    assert not comparison(load_run(old), load_run(a))["verdict"].startswith("Not comparable")
