"""Runs that survive real work: timeouts, interrupts, kill -9, exit statuses, --out, workers."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sumbench.cli import main
from sumbench.runfolder import load_run

PLUGINS = '''
import os
import time
from pathlib import Path


class HangsOnBridge:
    """Hangs on one document."""

    def __init__(self):
        pass

    def summarize(self, doc):
        if "bridge" in doc.text:
            time.sleep(600)
        return doc.sentences[0]


class HangingBatch:
    """Its batch hangs; one document at a time works."""

    def __init__(self):
        pass

    def summarize(self, doc):
        return doc.sentences[-1]

    def summarize_batch(self, docs):
        time.sleep(600)


class DiesOnStorm:
    """Kills its own process on one document."""

    def __init__(self):
        pass

    def summarize(self, doc):
        if "storm" in doc.text:
            os._exit(3)
        return doc.sentences[0]


class AlwaysFails:
    """Fails on every document."""

    def __init__(self):
        pass

    def summarize(self, doc):
        raise RuntimeError("no model")


class Slow:
    """Slow, and counts its calls in a file (to see what a re-run recomputes)."""

    def __init__(self, delay: float = 0.05, log: str = ""):
        self.delay = delay
        self.log = log

    def summarize(self, doc):
        time.sleep(self.delay)
        if self.log:
            with open(self.log, "a") as handle:
                handle.write(doc.id + "\\n")
        return doc.sentences[0] + " " + doc.id
'''


@pytest.fixture
def plugins(tmp_path) -> Path:
    path = tmp_path / "plugins.py"
    path.write_text(PLUGINS, encoding="utf-8")
    return path


def _suite(path: Path, corpus: Path, summarizers: str, run: str = "", docs: int | None = None) -> Path:
    path.write_text(
        f'name = "x"\nseed = 1\n\n[corpus]\nsource = "{corpus}"\n'
        + (f"limit = {docs}\n" if docs else "")
        + f"\n{summarizers}\n\n[scoring]\nbootstrap_samples = 100\n\n[run]\n{run}\n",
        encoding="utf-8",
    )
    return path


def _many(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "many.jsonl"
    lines = [
        json.dumps(
            {
                "id": f"d{k:03d}",
                "article": f"Story {k} begins here. It goes on {k} times. The end.",
                "summaries": [f"Story {k} begins."],
            }
        )
        for k in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_hung_document_times_out_and_the_run_goes_on(tmp_path, plugins, news_jsonl):
    suite = _suite(
        tmp_path / "s.toml",
        news_jsonl,
        f'[[summarizers]]\nuse = "{plugins}:HangsOnBridge"\nlabel = "hang"\ntimeout_s = 2',
    )
    assert main(["run", str(suite), "--out", str(tmp_path / "run"), "--no-cache", "--quiet"]) == 0
    run = load_run(tmp_path / "run")
    assert [(f.doc_id, f.error) for f in run.failures] == [("n2", "timeout after 2 s")]
    assert {s.doc_id for s in run.summaries} == {"n1", "n3"}


def test_a_hung_batch_is_retried_one_by_one(tmp_path, plugins, news_jsonl):
    suite = _suite(
        tmp_path / "s.toml",
        news_jsonl,
        f'[[summarizers]]\nuse = "{plugins}:HangingBatch"\nlabel = "batch"\ntimeout_s = 1',
    )
    assert main(["run", str(suite), "--out", str(tmp_path / "run"), "--no-cache", "--quiet"]) == 0
    run = load_run(tmp_path / "run")
    assert len(run.summaries) == 3 and not run.failures
    assert any(
        "a batch of 3 documents ran past 1 s per document; retried the 3 documents one by one" in w
        for w in run.manifest.warnings
    )


def test_a_dying_worker_is_replaced_and_its_document_recorded(tmp_path, plugins, news_jsonl):
    suite = _suite(
        tmp_path / "s.toml",
        news_jsonl,
        f'[[summarizers]]\nuse = "{plugins}:DiesOnStorm"\nlabel = "dies"',
        run='jobs = 1\nexecutor = "processes"',
    )
    assert main(["run", str(suite), "--out", str(tmp_path / "run"), "--no-cache", "--quiet"]) == 0
    run = load_run(tmp_path / "run")
    assert [(f.doc_id, f.error) for f in run.failures] == [("n3", "the worker process died")]
    assert {s.doc_id for s in run.summaries} == {"n1", "n2"}


@pytest.mark.slow
def test_exit_status_when_systems_fail(tmp_path, plugins, news_jsonl, capsys):
    always = f'[[summarizers]]\nuse = "{plugins}:AlwaysFails"\nlabel = "broken"\n\n[[summarizers]]\nuse = "lead"'
    assert (
        main(
            [
                "run",
                str(_suite(tmp_path / "a.toml", news_jsonl, always)),
                "--out",
                str(tmp_path / "a"),
                "--no-cache",
                "--quiet",
            ]
        )
        == 3
    )
    err = capsys.readouterr().err
    assert "broken failed on every document (exit status 3)" in err
    once = f'[[summarizers]]\nuse = "{plugins}:HangsOnBridge"\nlabel = "flaky"\ntimeout_s = 1'
    strict = _suite(tmp_path / "b.toml", news_jsonl, once, run="max_failure_rate = 0.2")
    assert main(["run", str(strict), "--out", str(tmp_path / "b"), "--no-cache", "--quiet"]) == 3
    assert "flaky failed on more than 20% of the documents" in capsys.readouterr().err
    lenient = _suite(tmp_path / "c.toml", news_jsonl, once, run="max_failure_rate = 0.5")
    assert main(["run", str(lenient), "--out", str(tmp_path / "c"), "--no-cache", "--quiet"]) == 0


def test_out_onto_an_existing_folder_needs_force(tmp_path, suite_file, capsys):
    suite = str(suite_file())
    out = tmp_path / "run"
    assert main(["run", suite, "--out", str(out), "--no-cache", "--quiet"]) == 0
    first = (out / "manifest.json").read_text()
    assert main(["run", suite, "--out", str(out), "--no-cache", "--quiet"]) == 2
    assert "already exists; choose another --out, or pass --force" in capsys.readouterr().err
    assert (out / "manifest.json").read_text() == first
    assert main(["run", suite, "--out", str(out), "--no-cache", "--quiet", "--force"]) == 0
    assert json.loads((out / "manifest.json").read_text())["created"] >= json.loads(first)["created"]
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    assert main(["run", suite, "--out", str(precious), "--no-cache", "--quiet", "--force"]) == 2
    assert "not a sumbench run folder" in capsys.readouterr().err and (precious / "thesis.tex").exists()


def test_the_terminal_table_then_the_run_folder_last(tmp_path, suite_file, capsys):
    assert (
        main(
            [
                "run",
                str(suite_file('use = "lead"\n\n[[summarizers]]\nuse = "random"')),
                "--out",
                str(tmp_path / "run"),
                "--no-cache",
                "--quiet",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert captured.out.strip().splitlines()[-1] == str(tmp_path / "run")
    header = next(line for line in captured.err.splitlines() if "rouge2_f" in line)
    assert "95% CI" in header and "failed" in header
    assert any(line.lstrip().startswith("lead") for line in captured.err.splitlines())


@pytest.mark.slow
def test_jobs_give_byte_identical_run_folders(tmp_path):
    from conftest import REPO

    suite = str(REPO / "benchmarks" / "news.toml")
    for jobs in ("1", "2"):
        assert (
            main(
                ["run", suite, "--limit", "24", "--out", str(tmp_path / jobs), "--no-cache", "--quiet", "--jobs", jobs]
            )
            == 0
        )
    for name in ("scores.csv", "summaries.jsonl", "aggregates.json", "significance.json", "documents.jsonl"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def _cached(cache: Path) -> int:
    if not cache.exists():
        return 0
    try:
        with sqlite3.connect(cache) as connection:
            return connection.execute("SELECT COUNT(*) FROM summaries").fetchone()[0]
    except sqlite3.OperationalError:  # the run has not made its table yet
        return 0


def _start(suite: Path, out: Path, cache: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sumbench.cli", "run", str(suite), "--out", str(out), "--cache", str(cache), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(cache: Path, at_least: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while _cached(cache) < at_least:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.05)


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_and_sigterm_stop_cleanly_and_keep_finished_chunks(tmp_path, plugins, how):
    corpus = _many(tmp_path, 40)
    suite = _suite(
        tmp_path / "s.toml", corpus, f'[[summarizers]]\nuse = "{plugins}:Slow"\nlabel = "slow"', run="chunk_size = 5"
    )
    cache = tmp_path / "cache.sqlite"
    process = _start(suite, tmp_path / "run", cache)
    _wait_for(cache, 10, process)
    process.send_signal(how)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "interrupted after" in lines[0] and "run the same command again to resume" in lines[0]
    assert not (tmp_path / "run").exists()
    assert _cached(cache) >= 10 and _cached(cache) % 5 == 0  # whole chunks only


@pytest.mark.slow
def test_kill_9_loses_at_most_the_chunk_in_flight(tmp_path, plugins):
    corpus = _many(tmp_path, 60)
    log = tmp_path / "calls.log"
    summarizer = f'[[summarizers]]\nuse = "{plugins}:Slow"\nlabel = "slow"\nparams = {{ log = "{log}" }}'
    suite = _suite(tmp_path / "s.toml", corpus, summarizer, run="chunk_size = 5")
    cache = tmp_path / "cache.sqlite"
    process = _start(suite, tmp_path / "killed", cache)
    _wait_for(cache, 20, process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    made_before = len(log.read_text().splitlines())
    cached = _cached(cache)
    assert made_before - cached <= 5  # the chunk in flight is all that is lost
    log.unlink()
    resumed = _start(suite, tmp_path / "resumed", cache)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert len(log.read_text().splitlines()) == 60 - cached  # nothing cached is made again
    clean = _start(suite, tmp_path / "clean", tmp_path / "other-cache.sqlite")
    assert clean.wait(timeout=300) == 0
    assert (tmp_path / "resumed" / "scores.csv").read_bytes() == (tmp_path / "clean" / "scores.csv").read_bytes()


def test_a_missing_ray_is_one_line_naming_the_extra_and_leaves_no_folder(monkeypatch, suite_file, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    out = tmp_path / "run"
    assert main(["run", str(suite_file()), "--executor", "ray", "--out", str(out), "--no-cache", "--quiet"]) == 2
    assert capsys.readouterr().err.strip() == "sumbench: error: the ray executor needs Ray: pip install 'sumbench[ray]'"
    assert not out.exists()


def test_workers_that_cannot_start_are_one_error_not_a_loop(tmp_path, news_jsonl):
    """Spawned workers import the parent's __main__: from a program read on stdin they cannot start."""
    script = (
        "from sumbench.runner import run_suite\n"
        "from sumbench.suite import load_suite, resolve_suite, with_overrides\n"
        "from sumbench.errors import RunError\n"
        f"suite = with_overrides(load_suite({str(tmp_path / 's.toml')!r}), jobs=2)\n"
        "try:\n"
        f"    run_suite(resolve_suite(suite), out_dir={str(tmp_path / 'run')!r}, use_cache=False, render=False)\n"
        "except RunError as exc:\n"
        "    print('RunError:', exc)\n"
    )
    _suite(tmp_path / "s.toml", news_jsonl, '[[summarizers]]\nuse = "lead"')
    completed = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=120)
    assert "RunError: a worker process could not start" in completed.stdout, completed.stderr[-2000:]
    assert not (tmp_path / "run").exists()


def test_no_cache_reuses_a_repeated_article_but_calls_nothing_a_cache_hit(tmp_path, news_jsonl):
    from conftest import NEWS

    twice = [*NEWS, {**NEWS[0], "id": "n1-again"}]
    news_jsonl.write_text("".join(json.dumps(r) + "\n" for r in twice), encoding="utf-8")
    suite = _suite(tmp_path / "s.toml", news_jsonl, '[[summarizers]]\nuse = "lead"', run="chunk_size = 2")
    assert main(["run", str(suite), "--out", str(tmp_path / "run"), "--no-cache", "--quiet"]) == 0
    run = load_run(tmp_path / "run")
    assert run.manifest.cache.hits == 0 and not any(s.cached for s in run.summaries)
    texts = {s.doc_id: s.text for s in run.summaries}
    assert texts["n1"] == texts["n1-again"]
