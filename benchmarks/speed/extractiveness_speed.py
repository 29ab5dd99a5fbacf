"""Speed of sumbench.scoring.extractiveness vs a straightforward baseline, on one synthetic workload.

The workload is the one tests/test_extractiveness.py used to time (seeded, synthetic): 100 articles
of 400 words drawn from an 800-word vocabulary, 16 summaries per article (1,600 pairs), each summary
25 consecutive article words from a random start, 20 random vocabulary words and the article's first
15 words. ``--articles``, ``--per-article`` and ``--words`` scale it.

Two rows, each timed both ways on the same pairs:

* ``fragments``: the greedy extractive fragments of Grusky et al. (2018) on pre-tokenized text. Ours
  (``fragments``) indexes the article once (token -> positions); the baseline is Algorithm 1 as
  printed in the paper, a naive O(|S| * |A|) scan of the whole article for every summary position.
* ``extractiveness()``: every statistic of a pair from raw text (tokenize, fragments, coverage,
  density, compression, novel 1/2/3-grams, redundancy). The baseline is the same computation with
  the naive fragment scan.

Prints seconds (best of ``--repeat``), microseconds per pair, the ratio baseline / ours and the
parity count (pairs where both sides give identical fragments / identical statistics). Not a test:
nothing is asserted.

    python benchmarks/speed/extractiveness_speed.py [--repeat 5] [--articles 100] [--per-article 16]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

from sumbench.scoring.extractiveness import (
    EXTRACTIVENESS_COLUMNS,
    Fragment,
    extractiveness,
    fragments,
    tokenize,
)


def workload(n_articles: int, per_article: int, words: int, seed: int = 0) -> list[tuple[str, str]]:
    """(article, summary) pairs, built exactly as the former timing test built them (for the defaults)."""
    rng = random.Random(seed)
    vocab = [f"w{k}" for k in range(800)]
    articles = [" ".join(rng.choice(vocab) for _ in range(words)) for _ in range(n_articles)]
    pairs = []
    for art in articles:
        toks = art.split()
        for _ in range(per_article):
            start = rng.randrange(0, max(1, words - 100))
            summ = toks[start : start + 25] + [rng.choice(vocab) for _ in range(20)] + toks[:15]
            pairs.append((art, " ".join(summ)))
    return pairs


# ------------------------------------------------------------------------------------ baseline
def naive_fragments(article: Sequence[str], summary: Sequence[str]) -> list[Fragment]:
    """Algorithm 1 of Grusky et al. (2018), literally: for each summary position scan the whole article."""
    found: list[Fragment] = []
    i = 0
    while i < len(summary):
        best_len, best_j = 0, -1
        j = 0
        while j < len(article):
            if summary[i] == article[j]:
                ii, jj = i, j
                while ii < len(summary) and jj < len(article) and summary[ii] == article[jj]:
                    ii, jj = ii + 1, jj + 1
                if ii - i > best_len:
                    best_len, best_j = ii - i, j
                j = jj
            else:
                j += 1
        if best_len:
            found.append(Fragment(i, best_j, best_len))
        i += max(best_len, 1)
    return found


def _ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[k : k + n]) for k in range(len(tokens) - n + 1)]


def naive_extractiveness(article: str, summary: str) -> dict[str, float]:
    """The statistics of :func:`extractiveness`, with the naive fragment scan."""
    a, s = tokenize(article), tokenize(summary)
    out: dict[str, float] = {}
    if s:
        frags = naive_fragments(a, s)
        out["coverage"] = sum(f.length for f in frags) / len(s)
        out["density"] = sum(f.length * f.length for f in frags) / len(s)
        out["fragment_compression"] = len(a) / len(s)
    else:
        out["coverage"] = out["density"] = 0.0
        out["fragment_compression"] = math.nan
    for n in (1, 2, 3):
        grams = _ngrams(s, n)
        article_grams = set(_ngrams(a, n))
        out[f"novel_{n}gram"] = sum(g not in article_grams for g in grams) / len(grams) if grams else 0.0
    for n in (1, 2):
        grams = _ngrams(s, n)
        out[f"redundancy_{n}gram"] = 1.0 - len(set(grams)) / len(grams) if grams else 0.0
    return {key: out[key] for key in EXTRACTIVENESS_COLUMNS}


# --------------------------------------------------------------------------------------- timing
def _best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _same(x: dict[str, float], y: dict[str, float]) -> bool:
    return all(x[k] == y[k] or (math.isnan(x[k]) and math.isnan(y[k])) for k in EXTRACTIVENESS_COLUMNS)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--per-article", type=int, default=16, help="summaries per article")
    parser.add_argument("--words", type=int, default=400, help="words per article (at least 101)")
    parser.add_argument("--repeat", type=int, default=5, help="best-of for both sides")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.words <= 100:
        parser.error("--words must be at least 101")

    pairs = workload(args.articles, args.per_article, args.words, args.seed)
    tokenized = [(tokenize(a), tokenize(s)) for a, s in pairs]
    n = len(pairs)
    rows: list[tuple[str, float, float, int]] = []

    ours_s, ours = _best_of(lambda: [fragments(a, s) for a, s in tokenized], args.repeat)
    base_s, base = _best_of(lambda: [naive_fragments(a, s) for a, s in tokenized], args.repeat)
    rows.append(("fragments (tokenized)", ours_s, base_s, sum(x == y for x, y in zip(ours, base))))

    ours_s, ours = _best_of(lambda: [extractiveness(a, s) for a, s in pairs], args.repeat)
    base_s, base = _best_of(lambda: [naive_extractiveness(a, s) for a, s in pairs], args.repeat)
    rows.append(("extractiveness() (raw text)", ours_s, base_s, sum(_same(x, y) for x, y in zip(ours, base))))

    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs; best of {args.repeat}")
    print(
        f"workload: {args.articles} articles x {args.words} words, {args.per_article} summaries each "
        f"({n:,} pairs, 60-word summaries), seed {args.seed}\n"
    )
    width = max(len(r[0]) for r in rows)
    head = f"{'task':<{width}}  {'ours s':>8}  {'us/pair':>8}  {'naive s':>8}  {'us/pair':>8}  {'ratio':>7}  parity"
    print(head)
    print("-" * len(head))
    for task, ours_s, base_s, same in rows:
        print(
            f"{task:<{width}}  {ours_s:8.3f}  {ours_s / n * 1e6:8.1f}  {base_s:8.3f}  {base_s / n * 1e6:8.1f}  "
            f"{base_s / ours_s:6.1f}x  {same}/{n}"
        )
    print("ratio = naive / ours (higher: ours is faster); parity = pairs where both sides agree exactly")


if __name__ == "__main__":
    main()
