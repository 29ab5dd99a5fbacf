"""Peak memory and time of every classic summarizer on one ~1 MB article.

Builds one article of about ``--mb`` megabytes (default 1) by concatenating distinct BBC News
articles in corpus order (``<repo>/../shared/corpora/bbc_news2225.jsonl.gz``; without it, the
bundled corpora), split with sumbench's sentence splitter; its reference is the first references of
the first five articles, joined. Each summarizer (``lead``, ``random``, ``oracle``, ``textrank``,
``lexrank``, ``lsa``, ``luhn``, ``sumbasic``, ``klsum``, ``centroid``, ``mmr``, built by the registry
with its defaults plus ``--param``) then summarizes it in a fresh Python process, and one table row
says:

- ``seconds``: wall clock of summarizing alone (imports and reading the article excluded), through
  ``summarize_batch`` where the summarizer has one, as a run calls it;
- ``peak RSS MB``: the child process's peak resident memory (``os.wait4``'s ``ru_maxrss``), everything
  included: the interpreter, the imports, the article and the summary. The ``(baseline)`` row is a
  child that reads the article and imports the summarizers without summarizing;
- ``sentences``: the article's sentence count;
- ``method``: ``exact`` when the document takes the summarizer's exact (dense) code path, else the
  summarizer's large-document path (``ClassicSummarizer.ranking_method``): ``sparse: ...`` is the
  same method on sparse matrices, ``bounded: ...`` a bounded variant.

    python benchmarks/speed/big_article.py [--mb 1.0] [--only textrank,lexrank] [--param max_words=100]

This is a benchmark, not a test: ``tests/test_zoo_classic.py`` asserts the memory bound (not the time)
for TextRank, LexRank and MMR.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
BBC = REPO.parent / "shared" / "corpora" / "bbc_news2225.jsonl.gz"
SUMMARIZERS = ("lead", "random", "oracle", "textrank", "lexrank", "lsa", "luhn", "sumbasic", "klsum", "centroid", "mmr")
BASELINE = "(baseline)"


def build_article(megabytes: float) -> dict[str, Any]:
    """``{"id", "text", "sentences", "references", "articles"}`` of one article of about ``megabytes`` MB."""
    from sumbench.corpora import bundled_corpora, load_corpus
    from sumbench.text import split_sentences

    sources = [str(BBC)] if BBC.exists() else list(bundled_corpora())
    target = int(megabytes * 1_000_000)
    texts: list[str] = []
    references: list[str] = []
    seen: set[str] = set()
    size = 0
    for source in sources:
        for doc in load_corpus(source).documents:
            if doc.text in seen:  # the BBC corpus repeats some articles
                continue
            seen.add(doc.text)
            texts.append(doc.text)
            references.append(doc.references[0])
            size += len(doc.text.encode("utf-8")) + 2
            if size >= target:
                break
        if size >= target:
            break
    text = "\n\n".join(texts)
    return {
        "id": f"big-{megabytes}mb",
        "text": text,
        "sentences": split_sentences(text),
        "references": [" ".join(references[:5])],
        "articles": len(texts),
    }


def child(name: str, article_path: str, params: dict[str, Any]) -> None:
    """Summarize the article with ``name`` and print one JSON line (runs in the fresh process)."""
    from sumbench.records import Document
    from sumbench.summarizers.registry import build

    data = json.loads(Path(article_path).read_text(encoding="utf-8"))
    doc = Document(data["id"], data["text"], tuple(data["sentences"]), tuple(data["references"]))
    if name == BASELINE:
        for each in SUMMARIZERS:
            build(each)
        print(json.dumps({"seconds": 0.0, "method": "", "words": 0}))
        return
    summarizer = build(name, params)
    start = time.perf_counter()
    # as the runner calls it: summarize_batch where there is one (the classic summarizers' runs BLAS
    # single-threaded; threaded BLAS on a busy machine makes every small product slow)
    summary = (
        summarizer.summarize_batch([doc])[0] if hasattr(summarizer, "summarize_batch") else summarizer.summarize(doc)
    )
    seconds = time.perf_counter() - start
    method = summarizer.ranking_method(doc) if hasattr(summarizer, "ranking_method") else "exact"
    print(json.dumps({"seconds": seconds, "method": method, "words": len(summary.split())}))


def measure(name: str, article_path: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run one child and return its JSON line plus its own peak RSS (``os.wait4``)."""
    command = [sys.executable, __file__, "--child", name, "--article", article_path, "--params", json.dumps(params)]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        result: dict[str, Any] = {"error": (stderr.strip().splitlines() or ["failed"])[-1], "seconds": float("nan")}
    else:
        result = json.loads(stdout.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    result["process_seconds"] = wall
    return result


def parse_params(pairs: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="article size in megabytes (default 1)")
    parser.add_argument("--only", help="comma-separated summarizers (default: all classic ones)")
    parser.add_argument("--param", action="append", default=[], help="k=v given to every summarizer")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--article", help=argparse.SUPPRESS)
    parser.add_argument("--params", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.article, json.loads(args.params))
        return 0

    names = args.only.split(",") if args.only else list(SUMMARIZERS)
    params = parse_params(args.param)
    article = build_article(args.mb)
    n = len(article["sentences"])
    megabytes = len(article["text"].encode("utf-8")) / 1_000_000
    print(f"article: {megabytes:.2f} MB, {n} sentences, {article['articles']} articles concatenated; params {params}")
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "article.json")
        Path(path).write_text(json.dumps(article), encoding="utf-8")
        print(f"| {'summarizer':<10} | {'seconds':>7} | {'peak RSS MB':>11} | {'sentences':>9} | method |")
        print(f"|{'-' * 12}|{'-' * 9}:|{'-' * 12}:|{'-' * 10}:|--------|")
        for name in [BASELINE, *names]:
            result = measure(name, path, params)
            method = result.get("error") or result["method"]
            row = f"| {name:<10} | {result['seconds']:>7.2f} | {result['peak_mb']:>11.0f} | {n:>9} | {method} |"
            print(row, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
