"""sumbench.languages: tokenizers, stemmers, sentence splitters, stop words and coverage warnings per language.

The ``unicode`` tokenizer must equal rouge-score's on ASCII text (over every pure-ASCII article and
reference of the shared English corpora, and on generated text), and every language of the shared
multilingual sample must tokenize to real tokens with its recommended settings. The third-party
parts (jieba, fugashi, snowballstemmer, pysbd, stopwordsiso: ``pip install 'sumbench[languages]'``)
are skipped, with the reason, where they are not installed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _shared import read_jsonl_gz, references, shared_corpora  # noqa: F401  (fixture)
from sumbench import languages as L
from sumbench.errors import PluginError
from sumbench.languages import (
    COVERAGE_WARN_SHARE,
    LANGUAGES,
    TOKENIZERS,
    LanguageError,
    MissingPackageError,
    TokenizerCoverage,
    coverage_warning,
    dropped_letter_share,
    language_settings,
    make_sentence_splitter,
    make_stemmer,
    make_tokenizer,
    signature,
    stopwords,
)

ENGLISH_CORPORA = ["cnndm_summeval100", "xsum321", "bbc_news2225", "newsroom60", "frank499"]
SAMPLE_LANGUAGES = ["zh", "es", "fr", "ru", "de", "ar", "hi", "ja"]
NON_LATIN = ["zh", "ja", "ru", "ar", "hi"]


def needs(*modules: str) -> None:
    """Skip the test unless every module (of the ``languages`` extra) imports."""
    for module in modules:
        pytest.importorskip(module, reason=f"needs {module}: pip install 'sumbench[languages]'")


def rouge_score_tokens(text: str) -> list[str]:
    from rouge_score import tokenize as rs_tokenize

    return rs_tokenize.tokenize(text, None)


# --------------------------------------------------------------------------------------------------
# The unicode tokenizer equals rouge-score's on ASCII text
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def english_texts(shared_corpora) -> list[str]:  # noqa: F811
    texts: list[str] = []
    for name in ENGLISH_CORPORA:
        for row in read_jsonl_gz(shared_corpora / f"{name}.jsonl.gz"):
            texts.append(str(row["article"]))
            texts.extend(references(row))
    return texts


@pytest.fixture(scope="module")
def multilingual(shared_corpora) -> dict[str, list[str]]:  # noqa: F811
    """The articles and references of the multilingual sample by language."""
    by_lang: dict[str, list[str]] = {}
    for row in read_jsonl_gz(shared_corpora / "multilingual_news.jsonl.gz"):
        by_lang.setdefault(row["lang"], []).extend([str(row["article"]), *references(row)])
    return by_lang


@pytest.mark.shared
def test_unicode_equals_rouge_score_on_every_ascii_text_of_the_english_corpora(english_texts):
    ascii_texts = [t for t in english_texts if t.isascii()]
    assert len(ascii_texts) > 5000  # of 7,410 articles and references
    unicode_tok = make_tokenizer("unicode")
    rouge_tok = make_tokenizer("rouge-score")
    for text in ascii_texts:
        expected = rouge_score_tokens(text)
        assert unicode_tok.tokenize(text) == expected
        assert unicode_tok.general(text) == expected  # the general rule, without the ASCII fast path
        assert rouge_tok.tokenize(text) == expected


@pytest.mark.shared
def test_the_fast_path_equals_the_general_rule_on_all_english_texts(english_texts):
    """English news with pound signs, curly quotes and dashes takes the ASCII regex too: same tokens."""
    unicode_tok = make_tokenizer("unicode")
    fast = [t for t in english_texts if not t.isascii() and L._ascii_rule_applies(t)]
    assert len(fast) > 1000
    for text in fast:
        assert unicode_tok.tokenize(text) == unicode_tok.general(text) == rouge_score_tokens(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_unicode_equals_rouge_score_on_generated_ascii(text):
    tok = make_tokenizer("unicode")
    assert tok.tokenize(text) == tok.general(text) == rouge_score_tokens(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_the_fast_path_never_changes_tokens(text):
    for name in ("unicode", "cjk-char"):
        tok = make_tokenizer(name)
        assert tok.tokenize(text) == tok.general(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Z9.,'£’‘–—…€©•“”\u00a0™ﬁ²İéß中ひ"))))
def test_the_fast_path_on_english_punctuation_and_letters_nearby(text):
    tok = make_tokenizer("unicode")
    assert tok.tokenize(text) == tok.general(text)


def test_no_cjk_character_below_the_fast_path_thresholds():
    """The general rule skips the per-character alternation for text with nothing from U+3005 (U+1100
    for cjk-char) on: true only while no character of those classes lies below."""
    import regex

    below = "".join(map(chr, range(0x3005)))
    assert regex.compile(L._CJK_CHARS, regex.V1).findall(below) == []
    assert regex.compile(L._CJK_HANGUL_CHARS, regex.V1).findall(below[:0x1100]) == []
    assert regex.compile(L._CJK_CHARS, regex.V1).findall("\u3005ー〆") == ["\u3005", "ー", "〆"]


# --------------------------------------------------------------------------------------------------
# Tokenizers
# --------------------------------------------------------------------------------------------------


def test_german_umlauts_and_sharp_s_stay():
    tok = make_tokenizer(None, "de")
    assert tok.name == "unicode"
    assert tok.tokenize("Größe Straße") == ["größe", "straße"]
    assert tok.tokenize("Grüße Strafe") == ["grüße", "strafe"]
    assert make_tokenizer("rouge-score").tokenize("Größe Straße") == ["gr", "e", "stra", "e"]


def test_unicode_rule_details():
    tok = make_tokenizer("unicode")
    # NFKC: full-width letters and digits, ligatures; marks stay inside the word (Devanagari vowel signs)
    assert tok.tokenize("ＡＢＣ１２ ﬁnance") == ["abc12", "finance"]
    assert tok.tokenize("मालेगाँव धमाकों") == ["मालेगाँव", "धमाकों"]
    assert tok.tokenize("نضال حسن، 42 عاما") == ["نضال", "حسن", "42", "عاما"]
    # Han and kana: one token per character; Hangul words stay whole (cjk-char splits them)
    assert tok.tokenize("北京大学 2015年 ひらがな") == ["北", "京", "大", "学", "2015", "年", "ひ", "ら", "が", "な"]
    assert tok.tokenize("한국어 텍스트") == ["한국어", "텍스트"]
    assert make_tokenizer("cjk-char").tokenize("한국어 漢字") == ["한", "국", "어", "漢", "字"]
    # Latin letters with marks NFKC cannot compose stay one word (U+0323 is Script_Extensions Hira/Kana)
    assert tok.tokenize("q\u0323a\u0305b") == ["q\u0323a\u0305b"]
    # underscores and apostrophes separate, as in rouge-score
    assert tok.tokenize("l'Île snake_case") == ["l", "île", "snake", "case"]
    # İ lowers to i everywhere; Turkish lowers I to ı
    assert tok.tokenize("İstanbul") == ["istanbul"]
    assert make_tokenizer("unicode", "tr").tokenize("IRAK ırak İstanbul") == ["ırak", "ırak", "istanbul"]
    assert make_tokenizer("unicode", lowercase=False).tokenize("Größe ABC") == ["Größe", "ABC"]


def test_whitespace_and_custom_tokenizers():
    assert make_tokenizer("whitespace").tokenize("Hello, World!") == ["hello,", "world!"]
    fn = make_tokenizer("sumbench.text:words")
    assert fn.tokenize("Hello, World!") == ["Hello,", "World!"]
    assert fn.signature == "module:sumbench.text:words"
    cls = make_tokenizer(f"{__name__}:UpperTokenizer")
    assert cls.tokenize("a b") == ["A", "B"]
    assert cls("a") == ["A"]


class UpperTokenizer:
    def tokenize(self, text: str) -> list[str]:
        return text.upper().split()


def test_cjk_segmenters():
    needs("jieba")
    zh = make_tokenizer("cjk", "zh")
    assert zh.tokenize("我来到北京清华大学") == ["我", "来到", "北京", "清华大学"]
    assert zh.tokenize("他来到了网易杭研大厦") == ["他", "来到", "了", "网易", "杭", "研", "大厦"]  # no HMM guess
    assert zh.tokenize("苹果发布iPhone 15，售价5999元。") == ["苹果", "发布", "iphone", "15", "售价", "5999", "元"]
    assert zh.signature.startswith("cjk:jieba-")
    assert make_tokenizer("cjk-char", "zh").tokenize("清华大学。") == ["清", "华", "大", "学"]
    needs("fugashi", "unidic_lite")
    ja = make_tokenizer("cjk", "ja")
    assert ja.tokenize("東京都に住んでいます。") == ["東京", "都", "に", "住ん", "で", "い", "ます"]
    assert ja.tokenize("すもももももももものうち") == ["すもも", "も", "もも", "も", "もも", "の", "うち"]
    assert ja.signature.startswith("cjk:fugashi-") and "+unidic-lite-" in ja.signature


def test_rouge_with_language_tokenizers_scores_identical_non_english_text_1():
    """The bug of the issue: a Chinese summary identical to its reference scored 0.0 on every type."""
    needs("jieba")
    from sumbench.scoring.rouge import RougeScorer

    text = "可穿戴技术十大设计原则"
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    assert all(s.fmeasure == 0.0 for s in RougeScorer(types).score(text, text).values())
    scored = RougeScorer(types, tokenizer=make_tokenizer(None, "zh")).score(text, text)
    assert all(s.fmeasure == 1.0 for s in scored.values())
    german = RougeScorer(["rouge1"], tokenizer=make_tokenizer(None, "de"))
    assert german.score("Größe Straße", "Grüße Strafe")["rouge1"].fmeasure == 0.0
    assert RougeScorer(["rouge1"]).score("Größe Straße", "Grüße Strafe")["rouge1"].fmeasure > 0.5


@pytest.mark.shared
@pytest.mark.parametrize("lang", SAMPLE_LANGUAGES)
def test_every_sample_language_tokenizes_with_its_recommended_settings(multilingual, lang):
    if lang == "zh":
        needs("jieba")
    elif lang == "ja":
        needs("fugashi", "unidic_lite")
    texts = multilingual[lang]
    tok = make_tokenizer(None, lang)
    again = make_tokenizer(None, lang)
    rouge_tok = make_tokenizer("rouge-score")
    coverage = TokenizerCoverage(tok, lang)
    rouge_coverage = TokenizerCoverage(rouge_tok)
    for text in texts:
        tokens = tok.tokenize(text)
        assert tokens, text[:80]
        assert tok.tokenize(text) == tokens == again.tokenize(text)
        assert all(t and t == t.lower() for t in tokens)
        coverage.add(text, tokens)
        rouge_coverage.add(text)
        assert dropped_letter_share(text, tok, tokens) < 0.001
    assert coverage.share < 0.0005 and coverage.warning() is None
    assert rouge_coverage.share > COVERAGE_WARN_SHARE
    if lang in NON_LATIN:
        assert rouge_coverage.share > 0.9
        assert f'set language = "{lang}"' in rouge_coverage.warning()
    else:
        assert 0.01 < rouge_coverage.share < 0.1
        assert 'e.g. language = "de"' in rouge_coverage.warning()


@pytest.mark.shared
def test_english_corpora_get_no_coverage_warning(english_texts):
    coverage = TokenizerCoverage("rouge-score")
    for text in english_texts:
        coverage.add(text)
    assert coverage.share < COVERAGE_WARN_SHARE / 10
    assert coverage.warning() is None
    # the worst text: a reference with mojibake ("â\x80\x9c" for a curly quote), still far from a warning
    assert coverage.worst is not None and coverage.worst.share < 0.05


def test_dropped_letter_share():
    assert dropped_letter_share("Größe Straße", "rouge-score") == pytest.approx(3 / 11)
    assert dropped_letter_share("我来到北京清华大学", "rouge-score") == 1.0
    assert dropped_letter_share("我来到北京清华大学", "unicode") == 0.0
    assert dropped_letter_share("plain ASCII text", "rouge-score") == 0.0
    assert dropped_letter_share("12 + 3", "rouge-score") == 0.0  # no letters


def test_coverage_warnings_name_the_language_or_tokenizer():
    def warn(text: str, language: str = "en", tokenizer: str = "rouge-score") -> str | None:
        coverage = TokenizerCoverage(tokenizer, language)
        coverage.add(text, label="doc-1")
        return coverage.warning(where="[scoring]")

    assert warn("我来到北京清华大学") == (
        "the rouge-score tokenizer drops 100% of the letters of this corpus (it keeps only a-z and 0-9): "
        'set language = "zh" (tokenizer cjk) in [scoring]'
    )
    assert 'set language = "ja" (tokenizer cjk)' in warn("ブレグジット（イギリスの欧州連合離脱）をめぐり")
    assert 'set language = "ru" (tokenizer unicode)' in warn("Миллениалы, которые не знают")
    assert 'set language = "ar"' in warn("نضال حسن واعترف")
    assert 'set language = "hi"' in warn("नासिक की एक अदालत ने")
    assert 'e.g. language = "de"' in warn("Größe Straße Grüße")
    assert 'set tokenizer = "cjk" (recommended for language "zh")' in warn("我来到北京清华大学", "zh")
    assert 'set tokenizer = "unicode" (recommended for language "de")' in warn("Größe Straße", "de")
    assert warn("The plain English text.") is None
    coverage = TokenizerCoverage("rouge-score")
    coverage.add("Größe", label="d1")
    coverage.add("fine text here", label="d2")
    assert coverage.worst is not None and coverage.worst.label == "d1"
    assert coverage_warning(COVERAGE_WARN_SHARE, "en", "rouge-score") is None
    assert coverage_warning(0.3, "en", "rouge-score", guess="th") is not None


# --------------------------------------------------------------------------------------------------
# Stemmers and stop words
# --------------------------------------------------------------------------------------------------

STEM_PAIRS = {
    "de": [("Häuser", "Haus"), ("Kindern", "Kinder"), ("schnellste", "schnell")],
    "fr": [("continuation", "continuer"), ("nationales", "national"), ("présidente", "président")],
    "es": [("corriendo", "correr"), ("políticas", "política"), ("presidentes", "presidente")],
    "ru": [("книги", "книга"), ("президента", "президент"), ("выборах", "выборы"), ("говорил", "говорить")],
    "ar": [("المعلمون", "معلم")],
    "hi": [("किताबें", "किताब")],
    "pl": [("książki", "książka")],
    "sv": [("flickorna", "flicka")],
    "tr": [("kitaplar", "kitap")],
}


@pytest.mark.parametrize("lang", sorted(STEM_PAIRS))
def test_snowball_stemmers_reduce_inflections(lang):
    needs("snowballstemmer")
    stem = make_stemmer(lang)
    tok = make_tokenizer(None, lang)
    assert stem is not None
    for inflected, base in STEM_PAIRS[lang]:
        (a,) = tok.tokenize(inflected)
        (b,) = tok.tokenize(base)
        assert stem(a) == stem(b), (inflected, base)


def test_stemmer_choices(monkeypatch):
    needs("snowballstemmer")
    assert make_stemmer("en") is None  # rouge-score's Porter stays in the ROUGE engine
    assert make_stemmer("zh") is None and make_stemmer("ja") is None
    assert make_stemmer("de") is make_stemmer("german")  # one cache per algorithm
    assert make_stemmer("english")("running") == "run"  # Snowball English (Porter2) by name
    assert L.stemmer_signature("en") == "porter" and L.stemmer_signature("zh") == "none"
    assert L.stemmer_signature("de").startswith("snowball-german:")
    # without PyStemmer: snowballstemmer's pure Python, named in the signature
    monkeypatch.setitem(sys.modules, "Stemmer", None)
    assert L.stemmer_signature("de").startswith("snowball-german:snowballstemmer-")
    assert make_stemmer("de")("Häuser".lower()) == "haus"


def test_pure_python_snowball_equals_pystemmer(multilingual):
    """snowballstemmer runs PyStemmer's C code when it is installed: both give the same stems."""
    needs("snowballstemmer", "Stemmer")
    import importlib

    import Stemmer

    for lang in ("de", "fr", "es", "ru", "ar", "hi"):
        algorithm = LANGUAGES[lang].stemmer
        module = importlib.import_module(f"snowballstemmer.{algorithm}_stemmer")
        pure = getattr(module, f"{algorithm.title()}Stemmer")()
        fast = Stemmer.Stemmer(algorithm)
        tok = make_tokenizer(None, lang)
        words = sorted({w for text in multilingual[lang][:10] for w in tok.tokenize(text)})
        assert [pure.stemWord(w) for w in words] == fast.stemWords(words)


def test_stop_words():
    needs("stopwordsiso")
    assert {"der", "und", "nicht"} <= stopwords("de")
    assert {"le", "et"} <= stopwords("fr")
    assert {"и", "не"} <= stopwords("ru")
    assert "的" in stopwords("zh") and "の" in stopwords("ja")
    assert "the" in stopwords("en")
    assert stopwords("ne") == frozenset()  # stopwords-iso has no Nepali list
    assert all(w == w.lower() and any(c.isalnum() for c in w) for w in stopwords("zh"))


# --------------------------------------------------------------------------------------------------
# Sentence splitters
# --------------------------------------------------------------------------------------------------


def test_cjk_splitter():
    needs("regex")
    split = make_sentence_splitter("zh")
    assert split("今天天气很好。我们去公园吧！你呢？「好的。」他说\n第二行") == [
        "今天天气很好。",
        "我们去公园吧！",
        "你呢？",
        "「好的。」",
        "他说",
        "第二行",
    ]
    assert make_sentence_splitter("ja")("東京に住んでいます。大阪は？はい!") == [
        "東京に住んでいます。",
        "大阪は？",
        "はい!",
    ]


def test_english_keeps_the_sumbench_splitter():
    from sumbench.text import split_sentences

    text = "Mr. Smith went to Washington. He met the U.S. president."
    assert make_sentence_splitter("en")(text) == split_sentences(text)
    assert make_sentence_splitter("en").signature == "sumbench"


def test_punct_splitter_for_languages_without_pysbd():
    split = make_sentence_splitter("pt")
    assert split('O Sr. J. Silva chegou. Ele disse: "Olá!" Depois saiu no Rio. 3 pessoas vieram.') == [
        "O Sr. J. Silva chegou.",
        'Ele disse: "Olá!"',
        "Depois saiu no Rio.",
        "3 pessoas vieram.",
    ]
    # Hindi: the danda and the full stop (BBC Hindi writes '.')
    assert make_sentence_splitter("hi")("यह पहला वाक्य है। यह दूसरा है. और तीसरा!") == [
        "यह पहला वाक्य है।",
        "यह दूसरा है.",
        "और तीसरा!",
    ]
    assert make_sentence_splitter("tr")("Bu bir cümle. Bu da ikinci cümle mi? Evet.") == [
        "Bu bir cümle.",
        "Bu da ikinci cümle mi?",
        "Evet.",
    ]


def test_pysbd_splitters():
    needs("pysbd")
    assert make_sentence_splitter("de")("Das ist z. B. ein Test. Dr. Müller kam am 3. Mai. Er ging.") == [
        "Das ist z. B. ein Test.",
        "Dr. Müller kam am 3. Mai.",
        "Er ging.",
    ]
    assert make_sentence_splitter("ar")("هذه جملة أولى. هل هذه ثانية؟ نعم!") == [
        "هذه جملة أولى.",
        "هل هذه ثانية؟",
        "نعم!",
    ]
    assert make_sentence_splitter("ru")("Это первое предложение. А это второе? Да!") == [
        "Это первое предложение.",
        "А это второе?",
        "Да!",
    ]
    assert make_sentence_splitter("de").signature.startswith("pysbd-de:pysbd-")


@pytest.mark.shared
@pytest.mark.slow
def test_pysbd_chunking_keeps_pysbds_sentences(multilingual):
    """Long lines are cut at sure sentence ends before pySBD sees them: same sentences on the sample
    (bar pySBD's numbered-list detection, which looks at the whole line)."""
    needs("pysbd")
    import pysbd

    same = total = 0
    for lang in ("de", "fr", "ru"):  # (Arabic uses the punct splitter: pySBD ends sentences at its comma)
        split = make_sentence_splitter(lang)
        whole = pysbd.Segmenter(language=lang, clean=False)
        for text in multilingual[lang]:
            ours = split(text)
            assert ours and all(s == s.strip() and s for s in ours)
            theirs = [s.strip() for line in text.splitlines() for s in whole.segment(line) if s.strip()]
            same += ours == theirs
            total += 1
    assert same == total


@pytest.mark.shared
@pytest.mark.slow
def test_every_text_of_the_multilingual_sample_splits_into_sentences(multilingual):
    """(Its speed is measured side by side in benchmarks/speed/tokenizer_speed.py, not asserted here.)"""
    needs("pysbd")
    count = 0
    for lang, texts in multilingual.items():
        split = make_sentence_splitter(lang)
        for text in texts:
            sentences = split(text)
            assert sentences
            count += len(sentences)
    assert count > 5000


# --------------------------------------------------------------------------------------------------
# Table, signature and errors
# --------------------------------------------------------------------------------------------------


def test_the_table_matches_the_packages():
    needs("snowballstemmer", "pysbd", "stopwordsiso")
    import pysbd.languages
    import stopwordsiso

    algorithms = L._snowball_algorithms()  # PyStemmer's or snowballstemmer's

    for must in ("en", "de", "fr", "es", "it", "pt", "nl", "ru", "ar", "hi", "zh", "ja", "tr", "pl", "sv"):
        assert must in LANGUAGES
    for lang in LANGUAGES.values():
        assert lang.tokenizer in TOKENIZERS
        assert lang.stemmer in (None, "porter") or lang.stemmer in algorithms
        if lang.splitter.startswith("pysbd:"):
            assert lang.splitter == f"pysbd:{lang.code}" and lang.code in pysbd.languages.LANGUAGE_CODES
        assert lang.stopwords is None or stopwordsiso.has_lang(lang.stopwords)
        assert make_sentence_splitter(lang.code)("A b. C d.")
    # every Snowball language with a code here has its stemmer
    assert {lang.stemmer for lang in LANGUAGES.values()} >= set(algorithms) - {
        "english",
        "porter",
        "dutch_porter",
    }
    assert "| de | German | unicode | german | pysbd:de | de |" in L.language_table()


def test_signature():
    assert signature("en") == "lang=en|tok=rouge-score|stem=porter|split=sumbench"
    assert signature("en", stemming=False) == "lang=en|tok=rouge-score|stem=none|split=sumbench"
    needs("jieba")
    assert signature("zh").startswith("lang=zh|tok=cjk:jieba-") and signature("zh").endswith("|stem=none|split=cjk")
    needs("snowballstemmer", "pysbd")
    de = signature("de", splitter="punct")
    assert de.startswith("lang=de|tok=unicode|stem=snowball-german:") and de.endswith("|split=punct")


def test_language_codes_and_did_you_mean():
    assert language_settings("pt-BR").code == "pt"
    assert language_settings("ZH_Hans").code == "zh"
    assert language_settings("nb").code == "no"
    with pytest.raises(LanguageError, match=r"did you mean 'de', the ISO 639-1 code of German"):
        language_settings("german")
    with pytest.raises(LanguageError, match=r"unknown language 'dee' \(did you mean 'de' \(German\)"):
        language_settings("dee")
    with pytest.raises(PluginError, match="unknown language 'xx'"):
        make_tokenizer("unicode", "xx")
    with pytest.raises(LanguageError, match=r"unknown tokenizer 'unicod' \(did you mean 'unicode'\?\)"):
        make_tokenizer("unicod")
    with pytest.raises(LanguageError, match="segments Chinese"):
        make_tokenizer("cjk", "de")
    with pytest.raises(LanguageError, match="always lower-cases"):
        make_tokenizer("rouge-score", lowercase=False)
    with pytest.raises(LanguageError, match="cannot import module 'no_such_module'"):
        make_tokenizer("no_such_module:tok")
    with pytest.raises(LanguageError, match="has no 'nothing'"):
        make_tokenizer("sumbench.text:nothing")
    with pytest.raises(LanguageError, match="unknown sentence splitter 'nltk'"):
        make_sentence_splitter("de", "nltk")


@pytest.mark.parametrize(
    ("module", "dist", "make"),
    [
        ("jieba", "jieba", lambda: make_tokenizer("cjk", "zh")),
        ("fugashi", "fugashi", lambda: make_tokenizer("cjk", "ja")),
        ("unidic_lite", "unidic-lite", lambda: make_tokenizer("cjk", "ja")),
        ("snowballstemmer", "snowballstemmer", lambda: make_stemmer("de")),  # with PyStemmer missing too
        ("pysbd", "pysbd", lambda: make_sentence_splitter("ru")),
        ("stopwordsiso", "stopwordsiso", lambda: stopwords("de")),
        ("regex", "regex", lambda: make_tokenizer("unicode", "ru")),
    ],
)
def test_a_missing_package_is_one_clear_line(monkeypatch, module, dist, make):
    monkeypatch.setitem(sys.modules, module, None)  # import raises ImportError
    if module == "snowballstemmer":
        monkeypatch.setitem(sys.modules, "Stemmer", None)
    with pytest.raises(MissingPackageError) as info:
        make()
    assert re.fullmatch(rf"language '(zh|ja|de|ru)' needs {dist}: pip install 'sumbench\[languages\]'", str(info.value))
    assert isinstance(info.value, PluginError)


def test_a_missing_package_without_a_language_names_the_part(monkeypatch):
    monkeypatch.setitem(sys.modules, "regex", None)
    with pytest.raises(MissingPackageError, match=r"^tokenizer 'unicode' needs regex: pip install"):
        make_tokenizer("unicode")


def test_the_module_imports_no_optional_package():
    """Importing sumbench.languages loads none of the extra's packages (a fresh interpreter)."""
    import subprocess

    code = (
        "import sys, sumbench.languages as L; L.language_settings('zh'); L.make_tokenizer(None, 'en');"
        "bad = [m for m in ('jieba', 'fugashi', 'snowballstemmer', 'Stemmer', 'pysbd', 'stopwordsiso') "
        "if m in sys.modules]; print(bad)"
    )
    src = Path(__file__).resolve().parents[1] / "src"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=src)
    assert out.stdout.strip() == "[]"
