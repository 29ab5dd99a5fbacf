"""Text processing shared by the classic extractive summarizers: tokens, stop words, cached stems,
sentence-term count matrices, TF-IDF rows, PageRank and greedy-selection helpers.

Everything works on one document at a time with plain numpy: a tokenizer, a vocabulary built with
dicts in first-occurrence order (so ties between terms are broken by document order) and one
``np.bincount`` for the counts. No vectorizer is fitted per document (that alone is ~1 ms).

Languages: a document is analysed in its own language (:attr:`sumbench.records.Document.language`).
English documents take the path every English summary was made with: ``\\w+`` runs of the lower-cased
text, scikit-learn's English stop words, Porter stems. Any other language takes its tokenizer
(:func:`sumbench.languages.language_tokenizer`: the ``unicode`` rule, or jieba / MeCab word segmentation
for Chinese and Japanese), its stopwords-iso list (:func:`sumbench.languages.stopwords`) and its
Snowball stemmer (:func:`sumbench.languages.language_stemmer`; none for Chinese and Japanese).

The ``stop_words`` parameter every classic summarizer shares (:data:`STOP_WORD_CHOICES`):

``"auto"`` (default)
    The document language's list: scikit-learn's English list for English (so English summaries are
    those of ``"english"``), stopwords-iso's list for any other language (none for the few languages
    stopwords-iso has no list for).
``"english"``
    scikit-learn's English list whatever the document's language (tokens still come from the
    document language's tokenizer).
``None``
    No stop words.

Matrices are dense ``(n_sentences, n_terms)`` arrays: for news articles (tens of sentences, a few
hundred terms) that is both the fastest and a few hundred kilobytes at most. A document too big for
that (more than :data:`DENSE_MAX_SENTENCES` sentences, or more than :data:`DENSE_MAX_CELLS` sentence-term
cells: a 1 MB article has ~8,000 sentences and ~30,000 terms) gets a ``scipy.sparse`` CSR matrix
instead, and each summarizer takes its large-document path, described in its class docstring (the
same method on sparse matrices, or a bounded variant of it). Normal news articles never reach it, so
their summaries are exactly those of the dense code.

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

from sumbench.languages import canonical_language, language_stemmer, language_tokenizer, stopwords
from sumbench.records import Document
from sumbench.summarizers.base import ExtractiveSummarizer

#: The values of the classic summarizers' ``stop_words`` parameter (see the module docstring).
STOP_WORD_CHOICES = ("auto", "english", None)
_STOP_WORDS_ERROR = "stop_words must be 'auto', 'english' or None"

#: The dense (exact) code path is taken up to this many sentences ...
DENSE_MAX_SENTENCES = 1000
#: ... and up to this many sentence x term cells (64 MB per float64 copy); see :func:`uses_dense`.
#: Changing either changes summaries of large documents: bump the ``version`` of every classic summarizer.
DENSE_MAX_CELLS = 8_000_000

# scikit-learn's English stop-word list (``sklearn.feature_extraction.text.ENGLISH_STOP_WORDS``, 318
# words, from the Glasgow Information Retrieval Group's list), copied so that no summarizer imports
# scikit-learn at run time. scikit-learn is BSD-3-Clause licensed: Copyright (c) 2007-2026 The
# scikit-learn developers. ``tests/test_zoo_classic.py`` checks the copy against scikit-learn's.
ENGLISH_STOP_WORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along already also although
    always am among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere
    are around as at back be became because become becomes becoming been before beforehand behind being
    below beside besides between beyond bill both bottom but by call can cannot cant co con could
    couldnt cry de describe detail do done down due during each eg eight either eleven else elsewhere
    empty enough etc even ever every everyone everything everywhere except few fifteen fifty fill find
    fire first five for former formerly forty found four from front full further get give go had has
    hasnt have he hence her here hereafter hereby herein hereupon hers herself him himself his how
    however hundred i ie if in inc indeed interest into is it its itself keep last latter latterly
    least less ltd made many may me meanwhile might mill mine more moreover most mostly move much must
    my myself name namely neither never nevertheless next nine no nobody none noone nor not nothing now
    nowhere of off often on once one only onto or other others otherwise our ours ourselves out over
    own part per perhaps please put rather re same see seem seemed seeming seems serious several she
    should show side since sincere six sixty so some somehow someone something sometime sometimes
    somewhere still such system take ten than that the their them themselves then thence there
    thereafter thereby therefore therein thereupon these they thick thin third this those though three
    through throughout thru thus to together too top toward towards twelve twenty two un under until up
    upon us very via was we well were what whatever when whence whenever where whereafter whereas
    whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why
    will with within without would yet you your yours yourself yourselves
    """.split()
)

# A token is a maximal run of word characters (lower-cased). Content terms have two or more
# characters and are not stop words -- the same terms as scikit-learn's default token pattern
# ``(?u)\b\w\w+\b``; one-letter tokens still count as (insignificant) words for positions.
_WORD = re.compile(r"\w+")
_WORD_OR_BREAK = re.compile(r"\w+|\n")
_ASCII_WORD = re.compile(r"[a-z0-9]+")

_STEMS: dict[str, str] = {}
_STEM_CACHE_LIMIT = 500_000
_PORTER: Any = None


def stem(word: str) -> str:
    """Porter stem of a lower-case word (nltk's ``PorterStemmer``), cached for the process.

    ``[a-z0-9]+`` words are stemmed by sumbench's exact port of that stemmer
    (:mod:`sumbench.scoring._rouge_porter`, the one ROUGE uses), so NLTK is imported only for other
    words (accented or non-Latin letters, underscores)."""
    cached = _STEMS.get(word)
    if cached is None:
        if len(_STEMS) >= _STEM_CACHE_LIMIT:
            _STEMS.clear()
        if _ASCII_WORD.fullmatch(word):
            from sumbench.scoring._rouge_porter import porter_stem

            cached = porter_stem(word)
        else:
            global _PORTER
            if _PORTER is None:
                from nltk.stem.porter import PorterStemmer

                _PORTER = PorterStemmer()
            cached = _PORTER.stem(word)
        _STEMS[word] = cached
    return cached


def _language(language: str) -> str:
    """``language`` as the language table spells it (``"en"`` itself without a look-up)."""
    return "en" if language == "en" else canonical_language(language)


def stop_word_set(stop_words: str | None, language: str = "en") -> frozenset[str]:
    """The stop list named by ``stop_words`` for a document in ``language``: ``"auto"`` (the language's:
    :data:`ENGLISH_STOP_WORDS` for English, :func:`sumbench.languages.stopwords` for any other),
    ``"english"`` (scikit-learn's list, :data:`ENGLISH_STOP_WORDS`) or ``None`` (none)."""
    if stop_words is None:
        return frozenset()
    if stop_words == "english":
        return ENGLISH_STOP_WORDS
    if stop_words == "auto":
        code = _language(language)
        return ENGLISH_STOP_WORDS if code == "en" else stopwords(code)
    raise ValueError(f"{_STOP_WORDS_ERROR}, not {stop_words!r}")


def tokenize(text: str, language: str = "en") -> list[str]:
    """Lower-cased word tokens of ``text`` (stop words included): every ``\\w+`` run for English, the
    tokens of the language's tokenizer (:func:`sumbench.languages.language_tokenizer`) otherwise."""
    code = _language(language)
    if code == "en":
        return _WORD.findall(text.lower())
    return language_tokenizer(code).tokenize(text)


def check_text_params(stop_words: Any, stemming: Any) -> None:
    """Validate the ``stop_words`` and ``stemming`` options every classic summarizer shares."""
    if not isinstance(stop_words, (str, type(None))) or stop_words not in STOP_WORD_CHOICES:
        raise ValueError(f"{_STOP_WORDS_ERROR}, not {stop_words!r}")
    if not isinstance(stemming, bool):
        raise ValueError(f"stemming must be True or False, not {stemming!r}")


@dataclass(frozen=True)
class Terms:
    """One document seen as content terms.

    ``counts[i, t]`` is how often term ``t`` occurs in sentence ``i``: a dense float64 array, or for a
    large document (see :func:`uses_dense`) a ``scipy.sparse.csr_matrix`` (canonical: sorted indices,
    no explicit zeros). ``vocabulary[t]`` is the term (stemmed when asked), in order of first
    occurrence. ``token_terms`` and ``token_sentences`` give, for every token of the document in
    reading order (stop words and one-letter words included), its term id (``-1`` for a non-content
    word) and its sentence.
    """

    counts: Any  # np.ndarray, or scipy.sparse.csr_matrix when ``sparse``
    vocabulary: tuple[str, ...]
    token_terms: np.ndarray
    token_sentences: np.ndarray

    @property
    def n_sentences(self) -> int:
        return int(self.counts.shape[0])

    @property
    def n_terms(self) -> int:
        return int(self.counts.shape[1])

    @property
    def sparse(self) -> bool:
        """Whether ``counts`` is a sparse matrix (the document takes its summarizer's large-document path)."""
        return not isinstance(self.counts, np.ndarray)


def uses_dense(n_sentences: int, n_terms: int) -> bool:
    """Whether a document of this size gets dense matrices and the exact code path of every summarizer:
    at most :data:`DENSE_MAX_SENTENCES` sentences and :data:`DENSE_MAX_CELLS` sentence-term cells (a
    400-sentence article stays dense up to 20,000 distinct terms)."""
    return n_terms == 0 or (n_sentences <= DENSE_MAX_SENTENCES and n_sentences * n_terms <= DENSE_MAX_CELLS)


def analyze(
    sentences: Sequence[str],
    stop_words: str | None = "auto",
    stemming: bool = False,
    dense: bool | None = None,
    *,
    language: str = "en",
) -> Terms:
    """Tokenize ``sentences`` once and count content terms per sentence (see :class:`Terms`).

    ``language`` is the document's (ISO 639-1): English takes the regex tokenizer, scikit-learn's stop
    words for ``"auto"`` and Porter stems; any other language its own tokenizer, stop words and Snowball
    stemmer (see the module docstring). Content terms are tokens of two or more characters that are not
    stop words, in every language.

    ``counts`` is dense when ``dense`` is true, sparse when it is false and, by default (``None``),
    dense exactly when :func:`uses_dense` says so.

    The per-token work is done by C-level ``dict``/``map``/``np.fromiter`` calls; Python only loops
    over the document's distinct words (to drop stop words and to stem).
    """
    code = _language(language)
    stops = stop_word_set(stop_words, code)
    n = len(sentences)
    stemmer: Any = None
    if code == "en":
        if stemming:
            stemmer = stem
        joined = "\n".join(sentences).lower()
        one_pass = joined.count("\n") == n - 1  # no sentence holds a newline itself
        if one_pass:  # one findall for the whole document: "\n" tokens mark sentence ends
            tokens = _WORD_OR_BREAK.findall(joined)
        else:
            per_sentence = [_WORD.findall(s.lower()) for s in sentences]
            tokens = list(chain.from_iterable(per_sentence))
    else:
        if stemming:
            stemmer = language_stemmer(code)  # None for a language without one (Chinese, Japanese ...)
        one_pass = False
        tokenize_sentence = language_tokenizer(code).tokenize
        per_sentence = [tokenize_sentence(s) for s in sentences]
        tokens = list(chain.from_iterable(per_sentence))
    content = [w for w in dict.fromkeys(tokens) if w[1:] and w not in stops]  # 2+ characters, no stop words
    if stemmer is not None:
        first_seen: dict[str, int] = {}
        ids = [first_seen.setdefault(stemmer(w), len(first_seen)) for w in content]
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
    if dense if dense is not None else uses_dense(n, n_terms):
        counts = np.bincount(flat, minlength=n * n_terms).reshape(n, n_terms).astype(np.float64)
    else:
        counts = _sparse_counts(flat, n, n_terms)
    return Terms(counts, vocabulary, token_terms, token_sentences)


def _sparse_counts(flat: np.ndarray, n: int, n_terms: int) -> Any:
    """The CSR count matrix of the cells ``flat`` (``sentence * n_terms + term``, one per token)."""
    from scipy.sparse import csr_matrix

    if n_terms == 0:
        return csr_matrix((n, 0), dtype=np.float64)
    cells, repeats = np.unique(flat, return_counts=True)  # sorted: by sentence, then term
    indptr = np.searchsorted(cells, np.arange(n + 1, dtype=np.intp) * n_terms)
    return csr_matrix((repeats.astype(np.float64), cells % n_terms, indptr), shape=(n, n_terms))


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


def tfidf_matrix(
    sentences: Sequence[str], stop_words: str | None = "auto", stemming: bool = False, *, language: str = "en"
):
    """L2-normalised TF-IDF rows, one per sentence (the document is its own IDF collection); ``None``
    when the document has no content term. For English, a dense array equal to what scikit-learn's
    ``TfidfVectorizer(stop_words="english")`` gives (up to column order), ~20x faster; other languages
    are analysed by :func:`analyze` in their own ``language``. Always dense, whatever the document's size."""
    terms = analyze(sentences, stop_words, stemming, dense=True, language=language)
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


# --------------------------------------------------------------------------------------------------
# Large documents (past :func:`uses_dense`): sparse matrices, bounded graphs
# --------------------------------------------------------------------------------------------------

#: How many neighbours each sentence keeps at most in a large document's sentence graph
#: (:func:`neighbour_graph`, used by thresholded LexRank). Changing it changes summaries of large
#: documents: bump LexRank's ``version``.
GRAPH_NEIGHBOURS = 500
_BLOCK_CELLS = 2_000_000  # similarity cells computed at once by neighbour_graph (16 MB per float64 block)


def dense_vector(matrix: Any) -> np.ndarray:
    """A sparse matrix's row or column sums (or any ``np.matrix``) as a flat array."""
    return np.asarray(matrix).ravel()


def sparse_idf(counts: Any) -> np.ndarray:
    """:func:`idf` of a CSR count matrix."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.log((1.0 + n) / (1.0 + df)) + 1.0


def scale_columns(matrix: Any, factors: np.ndarray) -> Any:
    """A copy of the CSR ``matrix`` with column ``t`` multiplied by ``factors[t]``."""
    out = matrix.copy()
    out.data *= factors[out.indices]
    return out


def sparse_l2_rows(matrix: Any) -> Any:
    """:func:`l2_rows` of a CSR matrix (a copy)."""
    out = matrix.copy()
    rows = np.repeat(np.arange(out.shape[0]), np.diff(out.indptr))
    norms = np.sqrt(np.bincount(rows, weights=out.data**2, minlength=out.shape[0]))
    out.data /= norms[rows]  # a stored (non-zero) entry's row has a positive norm
    return out


def sparse_tfidf_rows(counts: Any) -> Any:
    """:func:`tfidf_rows` of a CSR count matrix: a CSR matrix."""
    return sparse_l2_rows(scale_columns(counts, sparse_idf(counts)))


class CosineRows:
    """Rows of ``rows @ rows.T`` (cosine similarities when ``rows`` has unit-length rows), one at a time:
    ``cosines(i)`` is a dense array over the sentences, computed from the sparse rows in
    O(sentences sharing a term with ``i``) without the n x n matrix."""

    def __init__(self, rows: Any):
        self.rows = rows
        self.columns = rows.T.tocsr()

    def __call__(self, i: int) -> np.ndarray:
        return dense_vector((self.rows[i] @ self.columns).toarray())


def power_pagerank(
    transposed_product: Any, row_sums: np.ndarray, damping: float, tol: float = 1e-13, max_iter: int = 1000
) -> np.ndarray:
    """PageRank by power iteration for a graph given implicitly: ``transposed_product(x)`` is
    ``weights.T @ x`` and ``row_sums`` the weights' row sums (rows summing to 0 are dangling: they
    link to every sentence evenly, as in :func:`pagerank`). Iterates until the scores move less than
    ``tol`` in L1 (about 170 steps at damping 0.85), each step one product: O(edges), not O(n^2)."""
    n = len(row_sums)
    dangling = row_sums <= 0
    inverse = np.divide(1.0, row_sums, out=np.zeros(n), where=~dangling)
    scores = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        updated = (1 - damping) / n + damping * (transposed_product(scores * inverse) + scores[dangling].sum() / n)
        if np.abs(updated - scores).sum() < tol:
            return updated
        scores = updated
    return scores


def sparse_pagerank(weights: Any, damping: float = 0.85) -> np.ndarray:
    """:func:`pagerank` of a sparse weight matrix, by :func:`power_pagerank`."""
    transposed = weights.T.tocsr()
    return power_pagerank(transposed.dot, dense_vector(weights.sum(axis=1)), damping)


def neighbour_graph(
    similarity_rows: Any, n: int, neighbours: int = GRAPH_NEIGHBOURS, threshold: float | None = None
) -> Any:
    """A sparse sentence graph that keeps, for every sentence, its edges to its ``neighbours`` most
    similar sentences (positive similarity only, ties broken by document order; no self-loops), made
    symmetric: an edge kept by either end is kept, with its similarity as weight. With ``threshold``,
    only similarities above it count and every kept edge weighs 1 (LexRank's thresholded graph).

    ``similarity_rows(start, stop)`` returns the similarity rows ``start:stop`` as a sparse matrix
    (``stop - start`` by ``n``; the diagonal and any zeros are ignored). Rows are asked for in blocks
    of about :data:`_BLOCK_CELLS` cells, so memory stays O(n * neighbours) while time is O(n^2) at
    worst: 10,000 sentences take a few seconds.
    """
    from scipy.sparse import csr_matrix

    step = max(1, _BLOCK_CELLS // n)
    floor = 0.0 if threshold is None else threshold
    rows, columns, weights = [], [], []
    for start in range(0, n, step):
        block = similarity_rows(start, min(n, start + step)).tocsr()
        row = np.repeat(np.arange(start, start + block.shape[0]), np.diff(block.indptr))
        column, weight = block.indices, block.data
        keep = (weight > floor) & (column != row)
        row, column, weight = row[keep], column[keep], weight[keep]
        by_strength = np.lexsort((column, -weight, row))  # each row's strongest first, ties in document order
        row, column, weight = row[by_strength], column[by_strength], weight[by_strength]
        strongest = np.arange(len(row)) - np.searchsorted(row, row) < neighbours
        rows.append(row[strongest])
        columns.append(column[strongest])
        weights.append(weight[strongest])
    graph = csr_matrix((np.concatenate(weights), (np.concatenate(rows), np.concatenate(columns))), shape=(n, n))
    graph = graph.maximum(graph.T).tocsr()
    if threshold is not None:
        graph.data[:] = 1.0
    return graph


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
    least two sentences and one content term (otherwise the ranking is document order). Past
    :func:`uses_dense`, ``terms.sparse`` is true and :meth:`rank_terms` takes the large-document path
    that :meth:`large_method` names.

    Every document is analysed in its own language (:func:`analyze`): ``stop_words`` is ``"auto"``
    (default: the document language's list; scikit-learn's for English), ``"english"`` (scikit-learn's
    list for every document) or ``None``; ``stemming`` stems with Porter (English) or the language's
    Snowball stemmer (none for Chinese and Japanese).
    """

    stop_words: str | None = "auto"
    stemming: bool = False

    def large_method(self) -> str:
        """How a large document is ranked: ``"sparse: ..."`` (the same computation on sparse matrices)
        or ``"bounded: ..."`` (a bounded variant of the method)."""
        return "sparse: the same method on sparse matrices"

    def ranking_method(self, doc: Document) -> str:
        """``"exact"`` when ``doc`` takes the dense code path (every normal news article), else
        :meth:`large_method`."""
        if len(doc.sentences) < 2:
            return "exact"
        terms = self.doc_terms(doc)
        return self.large_method() if terms.sparse and terms.n_terms else "exact"

    def doc_terms(self, doc: Document) -> Terms:
        """The content terms of ``doc``, in its language, with this summarizer's options."""
        return analyze(doc.sentences, self.stop_words, self.stemming, language=doc.language)

    def validate(self) -> None:
        super().validate()
        check_text_params(self.stop_words, self.stemming)

    def rank(self, doc: Document) -> list[int]:
        n = len(doc.sentences)
        if n < 2:
            return list(range(n))
        terms = self.doc_terms(doc)
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
