"""Speed of sumbench's ROUGE engine vs rouge-score 0.1.2 and rouge-score-rs (Rust), one core.

Scores the same pairs with each implementation in one run and prints pairs/s, the ratios and the
parity count (pairs where ours equals rouge-score to 1e-12 on every type and field). Workloads,
built from ../shared/corpora (one sentence per line, split with sumbench.corpora.split_sentences):

* ``short``: 10,000 pairs of ~60-word system summaries (judgment files) vs their references;
* ``long``: 1,000 pairs of 500-word candidates (article prefixes) vs ~60-word references.

ROUGE-1/2/L/Lsum, stemmer on and off. Our engine is timed cold (fresh scorer, stem cache
cleared) with ``score_batch`` and with a plain ``score`` loop. Times are CPU seconds of this process
and its children (``time.process_time`` + ``os.times``), pinned to one core, so other load on a
shared machine distorts them less; rouge-score-rs runs with ``RAYON_NUM_THREADS=1``.

    python benchmarks/speed/rouge_speed.py            # full run (a few minutes)
    python benchmarks/speed/rouge_speed.py --quick    # 2,000 + 200 pairs
    python benchmarks/speed/rouge_speed.py --perl     # also time ROUGE-1.5.5.pl (stemmed) if available
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("RAYON_NUM_THREADS", "1")  # keep the Rust scorer on one core too

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from sumbench.corpora import split_sentences  # noqa: E402
from sumbench.scoring import _perl_compat, _rouge_core  # noqa: E402
from sumbench.scoring.rouge import RougeScorer  # noqa: E402

TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
CORPORA = ROOT.parent / "shared" / "corpora"


def _rows(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _refs(row: dict[str, Any]) -> list[str]:
    refs = row.get("summaries") or [row["summary"]]
    if isinstance(refs, str):
        refs = json.loads(refs)
    return [str(r) for r in refs]


def _lines(text: str) -> str:
    return "\n".join(s.strip() for s in split_sentences(text) if s.strip())


def build_short(n: int) -> list[tuple[str, str]]:
    """n (reference, system summary) pairs; cycles through each document's references."""
    pools = []
    for jpath in sorted(CORPORA.glob("*_judgments.jsonl.gz")):
        docs = {str(r["id"]): _refs(r) for r in _rows(CORPORA / jpath.name.replace("_judgments", ""))}
        for row in _rows(jpath):
            refs = docs.get(str(row["id"]))
            if refs:
                pools.append((refs, str(row["system_summary"])))
    pairs: list[tuple[str, str]] = []
    k = 0
    while len(pairs) < n:
        for refs, pred in pools:
            if k < len(refs) or k == 0:
                pairs.append((refs[k % len(refs)], pred))
                if len(pairs) == n:
                    break
        k += 1
    cache: dict[str, str] = {}
    return [(cache.setdefault(r, _lines(r)), cache.setdefault(p, _lines(p))) for r, p in pairs]


def _short_ref(ref: str, limit: int = 100, target: int = 60) -> str:
    sents = [x.strip() for x in split_sentences(ref) if x.strip()]
    if len(ref.split()) <= limit:
        return "\n".join(sents)
    kept: list[str] = []
    for sent in sents:
        if kept and sum(len(x.split()) for x in kept) + len(sent.split()) > target:
            break
        kept.append(sent)
    return "\n".join(kept)


def build_long(n: int, words: int = 500) -> list[tuple[str, str]]:
    """n (reference, 500-word article prefix) pairs: every article with at least ``words`` words
    against its first reference, then against its further references (CNN/DM has 11) until n.
    References longer than 100 words (BBC News extracts, ~170 words) keep their first sentences,
    about 60 words."""
    docs: list[tuple[list[str], str]] = []
    for path in sorted(CORPORA.glob("*.jsonl.gz")):
        if "_judgments" in path.name:
            continue
        for row in _rows(path):
            art = str(row.get("article") or "").split()
            if len(art) >= words:
                docs.append((_refs(row), _lines(" ".join(art[:words]))))
    pairs: list[tuple[str, str]] = []
    for k in range(max((len(refs) for refs, _ in docs), default=0)):
        for refs, cand in docs:
            if k < len(refs):
                pairs.append((_short_ref(refs[k]), cand))
                if len(pairs) == n:
                    return pairs
    return pairs


def cpu_seconds() -> float:
    """CPU time of this process plus its waited-for children (the Perl script runs as one)."""
    t = os.times()
    return time.process_time() + t.children_user + t.children_system


def timed(fn: Callable[[], list], repeat: int = 1) -> tuple[float, list]:
    best, out = float("inf"), []
    for _ in range(repeat):
        t0 = cpu_seconds()
        out = fn()
        best = min(best, cpu_seconds() - t0)
    return best, out


def same(a: dict, b: dict) -> bool:
    return all(abs(x - y) <= 1e-12 for t in TYPES for x, y in zip(a[t], b[t]))


def cold_ours(stem: bool) -> RougeScorer:
    _rouge_core.nltk_stem.cache_clear()
    _perl_compat.morph_stem.cache_clear()
    return RougeScorer(TYPES, use_stemmer=stem)


def bench(name: str, pairs: list[tuple[str, str]], stem: bool, perl: bool) -> dict[str, Any]:
    refs = [r for r, _ in pairs]
    preds = [p for _, p in pairs]
    n = len(pairs)
    row: dict[str, Any] = {"workload": name, "stem": stem, "pairs": n}
    from rouge_score import rouge_scorer

    rs = rouge_scorer.RougeScorer(TYPES, use_stemmer=stem)
    t, theirs = timed(lambda: [rs.score(r, p) for r, p in pairs])
    row["rouge-score"] = n / t
    t, ours = timed(lambda: cold_ours(stem).score_batch(refs, preds), repeat=3)
    row["ours batch"] = n / t

    def loop() -> list:
        s = cold_ours(stem)
        return [s.score(r, p) for r, p in pairs]

    t, ours_loop = timed(loop, repeat=3)
    row["ours score()"] = n / t
    row["parity"] = sum(same(a, b) and same(c, b) for a, b, c in zip(ours, theirs, ours_loop))
    try:
        import rouge_score_rs

        rust = rouge_score_rs.RougeScorer(TYPES, use_stemmer=stem)
        t, rust_out = timed(lambda: rust.score_batch(refs, preds), repeat=3)
        row["rouge-score-rs"] = n / t
        row["rs parity"] = sum(same(a, b) for a, b in zip(rust_out, theirs))
    except ImportError:
        row["rouge-score-rs"] = None
    if perl and stem:
        try:
            from sumbench.scoring.perl_runner import run_perl_rouge

            t, _ = timed(lambda: run_perl_rouge(preds, [[r] for r in refs], stem=True, max_n=2))
            row["ROUGE-1.5.5.pl"] = n / t
        except Exception as exc:  # noqa: BLE001 - reported, not fatal
            print(f"(Perl skipped: {exc})", file=sys.stderr)
    return row


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="2,000 short and 200 long pairs")
    ap.add_argument("--perl", action="store_true", help="also time the Perl script (stemmed runs)")
    ap.add_argument("--all-cores", action="store_true", help="do not pin the process to one core")
    args = ap.parse_args(argv)
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    if not CORPORA.is_dir():
        sys.exit(f"shared corpora not found at {CORPORA}")
    n_short, n_long = (2000, 200) if args.quick else (10_000, 1000)
    workloads = [("short ~60w", build_short(n_short)), ("long 500w", build_long(n_long))]
    rows = []
    for name, pairs in workloads:
        for stem in (False, True):
            rows.append(bench(name, pairs, stem, args.perl))
            print(f"done: {name} stem={stem}", file=sys.stderr)
    print_table(rows)


def print_table(rows: list[dict[str, Any]]) -> None:
    def fmt(x: Any) -> str:
        return "-" if x is None else f"{x:,.0f}"

    perl = any("ROUGE-1.5.5.pl" in r for r in rows)
    head = [
        "workload",
        "stem",
        "pairs",
        "rouge-score",
        "rs (Rust)",
        "ours batch",
        "ours score()",
        "ours/rouge-score",
        "ours/rs",
        "parity",
    ] + (["Perl"] if perl else [])
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        rust = r.get("rouge-score-rs")
        cells = [
            r["workload"],
            "on" if r["stem"] else "off",
            f"{r['pairs']:,}",
            fmt(r["rouge-score"]),
            fmt(rust),
            fmt(r["ours batch"]),
            fmt(r["ours score()"]),
            f"{r['ours batch'] / r['rouge-score']:.1f}x",
            f"{r['ours batch'] / rust:.2f}x" if rust else "-",
            f"{r['parity']}/{r['pairs']}",
        ]
        if perl:
            cells.append(fmt(r.get("ROUGE-1.5.5.pl")))
        print("| " + " | ".join(cells) + " |")
    print(
        "pairs/s on one core; ratios use 'ours batch'; parity = pairs where ours (batch and score()) "
        "equals rouge-score to 1e-12 on all of " + ", ".join(TYPES)
    )


if __name__ == "__main__":
    main()
