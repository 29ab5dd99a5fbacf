"""Text processing shared by the classic extractive summarizers: tokens, stop words, cached Porter
stems, sentence-term count matrices, TF-IDF rows, PageRank and greedy-selection helpers.

Everything works on one document at a time with plain numpy: a regex tokenizer, a vocabulary built
with dicts in first-occurrence order (so ties between terms are broken by document order) and one
``np.bincount`` for the counts. No vectorizer is fitted per document (that alone is ~1 ms).

Matrices are dense ``(n_sentences, n_terms)`` arrays: for news articles (tens of sentences, a few
hundred terms) that is both the fastest and a few hundred kilobytes at most.

:func:`tokenize` and :func:`analyze` are part of the text pipeline: a change of their output needs a
bump of :data:`sumbench.text.TEXT_PIPELINE_VERSION` (``tests/test_text.py`` checks it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np

from sumbench.records import Document
from sumbench.summarizers.base import ExtractiveSummarizer

STOP_WORD_CHOICES = ("english", None)

# A token is a maximal run of word characters (lower-cased). Content terms have two or more
# characters and are not stop words -- the same terms as scikit-learn's default token pattern
# ``(?u)\b\w\w+\b``; one-letter tokens still count as (insignificant) words for positions.
_WORD = re.compile(r"\w+")
_WORD_OR_BREAK = re.compile(r"\w+|\n")

_STEMS: dict[str, str] = {}
_STEM_CACHE_LIMIT = 500_000
_PORTER: Any = None


def stem(word: str) -> str:
    """Porter stem of a lower-case word (nltk's ``PorterStemmer``), cached for the process."""
    cached = _STEMS.get(word)
    if cached is None:
        global _PORTER
        if _PORTER is None:
            from nltk.stem.porter import PorterStemmer

            _PORTER = PorterStemmer()
        if len(_STEMS) >= _STEM_CACHE_LIMIT:
            _STEMS.clear()
        cached = _STEMS[word] = _PORTER.stem(word)
    return cached


def stop_word_set(stop_words: str | None) -> frozenset[str]:
    """The stop list named by ``stop_words``: ``"english"`` (scikit-learn's list) or ``None`` (none)."""
    if stop_words is None:
        return frozenset()
    if stop_words == "english":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return ENGLISH_STOP_WORDS
    raise ValueError(f"stop_words must be 'english' or None, not {stop_words!r}")


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens of ``text`` (every ``\\w+`` run, stop words included)."""
    return _WORD.findall(text.lower())


def check_text_params(stop_words: Any, stemming: Any) -> None:
    """Validate the ``stop_words`` and ``stemming`` options every classic summarizer shares."""
    if stop_words not in STOP_WORD_CHOICES:
        raise ValueError(f"stop_words must be 'english' or None, not {stop_words!r}")
    if not isinstance(stemming, bool):
        raise ValueError(f"stemming must be True or False, not {stemming!r}")


@dataclass(frozen=True)
class Terms:
    """One document seen as content terms.

    ``counts[i, t]`` is how often term ``t`` occurs in sentence ``i``; ``vocabulary[t]`` is the term
    (stemmed when asked), in order of first occurrence. ``token_terms`` and ``token_sentences`` give,
    for every token of the document in reading order (stop words and one-letter words included), its
    term id (``-1`` for a non-content word) and its sentence.
    """

    counts: np.ndarray
    vocabulary: tuple[str, ...]
    token_terms: np.ndarray
    token_sentences: np.ndarray

    @property
    def n_sentences(self) -> int:
        return self.counts.shape[0]

    @property
    def n_terms(self) -> int:
        return self.counts.shape[1]


def analyze(sentences: Sequence[str], stop_words: str | None = "english", stemming: bool = False) -> Terms:
    """Tokenize ``sentences`` once and count content terms per sentence (see :class:`Terms`).

    The per-token work is done by C-level ``dict``/``map``/``np.fromiter`` calls; Python only loops
    over the document's distinct words (to drop stop words and to stem).
    """
    stops = stop_word_set(stop_words)
    n = len(sentences)
    joined = "\n".join(sentences).lower()
    one_pass = joined.count("\n") == n - 1  # no sentence holds a newline itself
    if one_pass:  # one findall for the whole document: "\n" tokens mark sentence ends
        tokens = _WORD_OR_BREAK.findall(joined)
    else:
        per_sentence = [_WORD.findall(s.lower()) for s in sentences]
        tokens = list(chain.from_iterable(per_sentence))
    content = [w for w in dict.fromkeys(tokens) if w[1:] and w not in stops]  # 2+ characters, no stop words
    if stemming:
        first_seen: dict[str, int] = {}
        ids = [first_seen.setdefault(stem(w), len(first_seen)) for w in content]
        term_index = dict(zip(content, ids))
        vocabulary = tuple(first_seen)
    else:
        term_index = dict(zip(content, range(len(content))))
        vocabulary = tuple(content)
    n_terms = len(vocabulary)
    term_index["\n"] = -2
    token_terms = np.fromiter(map(term_index.get, tokens, repeat(-1)), dtype=np.intp, count=len(tokens))
    if one_pass:
        breaks = token_terms == -2
        token_sentences = np.cumsum(breaks)[~breaks]
        token_terms = token_terms[~breaks]
    else:
        lengths = np.fromiter(map(len, per_sentence), dtype=np.intp, count=n)
        token_sentences = np.repeat(np.arange(n, dtype=np.intp), lengths)
    keep = token_terms >= 0
    flat = token_sentences[keep] * n_terms + token_terms[keep]
    counts = np.bincount(flat, minlength=n * n_terms).reshape(n, n_terms).astype(np.float64)
    return Terms(counts, vocabulary, token_terms, token_sentences)


def idf(counts: np.ndarray) -> np.ndarray:
    """Smoothed IDF with the sentences as the collection: ``ln((1 + n) / (1 + df)) + 1``
    (scikit-learn's ``TfidfVectorizer`` default)."""
    n = counts.shape[0]
    df = np.count_nonzero(counts, axis=0)
    return np.log((1.0 + n) / (1.0 + df)) + 1.0


def l2_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit Euclidean length (all-zero rows stay zero)."""
    norms = np.sqrt(np.einsum("ij,ij->i", matrix, matrix))
    return matrix / np.where(norms == 0, 1.0, norms)[:, None]


def tfidf_rows(counts: np.ndarray) -> np.ndarray:
    """L2-normalised TF-IDF rows (raw counts times :func:`idf`), one per sentence."""
    return l2_rows(counts * idf(counts))


def tfidf_matrix(sentences: Sequence[str], stop_words: str | None = "english", stemming: bool = False):
    """L2-normalised TF-IDF rows, one per sentence (the document is its own IDF collection); ``None``
    when the document has no content term. A dense array equal to what scikit-learn's
    ``TfidfVectorizer(stop_words=stop_words)`` gives (up to column order), ~20x faster."""
    terms = analyze(sentences, stop_words, stemming)
    if terms.n_terms == 0:
        return None
    return tfidf_rows(terms.counts)


def pagerank(weights: np.ndarray, damping: float = 0.85, tol: float = 1e-8, max_iter: int = 200) -> np.ndarray:
    """PageRank scores of a weighted graph (rows normalised; dangling rows uniform).

    Solves the stationary equation ``(I - d T') p = (1 - d) / n`` directly, which is what power
    iteration converges to; power iteration (``tol``, ``max_iter``) is only the fallback for a
    singular system.
    """
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    row_sums = weights.sum(axis=1, keepdims=True)
    transition = np.where(row_sums > 0, weights / np.where(row_sums == 0, 1, row_sums), 1.0 / n)
    try:
        return np.linalg.solve(np.eye(n) - damping * transition.T, np.full(n, (1 - damping) / n))
    except np.linalg.LinAlgError:  # pragma: no cover - cannot happen for 0 <= damping < 1
        pass
    scores = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        updated = (1 - damping) / n + damping * transition.T @ scores
        if np.abs(updated - scores).sum() < tol:
            return updated
        scores = updated
    return scores


def order(scores: np.ndarray) -> list[int]:
    """Indices by descending score; ties (equal to 12 decimals) keep document order."""
    return np.argsort(-np.round(scores, 12), kind="stable").tolist()


def greedy_steps(summarizer: Any, doc: Any) -> int:
    """How many greedy picks a ranking needs: ``k`` for a sentence budget (the rest of the ranking
    is never read), every sentence for a word budget (which may skip long sentences)."""
    n = len(doc.sentences)
    budget = summarizer.budget()
    if budget.word_limit(doc) is None:
        return min(n, budget.k or 3)
    return n


def complete(picked: list[int], scores: np.ndarray) -> list[int]:
    """``picked`` followed by the remaining sentences in descending ``scores`` order."""
    taken = set(picked)
    return picked + [i for i in order(scores) if i not in taken]


class ClassicSummarizer(ExtractiveSummarizer):
    """Base of the classic summarizers: validates the shared options and analyses a document.

    Subclasses store ``k``, ``max_words``, ``ratio``, ``stop_words`` and ``stemming`` (plus their own
    parameters) in ``__init__`` and implement :meth:`rank_terms`, called only when the document has at
    least two sentences and one content term (otherwise the ranking is document order).
    """

    stop_words: str | None = "english"
    stemming: bool = False

    def validate(self) -> None:
        super().validate()
        check_text_params(self.stop_words, self.stemming)

    def rank(self, doc: Document) -> list[int]:
        n = len(doc.sentences)
        if n < 2:
            return list(range(n))
        terms = analyze(doc.sentences, self.stop_words, self.stemming)
        if terms.n_terms == 0:
            return list(range(n))
        return self.rank_terms(terms, doc)

    def rank_terms(self, terms: Terms, doc: Document) -> list[int]:
        raise NotImplementedError

    def summarize_batch(self, docs: Sequence[Document]) -> list[str]:
        """``summarize`` each document, with BLAS/LAPACK single-threaded meanwhile: per-document
        matrices are tiny, and threaded LAPACK on them is several times slower (far worse on a busy
        machine). The previous thread limits are restored afterwards."""
        with _single_threaded_blas():
            return [self.summarize(doc) for doc in docs]


def _single_threaded_blas() -> Any:
    global _BLAS_CONTROLLER
    if _BLAS_CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _BLAS_CONTROLLER = ThreadpoolController()
    return _BLAS_CONTROLLER.limit(limits=1, user_api="blas")


_BLAS_CONTROLLER: Any = None
