"""Speed of sumbench.languages' tokenizers vs today's default ROUGE tokenizer, on the shared corpora.

"Before" is the tokenizer of sumbench's ROUGE engine in rouge-score mode
(``sumbench.scoring._rouge_core.rs_tokenize(text, stem=False)``: lowercase, ``[a-z0-9]+``, a tuple);
"ours" is the ``unicode`` tokenizer of :mod:`sumbench.languages` as the engine calls a tokenizer object
(``tuple(tokenizer.tokenize(text))``): Unicode letters, marks and digits; on ASCII text, and on English
text whose other characters are only punctuation such as ``£ ’ –``, it takes the same regex as a fast
path. Both are timed in the same run on the same texts, interleaved, best of
``--repeat``; the table prints tokens/s of each, the ratio ours/before in time (target: within 1.3x)
and the parity count (texts where both give the same tokens: the others hold non-ASCII letters, which
``unicode`` keeps and ``rouge-score`` drops).

Rows: every article and reference of the five English corpora of ../shared/corpora, then their
pure-ASCII and their other texts. With the multilingual sample present, a second table gives each
language's recommended tokenizer (warm: jieba's dictionary and MeCab loaded before timing) and
sentence splitter, for information (``rouge-score`` has nothing comparable to offer there).

    python benchmarks/speed/tokenizer_speed.py [--repeat 5] [--no-multilingual]

Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from sumbench.languages import make_sentence_splitter, make_tokenizer  # noqa: E402
from sumbench.scoring._rouge_core import rs_tokenize  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
ENGLISH = ["cnndm_summeval100", "xsum321", "bbc_news2225", "newsroom60", "frank499"]


def _rows(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _texts(row: dict[str, Any]) -> list[str]:
    refs = row.get("summaries") or [row["summary"]]
    if isinstance(refs, str):
        refs = json.loads(refs)
    return [str(row["article"]), *(str(r) for r in refs)]


def _time(fn: Callable[[str], Any], texts: Sequence[str]) -> tuple[float, list[Any]]:
    start = time.perf_counter()
    out = [fn(t) for t in texts]
    return time.perf_counter() - start, out


def compare(texts: Sequence[str], repeat: int) -> dict[str, Any]:
    """Best-of-``repeat`` seconds of before and ours on ``texts``, interleaved."""
    ours_tok = make_tokenizer("unicode")

    def before(text: str) -> Any:
        return rs_tokenize(text, False)

    def ours(text: str) -> Any:  # as the ROUGE engine calls a tokenizer object: tuple(tokenizer.tokenize(text))
        return tuple(ours_tok.tokenize(text))

    best_before = best_ours = float("inf")
    toks_before: list[Any] = []
    toks_ours: list[Any] = []
    for _ in range(repeat):
        t, toks_before = _time(before, texts)
        best_before = min(best_before, t)
        t, toks_ours = _time(ours, texts)
        best_ours = min(best_ours, t)
    n_before = sum(map(len, toks_before))
    n_ours = sum(map(len, toks_ours))
    same = sum(tuple(a) == tuple(b) for a, b in zip(toks_before, toks_ours))
    return {
        "texts": len(texts),
        "chars": sum(map(len, texts)),
        "before_tps": n_before / best_before if best_before else float("inf"),
        "ours_tps": n_ours / best_ours if best_ours else float("inf"),
        "ratio": best_ours / best_before if best_before else float("nan"),
        "same": same,
    }


def english_table(repeat: int) -> None:
    texts = [t for name in ENGLISH for row in _rows(CORPORA / f"{name}.jsonl.gz") for t in _texts(row)]
    groups = {
        "all English texts": texts,
        "  pure ASCII": [t for t in texts if t.isascii()],
        "  with non-ASCII": [t for t in texts if not t.isascii()],
    }
    print(f"English corpora ({', '.join(ENGLISH)}), best of {repeat}")
    head = f"{'texts':<20} {'n':>6} {'chars':>10} {'before tok/s':>13} {'unicode tok/s':>14} {'ratio':>6} {'same':>11}"
    print(head)
    print("-" * len(head))
    for label, group in groups.items():
        r = compare(group, repeat)
        print(
            f"{label:<20} {r['texts']:>6} {r['chars']:>10,} {r['before_tps']:>13,.0f} {r['ours_tps']:>14,.0f} "
            f"{r['ratio']:>5.2f}x {r['same']:>5}/{r['texts']:<5}"
        )
    print("ratio: unicode time / before time (target <= 1.3); same: texts with identical tokens")


def multilingual_table(repeat: int) -> None:
    path = CORPORA / "multilingual_news.jsonl.gz"
    if not path.is_file():
        print(f"(no {path}: multilingual table skipped)")
        return
    by_lang: dict[str, list[str]] = {}
    for row in _rows(path):
        by_lang.setdefault(row["lang"], []).extend(_texts(row))
    print()
    print(f"Multilingual sample: recommended settings per language, best of {repeat}")
    head = (
        f"{'lang':<5} {'texts':>6} {'chars':>9} {'tokenizer':<38} {'tok/s':>10} {'unicode tok/s':>14} "
        f"{'splitter':<24} {'chars/s':>10}"
    )
    print(head)
    print("-" * len(head))
    for lang, texts in by_lang.items():
        try:
            tok = make_tokenizer(None, lang)
            split = make_sentence_splitter(lang)
        except Exception as exc:  # noqa: BLE001 - a missing optional package: report and go on
            print(f"{lang:<5} skipped: {exc}")
            continue
        uni = make_tokenizer("unicode", lang)
        tok.tokenize(texts[0])  # warm: jieba's dictionary, MeCab
        best = best_uni = best_split = float("inf")
        toks: list[Any] = []
        utoks: list[Any] = []
        for _ in range(repeat):
            t, toks = _time(tok.tokenize, texts)
            best = min(best, t)
            t, utoks = _time(uni.tokenize, texts)
            best_uni = min(best_uni, t)
            t, _ = _time(split, texts)
            best_split = min(best_split, t)
        chars = sum(map(len, texts))
        print(
            f"{lang:<5} {len(texts):>6} {chars:>9,} {tok.signature:<38} {sum(map(len, toks)) / best:>10,.0f} "
            f"{sum(map(len, utoks)) / best_uni:>14,.0f} {split.signature:<24} {chars / best_split:>10,.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-multilingual", action="store_true", help="only the English comparison")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    english_table(args.repeat)
    if not args.no_multilingual:
        multilingual_table(max(1, min(args.repeat, 3)))


if __name__ == "__main__":
    main()
