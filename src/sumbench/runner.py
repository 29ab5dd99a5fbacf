"""Run a suite: load corpus -> summarize (through the cache) -> score -> aggregate -> write the run folder.

The run folder is the contract that reports and other tools read:

- ``manifest.json``: resolved suite, versions, seed, corpus fingerprint, ROUGE signature, systems
  with their full parameters, cache hits/misses, warnings, failure count
- ``documents.jsonl``: ``{id, title, text, references}``
- ``summaries.jsonl``: ``{doc_id, system, summary, cached}``
- ``scores.csv``: one row per document x system (``doc_id, system``, ROUGE P/R/F per type, lengths,
  extractiveness)
- ``aggregates.json``: ``[{system, metric, mean, ci_low, ci_high, n}]``
- ``significance.json``: pairwise tests per F metric with a plain-sentence verdict
- ``failures.jsonl``: ``{doc_id, system, stage, error}``
- ``report.md``, ``report.html``, ``figures/``
"""

from __future__ import annotations

import csv
import json
import math
import platform
import sys
import time
import traceback
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Sequence

from sumbench import __version__
from sumbench.cache import SummaryCache, default_cache_path, summarizer_key
from sumbench.corpora import FieldMap, load_corpus
from sumbench.records import Aggregate, Corpus, Document, DocumentScores, Failure, Summary
from sumbench.scoring.aggregate import aggregate, score_matrices, significance
from sumbench.scoring.metrics import metric_columns, rouge_columns, rouge_scorer, score_summaries
from sumbench.suite import SuiteConfig, SummarizerConfig
from sumbench.summarizers.base import get_params, version_of
from sumbench.summarizers.registry import build, parameters

KEY_PACKAGES = ("numpy", "scikit-learn", "nltk", "matplotlib", "jinja2", "rouge-score", "torch", "transformers")


class RunError(RuntimeError):
    """A run that cannot start (bad corpus, a summarizer refusing the corpus)."""


@dataclass(frozen=True)
class SystemRun:
    """One configured summarizer of a run and what happened to it."""

    label: str
    use: str
    params: dict[str, Any]
    version: str
    cache_key: str
    summaries: tuple[Summary, ...]
    failures: tuple[Failure, ...]
    cache_hits: int
    seconds: float


@dataclass(frozen=True)
class RunResult:
    run_dir: Path
    corpus: Corpus
    systems: tuple[SystemRun, ...]
    scores: tuple[DocumentScores, ...]
    aggregates: tuple[Aggregate, ...]
    failures: tuple[Failure, ...]

    @property
    def cache_hits(self) -> int:
        return sum(s.cache_hits for s in self.systems)

    @property
    def cache_misses(self) -> int:
        return sum(len(s.summaries) + len(s.failures) - s.cache_hits for s in self.systems)


Progress = Callable[[str, int], Callable[[int], None]]


def _no_progress(description: str, total: int) -> Callable[[int], None]:
    return lambda advance: None


def run_suite(
    suite: SuiteConfig,
    *,
    out_dir: Path | None = None,
    cache_path: Path | None = None,
    use_cache: bool = True,
    progress: Progress = _no_progress,
    render: bool = True,
) -> RunResult:
    """Run ``suite`` and write its run folder (``reports/<name>-<timestamp>`` unless ``out_dir``)."""
    corpus = _load(suite)
    documents = {d.id: d for d in corpus.documents}
    configs = [_with_seed(c, suite.seed, suite.base_dir) for c in suite.summarizers]
    instances = [build(c.use, c.params, suite.base_dir) for c in configs]
    for config, instance in zip(configs, instances):
        prepare = getattr(instance, "prepare", None)
        if callable(prepare):
            try:
                prepare(corpus.documents)
            except ValueError as exc:
                raise RunError(f"summarizer {config.label!r} refused the corpus: {exc}") from exc
    cache = SummaryCache(cache_path or default_cache_path()) if use_cache else None
    try:
        systems = tuple(
            _summarize_system(config, instance, corpus.documents, cache, progress)
            for config, instance in zip(configs, instances)
        )
    finally:
        if cache is not None:
            cache.close()

    scorer = rouge_scorer(suite.scoring)
    all_summaries = [s for system in systems for s in system.summaries]
    tick = progress("scoring", 1)
    rows, score_failures = score_summaries(documents, all_summaries, scorer)
    tick(1)
    failures = (*corpus.skipped, *(f for s in systems for f in s.failures), *score_failures)

    labels = [s.label for s in systems]
    doc_ids = [d.id for d in corpus.documents]
    metrics = metric_columns(suite.scoring.rouge_types)
    matrices = score_matrices(rows, labels, doc_ids, metrics)
    aggregates = aggregate(
        matrices, labels,
        n_samples=suite.scoring.bootstrap_samples, confidence=suite.scoring.confidence, seed=suite.seed,
    )
    f_metrics = [c for c in rouge_columns(suite.scoring.rouge_types) if c.endswith("_f")]
    tests = significance(
        matrices, labels, f_metrics,
        n_samples=suite.scoring.bootstrap_samples, confidence=suite.scoring.confidence, seed=suite.seed,
    )

    run_dir = Path(out_dir) if out_dir else _default_run_dir(suite)
    result = RunResult(run_dir, corpus, systems, tuple(rows), tuple(aggregates), tuple(failures))
    write_run_folder(result, suite, scorer, metrics, tests, _warnings(suite, corpus, scorer, systems))
    if render:
        from sumbench.reports import render_report

        render_report(run_dir)
    return result


def _load(suite: SuiteConfig) -> Corpus:
    c = suite.corpus
    fields = FieldMap(c.id_field, c.text_field, tuple(c.reference_fields), c.title_field)
    return load_corpus(
        c.source, fields=fields, limit=c.limit, base_dir=suite.base_dir,
        hf_config=c.config, hf_split=c.split, on_bad_document=c.on_bad_document,
    )


def _with_seed(config: SummarizerConfig, seed: int, base_dir: Path) -> SummarizerConfig:
    """Give the suite's seed to summarizers that take a ``seed`` and were not given one."""
    from sumbench.summarizers.registry import resolve

    if "seed" in parameters(resolve(config.use, base_dir)) and "seed" not in config.params:
        return replace(config, params={**config.params, "seed": seed})
    return config


def _summarize_system(
    config: SummarizerConfig,
    instance: Any,
    docs: Sequence[Document],
    cache: SummaryCache | None,
    progress: Progress,
) -> SystemRun:
    params = get_params(instance)
    fingerprint = getattr(instance, "fingerprint", None)
    key = summarizer_key(config.use, params, version_of(instance), fingerprint() if callable(fingerprint) else "")
    cacheable = cache is not None and getattr(instance, "cacheable", True)
    cached = cache.get_many(key, (d.text_hash for d in docs)) if cacheable else {}
    todo = [d for d in docs if d.text_hash not in cached]
    tick = progress(f"summarizing with {config.label}", len(docs))
    tick(len(docs) - len(todo))
    started = time.perf_counter()
    made, failures = _summarize_documents(instance, config.label, todo, tick)
    seconds = time.perf_counter() - started
    if cacheable and made:
        by_id = {d.id: d for d in todo}
        cache.put_many(key, [(by_id[doc_id].text_hash, text) for doc_id, text in made.items()])
    summaries = []
    for doc in docs:
        if doc.text_hash in cached:
            summaries.append(Summary(doc.id, config.label, cached[doc.text_hash], cached=True))
        elif doc.id in made:
            summaries.append(Summary(doc.id, config.label, made[doc.id]))
    return SystemRun(
        label=config.label, use=config.use, params=params, version=version_of(instance), cache_key=key,
        summaries=tuple(summaries), failures=tuple(failures),
        cache_hits=len(docs) - len(todo), seconds=seconds,
    )


def _summarize_documents(
    instance: Any, label: str, docs: Sequence[Document], tick: Callable[[int], None]
) -> tuple[dict[str, str], list[Failure]]:
    """Summaries by document id; a document whose summarizer raises becomes a recorded failure."""
    made: dict[str, str] = {}
    failures: list[Failure] = []
    batch = getattr(instance, "summarize_batch", None)
    if callable(batch) and docs:
        try:
            outputs = list(batch(list(docs)))
            if len(outputs) == len(docs) and all(isinstance(o, str) for o in outputs):
                made.update((d.id, o) for d, o in zip(docs, outputs))
                tick(len(docs))
                return made, failures
        except Exception:  # noqa: BLE001 - retried one by one below so the failing document is named
            pass
    for doc in docs:
        try:
            text = instance.summarize(doc)
            if not isinstance(text, str):
                raise TypeError(f"summarize() returned {type(text).__name__}, not str")
            made[doc.id] = text
        except Exception as exc:  # noqa: BLE001 - one failing document never stops the run
            last = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            where = f" ({Path(last.filename).name}:{last.lineno})" if last else ""
            failures.append(Failure(doc.id, label, "summarize", f"{type(exc).__name__}: {exc}{where}"))
        tick(1)
    return made, failures


def _default_run_dir(suite: SuiteConfig) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path("reports") / f"{suite.name}-{stamp}"
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def _warnings(suite: SuiteConfig, corpus: Corpus, scorer: Any, systems: Sequence[SystemRun]) -> list[str]:
    warnings: list[str] = []
    if "rougeLsum" in suite.scoring.rouge_types and suite.scoring.lsum_split == "newline":
        from sumbench.scoring.rouge import lsum_newline_warning

        refs = sum(lsum_newline_warning(r) for d in corpus.documents for r in d.references)
        outs = sum(lsum_newline_warning(s.text) for system in systems for s in system.summaries)
        if refs or outs:
            warnings.append(
                f"ROUGE-Lsum with lsum_split='newline': {refs} references and {outs} summaries hold several "
                "sentences on one line, so Lsum treats each as one sentence (set lsum_split = \"splitter\")"
            )
    if corpus.skipped:
        warnings.append(f"{len(corpus.skipped)} corpus records skipped (on_bad_document = 'skip')")
    return warnings


def package_versions() -> dict[str, str]:
    """Python, platform, sumbench and the key packages that shape the numbers (if installed)."""
    versions = {"python": sys.version.split()[0], "platform": platform.platform(), "sumbench": __version__}
    for name in KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _json_value(value: float) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def write_run_folder(
    result: RunResult,
    suite: SuiteConfig,
    scorer: Any,
    metrics: Sequence[str],
    tests: Sequence[dict[str, Any]],
    warnings: Sequence[str],
) -> None:
    """Write every file of the run folder contract except the rendered reports."""
    run_dir = result.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    corpus = result.corpus
    manifest = {
        "suite_name": suite.name,
        "suite": suite.to_dict(),
        "suite_path": str(suite.path) if suite.path else None,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seed": suite.seed,
        "baseline": suite.baseline,
        "versions": package_versions(),
        "corpus": {
            "name": corpus.name,
            "source": corpus.source,
            "fingerprint": corpus.fingerprint,
            "documents": len(corpus.documents),
            "references_per_document": corpus.references_per_document,
        },
        "rouge_signature": scorer.signature(),
        "systems": [
            {"label": s.label, "use": s.use, "params": s.params, "version": s.version,
             "cache_key": s.cache_key, "seconds": round(s.seconds, 3), "cache_hits": s.cache_hits}
            for s in result.systems
        ],
        "metrics": list(metrics),
        "confidence": suite.scoring.confidence,
        "bootstrap_samples": suite.scoring.bootstrap_samples,
        "cache": {"hits": result.cache_hits, "misses": result.cache_misses},
        "warnings": list(warnings),
        "failures": len(result.failures),
    }
    _write_json(run_dir / "manifest.json", manifest)
    _write_jsonl(
        run_dir / "documents.jsonl",
        ({"id": d.id, "title": d.title, "text": d.text, "references": list(d.references)} for d in corpus.documents),
    )
    _write_jsonl(
        run_dir / "summaries.jsonl",
        ({"doc_id": s.doc_id, "system": s.system, "summary": s.text, "cached": s.cached}
         for system in result.systems for s in system.summaries),
    )
    with open(run_dir / "scores.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["doc_id", "system", *metrics])
        for row in result.scores:
            writer.writerow([row.doc_id, row.system, *(_csv_value(row.values.get(m)) for m in metrics)])
    _write_json(
        run_dir / "aggregates.json",
        [{"system": a.system, "metric": a.metric, "mean": _json_value(a.mean), "ci_low": _json_value(a.ci_low),
          "ci_high": _json_value(a.ci_high), "n": a.n} for a in result.aggregates],
    )
    _write_json(run_dir / "significance.json", list(tests))
    _write_jsonl(
        run_dir / "failures.jsonl",
        ({"doc_id": f.doc_id, "system": f.system, "stage": f.stage, "error": f.error} for f in result.failures),
    )


def _csv_value(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(float(value))


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def _write_jsonl(path: Path, rows: Any) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
