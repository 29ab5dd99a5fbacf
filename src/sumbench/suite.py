"""A benchmark suite: a TOML file validated into frozen config objects before any work starts.

Errors name the file, the table and the key. Relative paths (the corpus ``source``, summarizer
parameters named ``file``, ``path`` or ending in ``_file``, ``_path``, ``_dir``, and parameters ending
in ``_source`` that name a file beside the suite) are resolved against the suite file's folder.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KNOWN_ROUGE_TYPES = tuple(f"rouge{n}" for n in range(1, 10)) + ("rougeL", "rougeLsum")
MULTIREF_MODES = ("max", "mean", "pooled", "best", "jackknife")
LSUM_SPLITS = ("newline", "splitter")


class SuiteError(ValueError):
    """An invalid suite: the message names the file, table and key."""


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


@dataclass(frozen=True)
class SummarizerConfig:
    use: str
    label: str
    params: dict[str, Any] = field(default_factory=dict)


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


@dataclass(frozen=True)
class SuiteConfig:
    name: str
    seed: int
    corpus: CorpusConfig
    summarizers: tuple[SummarizerConfig, ...]
    scoring: ScoringConfig
    path: Path | None = None
    baseline: str | None = None

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def to_dict(self) -> dict[str, Any]:
        """The resolved suite as plain data (written to the run manifest)."""
        data = asdict(self)
        data["path"] = str(self.path) if self.path else None
        return data


_TOP_KEYS = {"name", "seed", "baseline", "corpus", "summarizers", "scoring"}
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
    summarizers = _summarizers(data.get("summarizers"), where, base_dir)
    scoring = _scoring(data.get("scoring", {}), where)
    baseline = data.get("baseline")
    if baseline is not None:
        _expect(baseline, str, where, "baseline")
        labels = [s.label for s in summarizers]
        if baseline not in labels:
            raise SuiteError(f"{where}: baseline {baseline!r} is not a summarizer label ({', '.join(labels)})")
    return SuiteConfig(name, seed, corpus, summarizers, scoring, path, baseline)


def _no_unknown(table: dict[str, Any], known: set[str], where: str, table_name: str) -> None:
    import difflib

    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise SuiteError(f"{where}: [{table_name}] unknown key {key!r}{hint}; known keys: {', '.join(sorted(known))}")


def _expect(value: Any, kind: type | tuple[type, ...], where: str, key: str) -> None:
    if isinstance(value, bool) and kind is not bool and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise SuiteError(f"{where}: {key} must be {_kind_name(kind)}, not a boolean")
    if not isinstance(value, kind):
        raise SuiteError(f"{where}: {key} must be {_kind_name(kind)}, not {type(value).__name__} {value!r}")


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join({int: "an integer", float: "a number", str: "a string", bool: "true/false",
                        list: "a list", dict: "a table"}.get(k, k.__name__) for k in kinds)


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
            config = CorpusConfig(**{**asdict(config), "source": str(candidate.resolve()),
                                     "reference_fields": config.reference_fields})
    elif source.startswith("hf-disk:"):
        candidate = Path(source[len("hf-disk:"):]).expanduser()
        if not candidate.is_absolute():
            candidate = (base_dir / candidate).resolve()
        config = CorpusConfig(**{**asdict(config), "source": f"hf-disk:{candidate}",
                                 "reference_fields": config.reference_fields})
    return config


def _summarizers(tables: Any, where: str, base_dir: Path) -> tuple[SummarizerConfig, ...]:
    from sumbench.summarizers.registry import SummarizerError, build

    if not tables:
        raise SuiteError(f"{where}: no [[summarizers]]; add at least one, e.g. use = \"lead\"")
    _expect(tables, list, where, "[[summarizers]]")
    configs: list[SummarizerConfig] = []
    labels: set[str] = set()
    for number, table in enumerate(tables, start=1):
        here = f"[[summarizers]] #{number}"
        _expect(table, dict, where, here)
        _no_unknown(table, {"use", "label", "params"}, where, f"summarizers #{number}")
        if "use" not in table:
            raise SuiteError(f"{where}: {here} needs 'use' (a registered name, module:Class or file.py:Class)")
        use = table["use"]
        _expect(use, str, where, f"{here} use")
        if ":" in use and use.rpartition(":")[0].endswith(".py"):
            file_part, _, cls = use.rpartition(":")
            if not Path(file_part).is_absolute():
                use = f"{(base_dir / file_part).resolve()}:{cls}"
        label = table.get("label", table["use"])
        _expect(label, str, where, f"{here} label")
        if label in labels:
            raise SuiteError(f"{where}: {here} label {label!r} is used twice; give each summarizer its own label")
        labels.add(label)
        params = dict(table.get("params", {}))
        _expect(params, dict, where, f"{here} params")
        params = {k: _resolve_path_param(k, v, base_dir) for k, v in params.items()}
        try:
            build(use, params, base_dir)
        except SummarizerError as exc:
            raise SuiteError(f"{where}: {here} ({label}): {exc}") from None
        configs.append(SummarizerConfig(use=use, label=label, params=params))
    return tuple(configs)


def _resolve_path_param(name: str, value: Any, base_dir: Path) -> Any:
    if not isinstance(value, str):
        return value
    candidate = Path(value).expanduser()
    if name.endswith("_source"):  # a corpus source: a bundled name stays, a file beside the suite resolves
        beside = base_dir / candidate
        return str(beside.resolve()) if not candidate.is_absolute() and beside.exists() else value
    if not (name in ("file", "path") or name.endswith(_PATH_PARAM_SUFFIXES)):
        return value
    return str(candidate if candidate.is_absolute() else (base_dir / candidate).resolve())


def _scoring(table: Any, where: str) -> ScoringConfig:
    _expect(table, dict, where, "[scoring]")
    _no_unknown(table, set(ScoringConfig.__dataclass_fields__), where, "scoring")
    values = dict(table)
    if "rouge_types" in values:
        types = values["rouge_types"]
        if not isinstance(types, list) or not types:
            raise SuiteError(f"{where}: [scoring] rouge_types must be a non-empty list")
        for rouge_type in types:
            if rouge_type not in KNOWN_ROUGE_TYPES:
                import difflib

                close = difflib.get_close_matches(str(rouge_type), KNOWN_ROUGE_TYPES, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise SuiteError(
                    f"{where}: [scoring] rouge_types: unknown rouge type {rouge_type!r}{hint}; "
                    f"known: {', '.join(KNOWN_ROUGE_TYPES)}"
                )
        values["rouge_types"] = tuple(types)
    choices = {"multiref": MULTIREF_MODES, "lsum_split": LSUM_SPLITS, "compat": ("rouge-score", "perl")}
    for key, allowed in choices.items():
        if key in values and values[key] not in allowed:
            raise SuiteError(f"{where}: [scoring] {key} must be one of {', '.join(allowed)}, not {values[key]!r}")
    if "use_stemmer" in values:
        _expect(values["use_stemmer"], bool, where, "[scoring] use_stemmer")
    for key in ("bootstrap_samples", "max_words", "max_bytes"):
        if key in values:
            _expect(values[key], int, where, f"[scoring] {key}")
            if values[key] < 1:
                raise SuiteError(f"{where}: [scoring] {key} must be at least 1")
    if "confidence" in values:
        _expect(values["confidence"], (int, float), where, "[scoring] confidence")
        if not 0 < values["confidence"] < 1:
            raise SuiteError(f"{where}: [scoring] confidence must be between 0 and 1, e.g. 0.95")
    return ScoringConfig(**values)


def with_overrides(suite: SuiteConfig, *, limit: int | None = None, seed: int | None = None) -> SuiteConfig:
    """The suite with ``--limit`` / ``--seed`` from the command line applied."""
    from dataclasses import replace

    if limit is not None:
        if limit < 1:
            raise SuiteError("--limit must be at least 1")
        suite = replace(suite, corpus=replace(suite.corpus, limit=limit))
    if seed is not None:
        suite = replace(suite, seed=seed)
    return suite
