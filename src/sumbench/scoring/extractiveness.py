"""Extractiveness of a summary with respect to its article (Grusky et al., 2018).

Newsroom: A Dataset of 1.3 Million Summaries with Diverse Extractive Strategies
(NAACL 2018), section 4.1.  A summary ``S`` is explained by a set ``F(A, S)`` of
*extractive fragments*: shared sequences of tokens, found greedily from left to right
in the summary, each being the longest run of summary tokens that also appears
verbatim in the article ``A``.  From those fragments::

    coverage(A, S)    = 1/|S| * sum_{f in F} |f|       # share of summary words inside a fragment
    density(A, S)     = 1/|S| * sum_{f in F} |f|**2    # average length of the fragment a word is in
    compression(A, S) = |A| / |S|                      # article words per summary word

We add the two families of statistics that are usually reported next to them:

* ``novel_Ngram`` (N = 1, 2, 3): the fraction (0-1) of the summary's N-gram
  *occurrences* that do not occur anywhere in the article (See et al., 2017;
  Narayan et al., 2018).  An N-gram repeated in the summary counts every time.
* ``redundancy_Ngram`` (N = 1, 2): the fraction (0-1) of the summary's N-gram
  occurrences that repeat an earlier N-gram of the same summary,
  ``1 - distinct / total``.

Tokenization
------------
Both texts are lower-cased and split with the regular expression ``[a-z0-9]+``
(:func:`sumbench.text.tokenize`, re-exported here as :func:`tokenize`): punctuation,
whitespace and any non-ASCII letter separate tokens and are dropped.  It is deliberately
simple, language-agnostic and dependency-free, so numbers are reproducible across machines;
it is *not* the ROUGE tokenizer.

Degenerate inputs: a summary with no tokens has coverage, density, novel and
redundancy 0.0 and ``fragment_compression`` NaN (undefined); a summary shorter than
N tokens has ``novel_Ngram`` and ``redundancy_Ngram`` 0.0 (it has no N-grams).

Speed: the article is indexed once as ``token -> [positions]`` so each summary
position only visits the article positions holding the same token; a 400-word
article and a 60-word summary take tens of microseconds.  Several summaries of one
article share that work: build an :class:`Article` once and pass it instead of the
text (its tokens, position index and n-gram sets are computed once, the n-gram sets
on first use).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from sumbench.text import tokenize

__all__ = [
    "EXTRACTIVENESS_COLUMNS",
    "Article",
    "Fragment",
    "extractiveness",
    "fragments",
    "tokenize",
]

#: Column names returned by :func:`extractiveness`, in the order scores.csv uses.
EXTRACTIVENESS_COLUMNS: tuple[str, ...] = (
    "coverage",
    "density",
    "fragment_compression",
    "novel_1gram",
    "novel_2gram",
    "novel_3gram",
    "redundancy_1gram",
    "redundancy_2gram",
)


class Fragment(NamedTuple):
    """One extractive fragment: ``summary[summary_start:summary_start+length]``
    equals ``article[article_start:article_start+length]``."""

    summary_start: int
    article_start: int
    length: int


def fragments(article_tokens: Sequence[str], summary_tokens: Sequence[str]) -> list[Fragment]:
    """Greedy extractive fragments of Grusky et al. (2018), Algorithm 1 (as in the
    reference ``newsroom`` implementation).

    For the summary position ``i`` the article is scanned left to right; at every
    article position ``j`` where ``S[i] == A[j]`` the shared run starting there is
    measured, the longest (first on ties) is kept, and the scan resumes *after* that
    run (``j = j'``), exactly as the paper's pseudo-code does.  If a fragment was
    found the summary cursor jumps past it, else it advances by one token.  Fragments
    are returned in summary order; unmatched summary tokens belong to no fragment.
    """
    positions: dict[str, list[int]] = defaultdict(list)
    for j, tok in enumerate(article_tokens):
        positions[tok].append(j)
    return _fragments(article_tokens, positions, summary_tokens)


def _fragments(
    article_tokens: Sequence[str], positions: Mapping[str, Sequence[int]], summary_tokens: Sequence[str]
) -> list[Fragment]:
    """:func:`fragments` with the article's ``token -> [positions]`` index given."""
    n_s = len(summary_tokens)
    n_a = len(article_tokens)
    found: list[Fragment] = []
    i = 0
    while i < n_s:
        best_len = 0
        best_j = -1
        next_j = 0  # the paper's cursor j: positions before it are skipped
        for j in positions.get(summary_tokens[i], ()):
            if j < next_j:
                continue
            length = 1
            while i + length < n_s and j + length < n_a and summary_tokens[i + length] == article_tokens[j + length]:
                length += 1
            if length > best_len:
                best_len, best_j = length, j
            next_j = j + length
        if best_len:
            found.append(Fragment(i, best_j, best_len))
            i += best_len
        else:
            i += 1
    return found


class Article:
    """An article analysed once for the extractiveness of any number of its summaries: its tokens,
    the ``token -> [positions]`` index and (on first use) its sets of N-grams."""

    __slots__ = ("_grams", "positions", "tokenize", "tokens")

    def __init__(self, text: str, tokenize: Callable[[str], list[str]] = tokenize) -> None:
        self.tokenize = tokenize  # the summary is tokenized the same way
        self.tokens: list[str] = tokenize(text)
        positions: dict[str, list[int]] = {}
        for j, tok in enumerate(self.tokens):
            got = positions.get(tok)
            if got is None:
                positions[tok] = [j]
            else:
                got.append(j)
        self.positions = positions
        self._grams: dict[int, set[tuple[str, ...]]] = {}

    def grams(self, n: int) -> set[tuple[str, ...]]:
        """The set of the article's ``n``-grams."""
        got = self._grams.get(n)
        if got is None:
            got = self._grams[n] = set(_ngrams(self.tokens, n))
        return got


def _ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[k : k + n]) for k in range(len(tokens) - n + 1)]


def _novel(article: Article, summary_tokens: Sequence[str], n: int) -> float:
    grams = _ngrams(summary_tokens, n)
    if not grams:
        return 0.0
    article_grams = article.grams(n)
    return sum(1 for g in grams if g not in article_grams) / len(grams)


def _redundancy(summary_tokens: Sequence[str], n: int) -> float:
    grams = _ngrams(summary_tokens, n)
    if not grams:
        return 0.0
    return 1.0 - len(set(grams)) / len(grams)


def extractiveness(article: str | Article, summary: str) -> dict[str, float]:
    """All extractiveness statistics of ``summary`` against ``article``.

    Returns a dict with the keys of :data:`EXTRACTIVENESS_COLUMNS`: ``coverage``
    (0-1), ``density`` (>= 0, words), ``fragment_compression`` (article words per
    summary word), ``novel_1gram``/``novel_2gram``/``novel_3gram`` and
    ``redundancy_1gram``/``redundancy_2gram`` (fractions 0-1).  See the module
    docstring for the definitions and the tokenizer.  ``article`` is the text, or an
    :class:`Article` made from it (the same numbers; cheaper for several summaries).
    """
    art = article if isinstance(article, Article) else Article(article)
    a = art.tokens
    s = art.tokenize(summary)
    n_s = len(s)
    if n_s == 0:
        cov = dens = 0.0
        comp = float("nan")
    else:
        frags = _fragments(a, art.positions, s)
        cov = sum(f.length for f in frags) / n_s
        dens = sum(f.length * f.length for f in frags) / n_s
        comp = len(a) / n_s
    return {
        "coverage": cov,
        "density": dens,
        "fragment_compression": comp,
        "novel_1gram": _novel(art, s, 1),
        "novel_2gram": _novel(art, s, 2),
        "novel_3gram": _novel(art, s, 3),
        "redundancy_1gram": _redundancy(s, 1),
        "redundancy_2gram": _redundancy(s, 2),
    }
