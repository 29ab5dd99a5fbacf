"""``--executor ray`` (the ``ray`` extra): summarize a corpus through Ray Data.

:class:`RayExecutor` is a :class:`~sumbench.executors.Prefilling` executor. Before the runner's chunked
pass, :meth:`RayExecutor.prefill` streams the corpus, per summarizer, through a Ray Data ``map_batches``
with a pool of actors (each builds the summarizer once, exactly as :func:`~sumbench.suite.resolve_suite`
did here) and commits every batch that comes back to the summary cache at once. The chunked pass then
finds the summaries in the cache; it only summarizes, in this process (or in worker processes with
``--jobs`` or a timeout), what Ray could not make. Scoring is cheap and never goes to Ray.

How the work is cut, so a run reads the same as with ``local``:

- The corpus is read in slices of about :attr:`RayExecutor.rows_per_dataset` documents, whole runner
  chunks (``[run] chunk_size``) each. Every slice becomes one Ray dataset whose blocks are the runner's
  chunks, less the documents already cached; one block is one batch of the actor, so a summarizer's
  ``summarize_batch`` sees the same documents as in the chunked pass (``num_gpus`` needs an explicit
  ``batch_size``: the chunk size, and the actor still summarizes each chunk's documents apart). Every
  slice starts its own actor pool: models load once per actor and slice.
- A document that fails in the actor (its summarizer raised, or ``prepare`` refused it), and every
  document of a batch whose ``summarize_batch`` failed, is returned with an error marker and **not
  cached**: the chunked pass then summarizes it in this process and records the failure or the batch
  warning exactly as the ``local`` executor does.
- A batch whose actor dies (a document that kills its process, a lost node) is retried once on a
  new actor, then dropped: its documents are not cached, and the chunked pass summarizes them (in
  worker processes with ``--jobs``, which record a document that kills its process as a failure).
- Summarizers with a timeout (``timeout_s``) are left to the chunked pass, whose worker processes can
  enforce it; summarizers that are not cacheable are never prefilled (the runner skips them).

Ray is imported only when this executor is made (``sumbench.executors.make_executor`` imports this
module only for ``executor = "ray"``). It joins the Ray cluster this process already uses
(``ray.is_initialized()``), else the one ``RAY_ADDRESS`` names, else it starts a local one; it shuts
down only a cluster it started.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import json
import logging
import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sumbench import __version__
from sumbench.cache import SummaryCache
from sumbench.errors import RunError
from sumbench.executors import Executor, InProcess, ProcessPool, ScoreResult, ScoreTask, SummarizeTask, Tick
from sumbench.languages import sentence_splitter
from sumbench.records import Document
from sumbench.suite import ConfiguredSummarizer, ResolvedSuite, SummarizerConfig, configure_summarizer
from sumbench.summarizers.adapter import BatchOutcome
from sumbench.text import TEXT_PIPELINE_VERSION

__all__ = ["INSTALL_HINT", "RayExecutor"]

INSTALL_HINT = "the ray executor needs Ray: pip install 'sumbench[ray]'"

#: Loggers kept quiet while a dataset runs (see :func:`_quiet_loggers`).
_QUIET_LOGGERS = ("ray", "ray.data")
#: Retries of a batch whose actor died (a lost node, or a document that kills its process).
_TASK_RETRIES = 1


def _import_ray() -> Any:
    """The ``ray`` module (with Ray Data), or :class:`RunError` naming the extra."""
    try:
        ray = importlib.import_module("ray")
        importlib.import_module("ray.data")
    except ImportError as exc:
        raise RunError(INSTALL_HINT) from exc
    return ray


# --- rows: plain data that crosses to the actors and back ----------------------------------------
def _row(doc: Document, chunk: int) -> dict[str, Any]:
    return {
        "id": doc.id,
        "text": doc.text,
        "title": doc.title,
        "references": list(doc.references),
        "text_hash": doc.cache_hash,  # the cache key's document part
        "meta": json.dumps(dict(doc.meta), sort_keys=True),
        "language": doc.language,
        "chunk": chunk,
    }


def _document(row: dict[str, Any]) -> Document:
    """The corpus's :class:`Document` again (sentences split by the same splitter)."""
    text = row["text"]
    language = row.get("language", "en")
    return Document(
        id=row["id"],
        text=text,
        sentences=tuple(sentence_splitter(language)(text)),
        references=tuple(row["references"]),
        title=row["title"],
        meta=json.loads(row["meta"]),
        language=language,
    )


def _row_table(rows: Sequence[dict[str, Any]]) -> Any:
    import pyarrow as pa

    schema = pa.schema(
        [
            ("id", pa.string()),
            ("text", pa.string()),
            ("title", pa.string()),
            ("references", pa.list_(pa.string())),
            ("text_hash", pa.string()),
            ("meta", pa.string()),
            ("chunk", pa.int64()),
        ]
    )
    return pa.Table.from_pylist(list(rows), schema=schema)


def _result_table(
    text_hashes: Sequence[str],
    summaries: Sequence[str | None],
    errors: Sequence[str | None],
    metas: Sequence[str | None] | None = None,
) -> Any:
    import pyarrow as pa

    metas = list(metas) if metas is not None else [None] * len(text_hashes)
    schema = pa.schema(
        [("text_hash", pa.string()), ("summary", pa.string()), ("error", pa.string()), ("meta", pa.string())]
    )
    return pa.table({"text_hash": text_hashes, "summary": summaries, "error": errors, "meta": metas}, schema=schema)


class _SummarizeChunks:
    """The Ray Data actor: builds one summarizer once, then summarizes batches of rows.

    The rows of one batch are grouped by runner chunk, and each group goes through
    :meth:`~sumbench.summarizers.adapter.Plugin.summarize_documents` (so ``summarize_batch`` is used
    when the summarizer has one). Returns ``text_hash``, ``summary`` and ``error`` per row: ``error``
    is set (and ``summary`` empty) for every document not to cache.
    """

    def __init__(
        self,
        config: SummarizerConfig,
        seed: int,
        base_dir: str,
        timeout_s: float | None,
        expected: dict[str, Any],
    ):
        found = {"sumbench": __version__, "text_pipeline": TEXT_PIPELINE_VERSION}
        for what in found:
            if found[what] != expected[what]:
                raise RuntimeError(
                    f"this Ray worker has {what} {found[what]!r}, the driver {expected[what]!r}: "
                    "install the same sumbench on every node"
                )
        summarizer = configure_summarizer(
            config, seed=seed, base_dir=Path(base_dir), where="a Ray worker", timeout_s=timeout_s
        )
        if summarizer.version != expected["version"] or dict(summarizer.params) != expected["params"]:
            raise RuntimeError(
                f"summarizer {config.label!r} on this Ray worker is version {summarizer.version!r} with "
                f"{dict(summarizer.params)!r}, in the driver version {expected['version']!r} with "
                f"{expected['params']!r}: install the same summarizer on every node"
            )
        self.label = config.label
        self.plugin = summarizer.plugin

    def __call__(self, batch: Any) -> Any:
        groups: dict[int, list[Document]] = {}
        for row in batch.to_pylist():
            groups.setdefault(int(row["chunk"]), []).append(_document(row))
        hashes: list[str] = []
        summaries: list[str | None] = []
        errors: list[str | None] = []
        metas: list[str | None] = []
        for docs in groups.values():
            for doc, summary, error, meta in self._summarize(docs):
                hashes.append(doc.cache_hash)
                summaries.append(summary)
                errors.append(error)
                metas.append(json.dumps(meta, sort_keys=True) if meta else None)
        return _result_table(hashes, summaries, errors, metas)

    def _summarize(
        self, docs: Sequence[Document]
    ) -> list[tuple[Document, str | None, str | None, dict[str, Any] | None]]:
        try:
            self.plugin.prepare(docs)
        except ValueError as exc:  # the chunked pass raises the refusal as the run's error
            return [(d, None, f"prepare refused: {exc}", None) for d in docs]
        outcome: BatchOutcome = self.plugin.summarize_documents(docs, self.label)
        if outcome.warnings:  # handed back whole: the chunked pass records the same warning
            problem = "; ".join(outcome.warnings)
            return [(d, None, problem, None) for d in docs]
        failed = {f.doc_id: f.error for f in outcome.failures}
        out: list[tuple[Document, str | None, str | None, dict[str, Any] | None]] = []
        for doc in docs:
            if doc.id in outcome.summaries:
                out.append((doc, outcome.summaries[doc.id], None, outcome.meta.get(doc.id)))
            else:
                out.append((doc, None, failed.get(doc.id, "no summary returned"), None))
        return out


class RayExecutor:
    """Summaries made on Ray (:meth:`prefill`); the chunked pass and scoring run here or in processes.

    ``summarize`` and ``score`` go to :class:`~sumbench.executors.ProcessPool` when the suite asks for
    ``jobs > 1`` or a summarizer has a timeout, else to :class:`~sumbench.executors.InProcess`.
    """

    #: Documents read from the corpus per Ray dataset (rounded up to whole chunks); each dataset
    #: starts its own actor pool, so larger means fewer model loads and more documents in flight.
    rows_per_dataset = 4096

    def __init__(self, suite: ResolvedSuite):
        self.suite = suite
        self._ray = _import_ray()
        run = suite.config.run
        timeouts = any(s.timeout_s is not None for s in suite.summarizers)
        self._delegate: Executor = ProcessPool(suite, run.jobs) if run.jobs > 1 or timeouts else InProcess(suite)
        self._started = False  # this executor called ray.init()
        self._connected = False
        self._saved: dict[str, Any] = {}

    # --- the cluster -------------------------------------------------------------------------
    def _connect(self) -> None:
        if self._connected:
            return
        ray = self._ray
        if not ray.is_initialized():
            address = os.environ.get("RAY_ADDRESS")
            quiet = {"log_to_driver": False, "logging_level": logging.ERROR}
            try:
                if address:
                    ray.init(address=address, **quiet)
                else:
                    jobs = self.suite.config.run.jobs
                    ray.init(num_cpus=jobs if jobs > 1 else os.cpu_count(), include_dashboard=False, **quiet)
            except (OSError, RuntimeError, ValueError) as exc:  # ConnectionError, a bad address, no resources
                where = f"join the Ray cluster at RAY_ADDRESS={address}" if address else "start a local Ray cluster"
                raise RunError(f"cannot {where}: {_last_line(exc)}") from exc
            self._started = True
        self._connected = True
        context = ray.data.DataContext.get_current()
        # no progress bars of Ray's; a batch whose task still fails after its retry (a document that
        # kills its worker process) is dropped rather than failing the dataset: its documents are not
        # cached, and the chunked pass summarizes them as the local executor would
        settings = {"enable_progress_bars": False, "max_errored_blocks": -1}
        self._saved = {name: getattr(context, name) for name in settings if hasattr(context, name)}
        for name in self._saved:
            setattr(context, name, settings[name])

    def _concurrency(self, summarizer: ConfiguredSummarizer, batches: int) -> int:
        """Actors in the pool: the summarizer's ``concurrency``, else as many as the cluster can hold
        (CPUs, or GPUs / ``num_gpus``); never more than there are batches."""
        wanted = summarizer.config.concurrency
        if wanted is None:
            resources = self._ray.cluster_resources()
            gpus = summarizer.config.num_gpus or 0
            wanted = int(resources.get("GPU", 0) // gpus) if gpus else int(resources.get("CPU", 1))
        return max(1, min(wanted, batches))

    # --- Prefilling ------------------------------------------------------------------------------
    def prefill(
        self, summarizer: ConfiguredSummarizer, documents: Iterable[Document], cache: SummaryCache, tick: Tick
    ) -> set[str]:
        """Summarize on Ray every document of ``documents`` not yet in ``cache`` under the summarizer's
        key, committing each batch as it comes back; returns the text hashes committed (made by this
        run). Documents that failed on Ray are left out of the cache for the chunked pass."""
        made: set[str] = set()
        if summarizer.timeout_s is not None or not summarizer.plugin.cacheable:
            return made
        label, key = summarizer.label, summarizer.cache_key  # the key may train a learned model, here, once
        chunk_size = self.suite.config.run.chunk_size
        for chunks in _slices(documents, chunk_size, self.rows_per_dataset):
            flat = [d for _, chunk in chunks for d in chunk]
            try:
                summarizer.plugin.prepare(flat)  # a refusal stops the run here, as in the chunked pass
            except ValueError as exc:
                raise RunError(f"summarizer {label!r} refused the corpus: {exc}") from exc
            seen = set(cache.get_many(key, (d.cache_hash for d in flat)))
            blocks: list[list[dict[str, Any]]] = []
            for number, chunk in chunks:
                rows = []
                for doc in chunk:
                    if doc.cache_hash not in seen:  # cached, or a repeated text: nothing to make
                        seen.add(doc.cache_hash)
                        rows.append(_row(doc, number))
                if rows:
                    blocks.append(rows)
            todo = sum(len(b) for b in blocks)
            if len(flat) > todo:
                tick(label, len(flat) - todo)
            if blocks:
                made |= self._run(summarizer, blocks, cache, tick)
        return made

    def _run(
        self, summarizer: ConfiguredSummarizer, blocks: list[list[dict[str, Any]]], cache: SummaryCache, tick: Tick
    ) -> set[str]:
        """One Ray dataset: ``blocks`` (each one runner chunk's rows) through an actor pool, each
        returned batch committed to ``cache`` at once; the text hashes committed."""
        self._connect()
        ray = self._ray
        gpus = summarizer.config.num_gpus or 0
        if gpus and self._started and ray.cluster_resources().get("GPU", 0) < gpus:
            # a cluster of this machine alone never grows: Ray would wait for the GPUs for ever
            found = ray.cluster_resources().get("GPU", 0)
            raise RunError(
                f"summarizer {summarizer.label!r} asks for num_gpus = {gpus:g} per actor, and the local Ray cluster "
                f"has {found:g} GPUs; lower num_gpus, or point RAY_ADDRESS at a cluster with GPUs"
            )
        made: set[str] = set()
        try:
            with _quiet_loggers():
                for batch in self._dataset(summarizer, blocks).iter_batches(batch_size=None, batch_format="pyarrow"):
                    # a document that failed stays out of the cache: the chunked pass makes or records it
                    good = [
                        (r["text_hash"], r["summary"], json.loads(r["meta"]) if r.get("meta") else None)
                        for r in batch.to_pylist()
                        if r["error"] is None
                    ]
                    if good:
                        cache.put_many(summarizer.cache_key, good)  # with each summary's accounting
                        made.update(h for h, _, _ in good)
                    tick(summarizer.label, batch.num_rows)
        except ray.exceptions.RayError as exc:
            raise RunError(f"summarizer {summarizer.label!r} failed on Ray: {_last_line(exc)}") from exc
        return made

    def _dataset(self, summarizer: ConfiguredSummarizer, blocks: list[list[dict[str, Any]]]) -> Any:
        ray = self._ray
        suite = self.suite.config
        gpus = summarizer.config.num_gpus or 0
        options: dict[str, Any] = {"num_gpus": gpus} if gpus else {}
        if _takes_remote_args(ray.data.Dataset.map_batches):
            # Ray Data retries a task of a dead actor forever by default: a document that kills its
            # process would hang the run
            options["max_task_retries"] = _TASK_RETRIES
        expected = {
            "sumbench": __version__,
            "text_pipeline": TEXT_PIPELINE_VERSION,
            "version": summarizer.version,
            "params": dict(summarizer.params),
        }
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*ray_remote_args.* is deprecated")
            return ray.data.from_arrow([_row_table(rows) for rows in blocks]).map_batches(
                _SummarizeChunks,
                fn_constructor_kwargs={
                    "config": summarizer.config,
                    "seed": suite.seed,
                    "base_dir": str(suite.base_dir),
                    "timeout_s": suite.run.timeout_s,
                    "expected": expected,
                },
                compute=ray.data.ActorPoolStrategy(size=self._concurrency(summarizer, len(blocks))),
                # one block (one runner chunk's documents) per batch; with GPUs Ray needs a number
                batch_size=suite.run.chunk_size if gpus else None,
                batch_format="pyarrow",
                **options,
            )

    # --- Executor: the chunked pass and scoring ---------------------------------------------------
    def summarize(self, tasks: Sequence[SummarizeTask], tick: Tick) -> list[BatchOutcome]:
        return self._delegate.summarize(tasks, tick)

    def score(self, tasks: Sequence[ScoreTask]) -> list[ScoreResult]:
        return self._delegate.score(tasks)

    def close(self) -> None:
        try:
            self._delegate.close()
        finally:
            if self._connected:
                context = self._ray.data.DataContext.get_current()
                for name, value in self._saved.items():
                    setattr(context, name, value)
                self._connected = False
            if self._started:
                self._ray.shutdown()
                self._started = False


def _slices(documents: Iterable[Document], chunk_size: int, rows: int) -> Iterator[list[tuple[int, list[Document]]]]:
    """The runner's chunks of ``documents`` (numbered from 0), gathered into slices of at least
    ``rows`` documents (the last slice may hold fewer)."""
    out: list[tuple[int, list[Document]]] = []
    chunk: list[Document] = []
    number = 0
    count = 0
    for doc in documents:
        chunk.append(doc)
        if len(chunk) == chunk_size:
            out.append((number, chunk))
            number, count, chunk = number + 1, count + len(chunk), []
            if count >= rows:
                yield out
                out, count = [], 0
    if chunk:
        out.append((number, chunk))
    if out:
        yield out


def _takes_remote_args(method: Any) -> bool:
    """Whether ``map_batches`` still takes ``ray.remote`` options as keyword arguments (deprecated in
    recent Ray, to be removed)."""
    return any(p.kind is inspect.Parameter.VAR_KEYWORD for p in inspect.signature(method).parameters.values())


def _last_line(exc: BaseException) -> str:
    """The last non-empty line of a Ray error (Ray's text carries the remote traceback before it),
    without the class name of a sumbench error (whose message is written to be read alone)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    last = lines[-1] if lines else type(exc).__name__
    name, colon, message = last.partition(": ")
    return message if colon and name.startswith("sumbench.errors.") else last


@contextlib.contextmanager
def _quiet_loggers() -> Iterator[None]:
    """Ray Data's log lines kept out of the console while a dataset runs: execution plans, "progress
    bars disabled", and the stack traces it logs before raising (which the run raises as a
    :class:`RunError` chained to Ray's exception: ``--debug`` shows it)."""
    loggers = [logging.getLogger(name) for name in _QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
