"""A benchmark suite: a TOML file validated into frozen config objects, then resolved once into what
a run needs, before any work starts.

:func:`load_suite` / :func:`parse_suite` check the file's shape (tables, keys, types, allowed values);
:func:`resolve_suite` turns the result into a :class:`ResolvedSuite`: every summarizer resolved and built
once with its final parameters (the suite's ``seed`` given to those that take one), its version, and
(lazily) its fingerprint and cache key, plus the constructed ROUGE scorer and the metric columns.
``run``, ``train``, ``list`` and ``summarize`` all go through it, so anything a suite can get wrong
(including every ``ValueError`` a summarizer's ``validate`` or the scorer raises) fails there.

Errors name the file, the table and the key. Relative paths (the corpus ``source``, summarizer
parameters named ``file``, ``path`` or ending in ``_file``, ``_path``, ``_dir``, and parameters ending
in ``_source`` that name a file beside the suite) are resolved against the suite file's folder.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import re
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sumbench.cache import summarizer_key
from sumbench.errors import PluginError, SuiteError
from sumbench.records import ROLES
from sumbench.runfolder import default_primary_metric
from sumbench.scoring.base import Metric
from sumbench.scoring.metrics import ACCOUNTING_COLUMNS, Rouge, standard_metrics
from sumbench.scoring.registry import build_metric, lower_is_better
from sumbench.scoring.rouge import RougeScorer
from sumbench.summarizers.adapter import Plugin
from sumbench.summarizers.registry import build_plugin, parameters, resolve

if TYPE_CHECKING:
    from sumbench.judgments import Judgments

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "MetaEvalConfig",
    "MetricConfig",
    "ConfiguredSummarizer",
    "configure_summarizer",
    "CorpusConfig",
    "ReportConfig",
    "ResolvedSuite",
    "ScoringConfig",
    "SuiteConfig",
    "SuiteError",
    "SummarizerConfig",
    "load_suite",
    "parse_suite",
    "parse_toml_value",
    "resolve_suite",
    "with_overrides",
]

#: The primary metric when a suite names none (and scores ROUGE-2).
DEFAULT_PRIMARY = "rouge2_f"


@dataclass(frozen=True)
class CorpusConfig:
    source: str = "cnndm-summeval"
    id_field: str = "id"
    text_field: str = "article"
    reference_fields: tuple[str, ...] = ("summaries",)
    title_field: str | None = "title"
    limit: int | None = None
    config: str | None = None
    split: str | None = None
    on_bad_document: str = "error"
    streaming: bool = False  # hf: sources only: read a Hugging Face split as a streaming dataset
    group_field: str | None = None  # a record field whose value groups documents (per-group leaderboards)
    group_id_pattern: str | None = None  # or: a regex whose first match in the id (group 1 if any) is the group
    sample: int | None = None  # a seeded sample of this many documents (stratified by group) instead of the first
    #: The documents' language (ISO 639-1): sentence splitter, tokenizer, stemmer and stop words
    #: (sumbench.languages); or ``language_field``: a record field holding each document's language.
    language: str = "en"
    language_field: str | None = None


@dataclass(frozen=True)
class SummarizerConfig:
    use: str
    label: str
    params: dict[str, Any] = field(default_factory=dict)
    timeout_s: float | None = None  # per document; None: the [run] table's timeout_s
    num_gpus: float | None = None  # Ray executor: GPUs per actor
    concurrency: int | None = None  # Ray executor: actors in the pool
    role: str | None = None  # None: the role the summarizer declares (see sumbench.records.ROLES)
    #: Summaries per document: with more than 1, each document is summarized ``samples`` times (sample k
    #: seeded from the summarizer's seed and k, cached under its index), and its scores are the means.
    samples: int = 1
    #: For a system expanded from a ``grid``: the label it was declared under, and its grid values.
    family: str | None = None
    variant: dict[str, Any] = field(default_factory=dict)


EXECUTORS = ("local", "processes", "ray")


@dataclass(frozen=True)
class RunConfig:
    """How a run executes (``[run]``); none of it changes a number.

    ``chunk_size``: documents per chunk (each chunk's summaries reach the cache when it finishes);
    ``jobs``: worker processes; ``executor``: ``local`` (this process, or worker processes when
    ``jobs > 1`` or a timeout is set), ``processes`` (always worker processes) or ``ray``;
    ``timeout_s``: the default time one document may take; ``max_failure_rate``: the share of a
    system's documents that may fail before the run exits with status 3 (a system failing on every
    document always does).
    """

    chunk_size: int = 64
    jobs: int = 1
    executor: str = "local"
    timeout_s: float | None = None
    max_failure_rate: float | None = None


@dataclass(frozen=True)
class ScoringConfig:
    rouge_types: tuple[str, ...] = ("rouge1", "rouge2", "rougeL", "rougeLsum")
    use_stemmer: bool = True
    multiref: str | None = None  # None: the compat mode's own default (max; Perl's pooled -f A)
    lsum_split: str = "splitter"
    compat: str = "rouge-score"
    max_words: int | None = None
    max_bytes: int | None = None
    bootstrap_samples: int = 1000
    confidence: float = 0.95
    primary: str | None = None  # None: rouge2_f when scored, else the first ROUGE F column
    length_matched: bool = False  # also score every summary cut to its reference length (rouge2_f_lm, ...)
    w_weight: float = 1.2  # ROUGE-W's weight (Perl -w), for rougeW / rougeWsum
    #: ROUGE's language for every document (None: each document's own, from [corpus]) and tokenizer
    #: (None: the language's recommended one; "rouge-score", "unicode", "cjk", "cjk-char", "whitespace"
    #: or "module:callable").
    language: str | None = None
    tokenizer: str | None = None


@dataclass(frozen=True)
class MetricConfig:
    """One ``[[metrics]]`` table: a metric beyond the standard ones (ROUGE from ``[scoring]``, lengths,
    extractiveness), by registered name, ``module:Class`` or ``file.py:Class``, with its parameters."""

    use: str
    params: dict[str, Any] = field(default_factory=dict)


#: The levels, coefficients, resampling modes and paired tests a ``[meta_eval]`` table may name
#: (:mod:`sumbench.scoring.correlation` defines them).
META_LEVELS = ("summary", "system", "global")
META_COEFFICIENTS = ("kendall", "spearman", "pearson")
META_RESAMPLE = ("documents", "systems", "both")
META_TESTS = ("bootstrap", "permutation")


@dataclass(frozen=True)
class MetaEvalConfig:
    """``[meta_eval]``: correlate the run's metrics with human judgments of the same summaries.

    ``judgments``: a bundled judgments name (``summeval``, ``frank``, ``newsroom``), a JSONL/CSV/Parquet
    file (relative to the suite), ``hf:NAME`` or ``hf-disk:DIR`` (a Hugging Face dataset). When the suite
    has no ``[[summarizers]]``, every system of the judgments becomes a ``precomputed`` summarizer of its
    own summaries. ``dimensions``/``metrics``: which human scores and which score columns (empty: all;
    metrics default to every column but accounting ones). ``compare``: the metrics tested against each
    other (empty: the ROUGE F columns and the added metrics' headline columns). ``error_dimension`` with
    ``error_below``: a binary label (score below the threshold = the summary has an error) against which
    every metric is validated as a detector (ROC AUC, point-biserial)."""

    judgments: str
    id_field: str = "id"
    system_field: str = "system"
    summary_field: str = "system_summary"
    scores_field: str | None = "human_scores"
    split: str | None = None
    dimensions: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    compare: tuple[str, ...] = ()
    levels: tuple[str, ...] = META_LEVELS
    coefficients: tuple[str, ...] = META_COEFFICIENTS
    resample: str = "both"
    test: str = "bootstrap"
    samples: int = 1000
    confidence: float = 0.95
    error_dimension: str | None = None
    error_below: float = 1.0

    def load_judgments(self, base_dir: Path | None = None) -> Judgments:
        """The judgments this table names, read with its field settings and dimensions (an unknown
        dimension fails here, with did-you-mean)."""
        from sumbench.judgments import load_judgments

        return load_judgments(
            self.judgments,
            base_dir=base_dir,
            id_field=self.id_field,
            system_field=self.system_field,
            summary_field=self.summary_field,
            scores_field=self.scores_field,
            dimensions=self.dimensions or None,
            split=self.split,
        )


@dataclass(frozen=True)
class ReportConfig:
    """How the reports judge what they show (``[report]``); none of it changes a score.

    ``length_ratio``: a system whose summaries are on average more than this many times the reference
    length, or less than its inverse, is flagged.
    """

    length_ratio: float = 1.5


@dataclass(frozen=True)
class SuiteConfig:
    name: str
    seed: int
    corpus: CorpusConfig
    summarizers: tuple[SummarizerConfig, ...]
    scoring: ScoringConfig
    path: Path | None = None
    baseline: str | None = None
    run: RunConfig = field(default_factory=RunConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    metrics: tuple[MetricConfig, ...] = ()
    meta_eval: MetaEvalConfig | None = None

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def to_dict(self) -> dict[str, Any]:
        """The resolved suite as plain data (written to the run manifest)."""
        data = asdict(self)
        data["path"] = str(self.path) if self.path else None
        return data


_TOP_KEYS = {"name", "seed", "baseline", "corpus", "summarizers", "scoring", "run", "report", "metrics", "meta_eval"}
_PATH_PARAM_SUFFIXES = ("_file", "_path", "_dir")


def load_suite(path: str | Path) -> SuiteConfig:
    """Read and validate a suite file."""
    path = Path(path)
    if not path.is_file():
        raise SuiteError(f"suite file not found: {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SuiteError(f"{path}: invalid TOML: {exc}") from None
    return parse_suite(data, path=path.resolve())


def parse_suite(data: dict[str, Any], path: Path | None = None) -> SuiteConfig:
    """Validate suite data (as read from TOML) into a :class:`SuiteConfig`; nothing runs here."""
    where = str(path) if path else "<suite>"
    base_dir = path.parent if path else Path.cwd()
    _no_unknown(data, _TOP_KEYS, where, "top level")
    name = data.get("name", path.stem if path else "suite")
    _expect(name, str, where, "name")
    seed = data.get("seed", 0)
    _expect(seed, int, where, "seed")
    corpus = _corpus(data.get("corpus", {}), where, base_dir)
    meta_eval = _meta_eval(data["meta_eval"], where, base_dir) if "meta_eval" in data else None
    tables = data.get("summarizers")
    if not tables and meta_eval is not None:
        tables = _judged_summarizers(meta_eval, where, base_dir)
    summarizers = _summarizers(tables, where, base_dir)
    metrics = _metrics(data.get("metrics", []), where, base_dir)
    scoring = _scoring(data.get("scoring", {}), where)
    run = _run(data.get("run", {}), where)
    report = _report(data.get("report", {}), where)
    baseline = data.get("baseline")
    if baseline is not None:
        _expect(baseline, str, where, "baseline")
        labels = [s.label for s in summarizers]
        if baseline not in labels:
            raise SuiteError(f"{where}: baseline {baseline!r} is not a summarizer label ({', '.join(labels)})")
        chosen = next(s for s in summarizers if s.label == baseline)
        if chosen.role not in (None, "baseline"):
            raise SuiteError(f"{where}: baseline {baseline!r} has role {chosen.role!r}; a baseline cannot be a bound")
    if scoring.compat == "perl":
        language = scoring.language or (None if corpus.language_field else corpus.language)
        if language != "en" or scoring.tokenizer not in (None, "rouge-score"):
            what = f"language {language!r}" if language else f"per-document languages ({corpus.language_field!r})"
            if language == "en":
                what = f"tokenizer {scoring.tokenizer!r}"
            raise SuiteError(
                f'{where}: [scoring] compat = "perl" is English-only (ROUGE-1.5.5 keeps only a-z and 0-9 and '
                f'stems with its English Porter stemmer); this suite asks for {what}: use compat = "rouge-score"'
            )
    return SuiteConfig(name, seed, corpus, summarizers, scoring, path, baseline, run, report, metrics, meta_eval)


def _resolve_use(use: str, base_dir: Path) -> str:
    """A ``use`` value with its ``file.py`` part made absolute against the suite's folder."""
    if ":" in use and use.rpartition(":")[0].endswith(".py"):
        file_part, _, cls = use.rpartition(":")
        if not Path(file_part).is_absolute():
            return f"{(base_dir / file_part).resolve()}:{cls}"
    return use


def _metrics(tables: Any, where: str, base_dir: Path) -> tuple[MetricConfig, ...]:
    _expect(tables, list, where, "[[metrics]]")
    out: list[MetricConfig] = []
    for number, table in enumerate(tables, start=1):
        here = f"[[metrics]] #{number}"
        _expect(table, dict, where, here)
        _no_unknown(table, {"use", "params"}, where, f"metrics #{number}")
        if "use" not in table:
            raise SuiteError(f"{where}: {here} needs 'use' (a registered metric, module:Class or file.py:Class)")
        use = table["use"]
        _expect(use, str, where, f"{here} use")
        use = _resolve_use(use, base_dir)
        params = table.get("params", {})
        _expect(params, dict, where, f"{here} params")
        out.append(MetricConfig(use, {k: _resolve_path_param(k, v, base_dir) for k, v in params.items()}))
    return tuple(out)


def _names(value: Any, allowed: tuple[str, ...] | None, where: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SuiteError(f"{where}: [meta_eval] {key} must be a list of names")
    for v in value:
        if allowed is not None and v not in allowed:
            close = difflib.get_close_matches(v, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise SuiteError(f"{where}: [meta_eval] {key}: unknown {v!r}{hint}; known: {', '.join(allowed)}")
    return tuple(value)


def _meta_eval(table: Any, where: str, base_dir: Path) -> MetaEvalConfig:
    _expect(table, dict, where, "[meta_eval]")
    _no_unknown(table, set(MetaEvalConfig.__dataclass_fields__), where, "meta_eval")
    values = dict(table)
    if "judgments" not in values:
        raise SuiteError(f'{where}: [meta_eval] needs judgments (e.g. "summeval", or a JSONL file of human scores)')
    for key in ("judgments", "id_field", "system_field", "summary_field", "scores_field", "split", "error_dimension"):
        if key in values:
            _expect(values[key], str, where, f"[meta_eval] {key}")
    values["judgments"] = resolve_judgments_source(values["judgments"], base_dir)
    allowed = {"levels": META_LEVELS, "coefficients": META_COEFFICIENTS}
    for key in ("dimensions", "metrics", "compare", "levels", "coefficients"):
        if key in values:
            values[key] = _names(values[key], allowed.get(key), where, key)
            if not values[key] and key in allowed:
                raise SuiteError(f"{where}: [meta_eval] {key} must name at least one of {', '.join(allowed[key])}")
    for key, options in (("resample", META_RESAMPLE), ("test", META_TESTS)):
        if key in values:
            _expect(values[key], str, where, f"[meta_eval] {key}")
            if values[key] not in options:
                raise SuiteError(f"{where}: [meta_eval] {key} must be one of {', '.join(options)}, not {values[key]!r}")
    if "samples" in values:
        _positive(values["samples"], int, where, "[meta_eval] samples")
    if "confidence" in values:
        _expect(values["confidence"], (int, float), where, "[meta_eval] confidence")
        if not 0 < values["confidence"] < 1:
            raise SuiteError(f"{where}: [meta_eval] confidence must be between 0 and 1, e.g. 0.95")
    if "error_below" in values:
        _expect(values["error_below"], (int, float), where, "[meta_eval] error_below")
        values["error_below"] = float(values["error_below"])
    return MetaEvalConfig(**values)


def resolve_judgments_source(source: str, base_dir: Path) -> str:
    """A ``[meta_eval] judgments`` value made absolute: a bundled name or ``hf:NAME`` stays, a file (or an
    ``hf-disk:`` folder) resolves against the suite's folder."""
    from sumbench.judgments import bundled_judgments

    if source.startswith("hf:") or source in bundled_judgments():
        return source
    disk = source.startswith("hf-disk:")
    candidate = Path(source[len("hf-disk:") :] if disk else source).expanduser()
    if not candidate.is_absolute():
        candidate = (base_dir / candidate).resolve()
    return f"hf-disk:{candidate}" if disk else str(candidate)


def _judged_summarizers(meta: MetaEvalConfig, where: str, base_dir: Path) -> list[dict[str, Any]]:
    """``[[summarizers]]`` tables for a suite that has none but judgments: one ``precomputed`` summarizer
    per judged system, reading that system's summaries from the judgments (a Hugging Face dataset is
    written once to a JSONL file in the cache folder, named by its fingerprint)."""
    from sumbench.errors import CorpusError

    try:
        judgments = meta.load_judgments(base_dir)
    except CorpusError as exc:
        raise SuiteError(f"{where}: [meta_eval] judgments: {exc}") from None
    path = judgments.path
    fields = {"id_field": meta.id_field, "summary_field": meta.summary_field, "system_field": meta.system_field}
    if path is None or not path.endswith((".jsonl", ".jsonl.gz", ".csv", ".parquet")):
        from sumbench.cache import default_cache_path

        target = default_cache_path().parent / "judgments" / f"{judgments.fingerprint}.jsonl"
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            judgments.write_jsonl(target)
        path = str(target)
        fields = {"summary_field": "system_summary"}  # what Judgments.write_jsonl writes
    return [
        {"use": "precomputed", "label": system, "params": {"file": path, "system": system, **fields}}
        for system in judgments.systems()
    ]


def _no_unknown(table: dict[str, Any], known: set[str], where: str, table_name: str) -> None:
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise SuiteError(
                f"{where}: [{table_name}] unknown key {key!r}{hint}; known keys: {', '.join(sorted(known))}"
            )


def _expect(value: Any, kind: type | tuple[type, ...], where: str, key: str) -> None:
    if isinstance(value, bool) and kind is not bool and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise SuiteError(f"{where}: {key} must be {_kind_name(kind)}, not a boolean")
    if not isinstance(value, kind):
        raise SuiteError(f"{where}: {key} must be {_kind_name(kind)}, not {type(value).__name__} {value!r}")


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(
        {
            int: "an integer",
            float: "a number",
            str: "a string",
            bool: "true/false",
            list: "a list",
            dict: "a table",
        }.get(k, k.__name__)
        for k in kinds
    )


def _corpus(table: Any, where: str, base_dir: Path) -> CorpusConfig:
    _expect(table, dict, where, "[corpus]")
    known = set(CorpusConfig.__dataclass_fields__)
    _no_unknown(table, known, where, "corpus")
    values = dict(table)
    for key in ("source", "id_field", "text_field"):
        if key in values:
            _expect(values[key], str, where, f"[corpus] {key}")
    if "reference_fields" in values:
        refs = values["reference_fields"]
        if isinstance(refs, str):
            refs = [refs]
        if not isinstance(refs, list) or not refs or not all(isinstance(r, str) for r in refs):
            raise SuiteError(f"{where}: [corpus] reference_fields must be a non-empty list of field names")
        values["reference_fields"] = tuple(refs)
    if "limit" in values:
        _expect(values["limit"], int, where, "[corpus] limit")
        if values["limit"] < 1:
            raise SuiteError(f"{where}: [corpus] limit must be at least 1")
    if "streaming" in values:
        _expect(values["streaming"], bool, where, "[corpus] streaming")
    for key in ("group_field", "group_id_pattern"):
        if key in values:
            _expect(values[key], str, where, f"[corpus] {key}")
    if "group_field" in values and "group_id_pattern" in values:
        raise SuiteError(f"{where}: [corpus] give group_field or group_id_pattern, not both")
    if "group_id_pattern" in values:
        try:
            re.compile(values["group_id_pattern"])
        except re.error as exc:
            raise SuiteError(f"{where}: [corpus] group_id_pattern is not a regular expression: {exc}") from None
    if "sample" in values:
        _expect(values["sample"], int, where, "[corpus] sample")
        if values["sample"] < 1:
            raise SuiteError(f"{where}: [corpus] sample must be at least 1")
    for key in ("language", "language_field"):
        if key in values:
            _expect(values[key], str, where, f"[corpus] {key}")
    if "language" in values:
        values["language"] = _language(values["language"], where, "[corpus] language")
    if "language" in values and "language_field" in values:
        raise SuiteError(f"{where}: [corpus] give language or language_field, not both")
    if values.get("on_bad_document", "error") not in ("error", "skip"):
        raise SuiteError(f"{where}: [corpus] on_bad_document must be 'error' or 'skip'")
    config = CorpusConfig(**values)
    source = config.source
    if not source.startswith(("hf:", "hf-disk:")):
        from sumbench.corpora import bundled_corpora

        if source not in bundled_corpora():
            candidate = Path(source).expanduser()
            if not candidate.is_absolute():
                candidate = base_dir / candidate
            if not candidate.exists():
                raise SuiteError(
                    f"{where}: [corpus] source {source!r} is neither a bundled corpus "
                    f"({', '.join(bundled_corpora())}) nor an existing file ({candidate})"
                )
            config = CorpusConfig(
                **{**asdict(config), "source": str(candidate.resolve()), "reference_fields": config.reference_fields}
            )
    elif source.startswith("hf-disk:"):
        candidate = Path(source[len("hf-disk:") :]).expanduser()
        if not candidate.is_absolute():
            candidate = (base_dir / candidate).resolve()
        config = CorpusConfig(
            **{**asdict(config), "source": f"hf-disk:{candidate}", "reference_fields": config.reference_fields}
        )
    return config


def _summarizers(tables: Any, where: str, base_dir: Path) -> tuple[SummarizerConfig, ...]:
    if not tables:
        raise SuiteError(f'{where}: no [[summarizers]]; add at least one, e.g. use = "lead"')
    _expect(tables, list, where, "[[summarizers]]")
    configs: list[SummarizerConfig] = []
    labels: set[str] = set()
    for number, table in enumerate(tables, start=1):
        here = f"[[summarizers]] #{number}"
        _expect(table, dict, where, here)
        known = (set(SummarizerConfig.__dataclass_fields__) - {"family", "variant"}) | {"grid"}
        _no_unknown(table, known, where, f"summarizers #{number}")
        if "use" not in table:
            raise SuiteError(f"{where}: {here} needs 'use' (a registered name, module:Class or file.py:Class)")
        use = table["use"]
        _expect(use, str, where, f"{here} use")
        use = _resolve_use(use, base_dir)
        label = table.get("label", table["use"])
        _expect(label, str, where, f"{here} label")
        params = dict(table.get("params", {}))
        _expect(params, dict, where, f"{here} params")
        params = {k: _resolve_path_param(k, v, base_dir) for k, v in params.items()}
        variants = _grid(table.get("grid"), params, where, here, base_dir)
        timeout = _positive(table.get("timeout_s"), (int, float), where, f"{here} timeout_s")
        gpus = table.get("num_gpus")
        if gpus is not None:
            _expect(gpus, (int, float), where, f"{here} num_gpus")
            if gpus < 0:
                raise SuiteError(f"{where}: {here} num_gpus must be at least 0")
        concurrency = _positive(table.get("concurrency"), int, where, f"{here} concurrency")
        samples = _positive(table.get("samples", 1), int, where, f"{here} samples")
        role = table.get("role")
        if role is not None:
            _expect(role, str, where, f"{here} role")
            if role not in ROLES:
                close = difflib.get_close_matches(role, ROLES, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise SuiteError(f"{where}: {here} role {role!r} is not a role{hint}; roles: {', '.join(ROLES)}")
        for variant in variants:
            name = label if not variant else f"{label} [{', '.join(f'{k}={_short(v)}' for k, v in variant.items())}]"
            if name in labels:
                raise SuiteError(f"{where}: {here} label {name!r} is used twice; give each summarizer its own label")
            labels.add(name)
            configs.append(
                SummarizerConfig(
                    use,
                    name,
                    {**params, **variant},
                    timeout,
                    gpus,
                    concurrency,
                    role,
                    samples=samples,
                    family=label if variant else None,
                    variant=dict(variant),
                )
            )
    return tuple(configs)


def _grid(table: Any, params: dict[str, Any], where: str, here: str, base_dir: Path) -> list[dict[str, Any]]:
    """The variants of one ``[[summarizers]]`` table: ``grid = { temperature = [0.0, 0.7], prompt = ["news",
    "tldr"] }`` expands into one system per combination (parameters in the table's order, each list in
    its order); without a grid, the one variant with no grid values."""
    if table is None:
        return [{}]
    _expect(table, dict, where, f"{here} grid")
    if not table:
        raise SuiteError(f"{where}: {here} grid is empty; give each parameter a list of values")
    axes: list[tuple[str, list[Any]]] = []
    for key, values in table.items():
        if not isinstance(values, list) or not values:
            raise SuiteError(f"{where}: {here} grid.{key} must be a non-empty list of values, e.g. [0.0, 0.7]")
        if key in params:
            raise SuiteError(f"{where}: {here} {key!r} is in both params and grid; give it in one of them")
        axes.append((key, [_resolve_path_param(key, v, base_dir) for v in values]))
    return [dict(zip((k for k, _ in axes), combo)) for combo in itertools.product(*(v for _, v in axes))]


def _short(value: Any) -> str:
    """A grid value as a label shows it: a file path by its stem, anything else as TOML would write it."""
    if isinstance(value, str):
        path = Path(value)
        return path.stem if path.suffix and (path.is_absolute() or "/" in value) else value
    return repr(value) if not isinstance(value, bool) else str(value).lower()


def _resolve_path_param(name: str, value: Any, base_dir: Path) -> Any:
    if not isinstance(value, str):
        return value
    candidate = Path(value).expanduser()
    if name.endswith("_source"):  # a corpus source: a bundled name stays, a file beside the suite resolves
        beside = base_dir / candidate
        return str(beside.resolve()) if not candidate.is_absolute() and beside.exists() else value
    if name == "prompt":  # a built-in prompt name stays; a prompt file beside the suite resolves
        beside = base_dir / candidate
        return str(beside.resolve()) if not candidate.is_absolute() and beside.is_file() else value
    if not (name in ("file", "path") or name.endswith(_PATH_PARAM_SUFFIXES)):
        return value
    return str(candidate if candidate.is_absolute() else (base_dir / candidate).resolve())


def _scoring(table: Any, where: str) -> ScoringConfig:
    """Types of the ``[scoring]`` keys; their allowed values are the scorer's, checked when
    :func:`resolve_suite` constructs it (one declaration, in :mod:`sumbench.scoring.rouge`)."""
    _expect(table, dict, where, "[scoring]")
    _no_unknown(table, set(ScoringConfig.__dataclass_fields__), where, "scoring")
    values = dict(table)
    if "rouge_types" in values:
        types = values["rouge_types"]
        if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
            raise SuiteError(f'{where}: [scoring] rouge_types must be a non-empty list of names, e.g. ["rouge2"]')
        values["rouge_types"] = tuple(types)
    for key in ("multiref", "lsum_split", "compat", "primary", "language", "tokenizer"):
        if key in values:
            _expect(values[key], str, where, f"[scoring] {key}")
    if "language" in values:
        values["language"] = _language(values["language"], where, "[scoring] language")
    if "tokenizer" in values:
        from sumbench.languages import TOKENIZERS

        name = values["tokenizer"]
        if name not in TOKENIZERS and ":" not in name:
            close = difflib.get_close_matches(name, TOKENIZERS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise SuiteError(
                f"{where}: [scoring] tokenizer {name!r} is not a tokenizer{hint}; known: "
                f"{', '.join(TOKENIZERS)} or module:callable"
            )
    for key in ("use_stemmer", "length_matched"):
        if key in values:
            _expect(values[key], bool, where, f"[scoring] {key}")
    for key in ("bootstrap_samples", "max_words", "max_bytes"):
        if key in values:
            _expect(values[key], int, where, f"[scoring] {key}")
    if "w_weight" in values:
        _expect(values["w_weight"], (int, float), where, "[scoring] w_weight")
    if values.get("bootstrap_samples", 1) < 1:
        raise SuiteError(f"{where}: [scoring] bootstrap_samples must be at least 1")
    if "confidence" in values:
        _expect(values["confidence"], (int, float), where, "[scoring] confidence")
        if not 0 < values["confidence"] < 1:
            raise SuiteError(f"{where}: [scoring] confidence must be between 0 and 1, e.g. 0.95")
    return ScoringConfig(**values)


def _language(code: str, where: str, key: str) -> str:
    """A language code as the language table spells it; an unknown one fails with did-you-mean."""
    from sumbench.languages import LanguageError, canonical_language

    try:
        return canonical_language(code)
    except LanguageError as exc:
        raise SuiteError(f"{where}: {key}: {exc}") from None


def _report(table: Any, where: str) -> ReportConfig:
    _expect(table, dict, where, "[report]")
    _no_unknown(table, set(ReportConfig.__dataclass_fields__), where, "report")
    values = dict(table)
    if "length_ratio" in values:
        _expect(values["length_ratio"], (int, float), where, "[report] length_ratio")
        if values["length_ratio"] <= 1:
            raise SuiteError(f"{where}: [report] length_ratio must be above 1, e.g. 1.5")
        values["length_ratio"] = float(values["length_ratio"])
    return ReportConfig(**values)


def _positive(value: Any, kind: type | tuple[type, ...], where: str, key: str) -> Any:
    """``value`` (None allowed) checked to be of ``kind`` and above zero."""
    if value is None:
        return None
    _expect(value, kind, where, key)
    if value <= 0:
        raise SuiteError(f"{where}: {key} must be above 0, not {value!r}")
    return value


def _run(table: Any, where: str) -> RunConfig:
    _expect(table, dict, where, "[run]")
    _no_unknown(table, set(RunConfig.__dataclass_fields__), where, "run")
    values = dict(table)
    for key in ("chunk_size", "jobs"):
        if key in values:
            _positive(values[key], int, where, f"[run] {key}")
    if "timeout_s" in values:
        _positive(values["timeout_s"], (int, float), where, "[run] timeout_s")
    if "executor" in values:
        _expect(values["executor"], str, where, "[run] executor")
        if values["executor"] not in EXECUTORS:
            raise SuiteError(
                f"{where}: [run] executor must be one of {', '.join(EXECUTORS)}, not {values['executor']!r}"
            )
    if "max_failure_rate" in values:
        _expect(values["max_failure_rate"], (int, float), where, "[run] max_failure_rate")
        if not 0 <= values["max_failure_rate"] < 1:
            raise SuiteError(f"{where}: [run] max_failure_rate must be in [0, 1), e.g. 0.05")
    return RunConfig(**values)


def with_overrides(
    suite: SuiteConfig,
    *,
    limit: int | None = None,
    seed: int | None = None,
    jobs: int | None = None,
    executor: str | None = None,
    sample: int | None = None,
) -> SuiteConfig:
    """The suite with ``--limit`` / ``--seed`` / ``--jobs`` / ``--executor`` / ``--sample`` from the command
    line applied."""
    if jobs is not None:
        if jobs < 1:
            raise SuiteError("--jobs must be at least 1")
        suite = replace(suite, run=replace(suite.run, jobs=jobs))
    if executor is not None:
        if executor not in EXECUTORS:
            raise SuiteError(f"--executor must be one of {', '.join(EXECUTORS)}, not {executor!r}")
        suite = replace(suite, run=replace(suite.run, executor=executor))
    if limit is not None:
        if limit < 1:
            raise SuiteError("--limit must be at least 1")
        suite = replace(suite, corpus=replace(suite.corpus, limit=limit))
    if sample is not None:
        if sample < 1:
            raise SuiteError("--sample must be at least 1")
        suite = replace(suite, corpus=replace(suite.corpus, sample=sample))
    if seed is not None:
        suite = replace(suite, seed=seed)
    return suite


def parse_toml_value(text: str) -> Any:
    """A TOML scalar or array (``3``, ``0.5``, ``true``, ``"x"``, ``[1, 2]``), else the raw string
    (how ``sumbench summarize --param k=v`` reads values)."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


# --- resolution --------------------------------------------------------------------------
@dataclass(frozen=True)
class ConfiguredSummarizer:
    """One summarizer of a suite, resolved and built once with its final parameters."""

    label: str
    use: str
    cls: type
    plugin: Plugin
    params: Mapping[str, Any]
    config: SummarizerConfig
    timeout_s: float | None = None  # the summarizer's own, else the suite's [run] timeout_s
    sample: int = 0  # which of the config's samples this one makes (0: the system itself)
    system: str = ""  # the system a sample belongs to ("" for the system itself: its label)

    @property
    def version(self) -> str:
        return self.plugin.version

    @property
    def role(self) -> str:
        """The suite's ``role`` for this summarizer, else the one it declares (``candidate`` by default)."""
        return self.config.role or self.plugin.role

    @cached_property
    def fingerprint(self) -> str:
        """Extra cache-key material from the summarizer (may train a learned model on first use)."""
        return self.plugin.fingerprint()

    @cached_property
    def cache_key(self) -> str:
        params = {k: v for k, v in self.params.items() if k not in self.plugin.cache_exempt}
        key = summarizer_key(self.use, params, self.version, self.fingerprint)
        return key if self.sample == 0 else f"{key}:sample={self.sample}"


@dataclass(frozen=True)
class ResolvedSuite:
    """A suite ready to run: configured summarizers, the constructed scorer and the metric columns."""

    config: SuiteConfig
    summarizers: tuple[ConfiguredSummarizer, ...]
    scorer: RougeScorer
    metrics: tuple[str, ...]
    primary_metric: str
    #: The extra samples of summarizers with ``samples > 1``: label -> samples 1..N-1 (sample 0 is the
    #: system itself), each labelled ``"<label>#<k>"`` and cached under its own key.
    samples: Mapping[str, tuple[ConfiguredSummarizer, ...]] = field(default_factory=dict)
    #: Every metric the run scores, in column order: ROUGE (from ``[scoring]``), lengths,
    #: extractiveness, then each ``[[metrics]]`` table's.
    scoring_metrics: tuple[Metric, ...] = ()

    @property
    def lower_is_better(self) -> tuple[str, ...]:
        """The score columns where a lower value means a better summary (metrics declare them)."""
        return tuple(c for m in self.scoring_metrics for c in lower_is_better(m))

    @property
    def metric_signatures(self) -> dict[str, str]:
        """Each metric's signature by its name (``rouge``, ``lengths``, ... or its ``use``)."""
        names = ["rouge", "lengths", "extractiveness", *(m.use for m in self.config.metrics)]
        return {name: metric.signature() for name, metric in zip(names, self.scoring_metrics)}

    def configured(self, label: str) -> ConfiguredSummarizer:
        """The summarizer or sample with this exact label."""
        for s in self.summarizers:
            if s.label == label:
                return s
        for extra in self.samples.values():
            for s in extra:
                if s.label == label:
                    return s
        raise KeyError(label)

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def seed(self) -> int:
        return self.config.seed

    @property
    def accounting(self) -> bool:
        """Whether scores.csv has the accounting columns: some summarizer reports its usage (tokens,
        latency: a class attribute ``reports_usage = True``, as the LLM summarizers have)."""
        return any(s.plugin.reports_usage for s in self.summarizers)

    @property
    def signature(self) -> str:
        """The scorer's ROUGE signature, plus the length-matched columns' rule when the suite asks for them."""
        return self.scoring_metrics[0].signature()

    @property
    def baseline(self) -> str | None:
        """What candidates are compared against: the suite's ``baseline``, else the first summarizer
        whose role is ``baseline`` (lead declares it), else None."""
        if self.config.baseline:
            return self.config.baseline
        return next((s.label for s in self.summarizers if s.role == "baseline"), None)

    def summarizer(self, label_or_name: str) -> list[ConfiguredSummarizer]:
        """The summarizers with this label (or, failing that, this ``use`` name)."""
        chosen = [s for s in self.summarizers if s.label == label_or_name]
        return chosen or [s for s in self.summarizers if s.use == label_or_name]


def configure_summarizer(
    config: SummarizerConfig,
    *,
    seed: int = 0,
    base_dir: Path | None = None,
    where: str = "--with",
    timeout_s: float | None = None,
) -> ConfiguredSummarizer:
    """Resolve and build one summarizer with its final parameters (the ``seed`` given to summarizers
    that take one and were not given their own); errors raise :class:`SuiteError` naming ``where``."""
    base_dir = base_dir or Path.cwd()
    try:
        cls = resolve(config.use, base_dir)
        params = dict(config.params)
        if "seed" in parameters(cls) and "seed" not in params:
            params["seed"] = seed  # the suite's seed, unless the summarizer was given its own
        plugin = build_plugin(cls, config.use, params)
        final = plugin.params()
    except PluginError as exc:
        raise SuiteError(f"{where}: {exc}") from None
    return ConfiguredSummarizer(config.label, config.use, cls, plugin, final, config, config.timeout_s or timeout_s)


def resolve_suite(suite: SuiteConfig) -> ResolvedSuite:
    """Resolve and build everything ``suite`` names, once; any mistake raises :class:`SuiteError`."""
    where = str(suite.path) if suite.path else "<suite>"
    summarizers = tuple(
        configure_summarizer(
            config,
            seed=suite.seed,
            base_dir=suite.base_dir,
            where=f"{where}: [[summarizers]] #{number} ({config.label})",
            timeout_s=suite.run.timeout_s,
        )
        for number, config in enumerate(suite.summarizers, start=1)
    )
    if suite.baseline is not None:  # the suite's baseline has that role whatever its summarizer declares
        summarizers = tuple(
            replace(s, config=replace(s.config, role="baseline")) if s.label == suite.baseline else s
            for s in summarizers
        )
    scoring = suite.scoring
    rouge = Rouge(
        scoring.rouge_types,
        use_stemmer=scoring.use_stemmer,
        multiref=scoring.multiref,
        lsum_split=scoring.lsum_split,
        compat=scoring.compat,
        max_words=scoring.max_words,
        max_bytes=scoring.max_bytes,
        length_matched=scoring.length_matched,
        w_weight=scoring.w_weight,
        # [scoring] language wins; else the corpus's one language (None: each document's own)
        language=scoring.language or (None if suite.corpus.language_field else suite.corpus.language),
        tokenizer=scoring.tokenizer,
    )
    try:
        rouge.validate()
    except ValueError as exc:
        raise SuiteError(f"{where}: [scoring] {exc}") from None
    scoring_metrics: list[Metric] = standard_metrics(rouge)
    owner = {c: "[scoring]" for m in scoring_metrics for c in m.columns}
    for number, config in enumerate(suite.metrics, start=1):
        here = f"{where}: [[metrics]] #{number} ({config.use})"
        try:
            metric = build_metric(config.use, config.params, suite.base_dir)
        except PluginError as exc:
            raise SuiteError(f"{here}: {exc}") from None
        for column in metric.columns:
            if column in owner or column in ACCOUNTING_COLUMNS or column == SAMPLE_SD:
                raise SuiteError(
                    f"{here}: column {column!r} is already written by {owner.get(column, 'the run')}; "
                    "each column must come from one metric"
                )
            owner[column] = f"[[metrics]] #{number}"
        scoring_metrics.append(metric)
    accounting = any(s.plugin.reports_usage for s in summarizers)
    metrics = tuple(c for m in scoring_metrics for c in m.columns)
    if accounting:
        metrics += ACCOUNTING_COLUMNS
    samples = {s.label: _samples_of(s, suite, where) for s in summarizers if s.config.samples > 1}
    if samples:
        metrics += (SAMPLE_SD,)
    primary = scoring.primary or (DEFAULT_PRIMARY if DEFAULT_PRIMARY in metrics else default_primary_metric(metrics))
    if primary not in metrics:
        close = difflib.get_close_matches(str(primary), metrics, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise SuiteError(
            f"{where}: [scoring] primary: {primary!r} is not a scored metric{hint}; scored: {', '.join(metrics)}"
        )
    return ResolvedSuite(suite, summarizers, rouge.scorer, metrics, primary, samples, tuple(scoring_metrics))


#: The scores.csv column of a run with samples: the standard deviation of the primary metric between a
#: document's samples (NaN for a system with one sample).
SAMPLE_SD = "sample_sd"


def sample_seed(seed: int, k: int) -> int:
    """The seed of sample ``k`` of a summarizer seeded ``seed`` (sample 0 keeps ``seed``)."""
    if k == 0:
        return seed
    digest = hashlib.sha256(f"{seed}:{k}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 2**31


def _samples_of(s: ConfiguredSummarizer, suite: SuiteConfig, where: str) -> tuple[ConfiguredSummarizer, ...]:
    out = []
    for k in range(1, s.config.samples):
        params = dict(s.config.params)
        seed = s.params.get("seed")
        if "seed" in parameters(s.cls) and isinstance(seed, int) and not isinstance(seed, bool):
            params["seed"] = sample_seed(seed, k)
        config = replace(s.config, label=f"{s.label}#{k}", params=params)
        extra = configure_summarizer(
            config,
            seed=suite.seed,
            base_dir=suite.base_dir,
            where=f"{where}: {s.label} sample {k}",
            timeout_s=s.timeout_s,
        )
        out.append(replace(extra, sample=k, system=s.label))
    return tuple(out)
