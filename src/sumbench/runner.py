"""Run a suite, top to bottom: resolve -> load corpus -> summarize (through the cache) -> score ->
aggregate -> write the run folder.

The run folder is the contract that reports and other tools read; its files are defined once, in
:mod:`sumbench.runfolder`, and the runner writes only through that model.
"""

from __future__ import annotations

import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from sumbench import __version__
from sumbench.cache import SummaryCache, default_cache_path
from sumbench.corpora import FieldMap, load_corpus
from sumbench.errors import RunError
from sumbench.records import Aggregate, Corpus, Document, DocumentScores, Failure, Summary
from sumbench.runfolder import (
    CacheCounts,
    CorpusInfo,
    DocumentEntry,
    Manifest,
    SystemEntry,
    write_run,
)
from sumbench.scoring.aggregate import aggregate, score_matrices, significance, significance_samples
from sumbench.scoring.metrics import rouge_columns, score_summaries
from sumbench.scoring.rouge import lsum_newline_warning
from sumbench.suite import ConfiguredSummarizer, ResolvedSuite, SuiteConfig, resolve_suite
from sumbench.text import TEXT_PIPELINE_VERSION

__all__ = ["RunError", "RunResult", "SystemRun", "load_suite_corpus", "package_versions", "run_suite"]

KEY_PACKAGES = ("numpy", "scikit-learn", "nltk", "matplotlib", "jinja2", "rouge-score", "torch", "transformers")


@dataclass(frozen=True)
class SystemRun:
    """One configured summarizer of a run and what happened to it."""

    summarizer: ConfiguredSummarizer
    summaries: tuple[Summary, ...]
    failures: tuple[Failure, ...]
    cache_hits: int
    seconds: float
    warnings: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.summarizer.label

    def entry(self) -> SystemEntry:
        s = self.summarizer
        return SystemEntry(s.label, s.use, s.params, s.version, s.cache_key, self.seconds, self.cache_hits)


@dataclass(frozen=True)
class RunResult:
    run_dir: Path
    manifest: Manifest
    corpus: Corpus
    systems: tuple[SystemRun, ...]
    scores: tuple[DocumentScores, ...]
    aggregates: tuple[Aggregate, ...]
    failures: tuple[Failure, ...]

    @property
    def cache_hits(self) -> int:
        return self.manifest.cache.hits

    @property
    def cache_misses(self) -> int:
        return self.manifest.cache.misses


Progress = Callable[[str, int], Callable[[int], None]]


def _no_progress(description: str, total: int) -> Callable[[int], None]:
    return lambda advance: None


def run_suite(
    suite: SuiteConfig | ResolvedSuite,
    *,
    out_dir: Path | None = None,
    cache_path: Path | None = None,
    use_cache: bool = True,
    progress: Progress = _no_progress,
    render: bool = True,
) -> RunResult:
    """Run ``suite`` and write its run folder (``reports/<name>-<timestamp>`` unless ``out_dir``)."""
    resolved = suite if isinstance(suite, ResolvedSuite) else resolve_suite(suite)
    config = resolved.config
    corpus = load_suite_corpus(config)
    for summarizer in resolved.summarizers:
        try:
            summarizer.plugin.prepare(corpus.documents)
        except ValueError as exc:
            raise RunError(f"summarizer {summarizer.label!r} refused the corpus: {exc}") from exc
    cache = SummaryCache(cache_path or default_cache_path()) if use_cache else None
    try:
        systems = tuple(_summarize_system(s, corpus.documents, cache, progress) for s in resolved.summarizers)
    finally:
        if cache is not None:
            cache.close()

    tick = progress("scoring", 1)
    documents = {d.id: d for d in corpus.documents}
    rows, score_failures = score_summaries(
        documents, [s for system in systems for s in system.summaries], resolved.scorer
    )
    tick(1)
    failures = (*corpus.skipped, *(f for s in systems for f in s.failures), *score_failures)

    scoring = config.scoring
    labels = [s.label for s in systems]
    matrices = score_matrices(rows, labels, [d.id for d in corpus.documents], resolved.metrics)
    aggregates = aggregate(
        matrices, labels, n_samples=scoring.bootstrap_samples, confidence=scoring.confidence, seed=config.seed
    )
    samples = significance_samples(len(labels), scoring.confidence, scoring.bootstrap_samples)
    f_metrics = [c for c in rouge_columns(scoring.rouge_types) if c.endswith("_f")]
    tests = significance(
        matrices, labels, f_metrics, n_samples=samples, confidence=scoring.confidence, seed=config.seed
    )

    hits = sum(s.cache_hits for s in systems)
    manifest = Manifest(
        suite_name=config.name,
        suite=config.to_dict(),
        suite_path=str(config.path) if config.path else None,
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        seed=config.seed,
        versions=package_versions(),
        corpus=CorpusInfo(
            corpus.name, corpus.source, corpus.fingerprint, len(corpus.documents), corpus.references_per_document
        ),
        rouge_signature=resolved.scorer.signature(),
        systems=tuple(s.entry() for s in systems),
        metrics=resolved.metrics,
        primary_metric=resolved.primary_metric,
        confidence=scoring.confidence,
        bootstrap_samples=scoring.bootstrap_samples,
        significance_samples=samples if len(labels) > 1 else scoring.bootstrap_samples,
        baseline=config.baseline,
        text_pipeline=TEXT_PIPELINE_VERSION,
        cache=CacheCounts(hits, len(corpus.documents) * len(systems) - hits),
        warnings=tuple(_warnings(config, corpus, systems)),
        failures=len(failures),
    )
    run_dir = Path(out_dir) if out_dir else _default_run_dir(config)
    write_run(
        run_dir,
        manifest,
        documents=(DocumentEntry(d.id, d.text, d.references, d.title) for d in corpus.documents),
        summaries=(s for system in systems for s in system.summaries),
        scores=rows,
        aggregates=aggregates,
        comparisons=tests,
        failures=failures,
    )
    if render:
        from sumbench.reports import render_report

        render_report(run_dir)
    return RunResult(run_dir, manifest, corpus, systems, tuple(rows), tuple(aggregates), tuple(failures))


def load_suite_corpus(suite: SuiteConfig) -> Corpus:
    """The corpus a suite's ``[corpus]`` table names."""
    c = suite.corpus
    fields = FieldMap(c.id_field, c.text_field, tuple(c.reference_fields), c.title_field)
    return load_corpus(
        c.source,
        fields=fields,
        limit=c.limit,
        base_dir=suite.base_dir,
        hf_config=c.config,
        hf_split=c.split,
        on_bad_document=c.on_bad_document,
    )


def _summarize_system(
    summarizer: ConfiguredSummarizer,
    docs: Sequence[Document],
    cache: SummaryCache | None,
    progress: Progress,
) -> SystemRun:
    plugin, label = summarizer.plugin, summarizer.label
    cacheable = cache is not None and plugin.cacheable
    key = summarizer.cache_key
    cached = cache.get_many(key, (d.text_hash for d in docs)) if cache is not None and cacheable else {}
    todo = [d for d in docs if d.text_hash not in cached]
    tick = progress(f"summarizing with {label}", len(docs))
    tick(len(docs) - len(todo))
    started = time.perf_counter()
    outcome = plugin.summarize_documents(todo, label, tick)
    seconds = time.perf_counter() - started
    if cache is not None and cacheable and outcome.summaries:
        by_id = {d.id: d for d in todo}
        cache.put_many(key, [(by_id[doc_id].text_hash, text) for doc_id, text in outcome.summaries.items()])
    summaries = []
    for doc in docs:
        if doc.text_hash in cached:
            summaries.append(Summary(doc.id, label, cached[doc.text_hash], cached=True))
        elif doc.id in outcome.summaries:
            summaries.append(Summary(doc.id, label, outcome.summaries[doc.id]))
    return SystemRun(summarizer, tuple(summaries), outcome.failures, len(docs) - len(todo), seconds, outcome.warnings)


def _default_run_dir(suite: SuiteConfig) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path("reports") / f"{suite.name}-{stamp}"
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def _warnings(suite: SuiteConfig, corpus: Corpus, systems: Sequence[SystemRun]) -> list[str]:
    warnings = [w for system in systems for w in system.warnings]
    if "rougeLsum" in suite.scoring.rouge_types and suite.scoring.lsum_split == "newline":
        refs = sum(lsum_newline_warning(r) for d in corpus.documents for r in d.references)
        outs = sum(lsum_newline_warning(s.text) for system in systems for s in system.summaries)
        if refs or outs:
            warnings.append(
                f"ROUGE-Lsum with lsum_split='newline': {refs} references and {outs} summaries hold several "
                'sentences on one line, so Lsum treats each as one sentence (set lsum_split = "splitter")'
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
