"""A learned extractive summarizer: a scikit-learn classifier scores sentences from cheap features.

Each sentence of an article becomes one row of :data:`FEATURE_NAMES` (position, length, TF-IDF
centrality, similarity to the title and to the lead, capitalised words, numbers, quotes ...); the
label is 1 when the greedy ROUGE :class:`~sumbench.summarizers.oracle.Oracle` picks that sentence
under the summarizer's own budget. The summary is the sentences with the highest predicted
probability (ties keep document order), cut to the budget.

Training is an explicit, cached step (``sumbench train SUITE --summarizer LABEL`` calls
:meth:`Supervised.train`). The model file lives in ``model_dir`` - by default
``$SUMBENCH_CACHE_DIR/models`` or, without that variable, ``~/.cache/sumbench/models`` - and is
named by a hash of the training data (:attr:`Corpus.fingerprint` of the training documents after
``train_split`` / ``train_limit``), the parameters that change training (budget, ``model``,
``seed``, the estimator's hyperparameters), :data:`FEATURE_VERSION`,
:data:`~sumbench.text.TEXT_PIPELINE_VERSION`, a hash of the source of every module the features and
labels depend on (:func:`keyed_source_files`) and the scikit-learn and NLTK versions. An existing
file is reused, so training happens once per configuration; :meth:`Supervised.fingerprint` is the
file's SHA-256, so a retrained model invalidates cached summaries.

:meth:`Supervised.prepare` refuses to evaluate on documents the model was trained on: it compares
each evaluation document's text hash (and a tokenization-insensitive hash, since bundled corpora
differ in tokenization) with those of the training documents, which the model file records.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sumbench.records import Corpus, Document
from sumbench.summarizers.base import Budget, ExtractiveSummarizer
from sumbench.summarizers.textrank import pagerank, tfidf_matrix
from sumbench.text import TEXT_PIPELINE_VERSION, split_sentences

#: Bump when :func:`sentence_features` or the labelling changes: it is part of the model file's key.
FEATURE_VERSION = "1"

MODELS = ("logistic", "gradient_boosting")

_POSITION_CAP = 20
_WORD = re.compile(r"[^\W_]+")  # alphanumeric runs: "it 's" (PTB) and "it's" (natural) count alike
_QUOTES = frozenset("\"'`“”‘’«»")

FEATURE_NAMES: tuple[str, ...] = (
    "relative_position",  # i / n
    "absolute_position",  # min(i, 20) / 20
    "is_first",
    "is_second",
    "is_third",
    "in_first_five",
    "log_sentences",  # log(1 + n): article length
    "log_words",  # log(1 + words in the sentence)
    "words_capped",  # min(words, 60) / 60
    "is_short",  # fewer than 8 words
    "centrality",  # mean TF-IDF cosine similarity to the other sentences
    "pagerank",  # TextRank score times n (1 = average)
    "similarity_to_document",  # cosine with the article's TF-IDF centroid
    "similarity_to_title",  # 0 without a title
    "has_title",
    "similarity_to_first",  # cosine with the first sentence
    "similarity_to_lead3",  # cosine with the centroid of the first three sentences
    "capitalised_ratio",  # capitalised words after the first word (names, places)
    "number_ratio",  # words with a digit
    "starts_with_quote",
    "ends_with_quote",
    "is_question_or_exclamation",
)


def default_model_dir() -> Path:
    """``$SUMBENCH_CACHE_DIR/models``, else ``~/.cache/sumbench/models``."""
    root = os.environ.get("SUMBENCH_CACHE_DIR")
    base = Path(root) if root else Path.home() / ".cache" / "sumbench"
    return base / "models"


def normalized_text_hash(text: str) -> str:
    """SHA-256 of the lower-cased alphanumeric words of ``text``: equal for the same article whether
    PTB-tokenized (``it 's``) or natural (``it's``)."""
    return hashlib.sha256(" ".join(_WORD.findall(text.lower())).encode("utf-8")).hexdigest()


def _cosine_rows(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    if norm == 0.0:
        return np.zeros(matrix.shape[0])
    return matrix @ (vector / norm)


def sentence_features(doc: Document) -> np.ndarray:
    """One row of :data:`FEATURE_NAMES` per sentence of ``doc`` (shape ``(n_sentences, n_features)``)."""
    sentences = list(doc.sentences)
    n = len(sentences)
    features = np.zeros((n, len(FEATURE_NAMES)))
    if n == 0:
        return features
    index = np.arange(n, dtype=float)
    tokens = [_WORD.findall(s) for s in sentences]
    lengths = np.array([len(t) for t in tokens], dtype=float)

    title = (doc.title or "").strip()
    tfidf = tfidf_matrix(sentences + ([title] if title else []), language=doc.language)
    if tfidf is None:
        rows = np.zeros((n + (1 if title else 0), 1))
    else:
        # L2-normalised rows (all-zero for sentences of stop words only); sparse or dense by helper version
        rows = tfidf.toarray() if hasattr(tfidf, "toarray") else np.asarray(tfidf, dtype=float)
    sentence_rows = rows[:n]
    similarity = sentence_rows @ sentence_rows.T
    off_diagonal = similarity.copy()
    np.fill_diagonal(off_diagonal, 0.0)
    centrality = off_diagonal.sum(axis=1) / (n - 1) if n > 1 else np.zeros(n)
    rank_scores = pagerank(off_diagonal) * n if n > 1 else np.ones(n)
    title_similarity = sentence_rows @ rows[n] if title else np.zeros(n)

    capitalised = np.array([sum(w[0].isupper() for w in t[1:]) / max(len(t) - 1, 1) for t in tokens], dtype=float)
    numbers = np.array([sum(any(c.isdigit() for c in w) for w in t) / max(len(t), 1) for t in tokens])
    starts_quote = np.array([s[:1] in _QUOTES for s in sentences], dtype=float)
    ends_quote = np.array([s.rstrip(" .!?,")[-1:] in _QUOTES for s in sentences], dtype=float)
    exclaims = np.array([("?" in s or "!" in s) for s in sentences], dtype=float)

    columns = {
        "relative_position": index / n,
        "absolute_position": np.minimum(index, _POSITION_CAP) / _POSITION_CAP,
        "is_first": (index == 0).astype(float),
        "is_second": (index == 1).astype(float),
        "is_third": (index == 2).astype(float),
        "in_first_five": (index < 5).astype(float),
        "log_sentences": np.full(n, math.log1p(n)),
        "log_words": np.log1p(lengths),
        "words_capped": np.minimum(lengths, 60) / 60,
        "is_short": (lengths < 8).astype(float),
        "centrality": centrality,
        "pagerank": rank_scores,
        "similarity_to_document": _cosine_rows(sentence_rows, sentence_rows.sum(axis=0)),
        "similarity_to_title": title_similarity,
        "has_title": np.full(n, 1.0 if title else 0.0),
        "similarity_to_first": similarity[:, 0],
        "similarity_to_lead3": _cosine_rows(sentence_rows, sentence_rows[:3].sum(axis=0)),
        "capitalised_ratio": capitalised,
        "number_ratio": numbers,
        "starts_with_quote": starts_quote,
        "ends_with_quote": ends_quote,
        "is_question_or_exclamation": exclaims,
    }
    for column, name in enumerate(FEATURE_NAMES):
        features[:, column] = columns[name]
    return features


def _make_estimator(model: str, seed: int):
    if model == "logistic":
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000, random_state=seed))
    if model == "gradient_boosting":
        from sklearn.ensemble import GradientBoostingClassifier

        return GradientBoostingClassifier(
            n_estimators=150,
            learning_rate=0.05,
            max_depth=3,
            subsample=0.8,
            min_samples_leaf=20,
            random_state=seed,
        )
    raise ValueError(f"model must be one of {', '.join(MODELS)}, not {model!r}")


def keyed_source_files() -> list[Path]:
    """The source files of every module the training labels and features depend on, sorted by module
    name: this one, the TF-IDF/PageRank helpers, the budget, the greedy oracle, ROUGE's tokenizer and
    Porter stemmer (the oracle stems), the sentence splitter (which made the documents' sentences), and
    the language layer with its word counts (other languages' tokens, stems, stop words and word budgets)."""
    from sumbench import languages
    from sumbench.scoring import _rouge_core, _rouge_porter
    from sumbench.summarizers.oracle import Oracle

    modules = {
        __name__,
        tfidf_matrix.__module__,
        pagerank.__module__,
        Budget.__module__,
        Oracle.__module__,
        _rouge_core.__name__,
        _rouge_porter.__name__,
        split_sentences.__module__,
        languages.__name__,
    }
    files = [getattr(sys.modules[name], "__file__", None) for name in sorted(modules)]
    return [Path(f) for f in files if f and Path(f).is_file()]


def _code_hash() -> str:
    """SHA-256 of :func:`keyed_source_files`: editing any of them retrains instead of reusing a stale
    model file."""
    digest = hashlib.sha256()
    for path in keyed_source_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fit(estimator, features: np.ndarray, labels: np.ndarray):
    """Fit ``estimator`` (a module-level function so tests can count training runs)."""
    return estimator.fit(features, labels)


class Supervised(ExtractiveSummarizer):
    """Learned extractive summarizer: a scikit-learn classifier over sentence features, trained on
    greedy-oracle labels of a training corpus (default: the bundled ``frank-cnndm``).

    Parameters: the budget (``k`` / ``max_words`` / ``ratio``; also the oracle's budget when
    labelling), ``train_source`` (anything :func:`~sumbench.corpora.load_corpus` takes: a bundled
    name or a local file), ``train_split`` (keep only training records whose ``split`` field equals
    it), ``train_limit`` (first N training documents), ``model`` (``"logistic"`` or
    ``"gradient_boosting"``), ``seed`` and ``model_dir`` (where model files are cached; default
    ``$SUMBENCH_CACHE_DIR/models`` or ``~/.cache/sumbench/models``).
    """

    version = "1"

    # lazily filled caches (never set in __init__: its arguments are the parameters)
    _state_key: str | None = None
    _training: Corpus | None = None
    _path: Path | None = None
    _bundle: dict[str, Any] | None = None

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        train_source: str = "frank-cnndm",
        train_split: str | None = None,
        train_limit: int | None = None,
        model: str = "logistic",
        seed: int = 0,
        model_dir: str | None = None,
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.train_source = train_source
        self.train_split = train_split
        self.train_limit = train_limit
        self.model = model
        self.seed = seed
        self.model_dir = model_dir

    # ------------------------------------------------------------------------------------------
    # parameters
    # ------------------------------------------------------------------------------------------

    def validate(self) -> None:
        super().validate()
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {', '.join(repr(m) for m in MODELS)}, not {self.model!r}")
        if not isinstance(self.train_source, (str, os.PathLike)) or not str(self.train_source).strip():
            raise ValueError(f"train_source must name a corpus (a bundled name or a file), not {self.train_source!r}")
        if self.train_split is not None and not isinstance(self.train_split, str):
            raise ValueError(f"train_split must be a string, not {self.train_split!r}")
        if self.train_limit is not None and (
            isinstance(self.train_limit, bool) or not isinstance(self.train_limit, int) or self.train_limit < 1
        ):
            raise ValueError(f"train_limit must be a positive integer, not {self.train_limit!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise ValueError(f"seed must be an integer, not {self.seed!r}")
        if self.model_dir is not None and not isinstance(self.model_dir, (str, os.PathLike)):
            raise ValueError(f"model_dir must be a folder path, not {self.model_dir!r}")

    def _training_params(self) -> dict[str, Any]:
        budget = self.budget()
        return {
            "k": budget.k,
            "max_words": budget.max_words,
            "ratio": budget.ratio,
            "model": self.model,
            "seed": self.seed,
        }

    def _fresh(self) -> None:
        """Drop the caches when a parameter changed since they were filled (set_params style)."""
        key = json.dumps(
            [str(self.train_source), self.train_split, self.train_limit, self._training_params(), str(self.model_dir)],
            sort_keys=True,
            default=str,
        )
        if key != self._state_key:
            self._state_key, self._training, self._path, self._bundle = key, None, None, None

    # ------------------------------------------------------------------------------------------
    # training data and the model file
    # ------------------------------------------------------------------------------------------

    def training_corpus(self) -> Corpus:
        """The training documents (after ``train_split`` and ``train_limit``), loaded once."""
        self._fresh()
        if self._training is None:
            from sumbench.corpora import load_corpus

            self.validate()
            source = str(self.train_source)
            corpus = load_corpus(source, limit=None if self.train_split else self.train_limit)
            documents = corpus.documents
            if self.train_split is not None:
                documents = tuple(d for d in documents if str(d.meta.get("split")) == self.train_split)
                if not documents:
                    splits = sorted({str(d.meta.get("split")) for d in corpus.documents if "split" in d.meta})
                    raise ValueError(
                        f"train_split {self.train_split!r} keeps no document of {source!r} "
                        f"(its split values: {', '.join(splits) or 'none: the records have no split field'})"
                    )
                if self.train_limit is not None:
                    documents = documents[: self.train_limit]
                corpus = Corpus(name=corpus.name, source=corpus.source, documents=documents)
            self._training = corpus
        return self._training

    def model_path(self) -> Path:
        """Where the model for these parameters and this training data is (or will be) stored."""
        self._fresh()
        if self._path is None:
            import nltk
            import sklearn

            key = {
                "training_data": self.training_corpus().fingerprint,
                "params": self._training_params(),
                "estimator": repr(sorted(_make_estimator(self.model, self.seed).get_params().items())),
                "feature_version": FEATURE_VERSION,
                "text_pipeline": TEXT_PIPELINE_VERSION,
                "code": _code_hash(),
                "sklearn": sklearn.__version__,
                "nltk": nltk.__version__,
            }
            digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode("utf-8")).hexdigest()
            folder = Path(self.model_dir).expanduser() if self.model_dir is not None else default_model_dir()
            self._path = folder / f"supervised-{self.model}-{digest[:24]}.joblib"
        return self._path

    def train(self) -> Path:
        """Train on the training corpus and write the model file; reuse the file when it exists."""
        path = self.model_path()
        if not path.is_file():
            self._write(path, self._train_bundle())
        return path

    def _train_bundle(self) -> dict[str, Any]:
        from sumbench.summarizers.oracle import Oracle

        corpus = self.training_corpus()
        budget = self.budget()
        oracle = Oracle(k=budget.k, max_words=budget.max_words, ratio=budget.ratio)
        started = time.perf_counter()
        feature_blocks, label_blocks = [], []
        for doc in corpus.documents:
            if not doc.sentences:
                continue
            labels = np.zeros(len(doc.sentences))
            labels[budget.select(oracle.rank(doc), doc)] = 1.0
            feature_blocks.append(sentence_features(doc))
            label_blocks.append(labels)
        if not feature_blocks:
            raise ValueError(f"training corpus {corpus.source!r} has no sentences to learn from")
        features = np.vstack(feature_blocks)
        labels = np.concatenate(label_blocks)
        if len(np.unique(labels)) < 2:
            raise ValueError(
                f"training corpus {corpus.source!r}: the oracle labels every sentence "
                f"{'selected' if labels[0] else 'unselected'}; a classifier needs both kinds "
                "(use longer articles or a smaller budget)"
            )
        estimator = _fit(_make_estimator(self.model, self.seed), features, labels)
        return {
            "estimator": estimator,
            "feature_names": FEATURE_NAMES,
            "feature_version": FEATURE_VERSION,
            "params": self._training_params(),
            "train_source": corpus.source,
            "train_fingerprint": corpus.fingerprint,
            "training_text_hashes": {d.text_hash: d.id for d in corpus.documents},
            "training_normalized_hashes": {normalized_text_hash(d.text): d.id for d in corpus.documents},
            "documents": len(corpus.documents),
            "sentences": len(labels),
            "positives": int(labels.sum()),
            "train_seconds": round(time.perf_counter() - started, 3),
        }

    @staticmethod
    def _write(path: Path, bundle: dict[str, Any]) -> None:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        # write then rename: a concurrent reader never sees half a file
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        os.close(handle)
        try:
            joblib.dump(bundle, temporary)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _model(self) -> dict[str, Any]:
        """The trained model (trained and written first when its file is missing), loaded once."""
        self._fresh()
        if self._bundle is None:
            import joblib

            path = self.train()
            bundle = joblib.load(path)
            if bundle.get("feature_names") != FEATURE_NAMES:
                raise ValueError(f"{path}: model file was written for other features; delete it to retrain")
            self._bundle = bundle
        return self._bundle

    # ------------------------------------------------------------------------------------------
    # hooks the runner calls
    # ------------------------------------------------------------------------------------------

    def fingerprint(self) -> str:
        """SHA-256 of the model file (training it first if needed): retraining invalidates summaries."""
        digest = hashlib.sha256()
        with open(self.train(), "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def prepare(self, documents: Iterable[Document]) -> None:
        """Train on first use; refuse (``ValueError``) to evaluate on any training document."""
        bundle = self._model()
        exact: dict[str, str] = bundle["training_text_hashes"]
        normalized: dict[str, str] = bundle["training_normalized_hashes"]
        overlap: list[tuple[str, str]] = []
        for doc in documents:
            training_id = exact.get(doc.text_hash) or normalized.get(normalized_text_hash(doc.text))
            if training_id is not None:
                overlap.append((doc.id, training_id))
        if overlap:
            shown = ", ".join(
                f"{doc_id}" + (f" (= training {train_id})" if train_id != doc_id else "")
                for doc_id, train_id in overlap[:10]
            )
            more = f" and {len(overlap) - 10} more" if len(overlap) > 10 else ""
            raise ValueError(
                f"supervised: {len(overlap)} evaluation document(s) are in the training data "
                f"{bundle['train_source']} (same text): {shown}{more}. Evaluating on training documents "
                "inflates scores; remove them from the corpus or train on other data (train_source, "
                "train_split)."
            )

    def rank(self, doc: Document) -> list[int]:
        """Sentences by predicted probability of being an oracle sentence, best first (ties: document order)."""
        n = len(doc.sentences)
        if n == 0:
            return []
        scores = self.sentence_scores(doc)
        return sorted(range(n), key=lambda i: (-round(float(scores[i]), 12), i))

    def sentence_scores(self, doc: Document) -> np.ndarray:
        """Predicted probability that each sentence is one the oracle would pick."""
        if not doc.sentences:
            return np.zeros(0)
        estimator = self._model()["estimator"]
        return estimator.predict_proba(sentence_features(doc))[:, 1]

    def summarize_batch(self, docs: Sequence[Document]) -> list[str]:
        self._model()  # train/load once up front, not inside the first document
        return [self.summarize(doc) for doc in docs]
