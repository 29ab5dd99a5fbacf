"""End-to-end cost of ``sumbench run``: cold vs warm, --jobs 1 vs 2, 100,000 documents, ray vs processes.

Every row runs the real command line in a fresh process and measures, from outside:

- wall seconds, CPU seconds (the process and all its children),
- peak RSS: the largest sum of resident memory over the whole process tree (sampled every 0.1 s,
  so worker processes count), in MB.

Rows (each measured in this one run, ratios between rows of this run):

1. ``sumbench --help``                                  target < 1 s
2. default suite (benchmarks/news.toml), cold: no summary cached
3. default suite, warm: every summary cached             target < 3 s wall
4. BBC 2,225 x the classic zoo, --jobs 1 and --jobs 2   target >= 1.7x
5. 100,000 synthetic documents (the BBC articles replicated with new ids) x lead, textrank,
   lexrank, --jobs 2                                     target < 10 min, < 1.5 GB peak RSS
6. the news suite under --executor processes (jobs 2) and --executor ray (if Ray is installed)

    python benchmarks/speed/end_to_end.py                 # everything (about 15 minutes here)
    python benchmarks/speed/end_to_end.py --skip-100k     # the quick rows
    python benchmarks/speed/end_to_end.py --docs 20000    # a smaller synthetic corpus

The BBC corpus is read from ../shared/corpora/bbc_news2225.jsonl.gz (beside the checkout).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BBC = REPO.parent / "shared" / "corpora" / "bbc_news2225.jsonl.gz"
CLASSIC = ("lead", "random", "oracle", "textrank", "lexrank", "lsa", "luhn", "sumbasic", "klsum", "centroid", "mmr")


@dataclass
class Measured:
    wall: float
    cpu: float
    peak_mb: float
    returncode: int
    stdout: str


def _tree_rss_kb(root: int) -> int:
    """Resident memory (kB) of ``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        pid = int(entry)
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def measure(command: list[str], env: dict[str, str] | None = None, cwd: Path = REPO) -> Measured:
    """Run ``command``; wall, CPU of the whole tree, and the peak of the tree's summed RSS."""
    before = os.times()
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = process.communicate()
    stop.set()
    sampler.join()
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Measured(wall, cpu, peak / 1024, process.returncode, stdout)


def sumbench(*args: str) -> list[str]:
    return [sys.executable, "-m", "sumbench.cli", *args]


def write_suite(path: Path, source: Path, summarizers: list[str], extra: str = "") -> Path:
    blocks = "\n".join(f'[[summarizers]]\nuse = "{name}"\nlabel = "{name}"\n' for name in summarizers)
    path.write_text(
        f'name = "{path.stem}"\nseed = 0\n\n[corpus]\nsource = "{source}"\nreference_fields = ["summaries"]\n'
        f'title_field = "title"\n\n{blocks}\n{extra}',
        encoding="utf-8",
    )
    return path


def replicate_bbc(path: Path, documents: int) -> Path:
    with gzip.open(BBC, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    with open(path, "w", encoding="utf-8") as out:
        for k in range(documents):
            record = dict(records[k % len(records)])
            record["id"] = f"syn-{k:06d}"
            out.write(json.dumps(record) + "\n")
    return path


def row(name: str, m: Measured, note: str = "") -> None:
    status = "" if m.returncode == 0 else f" (exit {m.returncode})"
    print(f"| {name} | {m.wall:.1f} | {m.cpu:.1f} | {m.peak_mb:.0f} | {note}{status} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000, help="synthetic corpus size (default 100,000)")
    parser.add_argument("--skip-100k", action="store_true", help="skip the synthetic corpus row")
    parser.add_argument("--skip-bbc", action="store_true", help="skip the BBC x zoo rows")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sumbench-e2e-"))
    cache_env = {"SUMBENCH_CACHE_DIR": str(work / "cache")}
    print("| run | wall s | CPU s | peak RSS MB | notes |")
    print("|---|---:|---:|---:|---|")

    row("`sumbench --help`", measure(sumbench("--help")), "target < 1 s")

    news = REPO / "benchmarks" / "news.toml"
    cold = measure(sumbench("run", str(news), "--quiet", "--out", str(work / "cold")), cache_env)
    row("news suite, cold (nothing cached)", cold)
    warm = measure(sumbench("run", str(news), "--quiet", "--out", str(work / "warm")), cache_env)
    row("news suite, warm (all cached)", warm, f"target < 3 s; {cold.wall / warm.wall:.1f}x faster than cold")

    if not args.skip_bbc and BBC.exists():
        suite = write_suite(work / "bbc-zoo.toml", BBC, list(CLASSIC))
        one = measure(sumbench("run", str(suite), "--quiet", "--no-cache", "--jobs", "1", "--out", str(work / "j1")))
        row("BBC 2,225 x 11 classic, --jobs 1", one)
        two = measure(sumbench("run", str(suite), "--quiet", "--no-cache", "--jobs", "2", "--out", str(work / "j2")))
        same = (work / "j1" / "scores.csv").read_bytes() == (work / "j2" / "scores.csv").read_bytes()
        row(
            "BBC 2,225 x 11 classic, --jobs 2",
            two,
            f"**{one.wall / two.wall:.2f}x** vs --jobs 1 (target >= 1.7x); scores.csv identical: {same}",
        )

    if not args.skip_100k and BBC.exists():
        corpus = replicate_bbc(work / "synthetic.jsonl", args.docs)
        suite = write_suite(work / "synthetic.toml", corpus, ["lead", "textrank", "lexrank"])
        big = measure(sumbench("run", str(suite), "--quiet", "--no-cache", "--jobs", "2", "--out", str(work / "big")))
        report = work / "big" / "report.html"
        size = report.stat().st_size / 1e6 if report.exists() else float("nan")
        row(
            f"{args.docs:,} synthetic x 3, --jobs 2",
            big,
            f"{args.docs / big.wall:.0f} docs/s; report.html {size:.1f} MB; target < 600 s, < 1536 MB",
        )

    try:
        import ray  # noqa: F401

        has_ray = True
    except ImportError:
        has_ray = False
    processes = measure(
        sumbench(
            "run",
            str(news),
            "--quiet",
            "--no-cache",
            "--executor",
            "processes",
            "--jobs",
            "2",
            "--out",
            str(work / "processes"),
        )
    )
    row("news suite, --executor processes --jobs 2", processes)
    if has_ray:
        on_ray = measure(
            sumbench("run", str(news), "--quiet", "--no-cache", "--executor", "ray", "--out", str(work / "ray"))
        )
        same = (work / "processes" / "scores.csv").read_bytes() == (work / "ray" / "scores.csv").read_bytes()
        row(
            "news suite, --executor ray",
            on_ray,
            f"{on_ray.wall - processes.wall:+.1f} s vs processes (Ray's start-up); scores.csv identical: {same}",
        )
    else:
        print("| news suite, --executor ray | | | | Ray not installed (pip install 'sumbench[ray]') |")
    print(f"\nrun folders under {work}")


if __name__ == "__main__":
    main()
