"""``--executor ray``: the same run folder as ``local`` and ``processes``, summaries committed to the
cache as Ray makes them, failures handed back to the chunked pass, and Ray never imported unless asked."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sumbench.cache import SummaryCache
from sumbench.cli import main
from sumbench.errors import RunError
from sumbench.executors import make_executor
from sumbench.runfolder import load_run
from sumbench.runner import run_suite, suite_corpus
from sumbench.suite import load_suite, resolve_suite, with_overrides

# skipped without Ray (the ray extra); Ray itself is imported by the fixture, never at collection
if importlib.util.find_spec("ray") is None:
    pytest.skip("needs Ray: pip install 'sumbench[ray]'", allow_module_level=True)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:.*deprecated:DeprecationWarning"),  # Ray Data's own, on first use
]

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO / "benchmarks" / "news.toml"
RUN_FILES = (
    "scores.csv",
    "summaries.jsonl",
    "aggregates.json",
    "significance.json",
    "documents.jsonl",
    "failures.jsonl",
)
EXECUTORS = {
    "local": {"executor": "local"},
    "processes": {"executor": "processes", "jobs": 2},
    "ray": {"executor": "ray"},
}

PLUGINS = '''
import os


class FailsOnBridge:
    """Raises on one document."""

    def summarize(self, doc):
        if "bridge" in doc.text:
            raise ValueError("no bridges")
        return doc.sentences[0]


class BrokenBatch:
    """Its summarize_batch raises; one document at a time works."""

    def summarize(self, doc):
        return doc.sentences[-1]

    def summarize_batch(self, docs):
        raise RuntimeError("batch exploded")


class DiesOnStorm:
    """Kills its own process on one document."""

    def summarize(self, doc):
        if "storm" in doc.text:
            os._exit(3)
        return doc.sentences[0]


class BatchSize:
    """A summary that tells which documents shared its batch (batches must match the runner's chunks)."""

    def summarize(self, doc):
        return "alone: " + doc.sentences[0]

    def summarize_batch(self, docs):
        ids = ",".join(d.id for d in docs)
        return [f"with {ids}: {d.sentences[0]}" for d in docs]
'''


@pytest.fixture(scope="module")
def ray_cluster():
    """One local Ray cluster for the module (the ray module); RayExecutor joins it and leaves it running."""
    ray = pytest.importorskip("ray")
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    if started:
        ray.shutdown()


@pytest.fixture(scope="module")
def news_runs(ray_cluster, tmp_path_factory):
    """The news suite (20 documents, no cache) run under each executor."""
    suite = load_suite(NEWS)
    root = tmp_path_factory.mktemp("executors")
    runs = {}
    for name, overrides in EXECUTORS.items():
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SUMBENCH_CACHE_DIR", str(root / f"cache-{name}"))
            if name == "ray":  # every summary must come from Ray: the chunked pass may summarize nothing
                patch.setattr("sumbench.executors.run_summarize", _no_chunked_pass)
            runs[name] = run_suite(
                with_overrides(suite, limit=20, **overrides), out_dir=root / name, use_cache=False, render=False
            )
    return runs


def _no_chunked_pass(suite, task, tick=None):
    raise AssertionError(f"the chunked pass summarized {len(task.docs)} documents with {task.label}")


@pytest.mark.parametrize("executor", ["processes", "ray"])
@pytest.mark.parametrize("name", RUN_FILES)
def test_every_executor_writes_the_same_run_folder(news_runs, executor, name):
    local = (news_runs["local"].run_dir / name).read_bytes()
    assert local or name == "failures.jsonl"
    assert (news_runs[executor].run_dir / name).read_bytes() == local


def test_a_ray_run_counts_its_summaries_as_made(news_runs):
    result = news_runs["ray"]
    assert result.documents == 20
    assert result.cache_hits == 0 and result.cache_misses == 20 * len(result.systems)
    assert all(s.summaries == 20 and s.failures == 0 and s.seconds > 0 for s in result.systems)


def test_ray_commits_to_the_cache_and_a_second_run_recomputes_nothing(ray_cluster, tmp_path, capsys):
    cache = tmp_path / "summaries.sqlite"
    common = ["run", str(NEWS), "--executor", "ray", "--limit", "10", "--cache", str(cache), "--quiet"]
    assert main([*common, "--out", str(tmp_path / "first")]) == 0
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT COUNT(*) FROM summaries").fetchone()[0] == 10 * 5
    assert main([*common, "--out", str(tmp_path / "second")]) == 0
    first, second = load_run(tmp_path / "first"), load_run(tmp_path / "second")
    assert (first.manifest.cache.hits, first.manifest.cache.misses) == (0, 50)
    assert (second.manifest.cache.hits, second.manifest.cache.misses) == (50, 0)
    assert all(s.cached for s in second.summaries)
    assert [(s.doc_id, s.system, s.text) for s in second.summaries] == [
        (s.doc_id, s.system, s.text) for s in first.summaries
    ]
    assert "every summary came from the cache" in capsys.readouterr().err


def test_prefill_makes_only_what_the_cache_lacks(ray_cluster, tmp_path):
    suite = resolve_suite(with_overrides(load_suite(NEWS), limit=12, executor="ray"))
    summarizer = suite.summarizer("textrank-3")[0]
    docs = list(suite_corpus(suite.config))
    executor = make_executor(suite)
    ticks: list[int] = []
    try:
        with SummaryCache(tmp_path / "cache.sqlite") as cache:
            cache.put_many(summarizer.cache_key, [(docs[0].text_hash, "already here")])
            made = executor.prefill(summarizer, docs, cache, lambda label, n: ticks.append(n))
            assert made == {d.text_hash for d in docs[1:]}
            assert sum(ticks) == 12
            found = cache.get_many(summarizer.cache_key, [d.text_hash for d in docs])
            assert len(found) == 12 and found[docs[0].text_hash] == "already here"
            assert found[docs[1].text_hash] == summarizer.plugin.summarize(docs[1])
            assert executor.prefill(summarizer, docs, cache, lambda label, n: None) == set()
    finally:
        executor.close()
    assert ray_cluster.is_initialized()  # a cluster the executor joined stays up


def test_failures_and_batch_warnings_on_ray_are_recorded_as_without_it(ray_cluster, tmp_path, suite_file):
    (tmp_path / "plugins.py").write_text(PLUGINS, encoding="utf-8")
    path = suite_file(
        'use = "plugins.py:FailsOnBridge"\nlabel = "fails"\n\n'
        '[[summarizers]]\nuse = "plugins.py:BrokenBatch"\nlabel = "broken-batch"\nconcurrency = 1\n\n'
        '[[summarizers]]\nuse = "plugins.py:BatchSize"\nlabel = "batch-size"\nnum_gpus = 0\n',
        extra="\n[run]\nchunk_size = 2\n",
    )
    runs = {}
    for executor in ("local", "ray"):
        suite = with_overrides(load_suite(path), executor=executor)
        runs[executor] = run_suite(suite, out_dir=tmp_path / executor, cache_path=tmp_path / f"{executor}.sqlite")
    for name in RUN_FILES:
        assert (runs["ray"].run_dir / name).read_bytes() == (runs["local"].run_dir / name).read_bytes(), name
    assert runs["ray"].manifest.warnings == runs["local"].manifest.warnings
    failures = [json.loads(line) for line in (runs["ray"].run_dir / "failures.jsonl").read_text().splitlines()]
    assert [(f["doc_id"], f["system"]) for f in failures] == [("n2", "fails")]
    assert any("summarize_batch raised RuntimeError: batch exploded" in w for w in runs["ray"].manifest.warnings)
    summaries = {(s.system, s.doc_id): s.text for s in load_run(runs["ray"].run_dir).summaries}
    assert summaries["batch-size", "n1"].startswith("with n1,n2: ")  # the runner's chunks of 2 documents
    assert summaries["batch-size", "n3"].startswith("with n3: ")
    with sqlite3.connect(tmp_path / "ray.sqlite") as db:  # the failing document was never cached
        assert db.execute("SELECT COUNT(*) FROM summaries").fetchone()[0] == 3 + 2 + 3


def test_a_document_that_kills_its_ray_actor_is_recorded_as_with_worker_processes(ray_cluster, tmp_path, suite_file):
    (tmp_path / "plugins.py").write_text(PLUGINS, encoding="utf-8")
    path = suite_file('use = "plugins.py:DiesOnStorm"\nlabel = "dies"')
    runs = {}
    for executor in ("processes", "ray"):  # with --jobs 2 the chunked pass runs in worker processes
        suite = with_overrides(load_suite(path), executor=executor, jobs=2)
        runs[executor] = run_suite(suite, out_dir=tmp_path / executor, use_cache=False, render=False)
    for name in RUN_FILES:
        assert (runs["ray"].run_dir / name).read_bytes() == (runs["processes"].run_dir / name).read_bytes(), name
    assert [(f.doc_id, f.error) for f in runs["ray"].failures] == [("n3", "the worker process died")]


def test_summarizers_with_a_timeout_are_left_to_worker_processes(ray_cluster, tmp_path, suite_file):
    suite = resolve_suite(with_overrides(load_suite(suite_file(extra="\n[run]\ntimeout_s = 30\n")), executor="ray"))
    executor = make_executor(suite)
    try:
        with SummaryCache(tmp_path / "cache.sqlite") as cache:
            summarizer = suite.summarizers[0]
            assert executor.prefill(summarizer, suite_corpus(suite.config), cache, lambda label, n: None) == set()
            assert cache.get_many(summarizer.cache_key, [d.text_hash for d in suite_corpus(suite.config)]) == {}
    finally:
        executor.close()


def test_ray_is_never_imported_unless_asked_for(tmp_path, suite_file):
    path = suite_file()
    script = (
        "import sys\n"
        "import sumbench, sumbench.cli, sumbench.runner, sumbench.executors\n"
        "from sumbench.runner import run_suite\n"
        "from sumbench.suite import load_suite, with_overrides\n"
        f"run_suite(with_overrides(load_suite({str(path)!r}), executor='local'), out_dir={str(tmp_path / 'run')!r})\n"
        "assert 'ray' not in sys.modules, 'ray was imported'\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_a_missing_ray_is_one_line_naming_the_extra(monkeypatch, suite_file):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    suite = resolve_suite(with_overrides(load_suite(suite_file()), executor="ray"))
    with pytest.raises(RunError, match=r"^the ray executor needs Ray: pip install 'sumbench\[ray\]'$"):
        make_executor(suite)


ACCOUNTED = '''
from sumbench.records import Generation

class Accounted:
    """The lede, with the usage an LLM would report."""
    reports_usage = True
    def __init__(self):
        pass
    def summarize(self, doc):
        return Generation(doc.sentences[0], 11, 7, 0.5, "stop", "m-1")
'''


def test_summaries_made_on_ray_keep_their_accounting(ray_cluster, tmp_path, suite_file):
    (tmp_path / "accounted.py").write_text(ACCOUNTED, encoding="utf-8")
    path = suite_file('use = "accounted.py:Accounted"\nlabel = "llm"')
    suite = with_overrides(load_suite(path), executor="ray")
    result = run_suite(suite, out_dir=tmp_path / "ray", cache_path=tmp_path / "ray.sqlite", render=False)
    run = load_run(result.run_dir)
    assert {dict(s.meta)["prompt_tokens"] for s in run.summaries} == {11}
    assert run.scores.by_doc("llm", "completion_tokens") == {"n1": 7.0, "n2": 7.0, "n3": 7.0}
