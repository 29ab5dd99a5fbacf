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

Skip-bigrams (ROUGE-S/SU) and weighted LCS (ROUGE-W) follow ROUGE-1.5.5.pl's ``createSkipBigram``
and ``wlcs`` / ``wlcs_inner`` / ``markLCS`` line by line, quirks included (see the functions).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import chain, combinations

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


# ----------------------------------------------------------------------- ROUGE-S / ROUGE-SU
def skip_bigram_total(n: int, gap: int) -> int:
    """Number of skip-bigrams of ``n`` tokens with at most ``gap`` tokens between the two (``gap < 0``:
    no limit): Perl's ``createSkipBigram`` pairs ``i < j <= i + gap + 1``."""
    if n < 2:
        return 0
    if gap < 0 or gap + 1 >= n - 1:
        return n * (n - 1) // 2
    d = gap + 1
    return d * n - d * (d + 1) // 2


def skip_bigram_counts(tokens: Sequence[str], gap: int, joinable: bool = False) -> dict:
    """Multiset of the skip-bigrams of ``tokens`` (pairs ``i < j <= i + gap + 1``; ``gap < 0``: any
    ``j > i``), keyed like :func:`ngram_counts` bigrams ("a b" when ``joinable``, else tuples)."""
    n = len(tokens)
    if gap < 0 or gap + 1 >= n - 1:
        pairs: Iterable[tuple[str, str]] = combinations(tokens, 2)
    else:
        pairs = chain.from_iterable(zip(tokens, tokens[d:]) for d in range(1, gap + 2))
    return counts(map(" ".join, pairs) if joinable else pairs)


def _shared_skip_pairs(tokens: Sequence[str], gap: int, keep: set[str]) -> dict:
    """Skip-bigram multiset of ``tokens`` restricted to pairs whose two tokens are both in ``keep``."""
    if gap < 0 or gap + 1 >= len(tokens) - 1:  # no limit: positions do not matter, drop the others first
        return counts(combinations([t for t in tokens if t in keep], 2))
    span = gap + 1
    idx = [i for i, t in enumerate(tokens) if t in keep]
    pairs: list[tuple[str, str]] = []
    add = pairs.append
    for k, i in enumerate(idx):
        a = tokens[i]
        for j in idx[k + 1 :]:
            if j - i > span:
                break
            add((a, tokens[j]))
    return counts(pairs)


def skip_bigram_overlap(a: Sequence[str], b: Sequence[str], gap: int) -> int:
    """Clipped skip-bigram overlap of two token sequences, counting only the pairs of tokens both
    sequences have (same value as :func:`overlap` of the two :func:`skip_bigram_counts`; for wide or
    unlimited gaps, where the full multisets grow as n², this is the cheaper way)."""
    keep = set(a).intersection(b)
    if not keep:
        return 0
    return overlap(_shared_skip_pairs(a, gap, keep), _shared_skip_pairs(b, gap, keep))


# ------------------------------------------------------------------------------- ROUGE-W
_WEIGHTS: dict[float, list[float]] = {}


def wlcs_weights(w: float, n: int) -> list[float]:
    """``[f(0), f(1), ..., f(n)]`` (at least) for ROUGE-W's ``f(k) = k ** w`` (Perl ``wlcsWeight``:
    ``$r**$power``, C ``pow``)."""
    table = _WEIGHTS.get(w)
    if table is None:
        table = _WEIGHTS[w] = [0.0**w]
    if len(table) <= n:
        table.extend(float(k) ** w for k in range(len(table), max(n + 1, 2 * len(table))))
    return table


def wlcs_rows(model: Sequence[str], peer: Sequence[str], pw: Sequence[float]) -> int:
    """Bitmask of the ``model`` positions that ROUGE-1.5.5's ``wlcs_inner`` + ``markLCS`` mark.

    The weighted-LCS table of Lin (2004): on a token match the cell is always the diagonal one plus
    ``f(k+1) - f(k)`` (``k``: length of the consecutive run ending at the diagonal cell), computed as
    Perl does, ``(c + f(k+1)) - f(k)``; otherwise up when ``c[i-1][j] >= c[i][j-1]``, else left. The
    backtrack from the last cell marks the model position of every diagonal move. ``pw`` is
    :func:`wlcs_weights` for at least ``min(len(model), len(peer))``.
    """
    n = len(peer)
    if not model or not n:
        return 0
    prev_c = [0.0] * (n + 1)
    zeros = [0] * (n + 1)
    prev_l = zeros
    table = [prev_c]
    present = set(peer)
    # while the previous row is non-decreasing, a row whose token the peer lacks equals it (every cell
    # goes up: c[i-1][j] >= c[i-1][j-1] = c[i][j-1]), so it is shared, not computed
    rising = True
    for tok in model:
        if rising and tok not in present:
            table.append(prev_c)
            prev_l = zeros
            continue
        cur_c = [0.0] * (n + 1)
        cur_l = [0] * (n + 1)
        left = 0.0
        rising = True
        for j, p in enumerate(peer, 1):
            if p == tok:
                k = prev_l[j - 1]
                value = prev_c[j - 1] + pw[k + 1] - pw[k]
                if value < left:  # only a match can make a row decrease
                    rising = False
                left = value
                cur_l[j] = k + 1
            else:
                up = prev_c[j]
                if up >= left:
                    left = up
            cur_c[j] = left
        table.append(cur_c)
        prev_c, prev_l = cur_c, cur_l
    hits = 0
    i, j = len(model), n
    while i and j:
        if model[i - 1] == peer[j - 1]:
            i -= 1
            j -= 1
            hits |= 1 << i
        elif table[i - 1][j] >= table[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return hits


def summary_wlcs_hits(
    ref_units: Sequence[Tokens],
    ref_sets: Sequence[Mapping[str, object]],
    cand_units: Sequence[Tokens],
    cand_sets: Sequence[Mapping[str, object]],
    ref_counts: Mapping[str, int],
    cand_counts: Mapping[str, int],
    w: float,
) -> tuple[float, float]:
    """ROUGE-1.5.5's ``wlcs``: ``(hit, base)`` of one reference against one candidate.

    For each reference unit (in order): ``base += f(len(unit))``; the union over candidate units of
    the :func:`wlcs_rows` marks; then a walk over the marked positions in order, each one a hit only
    while both unigram budgets (``ref_counts`` / ``cand_counts``, shared by all units and shrinking
    with every hit) still have its token. Hits are grouped into runs and a run of length ``k`` adds
    ``f(k)``. As in Perl, a run is closed only at a counted hit whose next position is unmarked (or
    the unit's end): a marked position refused by the budgets neither counts nor closes the run, so
    runs can join across it, and a run whose last counted hit is followed by refused positions up to
    the unit's end is never added.
    """
    longest = max(max(map(len, ref_units), default=0), max(map(len, cand_units), default=0))
    pw = wlcs_weights(w, longest)
    ref_left = dict(ref_counts)
    cand_left = dict(cand_counts)
    hit = 0.0
    base = 0.0
    for unit, uset in zip(ref_units, ref_sets):
        base += pw[len(unit)]
        if not unit:
            continue
        keys = uset.keys()
        mask = 0
        for c, cset in zip(cand_units, cand_sets):
            if not keys.isdisjoint(cset):
                mask |= wlcs_rows(unit, c, pw)
        run = 0
        rest = mask
        while rest:
            low = rest & -rest
            rest ^= low
            tok = unit[low.bit_length() - 1]
            if ref_left.get(tok, 0) > 0 and cand_left.get(tok, 0) > 0:
                run += 1
                if not mask & (low << 1):  # next position unmarked, or the unit ends here
                    hit += pw[run]
                    run = 0
                ref_left[tok] -= 1
                cand_left[tok] -= 1
    return hit, base
