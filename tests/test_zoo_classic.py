"""Behaviour of the classic extractive summarizers (LexRank, LSA, Luhn, SumBasic, KL-Sum, centroid,
MMR) and of their shared text helpers."""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

from sumbench.corpora import load_corpus
from sumbench.records import Document
from sumbench.summarizers import _text
from sumbench.summarizers.centroid import Centroid
from sumbench.summarizers.klsum import KLSum
from sumbench.summarizers.lexrank import LexRank
from sumbench.summarizers.lsa import LSA
from sumbench.summarizers.luhn import Luhn
from sumbench.summarizers.mmr import MMR
from sumbench.summarizers.sumbasic import SumBasic
from sumbench.summarizers.textrank import TextRank
from sumbench.text import split_sentences

CLASSES = [LexRank, LSA, Luhn, SumBasic, KLSum, Centroid, MMR]
VARIANTS = [
    LexRank(),
    LexRank(threshold=0.1),
    LSA(),
    LSA(variant="gong-liu"),
    LSA(n_topics=2),
    Luhn(),
    SumBasic(),
    SumBasic(top_word=False),
    KLSum(),
    Centroid(),
    Centroid(redundancy_threshold=0.5),
    MMR(),
    MMR(lambda_=0.3),
]
ids = [f"{type(s).__name__}-{i}" for i, s in enumerate(VARIANTS)]


def doc_of(*sentences: str, doc_id: str = "d") -> Document:
    return Document(doc_id, " ".join(sentences), tuple(sentences), ("reference",))


def chosen(summary: str, doc: Document) -> list[int]:
    """Indices of the summary's lines in ``doc`` (each line must be one of its sentences)."""
    lines = summary.split("\n") if summary else []
    out, start = [], 0
    for line in lines:
        index = doc.sentences.index(line, start)
        out.append(index)
        start = index + 1
    return out


@pytest.fixture(scope="module")
def news() -> list[Document]:
    return list(load_corpus("cnndm-summeval", limit=25).documents)


# ------------------------------------------------------------------------------------------------
# Method behaviour on constructed documents
# ------------------------------------------------------------------------------------------------

CENTRAL = doc_of(
    "Heavy rain made the river rise overnight.",
    "A chess tournament opened in Oslo with forty players.",
    "Engineers inspected the old bridge on Monday.",
    "The river flood damaged the old bridge, the town market and insurance offices.",
    "Traders at the town market counted their losses.",
    "Insurance claims are expected to rise.",
    "Volcanic ash grounded flights across Iceland.",
)


@pytest.mark.parametrize("summarizer", [LexRank(k=1), LexRank(k=1, threshold=0.1), LexRank(k=1, stemming=True)])
def test_lexrank_picks_the_central_sentence(summarizer):
    assert summarizer.summarize(CENTRAL) == CENTRAL.sentences[3]


def test_lexrank_ranks_outliers_last():
    ranking = LexRank().rank(CENTRAL)
    assert ranking[0] == 3
    assert set(ranking[-2:]) == {1, 6}  # the two sentences sharing no word with the rest


DUPLICATED = doc_of(
    "The central bank raised interest rates to curb inflation.",
    "The central bank raised interest rates to curb inflation.",
    "Inflation hit a ten-year high last month, the bank said.",
    "Mortgage holders will pay more as interest rates climb.",
    "The football season opens on Saturday.",
)


def test_mmr_with_low_lambda_drops_a_duplicate_that_centroid_keeps():
    assert chosen(Centroid(k=2).summarize(DUPLICATED), DUPLICATED) == [0, 1]
    picked = chosen(MMR(k=2, lambda_=0.3).summarize(DUPLICATED), DUPLICATED)
    assert len(picked) == 2 and not {0, 1} <= set(picked)


def test_centroid_redundancy_threshold_drops_the_duplicate():
    picked = chosen(Centroid(k=2, redundancy_threshold=0.7).summarize(DUPLICATED), DUPLICATED)
    assert len(picked) == 2 and not {0, 1} <= set(picked)


@pytest.mark.parametrize("summarizer", [SumBasic(k=2), SumBasic(k=2, top_word=False), KLSum(k=2), MMR(k=2)])
def test_redundancy_control_never_picks_two_identical_sentences(summarizer):
    lines = summarizer.summarize(DUPLICATED).split("\n")
    assert len(lines) == 2 and len(set(lines)) == 2


@pytest.mark.parametrize("top_word", [True, False])
def test_sumbasic_squares_the_probabilities_of_used_words(top_word):
    # Sentence 0 has the highest mean word probability. Its duplicate (1) would come second without
    # the update; squaring alpha/beta/gamma's probabilities sends it below the fresh sentence 2.
    doc = doc_of("alpha beta gamma.", "alpha beta gamma.", "delta epsilon.", "delta zeta.", "alpha eta.")
    ranking = SumBasic(top_word=top_word).rank(doc)
    assert ranking[:2] == [0, 2]
    assert ranking.index(1) > ranking.index(4)


def test_klsum_covers_the_document_distribution():
    doc = doc_of(
        "Storms closed schools across the region.",
        "Storms closed schools across the region today.",
        "Power cuts left thousands without heating.",
        "Storms, schools, power cuts and heating dominate the region's news.",
    )
    assert KLSum(k=1).rank(doc)[0] == 3  # the one sentence mentioning every main word


LUHN = doc_of(
    "Officials said the budget vote on taxes and schools was delayed.",
    "Budget talks about taxes stalled for weeks over the long summer, and then the schools funding plan collapsed.",
    "The budget vote covers taxes schools.",
    "Weather was mild.",
)


def test_luhn_prefers_the_densest_cluster_of_significant_words():
    # budget, vote, taxes, schools occur at least twice: significant. Sentence 2 packs four of them
    # into five words; sentence 1 spreads them over gaps; sentence 0 has them with some gaps.
    assert Luhn(k=1).summarize(LUHN) == LUHN.sentences[2]
    ranking = Luhn().rank(LUHN)
    assert ranking[-1] == 3


def test_luhn_cluster_score_is_significant_squared_over_span():
    # red, green, blue, gold occur at least twice (significant); cats, dogs, mice once.
    doc = doc_of(
        "red green.",  # 2 ** 2 / 2 = 2
        "red cats green dogs blue gold.",  # 4 ** 2 / 6 = 2.67
        "blue gold red.",  # 3 ** 2 / 3 = 3
        "green mice.",  # one significant word: 0
    )
    assert Luhn().rank(doc) == [2, 1, 0, 3]
    # with no gap allowed, sentence 1 breaks into "red", "green", "blue gold" (best 2 ** 2 / 2 = 2)
    assert Luhn(max_gap=0).rank(doc) == [2, 0, 1, 3]
    # gaps count every word, stop words included: "red" and "green" are three words apart
    far = doc_of("blue mice.", "red and then there green.", "red green blue.")
    assert Luhn(max_gap=3).rank(far) == [2, 1, 0]  # one cluster: 2 ** 2 / 5
    assert Luhn(max_gap=2).rank(far) == [2, 0, 1]  # two one-word clusters: 0, tie kept in order


LSA_DOC = doc_of(
    "The team won the championship final in extra time.",
    "Fans celebrated the championship win of the team in the streets.",
    "The final whistle ended a season of team triumph and championship joy.",
    "A parade for the championship team is planned for Sunday.",
    "Separately, bond yields fell on Tuesday.",
)


@pytest.mark.parametrize("summarizer", [LSA(k=1), LSA(k=1, variant="gong-liu"), LSA(k=1, n_topics=1)])
def test_lsa_picks_a_sentence_from_the_dominant_topic(summarizer):
    assert chosen(summarizer.summarize(LSA_DOC), LSA_DOC)[0] in {0, 1, 2, 3}


def test_lsa_gong_liu_takes_one_sentence_per_topic():
    ranking = LSA(variant="gong-liu", n_topics=2).rank(LSA_DOC)
    assert ranking[0] in {0, 1, 2, 3} and ranking[1] == 4  # second topic: the bond sentence


def test_ties_are_broken_by_document_order():
    doc = doc_of("Same words here.", "Same words here.", "Same words here.")
    for summarizer in (LexRank(), LSA(), Luhn(), SumBasic(), KLSum(), Centroid(), MMR(lambda_=1.0)):
        assert summarizer.rank(doc)[0] == 0, type(summarizer).__name__
    for summarizer in (LexRank(), Luhn(), Centroid()):
        assert list(summarizer.rank(doc)) == [0, 1, 2], type(summarizer).__name__


# ------------------------------------------------------------------------------------------------
# Budgets, document order, options
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", CLASSES)
def test_budgets_are_respected_and_document_order_kept(cls, news):
    for doc in news:
        for k in (1, 3, 5):
            picked = chosen(cls(k=k).summarize(doc), doc)
            assert len(picked) == min(k, len(doc.sentences))
            assert picked == sorted(picked)
        for limit in (20, 60):
            summary = cls(max_words=limit).summarize(doc)
            picked = chosen(summary, doc)
            assert picked == sorted(picked)
            assert len(summary.split()) <= limit or len(picked) == 1
        summary = cls(ratio=0.2).summarize(doc)
        total = sum(len(s.split()) for s in doc.sentences)
        assert len(summary.split()) <= np.ceil(0.2 * total) or len(chosen(summary, doc)) == 1


@pytest.mark.parametrize("cls", [KLSum, SumBasic, MMR])
def test_greedy_methods_rank_the_same_with_a_word_budget(cls, news):
    # with a sentence budget the greedy loop stops after k picks; its first picks must not change
    for doc in news[:10]:
        full = list(cls(max_words=10_000).rank(doc))
        short = list(cls(k=3).rank(doc))
        assert short[:3] == full[:3]


def test_stemming_changes_tokenization():
    sentences = ["The dog runs.", "Dogs were running."]
    plain = _text.analyze(sentences)
    stemmed = _text.analyze(sentences, stemming=True)
    assert set(plain.vocabulary) == {"dog", "runs", "dogs", "running"}
    assert set(stemmed.vocabulary) == {"dog", "run"}
    assert stemmed.counts.tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert _text.stem("running") == "run" and _text.stem("running") == "run"  # cached


def test_stemming_changes_a_summary():
    # only stemmed, "runners"/"runner" and "running"/"run"/"runs" repeat: significant for Luhn
    doc = doc_of("The runner ran home.", "Running runners run fast and runs far.", "The cat sat quietly.")
    assert Luhn().rank(doc) == [0, 1, 2]  # nothing significant: document order
    assert Luhn(stemming=True).rank(doc) == [1, 0, 2]


def test_stop_words_option():
    sentences = ["The cat sat on the mat."]
    assert _text.analyze(sentences).vocabulary == ("cat", "sat", "mat")
    assert _text.analyze(sentences, stop_words=None).vocabulary == ("the", "cat", "sat", "on", "mat")


def test_tokens_keep_positions_and_sentences():
    terms = _text.analyze(["A big cat.", "The cat\nsat."])  # a newline inside a sentence
    assert terms.token_sentences.tolist() == [0, 0, 0, 1, 1, 1]
    assert [terms.vocabulary[t] if t >= 0 else None for t in terms.token_terms] == [
        None,
        "big",
        "cat",
        None,
        "cat",
        "sat",
    ]


# ------------------------------------------------------------------------------------------------
# Degenerate documents, parameters, conformance
# ------------------------------------------------------------------------------------------------

DEGENERATE = [
    Document("empty", "", (), ("r",)),
    Document("one", "Only one sentence here.", ("Only one sentence here.",), ("r",)),
    doc_of("It is what it is.", "And so it was.", "The end of it.", doc_id="stop-words"),
    doc_of("...", "!!!", "?", doc_id="punctuation"),
    doc_of("Same.", "Same.", doc_id="duplicates"),
    doc_of("Hello world.", "", "Goodbye world.", doc_id="blank-sentence"),
]


@pytest.mark.parametrize("summarizer", VARIANTS, ids=ids)
@pytest.mark.parametrize("doc", DEGENERATE, ids=[d.id for d in DEGENERATE])
def test_degenerate_documents(summarizer, doc):
    for budget in ({"k": 2}, {"max_words": 3}, {"ratio": 0.5}):
        params = {**_params(summarizer), **{"k": None, "max_words": None, "ratio": None}, **budget}
        summary = type(summarizer)(**params).summarize(doc)
        assert isinstance(summary, str)
        if not doc.sentences:
            assert summary == ""
        else:
            assert summary and chosen(summary, doc) == sorted(chosen(summary, doc))


def _params(summarizer):
    from sumbench.summarizers.base import get_params

    return get_params(summarizer)


@pytest.mark.parametrize("summarizer", VARIANTS + [TextRank()], ids=ids + ["TextRank"])
def test_conformance(summarizer):
    testing = pytest.importorskip("sumbench.testing")
    testing.check_summarizer(summarizer)


@pytest.mark.parametrize(
    "cls, params",
    [
        (LexRank, {"stop_words": "french"}),
        (LexRank, {"stemming": "yes"}),
        (LexRank, {"threshold": 1.5}),
        (LexRank, {"damping": 1.0}),
        (LSA, {"variant": "svd"}),
        (LSA, {"n_topics": 0}),
        (Luhn, {"max_gap": -1}),
        (Luhn, {"min_count": 0}),
        (SumBasic, {"top_word": "no"}),
        (KLSum, {"smoothing": 0}),
        (Centroid, {"redundancy_threshold": 0}),
        (MMR, {"lambda_": 1.5}),
        (MMR, {"k": 2, "ratio": 0.5}),
    ],
)
def test_bad_parameters_are_rejected(cls, params):
    with pytest.raises(ValueError):
        cls(**params).validate()


@pytest.mark.parametrize("cls", CLASSES)
def test_constructor_only_stores_and_docstring_cites(cls):
    instance = cls(k=2, stemming=True)
    assert instance.k == 2 and instance.stemming is True and instance.stop_words == "auto"
    first_line = inspect.getdoc(cls).splitlines()[0]
    assert re.search(r"\((?:[A-Z][\w ,.&-]+)?(19|20)\d\d", first_line), first_line
    assert len(first_line) <= 120 and first_line.endswith(".")


def test_summaries_are_deterministic_and_differ_between_methods(news):
    doc = news[0]
    outputs = {type(s).__name__ + str(i): s.summarize(doc) for i, s in enumerate(VARIANTS)}
    assert outputs == {type(s).__name__ + str(i): s.summarize(doc) for i, s in enumerate(VARIANTS)}
    assert len(set(outputs.values())) >= 4


# ------------------------------------------------------------------------------------------------
# Shared helpers (TextRank's behaviour is kept)
# ------------------------------------------------------------------------------------------------


def test_tfidf_matrix_matches_scikit_learn(news):
    from sklearn.feature_extraction.text import TfidfVectorizer

    for doc in news[:10]:
        ours = _text.tfidf_matrix(list(doc.sentences))
        theirs = TfidfVectorizer(stop_words="english").fit_transform(doc.sentences).toarray()
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours @ ours.T, theirs @ theirs.T, atol=1e-12)
    assert _text.tfidf_matrix(["the and of", "it is"]) is None


def test_pagerank_matches_power_iteration():
    rng = np.random.default_rng(0)
    weights = rng.random((12, 12))
    weights[3] = 0.0  # a dangling row
    np.fill_diagonal(weights, 0.0)
    scores = _text.pagerank(weights, 0.85)
    n = len(weights)
    sums = weights.sum(axis=1, keepdims=True)
    transition = np.where(sums > 0, weights / np.where(sums == 0, 1, sums), 1 / n)
    power = np.full(n, 1 / n)
    for _ in range(1000):
        power = (1 - 0.85) / n + 0.85 * transition.T @ power
    np.testing.assert_allclose(scores, power, atol=1e-12)
    assert scores.sum() == pytest.approx(1.0)
    assert _text.pagerank(np.zeros((0, 0))).shape == (0,)


def test_textrank_reexports_the_helpers():
    from sumbench.summarizers import textrank

    assert textrank.pagerank is _text.pagerank and textrank.tfidf_matrix is _text.tfidf_matrix


def test_split_sentences_documents_work_end_to_end():
    text = "Mr. Smith went to Washington. He met the U.S. president. The talks were long."
    doc = Document("x", text, tuple(split_sentences(text)), ("r",))
    for summarizer in VARIANTS:
        assert summarizer.summarize(doc)


def test_lsa_large_documents_use_truncated_svd_with_the_same_top_sentence(monkeypatch):
    from sumbench.summarizers import lsa

    sentences = tuple(f"Report {i} covers topic{i % 7} with detail{i % 11} and note{i % 5}." for i in range(60)) + (
        "Topic1 topic1 topic1 detail3 note2 dominates everything here topic1.",
    )
    doc = doc_of(*sentences)
    exact = LSA(n_topics=1).rank(doc)[:1]
    monkeypatch.setattr(lsa, "_EXACT_LIMIT", 10)
    assert LSA(n_topics=1).rank(doc)[:1] == exact
    assert len(LSA().rank(doc)) == len(sentences)


@pytest.mark.parametrize("weighting", ["tf", "binary", "tfidf"])
def test_lsa_weightings(weighting):
    assert chosen(LSA(k=1, weighting=weighting).summarize(LSA_DOC), LSA_DOC)[0] in {0, 1, 2, 3}
    with pytest.raises(ValueError):
        LSA(weighting="bm25").validate()


def test_zoo_suite_builds_every_summarizer():
    from pathlib import Path

    from sumbench.suite import load_suite
    from sumbench.summarizers.registry import build

    suite = load_suite(Path(__file__).resolve().parents[1] / "benchmarks" / "zoo.toml")
    built = [build(c.use, c.params, suite.base_dir) for c in suite.summarizers]
    assert {type(s).__name__ for s in built} >= {c.__name__ for c in CLASSES} | {"Lead", "TextRank"}
    assert len({c.label for c in suite.summarizers}) == len(built)


# ------------------------------------------------------------------------------------------------
# Run-time dependencies: stop words and stems without scikit-learn or NLTK
# ------------------------------------------------------------------------------------------------


def test_english_stop_words_are_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert _text.ENGLISH_STOP_WORDS == ENGLISH_STOP_WORDS
    assert _text.stop_word_set("english") is _text.ENGLISH_STOP_WORDS
    assert _text.stop_word_set(None) == frozenset()


def test_stems_are_nltks(news):
    from nltk.stem.porter import PorterStemmer

    porter = PorterStemmer()
    words = {w for doc in news for w in _text.tokenize(doc.text)} | {"café", "naïve", "snake_case", "über", "x"}
    assert [w for w in sorted(words) if _text.stem(w) != porter.stem(w)] == []


def test_classic_summarizers_import_neither_scikit_learn_nor_nltk():
    import subprocess
    import sys

    code = """
import sys
from sumbench.records import Document
from sumbench.summarizers.registry import build
sentences = ("The council met on Monday to discuss the budget.", "Officials said taxes would rise sharply.",
             "The mayor disagreed with the plan.", "Residents protested outside the council hall.")
doc = Document("d", " ".join(sentences), sentences, ("The council discussed the budget and taxes.",))
for name in ("lead", "random", "oracle"):
    build(name).summarize(doc)
for name in ("textrank", "lexrank", "lsa", "luhn", "sumbasic", "klsum", "centroid", "mmr"):
    build(name).summarize(doc)
    build(name, {"stemming": True}).summarize(doc)
print(sorted({m.split(".")[0] for m in sys.modules} & {"sklearn", "nltk", "scipy"}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


# ------------------------------------------------------------------------------------------------
# Large documents: sparse matrices and bounded graphs past _text.uses_dense
# ------------------------------------------------------------------------------------------------


def test_analyze_sparse_counts_equal_the_dense_ones(news):
    for doc in news[:5]:
        dense = _text.analyze(doc.sentences, dense=True)
        sparse = _text.analyze(doc.sentences, dense=False)
        assert not dense.sparse and sparse.sparse and sparse.vocabulary == dense.vocabulary
        assert sparse.counts.has_canonical_format
        np.testing.assert_array_equal(sparse.counts.toarray(), dense.counts)
    assert _text.uses_dense(400, 20_000) and _text.uses_dense(1000, 8000)
    assert not _text.uses_dense(1001, 100) and not _text.uses_dense(400, 20_001)


def test_neighbour_graph_keeps_each_sentences_strongest_edges_symmetric():
    rng = np.random.default_rng(1)
    similarity = rng.random((30, 30))
    similarity = (similarity + similarity.T) / 2
    from scipy.sparse import csr_matrix

    def rows(start, stop):
        return csr_matrix(similarity[start:stop])

    graph = _text.neighbour_graph(rows, 30, neighbours=3).toarray()
    assert (graph == graph.T).all() and (np.diag(graph) == 0).all()
    off_diagonal = similarity - np.diag(np.diag(similarity))
    for i in range(30):
        strongest = np.argsort(-off_diagonal[i])[:3]
        np.testing.assert_array_equal(graph[i, strongest], off_diagonal[i, strongest])
        kept = np.flatnonzero(graph[i])
        assert all(i in np.argsort(-off_diagonal[j])[:3] or j in strongest for j in kept)
    thresholded = _text.neighbour_graph(rows, 30, 3, threshold=0.9)
    assert set(np.unique(thresholded.toarray())) <= {0.0, 1.0}
    assert (thresholded.toarray()[off_diagonal <= 0.9] == 0).all()


@pytest.mark.parametrize("summarizer", VARIANTS + [TextRank(), TextRank(stemming=True)], ids=ids + ["TR", "TR-stem"])
def test_the_large_document_path_gives_the_same_summaries_on_news(summarizer, news, monkeypatch):
    # Forced onto the sparse path, news articles (< 501 sentences, so every neighbour graph is the
    # complete graph) get the summaries of the exact path -- except LSA's truncated SVD, which keeps
    # at most 20 topics: there only the top sentence is compared, with one topic.
    budgets = [{"k": 3}, {"max_words": 60}]
    lsa = isinstance(summarizer, LSA)
    if lsa:
        summarizer = LSA(variant=summarizer.variant, weighting=summarizer.weighting, n_topics=1, k=1)
        budgets = [{"k": 1}]
    expected = {}
    for doc in news:
        for budget in budgets:
            params = {**_params(summarizer), "k": None, "max_words": None, "ratio": None, **budget}
            expected[doc.id, str(budget)] = type(summarizer)(**params).summarize(doc)
    assert summarizer.ranking_method(news[0]) == "exact"
    monkeypatch.setattr(_text, "DENSE_MAX_SENTENCES", 1)
    if lsa:
        from sumbench.summarizers import lsa as lsa_module

        monkeypatch.setattr(lsa_module, "_EXACT_LIMIT", 1)
    assert summarizer.ranking_method(news[0]).startswith(("sparse:", "bounded:"))
    for doc in news:
        for budget in budgets:
            params = {**_params(summarizer), "k": None, "max_words": None, "ratio": None, **budget}
            assert type(summarizer)(**params).summarize(doc) == expected[doc.id, str(budget)], (doc.id, budget)


MEMORY_CHECK = """
import json, sys
from sumbench.corpora import bundled_corpora, load_corpus
from sumbench.records import Document
from sumbench.summarizers.registry import build
from sumbench.text import split_sentences

texts = []
for name in bundled_corpora():
    texts += dict.fromkeys(doc.text for doc in load_corpus(name).documents)
text, size = [], 0
for article in dict.fromkeys(texts):
    text.append(article)
    size += len(article.encode()) + 2
    if size >= 1_000_000:
        break
text = "\\n\\n".join(text)
doc = Document("big", text, tuple(split_sentences(text)), ("The reference summary of a long article.",))
summarizer = build(sys.argv[1], json.loads(sys.argv[2]))
summary = summarizer.summarize(doc)
print(json.dumps({
    "bytes": len(text.encode()),
    "sentences": len(doc.sentences),
    "method": summarizer.ranking_method(doc),
    "lines": summary.count("\\n") + 1,
    # VmHWM: this process's own peak (ru_maxrss would include the parent's RSS at fork, carried over exec)
    "peak_mb": next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024,
}))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "name, params", [("textrank", {}), ("lexrank", {}), ("lexrank", {"threshold": 0.1}), ("mmr", {})]
)
def test_a_one_megabyte_article_stays_under_500_mb(name, params):
    import json
    import subprocess
    import sys

    command = [sys.executable, "-c", MEMORY_CHECK, name, json.dumps(params)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["bytes"] >= 1_000_000 and report["sentences"] > 5000 and report["lines"] == 3
    assert report["method"] != "exact"
    assert report["peak_mb"] < 500, report
