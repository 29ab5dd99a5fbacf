"""ROUGE-1.5.5.pl text handling in Python: line reading, -l/-b truncation, tokens, -m stemming.

The Perl script reads files as bytes, so texts are handled here as "byte strings": a ``str``
holding one character per UTF-8 byte (``text.encode('utf-8').decode('latin-1')``). Lowercasing is
Perl's ``tr/A-Z/a-z/`` (ASCII only), ``\\s`` is ASCII whitespace, lengths are byte lengths.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib import resources

Tokens = tuple[str, ...]

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_TOKEN_RE = re.compile(r"[a-z0-9]+")
_PERL_WS_RE = re.compile(r"[ \t\n\r\f\x0b]+")
_EXC_FILE = "_perl_wordnet_exc.tsv.gz"


def perl_lines(text: str) -> list[str]:
    """The non-empty lines of ``text`` as ROUGE-1.5.5's SPL reader sees them (bytes, ASCII-lowercased)."""
    raw = text.encode("utf-8").decode("latin-1")
    return [line.translate(_ASCII_LOWER) for line in raw.split("\n") if line]


def perl_split(s: str) -> list[str]:
    """Perl's ``split(/\\s+/, $s)``: a leading empty field is kept, trailing empty fields dropped."""
    fields = _PERL_WS_RE.split(s)
    while fields and not fields[-1]:
        fields.pop()
    return fields


def cut_lines_by_words(lines: list[str], max_words: int) -> list[str]:
    """Perl's ``-l`` on a list of lines: keep whole lines while under ``max_words`` whitespace
    words, then the first words of the line that reaches the limit."""
    out: list[str] = []
    total = 0
    for s in lines:
        words = perl_split(s)
        if total + len(words) < max_words:
            out.append(s)
            total += len(words)
        else:
            out.append(" ".join(words[: max_words - total]))
            break
    return out


def read_text(lines: list[str], max_words: int, max_bytes: int) -> str:
    """``readText``: the lines joined by spaces, cut to ``max_words`` words or ``max_bytes`` bytes."""
    if max_words:
        return " ".join(cut_lines_by_words(lines, max_words))
    if max_bytes:
        out = []
        total = 0
        for s in lines:
            if total + len(s) < max_bytes:
                out.append(s)
                total += len(s)
            else:
                out.append(s[: max_bytes - total])
                break
        return " ".join(out)
    return " ".join(lines)


def read_text_lcs(lines: list[str], max_words: int, max_bytes: int) -> list[str]:
    """``readText_LCS``: the sentence units for ROUGE-L, with the script's own -l/-b behaviour.

    With ``-b`` the script never adds up the bytes it has kept (``$tmpTextLen`` stays 0), so every
    line shorter than the limit is kept and the first longer one is cut; reproduced as is.
    """
    if max_words:
        return cut_lines_by_words(lines, max_words)
    if max_bytes:
        out: list[str] = []
        for s in lines:
            if len(s) < max_bytes:
                out.append(s)
            else:
                out.append(s[:max_bytes])
                break
        return out
    return list(lines)


def perl_tokens(s: str, stem: bool) -> Tokens:
    """Tokens of a lowercased byte string: ``[a-z0-9]+`` runs ('-' becomes its own token and is
    then dropped because tokens must start with ``[a-z0-9$]``), stemmed with ``-m``."""
    toks = _TOKEN_RE.findall(s)
    if stem:
        return tuple(morph_stem(t) if len(t) > 3 else t for t in toks)
    return tuple(toks)


@lru_cache(maxsize=1)
def wordnet_exceptions() -> dict[str, str]:
    """The WordNet 2.0 exception table (word -> base form) that ROUGE-1.5.5 -m consults first."""
    data = resources.files("sumbench.scoring").joinpath(_EXC_FILE).read_bytes()
    table: dict[str, str] = {}
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("\t")
            table[key] = value
    return table


@lru_cache(maxsize=1 << 17)
def morph_stem(token: str) -> str:
    """``MorphStem``: the WordNet exception if there is one, else the script's Porter stem."""
    exc = wordnet_exceptions().get(token)
    return exc if exc is not None else porter_stem(token)


# --- the Porter stemmer embedded in ROUGE-1.5.5.pl (Release 1, with CYL's 2004 step-4 change) ---
_c = "[^aeiou]"
_v = "[aeiouy]"
_C = _c + "[^aeiouy]*"
_V = _v + "[aeiou]*"
_MGR0 = re.compile(f"^({_C})?{_V}{_C}")
_MEQ1 = re.compile(f"^({_C})?{_V}{_C}({_V})?$")
_MGR1 = re.compile(f"^({_C})?{_V}{_C}{_V}{_C}")
_VOWEL_IN = re.compile(f"^({_C})?{_v}")
_CVC = re.compile(f"^{_C}{_v}[^aeiouwxy]$")
_S1A = re.compile(r"(ss|i)es$")
_S1A2 = re.compile(r"([^s])s$")
_EED = re.compile(r"eed$")
_ED_ING = re.compile(r"(ed|ing)$")
_AT_BL_IZ = re.compile(r"(at|bl|iz)$")
_DOUBLE = re.compile(r"([^aeiouylsz])\1$")
_Y = re.compile(r"y$")
_STEP2 = re.compile(
    r"(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness"
    r"|fulness|ousness|aliti|iviti|biliti|logi)$"
)
# Step 2's suffix table, kept compact (the formatter would put one pair per line).
# fmt: off
_STEP2_MAP = {
    "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize", "bli": "ble",
    "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize", "ation": "ate",
    "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful", "ousness": "ous",
    "aliti": "al", "iviti": "ive", "biliti": "ble", "logi": "log",
}
# fmt: on
_STEP3 = re.compile(r"(icate|ative|alize|iciti|ical|ful|ness)$")
_STEP3_MAP = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}
_STEP4 = re.compile(r"(al|ance|ence|er|ic|able|ible|ant|ement|ou|ism|ate|iti|ous|ive|ize)$")
_MENT = re.compile(r"ment$")
_ENT = re.compile(r"ent$")
_ION = re.compile(r"(s|t)(ion)$")
_E = re.compile(r"e$")
_LL = re.compile(r"ll$")


def porter_stem(w: str) -> str:
    """Port of ROUGE-1.5.5.pl's ``stem`` sub (regex for regex, same order of steps)."""
    if len(w) < 3:
        return w
    initial_y = w[0] == "y"
    if initial_y:
        w = "Y" + w[1:]
    # step 1a
    m = _S1A.search(w)
    if m:
        w = w[: m.start()] + m.group(1)
    else:
        m = _S1A2.search(w)
        if m:
            w = w[: m.start()] + m.group(1)
    # step 1b
    m = _EED.search(w)
    if m:
        if _MGR0.search(w[: m.start()]):
            w = w[:-1]
    else:
        m = _ED_ING.search(w)
        if m:
            stem = w[: m.start()]
            if _VOWEL_IN.search(stem):
                w = stem
                if _AT_BL_IZ.search(w):
                    w += "e"
                elif _DOUBLE.search(w):
                    w = w[:-1]
                elif _CVC.search(w):
                    w += "e"
    # step 1c
    m = _Y.search(w)
    if m:
        stem = w[: m.start()]
        if _VOWEL_IN.search(stem):
            w = stem + "i"
    # step 2
    m = _STEP2.search(w)
    if m:
        stem = w[: m.start()]
        if _MGR0.search(stem):
            w = stem + _STEP2_MAP[m.group(1)]
    # step 3
    m = _STEP3.search(w)
    if m:
        stem = w[: m.start()]
        if _MGR0.search(stem):
            w = stem + _STEP3_MAP[m.group(1)]
    # step 4
    m = _STEP4.search(w)
    if m:
        stem = w[: m.start()]
        if _MGR1.search(stem):
            w = stem
    m = _MENT.search(w)
    if m:
        stem = w[: m.start()]
        if _MGR1.search(stem):
            w = stem
    m = _ENT.search(w)
    if m:
        stem = w[: m.start()]
        if _MGR1.search(stem):
            w = stem
    else:
        m = _ION.search(w)
        if m:
            stem = w[: m.start()] + m.group(1)
            if _MGR1.search(stem):
                w = stem
    # step 5
    m = _E.search(w)
    if m:
        stem = w[: m.start()]
        if _MGR1.search(stem) or (_MEQ1.search(stem) and not _CVC.search(stem)):
            w = stem
    if _LL.search(w) and _MGR1.search(w):
        w = w[:-1]
    if initial_y:
        w = w[0].lower() + w[1:]
    return w
