"""Counting core of sumbench's ROUGE engine: tokens, n-gram overlap and bit-parallel LCS.

Everything here works on token tuples and returns integer counts; turning counts into
precision/recall/F (and rounding them the way Perl does) happens in :mod:`sumbench.scoring.rouge`.

LCS is computed bit-parallel on Python ints (Allison-Dix / Hyyro): bit ``i`` of the column
vector ``V_j`` is 1 when ``T[i+1][j] == T[i][j]`` in the classic DP table ``T`` (rows = the
"bits" string, columns = the scanned string), so ``T[i][j] = i - popcount(V_j & (2**i - 1))``.
The LCS *index set* that rouge-score's and ROUGE-1.5.5's backtrack picks (on a token match go
diagonal, else go left only if ``T[i][j-1] > T[i-1][j]``, else up) is recovered from the stored
columns without building the table: in a non-matching cell, "up" is taken exactly when bit
``i-1`` of ``V_j`` is 1, so a whole run of "up" moves is one highest-set-bit lookup.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Mapping, Sequence

Tokens = tuple[str, ...]
Masks = dict[str, int]

_TOKEN_RE = re.compile(r"[a-z0-9]+")
_VALID_TOKEN_RE = re.compile(r"^[a-z0-9]+$")


@lru_cache(maxsize=1)
def _nltk_porter():  # type: ignore[no-untyped-def]
    from nltk.stem import porter

    return porter.PorterStemmer()


@lru_cache(maxsize=1 << 17)
def nltk_stem(word: str) -> str:
    """NLTK's Porter stem of ``word`` (rouge-score's stemmer), '' when the stem is not [a-z0-9]+."""
    stem = _nltk_porter().stem(word)
    return stem if _VALID_TOKEN_RE.match(stem) else ""


def rs_tokenize(text: str, stem: bool) -> Tokens:
    """rouge-score 0.1.2's default tokenizer: lowercase, keep ``[a-z0-9]+`` runs, stem tokens > 3 chars."""
    toks = _TOKEN_RE.findall(text.lower())
    if not stem:
        return tuple(toks)
    out = [nltk_stem(t) if len(t) > 3 else t for t in toks]
    if "" in out:
        out = [t for t in out if t]
    return tuple(out)


def ngram_counts(tokens: Sequence[str], n: int) -> Counter:
    """Multiset of the n-grams of ``tokens`` (unigrams are plain tokens, longer ones tuples)."""
    if n == 1:
        return Counter(tokens)
    return Counter(zip(*(tokens[i:] for i in range(n))))


def overlap(a: Mapping, b: Mapping) -> int:
    """Clipped overlap ``sum(min(a[g], b[g]))`` of two n-gram multisets."""
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    total = 0
    for gram, count in a.items():
        other = get(gram)
        if other:
            total += count if count < other else other
    return total


def token_masks(tokens: Sequence[str]) -> Masks:
    """Map each distinct token to the bitmask of its positions in ``tokens``."""
    masks: Masks = {}
    get = masks.get
    for i, tok in enumerate(tokens):
        masks[tok] = get(tok, 0) | (1 << i)
    return masks


def lcs_length(masks: Masks, length: int, scan: Sequence[str]) -> int:
    """Length of the LCS of the string behind ``masks`` (``length`` tokens) and ``scan``."""
    if not length:
        return 0
    full = (1 << length) - 1
    v = full
    get = masks.get
    for tok in scan:
        m = get(tok)
        if m:
            u = v & m
            if u:
                v = ((v + u) | (v - u)) & full
    return length - v.bit_count()


def lcs_rows(masks: Masks, length: int, scan: Sequence[str]) -> int:
    """Bitmask of the positions (in the masked string) of the LCS the ROUGE backtrack picks.

    ``masks``/``length`` describe the reference sentence (table rows), ``scan`` the candidate
    sentence (table columns); same index set as rouge-score's ``lcs_ind`` and Perl's ``markLCS``.
    """
    if not length or not scan:
        return 0
    full = (1 << length) - 1
    v = full
    cols = [v]
    get = masks.get
    for tok in scan:
        m = get(tok)
        if m:
            u = v & m
            if u:
                v = ((v + u) | (v - u)) & full
        cols.append(v)
    if v == full:  # empty LCS
        return 0
    hits = 0
    i = length
    j = len(scan)
    while i and j:
        m = get(scan[j - 1], 0)
        stop = (m | ~cols[j]) & ((1 << i) - 1)
        if not stop:
            break
        p = stop.bit_length() - 1
        if (m >> p) & 1:
            hits |= 1 << p
            i = p
        else:
            i = p + 1
        j -= 1
    return hits


def summary_lcs_hits(
    ref_sents: Sequence[Tokens],
    ref_masks: Sequence[Masks],
    cand_sents: Sequence[Tokens],
    ref_counts: Mapping[str, int],
    cand_counts: Mapping[str, int],
) -> int:
    """Summary-level LCS hits (ROUGE paper 3.2, as ROUGE-1.5.5 and rouge-score's rougeLsum).

    For each reference sentence, the union of its LCS index sets with every candidate sentence;
    each union token is a hit while both unigram budgets (``ref_counts``, ``cand_counts``, copied
    here) still have it.
    """
    budget_r = dict(ref_counts)
    budget_c = dict(cand_counts)
    cand_sets = [frozenset(c) for c in cand_sents]
    hits = 0
    for r, masks in zip(ref_sents, ref_masks):
        if not r:
            continue
        union = 0
        for c, cset in zip(cand_sents, cand_sets):
            if not masks.keys().isdisjoint(cset):
                union |= lcs_rows(masks, len(r), c)
        while union:
            low = union & -union
            tok = r[low.bit_length() - 1]
            if budget_c.get(tok, 0) > 0 and budget_r.get(tok, 0) > 0:
                hits += 1
                budget_c[tok] -= 1
                budget_r[tok] -= 1
            union ^= low
    return hits
