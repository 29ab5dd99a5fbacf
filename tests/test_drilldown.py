"""The drill-down of report.html (sumbench.reports.drilldown) and the page's building blocks in html.py:
titles from the lede, article sentences, the sentences a summary copied, restrained highlighting,
labels that never break, and a leaderboard rendered from whatever model.leaderboard returns."""

from __future__ import annotations

import math
import re
from html import unescape

import pytest
from markupsafe import Markup

from _runfolder import HOSTILE_DOC, ODD_SYSTEM, synthetic_run, write_run
from sumbench.reports import html as report_html
from sumbench.reports import load_run, model, render_report
from sumbench.reports.drilldown import (
    FUNCTION_WORDS,
    anchor_ids,
    article_sentences,
    copied_sentences,
    display_scale,
    drill_down,
    highlight,
    lede,
    reference_ngrams,
)
from sumbench.text import split_sentences

ARTICLE = (
    "The city council approved a new budget on Tuesday. The plan raises school spending by 4 percent. "
    "Mayor Ana Ruiz said the vote was a victory.\n\nCritics say the forecasts are too rosy."
)


def test_model_still_exports_the_drill_down():
    assert model.anchor_ids is anchor_ids and model.highlight is highlight
    assert model.DRILL_DOWN_DOCUMENTS == 300 and callable(model.drill_down_documents)
    assert callable(model.drill_down_note) and model.reference_ngrams is reference_ngrams


def test_lede_is_the_first_sentence_cut_at_a_word():
    assert lede(ARTICLE) == "The city council approved a new budget on Tuesday."
    long = "Paul Merson has restarted his row with Andros Townsend after the Tottenham midfielder was brought on " * 2
    title = lede(long + ". Next.")
    assert len(title) <= 100 and title.endswith("…") and long.startswith(title[:-1])
    assert not title[:-1].endswith(" ") and title[:-1].split()[-1] in long.split()  # a whole word
    assert lede("") == "" and lede("   ") == ""
    assert lede("x" * 300).endswith("…") and len(lede("x" * 300)) == 100  # one long word: cut anyway


def test_article_sentences_rebuild_the_text():
    pieces = article_sentences(ARTICLE)
    assert "".join(p for p, _ in pieces) == ARTICLE
    assert [p for p, s in pieces if s] == split_sentences(ARTICLE)
    assert article_sentences("") == []


def test_copied_sentences_find_the_extracted_ones_only():
    sentences = split_sentences(ARTICLE)
    extract = f"{sentences[1]} {sentences[3]}"
    assert copied_sentences(sentences, extract) == [1, 3]
    assert copied_sentences(sentences, "Spending rises; the mayor celebrates a win.") == []  # a paraphrase
    # a sentence fused from two article sentences marks both
    fused = "The plan raises school spending by 4 percent, and critics say the forecasts are too rosy."
    assert copied_sentences(sentences, fused) == [1, 3]
    assert copied_sentences(sentences, "") == [] and copied_sentences([], extract) == []


def test_restrained_highlighting_skips_function_word_pairs_and_sentence_ends():
    grams = reference_ngrams(["A study has found. The researchers said in the end the market fell."])
    text = "A big study has found. The researchers agree in the end."
    plain = highlight(text, grams)
    assert [t for t, m in plain if m] == ["study has found. The researchers", "in the end"]
    restrained = highlight(text, grams, skip_words=FUNCTION_WORDS, within_sentences=True)
    assert "".join(t for t, _ in restrained) == text
    assert [t for t, m in restrained if m] == ["study has found", "The researchers", "the end"]


def test_display_scale():
    assert display_scale("rouge2_f") == 100.0 and display_scale("words") == 1.0
    assert display_scale("novel_2gram") == 100.0 and display_scale("bertscore_f1") == 1.0


def test_drill_down_documents_show_summaries_first_with_sources_and_sort_keys(tmp_path):
    run = load_run(write_run(tmp_path / "run"))
    anchors = anchor_ids([d.id for d in run.documents])
    docs = drill_down(run, anchors, ["textrank", "lead"])
    assert [d["id"] for d in docs] == [d.id for d in run.documents]
    d = docs[0]
    assert [c["system"] for c in d["cards"]] == ["textrank", "lead", ODD_SYSTEM]  # the order asked, then the rest
    assert [c["index"] for c in d["cards"]] == [0, 1, 2]
    lead = d["cards"][1]
    assert lead["sources"] == [0, 1]  # lead-2 copied the first two sentences
    assert float(lead["sort"]) == pytest.approx(100 * lead["score"], abs=1e-4)
    assert lead["score_text"] == f"{100 * lead['score']:.2f}"
    sentences = [p for p, s in d["article"] if s]
    assert "".join(p for p, _ in d["article"]) == run.documents[0].text and len(sentences) > 5
    assert d["references"] == list(run.documents[0].references)
    # the first document has no title: its lede stands in
    assert run.documents[0].title is None and d["lede"] and d["title"] == lede(run.documents[0].text)
    titled = next(x for x in docs if x["id"] == "doc-02")
    assert not titled["lede"] and titled["title"] == run.document("doc-02").title
    # a failed summary has no sort key and says why
    failed = [c for x in docs for c in x["cards"] if c["failure"]]
    assert len(failed) == 1 and failed[0]["sort"] == "" and failed[0]["segments"] is None


def test_labels_never_break_and_stay_escaped():
    labelled = report_html.labeller(["lead-3", ODD_SYSTEM, "ROUGE-2 F", "lead"])
    out = labelled(f"lead-3 beats {ODD_SYSTEM} on ROUGE-2 F; <b>lead</b> not leadership.")
    assert isinstance(out, Markup)
    assert str(out) == (
        '<span class="lbl">lead-3</span> beats <span class="lbl">tail &lt;&amp;&gt; $x$</span> on '
        '<span class="lbl">ROUGE-2 F</span>; &lt;b&gt;<span class="lbl">lead</span>&lt;/b&gt; not leadership.'
    )
    assert str(report_html.labeller([])("<i>")) == "&lt;i&gt;"


def test_leaderboard_view_fills_in_what_an_older_leaderboard_lacks(tmp_path):
    run = load_run(write_run(tmp_path / "run"))
    cell = {"metric": "rouge1_f", "mean": 0.4, "text": "40.00", "ci": "", "best": True, "tied": False}
    cell2 = dict(cell, metric="rouge2_f", text="20.00")
    old = {
        "metrics": ["rouge1_f", "rouge2_f"],
        "labels": ["ROUGE-1 F", "ROUGE-2 F"],
        "primary_metric": "rouge2_f",
        "rows": [{"rank": 1, "system": "lead", "cells": [cell, cell2], "docs": 12, "failures": 0}],
    }
    view = report_html.leaderboard_view(run, old)
    assert view["metrics"] == ["rouge2_f", "rouge1_f"] and view["labels"] == ["ROUGE-2 F", "ROUGE-1 F"]
    row = view["rows"][0]
    assert row["short"] == "lead" and row["role"] == run.role("lead") and row["flags"] == []
    assert [c["text"] for c in row["cells"]] == ["20.00", "40.00"] and not row["partial"]
    assert row["best"] is None and view["bounds"] == [] and view["documents"] == 12
    partial = report_html.leaderboard_view(run, {**old, "rows": [{**old["rows"][0], "coverage": 0.5}]})
    assert partial["rows"][0]["partial"] and partial["any_partial"]


def test_nav_entry_reads_a_rendered_partial():
    section = Markup('<section id="head-to-head" class="x">\n<h2>Head to head <span>(R&amp;D)</span></h2>')
    assert report_html._nav_entry(section) == ("head-to-head", "Head to head (R&D)")
    assert report_html._nav_entry(Markup('<section id="answer"><p>x</p></section>')) == ("answer", "Answer")
    assert report_html._nav_entry(Markup("")) is None


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    run_dir = write_run(tmp_path_factory.mktemp("drill") / "a")
    return render_report(run_dir)["html"].read_text(encoding="utf-8")


def test_page_layout_order_and_the_run_facts_last(page):
    main = page[page.index("<main>") :]
    assert main.index('id="answer"') < main.index('id="leaderboard"') < main.index('id="significance"')
    assert main.index('id="documents"') < main.index('id="failures"') < main.index('<section id="run">')
    nav = page[page.index('<nav class="toc"') : page.index("</nav>")]
    assert re.findall(r'href="#([^"]+)"', nav)[:2] == ["answer", "leaderboard"]
    assert all(f'id="{a}"' in page for a in re.findall(r'href="#([^"]+)"', nav))


def test_page_drill_down_markup(page):
    docs = re.findall(r'<details class="doc" id="([^"]+)"', page)
    assert len(docs) == 12
    # summaries first, then references (folded, counted), then the article (folded, in sentences)
    body = page[page.index(f'id="{anchor_ids([HOSTILE_DOC])[HOSTILE_DOC]}"') :]
    body = body[: body.index('<details class="doc"', 10)]
    assert body.index('class="card sum"') < body.index('<details class="refs">') < body.index('<details class="art">')
    assert re.search(r"<summary>2 references</summary>|<summary>1 reference</summary>", body)
    assert (
        '<span class="s">Officials said &lt;script&gt;window.__pwned=1&lt;/script&gt; the market fell.</span>' in body
    )
    assert "<mark>" not in body[body.index('<details class="art">') :]  # the article is marked on demand only
    # cards: the score labelled, a sort key in shown units, the copied sentences
    card = re.search(r'<div class="card sum" data-sys="0" data-v="([0-9.]+)" data-src="([0-9 ]*)">', body)
    assert card and card.group(2) == "0 1"
    assert '<span class="score"><span class="lbl">ROUGE-2 F</span> ' in body
    # ledes stand in for missing titles
    assert page.count('class="doc-title lede"') == sum(1 for d in synthetic_run().documents if d.title is None)


def test_page_labels_are_wrapped_and_escaped(page):
    assert '<span class="lbl" title="tail &lt;&amp;&gt; $x$">tail &lt;&amp;&gt; $x$</span>' in page
    verdicts = page[page.index('<section id="baseline">') : page.index("</section>", page.index('id="baseline"'))]
    assert '<span class="lbl">lead</span> beats' in verdicts
    assert "<script>window" not in page and 'onerror="' not in page


def test_page_budget_note_says_how_to_embed_more(tmp_path):
    run_dir = write_run(tmp_path / "run")
    page = render_report(run_dir, tmp_path / "out", max_documents=4)["html"].read_text(encoding="utf-8")
    note = unescape(re.search(r'<p class="note budget" id="drill-down-note">(.*?)</p>', page, re.S).group(1))
    assert note.startswith("The drill-down shows ") and "--max-documents" in note


def test_sort_keys_are_finite_numbers_or_empty(page):
    keys = re.findall(r'<div class="card sum[^"]*" data-sys="\d+" data-v="([^"]*)"', page)
    assert len(keys) == 36
    assert sum(k == "" for k in keys) == 1 and all(math.isfinite(float(k)) for k in keys if k)
