"""The run folder's typed model: one frozen definition of every file, used by the writer (the runner),
the reader (the reports) and the tests alike.

A run folder holds:

- ``manifest.json`` (:class:`Manifest`): schema version, resolved suite, versions, seed, corpus
  fingerprint, ROUGE signature, text-pipeline version, systems with their final parameters and cache
  keys, primary metric, metric columns, statistics settings, cache counts, warnings, failure count
- ``documents.jsonl`` (:class:`DocumentEntry`): ``{id, title, text, references}``
- ``summaries.jsonl`` (:class:`~sumbench.records.Summary`): ``{doc_id, system, summary, cached}``
- ``scores.csv`` (:class:`~sumbench.records.DocumentScores`, read back as a columnar
  :class:`ScoreTable`): ``doc_id, system`` and one column per metric of ``manifest.metrics``
- ``aggregates.json`` (:class:`~sumbench.records.Aggregate`): ``[{system, metric, mean, ci_low, ci_high, n}]``
- ``significance.json`` (:class:`Comparison`): one paired test per (metric, pair of systems)
- ``failures.jsonl`` (:class:`~sumbench.records.Failure`): ``{doc_id, system, stage, error}``

Every file is written atomically (a temporary file renamed into place). Reading checks every field and
reports a problem as one :class:`RunFolderError` naming the file and, for line-oriented files, the line
(1-based; ``scores.csv`` counts its header as line 1). A folder written by a newer schema is refused in
one line; an older one (schema 1, before ``schema_version`` existed) loads with documented defaults.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

import numpy as np

from sumbench.errors import RunFolderError
from sumbench.records import BOUND_ROLES, ROLES, Aggregate, DocumentScores, Failure, Summary
from sumbench.scoring.stats import MIN_DOCUMENTS
from sumbench.text import split_sentences, words

__all__ = [
    "SCHEMA_VERSION",
    "CacheCounts",
    "Comparison",
    "CorpusInfo",
    "DocumentEntry",
    "Manifest",
    "Run",
    "RunFolderError",
    "ScoreTable",
    "SystemEntry",
    "TextLengths",
    "default_primary_metric",
    "load_run",
    "write_run",
]

#: The run-folder schema this sumbench writes. 1: no ``schema_version`` key (sumbench 0.1.0 before
#: the typed model); 2: typed model, ``primary_metric``, ``text_pipeline``, verdicts left to reports.
SCHEMA_VERSION = 3

MANIFEST = "manifest.json"
DOCUMENTS = "documents.jsonl"
SUMMARIES = "summaries.jsonl"
SCORES = "scores.csv"
AGGREGATES = "aggregates.json"
SIGNIFICANCE = "significance.json"
META_EVAL = "meta_eval.json"
FAILURES = "failures.jsonl"


def _frozen(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


def _plain(value: Any) -> Any:
    """Mappings and tuples as JSON-ready dicts and lists (recursively)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def _num_out(value: float | None) -> float | None:
    """NaN (or None) is written as JSON null."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def default_primary_metric(metrics: Sequence[str]) -> str | None:
    """``rouge2_f`` when scored, else the first ROUGE F column, else the first metric."""
    if "rouge2_f" in metrics:
        return "rouge2_f"
    f_metrics = [m for m in metrics if m.startswith("rouge") and m.endswith("_f")]
    if f_metrics:
        return f_metrics[0]
    return metrics[0] if metrics else None


# --- reading helpers ----------------------------------------------------------------------
_REQUIRED: Any = object()


class _Fields:
    """Typed access to one JSON object of a run-folder file; errors name the file, line or entry.

    Each getter takes the key and a default; without a default the field is required.
    """

    def __init__(self, path: Path, obj: Mapping[str, Any], line: int | None = None, entry: str = ""):
        self.path, self.obj, self.line, self.entry = path, obj, line, entry

    def fail(self, message: str) -> RunFolderError:
        return RunFolderError(self.path, f"{self.entry}{message}", line=self.line)

    def get(self, key: str, default: Any = _REQUIRED) -> Any:
        if key in self.obj:
            return self.obj[key]
        if default is _REQUIRED:
            raise self.fail(f"missing field {key!r}")
        return default

    def text(self, key: str, default: Any = _REQUIRED) -> str:
        value = self.get(key, default)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # numeric ids are read as strings
        if not isinstance(value, str):
            raise self.fail(f"field {key!r} should be a string, got {type(value).__name__}")
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.get(key, None)
        return None if value is None else self.text(key)

    def integer(self, key: str, default: Any = _REQUIRED) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"field {key!r} should be an integer, got {type(value).__name__}")
        return value

    def number(self, key: str, default: Any = _REQUIRED) -> float:
        """A number; JSON null reads as NaN."""
        value = self.get(key, default)
        if value is None:
            return math.nan
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"field {key!r} should be a number or null, got {type(value).__name__}")
        return float(value)

    def flag(self, key: str, default: Any = _REQUIRED) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"field {key!r} should be true/false, got {type(value).__name__}")
        return value

    def texts(self, key: str, default: Any = _REQUIRED) -> tuple[str, ...]:
        value = self.get(key, default)
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"field {key!r} should be a list of strings")
        return tuple(value)

    def table(self, key: str, default: Any = _REQUIRED) -> Mapping[str, Any]:
        value = self.get(key, default)
        if not isinstance(value, Mapping):
            raise self.fail(f"field {key!r} should be an object, got {type(value).__name__}")
        return value


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RunFolderError(path, "missing file (is this a sumbench run folder?)") from None
    except UnicodeDecodeError as exc:
        raise RunFolderError(path, f"not UTF-8 text ({exc})") from None


def _read_json(path: Path, kind: type) -> Any:
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise RunFolderError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    if not isinstance(data, kind):
        expected = "object" if kind is dict else "array"
        raise RunFolderError(path, f"expected a JSON {expected}, got {type(data).__name__}")
    return data


def _open_text(path: Path) -> IO[str]:
    try:
        return open(path, encoding="utf-8", newline="")
    except FileNotFoundError:
        raise RunFolderError(path, "missing file (is this a sumbench run folder?)") from None


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of a text file, streamed: a line ends at ``\\n``, ``\\r\\n`` or ``\\r`` only
    (never at the U+2028 or U+0085 that JSON strings may hold unescaped)."""
    with _open_text(path) as handle:
        try:
            yield from enumerate(handle, 1)
        except UnicodeDecodeError as exc:
            raise RunFolderError(path, f"not UTF-8 text ({exc})") from None


def _read_jsonl(path: Path) -> Iterator[_Fields]:
    """The objects of a JSON Lines file, one line at a time (the file is never held whole)."""
    for lineno, line in _lines(path):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RunFolderError(path, f"invalid JSON: {exc.msg} (column {exc.colno})", line=lineno) from None
        if not isinstance(obj, dict):
            raise RunFolderError(path, f"expected a JSON object, got {type(obj).__name__}", line=lineno)
        yield _Fields(path, obj, line=lineno)


def _read_json_entries(path: Path) -> Iterator[_Fields]:
    for k, obj in enumerate(_read_json(path, list)):
        if not isinstance(obj, dict):
            raise RunFolderError(path, f"entry {k} should be an object, got {type(obj).__name__}")
        yield _Fields(path, obj, entry=f"entry {k}: ")


# --- writing helpers ----------------------------------------------------------------------
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def _atomic_write(path: Path, write: Callable[[IO[str]], object]) -> None:
    """Write through ``write(handle)`` into a temporary file beside ``path``, then rename it over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; keep the usual permissions
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _dump(data: Any) -> str:
    return json.dumps(_plain(data), ensure_ascii=False, default=str)


def _write_json(path: Path, data: Any) -> None:
    _atomic_write(path, lambda h: h.write(json.dumps(_plain(data), indent=2, ensure_ascii=False, default=str) + "\n"))


def _write_jsonl(path: Path, rows: Iterable[Mapping[str, Any]]) -> None:
    def write(handle: IO[str]) -> None:
        for row in rows:
            handle.write(_dump(row) + "\n")

    _atomic_write(path, write)


# --- manifest.json ------------------------------------------------------------------------
@dataclass(frozen=True)
class CorpusInfo:
    name: str
    source: str
    fingerprint: str
    documents: int
    references_per_document: float

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "fingerprint": self.fingerprint,
            "documents": self.documents,
            "references_per_document": self.references_per_document,
        }

    @classmethod
    def from_json(cls, f: _Fields) -> CorpusInfo:
        return cls(
            f.text("name"),
            f.text("source"),
            f.text("fingerprint"),
            f.integer("documents"),
            f.number("references_per_document"),
        )


#: Roles of the built-ins, for run folders written before roles existed (schema < 3).
_LEGACY_ROLES = {"lead": "baseline", "oracle": "upper-bound", "random": "lower-bound"}


def _role(f: _Fields) -> str:
    if "role" not in f.obj:
        return _LEGACY_ROLES.get(str(f.obj.get("use", "")), "candidate")
    role = f.text("role")
    if role not in ROLES:
        raise f.fail(f"field 'role' should be one of {', '.join(ROLES)}, got {role!r}")
    return role


@dataclass(frozen=True)
class SystemEntry:
    """One configured summarizer of a run: final parameters (seed included), version and cache key."""

    label: str
    use: str
    params: Mapping[str, Any]
    version: str
    cache_key: str = ""
    seconds: float = 0.0
    cache_hits: int = 0
    role: str = "candidate"  # one of sumbench.records.ROLES
    #: Junk summaries by kind (sumbench.scoring.quality.JUNK_KINDS: empty, whitespace, punctuation).
    junk: Mapping[str, int] = field(default_factory=dict)
    #: Whether every summary of the system was the same text (two or more documents).
    constant: bool = False
    #: A few documents with a junk summary.
    junk_examples: tuple[str, ...] = ()
    #: Summaries by answer kind (sumbench.scoring.quality.ANSWER_KINDS: answer, refusal, empty, cut-off).
    answers: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", _frozen(self.params))
        object.__setattr__(self, "junk", _frozen(self.junk))
        object.__setattr__(self, "junk_examples", tuple(self.junk_examples))
        object.__setattr__(self, "answers", _frozen(self.answers))
        if self.role not in ROLES:
            raise ValueError(f"system {self.label!r}: role {self.role!r} is not one of {', '.join(ROLES)}")

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "use": self.use,
            "params": _plain(self.params),
            "version": self.version,
            "cache_key": self.cache_key,
            "seconds": round(self.seconds, 3),
            "cache_hits": self.cache_hits,
            "role": self.role,
            "junk": dict(self.junk),
            "constant": self.constant,
            "junk_examples": list(self.junk_examples),
            "answers": dict(self.answers),
        }

    @classmethod
    def from_json(cls, f: _Fields) -> SystemEntry:
        return cls(
            f.text("label"),
            f.text("use"),
            f.table("params", {}),
            f.text("version", "0"),
            f.text("cache_key", ""),
            f.number("seconds", 0.0),
            f.integer("cache_hits", 0),
            _role(f),
            {str(k): int(v) for k, v in f.table("junk", {}).items()},
            f.flag("constant", False),
            f.texts("junk_examples", ()),
            {str(k): int(v) for k, v in f.table("answers", {}).items()},
        )


@dataclass(frozen=True)
class CacheCounts:
    hits: int = 0
    misses: int = 0


@dataclass(frozen=True)
class Manifest:
    """``manifest.json``: everything needed to reproduce and to trust the run's numbers."""

    suite_name: str
    suite: Mapping[str, Any]
    suite_path: str | None
    created: str
    seed: int
    versions: Mapping[str, str]
    corpus: CorpusInfo
    rouge_signature: str
    systems: tuple[SystemEntry, ...]
    metrics: tuple[str, ...]
    primary_metric: str | None
    confidence: float = 0.95
    bootstrap_samples: int = 1000
    significance_samples: int = 1000
    baseline: str | None = None
    text_pipeline: str = ""
    cache: CacheCounts = field(default_factory=CacheCounts)
    warnings: tuple[str, ...] = ()
    failures: int = 0
    #: References dropped because they held no letter or digit (empty, whitespace, punctuation).
    empty_references: int = 0
    schema_version: int = SCHEMA_VERSION
    #: Documents in the common set (scored for every system with a scored document); -1: not recorded
    #: (older run folders: count ``ScoreTable.common_documents()``).
    common_documents: int = -1
    #: Each metric's signature by name (``rouge``, ``lengths``, ``extractiveness``, ``bertscore``, ...):
    #: every setting its numbers depend on. Empty in run folders from before the metric plugin point.
    metric_signatures: Mapping[str, str] = field(default_factory=dict)
    #: Score columns where a lower value means a better summary (as their metrics declare).
    lower_is_better: tuple[str, ...] = ()
    #: The documents' languages, each with the ROUGE settings it was scored with (tokenizer, stemmer and
    #: sentence splitter, with versions): ``{"zh": "rouge1,2|lang=zh|tok=cjk:jieba-0.42.1|..."}``.
    languages: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "metric_signatures", _frozen(self.metric_signatures))
        object.__setattr__(self, "lower_is_better", tuple(self.lower_is_better))
        object.__setattr__(self, "languages", _frozen(self.languages))
        object.__setattr__(self, "suite", _frozen(self.suite))
        object.__setattr__(self, "versions", _frozen(self.versions))
        object.__setattr__(self, "systems", tuple(self.systems))
        object.__setattr__(self, "metrics", tuple(self.metrics))
        object.__setattr__(self, "warnings", tuple(self.warnings))

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.systems)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "suite_name": self.suite_name,
            "suite": _plain(self.suite),
            "suite_path": self.suite_path,
            "created": self.created,
            "seed": self.seed,
            "baseline": self.baseline,
            "primary_metric": self.primary_metric,
            "versions": dict(self.versions),
            "corpus": self.corpus.to_json(),
            "rouge_signature": self.rouge_signature,
            "metric_signatures": dict(self.metric_signatures),
            "lower_is_better": list(self.lower_is_better),
            "languages": dict(self.languages),
            "text_pipeline": self.text_pipeline,
            "systems": [s.to_json() for s in self.systems],
            "metrics": list(self.metrics),
            "confidence": self.confidence,
            "bootstrap_samples": self.bootstrap_samples,
            "significance_samples": self.significance_samples,
            "cache": {"hits": self.cache.hits, "misses": self.cache.misses},
            "warnings": list(self.warnings),
            "failures": self.failures,
            "common_documents": self.common_documents,
            "empty_references": self.empty_references,
        }

    @classmethod
    def from_json(cls, path: Path, data: Mapping[str, Any]) -> Manifest:
        f = _Fields(path, data)
        schema = data.get("schema_version", 1)
        versions = data.get("versions")
        wrote = str(versions.get("sumbench", "an unknown version")) if isinstance(versions, Mapping) else "?"
        if not isinstance(schema, int) or isinstance(schema, bool):
            raise f.fail(f"field 'schema_version' should be an integer, got {schema!r}")
        if schema > SCHEMA_VERSION:
            raise f.fail(
                f"run folder schema {schema} (written by sumbench {wrote}) is newer than this sumbench reads "
                f"(schema {SCHEMA_VERSION}); upgrade sumbench to read it"
            )
        try:
            return cls._from_fields(f, schema)
        except RunFolderError as exc:
            if schema < SCHEMA_VERSION:
                raise f.fail(
                    f"{exc.detail} (this run folder has schema {schema}, written by sumbench {wrote}; re-run "
                    f"the suite, or use that version to re-render it)"
                ) from None
            raise

    @classmethod
    def _from_fields(cls, f: _Fields, schema: int) -> Manifest:
        metrics = f.texts("metrics")
        primary = f.optional_text("primary_metric") if schema >= 2 else default_primary_metric(metrics)
        systems = []
        for k, entry in enumerate(f.get("systems")):
            if not isinstance(entry, Mapping):
                raise f.fail(f"systems[{k}] should be an object")
            systems.append(SystemEntry.from_json(_Fields(f.path, entry, entry=f"systems[{k}]: ")))
        cache = _Fields(f.path, f.table("cache", {}), entry="cache: ")
        confidence = f.number("confidence", 0.95)
        if not 0 < confidence < 1:
            raise f.fail(f"field 'confidence' should be between 0 and 1, got {confidence}")
        bootstrap = f.integer("bootstrap_samples", 1000)
        baseline = f.optional_text("baseline")
        return cls(
            suite_name=f.text("suite_name"),
            suite=f.table("suite", {}),
            suite_path=f.optional_text("suite_path"),
            created=f.text("created", "?"),
            seed=f.integer("seed", 0),
            versions={str(k): str(v) for k, v in f.table("versions", {}).items()},
            corpus=CorpusInfo.from_json(_Fields(f.path, f.table("corpus"), entry="corpus: ")),
            rouge_signature=f.text("rouge_signature", "?"),
            metric_signatures={str(k): str(v) for k, v in f.table("metric_signatures", {}).items()},
            lower_is_better=f.texts("lower_is_better", ()),
            languages={str(k): str(v) for k, v in f.table("languages", {}).items()},
            systems=tuple(systems),
            metrics=metrics,
            primary_metric=primary,
            confidence=confidence,
            bootstrap_samples=bootstrap,
            significance_samples=f.integer("significance_samples", bootstrap),
            baseline=baseline,
            text_pipeline=f.text("text_pipeline", ""),
            cache=CacheCounts(cache.integer("hits", 0), cache.integer("misses", 0)),
            warnings=f.texts("warnings", ()),
            failures=f.integer("failures", 0),
            common_documents=f.integer("common_documents", -1),
            empty_references=f.integer("empty_references", 0),
            schema_version=SCHEMA_VERSION,
        )


# --- documents.jsonl ----------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentEntry:
    """One document as the run folder keeps it (sentences are not stored: the splitter remakes them)."""

    id: str
    text: str
    references: tuple[str, ...]
    title: str | None = None
    group: str | None = None  # the value of the suite's [corpus] group_field, if it names one
    language: str = "en"  # ISO 639-1 (sumbench.records.Document.language); absent from older run folders

    def __post_init__(self) -> None:
        object.__setattr__(self, "references", tuple(self.references))

    def to_json(self) -> dict[str, Any]:
        out = {"id": self.id, "title": self.title, "text": self.text, "references": list(self.references)}
        if self.group is not None:
            out["group"] = self.group
        if self.language != "en":
            out["language"] = self.language
        return out

    @classmethod
    def from_json(cls, f: _Fields) -> DocumentEntry:
        return cls(
            f.text("id"),
            f.text("text"),
            f.texts("references"),
            f.optional_text("title"),
            f.optional_text("group"),
            f.text("language", "en"),
        )


# --- summaries.jsonl, failures.jsonl, aggregates.json: the records of sumbench.records ----------
def _summary_json(s: Summary) -> dict[str, Any]:
    out = {"doc_id": s.doc_id, "system": s.system, "summary": s.text, "cached": s.cached}
    if s.meta:
        out["meta"] = _plain(s.meta)
    if s.sample:
        out["sample"] = s.sample
    return out


def _summary_from(f: _Fields) -> Summary:
    return Summary(f.text("doc_id"), f.text("system"), f.text("summary"), f.flag("cached", False), f.table("meta", {}))


def _failure_json(x: Failure) -> dict[str, Any]:
    return {"doc_id": x.doc_id, "system": x.system, "stage": x.stage, "error": x.error}


def _failure_from(f: _Fields) -> Failure:
    return Failure(f.optional_text("doc_id"), f.optional_text("system"), f.text("stage", ""), f.text("error", ""))


def _aggregate_json(a: Aggregate) -> dict[str, Any]:
    return {
        "system": a.system,
        "metric": a.metric,
        "mean": _num_out(a.mean),
        "ci_low": _num_out(a.ci_low),
        "ci_high": _num_out(a.ci_high),
        "n": a.n,
        "own_mean": _num_out(a.own_mean),
        "own_n": a.own_n,
    }


def _aggregate_from(f: _Fields) -> Aggregate:
    """Older files have no ``own_mean``/``own_n``: they read as the (common-set) mean and n."""
    mean, n = f.number("mean"), f.integer("n")
    own_n = f.integer("own_n", -1)
    own_mean = f.number("own_mean") if own_n >= 0 else mean
    return Aggregate(
        f.text("system"), f.text("metric"), mean, f.number("ci_low"), f.number("ci_high"), n, own_mean, own_n
    )


# --- significance.json --------------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """A paired test of two systems on one metric over the documents both were scored on (a
    :class:`sumbench.scoring.stats.PairedTest` with names).

    ``diff = mean_a - mean_b``; ``[diff_low, diff_high]`` is its unadjusted percentile-bootstrap
    interval at ``confidence`` and ``[adj_low, adj_high]`` the Holm-consistent one (level
    ``adj_confidence`` for this pair; ``family`` pairs in the Holm family of this metric).
    ``significant`` is the Holm paired-bootstrap decision: ``p_bootstrap_holm < 1 - confidence``,
    exactly when 0 is outside ``[adj_low, adj_high]``. The permutation p-values are supplementary.
    ``wins``/``ties``/``losses`` count the documents where ``a`` scored above, equal to, below ``b``.
    Older files have no adjusted interval (NaN, :attr:`adjusted` False), no counts (0) and decided by
    the permutation p. Numbers only: the sentences that describe a comparison are written by the reports.

    A pair on fewer than ``min_documents`` shared documents (the rule it was tested under:
    :data:`sumbench.scoring.stats.MIN_DOCUMENTS` by default, 0 for older files, which had no rule) is
    not tested (:attr:`tested` False): no interval (all four ends and ``adj_confidence`` NaN), both
    bootstrap p-values 1, not significant, not in ``family``; its difference, means, counts and
    permutation p are kept.
    """

    metric: str
    a: str
    b: str
    mean_a: float
    mean_b: float
    diff: float
    diff_low: float
    diff_high: float
    p_bootstrap: float
    p_permutation: float
    p_bootstrap_holm: float
    p_permutation_holm: float
    significant: bool
    n: int
    n_samples: int
    confidence: float = 0.95
    adj_low: float = math.nan
    adj_high: float = math.nan
    adj_confidence: float = math.nan
    wins: int = 0
    ties: int = 0
    losses: int = 0
    family: int = 0
    min_documents: int = MIN_DOCUMENTS

    @property
    def adjusted(self) -> bool:
        """Whether the record carries the Holm-consistent interval (written by this sumbench)."""
        return not math.isnan(self.adj_confidence)

    @property
    def tested(self) -> bool:
        """Whether the paired bootstrap tested the pair: it has shared documents and an interval. False
        for a pair on fewer than ``min_documents`` shared documents (no interval: NaN ends, p 1, never
        significant) and for a pair with no shared document (``n == 0``). Derived from the numbers, so it
        can never disagree with them (``significance.json`` holds the numbers: ``n > 0`` with null
        interval ends)."""
        return self.n > 0 and not (math.isnan(self.diff_low) or math.isnan(self.diff_high))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"metric": self.metric, "a": self.a, "b": self.b}
        for name in (
            "mean_a",
            "mean_b",
            "diff",
            "diff_low",
            "diff_high",
            "adj_low",
            "adj_high",
            "adj_confidence",
            "p_bootstrap",
            "p_permutation",
            "p_bootstrap_holm",
            "p_permutation_holm",
        ):
            out[name] = _num_out(getattr(self, name))
        out.update(
            significant=self.significant,
            n=self.n,
            wins=self.wins,
            ties=self.ties,
            losses=self.losses,
            family=self.family,
            n_samples=self.n_samples,
            confidence=self.confidence,
            min_documents=self.min_documents,
        )
        return out

    @classmethod
    def from_json(cls, f: _Fields, confidence: float = 0.95) -> Comparison:
        """``confidence``: the level when the entry has none (schema 1 wrote none: pass the manifest's).
        Older entries have no ``min_documents``: 0 (they were tested on any number of documents)."""
        return cls(
            f.text("metric"),
            f.text("a"),
            f.text("b"),
            f.number("mean_a", math.nan),
            f.number("mean_b", math.nan),
            f.number("diff"),
            f.number("diff_low"),
            f.number("diff_high"),
            f.number("p_bootstrap"),
            f.number("p_permutation"),
            f.number("p_bootstrap_holm"),
            f.number("p_permutation_holm"),
            f.flag("significant", False),
            f.integer("n"),
            f.integer("n_samples", 0),
            f.number("confidence", confidence),
            f.number("adj_low", math.nan),
            f.number("adj_high", math.nan),
            f.number("adj_confidence", math.nan),
            f.integer("wins", 0),
            f.integer("ties", 0),
            f.integer("losses", 0),
            f.integer("family", 0),
            f.integer("min_documents", 0),
        )


# --- scores.csv ---------------------------------------------------------------------------
def _csv_cell(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(float(value))


@dataclass(frozen=True)
class ScoreTable:
    """scores.csv as columns: one row per (document, system) that was scored.

    Columnar and compact at any size: one float array per metric, the row's document id and system as
    (shared) strings, and an integer code per row that makes the per-system look-ups numpy masks.
    """

    doc_ids: tuple[str, ...]
    systems: tuple[str, ...]
    columns: Mapping[str, np.ndarray]
    _codes: np.ndarray = field(init=False, repr=False, compare=False)
    _labels: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _cache: dict[str, Any] = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, int] = {}
        codes = np.fromiter(
            (index.setdefault(s, len(index)) for s in self.systems), dtype=np.int32, count=len(self.systems)
        )
        object.__setattr__(self, "_codes", codes)
        object.__setattr__(self, "_labels", tuple(index))

    def __len__(self) -> int:
        return len(self.doc_ids)

    @property
    def names(self) -> tuple[str, ...]:
        """Numeric column names in file order."""
        return tuple(self.columns)

    @property
    def system_labels(self) -> tuple[str, ...]:
        """The systems of the table, in the order of their first row."""
        return self._labels

    def document_ids(self) -> tuple[str, ...]:
        """The scored documents, each once, in the order of their first row."""
        ids = self._cache.get("document_ids")
        if ids is None:
            ids = self._cache["document_ids"] = tuple(dict.fromkeys(self.doc_ids))
        return ids

    def common_documents(self) -> tuple[str, ...]:
        """The common set: documents scored for every system of the table (first-row order). Leaderboard
        means and every test use these, so systems are compared on the same documents."""
        ids = self._cache.get("common_documents")
        if ids is None:
            per_doc: dict[str, int] = {}
            seen: set[tuple[str, int]] = set()
            for doc_id, code in zip(self.doc_ids, self._codes.tolist()):
                if (doc_id, code) not in seen:
                    seen.add((doc_id, code))
                    per_doc[doc_id] = per_doc.get(doc_id, 0) + 1
            need = len(self._labels)
            ids = self._cache["common_documents"] = tuple(d for d, k in per_doc.items() if k == need)
        return ids

    def column(self, name: str) -> np.ndarray:
        return self.columns[name]

    def mask(self, system: str) -> np.ndarray:
        """Which rows belong to ``system`` (a boolean array)."""
        if system not in self._labels:
            return np.zeros(len(self.doc_ids), dtype=bool)
        return self._codes == self._labels.index(system)

    def by_doc(self, system: str, metric: str) -> dict[str, float]:
        """``{doc_id: value}`` of one metric for one system."""
        rows = np.flatnonzero(self.mask(system))
        ids = self.doc_ids
        return {ids[k]: v for k, v in zip(rows.tolist(), self.columns[metric][rows].tolist())}

    def values(self, system: str, metric: str) -> np.ndarray:
        """The metric's values for one system (rows in file order), NaNs kept."""
        return self.columns[metric][self.mask(system)]

    def rows(self) -> Iterator[DocumentScores]:
        """The table as the records it was written from (NaN where a value was empty)."""
        names = self.names
        for k, (doc_id, system) in enumerate(zip(self.doc_ids, self.systems)):
            yield DocumentScores(doc_id, system, {n: float(self.columns[n][k]) for n in names})

    def to_pandas(self) -> Any:  # pragma: no cover - convenience
        import pandas as pd

        return pd.DataFrame({"doc_id": list(self.doc_ids), "system": list(self.systems), **self.columns})


def write_scores(path: Path, rows: Iterable[DocumentScores], metrics: Sequence[str]) -> None:
    def write(handle: IO[str]) -> None:
        writer = csv.writer(handle)
        writer.writerow(["doc_id", "system", *metrics])
        for row in rows:
            writer.writerow([row.doc_id, row.system, *(_csv_cell(row.values.get(m)) for m in metrics)])

    _atomic_write(path, write)


#: Cells of scores.csv read as NaN (after stripping, case-insensitive).
_MISSING_CELLS = frozenset({"", "nan", "na", "null", "none"})
#: Rows converted to floats at a time while scores.csv streams in.
_BLOCK_ROWS = 8192


def _line_count(path: Path) -> int:
    """An upper bound of the rows of a CSV file (its ``\\n`` count plus one), read in binary blocks."""
    count = 1
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            count += block.count(b"\n")
    return count


def _cells(path: Path, names: Sequence[str], cells: Sequence[str], lineno: int) -> list[float]:
    """One row's numeric cells, strictly: stripped, the missing-value spellings as NaN, else a number."""
    values: list[float] = []
    for name, cell in zip(names, cells):
        cell = cell.strip()
        if cell.lower() in _MISSING_CELLS:
            values.append(math.nan)
            continue
        try:
            values.append(float(cell))
        except ValueError:
            raise RunFolderError(path, f"column {name!r}: {cell!r} is not a number", line=lineno) from None
    return values


def read_scores(path: Path) -> ScoreTable:
    """Read ``scores.csv`` as a :class:`ScoreTable`, streaming: rows become floats a block at a time
    into one preallocated column-major matrix (each column a contiguous view of it), so memory is the
    table itself (8 bytes a cell) plus one block. A bad row raises :class:`RunFolderError` naming the
    file, the line and, for a cell, the column."""
    capacity = _line_count(path) if path.is_file() else 1
    with _open_text(path) as handle:
        try:
            return _parse_scores(path, handle, capacity)
        except UnicodeDecodeError as exc:
            raise RunFolderError(path, f"not UTF-8 text ({exc})") from None


def _parse_scores(path: Path, handle: IO[str], capacity: int) -> ScoreTable:
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        raise RunFolderError(path, "empty file: expected a header 'doc_id,system,...'", line=1) from None
    except csv.Error as exc:
        raise RunFolderError(path, f"unreadable CSV: {exc}", line=1) from None
    header = [h.strip() for h in header]
    if header[:2] != ["doc_id", "system"]:
        raise RunFolderError(path, f"header should start with 'doc_id,system', got {','.join(header[:2])!r}", line=1)
    names = header[2:]
    if len(set(names)) != len(names):
        raise RunFolderError(path, "duplicate column names in the header", line=1)
    width, nan = len(header), math.nan
    matrix = np.empty((max(capacity, 1), len(names)), order="F")
    filled = 0
    block: list[float] = []
    doc_ids: list[str] = []
    systems: list[str] = []
    unique_docs: dict[str, tuple[int, str]] = {}
    unique_systems: dict[str, tuple[int, str]] = {}
    doc_codes, system_codes, lines = array("q"), array("q"), array("q")
    lineno = 1

    def flush() -> None:
        nonlocal matrix, filled, block
        rows = len(doc_ids) - filled
        if filled + rows > matrix.shape[0]:  # more rows than lines counted (a file growing under us)
            grown = np.empty((max(2 * matrix.shape[0], filled + rows), len(names)), order="F")
            grown[:filled] = matrix[:filled]
            matrix = grown
        if names:
            matrix[filled : filled + rows] = np.array(block, dtype=float).reshape(rows, len(names))
        filled += rows
        block = []

    try:
        for row in reader:
            lineno = reader.line_num
            if len(row) != width or not row[0]:
                if not row or all(not c.strip() for c in row):
                    continue
                if len(row) != width:
                    raise RunFolderError(path, f"expected {len(header)} fields, got {len(row)}", line=lineno)
            cells = row[2:]
            try:  # the fast path: every cell a number as written, or empty
                block.extend([float(c) if c else nan for c in cells])
            except ValueError:
                block.extend(_cells(path, names, cells, lineno))
            # ids and labels are kept as one string object each, with an integer code per row
            doc = unique_docs.setdefault(row[0], (len(unique_docs), row[0]))
            system = unique_systems.setdefault(row[1], (len(unique_systems), row[1]))
            doc_codes.append(doc[0])
            system_codes.append(system[0])
            doc_ids.append(doc[1])
            systems.append(system[1])
            lines.append(lineno)
            if len(doc_ids) - filled == _BLOCK_ROWS:
                flush()
    except csv.Error as exc:
        raise RunFolderError(path, f"unreadable CSV: {exc}", line=lineno + 1) from None
    flush()
    keys = np.frombuffer(doc_codes, dtype=np.int64) * max(len(unique_systems), 1)
    keys += np.frombuffer(system_codes, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    repeated = np.flatnonzero(keys[order][1:] == keys[order][:-1])
    if repeated.size:  # the first row, in file order, that repeats an earlier (document, system)
        k = int(order[repeated + 1].min())
        raise RunFolderError(
            path, f"duplicate row for document {doc_ids[k]!r}, system {systems[k]!r}", line=int(lines[k])
        )
    return ScoreTable(tuple(doc_ids), tuple(systems), {name: matrix[:filled, k] for k, name in enumerate(names)})


# --- the whole folder ---------------------------------------------------------------------
@dataclass(frozen=True)
class TextLengths:
    """The lengths of every document of ``documents.jsonl`` (file order), counted like the summaries'
    length columns (:func:`sumbench.text.words`, :func:`sumbench.text.split_sentences`): what the
    reports need over all documents, as compact arrays, when only some texts are kept."""

    #: Words per article, one per document.
    article_words: np.ndarray
    #: References per document.
    reference_counts: np.ndarray
    #: Words and sentences per reference (every document's references in turn).
    reference_words: np.ndarray
    reference_sentences: np.ndarray
    #: Document ids and their group (the suite's ``[corpus] group_field``; None without one), file order.
    ids: tuple[str, ...] = ()
    groups: tuple[str | None, ...] = ()

    def __len__(self) -> int:
        return len(self.article_words)

    @classmethod
    def of(cls, documents: Iterable[DocumentEntry]) -> TextLengths:
        counter = _LengthCounter()
        for doc in documents:
            counter.add(doc)
        return counter.lengths()


class _LengthCounter:
    """Counts :class:`TextLengths` one document at a time into compact integer arrays."""

    def __init__(self) -> None:
        self.article, self.refs, self.ref_words, self.ref_sentences = array("q"), array("q"), array("q"), array("q")
        self.ids: list[str] = []
        self.groups: list[str | None] = []

    def add(self, doc: DocumentEntry) -> None:
        self.ids.append(doc.id)
        self.groups.append(doc.group)
        self.article.append(len(words(doc.text)))
        self.refs.append(len(doc.references))
        for ref in doc.references:
            self.ref_words.append(len(words(ref)))
            self.ref_sentences.append(len(split_sentences(ref)))

    def lengths(self) -> TextLengths:
        def floats(values: array[int]) -> np.ndarray:
            return np.frombuffer(values, dtype=np.int64).astype(float)

        return TextLengths(
            floats(self.article),
            np.frombuffer(self.refs, dtype=np.int64).copy(),
            floats(self.ref_words),
            floats(self.ref_sentences),
            tuple(self.ids),
            tuple(self.groups),
        )


# --- meta_eval.json -----------------------------------------------------------------------
@dataclass(frozen=True)
class CorrelationEntry:
    """How one metric correlates with one human dimension at one level, by one coefficient, with its
    bootstrap interval; ``n_units``: documents (summary level), systems (system level) or summaries
    (global) used; ``n_skipped``: documents left out at summary level (constant or too few systems)."""

    metric: str
    dimension: str
    level: str
    coefficient: str
    value: float
    low: float
    high: float
    n_units: int
    n_skipped: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "dimension": self.dimension,
            "level": self.level,
            "coefficient": self.coefficient,
            "value": _num_out(self.value),
            "low": _num_out(self.low),
            "high": _num_out(self.high),
            "n_units": self.n_units,
            "n_skipped": self.n_skipped,
        }

    @classmethod
    def from_json(cls, f: _Fields) -> CorrelationEntry:
        return cls(
            f.text("metric"),
            f.text("dimension"),
            f.text("level"),
            f.text("coefficient"),
            f.number("value"),
            f.number("low"),
            f.number("high"),
            f.integer("n_units"),
            f.integer("n_skipped", 0),
        )


@dataclass(frozen=True)
class MetricTest:
    """Whether metric ``a`` correlates with ``dimension`` better than metric ``b`` (same level and
    coefficient): the difference r(a) - r(b), its interval (NaN for a permutation or Williams test), the
    two-sided p and the Holm-adjusted p over the pairs of one (dimension, level, coefficient)."""

    dimension: str
    level: str
    coefficient: str
    a: str
    b: str
    difference: float
    low: float
    high: float
    p_value: float
    p_adjusted: float
    method: str
    n_samples: int

    def to_json(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "level": self.level,
            "coefficient": self.coefficient,
            "a": self.a,
            "b": self.b,
            "difference": _num_out(self.difference),
            "low": _num_out(self.low),
            "high": _num_out(self.high),
            "p_value": _num_out(self.p_value),
            "p_adjusted": _num_out(self.p_adjusted),
            "method": self.method,
            "n_samples": self.n_samples,
        }

    @classmethod
    def from_json(cls, f: _Fields) -> MetricTest:
        return cls(
            f.text("dimension"),
            f.text("level"),
            f.text("coefficient"),
            f.text("a"),
            f.text("b"),
            f.number("difference"),
            f.number("low"),
            f.number("high"),
            f.number("p_value"),
            f.number("p_adjusted"),
            f.text("method"),
            f.integer("n_samples"),
        )


@dataclass(frozen=True)
class DetectorEntry:
    """A metric validated as a detector of a binary human label (``dimension`` below ``threshold``: the
    summary has an error): ROC AUC and point-biserial correlation with bootstrap intervals. The AUC is
    of "higher metric value = error"; ``n``/``n_positive``: summaries used / with an error."""

    metric: str
    dimension: str
    threshold: float
    auc: float
    auc_low: float
    auc_high: float
    point_biserial: float
    pb_low: float
    pb_high: float
    n: int
    n_positive: int

    def to_json(self) -> dict[str, Any]:
        return {k: (_num_out(v) if isinstance(v, float) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, f: _Fields) -> DetectorEntry:
        return cls(
            f.text("metric"),
            f.text("dimension"),
            f.number("threshold"),
            f.number("auc"),
            f.number("auc_low"),
            f.number("auc_high"),
            f.number("point_biserial"),
            f.number("pb_low"),
            f.number("pb_high"),
            f.integer("n"),
            f.integer("n_positive"),
        )


@dataclass(frozen=True)
class MetaEvaluation:
    """``meta_eval.json``: the run's metrics correlated with human judgments of the same summaries.

    ``signature`` names everything the numbers depend on (judgments fingerprint, levels, coefficients,
    resampling, samples, confidence, seed). ``matched``: judged summaries with a score row in the run;
    ``unmatched``: judged summaries without one (failed, or not in the corpus). ``system_means``: per
    system, the mean of every compared metric and human dimension over the matched summaries (the
    scatter plots' points)."""

    judgments: str
    fingerprint: str
    signature: str
    dimensions: tuple[str, ...]
    metrics: tuple[str, ...]
    compared: tuple[str, ...]
    levels: tuple[str, ...]
    coefficients: tuple[str, ...]
    resample: str
    test: str
    samples: int
    confidence: float
    seed: int
    systems: tuple[str, ...]
    documents: int
    matched: int
    unmatched: int
    correlations: tuple[CorrelationEntry, ...]
    tests: tuple[MetricTest, ...] = ()
    detectors: tuple[DetectorEntry, ...] = ()
    system_means: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    #: Metrics whose values were negated before correlating and testing (lower is better for them), so
    #: that a positive correlation means agreement for every metric; detectors and system means use the
    #: values as scored.
    negated: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "system_means", _frozen({k: _frozen(v) for k, v in self.system_means.items()}))
        object.__setattr__(self, "negated", tuple(self.negated))

    def correlation(self, metric: str, dimension: str, level: str, coefficient: str) -> CorrelationEntry | None:
        for c in self.correlations:
            if (c.metric, c.dimension, c.level, c.coefficient) == (metric, dimension, level, coefficient):
                return c
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "judgments": self.judgments,
            "fingerprint": self.fingerprint,
            "signature": self.signature,
            "dimensions": list(self.dimensions),
            "metrics": list(self.metrics),
            "compared": list(self.compared),
            "levels": list(self.levels),
            "coefficients": list(self.coefficients),
            "resample": self.resample,
            "test": self.test,
            "samples": self.samples,
            "confidence": self.confidence,
            "seed": self.seed,
            "systems": list(self.systems),
            "documents": self.documents,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "correlations": [c.to_json() for c in self.correlations],
            "tests": [t.to_json() for t in self.tests],
            "detectors": [d.to_json() for d in self.detectors],
            "system_means": {k: {m: _num_out(v) for m, v in row.items()} for k, row in self.system_means.items()},
            "negated": list(self.negated),
        }

    @classmethod
    def from_json(cls, path: Path, data: Mapping[str, Any]) -> MetaEvaluation:
        f = _Fields(path, data)

        def entries(key: str) -> Iterator[_Fields]:
            items = f.get(key, [])
            if not isinstance(items, list):
                raise f.fail(f"field {key!r} should be a list")
            for k, item in enumerate(items):
                if not isinstance(item, Mapping):
                    raise f.fail(f"{key}[{k}] should be an object")
                yield _Fields(path, item, entry=f"{key}[{k}]: ")

        means: dict[str, dict[str, float]] = {}
        for system, row in f.table("system_means", {}).items():
            if not isinstance(row, Mapping):
                raise f.fail(f"system_means[{system!r}] should be an object")
            means[str(system)] = {str(k): math.nan if v is None else float(v) for k, v in row.items()}
        return cls(
            judgments=f.text("judgments"),
            fingerprint=f.text("fingerprint"),
            signature=f.text("signature"),
            dimensions=f.texts("dimensions"),
            metrics=f.texts("metrics"),
            compared=f.texts("compared", ()),
            levels=f.texts("levels"),
            coefficients=f.texts("coefficients"),
            resample=f.text("resample"),
            test=f.text("test"),
            samples=f.integer("samples"),
            confidence=f.number("confidence"),
            seed=f.integer("seed"),
            systems=f.texts("systems"),
            documents=f.integer("documents"),
            matched=f.integer("matched"),
            unmatched=f.integer("unmatched", 0),
            correlations=tuple(CorrelationEntry.from_json(e) for e in entries("correlations")),
            tests=tuple(MetricTest.from_json(e) for e in entries("tests")),
            detectors=tuple(DetectorEntry.from_json(e) for e in entries("detectors")),
            system_means=means,
            negated=f.texts("negated", ()),
        )


def write_meta_eval(root: str | Path, meta: MetaEvaluation) -> Path:
    """Write ``meta_eval.json`` into the run folder ``root`` (atomically)."""
    path = Path(root) / META_EVAL
    _write_json(path, meta.to_json())
    return path


def read_meta_eval(root: str | Path) -> MetaEvaluation | None:
    """The run folder's ``meta_eval.json``, or None when it has none."""
    path = Path(root) / META_EVAL
    if not path.exists():
        return None
    return MetaEvaluation.from_json(path, _read_json(path, dict))


@dataclass(frozen=True)
class Run:
    """A run folder, read and checked, with the look-ups the reports need.

    ``documents`` and ``summaries`` hold every document and summary of the folder, unless it was read
    with :func:`load_run`'s ``keep_documents``: then they hold the kept documents only (file order) and
    ``text_lengths`` the lengths of all of them; :attr:`partial` tells, :attr:`document_count` counts
    all. Scores, aggregates, comparisons and failures are always complete.
    """

    path: Path
    manifest: Manifest
    documents: tuple[DocumentEntry, ...]
    summaries: tuple[Summary, ...]
    scores: ScoreTable
    aggregates: tuple[Aggregate, ...]
    comparisons: tuple[Comparison, ...] = ()
    failures: tuple[Failure, ...] = ()
    #: Lengths of every document, counted while reading; None when ``documents`` holds them all.
    text_lengths: TextLengths | None = field(default=None, compare=False)
    #: ``meta_eval.json`` when the run was meta-evaluated against human judgments, else None.
    meta_eval: MetaEvaluation | None = None
    _doc_index: dict[str, DocumentEntry] = field(init=False, default_factory=dict, repr=False, compare=False)
    _summary_index: dict[tuple[str, str], Summary] = field(init=False, default_factory=dict, repr=False, compare=False)
    _agg_index: dict[tuple[str, str], Aggregate] = field(init=False, default_factory=dict, repr=False, compare=False)
    _cache: dict[str, Any] = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._doc_index.update({d.id: d for d in self.documents})
        self._summary_index.update({(s.doc_id, s.system): s for s in self.summaries if s.sample == 0})
        self._agg_index.update({(a.system, a.metric): a for a in self.aggregates})

    @property
    def name(self) -> str:
        return self.manifest.suite_name or self.path.name

    @property
    def systems(self) -> tuple[str, ...]:
        """System labels: manifest order, then any others seen in scores or summaries."""
        systems = self._cache.get("systems")
        if systems is None:
            out = list(self.manifest.labels)
            for s in (*self.scores.system_labels, *dict.fromkeys(x.system for x in self.summaries)):
                if s not in out:
                    out.append(s)
            systems = self._cache["systems"] = tuple(out)
        return systems

    @property
    def document_count(self) -> int:
        """How many documents ``documents.jsonl`` holds (all of them, kept or not)."""
        return len(self.text_lengths) if self.text_lengths is not None else len(self.documents)

    @property
    def total_documents(self) -> int:
        """The documents a system could have been scored on: the corpus's count (or more, should
        documents.jsonl or scores.csv hold more)."""
        return max(self.manifest.corpus.documents, self.document_count, len(self.scores.document_ids()))

    def coverage(self, system: str) -> int:
        """How many documents ``system`` was scored on (scores.csv has at most one row per document)."""
        return int(self.scores.mask(system).sum())

    @property
    def partial(self) -> bool:
        """Whether ``documents`` and ``summaries`` hold only some of the folder's documents."""
        return len(self.documents) < self.document_count

    @property
    def lengths(self) -> TextLengths:
        """Article and reference lengths of every document: counted while reading when only some texts
        were kept, else from ``documents`` on first use."""
        if self.text_lengths is not None:
            return self.text_lengths
        lengths = self._cache.get("lengths")
        if lengths is None:
            lengths = self._cache["lengths"] = TextLengths.of(self.documents)
        return lengths

    @property
    def metrics(self) -> tuple[str, ...]:
        """Numeric score columns: the manifest's order first, then the rest of scores.csv."""
        names = self.scores.names
        listed = [m for m in self.manifest.metrics if m in names]
        return tuple(listed + [m for m in names if m not in listed])

    @property
    def rouge_metrics(self) -> tuple[str, ...]:
        return tuple(m for m in self.metrics if m.startswith("rouge"))

    @property
    def f_metrics(self) -> tuple[str, ...]:
        """ROUGE F columns (``rouge*_f``), or all ROUGE columns if there are no F ones."""
        f = tuple(m for m in self.rouge_metrics if m.endswith("_f"))
        return f or self.rouge_metrics

    @property
    def primary_metric(self) -> str | None:
        """The suite's ``[scoring] primary`` as recorded in the manifest (if it was scored)."""
        primary = self.manifest.primary_metric
        return primary if primary in self.metrics else default_primary_metric(self.metrics)

    @property
    def confidence(self) -> float:
        return self.manifest.confidence

    @property
    def alpha(self) -> float:
        return 1.0 - self.confidence

    def document_groups(self) -> dict[str, str]:
        """``{doc_id: group}`` of every document that has a group (empty when the corpus named no
        ``group_field``), kept in the drill-down or not."""
        lengths = self.lengths
        return {d: g for d, g in zip(lengths.ids, lengths.groups) if g is not None}

    def role(self, system: str) -> str:
        """The system's role (:data:`sumbench.records.ROLES`); ``candidate`` for one the manifest lacks."""
        for entry in self.manifest.systems:
            if entry.label == system:
                return entry.role
        return "candidate"

    @property
    def baseline(self) -> str | None:
        """The system candidates are compared against (the manifest's baseline), if any."""
        return self.manifest.baseline

    @property
    def contestants(self) -> tuple[str, ...]:
        """Systems that are ranked: candidates and baselines (not the bounds)."""
        return tuple(s for s in self.systems if self.role(s) not in BOUND_ROLES)

    @property
    def candidates(self) -> tuple[str, ...]:
        return tuple(s for s in self.systems if self.role(s) == "candidate")

    @property
    def bounds(self) -> tuple[str, ...]:
        """Upper and lower bounds: reference points, never ranked."""
        return tuple(s for s in self.systems if self.role(s) in BOUND_ROLES)

    def document(self, doc_id: str) -> DocumentEntry | None:
        return self._doc_index.get(doc_id)

    def summary(self, doc_id: str, system: str) -> Summary | None:
        return self._summary_index.get((doc_id, system))

    def aggregate(self, system: str, metric: str) -> Aggregate | None:
        return self._agg_index.get((system, metric))

    def mean(self, system: str, metric: str) -> float:
        """Aggregate mean if recorded, else the mean of the per-document scores."""
        a = self.aggregate(system, metric)
        if a is not None and math.isfinite(a.mean):
            return float(a.mean)
        if metric not in self.scores.columns:
            return math.nan
        v = self.scores.values(system, metric)
        v = v[~np.isnan(v)]
        return float(v.mean()) if v.size else math.nan


#: Which documents :func:`load_run` keeps the texts and summaries of: ids, or a function of the run as
#: read without them that returns ids (None: all).
KeepDocuments = Collection[str] | Callable[[Run], Collection[str] | None]


def load_run(path: str | Path, keep_documents: KeepDocuments | None = None) -> Run:
    """Read and check the run folder at ``path``; a problem raises :class:`RunFolderError`.

    ``keep_documents`` None (the default) keeps every document and summary. Otherwise it names the
    documents whose texts and summaries to keep: a collection of ids, or a function given the run as read
    without any text (manifest, scores, aggregates, comparisons, failures; no documents or summaries)
    that returns them (or None for all). ``documents.jsonl`` and ``summaries.jsonl`` always stream a
    line at a time and every line is checked; with ``keep_documents`` only the kept ones are held, and
    every document's lengths are counted into :attr:`Run.text_lengths`, so memory does not grow with the
    corpus beyond the columnar scores.
    """
    root = Path(path)
    if not root.is_dir():
        raise RunFolderError(root, "not a folder (expected a sumbench run folder)")
    manifest = Manifest.from_json(root / MANIFEST, _read_json(root / MANIFEST, dict))
    scores = read_scores(root / SCORES)
    aggregates = tuple(_aggregate_from(f) for f in _read_json_entries(root / AGGREGATES))
    comparisons = (
        tuple(Comparison.from_json(f, manifest.confidence) for f in _read_json_entries(root / SIGNIFICANCE))
        if (root / SIGNIFICANCE).exists()
        else ()
    )
    failures = tuple(_failure_from(f) for f in _read_jsonl(root / FAILURES)) if (root / FAILURES).exists() else ()
    keep: Collection[str] | None
    if callable(keep_documents):
        keep = keep_documents(Run(root, manifest, (), (), scores, aggregates, comparisons, failures))
    else:
        keep = keep_documents
    kept = None if keep is None else frozenset(keep)
    counter = None if kept is None else _LengthCounter()
    documents: list[DocumentEntry] = []
    seen: set[str] = set()
    for f in _read_jsonl(root / DOCUMENTS):
        doc = DocumentEntry.from_json(f)
        if doc.id in seen:
            raise f.fail(f"duplicate document id {doc.id!r}")
        seen.add(doc.id)
        if counter is not None:
            counter.add(doc)
        if kept is None or doc.id in kept:
            documents.append(doc)
    summaries = [
        s for s in (_summary_from(f) for f in _read_jsonl(root / SUMMARIES)) if kept is None or s.doc_id in kept
    ]
    lengths = counter.lengths() if counter is not None else None
    meta = read_meta_eval(root)
    return Run(
        root, manifest, tuple(documents), tuple(summaries), scores, aggregates, comparisons, failures, lengths, meta
    )


def write_run(
    root: str | Path,
    manifest: Manifest,
    *,
    documents: Iterable[DocumentEntry],
    summaries: Iterable[Summary],
    scores: Iterable[DocumentScores],
    aggregates: Iterable[Aggregate],
    comparisons: Iterable[Comparison],
    failures: Iterable[Failure],
) -> Path:
    """Write every data file of a run folder (each atomically); the manifest last, so a folder with
    a manifest is complete."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    _write_jsonl(root / DOCUMENTS, (d.to_json() for d in documents))
    _write_jsonl(root / SUMMARIES, (_summary_json(s) for s in summaries))
    write_scores(root / SCORES, scores, manifest.metrics)
    _write_json(root / AGGREGATES, [_aggregate_json(a) for a in aggregates])
    _write_json(root / SIGNIFICANCE, [c.to_json() for c in comparisons])
    _write_jsonl(root / FAILURES, (_failure_json(f) for f in failures))
    _write_json(root / MANIFEST, manifest.to_json())
    return root


class RunFolderWriter:
    """Write a run folder while the run streams: documents, summaries, scores and failures are
    appended chunk by chunk to hidden partial files, then :meth:`finish` writes aggregates and
    comparisons, renames every file into place and writes the manifest last (so a folder with a
    manifest is complete). Summaries and scores are kept per system and joined in system order, so the
    files read the same whatever the chunking. :meth:`abort` removes the partial files.
    """

    def __init__(self, root: str | Path, systems: Sequence[str], metrics: Sequence[str]):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.systems = tuple(systems)
        self.metrics = tuple(metrics)
        self._partials: dict[str, IO[str]] = {}
        self._csv: dict[str, Any] = {}

    def _partial(self, name: str) -> IO[str]:
        handle = self._partials.get(name)
        if handle is None:
            handle = open(self.root / f".{name}.partial", "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._partials[name] = handle
        return handle

    def add_documents(self, documents: Iterable[DocumentEntry]) -> None:
        handle = self._partial(DOCUMENTS)
        for d in documents:
            handle.write(_dump(d.to_json()) + "\n")

    def add_summaries(self, system: str, summaries: Iterable[Summary]) -> None:
        handle = self._partial(f"{SUMMARIES}.{self.systems.index(system)}")
        for s in summaries:
            handle.write(_dump(_summary_json(s)) + "\n")

    def add_scores(self, system: str, rows: Iterable[DocumentScores]) -> None:
        name = f"{SCORES}.{self.systems.index(system)}"
        handle = self._partial(name)
        writer = self._csv.get(name)
        if writer is None:
            writer = self._csv[name] = csv.writer(handle)
        for row in rows:
            writer.writerow([row.doc_id, row.system, *(_csv_cell(row.values.get(m)) for m in self.metrics)])

    def add_failures(self, failures: Iterable[Failure]) -> None:
        handle = self._partial(FAILURES)
        for f in failures:
            handle.write(_dump(_failure_json(f)) + "\n")

    def _close_partials(self) -> None:
        for handle in self._partials.values():
            handle.close()

    def _join(self, target: str, parts: Sequence[str], header: str = "") -> None:
        """Concatenate partial files (in order) into ``target``, atomically."""

        def write(out: IO[str]) -> None:
            out.write(header)
            for part in parts:
                path = self.root / f".{part}.partial"
                if path.exists():
                    with open(path, encoding="utf-8", newline="") as handle:
                        while block := handle.read(1 << 20):
                            out.write(block)

        _atomic_write(self.root / target, write)

    def finish(self, manifest: Manifest, aggregates: Iterable[Aggregate], comparisons: Iterable[Comparison]) -> Path:
        self._close_partials()
        header = io.StringIO(newline="")
        csv.writer(header).writerow(["doc_id", "system", *self.metrics])
        n = range(len(self.systems))
        self._join(DOCUMENTS, [DOCUMENTS])
        self._join(SUMMARIES, [f"{SUMMARIES}.{k}" for k in n])
        self._join(SCORES, [f"{SCORES}.{k}" for k in n], header.getvalue())
        self._join(FAILURES, [FAILURES])
        _write_json(self.root / AGGREGATES, [_aggregate_json(a) for a in aggregates])
        _write_json(self.root / SIGNIFICANCE, [c.to_json() for c in comparisons])
        self._remove_partials()
        _write_json(self.root / MANIFEST, manifest.to_json())
        return self.root

    def _remove_partials(self) -> None:
        for path in self.root.glob(".*.partial"):
            path.unlink(missing_ok=True)

    def abort(self) -> None:
        self._close_partials()
        self._remove_partials()
