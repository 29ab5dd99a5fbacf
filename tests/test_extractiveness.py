"""Extractive fragments, coverage, density (Grusky et al. 2018) and n-gram novelty."""

from __future__ import annotations

import math

import pytest

from sumbench.scoring.extractiveness import (
    EXTRACTIVENESS_COLUMNS,
    Article,
    Fragment,
    extractiveness,
    fragments,
)
from sumbench.text import tokenize

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def paper_fragments(A, S):
    """Literal transcription of Algorithm 1 of Grusky et al. (2018), 0-based."""
    F = []
    i = j = 0
    while i < len(S):
        f = ()
        f_start = None
        while j < len(A):
            if S[i] == A[j]:
                ii, jj = i, j
                while ii < len(S) and jj < len(A) and S[ii] == A[jj]:
                    ii, jj = ii + 1, jj + 1
                if len(f) < ii - i:
                    f = tuple(S[i:ii])
                    f_start = j
                j = jj
            else:
                j += 1
        if f:
            F.append(Fragment(i, f_start, len(f)))
        i, j = i + max(len(f), 1), 0
    return F


def test_identical_texts_are_one_fragment():
    r = extractiveness("The cat sat on the mat.", "the cat sat on the mat")
    assert r["coverage"] == 1.0
    assert r["density"] == 6.0  # one fragment of 6 words: 6**2 / 6
    assert r["fragment_compression"] == 1.0
    assert r["novel_1gram"] == r["novel_2gram"] == r["novel_3gram"] == 0.0


def test_two_fragments_and_a_novel_word():
    # S = a b x d e against A = a b c d e: fragments "a b" and "d e", x is novel
    assert fragments(list("abcde"), list("abxde")) == [Fragment(0, 0, 2), Fragment(3, 3, 2)]
    r = extractiveness("a b c d e f g h i j", "a b x d e")
    assert r["coverage"] == pytest.approx(4 / 5)
    assert r["density"] == pytest.approx((2**2 + 2**2) / 5)
    assert r["fragment_compression"] == pytest.approx(10 / 5)
    assert r["novel_1gram"] == pytest.approx(1 / 5)  # x
    assert r["novel_2gram"] == pytest.approx(2 / 4)  # "b x", "x d"
    assert r["novel_3gram"] == pytest.approx(3 / 3)  # abx, bxd, xde


def test_longest_fragment_wins_over_first_one():
    # "the cat" appears early, "the cat sat on" later: the longer one is chosen
    a = tokenize("the cat ran . the cat sat on it")
    s = tokenize("the cat sat on")
    assert fragments(a, s) == [Fragment(0, 3, 4)]  # "." is not a token


def test_scan_resumes_after_a_match_as_in_the_paper():
    # Algorithm 1 sets j = j' after a match, so a start inside the previous match is
    # not tried: S = a a a b, A = a a a a b gives "a a a" + "b", not "a a a b".
    a, s = list("aaaab"), list("aaab")
    assert fragments(a, s) == [Fragment(0, 0, 3), Fragment(3, 4, 1)]
    r = extractiveness("a a a a b", "a a a b")
    assert r["coverage"] == 1.0
    assert r["density"] == pytest.approx((9 + 1) / 4)


def test_redundancy_counts_repeats_within_the_summary():
    r = extractiveness("a b", "a b a b")
    assert r["redundancy_1gram"] == pytest.approx(1 - 2 / 4)
    assert r["redundancy_2gram"] == pytest.approx(1 - 2 / 3)  # ab, ba, ab
    assert r["novel_2gram"] == pytest.approx(1 / 3)  # "b a" is not in the article


def test_degenerate_inputs():
    r = extractiveness("some article", "")
    assert list(r) == list(EXTRACTIVENESS_COLUMNS)
    assert r["coverage"] == r["density"] == 0.0
    assert math.isnan(r["fragment_compression"])
    r = extractiveness("", "novel words")
    assert r["coverage"] == 0.0 and r["novel_1gram"] == 1.0 and r["fragment_compression"] == 0.0
    r = extractiveness("x y", "x")
    assert r["novel_2gram"] == 0.0 and r["redundancy_2gram"] == 0.0


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from("abcd"), max_size=30),
    st.lists(st.sampled_from("abcde"), max_size=15),
)
def test_matches_the_literal_algorithm(a, s):
    assert fragments(a, s) == paper_fragments(a, s)
    frags = fragments(a, s)
    for f in frags:
        assert list(s[f.summary_start : f.summary_start + f.length]) == list(
            a[f.article_start : f.article_start + f.length]
        )
    assert sum(f.length for f in frags) <= len(s)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c", "d", "A.", "b,", "\n"]), max_size=40),
    st.lists(st.lists(st.sampled_from(["a", "b", "c", "e", "B!"]), max_size=12), min_size=1, max_size=4),
)
def test_an_article_analysed_once_gives_the_same_numbers(article, summaries):
    text = " ".join(article)
    shared = Article(text)
    for words in summaries:  # the same Article serves every summary, in any order
        summary = " ".join(words)
        got, want = extractiveness(shared, summary), extractiveness(text, summary)
        assert list(got) == list(want)
        assert all(g == w or (math.isnan(g) and math.isnan(w)) for g, w in zip(got.values(), want.values()))


def test_score_summaries_analyses_each_document_once_and_keeps_the_order(monkeypatch):
    from sumbench.records import Document, Summary
    from sumbench.scoring import metrics
    from sumbench.scoring.lengths import length_stats
    from sumbench.text import split_sentences

    def doc(i, text, refs):
        return Document(f"d{i}", text, tuple(split_sentences(text)), tuple(refs))

    docs = {
        d.id: d
        for d in (
            doc(
                0, "The council passed the budget on Monday. Taxes rise by 2%.", ["Council passes budget.", "Taxes up."]
            ),
            doc(1, "A storm hit the coast. Thousands lost power overnight.", ["Storm cuts power to thousands."]),
            doc(2, "", ["Nothing here."]),
        )
    }
    summaries = [
        Summary(d, system, text)
        for system, texts in (
            ("lead", ["The council passed the budget on Monday.", "A storm hit the coast.", ""]),
            ("abstractive", ["Budget approved; taxes rise.", "Storm: thousands without power.", "Empty."]),
        )
        for d, text in zip(docs, texts)
    ]
    built = []
    real = metrics.Article
    monkeypatch.setattr(metrics, "Article", lambda text: built.append(text) or real(text))
    rouge_metric = metrics.Rouge(["rouge1", "rougeLsum"], use_stemmer=True, lsum_split="splitter")
    scorer = rouge_metric.scorer
    rows, failures = metrics.score_summaries(docs, summaries, metrics.standard_metrics(rouge_metric))
    assert failures == []
    assert sorted(built) == sorted(d.text for d in docs.values())  # one article analysis per document
    assert [(r.doc_id, r.system) for r in rows] == [(s.doc_id, s.system) for s in summaries]
    for row, s in zip(rows, summaries):
        d = docs[s.doc_id]
        rouge = scorer.score_multi(list(d.references), s.text)
        want = {
            **{f"{t}_{k}": getattr(v, f) for t, v in rouge.items() for k, f in zip("prf", v._fields)},
            **length_stats(d, s.text),
            **extractiveness(d.text, s.text),
        }
        assert list(row.values) == list(want)
        for key, value in want.items():
            got = row.values[key]
            assert got == value or (math.isnan(got) and math.isnan(value)), key
