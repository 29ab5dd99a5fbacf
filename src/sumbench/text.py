"""Text at ground level: the sentence splitter, word counting and the plain ``[a-z0-9]+`` tokenizer.

Standard library only, and nothing from :mod:`sumbench`: corpora, scoring, summarizers and reports all
build on this module. :data:`TEXT_PIPELINE_VERSION` names the behaviour of the whole text pipeline (this
module, ROUGE's tokenizer and the classic summarizers' terms); ``tests/test_text.py`` ties it to their
output on a fixed sample, so any change of output forces a bump, which invalidates cached summaries.
"""

from __future__ import annotations

import re

__all__ = ["TEXT_PIPELINE_VERSION", "split_sentences", "text_pipeline_signature", "tokenize", "words"]

#: Bump when the output of the text pipeline changes (``tests/test_text.py`` records its hash per version).
TEXT_PIPELINE_VERSION = "1"


def text_pipeline_signature() -> str:
    """``"text-pipeline N"``: the text pipeline's version as cache-key material."""
    return f"text-pipeline {TEXT_PIPELINE_VERSION}"


# --------------------------------------------------------------------------------------------------
# Sentence splitting
# --------------------------------------------------------------------------------------------------

_TERMINAL = re.compile(r"^[.!?]+$")
_CLOSERS = "\"'”’)]}»"
_OPENERS = "\"'“‘([{«`"
_ENDS_WITH_TERMINAL = re.compile(r"[.!?]+[" + re.escape(_CLOSERS) + r"]*$")
_PTB_CLOSERS = {"''", "'", '"', "”", "’", ")", "]", "-rrb-", "-RRB-"}
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)+$")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st sr jr gen sen rep gov lt col sgt capt cmdr adm maj rev hon messrs mt ft
    jan feb mar apr jun jul aug sep sept oct nov dec no nos vol vols fig figs pp ed eds est approx
    dept univ corp inc ltd co bros vs etc cf al e.g i.e a.m p.m""".split()
)
# After a dotted acronym ("U.S.") a new sentence is assumed only before one of these capitalised words.
_SENTENCE_STARTERS = frozenset(
    """The A An He She It They We I You His Her Its Their Our This That These Those There But And
    Yet So In On At For If When While After Before As Some Many Most One Two Police Officials""".split()
)


def split_sentences(text: str) -> list[str]:
    """Split news text into sentences; the one splitter of the whole toolkit (no downloads, no models).

    Rules, in order:

    1. A newline is always a boundary; empty lines are dropped.
    2. A free-standing ``.``, ``!`` or ``?`` token ends a sentence (PTB-tokenized text, ``Burnley . He``),
       together with a closing quote or bracket token that follows it (``. ''``).
    3. A word ending in ``.``, ``!`` or ``?`` (closing quotes allowed: ``now."``) ends a sentence when the
       next word starts with an upper-case letter, a digit or an opening quote/bracket, except after a
       known abbreviation (``Mr.``, ``Dr.``, ``Jan.``, ``e.g.``) or a single initial (``J.``). After a
       dotted acronym (``U.S.``) it ends only before a common sentence opener (``The``, ``He`` ...).
    4. Decimals and dotted names with no space (``3.5``, ``Amazon.com``) never split.

    Returns the sentences as stripped substrings of ``text``.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        if line.strip():
            sentences.extend(_split_line(line))
    return sentences


def _split_line(line: str) -> list[str]:
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    out: list[str] = []
    start = 0
    i = 0
    while i < len(tokens):
        word = line[tokens[i][0] : tokens[i][1]]
        nxt = line[tokens[i + 1][0] : tokens[i + 1][1]] if i + 1 < len(tokens) else None
        end_index = None
        if _TERMINAL.match(word):
            end_index = i + 1 if nxt in _PTB_CLOSERS else i
        elif nxt is not None and _ENDS_WITH_TERMINAL.search(word) and _ends_sentence(word, nxt):
            end_index = i
        if end_index is not None and end_index + 1 < len(tokens):
            cut = tokens[end_index][1]
            out.append(line[start:cut].strip())
            start = tokens[end_index + 1][0]
            i = end_index + 1
            continue
        i += 1
    tail = line[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def _ends_sentence(word: str, nxt: str) -> bool:
    if not (nxt[0].isupper() or nxt[0].isdigit() or nxt[0] in _OPENERS):
        return False
    core = word.rstrip(_CLOSERS)
    if not core.endswith("."):
        return True  # '!' or '?'
    stem = core.rstrip(".")
    if stem.lower() in _ABBREVIATIONS or core.lower().rstrip(".") in _ABBREVIATIONS:
        return False
    if len(stem) == 1 and stem.isalpha():
        return False  # an initial: "J. K. Rowling"
    if _INITIALS.match(core):
        return nxt.strip(_OPENERS) in _SENTENCE_STARTERS
    return True


# --------------------------------------------------------------------------------------------------
# Words and tokens
# --------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Whitespace words, the unit of every length budget and length statistic."""
    return text.split()


def tokenize(text: str) -> list[str]:
    """Lower-case ``text`` and return its ``[a-z0-9]+`` tokens (punctuation, whitespace and non-ASCII
    letters separate tokens and are dropped)."""
    return _TOKEN.findall(text.lower())
