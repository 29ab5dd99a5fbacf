"""sumbench.scoring.rouge (compat="rouge-score") equals rouge-score 0.1.2 to 1e-12.

Real system outputs from the shared judgment files (against their documents' references) and
Hypothesis-generated text (unicode, digits, punctuation, empty strings, repeated tokens, long
inputs, newline-split sentences, tie-heavy small vocabularies), stemmer on and off, for
``score``, ``score_multi`` and ``score_batch``; plus the API contracts of the scorer.
"""

from __future__ import annotations

import functools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _shared import judged_outputs, shared_corpora  # noqa: F401  (fixture)
from sumbench.scoring.rouge import (
    KNOWN_ROUGE_TYPES,
    RougeScorer,
    Score,
    lsum_newline_warning,
    parse_rouge_types,
    truncate_text,
)

rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer", reason="rouge-score 0.1.2 is the reference")

TYPES = ["rouge1", "rouge2", "rouge3", "rouge9", "rougeL", "rougeLsum"]
TOL = 1e-12


def assert_same(ours: dict, theirs: dict, where: str = "") -> None:
    assert list(ours) == list(theirs), where
    for t, expected in theirs.items():
        got = ours[t]
        assert isinstance(got, Score)
        for name, a, b in zip(Score._fields, got, expected):
            assert abs(a - b) <= TOL, f"{where} {t}.{name}: ours {a!r} rouge-score {b!r}"


# ------------------------------------------------------------------------- real outputs
@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize("stem", [False, True], ids=["nostem", "stem"])
def test_every_shared_system_output(shared_corpora, stem: bool) -> None:  # noqa: F811
    rows = judged_outputs(shared_corpora)
    assert len(rows) > 4000
    theirs = rouge_scorer.RougeScorer(TYPES, use_stemmer=stem)
    ours = RougeScorer(TYPES, use_stemmer=stem)
    targets = [refs[0] for _, _, refs, _ in rows]
    preds = [pred for _, _, _, pred in rows]
    batch = ours.score_batch(targets, preds)
    for i, (name, system, refs, pred) in enumerate(rows):
        expected = theirs.score(refs[0], pred)
        assert_same(batch[i], expected, f"{name}/{system}#{i} batch")
        if i % 7 == 0:
            assert_same(ours.score(refs[0], pred), expected, f"{name}/{system}#{i} score")


@pytest.mark.slow
@pytest.mark.shared
def test_score_multi_on_eleven_references(shared_corpora) -> None:  # noqa: F811
    rows = [r for r in judged_outputs(shared_corpora) if len(r[2]) > 1]
    assert rows, "expected the 11-reference cnndm corpus"
    rows = rows[::8]  # two systems per document keeps rouge-score's time modest
    theirs = rouge_scorer.RougeScorer(TYPES, use_stemmer=True)
    ours = RougeScorer(TYPES, use_stemmer=True)
    batch = ours.score_batch([refs for _, _, refs, _ in rows], [pred for *_, pred in rows])
    for i, (name, system, refs, pred) in enumerate(rows):
        expected = theirs.score_multi(refs, pred)
        assert_same(batch[i], expected, f"{name}/{system} batch-multi")
        if i % 5 == 0:
            assert_same(ours.score_multi(refs, pred), expected, f"{name}/{system} multi")


# ---------------------------------------------------------------------------- hypothesis
TIE_VOCAB = ["a", "b", "c", "ab", "the", "cats", "running", "ran", "went", "is"]
SEPARATORS = [" ", " ", " ", "\n", ", ", ". ", ".\n", "-", "\n\n", "  \t", "!"]
# Kept compact (the formatter would put one string per line).
# fmt: off
ODD = ["", " ", "\n", "Kelvin \u212a", "\u0130stanbul", "na\u00efve caf\u00e9", "\u4e2d\u6587\u5b57", "42", "3.14",
       "U.S.-based", "e-mail", "--", "\u00bd", "\U0001f600", "ABC", "x\u0301", "\u00df", "\ufb01re"]
# fmt: on


@st.composite
def tie_text(draw: st.DrawFn, vocab: list[str] = TIE_VOCAB, max_words: int = 40) -> str:
    words = draw(st.lists(st.sampled_from(vocab), max_size=max_words))
    out = []
    for w in words:
        out.append(w)
        out.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(out)


word = st.one_of(
    st.sampled_from(TIE_VOCAB),
    st.sampled_from(ODD),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
    st.from_regex(r"[A-Za-z0-9]{1,12}", fullmatch=True),
    st.integers(0, 10**6).map(str),
)


@st.composite
def mixed_text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(word, max_size=30))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps))


@st.composite
def long_text(draw: st.DrawFn) -> str:
    base = draw(tie_text(vocab=["a", "b", "c", "d"], max_words=12))
    return base * draw(st.integers(5, 40))


any_text = st.one_of(tie_text(), mixed_text(), long_text(), st.text(max_size=60), st.just(""))
small_vocab_text = tie_text(vocab=["a", "b", "c"], max_words=25)

HYP = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_OURS = {stem: RougeScorer(TYPES, use_stemmer=stem) for stem in (False, True)}
_THEIRS = {stem: rouge_scorer.RougeScorer(TYPES, use_stemmer=stem) for stem in (False, True)}


@HYP
@given(target=any_text, prediction=any_text, stem=st.booleans())
def test_score_matches_on_generated_text(target: str, prediction: str, stem: bool) -> None:
    assert_same(_OURS[stem].score(target, prediction), _THEIRS[stem].score(target, prediction))


@settings(max_examples=600, deadline=None)
@given(target=small_vocab_text, prediction=small_vocab_text)
def test_tie_heavy_lsum_matches(target: str, prediction: str) -> None:
    assert_same(_OURS[False].score(target, prediction), _THEIRS[False].score(target, prediction))


@HYP
@given(targets=st.lists(any_text, min_size=1, max_size=4), prediction=any_text, stem=st.booleans())
def test_score_multi_matches(targets: list[str], prediction: str, stem: bool) -> None:
    assert_same(_OURS[stem].score_multi(targets, prediction), _THEIRS[stem].score_multi(targets, prediction))


@settings(max_examples=40, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.one_of(any_text, st.lists(any_text, min_size=1, max_size=3)), any_text), max_size=12),
    stem=st.booleans(),
)
def test_score_batch_matches(pairs: list, stem: bool) -> None:
    targets = [t for t, _ in pairs] + [t for t, _ in pairs]  # repeats exercise the per-batch cache
    preds = [p for _, p in pairs] * 2
    got = _OURS[stem].score_batch(targets, preds)
    assert len(got) == len(targets)
    for g, t, p in zip(got, targets, preds):
        expected = _THEIRS[stem].score(t, p) if isinstance(t, str) else _THEIRS[stem].score_multi(t, p)
        assert_same(g, expected)


def _dp_backtrack(ref: list[str], can: list[str]) -> set[int]:
    """Textbook LCS table + ROUGE's backtrack (diagonal on match; left only if strictly better)."""
    t = [[0] * (len(can) + 1) for _ in range(len(ref) + 1)]
    for i in range(1, len(ref) + 1):
        for j in range(1, len(can) + 1):
            t[i][j] = t[i - 1][j - 1] + 1 if ref[i - 1] == can[j - 1] else max(t[i - 1][j], t[i][j - 1])
    i, j, picked = len(ref), len(can), set()
    while i and j:
        if ref[i - 1] == can[j - 1]:
            picked.add(i - 1)
            i, j = i - 1, j - 1
        elif t[i][j - 1] > t[i - 1][j]:
            j -= 1
        else:
            i -= 1
    return picked


@settings(max_examples=800, deadline=None)
@given(ref=st.lists(st.sampled_from("abc"), max_size=14), can=st.lists(st.sampled_from("abcxy"), max_size=16))
def test_bit_parallel_backtrack_equals_dp(ref: list[str], can: list[str]) -> None:
    from sumbench.scoring._rouge_core import lcs_length, lcs_rows, token_masks

    rows = lcs_rows(token_masks(ref), len(ref), can)
    assert {i for i in range(len(ref)) if rows >> i & 1} == _dp_backtrack(ref, can)
    assert lcs_length(token_masks(ref), len(ref), can) == len(_dp_backtrack(ref, can))


@pytest.mark.parametrize("types", [["rougeLsum"], ["rougeL"], ["rouge2", "rouge1"], ["rouge4", "rougeLsum", "rougeL"]])
def test_type_subsets_and_order(types: list[str]) -> None:
    ref, pred = "The cat sat.\nOn the mat today", "the mat\nthe cat sat on it today, the cat"
    got = RougeScorer(types, use_stemmer=True).score(ref, pred)
    assert_same(got, rouge_scorer.RougeScorer(types, use_stemmer=True).score(ref, pred))


def test_custom_tokenizer_is_used_like_rouge_score() -> None:
    from rouge_score import tokenizers

    class Whitespace:
        def tokenize(self, text: str) -> list[str]:
            return text.split()

    for tok in (tokenizers.DefaultTokenizer(use_stemmer=True), Whitespace()):
        ref, pred = "Dogs were running.\nThe Dog runs", "the dog ran\nrunning dogs were here"
        got = RougeScorer(TYPES, tokenizer=tok).score(ref, pred)
        assert_same(got, rouge_scorer.RougeScorer(TYPES, tokenizer=tok).score(ref, pred))


def test_splitter_policy_equals_rouge_score_on_presplit_text() -> None:
    from sumbench.text import split_sentences

    ref = "Mr. Smith went to Washington. He met the president. They talked for an hour."
    pred = "The president met Smith. They talked. Washington was cold."
    ours = RougeScorer(["rougeLsum"], use_stemmer=True, lsum_split="splitter").score(ref, pred)
    theirs = rouge_scorer.RougeScorer(["rougeLsum"], use_stemmer=True).score(
        "\n".join(split_sentences(ref)), "\n".join(split_sentences(pred))
    )
    assert_same(ours, theirs)
    assert lsum_newline_warning(ref) is (len(split_sentences(ref)) > 1)
    assert lsum_newline_warning("one line\nand another. Two sentences here.") is False
    assert lsum_newline_warning("Just one sentence") is False


# ------------------------------------------------------------------------ API contracts
def test_parse_rouge_types_and_errors() -> None:
    assert parse_rouge_types("rouge1, rougeLsum,rouge1") == ("rouge1", "rougeLsum")
    assert parse_rouge_types(["rougeL"]) == ("rougeL",)
    assert len(KNOWN_ROUGE_TYPES) == 15  # + rougeW, rougeWsum, rougeS*, rougeSU* (see test_rouge_ws.py)
    for bad in (["rougeX"], ["rouge0"], ["rouge10"], ["rougeLSum"], "rouge1,rougeV"):
        with pytest.raises(ValueError, match=r"unknown rouge type '.*'; known: rouge1"):
            RougeScorer(bad)
    with pytest.raises(ValueError, match="unknown multiref"):
        RougeScorer(["rouge1"], multiref="median")
    with pytest.raises(ValueError, match="compat"):
        RougeScorer(["rouge1"], compat="sacre")
    with pytest.raises(ValueError, match="lsum_split"):
        RougeScorer(["rouge1"], lsum_split="nltk")
    with pytest.raises(ValueError, match="not both"):
        RougeScorer(["rouge1"], max_words=10, max_bytes=10)
    with pytest.raises(ValueError, match="max_words"):
        RougeScorer(["rouge1"], max_words=0)
    with pytest.raises(ValueError, match="at least one"):
        RougeScorer(["rouge1"]).score_multi([], "x")


def test_signature() -> None:
    s = RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
    assert s.signature() == "rouge1,2,L,Lsum|stem=porter|tok=rouge-score|lsum=newline|multiref=max"
    s = RougeScorer(["rougeLsum"], lsum_split="splitter", multiref="jackknife", max_words=100)
    assert s.signature() == "rougeLsum|stem=none|tok=rouge-score|lsum=splitter|multiref=jackknife|trunc=words:100"
    s = RougeScorer(["rouge1", "rougeL"], use_stemmer=True, compat="perl", max_bytes=665)
    assert s.signature() == (
        "rouge1,L|stem=porter-rouge155+wordnet2.0|tok=rouge155|lsum=newline|multiref=pooled|trunc=bytes:665|compat=perl"
    )


def test_multiref_modes_by_hand() -> None:
    refs = ["a b", "c d", "a x y z"]
    pred = "a b"
    got = {
        m: RougeScorer(["rouge1"], multiref=m).score_multi(refs, pred)["rouge1"]
        for m in ("max", "mean", "pooled", "best", "jackknife")
    }
    assert got["max"] == Score(1.0, 1.0, 1.0)
    per = [Score(1.0, 1.0, 1.0), Score(0.0, 0.0, 0.0), Score(0.5, 0.25, 2 * 0.5 * 0.25 / 0.75)]
    assert got["mean"] == Score(*(sum(x) / 3 for x in zip(*per)))
    # pooled (Perl -f A): hits 2+0+1 over reference unigrams 2+2+4, candidate counted 3 times
    assert got["pooled"].recall == 3 / 8 and got["pooled"].precision == 3 / 6
    assert got["best"] == per[0]
    # leave out ref0 -> max is ref2; leave out ref1 or ref2 -> ref0
    expected_jk = [per[2], per[0], per[0]]
    assert got["jackknife"] == Score(*(sum(x) / 3 for x in zip(*expected_jk)))
    one = RougeScorer(["rouge1"], multiref="jackknife").score_multi(["a b"], "a")["rouge1"]
    assert one == RougeScorer(["rouge1"]).score("a b", "a")["rouge1"]


def test_best_takes_first_best_recall_not_best_f() -> None:
    refs = ["a b c d e f g h", "a b"]  # ref0: R=2/8, ref1: R=1.0
    s = RougeScorer(["rouge1"], multiref="best").score_multi(refs, "a b z z z z z z z z z z")["rouge1"]
    assert s.recall == 1.0
    tie = RougeScorer(["rouge1"], multiref="best").score_multi(["a q", "a b c d"], "a b")["rouge1"]
    assert tie.recall == 0.5 and tie.precision == 0.5  # ref1 has the same R but higher P: first wins


def test_truncation_is_perl_like_and_candidate_only() -> None:
    assert truncate_text("one two three\nfour five", max_words=4) == "one two three\nfour"
    assert truncate_text("one two three\nfour five", max_words=3) == "one two three"
    assert truncate_text("ab cd\nef", max_bytes=3) == "ab "
    assert truncate_text("\u00e9\u00e9", max_bytes=3) == "\u00e9"
    s = RougeScorer(["rouge1"], max_words=2)
    assert s.score("a b c d", "a b c d")["rouge1"] == Score(1.0, 0.5, 2 / 3)


def test_results_are_immutable_and_finite() -> None:
    got = RougeScorer(TYPES, use_stemmer=True).score("", "")
    for score in got.values():
        assert score == Score(0.0, 0.0, 0.0)
        with pytest.raises(AttributeError):
            score.precision = 1.0  # type: ignore[misc]
        assert all(math.isfinite(x) for x in score)


# ---------------------------------------- compat='perl' in Python (no Perl needed here)
def test_documented_rouge_score_vs_perl_differences() -> None:
    rs = RougeScorer(["rouge1", "rougeL", "rougeLsum"], use_stemmer=True)
    pl = RougeScorer(["rouge1", "rougeL", "rougeLsum"], use_stemmer=True, compat="perl")
    assert rs.score("he went", "he goes")["rouge1"].recall == 0.5
    assert pl.score("he went", "he goes")["rouge1"].recall == 1.0
    for scorer in (rs, pl):
        got = scorer.score("a b\nc d", "c d a b")
        assert got["rougeL"].recall == 0.5 and got["rougeLsum"].recall == 1.0
    assert RougeScorer(["rouge1"]).score_multi(["a b", "c d"], "a b")["rouge1"].recall == 1.0
    pooled = RougeScorer(["rouge1"], compat="perl").score_multi(["a b", "c d"], "a b")["rouge1"]
    assert pooled == Score(0.5, 0.5, 0.5)
    assert RougeScorer(["rouge1"]).score("x \u212a", "x k")["rouge1"].recall == 1.0
    assert RougeScorer(["rouge1"], compat="perl").score("x \u212a", "x k")["rouge1"] == Score(0.5, 1.0, 0.66667)
    from sumbench.scoring._perl_compat import morph_stem
    from sumbench.scoring._rouge_core import nltk_stem

    assert (nltk_stem("statement"), morph_stem("statement")) == ("statement", "statem")
    assert (morph_stem("went"), morph_stem("said"), nltk_stem("went")) == ("go", "say", "went")


def test_perl_mode_without_stemming_agrees_with_rouge_score_up_to_rounding() -> None:
    ref, cand = "The cat sat on the mat.\nIt was happy.", "the cat was on the mat\nhappy it sat"
    rs = RougeScorer(["rouge1", "rouge2", "rougeLsum"]).score(ref, cand)
    pl = RougeScorer(["rouge1", "rouge2", "rougeLsum"], compat="perl").score(ref, cand)
    for t in rs:
        assert pl[t].precision == float("%.5f" % rs[t].precision)
        assert pl[t].recall == float("%.5f" % rs[t].recall)
        assert abs(pl[t].fmeasure - rs[t].fmeasure) < 2e-5


# ------------------------------------------------------------- the fast Porter port vs NLTK
# Kept compact (the formatter would put one string per line).
# fmt: off
SUFFIXES = ["ational", "tional", "enci", "anci", "izer", "bli", "alli", "entli", "eli", "ousli", "ization",
            "ation", "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti", "fulli", "logi",
            "icate", "ative", "alize", "iciti", "ical", "ful", "ness", "al", "ance", "ence", "er", "ic", "able",
            "ible", "ant", "ement", "ment", "ent", "ion", "sion", "tion", "ou", "ism", "ate", "iti", "ous", "ive",
            "ize", "e", "ll", "ed", "ing", "eed", "ied", "ies", "sses", "ss", "s", "y", "at", "bl", "iz", "yed"]
# fmt: on


# Words that exercise every rule of the port and its conditions (and NLTK's irregular forms).
PROBE_WORDS = (
    "caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated troubled "
    "sized hopping tanned falling hissing fizzed failing filing happy sky relational conditional "
    "rational valenci hesitanci digitizer conformabli radicalli differentli vileli analogousli "
    "vietnamization predication operator feudalism decisiveness hopefulness callousness formaliti "
    "sensitiviti sensibiliti triplicate formative formalize electriciti electrical hopeful goodness "
    "revival allowance inference airliner gyroscopic adjustable defensible irritant replacement "
    "adjustment dependent adoption homologou communism activate angulariti homologous effective "
    "bowdlerize probate rate cease controll roll generalizations oscillators dying lying tying "
    "news innings outings cannings howe proceed exceed succeed skies spied died cried flies ied "
    "yelling yyyy toy syzygy yes yay years yielded crying buying playing saying staying obeying "
    "technology technological statement statements logically analogically fully carefully "
    "hopefully beautifully national rationally fatalli conventionalli traditionalli sensational "
    "abilities stability ability anniversary necessarily ringing sting bring tinning hoping "
    "hopped fizzing riding sliding axed taxing waxing boxing sewed mowed bowing 1990s 3d 42nd "
    "united states u s based e mail ios its gas gases bias biases ass asses series species "
    "business businesses happiness emptiness agreement disagreement fulfilment settlement "
    "elements element cement ment lement iness ation ization ational tional alli ousli logi "
    "eed ed ing bled sled fled shed need needed seed seeding speed weed wed bed fed led red "
    "argued queued valued issued continued rescued pursued ensued subdued ago agoes zoos "
    "trolley trolleys alley valley monkey monkeys key keys ally allies tally rally sally "
    "electrolysis analysis dialysis crisis thesis synthesis ions lions onion million union"
).split()


@functools.lru_cache(maxsize=1)
def _nltk_and_port():
    """The installed NLTK's Porter stem (the reference; only tests import NLTK) and our port."""
    from nltk.stem import porter

    from sumbench.scoring._rouge_porter import porter_stem

    nltk = porter.PorterStemmer()
    assert nltk.mode == porter.PorterStemmer.NLTK_EXTENSIONS
    return nltk.stem, porter_stem


def test_porter_port_equals_nltk_on_probe_words() -> None:
    from nltk.stem import porter

    from sumbench.scoring._rouge_porter import NLTK_POOL

    assert porter.PorterStemmer().pool == NLTK_POOL
    slow, fast = _nltk_and_port()
    assert [fast(w) for w in PROBE_WORDS] == [slow(w) for w in PROBE_WORDS]


def test_stemmed_rouge_does_not_import_nltk() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from sumbench.scoring.rouge import RougeScorer\n"
        "s = RougeScorer(['rouge1', 'rougeLsum'], use_stemmer=True, lsum_split='splitter')\n"
        "assert s.score('The councils passed budgets.', 'A council passing a budget.')['rouge1'].recall == 0.75\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('nltk', 'sklearn', 'scipy'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(
    stem_part=st.from_regex(r"[a-z0-9y]{0,8}", fullmatch=True), suffixes=st.lists(st.sampled_from(SUFFIXES), max_size=3)
)
def test_porter_port_equals_nltk_on_generated_words(stem_part: str, suffixes: list[str]) -> None:
    slow, fast = _nltk_and_port()
    word = stem_part + "".join(suffixes)
    assert fast(word) == slow(word)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(
    stem_part=st.text(alphabet=st.sampled_from("abeiosy_-'\u00e9\u00df\u0130\u0131ABY09"), max_size=6),
    suffixes=st.lists(st.sampled_from(SUFFIXES), max_size=2),
)
def test_porter_port_equals_nltk_on_any_string(stem_part: str, suffixes: list[str]) -> None:
    # beyond rouge-score's [a-z0-9]+ tokens: case, '_', '-', non-ASCII letters (every other
    # character is a consonant, as in NLTK), so other users of Porter can share the port
    slow, fast = _nltk_and_port()
    word = stem_part + "".join(suffixes)
    assert fast(word) == slow(word)


def _corpus_words(paths) -> set[str]:
    import re

    from _shared import read_jsonl_gz

    words: set[str] = set()
    for path in paths:
        for row in read_jsonl_gz(path):
            for value in row.values():
                for text in value if isinstance(value, list) else [value]:
                    if isinstance(text, str):
                        words.update(re.findall(r"[a-z0-9]+", text.lower()))
    return words


@pytest.mark.slow
def test_porter_port_equals_nltk_on_every_bundled_corpus_word() -> None:
    from pathlib import Path

    datasets = Path(__file__).resolve().parents[1] / "datasets"
    words = _corpus_words(sorted(datasets.glob("**/*.jsonl.gz")))
    assert len(words) > 20000
    slow, fast = _nltk_and_port()
    bad = [(w, slow(w), fast(w)) for w in sorted(words) if slow(w) != fast(w)]
    assert not bad, bad[:10]


@pytest.mark.slow
@pytest.mark.shared
def test_porter_port_equals_nltk_on_every_corpus_word(shared_corpora) -> None:  # noqa: F811
    words = _corpus_words(sorted(shared_corpora.glob("*.jsonl.gz")))
    assert len(words) > 30000
    slow, fast = _nltk_and_port()
    bad = [(w, slow(w), fast(w)) for w in sorted(words) if slow(w) != fast(w)]
    assert not bad, bad[:10]
