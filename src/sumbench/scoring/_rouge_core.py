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
from collections.abc import Hashable, Iterable, Mapping, Sequence
from functools import lru_cache

from sumbench.scoring._rouge_porter import porter_stem
from sumbench.text import tokenize

Tokens = tuple[str, ...]
Masks = dict[str, int]

_VALID_TOKEN_RE = re.compile(r"^[a-z0-9]+$")


@lru_cache(maxsize=1 << 17)
def nltk_stem(word: str) -> str:
    """rouge-score's stemming of one token: NLTK's Porter stem for tokens longer than 3
    characters (computed by :mod:`._rouge_porter`, an exact port: NLTK is not imported), the
    token itself otherwise; '' when the stem is not [a-z0-9]+ (rouge-score drops such tokens)."""
    if len(word) <= 3:
        return word
    stem = porter_stem(word)
    return stem if _VALID_TOKEN_RE.match(stem) else ""


def rs_tokenize(text: str, stem: bool) -> Tokens:
    """rouge-score 0.1.2's default tokenizer: lowercase, keep ``[a-z0-9]+`` runs (:func:`sumbench.text.tokenize`),
    stem tokens > 3 chars."""
    toks = tokenize(text)
    if not stem:
        return tuple(toks)
    out = tuple(map(nltk_stem, toks))
    if "" in out:
        out = tuple(t for t in out if t)
    return out


def counts(items: Iterable[Hashable]) -> dict:
    """A plain-dict multiset (plain dicts of str -> int are invisible to the cyclic GC)."""
    return dict(Counter(items))


def ngram_counts(tokens: Sequence[str], n: int, joinable: bool = False) -> dict:
    """Multiset of the n-grams of ``tokens``: unigrams are the tokens; longer n-grams are tuples,
    or space-joined strings when ``joinable`` (tokens known to hold no space: cheaper to hash)."""
    if n == 1:
        return counts(tokens)
    grams = zip(*(tokens[i:] for i in range(n)))
    return counts(map(" ".join, grams) if joinable else grams)


def overlap(a: Mapping, b: Mapping) -> int:
    """Clipped overlap ``sum(min(a[g], b[g]))`` of two n-gram multisets."""
    total = 0
    for gram in a.keys() & b.keys():
        x = a[gram]
        y = b[gram]
        total += x if x < y else y
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
    for m in filter(None, map(masks.get, scan)):
        u = v & m
        if u:
            v = ((v + u) | (v - u)) & full
    return length - v.bit_count()


def lcs_rows(masks: Masks, length: int, scan: Sequence[str]) -> int:
    """Bitmask of the positions (in the masked string) of the LCS the ROUGE backtrack picks.

    ``masks``/``length`` describe the reference sentence (table rows), ``scan`` the candidate
    sentence (table columns); same index set as rouge-score's ``lcs_ind`` and Perl's ``markLCS``.
    Columns of tokens absent from the reference equal the previous column, and a run of them
    moves the backtrack once (up to the highest zero bit, then left), so only tokens present in
    the reference and the runs between them are visited.
    """
    if not length or not scan:
        return 0
    full = (1 << length) - 1
    v = full
    steps: list[tuple[int, int, bool]] = []  # (token mask, column after it, absent tokens before it)
    gap = False
    for m in map(masks.get, scan):
        if m is None:
            gap = True
            continue
        u = v & m
        if u:
            v = ((v + u) | (v - u)) & full
        steps.append((m, v, gap))
        gap = False
    if v == full:  # empty LCS
        return 0
    todo = length - v.bit_count()  # LCS length: stop once that many matches are marked
    i = length
    if gap:  # trailing run of absent tokens: up to the highest zero bit of the last column
        i = (~v & full).bit_length()
    hits = 0
    for k in range(len(steps) - 1, -1, -1):
        m, col, gap_before = steps[k]
        stop = (m | ~col) & ((1 << i) - 1)
        if not stop:
            break
        p = stop.bit_length() - 1
        if (m >> p) & 1:
            hits |= 1 << p
            todo -= 1
            if not todo:
                break
            i = p
        else:
            i = p + 1
        if not i:
            break
        if gap_before:
            prev = steps[k - 1][1] if k else full
            i = (~prev & ((1 << i) - 1)).bit_length()
            if not i:
                break
    return hits


def summary_lcs_hits(
    ref_sents: Sequence[Tokens],
    ref_masks: Sequence[Masks],
    cand_sents: Sequence[Tokens],
    cand_sets: Sequence[Mapping[str, object]],
    ref_counts: Mapping[str, int],
    cand_counts: Mapping[str, int],
) -> int:
    """Summary-level LCS hits (ROUGE paper 3.2, as ROUGE-1.5.5 and rouge-score's rougeLsum).

    For each reference sentence, the union of its LCS index sets with every candidate sentence;
    each union token is a hit while both unigram budgets (``ref_counts``, ``cand_counts``) still
    have it. Budgets are per token and both shrink with every hit, so the order of the walk does
    not matter: hits = sum over tokens of min(union occurrences, ref budget, cand budget).
    """
    used: dict[str, int] = {}
    for r, masks in zip(ref_sents, ref_masks):
        if not masks:
            continue
        keys = masks.keys()
        length = len(r)
        union = 0
        for c, cset in zip(cand_sents, cand_sets):
            if not keys.isdisjoint(cset):
                union |= lcs_rows(masks, length, c)
        while union:
            low = union & -union
            tok = r[low.bit_length() - 1]
            used[tok] = used.get(tok, 0) + 1
            union ^= low
    hits = 0
    for tok, k in used.items():
        hits += min(k, ref_counts.get(tok, 0), cand_counts.get(tok, 0))
    return hits
