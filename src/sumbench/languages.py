"""Languages: the tokenizer, stemmer, sentence splitter and stop words a run uses for its ``language``.

One setting, ``language`` (an ISO 639-1 code, default ``"en"``), selects for the whole run the settings
of :data:`LANGUAGES` (:func:`language_settings`); each part can also be set on its own. English keeps
today's pipeline bit for bit (the ``rouge-score`` tokenizer, NLTK's Porter inside the ROUGE engine,
:func:`sumbench.text.split_sentences`), so English numbers do not change.

Tokenizers (:func:`make_tokenizer`; every one returns lower-cased tokens unless ``lowercase=False``):

``rouge-score``
    rouge-score 0.1.2's: lowercase, keep ``[a-z0-9]+`` runs (:func:`sumbench.text.tokenize`). Every
    other letter is a separator and vanishes: German ``Größe`` is ``gr e``, Chinese text is nothing.
``unicode``
    NFKC-normalised, lower-cased text; a token is a run of Unicode letters (``\\p{L}``), combining marks
    (``\\p{M}``, so Devanagari vowel signs and Arabic diacritics stay inside their word) and digits
    (``\\p{N}``). Han ideographs, hiragana and katakana (the scripts written without spaces) are one
    token per character, so a Chinese sentence never becomes one huge token. On ASCII text it equals
    ``rouge-score`` token for token (``tests/test_languages.py`` proves it over the shared English
    corpora and on generated text). Fast paths, proven equal to the rule: text that is ASCII, or whose
    other characters are only punctuation such as ``£ ’ –``, takes that tokenizer's regex; text with
    nothing from U+3005 on skips the per-character alternation. Case:
    :meth:`str.lower` (not ``casefold``: ``ß`` stays ``ß``), a dotted capital ``İ`` becomes ``i``, and
    for Turkish ``I`` lowers to ``ı``.
``cjk``
    Word segmentation: jieba for Chinese (its dictionary only, ``HMM=False``: deterministic, the same
    words for the same string whatever the jieba global state, ~370k characters/s; unknown words fall
    apart into single characters instead of being guessed by the HMM), MeCab through fugashi with the
    unidic-lite dictionary for Japanese (surface forms). The segments then go through the ``unicode``
    rule (lower case, letters/marks/digits only), which also handles the non-CJK parts of the text.
``cjk-char``
    One token per Han, kana, Hangul or Bopomofo character, the ``unicode`` rule elsewhere: the
    character-level ROUGE many Chinese summarization papers report. On Chinese and Japanese text it
    equals ``unicode``; it differs only on Korean (``unicode`` keeps Hangul words whole).
``whitespace``
    ``text.lower().split()``: punctuation stays attached.
``module:callable``
    A callable ``text -> list[str]``, an object with ``tokenize``, or a class (built without arguments)
    whose instances have ``tokenize``. Its tokens are used as given (``lowercase`` does not apply).

Stemmers (:func:`make_stemmer`): Snowball for every language it covers, computed by PyStemmer (C) when
it is installed, else by snowballstemmer (pure Python): the same stems, PyStemmer 14-46x faster on
uncached words (measured on the multilingual sample); each token's stem is cached. English's
``porter`` is rouge-score's NLTK Porter, applied by the ROUGE engine (:mod:`sumbench.scoring._rouge_core`),
not here.

Sentence splitters (:func:`make_sentence_splitter`): ``sumbench`` (English, today's splitter), ``pysbd``
for the languages pySBD covers (rule-based, 22 languages; long lines are cut at certain sentence
ends before pySBD sees them, since its time grows with the square of a line's length), ``cjk``
(after ``。！？!?`` and their half-/full-width forms, with closing quotes and brackets) and ``punct``
(sentence punctuation of many scripts, Arabic ``؟`` and Devanagari ``।`` included, followed by a space
and an upper-case or uncased letter, a digit or an opening quote). Every splitter also cuts at newlines
and returns stripped, non-empty sentences.

Stop words (:func:`stopwords`): stopwords-iso's list of the language (stopwordsiso), NFKC + lower case.

Coverage (:func:`dropped_letter_share`, :class:`TokenizerCoverage`, :func:`coverage_warning`): the share
of a text's letters that no token keeps. Above :data:`COVERAGE_WARN_SHARE` a run should warn once per
corpus, naming the language or tokenizer to set (guessed from the script of the dropped letters).

Third-party packages (the ``languages`` extra: ``pip install 'sumbench[languages]'``) are imported only
when a part that needs them is made; a missing one raises :class:`MissingPackageError` in one line.
This module sits on the ground floor: it imports only :mod:`sumbench.text` and :mod:`sumbench.errors`.
"""

from __future__ import annotations

import difflib
import importlib
import logging
import pkgutil
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import metadata
from typing import Any, NamedTuple, Protocol

from sumbench.errors import PluginError
from sumbench.text import split_sentences, tokenize
from sumbench.text import words as split_words

__all__ = [
    "COVERAGE_WARN_SHARE",
    "LANGUAGES",
    "TOKENIZERS",
    "SPLITTERS",
    "CoverageExample",
    "Language",
    "LanguageError",
    "MissingPackageError",
    "SentenceSplitter",
    "TextTokenizer",
    "Tokenizer",
    "TokenizerCoverage",
    "coverage_warning",
    "dropped_letter_share",
    "guess_language",
    "language_settings",
    "language_table",
    "make_sentence_splitter",
    "make_stemmer",
    "make_tokenizer",
    "signature",
    "stemmer_signature",
    "stopwords",
]

#: The built-in tokenizers; ``"module:callable"`` names a custom one.
TOKENIZERS: tuple[str, ...] = ("rouge-score", "unicode", "cjk", "cjk-char", "whitespace")
#: The sentence splitters (``"pysbd"`` takes the language's pySBD rules).
SPLITTERS: tuple[str, ...] = ("sumbench", "pysbd", "cjk", "punct")
#: A tokenizer that drops more than this share of a corpus's letters (0.5%) gets a warning. Measured with
#: the ``rouge-score`` tokenizer on the shared corpora: the five English corpora 0.003% of their letters
#: (the worst English article, full of Irish names, 0.84%; the worst reference, with mojibake, 2.3%),
#: German 1.6% (its umlauts and ß), Spanish 2.3%,
#: French 4.0%, Japanese 96%, Chinese 98%, Russian 99%, Arabic and Hindi 100%. At 2% German would pass
#: in silence; Italian, whose accents sit mostly on final vowels, is estimated near 0.5-0.8%.
COVERAGE_WARN_SHARE = 0.005

_INSTALL = "pip install 'sumbench[languages]'"


class LanguageError(PluginError):
    """An unknown language, tokenizer, stemmer or splitter, stated in one line."""


class MissingPackageError(LanguageError):
    """A package of the ``languages`` extra is not installed: the message names it and the pip command."""


class Tokenizer(Protocol):
    """rouge-score's tokenizer interface (as :class:`sumbench.scoring.rouge.Tokenizer`)."""

    def tokenize(self, text: str) -> list[str]: ...


# --------------------------------------------------------------------------------------------------
# The language table
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Language:
    """The recommended settings of one language.

    ``tokenizer``: a name of :data:`TOKENIZERS`. ``stemmer``: a Snowball algorithm name (``"german"``),
    ``"porter"`` (English: rouge-score's NLTK Porter, applied by the ROUGE engine) or ``None``.
    ``splitter``: ``"sumbench"``, ``"pysbd:<code>"`` (pySBD's rules for that language), ``"cjk"`` or ``"punct"``.
    ``stopwords``: the stopwords-iso code of the stop list, or ``None`` (none maintained).
    """

    code: str
    name: str
    tokenizer: str = "unicode"
    stemmer: str | None = None
    splitter: str = "punct"
    stopwords: str | None = None


def _lang(code: str, name: str, stemmer: str | None, splitter: str, stop: bool = True) -> Language:
    """A language of the ``unicode`` tokenizer; ``splitter`` ``"pysbd"`` means pySBD's rules for ``code``."""
    return Language(
        code, name, "unicode", stemmer, f"pysbd:{code}" if splitter == "pysbd" else splitter, code if stop else None
    )


#: Every supported language by ISO 639-1 code. Scripts written without spaces that no segmenter here
#: handles (Thai, Lao, Khmer, Burmese) are left out: the ``unicode`` tokenizer would make whole phrases
#: single tokens. The table is checked against snowballstemmer, pySBD and stopwords-iso by the tests.
LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "rouge-score", "porter", "sumbench", "en"),
        _lang("de", "German", "german", "pysbd"),
        _lang("fr", "French", "french", "pysbd"),
        _lang("es", "Spanish", "spanish", "pysbd"),
        _lang("it", "Italian", "italian", "pysbd"),
        _lang("pt", "Portuguese", "portuguese", "punct"),
        _lang("nl", "Dutch", "dutch", "pysbd"),
        _lang("ru", "Russian", "russian", "pysbd"),
        _lang("ar", "Arabic", "arabic", "punct"),  # pySBD's Arabic rules end sentences at the comma '،'
        # pySBD's Hindi rules split only at the danda; BBC Hindi (and much web text) ends sentences with "."
        _lang("hi", "Hindi", "hindi", "punct"),
        Language("zh", "Chinese", "cjk", None, "cjk", "zh"),
        Language("ja", "Japanese", "cjk", None, "cjk", "ja"),
        _lang("tr", "Turkish", "turkish", "punct"),
        _lang("pl", "Polish", "polish", "pysbd"),
        _lang("sv", "Swedish", "swedish", "punct"),
        _lang("da", "Danish", "danish", "pysbd"),
        _lang("no", "Norwegian", "norwegian", "punct"),
        _lang("fi", "Finnish", "finnish", "punct"),
        _lang("hu", "Hungarian", "hungarian", "punct"),
        _lang("ro", "Romanian", "romanian", "punct"),
        _lang("cs", "Czech", "czech", "punct"),
        _lang("el", "Greek", "greek", "pysbd"),
        _lang("ca", "Catalan", "catalan", "punct"),
        _lang("eu", "Basque", "basque", "punct"),
        _lang("lt", "Lithuanian", "lithuanian", "punct"),
        _lang("et", "Estonian", "estonian", "punct"),
        _lang("ga", "Irish", "irish", "punct"),
        _lang("id", "Indonesian", "indonesian", "punct"),
        _lang("hy", "Armenian", "armenian", "pysbd"),
        _lang("fa", "Persian", "persian", "pysbd"),
        _lang("eo", "Esperanto", "esperanto", "punct"),
        _lang("st", "Sesotho", "sesotho", "punct"),
        _lang("ne", "Nepali", "nepali", "punct", stop=False),
        _lang("ta", "Tamil", "tamil", "punct", stop=False),
        _lang("sr", "Serbian", "serbian", "punct", stop=False),
        _lang("yi", "Yiddish", "yiddish", "punct", stop=False),
        _lang("bg", "Bulgarian", None, "pysbd"),
        _lang("uk", "Ukrainian", None, "punct"),
        _lang("sk", "Slovak", None, "pysbd"),
        _lang("ur", "Urdu", None, "pysbd"),
        _lang("mr", "Marathi", None, "pysbd"),
        _lang("am", "Amharic", None, "pysbd", stop=False),
        _lang("kk", "Kazakh", None, "pysbd", stop=False),
        _lang("he", "Hebrew", None, "punct"),
        _lang("ko", "Korean", None, "punct"),
        _lang("vi", "Vietnamese", None, "punct"),
    )
}

# codes accepted for the table's languages (macrolanguage / older codes)
_ALIASES = {"nb": "no", "nn": "no", "iw": "he", "in": "id", "zh-hans": "zh", "zh-hant": "zh"}


def language_settings(code: str) -> Language:
    """The :class:`Language` of an ISO 639-1 code (case and a region or script subtag ignored:
    ``"pt-BR"``, ``"zh_Hans"``); an unknown code raises :class:`LanguageError` with suggestions."""
    key = str(code).strip().lower().replace("_", "-")
    if key in _ALIASES:
        key = _ALIASES[key]
    if key not in LANGUAGES:
        key = _ALIASES.get(key.split("-")[0], key.split("-")[0])
    if key in LANGUAGES:
        return LANGUAGES[key]
    raise LanguageError(f"unknown language {code!r}{_did_you_mean(str(code))}; known: {', '.join(LANGUAGES)}")


def _did_you_mean(code: str) -> str:
    word = code.strip().lower()
    by_name = {lang.name.lower(): lang.code for lang in LANGUAGES.values()}
    if word in by_name:
        return f" (did you mean {by_name[word]!r}, the ISO 639-1 code of {word.title()}?)"
    names = difflib.get_close_matches(word, list(by_name), n=1, cutoff=0.75)
    if names:
        return f" (did you mean {by_name[names[0]]!r} ({names[0].title()})?)"
    codes = difflib.get_close_matches(word, list(LANGUAGES), n=3, cutoff=0.5)
    if codes:
        return " (did you mean " + " or ".join(f"{c!r} ({LANGUAGES[c].name})" for c in codes) + "?)"
    return ""


def language_table() -> str:
    """:data:`LANGUAGES` as a Markdown table (code, name, tokenizer, stemmer, splitter, stop words)."""
    rows = ["| code | language | tokenizer | stemmer | sentence splitter | stop words |", "|---|---|---|---|---|---|"]
    for lang in LANGUAGES.values():
        stem = lang.stemmer or "none"
        rows.append(
            f"| {lang.code} | {lang.name} | {lang.tokenizer} | {stem} | {lang.splitter} | {lang.stopwords or 'none'} |"
        )
    return "\n".join(rows)


# --------------------------------------------------------------------------------------------------
# Lazy imports of the optional packages
# --------------------------------------------------------------------------------------------------


def _import(module: str, dist: str, who: str) -> Any:
    """Import ``module`` (of the distribution ``dist``) or raise :class:`MissingPackageError` naming
    ``who`` needs it (``"language 'zh'"``, ``"tokenizer 'unicode'"``)."""
    try:
        with warnings.catch_warnings():
            # jieba imports pkg_resources (deprecated by setuptools): not the user's concern
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            return importlib.import_module(module)
    except ImportError as exc:
        raise MissingPackageError(f"{who} needs {dist}: {_INSTALL}") from exc


@cache
def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def _who(language: str | None, what: str) -> str:
    return f"language {language!r}" if language and language != "en" else what


# --------------------------------------------------------------------------------------------------
# Tokenizers
# --------------------------------------------------------------------------------------------------

# letters (incl. Lm/Lo), marks and digits of the scripts written without spaces: one token per character.
# By Script, not Script_Extensions (which would take in U+0323 COMBINING DOT BELOW and other marks that
# Latin text uses), plus the kana length mark ー/ｰ, 〆, the kana repeat marks and the masu mark (Common).
_CJK_SET = r"\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30fc\uff70\u3006\u3031-\u3035\u303c"
_CJK_CHARS = rf"[[{_CJK_SET}]&&[\p{{L}}\p{{M}}\p{{N}}]]"
_CJK_HANGUL_CHARS = rf"[[{_CJK_SET}\p{{sc=Hangul}}\p{{sc=Bopomofo}}]&&[\p{{L}}\p{{M}}\p{{N}}]]"
# No character of _CJK_CHARS lies below U+3005, none of _CJK_HANGUL_CHARS below U+1100 (checked by the
# tests): text without characters from there on needs only the plain word rule, which is twice as fast.
_MAYBE_CJK = re.compile(r"[^\x00-\u3004]").search
_MAYBE_CJK_HANGUL = re.compile(r"[^\x00-\u10ff]").search
_WORD_CHARS = r"[\p{L}\p{M}\p{N}]"


_COMPILED: dict[str, Any] = {}


def _compile(pattern: str, who: str) -> Any:
    """``pattern`` compiled once with the ``regex`` package (imported every time: a missing package
    is reported for ``who`` whatever was compiled before)."""
    rx = _import("regex", "regex", who)
    compiled = _COMPILED.get(pattern)
    if compiled is None:
        compiled = _COMPILED[pattern] = rx.compile(pattern)
    return compiled


def _regexes(who: str) -> tuple[Any, Any, Any]:
    """(unicode rule, cjk-char rule, plain word rule)."""
    per_char = rf"(?V1){_CJK_CHARS}|[{_WORD_CHARS}--{_CJK_CHARS}]+"
    per_char_hangul = rf"(?V1){_CJK_HANGUL_CHARS}|[{_WORD_CHARS}--{_CJK_HANGUL_CHARS}]+"
    return _compile(per_char, who), _compile(per_char_hangul, who), _compile(rf"{_WORD_CHARS}+", who)


_ASCII_LOWER_TOKEN = tokenize  # sumbench.text.tokenize: lower() + [a-z0-9]+
_ascii_cased_tokens = re.compile(r"[A-Za-z0-9]+").findall
_non_ascii = re.compile(r"[^\x00-\x7f]").findall


@lru_cache(maxsize=1 << 14)
def _inert(ch: str) -> bool:
    """Whether ``ch`` is neither a letter, mark nor digit, before or after NFKC (``£``, ``’``, a no-break
    space, a dash: not ``™``, which NFKC makes ``TM``). Such characters only separate tokens, and they
    never compose with a neighbour under NFKC (only marks and jamo do)."""
    word_char = _compile(rf"{_WORD_CHARS}", "tokenizer 'unicode'")  # regex's Unicode tables, not Python's
    return not word_char.search(ch + unicodedata.normalize("NFKC", ch))


def _ascii_rule_applies(text: str) -> bool:
    """Whether the ASCII rule gives ``text``'s tokens: ASCII text, or English text whose other characters
    are all :func:`_inert` (pound signs, curly quotes, dashes), as most English news is."""
    return text.isascii() or all(map(_inert, set(_non_ascii(text))))


def _normalize(text: str, lowercase: bool, turkish: bool) -> str:
    """NFKC, then lower case (Turkish ``I`` -> ``ı``, ``İ`` -> ``i`` in every language)."""
    text = unicodedata.normalize("NFKC", text)
    if not lowercase:
        return text
    if turkish:
        text = text.replace("I", "ı").replace("İ", "i")
    text = text.lower()
    if "\u0307" in text:  # "İ".lower() is "i" + COMBINING DOT ABOVE
        text = text.replace("i\u0307", "i")
    return text


class TextTokenizer:
    """A tokenizer made by :func:`make_tokenizer`: ``tokenize(text) -> list[str]`` (also callable).

    ``name`` is the tokenizer's name (``"unicode"``, ``"cjk"``, ``"pkg.mod:func"``), ``language`` the
    language it was made for and ``signature`` names it with what decides its output (segmenter and
    dictionary versions, ``+cased`` when ``lowercase`` is off), for the ROUGE signature.
    """

    name: str = ""
    language: str = "en"
    lowercase: bool = True

    @property
    def signature(self) -> str:
        return self.name + ("" if self.lowercase else "+cased")

    def tokenize(self, text: str) -> list[str]:
        raise NotImplementedError

    def __call__(self, text: str) -> list[str]:
        return self.tokenize(text)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.signature} language={self.language}>"


class _RougeScoreTokenizer(TextTokenizer):
    name = "rouge-score"

    def __init__(self, language: str):
        self.language = language

    def tokenize(self, text: str) -> list[str]:
        return _ASCII_LOWER_TOKEN(text)


class _WhitespaceTokenizer(TextTokenizer):
    name = "whitespace"

    def __init__(self, language: str, lowercase: bool):
        self.language = language
        self.lowercase = lowercase

    def tokenize(self, text: str) -> list[str]:
        return (text.lower() if self.lowercase else text).split()


class _UnicodeTokenizer(TextTokenizer):
    """The ``unicode`` and ``cjk-char`` rules (see the module docstring)."""

    def __init__(self, name: str, language: str, lowercase: bool):
        self.name = name
        self.language = language
        self.lowercase = lowercase
        self._turkish = language in ("tr", "az")
        unicode_rule, char_rule, word_rule = _regexes(_who(language, f"tokenizer {name!r}"))
        self._findall = (char_rule if name == "cjk-char" else unicode_rule).findall
        self._maybe_cjk = _MAYBE_CJK_HANGUL if name == "cjk-char" else _MAYBE_CJK
        self._words = word_rule.findall
        self._fast = _ASCII_LOWER_TOKEN if lowercase else _ascii_cased_tokens

    def tokenize(self, text: str) -> list[str]:
        if _ascii_rule_applies(text) and not (self._turkish and "I" in text):
            return self._fast(text)
        text = _normalize(text, self.lowercase, self._turkish)
        return self._findall(text) if self._maybe_cjk(text) else self._words(text)

    def general(self, text: str) -> list[str]:
        """The rule itself, without the fast paths (for tests: they must agree)."""
        return self._findall(_normalize(text, self.lowercase, self._turkish))


_JIEBA: Any = None


def _jieba_tokenizer(jieba: Any) -> Any:
    """A private ``jieba.Tokenizer`` on the default dictionary (user dictionaries added to jieba's global
    tokenizer do not change ours), initialised once without jieba's log lines."""
    global _JIEBA
    if _JIEBA is None:
        tok = jieba.Tokenizer()
        logger = getattr(jieba, "default_logger", None) or logging.getLogger("jieba")
        level = logger.level
        logger.setLevel(logging.WARNING)
        try:
            tok.initialize()
        finally:
            logger.setLevel(level)
        _JIEBA = tok
    return _JIEBA


_TAGGER: Any = None


def _fugashi_tagger(fugashi: Any, unidic_lite: Any) -> Any:
    """A MeCab tagger on unidic-lite's dictionary (named explicitly, so a full ``unidic`` install that was
    never downloaded cannot be picked up instead)."""
    global _TAGGER
    if _TAGGER is None:
        dicdir = unidic_lite.DICDIR
        _TAGGER = fugashi.Tagger(f'-d "{dicdir}" -r "{dicdir}/mecabrc"')
    return _TAGGER


class _SegmentingTokenizer(TextTokenizer):
    """``cjk``: jieba (zh) or MeCab (ja) segments, each put through the plain word rule."""

    name = "cjk"

    def __init__(self, language: str, lowercase: bool):
        self.language = language
        self.lowercase = lowercase
        who = f"language {language!r}"
        self._word = _regexes(who)[2].findall
        if language == "ja":
            self._fugashi = _import("fugashi", "fugashi", who)
            self._unidic = _import("unidic_lite", "unidic-lite", who)
            self._engine = f"fugashi-{_version('fugashi')}+unidic-lite-{_version('unidic-lite')}"
        else:
            self._jieba = _import("jieba", "jieba", who)
            self._engine = f"jieba-{_version('jieba')}"

    @property
    def signature(self) -> str:
        return f"cjk:{self._engine}" + ("" if self.lowercase else "+cased")

    def segments(self, text: str) -> list[str]:
        """The segmenter's words of NFKC-normalised ``text`` (spaces and punctuation included)."""
        text = unicodedata.normalize("NFKC", text)
        if self.lowercase and "İ" in text:
            text = text.replace("İ", "I")  # its lower case is i + combining dot
        if self.language == "ja":
            return [w.surface for w in _fugashi_tagger(self._fugashi, self._unidic)(text)]
        return _jieba_tokenizer(self._jieba).lcut(text, cut_all=False, HMM=False)

    def tokenize(self, text: str) -> list[str]:
        if _ascii_rule_applies(text):
            return _ASCII_LOWER_TOKEN(text) if self.lowercase else _ascii_cased_tokens(text)
        out: list[str] = []
        word = self._word
        lower = self.lowercase
        for seg in self.segments(text):
            out.extend(word(seg.lower() if lower else seg))
        return out


class _CallableTokenizer(TextTokenizer):
    def __init__(self, name: str, language: str, fn: Callable[[str], Iterable[str]]):
        self.name = name
        self.language = language
        self._fn = fn

    @property
    def signature(self) -> str:
        return f"module:{self.name}"

    def tokenize(self, text: str) -> list[str]:
        return list(self._fn(text))


def _load_callable(spec: str, language: str) -> _CallableTokenizer:
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise LanguageError(f"tokenizer {spec!r}: expected 'module:callable'")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise LanguageError(f"tokenizer {spec!r}: cannot import module {module_name!r} ({exc})") from exc
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise LanguageError(f"tokenizer {spec!r}: module {module_name!r} has no {attr!r}")
        obj = getattr(obj, part)
    if isinstance(obj, type):
        try:
            obj = obj()
        except Exception as exc:  # any failure of user code becomes one line
            raise LanguageError(f"tokenizer {spec!r}: cannot build {attr}() ({type(exc).__name__}: {exc})") from exc
    fn = getattr(obj, "tokenize", None)
    if fn is None and callable(obj):
        fn = obj
    if not callable(fn):
        raise LanguageError(f"tokenizer {spec!r} is neither callable nor has a tokenize method")
    return _CallableTokenizer(spec, language, fn)


def make_tokenizer(name: str | None = None, language: str = "en", *, lowercase: bool = True) -> TextTokenizer:
    """The tokenizer ``name`` (one of :data:`TOKENIZERS` or ``"module:callable"``; ``None``: the
    language's recommended one) for ``language``. Raises :class:`LanguageError` for an unknown name or
    language, :class:`MissingPackageError` when a package it needs is not installed."""
    settings = language_settings(language)
    code = settings.code
    if name is None:
        name = settings.tokenizer
    if name == "rouge-score":
        if not lowercase:
            raise LanguageError("the rouge-score tokenizer always lower-cases (lowercase=False is not possible)")
        return _RougeScoreTokenizer(code)
    if name == "whitespace":
        return _WhitespaceTokenizer(code, lowercase)
    if name in ("unicode", "cjk-char"):
        return _UnicodeTokenizer(name, code, lowercase)
    if name == "cjk":
        if code not in ("zh", "ja"):
            raise LanguageError(
                f"tokenizer 'cjk' segments Chinese (language 'zh') or Japanese ('ja'), not {code!r}: "
                "use tokenizer 'cjk-char' or 'unicode'"
            )
        return _SegmentingTokenizer(code, lowercase)
    if ":" in str(name):
        return _load_callable(str(name), code)
    close = difflib.get_close_matches(str(name), TOKENIZERS, n=1, cutoff=0.5)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise LanguageError(f"unknown tokenizer {name!r}{hint}; known: {', '.join(TOKENIZERS)} or 'module:callable'")


def _tokenizer_name(tokenizer: Any) -> str:
    return str(getattr(tokenizer, "name", "") or type(tokenizer).__name__)


# --------------------------------------------------------------------------------------------------
# Stemmers
# --------------------------------------------------------------------------------------------------


def _snowball_engine(who: str) -> tuple[str, Any]:
    """The Snowball engine: ``("PyStemmer", Stemmer)`` (C, 14-46x faster on uncached words, the same
    stems) when PyStemmer is installed, else ``("snowballstemmer", snowballstemmer)`` (pure Python).
    Chosen here rather than through snowballstemmer's own dispatch, which some versions get wrong."""
    try:
        return "PyStemmer", _import("Stemmer", "PyStemmer", who)
    except MissingPackageError:
        return "snowballstemmer", _import("snowballstemmer", "snowballstemmer", who)


def _algorithms(engine: str, module: Any) -> tuple[str, ...]:
    if engine == "PyStemmer":
        return tuple(module.algorithms())
    # snowballstemmer's pure-Python algorithms are its modules ``<algorithm>_stemmer``
    names = (m.name for m in pkgutil.iter_modules(module.__path__))
    return tuple(sorted(name[: -len("_stemmer")] for name in names if name.endswith("_stemmer")))


def _snowball_algorithms() -> tuple[str, ...]:
    return _algorithms(*_snowball_engine("Snowball stemming"))


def _stemmer_algorithm(language: str) -> tuple[str | None, str]:
    """(the Snowball algorithm, the language code or "") of a language code or of an algorithm name."""
    try:
        settings = language_settings(language)
    except LanguageError:
        key = str(language).strip().lower()
        if len(key) > 3 and key in _snowball_algorithms():
            return key, ""
        raise
    return settings.stemmer, settings.code


@cache
def _snowball_stem(algorithm: str, engine: str) -> Callable[[str], str]:
    module = importlib.import_module("Stemmer" if engine == "PyStemmer" else "snowballstemmer")
    known = _algorithms(engine, module)
    if algorithm not in known:
        raise LanguageError(f"unknown Snowball stemmer {algorithm!r}; known: {', '.join(known)}")
    if engine == "PyStemmer":
        stemmer = module.Stemmer(algorithm)
    else:  # the pure-Python class itself: snowballstemmer.stemmer() would pick PyStemmer when importable
        pure = importlib.import_module(f"snowballstemmer.{algorithm}_stemmer")
        stemmer = getattr(pure, "".join(part.title() for part in algorithm.split("_")) + "Stemmer")()
    return lru_cache(maxsize=1 << 17)(stemmer.stemWord)


def make_stemmer(language: str) -> Callable[[str], str] | None:
    """A Snowball stemmer (``token -> stem``, each token's stem cached) for a language code (``"de"``) or
    a Snowball algorithm name (``"german"``, ``"english"`` for Porter2); ``None`` for a language without
    a stemmer (``zh``, ``ja``, ``ko`` ...) and for English, whose ``"porter"`` is rouge-score's NLTK
    Porter that the ROUGE engine applies itself. The same callable is returned for the same
    algorithm, so its cache is shared. Tokens are stemmed whatever their length."""
    algorithm, code = _stemmer_algorithm(language)
    if algorithm is None or algorithm == "porter":
        return None
    engine, _ = _snowball_engine(_who(code, f"stemmer {algorithm!r}"))
    return _snowball_stem(algorithm, engine)


def stemmer_signature(language: str) -> str:
    """``"none"``, ``"porter"`` or ``"snowball-german:PyStemmer-3.1.0"`` (the engine that computes
    the stems: PyStemmer's C code when installed, else snowballstemmer's pure Python)."""
    algorithm, code = _stemmer_algorithm(language)
    if algorithm is None:
        return "none"
    if algorithm == "porter":
        return "porter"
    engine, _ = _snowball_engine(_who(code, f"stemmer {algorithm!r}"))
    return f"snowball-{algorithm}:{engine}-{_version(engine)}"


# --------------------------------------------------------------------------------------------------
# Sentence splitters
# --------------------------------------------------------------------------------------------------

_CLOSE = "\"'”’»›)]}」』）》〉】〕"
_OPEN = "\"'“‘«‹([{「『（《〈【〔¿¡"
_ENDS = ".!?…؟۔।॥։።"
_CJK_ENDS = "。！？!?｡"
#: pySBD's time grows with the square of a line's length: longer lines are first cut at sure sentence
#: ends (see :func:`_safe_cuts`) into pieces of about this many characters.
_PYSBD_CHUNK = 600


class SentenceSplitter:
    """A splitter made by :func:`make_sentence_splitter`: ``splitter(text) -> list[str]`` (stripped,
    non-empty sentences; newlines always end a sentence); ``name`` and ``signature`` name it."""

    name = ""

    @property
    def signature(self) -> str:
        return self.name

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        for line in text.splitlines():
            if line.strip():
                out.extend(s for s in (p.strip() for p in self.split_line(line)) if s)
        return out

    def split_line(self, line: str) -> list[str]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<SentenceSplitter {self.signature}>"


class _SumbenchSplitter(SentenceSplitter):
    name = "sumbench"

    def __call__(self, text: str) -> list[str]:
        return split_sentences(text)

    def split_line(self, line: str) -> list[str]:
        return split_sentences(line)


class _CutSplitter(SentenceSplitter):
    """Cut after each match of a compiled pattern (``cjk``, ``punct``)."""

    def __init__(self, name: str, pattern: Any, check: Callable[[str, int], bool] | None = None):
        self.name = name
        self._pattern = pattern
        self._check = check

    def split_line(self, line: str) -> list[str]:
        out: list[str] = []
        start = 0
        check = self._check
        for m in self._pattern.finditer(line):
            end = m.end(1)
            if check is not None and not check(line, m.start(1)):
                continue
            out.append(line[start:end])
            start = end
        out.append(line[start:])
        return out


def _not_abbreviation(line: str, punct_start: int) -> bool:
    """Whether the sentence punctuation at ``punct_start`` may end a sentence: a full stop does not after
    a word of one or two letters of a cased script (an initial, ``J. Smith``, or an abbreviation such as
    ``Sr.``, ``Dr.``, ``Av.``, ``nº.``); uncased scripts (Devanagari ``है.``) always may."""
    if line[punct_start] != ".":
        return True
    before = line[:punct_start]
    word = before.rsplit(None, 1)[-1].lstrip(_OPEN) if before.strip() else ""
    return not (0 < len(word) <= 2 and word.isalpha() and word[0].lower() != word[0].upper())


def _punct_pattern(who: str) -> Any:
    ends, close, opens = (re.escape(s) for s in (_ENDS, _CLOSE, _OPEN))
    return _compile(rf"([{ends}]+[{close}]*)\s+(?=[{opens}]*[\p{{Lu}}\p{{Lt}}\p{{Lo}}\p{{N}}])", who)


def _cjk_pattern(who: str) -> Any:
    return _compile(rf"([{re.escape(_CJK_ENDS)}]+[{re.escape(_CLOSE)}]*)", who)


def _safe_cut_pattern(who: str) -> Any:
    # a word of 4+ lower-case letters, a full stop, ! or ?, space, a capital (no quotes around: pySBD
    # handles a quote after the stop its own way)
    return _compile(r"\p{Ll}{4}[.!?](\s+)(?=\p{Lu})", who)


class _PysbdSplitter(SentenceSplitter):
    def __init__(self, code: str, who: str):
        pysbd = _import("pysbd", "pysbd", who)
        self.code = code
        self.name = f"pysbd-{code}"
        self._segment = pysbd.Segmenter(language=code, clean=False).segment
        self._cuts = _safe_cut_pattern(who)

    @property
    def signature(self) -> str:
        return f"pysbd-{self.code}:pysbd-{_version('pysbd')}"

    def split_line(self, line: str) -> list[str]:
        if len(line) <= _PYSBD_CHUNK:
            return list(self._segment(line))
        out: list[str] = []
        for piece in self.pieces(line):
            out.extend(self._segment(piece))
        return out

    def pieces(self, line: str) -> list[str]:
        """``line`` cut at the first sure sentence end past every :data:`_PYSBD_CHUNK` characters: after a
        word of 4+ lower-case letters ending in ``.``, ``!`` or ``?``, before a capital (abbreviations are
        short or capitalised), outside quotes and brackets (pySBD never splits inside them): a boundary
        pySBD itself makes."""
        out: list[str] = []
        start = 0
        for m in self._cuts.finditer(line, _PYSBD_CHUNK):
            cut = m.start(1)
            if cut - start < _PYSBD_CHUNK or not _balanced(line[start:cut]):
                continue
            out.append(line[start:cut])
            start = m.end(1)
        out.append(line[start:])
        return out


def _balanced(text: str) -> bool:
    """Whether ``text`` closes every quote and bracket it opens (straight and curly double quotes, „“,
    «», (), [])."""
    count = text.count
    return (
        count('"') % 2 == 0
        and (count("“") + count("”") + count("„")) % 2 == 0
        and count("«") == count("»")
        and count("(") == count(")")
        and count("[") == count("]")
    )


def make_sentence_splitter(language: str = "en", splitter: str | None = None) -> SentenceSplitter:
    """The sentence splitter of ``language`` (its recommended one, or ``splitter``: one of
    :data:`SPLITTERS`, ``"pysbd:<code>"`` for another language's pySBD rules). Sentences are stripped,
    non-empty substrings; a newline always ends one. pySBD segmenters are built once per splitter."""
    settings = language_settings(language)
    code = settings.code
    spec = splitter or settings.splitter
    if spec == "pysbd":
        spec = f"pysbd:{code}"
    who = _who(code, f"sentence splitter {spec!r}")
    if spec == "sumbench":
        return _SumbenchSplitter()
    if spec == "cjk":
        return _CutSplitter("cjk", _cjk_pattern(who))
    if spec == "punct":
        return _CutSplitter("punct", _punct_pattern(who), _not_abbreviation)
    if spec.startswith("pysbd:"):
        pysbd_code = spec.split(":", 1)[1]
        pysbd = _import("pysbd", "pysbd", who)
        known = pysbd.languages.LANGUAGE_CODES
        if pysbd_code not in known:
            raise LanguageError(f"pySBD has no rules for {pysbd_code!r}; it has: {', '.join(sorted(known))}")
        return _PysbdSplitter(pysbd_code, who)
    raise LanguageError(f"unknown sentence splitter {spec!r}; known: {', '.join(SPLITTERS)} or 'pysbd:<code>'")


# --------------------------------------------------------------------------------------------------
# Stop words
# --------------------------------------------------------------------------------------------------


@cache
def _stopwords(code: str, iso: str) -> frozenset[str]:
    words = importlib.import_module("stopwordsiso").stopwords(iso)
    normalized = (_normalize(str(w), True, code in ("tr", "az")).strip() for w in words)
    return frozenset(w for w in normalized if any(c.isalnum() for c in w))  # no punctuation entries


def stopwords(language: str) -> frozenset[str]:
    """The stop words of ``language`` from stopwords-iso (NFKC, lower case, as the tokenizers emit
    them); empty for a language stopwords-iso has no list for. English's is stopwords-iso's too (1,298
    words): the classic summarizers' own English default is scikit-learn's list."""
    settings = language_settings(language)
    if settings.stopwords is None:
        return frozenset()
    _import("stopwordsiso", "stopwordsiso", f"language {settings.code!r}")
    return _stopwords(settings.code, settings.stopwords)


# --------------------------------------------------------------------------------------------------
# Coverage: how many letters a tokenizer drops
# --------------------------------------------------------------------------------------------------

_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _count_letters(text: str) -> int:
    """How many letters (``\\p{L}``: ``str.isalpha`` characters) ``text`` has."""
    if text.isascii():
        raw = text.encode("ascii")
        return len(raw) - len(raw.translate(None, _ASCII_LETTERS))
    return sum(map(str.isalpha, text))


def _dropped(text: str, tokens: list[str]) -> tuple[int, int]:
    letters = _count_letters(text)
    if not letters:
        return 0, 0
    kept = _count_letters("".join(tokens))
    return letters, max(0, letters - kept)


def dropped_letter_share(text: str, tokenizer: Tokenizer | str, tokens: list[str] | None = None) -> float:
    """The share of ``text``'s letters (``\\p{L}`` characters) that no token keeps: 0.0 when every
    letter is in some token, ~1.0 for Chinese through the ``rouge-score`` tokenizer. ``tokenizer`` is a
    tokenizer object or name; pass ``tokens`` when they are already computed. Letters are counted, not
    matched: a token that changes letters (NFKC's ``ﬁ`` -> ``fi``) may hide a drop elsewhere."""
    if isinstance(tokenizer, str):
        tokenizer = make_tokenizer(tokenizer)
    if tokens is None:
        tokens = list(tokenizer.tokenize(text))
    letters, dropped = _dropped(text, tokens)
    return dropped / letters if letters else 0.0


# script of the first word of a letter's Unicode name -> the language to suggest
_SCRIPT_LANGUAGE = {
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HALFWIDTH": "ja",
    "CYRILLIC": "ru",
    "ARABIC": "ar",
    "DEVANAGARI": "hi",
    "GREEK": "el",
    "HANGUL": "ko",
    "HEBREW": "he",
    "ARMENIAN": "hy",
    "TAMIL": "ta",
    "ETHIOPIC": "am",
    "LATIN": "latin",
}


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    if first == "HALFWIDTH" and "KATAKANA" not in name:
        return "HALFWIDTH_OTHER"
    return first or "UNKNOWN"


def guess_language(scripts: Counter[str] | dict[str, int]) -> str | None:
    """The language to suggest for dropped letters counted by script (first word of their Unicode name:
    ``"CJK"``, ``"CYRILLIC"``, ``"LATIN"`` ...): ``"zh"``, ``"ja"`` (kana are 5%+ of the Han and kana),
    ``"ru"``, ``"ar"``, ``"hi"`` ...; ``"latin"`` for accented Latin letters (many languages); ``None``
    when nothing dominates a script this table knows."""
    if not scripts:
        return None
    kana = scripts.get("HIRAGANA", 0) + scripts.get("KATAKANA", 0) + scripts.get("HALFWIDTH", 0)
    han = scripts.get("CJK", 0)
    if kana + han and kana >= 0.05 * (kana + han) and kana + han >= 0.5 * sum(scripts.values()):
        return "ja"
    script = max(scripts, key=lambda s: scripts[s])
    return _SCRIPT_LANGUAGE.get(script)


_EXPLAIN = {
    "rouge-score": "it keeps only a-z and 0-9",
    "whitespace": "it splits at spaces only",
}


def coverage_warning(
    share: float,
    language: str,
    tokenizer: str,
    *,
    guess: str | None = None,
    what: str = "of this corpus",
    where: str = "",
) -> str | None:
    """One line when ``share`` (of the letters dropped by ``tokenizer`` in a run of ``language``) is above
    :data:`COVERAGE_WARN_SHARE`, else ``None``. ``guess`` (from :func:`guess_language`) picks the advice:
    a language to set (``set language = "zh" (tokenizer cjk)``), or, when the language is already
    right, the tokenizer to set. ``where`` (``"[scoring]"``) says where the setting goes."""
    if share <= COVERAGE_WARN_SHARE:
        return None
    pct = f"{share:.0%}" if share >= 0.01 else f"{share:.1%}"
    explain = _EXPLAIN.get(tokenizer)
    head = f"the {tokenizer} tokenizer drops {pct} of the letters {what}" + (f" ({explain})" if explain else "")
    place = f" in {where}" if where else ""
    code = language_settings(language).code
    if guess == "latin" and code == "en":
        advice = (
            'set language to the corpus\'s language, e.g. language = "de", "fr" or "es" (tokenizer unicode)' + place
        )
    elif guess and guess != "latin" and guess in LANGUAGES and LANGUAGES[guess].code != code:
        rec = LANGUAGES[guess]
        advice = f'set language = "{rec.code}" (tokenizer {rec.tokenizer}){place}'
    else:
        rec_tok = LANGUAGES[code].tokenizer
        if rec_tok != tokenizer and rec_tok != "rouge-score":
            advice = f'set tokenizer = "{rec_tok}" (recommended for language "{code}"){place}'
        else:
            advice = f'set tokenizer = "unicode" or a module:callable tokenizer that keeps these letters{place}'
    return f"{head}: {advice}"


class CoverageExample(NamedTuple):
    """The text with the highest dropped share seen by a :class:`TokenizerCoverage`."""

    share: float
    label: str | None
    excerpt: str


class TokenizerCoverage:
    """Counts, over a corpus, the letters a tokenizer drops (see :func:`dropped_letter_share`).

    ``add(text)`` per text (pass the tokens if already computed, and a label such as the document id);
    then :attr:`share` (dropped letters over all letters), :attr:`worst` (the worst text) and
    :meth:`warning` (:func:`coverage_warning`'s line, or ``None``), to be shown once per corpus.
    """

    def __init__(self, tokenizer: Tokenizer | str, language: str = "en"):
        self.tokenizer: Tokenizer = make_tokenizer(tokenizer, language) if isinstance(tokenizer, str) else tokenizer
        self.language = language_settings(language).code
        self.name = _tokenizer_name(self.tokenizer)
        self.letters = 0
        self.dropped = 0
        self.texts = 0
        self.scripts: Counter[str] = Counter()
        self.worst: CoverageExample | None = None

    def add(self, text: str, tokens: list[str] | None = None, *, label: str | None = None) -> float:
        """Count one text; returns its dropped share."""
        if tokens is None:
            tokens = list(self.tokenizer.tokenize(text))
        letters, dropped = _dropped(text, tokens)
        self.texts += 1
        self.letters += letters
        self.dropped += dropped
        share = dropped / letters if letters else 0.0
        if dropped:
            lost = Counter(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalpha())
            lost.subtract(Counter(c for t in tokens for c in t if c.isalpha()))
            for ch, n in lost.items():
                if n > 0:
                    self.scripts[_script(ch)] += n
            if self.worst is None or share > self.worst.share:
                excerpt = " ".join(text.split())
                self.worst = CoverageExample(share, label, excerpt[:80] + ("…" if len(excerpt) > 80 else ""))
        return share

    @property
    def share(self) -> float:
        """Dropped letters over all letters of the texts added so far (0.0 before any letter)."""
        return self.dropped / self.letters if self.letters else 0.0

    def guess(self) -> str | None:
        """:func:`guess_language` of the dropped letters' scripts."""
        return guess_language(self.scripts)

    def warning(self, *, what: str = "of this corpus", where: str = "") -> str | None:
        """:func:`coverage_warning` for what was added so far."""
        return coverage_warning(self.share, self.language, self.name, guess=self.guess(), what=what, where=where)


# --------------------------------------------------------------------------------------------------
# Signature
# --------------------------------------------------------------------------------------------------


def signature(
    language: str = "en",
    tokenizer: str | TextTokenizer | None = None,
    *,
    stemming: bool = True,
    splitter: str | None = None,
) -> str:
    """The language settings of a run as one string for the ROUGE signature, e.g.
    ``"lang=zh|tok=cjk:jieba-0.42.1|stem=none|split=cjk"`` or
    ``"lang=de|tok=unicode|stem=snowball-german:PyStemmer-3.1.0|split=pysbd-de:pysbd-0.3.4"``."""
    settings = language_settings(language)
    code = settings.code
    if not isinstance(tokenizer, TextTokenizer):
        tokenizer = make_tokenizer(tokenizer, code)
    stem = stemmer_signature(code) if stemming else "none"
    split = make_sentence_splitter(code, splitter).signature
    return f"lang={code}|tok={tokenizer.signature}|stem={stem}|split={split}"


# --------------------------------------------------------------------------------------------------
# One language's tools, built once per process (what corpora, metrics and summarizers use)
# --------------------------------------------------------------------------------------------------
def canonical_language(code: str) -> str:
    """``code`` as the table spells it (``pt-BR`` -> ``pt``, ``nb`` -> ``no``); unknown codes raise
    :class:`LanguageError` with a did-you-mean."""
    return language_settings(code).code


@cache
def sentence_splitter(language: str = "en") -> Callable[[str], list[str]]:
    """The recommended sentence splitter of ``language``, built once: for English exactly
    :func:`sumbench.text.split_sentences` (the splitter every English number was made with)."""
    code = canonical_language(language)
    if code == "en":
        return split_sentences
    return make_sentence_splitter(code)


@cache
def language_tokenizer(language: str = "en", tokenizer: str | None = None) -> TextTokenizer:
    """The tokenizer of ``language`` (its recommended one unless ``tokenizer`` names another), built once."""
    return make_tokenizer(tokenizer, canonical_language(language))


@cache
def language_stemmer(language: str = "en") -> Callable[[str], str] | None:
    """The Snowball stemmer of ``language``, built once (None for English, whose Porter stemmer lives in
    the ROUGE engine, and for languages Snowball does not cover)."""
    code = canonical_language(language)
    return None if code == "en" else make_stemmer(code)


def counts_tokens_as_words(language: str) -> bool:
    """Whether ``language`` is written without spaces between words (Chinese, Japanese): its word counts
    are token counts of its tokenizer, not whitespace words."""
    return language_settings(language).tokenizer == "cjk"


def word_count(text: str, language: str = "en") -> int:
    """Words of ``text``: whitespace words, or for a language written without spaces (Chinese, Japanese)
    the tokens of its tokenizer (:func:`counts_tokens_as_words`). Lengths, word budgets and the
    drill-down all count with it."""
    if language != "en" and counts_tokens_as_words(language):
        return len(language_tokenizer(language).tokenize(text))
    return len(split_words(text))
