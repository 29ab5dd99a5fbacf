"""sumbench's ROUGE engine: rouge-score 0.1.2's numbers (bit for bit, 15-30x faster) or ROUGE-1.5.5.pl's.

Usage::

    scorer = RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum", "rougeSU4", "rougeWsum"], use_stemmer=True)
    scorer.score(reference, candidate)["rouge1"].fmeasure
    scorer.score_multi([ref_a, ref_b], candidate)           # multiref="max" (rouge-score)
    scorer.score_batch(references, candidates)              # many pairs, texts analysed once
    scorer.signature()  # 'rouge1,2,L,Lsum|stem=porter|tok=rouge-score|lsum=newline|multiref=max'

Two compatibility targets (``compat``):

``"rouge-score"`` (default)
    The numbers of Google's rouge-score 0.1.2 ``RougeScorer`` (``score``, ``score_multi``) equal to
    the last bit: same tokenizer (lowercase, ``[a-z0-9]+``, NLTK Porter on tokens longer than 3
    characters), same clipped n-gram counts, same LCS index sets for rougeLsum (the backtrack's tie
    rule included), same float expressions. Faster because every distinct text is tokenized,
    stemmed and counted once, stems are cached (process-wide bounded LRU) and computed by an
    exact port of NLTK's Porter (:mod:`._rouge_porter`; NLTK is not imported), LCS runs bit-parallel
    on Python ints, and rougeLsum's backtrack is read off the bit-parallel columns (see
    :mod:`sumbench.scoring._rouge_core`). ``benchmarks/speed/rouge_speed.py`` measures it.

``"perl"``
    The numbers ROUGE-1.5.5.pl prints (``-n N -m -d -z SPL``, one sentence unit per line),
    computed in Python: its byte-level ASCII tokenization, its own Porter stemmer behind the
    WordNet 2.0 exception table (shipped as ``_perl_wordnet_exc.tsv.gz``), its summary-level
    ROUGE-L, its ``-f A`` / ``-f B`` handling of several references, its ``-l`` / ``-b``
    truncation (applied, as the script does, to references as well as candidates), and P and R
    rounded to 5 decimals with F computed from the rounded values.

How the two differ, by design (minimal examples; ``S = RougeScorer(types, use_stemmer=True)``):

* **Stemmer.** rouge-score uses NLTK's Porter stemmer; Perl uses its own Porter variant plus a
  WordNet exception table: ``"he went"`` vs ``"he goes"`` has rouge1 recall 0.5 in rouge-score
  (went/goe) and 1.0 in Perl (went->go, goes->go); ``"statement"`` stems to ``statement`` in NLTK
  but ``statem`` in Perl. Without stemming the tokens agree.
* **Hyphens and case.** Perl pads ``-`` with spaces and then drops the ``-`` tokens, rouge-score
  treats it as a separator: ``"U.S.-based"`` is ``u s based`` in both; but ``-l`` counts
  whitespace words, so ``"U.S.-based firm"`` is 2 words for truncation and 4 tokens for scoring.
  Perl lowercases ASCII only; Python's ``lower()`` maps the Kelvin sign ``"\\u212a"`` to ``k``
  (a token in rouge-score, nothing in Perl).
* **ROUGE-L.** Perl's ROUGE-L is summary-level over its input lines (= rouge-score's
  ``rougeLsum`` with ``lsum_split="newline"``); rouge-score's ``rougeL`` is Perl on one-line
  input. With reference ``"a b\\nc d"`` and candidate ``"c d a b"``: rougeL recall 0.5,
  rougeLsum (and Perl ROUGE-L) recall 1.0.
* **Several references.** rouge-score's ``score_multi`` keeps, per type, the reference with the
  highest F (``multiref="max"``); Perl's default ``-f A`` pools hits and counts over references
  (``"pooled"``): with references ``"a b"`` and ``"c d"`` and candidate ``"a b"``, max gives
  R=1.0, pooled R=0.5, P=0.5. ``-f B`` (``"best"``) keeps the reference with the best recall
  (Perl compares rounded recalls for ROUGE-N, unrounded for ROUGE-L; first wins ties).
* **Rounding.** Perl prints P and R with ``%7.5f`` and computes F (``P*R/(0.5*P+0.5*R)``, also
  printed with ``%7.5f``) from those rounded values: ``"x \u212a"`` vs ``"x k"`` is P=0.5, R=1.0,
  F=0.66667 in Perl, and any score can move in the 5th decimal against unrounded arithmetic.

ROUGE-W and ROUGE-S/SU (rouge-score has neither; the numbers papers print come from ROUGE-1.5.5.pl,
so both modes compute them as the script's code does, on each mode's own tokens, stems and rounding):

* ``rougeW`` / ``rougeWsum``: weighted LCS, ``f(k) = k ** w_weight`` (default 1.2, Perl ``-w 1.2``,
  printed as ROUGE-W-1.2). Like ROUGE-L, ``rougeW`` takes the text as one unit (= Perl on one-line
  input) and ``rougeWsum`` the rougeLsum units (= Perl on its input lines, its usual use). Per
  reference unit, the union over candidate units of the positions the WLCS backtrack marks
  (``wlcs_inner`` + ``markLCS``), clipped by unigram budgets as ROUGE-L; runs of consecutive marked
  reference positions of length k add f(k) (``wlcs``). Recall is ``f^-1(hits / f(sum of
  f(len(unit))))``, precision ``f^-1(hits / f(candidate tokens))`` (``computeWLCSScore``).
* ``rougeS<N>`` / ``rougeSU<N>``: skip-bigrams, word pairs in order with at most N words between them
  (Perl ``-2 N``: ``$j <= $i + N + 1``; ``rougeS0`` = rouge2), over the whole text (Perl's ``readText``:
  line breaks do not matter); ``rougeS*`` / ``rougeSU*``: no limit (``-2 -1``). SU (``-U``) adds
  unigrams to the same clipped multiset. P = hits / candidate units, R = hits / reference units.

Where the script departs from Lin (2004), kept on purpose (published ROUGE-W/SU numbers include it):
the recall total of ROUGE-W applies f twice, so a copy of the reference scores R = n^(1-w) < 1
(``"a b c"`` vs itself: P=1.0, R=0.80274); ROUGE-W runs are consecutive *reference* positions, so
Lin's example candidates "A B C D H I K" and "A H B K C I D" score the same against "A B C D E F G";
a budget-refused position inside a run neither counts nor ends the run, and a run followed only by
refused positions to the unit's end is dropped; ROUGE-SU adds the unigrams of every token but the
last (Lin's begin-of-sentence marker would add all of them: "police kill the gunman" vs "police
killed the gunman" is SU* 5/9 in the script, 6/10 by the paper). The script dies on a reference
without tokens when -w is given; sumbench scores such pairs 0. Several references: ``pooled`` sums
ROUGE-W's weighted hits and f-totals (``-f A``); ``best`` compares ROUGE-W's unrounded
``f^-1(hits / sum of f(len(unit)))`` and ROUGE-S/SU's rounded recall (``-f B``).

Multi-reference modes (``multiref``): ``max`` (rouge-score ``score_multi``), ``mean`` (mean of the
per-reference P, R and F), ``pooled`` (Perl ``-f A``: hits and reference counts summed, the
candidate count counted once per reference), ``best`` (Perl ``-f B``: the first reference with the
highest recall) and ``jackknife`` (for N >= 2 references, the mean over the N leave-one-out
subsets of the max-F score over the remaining N-1 references, as ROUGE's jackknifing of human
references; with one reference it is that reference's score). The default is ``max`` for
``compat="rouge-score"`` and ``pooled`` (Perl's own default) for ``compat="perl"``; in Perl mode
``max``/``mean``/``jackknife`` combine the per-reference scores Perl prints (already rounded).

ROUGE-Lsum needs sentences: ``lsum_split="newline"`` splits on ``"\\n"`` (rouge-score and Perl
behaviour; use :func:`lsum_newline_warning` to flag one-line texts), ``"splitter"`` uses
:func:`sumbench.text.split_sentences`.

Truncation: ``max_words`` / ``max_bytes`` cut texts as ROUGE-1.5.5's ``-l`` / ``-b`` (whitespace
words, UTF-8 bytes, line by line). With ``compat="rouge-score"`` only candidates are cut; with
``compat="perl"`` both sides are, exactly as the script does (including its ``-b`` quirk for
ROUGE-L units, see :func:`sumbench.scoring._perl_compat.read_text_lcs`).
"""

from __future__ import annotations

import difflib
import gc
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain
from typing import NamedTuple, Protocol

from sumbench.scoring import _perl_compat as _pc
from sumbench.scoring._rouge_core import (
    Masks,
    Tokens,
    lcs_length,
    ngram_counts,
    overlap,
    rs_tokenize,
    skip_bigram_counts,
    skip_bigram_overlap,
    skip_bigram_total,
    summary_lcs_hits,
    summary_wlcs_hits,
    token_masks,
)
from sumbench.scoring._rouge_core import counts as _counts_of
from sumbench.text import split_sentences

__all__ = [
    "KNOWN_ROUGE_TYPES",
    "MULTIREF_MODES",
    "RougeScorer",
    "Score",
    "lsum_newline_warning",
    "parse_rouge_types",
    "truncate_text",
]

#: The fixed type names; besides them ``rougeS<N>`` / ``rougeSU<N>`` for any gap N >= 0 (``rougeS4``,
#: ``rougeSU4``, ...): skip-bigrams with at most N tokens between the two words, Perl's ``-2 N``.
KNOWN_ROUGE_TYPES: tuple[str, ...] = tuple(f"rouge{n}" for n in range(1, 10)) + (
    "rougeL",
    "rougeLsum",
    "rougeW",
    "rougeWsum",
    "rougeS*",
    "rougeSU*",
)
MULTIREF_MODES: tuple[str, ...] = ("max", "mean", "pooled", "best", "jackknife")
COMPAT_MODES: tuple[str, ...] = ("rouge-score", "perl")
LSUM_SPLITS: tuple[str, ...] = ("newline", "splitter")
_NGRAM_RE = re.compile(r"rouge([1-9])$")
_SKIP_RE = re.compile(r"rougeS(U?)(0|[1-9][0-9]*|\*)$")
_W_TYPES = ("rougeW", "rougeWsum")
#: skip-bigram gaps up to this one are counted once per text and cached with it (at most gap+1 pairs
#: per token); wider and unlimited gaps count, per pair, only the pairs of tokens both texts have
_CACHED_MAX_GAP = 8
_KNOWN_TEXT = (
    "rouge1 .. rouge9, rougeL, rougeLsum, rougeW, rougeWsum, rougeS<N> and rougeSU<N> (N >= 0: at most N "
    "words between the two words of a skip-bigram, e.g. rougeSU4), rougeS* and rougeSU* (no limit)"
)


class Score(NamedTuple):
    """Precision, recall and F1 of one ROUGE type (same fields as rouge-score's ``Score``)."""

    precision: float
    recall: float
    fmeasure: float


_ZERO = Score(0.0, 0.0, 0.0)


class Tokenizer(Protocol):
    """Anything with rouge-score's tokenizer interface."""

    def tokenize(self, text: str) -> list[str]: ...


def is_rouge_type(name: str) -> bool:
    """True for a name :func:`parse_rouge_types` accepts (:data:`KNOWN_ROUGE_TYPES` or ``rougeS<N>`` /
    ``rougeSU<N>``)."""
    return name in KNOWN_ROUGE_TYPES or _SKIP_RE.match(name) is not None


def _skip_spec(rouge_type: str) -> tuple[int, bool] | None:
    """``(gap, with_unigrams)`` of a ROUGE-S/SU name (gap -1: no limit), None for other types."""
    m = _SKIP_RE.match(rouge_type)
    if m is None:
        return None
    return (-1 if m.group(2) == "*" else int(m.group(2))), m.group(1) == "U"


def _did_you_mean(name: str) -> str:
    """A hint for an unknown type name: Perl's own spellings (``ROUGE-SU4``, ``ROUGE-W-1.2``, ``-2 -1``)
    map to ours, anything else to the closest known names."""
    low = name.lower().replace("_", "-")
    m = re.fullmatch(r"rouge-?(su|s)(-?)(\*|[0-9]+)", low)
    if m:
        unigrams = "U" if m.group(1) == "su" else ""
        if m.group(2) and m.group(3) == "1":  # rougeSU-1: Perl's -2 -1
            return f" Did you mean 'rougeS{unigrams}*' (Perl's -2 -1: no limit)?"
        gap = m.group(3) if m.group(3) == "*" else str(int(m.group(3)))
        return f" Did you mean 'rougeS{unigrams}{gap}'?"
    m = re.fullmatch(r"rouge-?w(sum)?(-?[0-9]+(\.[0-9]*)?)?", low)
    if m:
        weight = f" with RougeScorer(w_weight={m.group(2).lstrip('-')})" if m.group(2) else ""
        return f" Did you mean 'rougeW' or 'rougeWsum' (summary-level){weight}?"
    m = re.fullmatch(r"rouge-?(l|lsum|[1-9])", low)
    if m:
        fixed = {"l": "rougeL", "lsum": "rougeLsum"}.get(m.group(1), f"rouge{m.group(1)}")
        if fixed != name:
            return f" Did you mean {fixed!r}?"
    close = difflib.get_close_matches(name, [*KNOWN_ROUGE_TYPES, "rougeS4", "rougeSU4"], n=2, cutoff=0.6)
    return f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def parse_rouge_types(rouge_types: str | Iterable[str]) -> tuple[str, ...]:
    """Validate ROUGE type names (a list, or one comma-separated string); keeps order, drops repeats.

    >>> parse_rouge_types("rouge1, rougeLsum, rougeSU4")
    ('rouge1', 'rougeLsum', 'rougeSU4')
    """
    items = rouge_types.split(",") if isinstance(rouge_types, str) else list(rouge_types)
    out: list[str] = []
    for item in items:
        name = str(item).strip()
        if not is_rouge_type(name):
            raise ValueError(f"unknown rouge type {name!r}; known: {_KNOWN_TEXT}.{_did_you_mean(name)}")
        if name not in out:
            out.append(name)
    if not out:
        raise ValueError(f"no rouge type given; known: {_KNOWN_TEXT}")
    return tuple(out)


def _split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` by the toolkit's splitter (``lsum_split="splitter"``)."""
    return list(split_sentences(text))


def lsum_newline_warning(text: str) -> bool:
    """True when ``text`` has no newline but our splitter finds more than one sentence in it
    (rougeLsum with ``lsum_split="newline"`` would then treat it as a single sentence)."""
    return "\n" not in text and len(_split_sentences(text)) > 1


def truncate_text(text: str, max_words: int | None = None, max_bytes: int | None = None) -> str:
    """Cut ``text`` as ROUGE-1.5.5 ``-l`` (whitespace words) or ``-b`` (UTF-8 bytes) does,
    line by line; kept lines stay on their own lines (for rougeLsum)."""
    if not max_words and not max_bytes:
        return text
    lines = [line for line in text.split("\n") if line]
    if max_words:
        return "\n".join(_pc.cut_lines_by_words(lines, max_words))
    out: list[str] = []
    total = 0
    for s in lines:
        b = s.encode("utf-8")
        if total + len(b) < max_bytes:  # type: ignore[operator]
            out.append(s)
            total += len(b)
        else:
            out.append(b[: max_bytes - total].decode("utf-8", "ignore"))  # type: ignore[operator]
            break
    return "\n".join(out)


# ----------------------------------------------------------------------------------- analysis
class _Text:
    """Everything scoring needs from one text, computed once (bit masks lazily, on first use)."""

    __slots__ = (
        "tokens",
        "grams",
        "lsum",
        "lsum_sets",
        "lsum_counts",
        "lsum_total",
        "l_units",
        "l_sets",
        "l_counts",
        "_masks",
        "_lsum_masks",
        "_l_masks",
        "joinable",
        "_vocab",
        "_skip",
        "_su_unigrams",
        "_unigrams",
    )

    def __init__(
        self,
        tokens: Tokens,
        ns: Iterable[int],
        lsum: tuple[Tokens, ...],
        lsum_counts: dict | None,
        l_units: tuple[Tokens, ...] = (),
        l_counts: dict | None = None,
        joinable: bool = True,
    ) -> None:
        self.tokens = tokens  # n-gram tokens (Perl: readText); rougeL tokens in rouge-score mode
        self.joinable = joinable  # tokens hold no space: n-gram keys can be joined strings
        self.grams = {n: ngram_counts(tokens, n, joinable) for n in ns}
        self.lsum = lsum  # rougeLsum units
        self.lsum_sets = tuple(dict.fromkeys(u) for u in lsum)
        if lsum_counts is None:  # the unigram counts of ``tokens``
            lsum_counts = self.grams[1] if 1 in self.grams else _counts_of(tokens)
        self.lsum_counts = lsum_counts  # unigram budget for rougeLsum clipping
        self.lsum_total = sum(map(len, lsum))
        self.l_units = l_units  # Perl mode: rougeL units (the flattened line)
        self.l_sets = tuple(dict.fromkeys(u) for u in l_units)
        self.l_counts = l_counts if l_counts is not None else {}
        self._masks: Masks | None = None
        self._lsum_masks: tuple[Masks, ...] | None = None
        self._l_masks: tuple[Masks, ...] | None = None
        self._vocab: dict[str, None] | None = None
        self._skip: dict[int, tuple[dict, int]] = {}
        self._su_unigrams: dict | None = None
        self._unigrams: dict | None = None

    def unigrams(self) -> dict:
        """Unigram counts of ``tokens``."""
        if 1 in self.grams:
            return self.grams[1]
        if self._unigrams is None:
            self._unigrams = _counts_of(self.tokens)
        return self._unigrams

    def vocab(self) -> dict[str, None]:
        """The distinct tokens of ``tokens`` (a dict, for ``keys().isdisjoint``)."""
        if self._vocab is None:
            self._vocab = dict.fromkeys(self.tokens)
        return self._vocab

    def skip_bigrams(self, gap: int) -> tuple[dict, int]:
        """Skip-bigram multiset of ``tokens`` (at most ``gap`` tokens between) and its size."""
        got = self._skip.get(gap)
        if got is None:
            grams = skip_bigram_counts(self.tokens, gap, self.joinable)
            got = self._skip[gap] = (grams, skip_bigram_total(len(self.tokens), gap))
        return got

    def su_unigrams(self) -> dict:
        """The unigrams ROUGE-SU adds: every token but the last (Perl's ``createSkipBigram`` adds the
        unigram of position i inside its ``for($i=0;$i<$#m_tokens;$i++)`` loop)."""
        if self._su_unigrams is None:
            self._su_unigrams = _counts_of(self.tokens[:-1])
        return self._su_unigrams

    def masks(self) -> Masks:
        if self._masks is None:
            self._masks = token_masks(self.tokens)
        return self._masks

    def lsum_masks(self) -> tuple[Masks, ...]:
        if self._lsum_masks is None:
            self._lsum_masks = tuple(token_masks(u) for u in self.lsum)
        return self._lsum_masks

    def l_masks(self) -> tuple[Masks, ...]:
        if self._l_masks is None:
            self._l_masks = tuple(token_masks(u) for u in self.l_units)
        return self._l_masks


class _Counts(NamedTuple):
    hits: float  # int, except ROUGE-W's weighted hits
    ref_total: float  # ROUGE-W: f(base), see _make_wlcs_counter
    cand_total: float
    key: float | None = None  # ROUGE-W: what Perl's -f B compares (see _best_recall_index)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while a batch allocates many small acyclic objects (counters, tuples)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _perl_round(x: float) -> float:
    return float("%7.5f" % x)


def _perl_f(p: float, r: float, alpha: float = 0.5) -> float:
    d = (1 - alpha) * p + alpha * r
    return _perl_round(p * r / d) if d > 0 else 0.0


# ------------------------------------------------------------------------------------ scorer
class RougeScorer:
    """ROUGE-N (1-9), ROUGE-L, ROUGE-Lsum, ROUGE-W and ROUGE-S/SU with rouge-score's interface and
    explicit policies.

    ``rouge_types``: names from :data:`KNOWN_ROUGE_TYPES` or ``rougeS<N>`` / ``rougeSU<N>``.
    ``w_weight``: ROUGE-W's weight (Perl ``-w``; recorded in the signature). ``use_stemmer``: Porter stemming
    (NLTK's for rouge-score, the script's plus WordNet exceptions for Perl). ``tokenizer``: an
    object with ``tokenize(text) -> list[str]`` replacing the default tokenizer (rouge-score mode
    only; the stemmer flag is then ignored, as in rouge-score). ``compat``, ``lsum_split``,
    ``multiref``, ``max_words``, ``max_bytes``: see the module docstring. ``cache_size``: how many
    analysed texts a scorer keeps between calls (bounded LRU).
    """

    def __init__(
        self,
        rouge_types: str | Iterable[str],
        use_stemmer: bool = False,
        tokenizer: Tokenizer | None = None,
        *,
        compat: str = "rouge-score",
        lsum_split: str = "newline",
        max_words: int | None = None,
        max_bytes: int | None = None,
        multiref: str | None = None,
        w_weight: float = 1.2,
        cache_size: int = 8192,
        sentence_splitter: Callable[[str], list[str]] | None = None,
    ) -> None:
        self.rouge_types = parse_rouge_types(rouge_types)
        if compat not in COMPAT_MODES:
            raise ValueError(f"unknown compat {compat!r}; known: {', '.join(COMPAT_MODES)}")
        if lsum_split not in LSUM_SPLITS:
            raise ValueError(f"unknown lsum_split {lsum_split!r}; known: {', '.join(LSUM_SPLITS)}")
        if multiref is None:
            multiref = "pooled" if compat == "perl" else "max"
        if multiref not in MULTIREF_MODES:
            raise ValueError(f"unknown multiref {multiref!r}; known: {', '.join(MULTIREF_MODES)}")
        for name, value in (("max_words", max_words), ("max_bytes", max_bytes)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
                raise ValueError(f"{name} must be a positive int or None, got {value!r}")
        if max_words and max_bytes:
            raise ValueError("give max_words or max_bytes, not both (as Perl's -l / -b)")
        if tokenizer is not None and compat == "perl":
            raise ValueError("compat='perl' uses ROUGE-1.5.5's own tokenizer; tokenizer must be None")
        if isinstance(w_weight, bool) or not isinstance(w_weight, (int, float)) or not 0 < w_weight < math.inf:
            raise ValueError(f"w_weight must be a positive number (ROUGE-1.5.5's -w), got {w_weight!r}")
        self.use_stemmer = bool(use_stemmer)
        self.tokenizer = tokenizer
        self.compat = compat
        self.lsum_split = lsum_split
        self.multiref = multiref
        self.max_words = max_words
        self.max_bytes = max_bytes
        self.w_weight = float(w_weight)
        if sentence_splitter is not None and compat == "perl":
            raise ValueError("compat='perl' splits sentences as ROUGE-1.5.5 reads them; sentence_splitter must be None")
        self.sentence_splitter = sentence_splitter
        self._perl = compat == "perl"
        self._ngram_ns = tuple(int(m.group(1)) for t in self.rouge_types if (m := _NGRAM_RE.match(t)))
        self._need_lsum = "rougeLsum" in self.rouge_types or "rougeWsum" in self.rouge_types
        self._need_l_units = "rougeL" in self.rouge_types or "rougeW" in self.rouge_types
        self._counters = {t: self._make_counter(t) for t in self.rouge_types}
        self._analyze: Callable[[str], _Text] = lru_cache(maxsize=cache_size)(
            self._analyze_perl if self._perl else self._analyze_rs
        )

    # ------------------------------------------------------------------------- public API
    def signature(self) -> str:
        """A one-line description of every choice that changes the numbers, e.g.
        ``rouge1,2,L,Lsum|stem=porter|tok=rouge-score|lsum=newline|multiref=max``."""
        short = [t[len("rouge") :] for t in self.rouge_types]
        parts = ["rouge" + ",".join(short)]
        if self._perl:
            parts.append("stem=porter-rouge155+wordnet2.0" if self.use_stemmer else "stem=none")
            parts.append("tok=rouge155")
        elif self.tokenizer is not None:
            own = getattr(self.tokenizer, "signature", None)  # a language tokenizer names itself
            own = own() if callable(own) else own
            if isinstance(own, str) and own:
                parts.append(own)
            else:
                parts.append("stem=tokenizer")
                parts.append(f"tok=custom:{type(self.tokenizer).__name__}")
        else:
            parts.append("stem=porter" if self.use_stemmer else "stem=none")
            parts.append("tok=rouge-score")
        parts.append(f"lsum={self.lsum_split}")
        parts.append(f"multiref={self.multiref}")
        if any(t in _W_TYPES for t in self.rouge_types):
            parts.append(f"w={self.w_weight!r}")
        if self.max_words:
            parts.append(f"trunc=words:{self.max_words}")
        if self.max_bytes:
            parts.append(f"trunc=bytes:{self.max_bytes}")
        if self._perl:
            parts.append("compat=perl")
        return "|".join(parts)

    def score(self, target: str, prediction: str) -> dict[str, Score]:
        """Scores of ``prediction`` against one reference ``target`` (rouge-score's ``score``)."""
        return self._score_pair(self._ref(target), self._cand(prediction))

    def score_multi(self, targets: Sequence[str], prediction: str) -> dict[str, Score]:
        """Scores against several references, combined by the scorer's ``multiref`` mode."""
        if isinstance(targets, str):
            raise TypeError("score_multi takes a list of reference texts, not one str")
        if not targets:
            raise ValueError("score_multi needs at least one reference")
        cand = self._cand(prediction)
        return self._combine([self._ref(t) for t in targets], cand)

    def score_batch(self, targets: Sequence[str | Sequence[str]], predictions: Sequence[str]) -> list[dict[str, Score]]:
        """Scores of many (reference or references, prediction) pairs; each distinct text is
        analysed once. ``targets[i]`` is a str (``score``) or a list of str (``score_multi``)."""
        if len(targets) != len(predictions):
            raise ValueError(f"{len(targets)} targets but {len(predictions)} predictions")
        seen_ref: dict[str, _Text] = {}
        seen_cand: dict[str, _Text] = {}

        def ref(text: str) -> _Text:
            got = seen_ref.get(text)
            if got is None:
                got = seen_ref[text] = self._ref(text)
            return got

        def cand(text: str) -> _Text:
            got = seen_cand.get(text)
            if got is None:
                got = seen_cand[text] = self._cand(text)
            return got

        out: list[dict[str, Score]] = []
        with _gc_paused():
            self._batch(targets, predictions, ref, cand, out)
            seen_ref.clear()  # free by refcount before the collector is back on
            seen_cand.clear()
        return out

    def _batch(
        self,
        targets: Sequence[str | Sequence[str]],
        predictions: Sequence[str],
        ref: Callable[[str], _Text],
        cand: Callable[[str], _Text],
        out: list[dict[str, Score]],
    ) -> None:
        for target, prediction in zip(targets, predictions):
            c = cand(prediction)
            if isinstance(target, str):
                out.append(self._score_pair(ref(target), c))
            else:
                if not target:
                    raise ValueError("score_batch: an empty list of references")
                out.append(self._combine([ref(t) for t in target], c))

    def __repr__(self) -> str:
        return f"RougeScorer({self.signature()!r})"

    # --------------------------------------------------------------------------- analysis
    def _ref(self, text: str) -> _Text:
        return self._analyze(text)

    def _cand(self, text: str) -> _Text:
        if not self._perl and (self.max_words or self.max_bytes):
            text = truncate_text(text, self.max_words, self.max_bytes)
        return self._analyze(text)

    def _tok(self, text: str) -> Tokens:
        if self.tokenizer is not None:
            return tuple(self.tokenizer.tokenize(text))
        return rs_tokenize(text, self.use_stemmer)

    def _sentences(self, text: str) -> list[str]:
        return list(self.sentence_splitter(text)) if self.sentence_splitter is not None else _split_sentences(text)

    def _analyze_rs(self, text: str) -> _Text:
        if not isinstance(text, str):
            raise TypeError(f"expected a str, got {type(text).__name__}")
        lsum: tuple[Tokens, ...] = ()
        if not self._need_lsum:
            tokens = self._tok(text)
        elif self.lsum_split == "newline" and self.tokenizer is None:
            lsum = tuple(self._tok(u) for u in text.split("\n") if u)
            tokens = tuple(chain.from_iterable(lsum))  # "\n" separates tokens: same as tokenizing text
            return _Text(tokens, self._ngram_ns, lsum, None)
        else:
            units = text.split("\n") if self.lsum_split == "newline" else self._sentences(text)
            lsum = tuple(self._tok(u) for u in units if u)
            tokens = self._tok(text)
        counts = _counts_of(chain.from_iterable(lsum))
        return _Text(tokens, self._ngram_ns, lsum, counts, joinable=self.tokenizer is None)

    def _analyze_perl(self, text: str) -> _Text:
        if not isinstance(text, str):
            raise TypeError(f"expected a str, got {type(text).__name__}")
        mw, mb, stem = self.max_words or 0, self.max_bytes or 0, self.use_stemmer
        lines = _pc.perl_lines(text)
        tokens = _pc.perl_tokens(_pc.read_text(lines, mw, mb), stem)
        if self.lsum_split == "newline":
            units = lines
        else:
            units = [_pc.perl_lines(u.replace("\n", " "))[0] for u in _split_sentences(text) if u.strip("\n")]
        lsum = tuple(_pc.perl_tokens(u, stem) for u in _pc.read_text_lcs(units, mw, mb))
        counts = None  # Perl clips LCS hits with readText's unigrams: the counts of ``tokens``
        l_units: tuple[Tokens, ...] = ()
        l_counts: dict | None = None
        if self._need_l_units:
            flat = _pc.perl_lines(text.replace("\n", " "))
            l_units = tuple(_pc.perl_tokens(u, stem) for u in _pc.read_text_lcs(flat, mw, mb))
            l_counts = _counts_of(_pc.perl_tokens(_pc.read_text(flat, mw, mb), stem))
        return _Text(tokens, self._ngram_ns, lsum, counts, l_units, l_counts)

    # ----------------------------------------------------------------------------- counts
    def _counts(self, rouge_type: str, ref: _Text, cand: _Text) -> _Counts:
        return self._counters[rouge_type](ref, cand)

    def _make_counter(self, rouge_type: str) -> Callable[[_Text, _Text], _Counts]:
        perl = self._perl
        if rouge_type in _W_TYPES:
            return self._make_wlcs_counter(rouge_type == "rougeWsum")
        skip = _skip_spec(rouge_type)
        if skip is not None:
            return self._make_skip_counter(*skip)
        if rouge_type == "rougeLsum":

            def lsum(ref: _Text, cand: _Text) -> _Counts:
                hits = 0
                if ref.lsum and cand.lsum:
                    hits = summary_lcs_hits(
                        ref.lsum, ref.lsum_masks(), cand.lsum, cand.lsum_sets, ref.lsum_counts, cand.lsum_counts
                    )
                return _Counts(hits, ref.lsum_total, len(cand.tokens) if perl else cand.lsum_total)

            return lsum
        if rouge_type == "rougeL" and perl:

            def perl_l(ref: _Text, cand: _Text) -> _Counts:
                hits = 0
                if ref.l_units and cand.l_units:
                    hits = summary_lcs_hits(
                        ref.l_units, ref.l_masks(), cand.l_units, cand.l_sets, ref.l_counts, cand.l_counts
                    )
                return _Counts(hits, sum(map(len, ref.l_units)), sum(cand.l_counts.values()))

            return perl_l
        if rouge_type == "rougeL":

            def rs_l(ref: _Text, cand: _Text) -> _Counts:
                # bits over the reference: its masks are reused by every candidate scored against it
                a, b = ref.tokens, cand.tokens
                return _Counts(lcs_length(ref.masks(), len(a), b), len(a), len(b))

            return rs_l
        n = int(rouge_type[5:])

        def ngram(ref: _Text, cand: _Text) -> _Counts:
            return _Counts(
                overlap(ref.grams[n], cand.grams[n]), max(len(ref.tokens) - n + 1, 0), max(len(cand.tokens) - n + 1, 0)
            )

        return ngram

    def _make_skip_counter(self, gap: int, unigrams: bool) -> Callable[[_Text, _Text], _Counts]:
        """ROUGE-S / SU as ROUGE-1.5.5's ``createSkipBigram`` + ``skipBigramScore``: the skip-bigrams of
        the whole text (``readText``: sentence units do not matter), clipped counts; SU also counts
        the unigrams of every token but the last, in the same multiset."""
        cached = 0 <= gap <= _CACHED_MAX_GAP

        def count(ref: _Text, cand: _Text) -> _Counts:
            a, b = ref.tokens, cand.tokens
            if cached:
                ref_grams, rt = ref.skip_bigrams(gap)
                cand_grams, ct = cand.skip_bigrams(gap)
                hits = overlap(ref_grams, cand_grams)
            else:
                hits = skip_bigram_overlap(a, b, gap)
                rt, ct = skip_bigram_total(len(a), gap), skip_bigram_total(len(b), gap)
            if unigrams:
                hits += overlap(ref.su_unigrams(), cand.su_unigrams())
                rt += max(len(a) - 1, 0)
                ct += max(len(b) - 1, 0)
            return _Counts(hits, rt, ct)

        return count

    def _make_wlcs_counter(self, summary_level: bool) -> Callable[[_Text, _Text], _Counts]:
        """ROUGE-W as ROUGE-1.5.5's ``computeWLCSScore`` (``wlcs`` per reference): hits are the
        weighted runs of :func:`summary_wlcs_hits` over the units; the totals are ``f(base)`` with
        ``base = sum of f(len(unit))`` over the reference units (so f is applied twice: Perl's
        ``$totalLCSCount += wlcsWeight($lcsBase)``) and ``f(candidate tokens)``; ``key`` is
        ``f^-1(hit / base)``, the score Perl's ``-f B`` compares. ``rougeW``: the text as one unit
        (Perl on one-line input); ``rougeWsum``: the rougeLsum units (Perl on its input lines)."""
        w = self.w_weight
        perl = self._perl

        def count(ref: _Text, cand: _Text) -> _Counts:
            if summary_level:
                hit, base = summary_wlcs_hits(
                    ref.lsum, ref.lsum_sets, cand.lsum, cand.lsum_sets, ref.lsum_counts, cand.lsum_counts, w
                )
                cand_n = len(cand.tokens) if perl else cand.lsum_total
            elif perl:
                hit, base = summary_wlcs_hits(
                    ref.l_units, ref.l_sets, cand.l_units, cand.l_sets, ref.l_counts, cand.l_counts, w
                )
                cand_n = sum(cand.l_counts.values())
            else:
                hit, base = summary_wlcs_hits(
                    (ref.tokens,), (ref.vocab(),), (cand.tokens,), (cand.vocab(),), ref.unigrams(), cand.unigrams(), w
                )
                cand_n = len(cand.tokens)
            key = (hit / base) ** (1 / w) if base else 0.0
            return _Counts(hit, base**w, float(cand_n) ** w, key)

        return count

    def _to_score(self, rouge_type: str, c: _Counts) -> Score:
        hits, rt, ct, _ = c
        if rouge_type in _W_TYPES:  # Perl: sprintf("%7.5f", wlcsWeightInverse(hit / total))
            inv = 1 / self.w_weight
            if self._perl:
                r = _perl_round((hits / rt) ** inv) if rt else 0.0
                p = _perl_round((hits / ct) ** inv) if ct else 0.0
                return Score(p, r, _perl_f(p, r))
            if not rt or not ct:
                return _ZERO
            p = (hits / ct) ** inv
            r = (hits / rt) ** inv
            return Score(p, r, 2 * p * r / (p + r) if p + r > 0 else 0.0)
        if self._perl:
            r = _perl_round(hits / rt) if rt else 0.0
            p = _perl_round(hits / ct) if ct else 0.0
            return Score(p, r, _perl_f(p, r))
        if rouge_type in ("rougeL", "rougeLsum"):
            if not rt or not ct:
                return _ZERO
            p = hits / ct
            r = hits / rt
        else:
            p = hits / (ct or 1)
            r = hits / (rt or 1)
        return Score(p, r, 2 * p * r / (p + r) if p + r > 0 else 0.0)

    def _score_pair(self, ref: _Text, cand: _Text) -> dict[str, Score]:
        return {t: self._to_score(t, self._counts(t, ref, cand)) for t in self.rouge_types}

    # ------------------------------------------------------------------------ multi-ref
    def _combine(self, refs: list[_Text], cand: _Text) -> dict[str, Score]:
        if len(refs) == 1:  # every mode reduces to the one reference's score
            return self._score_pair(refs[0], cand)
        mode = self.multiref
        out: dict[str, Score] = {}
        for t in self.rouge_types:
            counts = [self._counts(t, r, cand) for r in refs]
            if mode == "pooled":
                out[t] = self._to_score(t, _pooled(counts))
                continue
            scores = [self._to_score(t, c) for c in counts]
            if mode == "max":
                out[t] = _first_max(scores)
            elif mode == "best":
                out[t] = scores[_best_recall_index(t, counts, self._perl)]
            elif mode == "mean":
                out[t] = _mean(scores)
            else:  # jackknife
                n = len(scores)
                if n == 1:
                    out[t] = scores[0]
                else:
                    out[t] = _mean([_first_max(scores[:i] + scores[i + 1 :]) for i in range(n)])
        return out


def _pooled(counts: Sequence[_Counts]) -> _Counts:
    """Perl ``-f A``: hits, reference and candidate totals summed over the references, left to right
    (``+=`` as Perl: ROUGE-W's totals are floats, and ``sum()`` of floats is compensated on Python 3.12+)."""
    hits, rt, ct = counts[0][:3]
    for c in counts[1:]:
        hits += c.hits
        rt += c.ref_total
        ct += c.cand_total
    return _Counts(hits, rt, ct)


def _first_max(scores: Sequence[Score]) -> Score:
    """The first score with the highest F (``np.argmax`` semantics, as rouge-score)."""
    best = scores[0]
    for s in scores[1:]:
        if s.fmeasure > best.fmeasure:
            best = s
    return best


def _mean(scores: Sequence[Score]) -> Score:
    n = len(scores)
    return Score(
        sum(s.precision for s in scores) / n, sum(s.recall for s in scores) / n, sum(s.fmeasure for s in scores) / n
    )


def _best_recall_index(rouge_type: str, counts: Sequence[_Counts], perl: bool) -> int:
    """Perl ``-f B``: first reference with the strictly best recall (rounded for ROUGE-N and ROUGE-S/SU
    in Perl; unrounded for ROUGE-L; for ROUGE-W Perl's unrounded ``f^-1(hit / base)``)."""
    best, best_i = -1.0, 0
    for i, (hits, rt, _, key) in enumerate(counts):
        if key is not None:
            if key > best:
                best, best_i = key, i
            continue
        recall = hits / rt if rt else 0.0
        if perl and not rouge_type.startswith("rougeL") and rt:
            recall = _perl_round(recall)
        if recall > best:
            best, best_i = recall, i
    return best_i
