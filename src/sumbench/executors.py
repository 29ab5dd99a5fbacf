"""Where a run's work happens: in this process, in worker processes, or on Ray.

The runner cuts the corpus into chunks and hands each chunk's work to an executor as *tasks*:
:class:`SummarizeTask` (one summarizer, some documents) and :class:`ScoreTask` (summaries to score).
An executor returns each task's result in task order, so results never depend on how many workers
ran them or which finished first: a run is byte-identical for any ``--jobs``.

- :class:`InProcess` runs tasks here, one after another.
- :class:`ProcessPool` runs them in ``jobs`` worker processes (``spawn``ed; each resolves the suite
  once, so a summarizer's model loads once per worker). It enforces timeouts: a task that runs past
  its deadline has its worker killed and replaced. A summarizer that is slow on one document is then
  recorded as ``timeout after N s`` on that document and the run goes on. A worker that dies is
  replaced too, and its documents are recorded as failures.
- ``sumbench.executors_ray.RayExecutor`` (the ``ray`` extra) summarizes through Ray Data.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol, runtime_checkable

from sumbench.cache import SummaryCache
from sumbench.errors import RunError
from sumbench.records import Document, DocumentScores, Failure, Summary
from sumbench.scoring.metrics import score_summaries
from sumbench.suite import ConfiguredSummarizer, ResolvedSuite, SuiteConfig, resolve_suite
from sumbench.summarizers.adapter import BatchOutcome

__all__ = [
    "Executor",
    "InProcess",
    "Prefilling",
    "ProcessPool",
    "ScoreResult",
    "ScoreTask",
    "SummarizeTask",
    "make_executor",
    "split",
]

Tick = Callable[[str, int], None]
ScoreResult = tuple[list[DocumentScores], list[Failure]]


@dataclass(frozen=True)
class SummarizeTask:
    """Summarize ``docs`` with the suite's summarizer ``label``; ``timeout_s`` is per document."""

    label: str
    docs: tuple[Document, ...]
    timeout_s: float | None = None
    one_by_one: bool = False  # never through summarize_batch (a retry after a batch failed)


@dataclass(frozen=True)
class ScoreTask:
    """Score ``summaries`` against ``docs`` (which hold at least every summarized document)."""

    docs: tuple[Document, ...]
    summaries: tuple[Summary, ...]


class Executor(Protocol):
    def summarize(self, tasks: Sequence[SummarizeTask], tick: Tick) -> list[BatchOutcome]: ...

    def score(self, tasks: Sequence[ScoreTask]) -> list[ScoreResult]: ...

    def close(self) -> None: ...


@runtime_checkable
class Prefilling(Protocol):
    """An executor that summarizes a whole corpus per summarizer before the chunked pass (Ray): it
    writes each finished batch into ``cache`` under the summarizer's key, so the chunked pass then
    finds the summaries there (and summarizes, in this process, only what is still missing). It returns
    the text hashes it summarized and committed in this run: the run counts them made, not cached."""

    def prefill(
        self, summarizer: ConfiguredSummarizer, documents: Iterable[Document], cache: SummaryCache, tick: Tick
    ) -> Collection[str]: ...


def split(items: Sequence[Any], parts: int) -> list[tuple[Any, ...]]:
    """``items`` cut into at most ``parts`` contiguous, nearly equal, non-empty pieces."""
    if not items:
        return []
    size = math.ceil(len(items) / max(1, parts))
    return [tuple(items[k : k + size]) for k in range(0, len(items), size)]


# --- the work itself: the same functions run in this process and in workers ---------------------
def run_summarize(suite: ResolvedSuite, task: SummarizeTask, tick: Callable[[int], None] | None = None) -> BatchOutcome:
    summarizer = suite.configured(task.label)
    plugin = summarizer.plugin
    try:
        plugin.prepare(task.docs)
    except ValueError as exc:
        raise RunError(f"summarizer {task.label!r} refused the corpus: {exc}") from exc
    return plugin.summarize_documents(task.docs, task.label, tick or (lambda n: None), batch=not task.one_by_one)


def run_score(suite: ResolvedSuite, task: ScoreTask) -> ScoreResult:
    return score_summaries({d.id: d for d in task.docs}, task.summaries, suite.scoring_metrics, suite.accounting)


class InProcess:
    """Every task in this process, in order (no timeouts: nothing could stop a hung summarizer)."""

    def __init__(self, suite: ResolvedSuite):
        self.suite = suite

    def summarize(self, tasks: Sequence[SummarizeTask], tick: Tick) -> list[BatchOutcome]:
        return [run_summarize(self.suite, t, _bind(tick, t.label)) for t in tasks]

    def score(self, tasks: Sequence[ScoreTask]) -> list[ScoreResult]:
        return [run_score(self.suite, t) for t in tasks]

    def close(self) -> None:
        pass


# --- worker processes -----------------------------------------------------------------------------
def _worker_main(connection: Connection, config: SuiteConfig) -> None:
    """A worker: resolve the suite once, then answer tasks until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    connection.send(("ready", None))
    suite: ResolvedSuite | None = None
    while True:
        try:
            message = connection.recv()
        except EOFError:
            return
        if message is None:
            return
        try:
            if suite is None:
                suite = resolve_suite(config)
            if isinstance(message, SummarizeTask):
                result: Any = run_summarize(suite, message)
            else:
                result = run_score(suite, message)
            connection.send(("ok", result))
        except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it there
            try:
                connection.send(("error", exc))
            except Exception:  # noqa: BLE001 - an exception that does not pickle is sent as its text
                connection.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    task: int | None = None
    deadline: float | None = None


_START_TIMEOUT = 120.0  # seconds a new worker may take to import sumbench and say it is ready
_TIMEOUT = object()
_DIED = object()


class ProcessPool:
    """``jobs`` spawned worker processes; tasks with a deadline are killed when they run past it."""

    def __init__(self, suite: ResolvedSuite, jobs: int):
        self.suite = suite
        self.jobs = max(1, jobs)
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child, self.suite.config), daemon=True)
        process.start()
        child.close()
        try:
            ready = parent.poll(_START_TIMEOUT) and parent.recv() == ("ready", None)
        except (EOFError, OSError):
            ready = False
        if not ready:
            process.kill()
            process.join(5)
            raise RunError(
                f"a worker process could not start (exit code {process.exitcode}); worker processes are spawned "
                "and import the program that started them: run sumbench from the command line or a script file, "
                "or set jobs = 1 without timeouts"
            )
        worker = _Worker(process, parent)
        self._workers.append(worker)
        return worker

    def _stop(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError):
            worker.process.kill()
        worker.process.join(5)
        worker.connection.close()
        self._workers.remove(worker)

    def _run(
        self, tasks: Sequence[Any], deadlines: Sequence[float | None], done: Callable[[int, Any], None]
    ) -> list[Any]:
        """Each task's result (or ``_TIMEOUT`` / ``_DIED``), in task order."""
        results: list[Any] = [None] * len(tasks)
        pending = deque(range(len(tasks)))
        while len(self._workers) < min(self.jobs, len(tasks)):
            self._start()
        while pending or any(w.task is not None for w in self._workers):
            for worker in self._workers:
                if worker.task is None and pending:
                    index = pending.popleft()
                    worker.task = index
                    limit = deadlines[index]
                    worker.deadline = time.monotonic() + limit if limit is not None else None
                    # a worker that died since its last answer cannot take it: seen below as a death
                    with contextlib.suppress(BrokenPipeError, OSError):
                        worker.connection.send(tasks[index])
            busy = [w for w in self._workers if w.task is not None]
            now = time.monotonic()
            waits = [w.deadline - now for w in busy if w.deadline is not None]
            timeout = max(0.0, min(waits)) if waits else None
            ready = wait([w.connection for w in busy], timeout=timeout)
            for worker in list(busy):
                if worker.task is None:
                    continue
                index = worker.task
                if worker.connection in ready:
                    try:
                        status, value = worker.connection.recv()
                    except (EOFError, OSError):
                        results[index] = _DIED
                        self._stop(worker)
                        done(index, results[index])
                        continue
                    worker.task, worker.deadline = None, None
                    if status == "error":
                        raise value
                    results[index] = value
                    done(index, results[index])
                elif worker.deadline is not None and time.monotonic() >= worker.deadline:
                    results[index] = _TIMEOUT
                    self._stop(worker)
                    done(index, results[index])
            while len(self._workers) < min(self.jobs, len(pending) + sum(w.task is not None for w in self._workers)):
                self._start()
        return results

    def summarize(self, tasks: Sequence[SummarizeTask], tick: Tick) -> list[BatchOutcome]:
        plan: list[SummarizeTask] = []
        for task in tasks:
            plugin = self.suite.configured(task.label).plugin
            if task.timeout_s is not None and plugin.batch_hook is None:
                plan.extend(SummarizeTask(task.label, (d,), task.timeout_s) for d in task.docs)  # one deadline each
            else:
                plan.append(task)
        deadlines = [t.timeout_s * len(t.docs) if t.timeout_s is not None else None for t in plan]

        def done(index: int, result: Any) -> None:
            if not ((result is _TIMEOUT or result is _DIED) and len(plan[index].docs) > 1):  # else retried
                tick(plan[index].label, len(plan[index].docs))

        results = self._run(plan, deadlines, done)
        outcomes: list[BatchOutcome] = []
        for task, result in zip(plan, results):
            if (result is _TIMEOUT or result is _DIED) and len(task.docs) > 1:
                retried = self.summarize(
                    [SummarizeTask(task.label, (d,), task.timeout_s, one_by_one=True) for d in task.docs], tick
                )
                what = (
                    f"ran past {task.timeout_s:g} s per document" if result is _TIMEOUT else "killed its worker process"
                )
                warning = (
                    f"summarizer {task.label!r}: a batch of {len(task.docs)} documents {what}; "
                    f"retried the {len(task.docs)} documents one by one"
                )
                outcomes.append(_merge(retried, warning))
            elif result is _TIMEOUT or result is _DIED:
                what = f"timeout after {task.timeout_s:g} s" if result is _TIMEOUT else "the worker process died"
                failures = tuple(Failure(d.id, task.label, "summarize", what) for d in task.docs)
                spent = (task.timeout_s or 0.0) * len(task.docs) if result is _TIMEOUT else 0.0
                outcomes.append(BatchOutcome({}, failures, seconds=spent))
            else:
                outcomes.append(result)
        return _regroup(tasks, plan, outcomes)

    def score(self, tasks: Sequence[ScoreTask]) -> list[ScoreResult]:
        results = self._run(tasks, [None] * len(tasks), lambda index, result: None)
        out: list[ScoreResult] = []
        for task, result in zip(tasks, results):
            if result is _DIED:
                out.append(
                    ([], [Failure(s.doc_id, s.system, "score", "the worker process died") for s in task.summaries])
                )
            else:
                out.append(result)
        return out

    def close(self) -> None:
        for worker in list(self._workers):
            with contextlib.suppress(OSError, BrokenPipeError):
                worker.connection.send(None)
        deadline = time.monotonic() + 5
        for worker in list(self._workers):
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(5)
            worker.connection.close()
        self._workers.clear()


def _bind(tick: Tick, label: str) -> Callable[[int], None]:
    """``tick`` with its label filled in."""
    return lambda n: tick(label, n)


def _merge(outcomes: Sequence[BatchOutcome], *warnings: str) -> BatchOutcome:
    summaries: dict[str, str] = {}
    meta: dict[str, dict[str, Any]] = {}
    failures: list[Failure] = []
    notes = list(warnings)
    for outcome in outcomes:
        summaries.update(outcome.summaries)
        meta.update(outcome.meta)
        failures.extend(outcome.failures)
        notes.extend(outcome.warnings)
    return BatchOutcome(summaries, tuple(failures), tuple(notes), sum(o.seconds for o in outcomes), meta)


def _regroup(
    tasks: Sequence[SummarizeTask], plan: Sequence[SummarizeTask], outcomes: Sequence[BatchOutcome]
) -> list[BatchOutcome]:
    """Outcomes of the planned (possibly per-document) tasks merged back into one per original task."""
    if len(plan) == len(tasks):
        return list(outcomes)
    merged: list[BatchOutcome] = []
    position = 0
    for task in tasks:
        taken: list[BatchOutcome] = []
        covered = 0
        while covered < len(task.docs):
            taken.append(outcomes[position])
            covered += len(plan[position].docs)
            position += 1
        merged.append(_merge(taken))
    return merged


def make_executor(suite: ResolvedSuite) -> Executor:
    """The executor the suite's ``[run]`` table asks for (``--jobs`` / ``--executor`` applied)."""
    run = suite.config.run
    if run.executor == "ray":
        from sumbench.executors_ray import RayExecutor

        return RayExecutor(suite)
    timeouts = any(s.timeout_s is not None for s in suite.summarizers)
    if run.executor == "processes" or run.jobs > 1 or timeouts:
        return ProcessPool(suite, run.jobs)
    return InProcess(suite)
