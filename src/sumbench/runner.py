"""Run a suite, top to bottom: resolve -> stream the corpus in chunks -> summarize each chunk
(through the cache) -> score it -> append it to the run folder -> aggregate -> report.

Memory is set by the chunk size, not the corpus: documents are read lazily, each chunk's summaries are
committed to the cache as soon as the chunk is done (kill -9 loses at most the chunks in flight; the
same command resumes from the cache), rows are appended to the run folder, and the statistics work on
compact per-document score arrays. The run folder's files are defined once, in
:mod:`sumbench.runfolder`; the runner writes only through that model.
"""

from __future__ import annotations

import contextlib
import math
import platform
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np

from sumbench import __version__
from sumbench.cache import SummaryCache, default_cache_path
from sumbench.corpora import CorpusStream, FieldMap, open_corpus
from sumbench.errors import RunError, SumbenchError
from sumbench.executors import Executor, Prefilling, ScoreTask, SummarizeTask, make_executor, split
from sumbench.languages import TokenizerCoverage, language_tokenizer
from sumbench.records import Aggregate, Document, DocumentScores, Failure, Summary
from sumbench.runfolder import (
    CacheCounts,
    CorpusInfo,
    DocumentEntry,
    Manifest,
    RunFolderWriter,
    SystemEntry,
)
from sumbench.scoring.aggregate import aggregate, significance, significance_samples
from sumbench.scoring.metrics import Rouge, rouge_columns
from sumbench.scoring.quality import QualityCounter, SystemQuality
from sumbench.scoring.rouge import lsum_newline_warning
from sumbench.suite import SAMPLE_SD, ConfiguredSummarizer, ResolvedSuite, SuiteConfig, resolve_suite
from sumbench.text import TEXT_PIPELINE_VERSION

__all__ = [
    "RunError",
    "RunInterrupted",
    "RunResult",
    "SystemRun",
    "package_versions",
    "run_suite",
    "suite_corpus",
]

KEY_PACKAGES = ("numpy", "scikit-learn", "nltk", "matplotlib", "jinja2", "rouge-score", "torch", "transformers")


class RunInterrupted(SumbenchError):
    """Ctrl-C or SIGTERM: finished chunks are in the cache, and the same command resumes from them."""

    def __init__(self, made: int, documents: int):
        self.made = made
        self.documents = documents
        super().__init__(
            f"interrupted after {documents} documents: {made} new summaries are in the cache; "
            "run the same command again to resume from them"
        )


#: How the warnings name each kind of junk summary (sumbench.scoring.quality.JUNK_KINDS).
JUNK_WORDS = {"empty": "empty", "whitespace": "whitespace-only", "punctuation": "punctuation-only"}


@dataclass
class SystemRun:
    """What happened to one configured summarizer in a run (counts, not the summaries)."""

    summarizer: ConfiguredSummarizer
    summaries: int = 0
    failures: int = 0
    cache_hits: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    quality: SystemQuality = field(default_factory=SystemQuality)

    @property
    def label(self) -> str:
        return self.summarizer.label

    def entry(self) -> SystemEntry:
        s, q = self.summarizer, self.quality
        return SystemEntry(
            s.label,
            s.use,
            s.params,
            s.version,
            s.cache_key,
            self.seconds,
            self.cache_hits,
            s.role,
            q.counts,
            q.constant,
            q.examples,
            q.answers,
        )

    def quality_warnings(self) -> list[str]:
        """The manifest warnings about this system's junk summaries, in plain words."""
        q, out = self.quality, []
        if q.junk:
            kinds = ", ".join(f"{n} {JUNK_WORDS[k]}" for k, n in q.counts.items())
            out.append(
                f"{self.label}: {q.junk} of {q.summaries} summaries are junk ({kinds}; e.g. document "
                f"{', '.join(q.examples)}); they are scored as given (ROUGE 0)"
            )
        if q.constant:
            out.append(f"{self.label}: the same summary for all {q.summaries} documents")
        return out


@dataclass(frozen=True)
class RunResult:
    run_dir: Path
    manifest: Manifest
    systems: tuple[SystemRun, ...]
    aggregates: tuple[Aggregate, ...]
    failures: tuple[Failure, ...]
    documents: int

    @property
    def cache_hits(self) -> int:
        return self.manifest.cache.hits

    @property
    def cache_misses(self) -> int:
        return self.manifest.cache.misses

    def failed_systems(self, max_failure_rate: float | None = None) -> list[str]:
        """Systems that failed on every document, or on more than ``max_failure_rate`` of them."""
        out = []
        for s in self.systems:
            rate = s.failures / self.documents if self.documents else 0.0
            if (self.documents and s.failures >= self.documents) or (
                max_failure_rate is not None and rate > max_failure_rate
            ):
                out.append(s.label)
        return out


Progress = Callable[[str, "int | None"], Callable[[int], None]]


def _no_progress(description: str, total: int | None) -> Callable[[int], None]:
    return lambda advance: None


def run_suite(
    suite: SuiteConfig | ResolvedSuite,
    *,
    out_dir: Path | None = None,
    cache_path: Path | None = None,
    use_cache: bool = True,
    progress: Progress = _no_progress,
    render: bool = True,
    force: bool = False,
) -> RunResult:
    """Run ``suite`` and write its run folder (``reports/<name>-<timestamp>`` unless ``out_dir``).

    ``out_dir`` must not exist yet (or be empty) unless ``force``, which replaces an earlier run
    folder (never a folder that is not one). Ctrl-C or SIGTERM raise :class:`RunInterrupted` after
    the workers are stopped and the partial files removed; every finished chunk stays cached.
    """
    resolved = suite if isinstance(suite, ResolvedSuite) else resolve_suite(suite)
    config = resolved.config
    run_dir = Path(out_dir) if out_dir else _default_run_dir(config)
    executor = make_executor(resolved)  # before the folder: an executor that cannot start leaves nothing
    try:
        created = _claim(run_dir, force)
    except BaseException:
        executor.close()
        raise
    systems = tuple(SystemRun(s) for s in resolved.summarizers)
    labels = [s.label for s in systems]
    writer = RunFolderWriter(run_dir, labels, resolved.metrics)
    # without the user's cache, a cache private to this run carries summaries from summarizing to scoring
    cache = SummaryCache((cache_path or default_cache_path()) if use_cache else run_dir / ".cache.sqlite")
    stream = suite_corpus(config)
    state = _RunState(resolved, systems, writer, cache, executor, progress, private_cache=not use_cache)
    previous = signal.signal(signal.SIGTERM, _terminate) if _main_thread() else None
    finished = False
    try:
        if isinstance(executor, Prefilling):
            for system in systems:
                summarizer = system.summarizer
                if summarizer.plugin.cacheable:
                    bar = progress(f"summarizing with {summarizer.label} on Ray", _expected(config))
                    started = time.perf_counter()
                    with suite_corpus(config) as documents:
                        made = executor.prefill(summarizer, documents, cache, _label_free(bar))
                    system.seconds += time.perf_counter() - started
                    state.prefilled[summarizer.label] = frozenset(made)
                    state.made += len(made)
        for chunk in _chunks(stream, config.run.chunk_size):
            state.process(chunk)
        finished = True
    except KeyboardInterrupt:
        raise RunInterrupted(state.made, state.documents) from None
    finally:
        stream.close()
        executor.close()
        cache.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if not use_cache:
            _remove_sqlite(run_dir / ".cache.sqlite")
        if not finished:
            writer.abort()
            if created:
                with contextlib.suppress(OSError):
                    run_dir.rmdir()  # only when empty

    failures = (*stream.skipped, *state.failures)
    aggregates, comparisons, samples = state.statistics()
    hits = sum(s.cache_hits for s in systems)
    warnings = tuple(state.warnings(stream))  # also records each system's junk counts for its entry
    manifest = Manifest(
        suite_name=config.name,
        suite=config.to_dict(),
        suite_path=str(config.path) if config.path else None,
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        seed=config.seed,
        versions=package_versions(),
        corpus=CorpusInfo(
            stream.name, stream.source, stream.fingerprint, stream.documents_seen, stream.references_per_document
        ),
        rouge_signature=resolved.signature,
        metric_signatures=resolved.metric_signatures,
        lower_is_better=resolved.lower_is_better,
        languages=state.language_signatures(),
        systems=tuple(s.entry() for s in systems),
        metrics=resolved.metrics,
        primary_metric=resolved.primary_metric,
        confidence=config.scoring.confidence,
        bootstrap_samples=config.scoring.bootstrap_samples,
        significance_samples=samples,
        baseline=resolved.baseline,
        text_pipeline=TEXT_PIPELINE_VERSION,
        cache=CacheCounts(hits, state.documents * len(systems) - hits),
        warnings=warnings,
        failures=len(failures),
        empty_references=stream.empty_references,
        common_documents=state.common_count,
    )
    writer.add_failures(failures)
    writer.finish(manifest, aggregates, comparisons)
    if config.meta_eval is not None:  # correlations with the human judgments of these summaries
        from sumbench.metaeval import meta_evaluate_folder

        meta_evaluate_folder(run_dir, config.meta_eval, seed=config.seed)
    if render:
        from sumbench.reports import render_report

        render_report(run_dir)
    return RunResult(run_dir, manifest, systems, tuple(aggregates), tuple(failures), state.documents)


class _RunState:
    """The run's running totals: per-system counts, compact score arrays, failures, warnings."""

    def __init__(
        self,
        suite: ResolvedSuite,
        systems: Sequence[SystemRun],
        writer: RunFolderWriter,
        cache: SummaryCache,
        executor: Executor,
        progress: Progress,
        *,
        private_cache: bool = False,
    ):
        self.suite, self.systems, self.writer, self.cache, self.executor = suite, systems, writer, cache, executor
        self.jobs = suite.config.run.jobs
        limit = _expected(suite.config)
        self.ticks = {s.label: progress(f"summarizing with {s.label}", limit) for s in systems}
        self.score_tick = progress("scoring", limit)
        self.documents = 0
        self.made = 0
        self.columns: list[list[np.ndarray]] = [[] for _ in systems]  # per system: [chunk, metric] blocks
        # what summarizes: each system, then each of its extra samples (samples > 1), with its system's index
        self.units: list[tuple[int, ConfiguredSummarizer]] = [
            (k, u) for k, s in enumerate(systems) for u in (s.summarizer, *suite.samples.get(s.label, ()))
        ]
        self.failures: list[Failure] = []
        self.quality = QualityCounter()
        self.lsum_refs = 0
        self.lsum_outs = 0
        # per document language: the letters ROUGE's tokenizer drops from references and articles
        self.coverage: dict[str, TokenizerCoverage] = {}
        # per label: text hashes a Prefilling executor summarized in this run (in the cache, not cache hits)
        self.prefilled: dict[str, frozenset[str]] = {}
        # a cache private to this run (--no-cache) holds only this run's summaries: what it serves is a
        # repeated article summarized earlier in the run, not a cache hit
        self.private_cache = private_cache

    def process(self, chunk: Sequence[Document]) -> None:
        self.writer.add_documents(
            DocumentEntry(d.id, d.text, d.references, d.title, d.group, d.language) for d in chunk
        )
        unit_summaries = self._summarize(chunk)
        everything = [s for ss in unit_summaries for s in ss]
        tasks = [ScoreTask(tuple(chunk), part) for part in split(everything, self.jobs)]
        rows: list[DocumentScores] = []
        for task_rows, task_failures in self.executor.score(tasks):
            rows.extend(task_rows)
            self.failures.extend(self._as_system(f) for f in task_failures)
        self.score_tick(len(chunk))
        by_unit: dict[str, dict[str, DocumentScores]] = {u.label: {} for _, u in self.units}
        for row in rows:
            by_unit[row.system][row.doc_id] = row
        per_system: list[list[Summary]] = [[] for _ in self.systems]
        for (k, unit), summaries in zip(self.units, unit_summaries):
            per_system[k].extend(
                s if unit.sample == 0 else replace(s, system=self.systems[k].label, sample=unit.sample)
                for s in summaries
            )
        for k, system in enumerate(self.systems):
            summaries = per_system[k]
            self.writer.add_summaries(system.label, summaries)
            self.quality.add(system.label, [s for s in summaries if s.sample == 0])
            scored = self._system_rows(k, by_unit, chunk)
            self.writer.add_scores(system.label, (scored[d.id] for d in chunk if d.id in scored))
            block = np.full((len(chunk), len(self.suite.metrics)), np.nan)
            for j, doc in enumerate(chunk):
                found = scored.get(doc.id)
                if found is not None:
                    block[j] = [found.values.get(m, np.nan) for m in self.suite.metrics]
            self.columns[k].append(block)
        self.documents += len(chunk)
        self._count_coverage(chunk)
        self._count_lsum(chunk, [ss for (_, u), ss in zip(self.units, unit_summaries) if u.sample == 0])

    def _system_rows(
        self, k: int, by_unit: dict[str, dict[str, DocumentScores]], chunk: Sequence[Document]
    ) -> dict[str, DocumentScores]:
        """System ``k``'s score row per document: its one summary's, or with samples the mean of each
        column over the samples scored, plus ``sample_sd`` (the primary metric's spread between them)."""
        label = self.systems[k].label
        units = [u.label for i, u in self.units if i == k]
        if len(units) == 1:
            return by_unit[label]
        primary = self.suite.primary_metric
        out: dict[str, DocumentScores] = {}
        for doc in chunk:
            found = [by_unit[u][doc.id] for u in units if doc.id in by_unit[u]]
            if not found:
                continue
            values: dict[str, float] = {}
            for metric in self.suite.metrics:
                column = np.array([r.values.get(metric, np.nan) for r in found], dtype=float)
                finite = column[np.isfinite(column)]
                values[metric] = float(finite.mean()) if finite.size else math.nan
            spread = np.array([r.values.get(primary, np.nan) for r in found], dtype=float)
            spread = spread[np.isfinite(spread)]
            values[SAMPLE_SD] = float(spread.std(ddof=1)) if spread.size > 1 else math.nan
            out[doc.id] = DocumentScores(doc.id, label, values)
        return out

    def _as_system(self, failure: Failure) -> Failure:
        """A failure of a sample, recorded under its system's label (the error says which sample)."""
        for k, unit in self.units:
            if unit.sample and failure.system == unit.label:
                label = self.systems[k].label
                return replace(failure, system=label, error=f"sample {unit.sample}: {failure.error}")
        return failure

    def _summarize(self, chunk: Sequence[Document]) -> list[list[Summary]]:
        """Every unit's summaries of ``chunk`` (a unit is a system, or one of its extra samples; cached
        ones read, the rest made: all units' tasks go to the executor at once, so workers stay busy),
        committed to the cache before returning. Summaries carry the unit's label."""
        cached: list[dict[str, str]] = []
        cached_meta: list[dict[str, dict[str, Any]]] = []
        tasks: list[SummarizeTask] = []
        owners: list[int] = []
        for u, (_k, summarizer) in enumerate(self.units):
            plugin, label = summarizer.plugin, summarizer.label
            try:
                plugin.prepare(chunk)
            except ValueError as exc:
                raise RunError(f"summarizer {label!r} refused the corpus: {exc}") from exc
            hashes = (d.cache_hash for d in chunk)
            entries = self.cache.get_entries(summarizer.cache_key, hashes) if plugin.cacheable else {}
            cached.append({h: text for h, (text, _) in entries.items()})
            cached_meta.append({h: meta for h, (_, meta) in entries.items()})
            todo = [d for d in chunk if d.cache_hash not in cached[u]]
            if summarizer.sample == 0:
                self.ticks[label](len(chunk) - len(todo))
            for part in split(todo, self.jobs):
                tasks.append(SummarizeTask(label, part, summarizer.timeout_s))
                owners.append(u)
        made: list[dict[str, str]] = [{} for _ in self.units]
        made_meta: list[dict[str, dict[str, Any]]] = [{} for _ in self.units]
        for u, outcome in zip(owners, self.executor.summarize(tasks, self._tick)):
            system = self.systems[self.units[u][0]]
            made[u].update(outcome.summaries)
            made_meta[u].update(outcome.meta)
            failures = [self._as_system(f) for f in outcome.failures]
            self.failures.extend(failures)
            system.failures += len(failures)
            system.warnings.extend(outcome.warnings)
            system.seconds += outcome.seconds
        by_id = {d.id: d for d in chunk}
        out: list[list[Summary]] = []
        for u, (k, summarizer) in enumerate(self.units):
            system, label = self.systems[k], summarizer.label
            if made[u]:
                rows = [(by_id[i].cache_hash, text, made_meta[u].get(i)) for i, text in made[u].items()]
                self.cache.put_many(summarizer.cache_key, rows)
                self.made += len(made[u])
            fresh = self.prefilled.get(label, frozenset())
            hits: set[str] = set()
            if not self.private_cache:
                hits = {d.cache_hash for d in chunk if d.cache_hash in cached[u] and d.cache_hash not in fresh}
            summaries = []
            for doc in chunk:
                if doc.cache_hash in cached[u]:
                    summaries.append(
                        Summary(
                            doc.id,
                            label,
                            cached[u][doc.cache_hash],
                            cached=doc.cache_hash in hits,
                            meta=cached_meta[u].get(doc.cache_hash, {}),
                        )
                    )
                elif doc.id in made[u]:
                    summaries.append(Summary(doc.id, label, made[u][doc.id], meta=made_meta[u].get(doc.id, {})))
            if summarizer.sample == 0:
                system.cache_hits += sum(1 for d in chunk if d.cache_hash in hits)
                system.summaries += len(summaries)
            out.append(summaries)
        return out

    def _tick(self, label: str, n: int) -> None:
        """Progress of a unit: a system's own summaries move its bar; its extra samples do not."""
        if label in self.ticks:
            self.ticks[label](n)

    def _count_coverage(self, chunk: Sequence[Document]) -> None:
        """Count, per document language, the letters the ROUGE tokenizer in use drops (no silent zeros)."""
        scoring = self.suite.config.scoring
        for doc in chunk:
            language = scoring.language or doc.language
            coverage = self.coverage.get(language)
            if coverage is None:
                if language == "en" and scoring.tokenizer in (None, "rouge-score"):
                    tokenizer = language_tokenizer("en", "rouge-score")
                else:
                    tokenizer = language_tokenizer(language, scoring.tokenizer)
                coverage = self.coverage[language] = TokenizerCoverage(tokenizer, language)
            for text in (doc.text, *doc.references):
                coverage.add(text, label=doc.id)

    def language_signatures(self) -> dict[str, str]:
        """Each document language of the run with the ROUGE settings its documents were scored with."""
        rouge = self.suite.scoring_metrics[0]
        if not isinstance(rouge, Rouge):  # pragma: no cover - the first metric is always sumbench's Rouge
            return {}
        out: dict[str, str] = {}
        for language in sorted(self.coverage):
            try:
                out[language] = rouge.scorer_for(language).signature()
            except ValueError as exc:  # compat perl and another language: every such document failed
                out[language] = f"not scored: {exc}"
        return out

    def _count_lsum(self, chunk: Sequence[Document], summaries: Sequence[Sequence[Summary]]) -> None:
        scoring = self.suite.config.scoring
        if {"rougeLsum", "rougeWsum"} & set(scoring.rouge_types) and scoring.lsum_split == "newline":
            self.lsum_refs += sum(lsum_newline_warning(r) for d in chunk for r in d.references)
            self.lsum_outs += sum(lsum_newline_warning(s.text) for ss in summaries for s in ss)

    def statistics(self) -> tuple[list[Aggregate], list[Any], int]:
        """Aggregates, pairwise tests and the resamples they used, all on the common set: the documents
        scored for every system with at least one scored document (a failed document is NaN in every
        metric of its block). Sets ``self.common_count``, the size of that set, for the manifest."""
        scoring, seed = self.suite.config.scoring, self.suite.config.seed
        labels = [s.label for s in self.systems]
        metrics = self.suite.metrics
        blocks = [np.concatenate(c) if c else np.empty((0, len(metrics))) for c in self.columns]
        matrices = {m: np.stack([b[:, k] for b in blocks]) for k, m in enumerate(metrics)}
        # scored: the system's block row is not all-NaN; common: scored for every system scored anywhere
        scored = np.array([~np.isnan(b).all(axis=1) for b in blocks]).reshape(len(blocks), -1)
        active = scored.any(axis=1)
        common: np.ndarray = np.asarray(scored[active].all(axis=0)) if active.any() else np.zeros(scored.shape[1], bool)
        self.common_count = int(common.sum())
        aggregates = aggregate(
            matrices,
            labels,
            n_samples=scoring.bootstrap_samples,
            confidence=scoring.confidence,
            seed=seed,
            common=common,
        )
        # enough for the pairs of one metric (each metric is its own Holm family)
        samples = significance_samples(len(labels), scoring.confidence, scoring.bootstrap_samples)
        f_metrics = [c for c in rouge_columns(scoring.rouge_types) if c.endswith("_f")]
        comparisons = significance(
            matrices, labels, f_metrics, n_samples=samples, confidence=scoring.confidence, seed=seed, common=common
        )
        return aggregates, comparisons, samples

    def warnings(self, stream: CorpusStream) -> list[str]:
        warnings = [w for system in self.systems for w in system.warnings]
        for system in self.systems:
            system.quality = self.quality.result(system.label)
            warnings.extend(system.quality_warnings())
        if stream.empty_references:
            warnings.append(
                f"{stream.empty_references} empty or punctuation-only references dropped (e.g. document "
                f"{', '.join(stream.empty_reference_documents)}); those documents are scored on their other references"
            )
        where = "[scoring]" if self.suite.config.scoring.language else "[corpus]"
        for language, coverage in sorted(self.coverage.items()):
            what = "of this corpus" if len(self.coverage) == 1 else f"of this corpus's {language!r} documents"
            line = coverage.warning(what=what, where=where)
            if line:
                warnings.append(line[0].upper() + line[1:])
        if self.lsum_refs or self.lsum_outs:
            warnings.append(
                f"ROUGE-Lsum/Wsum with lsum_split='newline': {self.lsum_refs} references and {self.lsum_outs} "
                "summaries hold several sentences on one line, so Lsum treats each as one sentence "
                '(set lsum_split = "splitter")'
            )
        if stream.skipped:
            warnings.append(f"{len(stream.skipped)} corpus records skipped (on_bad_document = 'skip')")
        return warnings


def _expected(config: SuiteConfig) -> int | None:
    """How many documents the run will read, when the suite bounds it (for progress bars)."""
    bounds = [n for n in (config.corpus.limit, config.corpus.sample) if n is not None]
    return min(bounds) if bounds else None


def suite_corpus(suite: SuiteConfig) -> CorpusStream:
    """The documents a suite's ``[corpus]`` table names, as a lazy stream."""
    c = suite.corpus
    fields = FieldMap(
        c.id_field,
        c.text_field,
        tuple(c.reference_fields),
        c.title_field,
        c.group_field,
        c.group_id_pattern,
        c.language,
        c.language_field,
    )
    return open_corpus(
        c.source,
        fields=fields,
        limit=c.limit,
        base_dir=suite.base_dir,
        hf_config=c.config,
        hf_split=c.split,
        on_bad_document=c.on_bad_document,
        streaming=c.streaming,
        sample=c.sample,
        seed=suite.seed,
    )


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for doc in documents:
        chunk.append(doc)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _label_free(bar: Callable[[int], None]) -> Callable[[str, int], None]:
    return lambda label, n: bar(n)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM stops a run as Ctrl-C does


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _claim(run_dir: Path, force: bool) -> bool:
    """Make ``run_dir`` ours; True when this run created it. An existing non-empty folder is refused,
    unless ``force`` and it is a sumbench run folder (it has a manifest.json), which is then replaced."""
    if run_dir.exists() and (not run_dir.is_dir() or any(run_dir.iterdir())):
        if not force:
            raise RunError(f"{run_dir} already exists; choose another --out, or pass --force to replace it")
        if not (run_dir / "manifest.json").is_file():
            raise RunError(f"{run_dir} is not a sumbench run folder (no manifest.json); refusing to replace it")
        shutil.rmtree(run_dir)
    created = not run_dir.exists()
    run_dir.mkdir(parents=True, exist_ok=True)
    return created


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _default_run_dir(suite: SuiteConfig) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path("reports") / f"{suite.name}-{stamp}"
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def package_versions() -> dict[str, str]:
    """Python, platform, sumbench and the key packages that shape the numbers (if installed)."""
    versions = {"python": sys.version.split()[0], "platform": platform.platform(), "sumbench": __version__}
    for name in KEY_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions
