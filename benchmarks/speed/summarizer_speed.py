"""Speed and quality of sumbench's classic summarizers against sumy's, on the same documents.

Runs LexRank, TextRank, LSA, Luhn, SumBasic and KL-Sum from both libraries on the first ``--n``
BBC articles (``<repo>/../shared/corpora/bbc_news2225.jsonl.gz`` unless ``--corpus`` says
otherwise), ``--k`` sentences each, and prints docs/s for each side, the ratio ours/sumy and each
side's mean ROUGE-2 F (``rouge_score``, Porter stemming, max over references) with a paired
bootstrap confidence interval of the difference.

Both sides see the same sentences: sumy gets a tokenizer object whose ``to_sentences`` is
``sumbench.corpora.split_sentences`` and whose ``to_words`` is what sumy's default English tokenizer
does after sentence splitting (nltk's Treebank word tokenizer, then sumy's word filter), so no NLTK
data is needed. Both use English stop words (each library its own list) and, by default, no
stemming (``--stemming`` turns on Porter for ours and sumy's Snowball for sumy).

Timing is wall clock for summarizing all documents (ours: ``Plugin.summarize_documents``, as sumbench's
runner calls it; sumy: building its document model from the sentences plus the summarizer call), best of
``--repeat`` rounds with the two sides alternating, after a short warm-up. The sentence splitting
itself is outside the timing for both. BLAS runs single-threaded for both sides (``--blas-threads``).
With ``--stemming`` our Porter cache is warm after the first round (sumy does not cache stems).

    python benchmarks/speed/summarizer_speed.py [--n 500] [--k 3] [--repeat 3] [--stemming]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "bbc_news2225.jsonl.gz"
METHODS = ("LexRank", "TextRank", "LSA", "Luhn", "SumBasic", "KL-Sum")


def ours(k: int, stemming: bool) -> dict[str, Any]:
    from sumbench.summarizers.klsum import KLSum
    from sumbench.summarizers.lexrank import LexRank
    from sumbench.summarizers.lsa import LSA
    from sumbench.summarizers.luhn import Luhn
    from sumbench.summarizers.sumbasic import SumBasic
    from sumbench.summarizers.textrank import TextRank

    common = {"k": k, "stemming": stemming}
    return {
        "LexRank": LexRank(**common),
        "TextRank": TextRank(k=k),  # TextRank has no stemming option
        "LSA": LSA(**common),
        "Luhn": Luhn(**common),
        "SumBasic": SumBasic(**common),
        "KL-Sum": KLSum(**common),
    }


class SumyTokenizer:
    """sumy's tokenizer protocol on sumbench's sentence splitter (no punkt data needed)."""

    _WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['-])*$", re.UNICODE)  # sumy.nlp.tokenizers.Tokenizer._is_word

    def __init__(self) -> None:
        from nltk.tokenize import NLTKWordTokenizer

        self._words = NLTKWordTokenizer()
        self.language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        from sumbench.corpora import split_sentences

        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(w for w in self._words.tokenize(sentence) if self._WORD.match(w))


def sumy_side(k: int, stemming: bool) -> dict[str, Callable[[Any], str]]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer, null_stemmer
    from sumy.summarizers.kl import KLSummarizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.sum_basic import SumBasicSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    tokenizer = SumyTokenizer()
    stemmer = Stemmer("english") if stemming else null_stemmer
    stop_words = get_stop_words("english")
    classes = {
        "LexRank": LexRankSummarizer,
        "TextRank": TextRankSummarizer,
        "LSA": LsaSummarizer,
        "Luhn": LuhnSummarizer,
        "SumBasic": SumBasicSummarizer,
        "KL-Sum": KLSummarizer,
    }

    def make(cls: type) -> Callable[[Any], str]:
        summarizer = cls(stemmer)
        summarizer.stop_words = stop_words

        def run(doc: Any) -> str:
            model = ObjectDocumentModel([Paragraph([Sentence(s, tokenizer) for s in doc.sentences])])
            return "\n".join(str(s) for s in summarizer(model, k))

        return run

    return {name: make(cls) for name, cls in classes.items()}


def _summaries(plugin: Any, label: str, docs: Sequence[Any]) -> list[str]:
    """Summaries in document order, through the adapter's ``summarize_documents`` (as the runner)."""
    outcome = plugin.summarize_documents(docs, label)
    if outcome.failures:
        raise RuntimeError(f"{label}: {outcome.failures[0].error}")
    return [outcome.summaries[doc.id] for doc in docs]


def timed(fn: Callable[[Sequence[Any]], list[str]], docs: Sequence[Any]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    out = fn(docs)
    return time.perf_counter() - start, out


def rouge2(summaries: Sequence[str], docs: Sequence[Any]) -> np.ndarray:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)
    return np.array(
        [max(scorer.score(ref, summ)["rouge2"].fmeasure for ref in d.references) for summ, d in zip(summaries, docs)]
    )


def paired(a: np.ndarray, b: np.ndarray, samples: int, seed: int) -> tuple[float, float, float, float]:
    """Mean of ``a - b``, its percentile-bootstrap 95% interval and the two-sided p-value."""
    try:
        from sumbench.scoring.stats import paired_bootstrap
    except ImportError:  # pragma: no cover - older checkouts
        diffs = a - b
        rng = np.random.default_rng(seed)
        boot = diffs[rng.integers(0, len(diffs), (samples, len(diffs)))].mean(axis=1)
        obs = diffs.mean()
        p = min(1.0, 2 * np.mean(np.sign(boot) != np.sign(obs))) if obs else 1.0
        return float(obs), float(np.percentile(boot, 2.5)), float(np.percentile(boot, 97.5)), float(p)
    result = paired_bootstrap(a, b, n_samples=samples, seed=seed)
    return result.diff, result.low, result.high, result.p_value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--n", type=int, default=500, help="number of documents (default 500)")
    parser.add_argument("--k", type=int, default=3, help="sentences per summary (default 3)")
    parser.add_argument("--repeat", type=int, default=3, help="timing rounds, best kept (default 3)")
    parser.add_argument("--stemming", action="store_true", help="stem on both sides")
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--bootstrap", type=int, default=2000, help="bootstrap resamples (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="BLAS/LAPACK threads for both sides (default 1: per-document matrices are tiny, and "
        "threaded LAPACK on them is slower, badly so on a busy machine); 0 leaves the default",
    )
    args = parser.parse_args(argv)
    if args.blas_threads > 0:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.blas_threads)

    from sumbench.corpora import load_corpus
    from sumbench.summarizers.adapter import Plugin

    if not args.corpus.is_file():
        parser.error(f"corpus not found: {args.corpus} (give --corpus)")
    docs = list(load_corpus(str(args.corpus), limit=args.n).documents)
    mine, theirs = ours(args.k, args.stemming), sumy_side(args.k, args.stemming)
    print(
        f"{len(docs)} documents from {args.corpus.name}, k={args.k}, stemming={args.stemming}, "
        f"best of {args.repeat} rounds, BLAS threads {args.blas_threads or 'default'}; "
        f"ROUGE-2 F (rouge_score, stemmed), paired bootstrap "
        f"({args.bootstrap} resamples) of ours - sumy",
        flush=True,
    )
    header = (
        f"{'method':<9} {'ours docs/s':>11} {'sumy docs/s':>11} {'speed x':>8} "
        f"{'ours R2':>8} {'sumy R2':>8} {'diff [95% CI]':>26} {'p':>6}  verdict"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    for name in args.methods:
        a, b = mine[name], theirs[name]
        run_a = partial(_summaries, Plugin.wrap(a), name)  # what sumbench's runner calls
        run_b = lambda batch, b=b: [b(doc) for doc in batch]  # noqa: E731
        run_a(docs[:20])  # warm-up: imports, caches
        run_b(docs[:20])
        best_a = best_b = float("inf")
        out_a: list[str] = []
        out_b: list[str] = []
        for _ in range(args.repeat):
            seconds, out_a = timed(run_a, docs)
            best_a = min(best_a, seconds)
            seconds, out_b = timed(run_b, docs)
            best_b = min(best_b, seconds)
        speed_a, speed_b = len(docs) / best_a, len(docs) / best_b
        r_a, r_b = rouge2(out_a, docs), rouge2(out_b, docs)
        diff, low, high, p = paired(r_a, r_b, args.bootstrap, args.seed)
        fast = speed_a >= 10 * speed_b
        not_worse = not (high < 0)
        verdict = (
            ("ok" if fast and not_worse else "MISS") + ("" if fast else " (<10x)") + ("" if not_worse else " (worse)")
        )
        failures += verdict != "ok"
        ci = f"{diff:+.4f} [{low:+.4f}, {high:+.4f}]"
        print(
            f"{name:<9} {speed_a:>11.0f} {speed_b:>11.0f} {speed_a / speed_b:>7.1f}x "
            f"{r_a.mean():>8.4f} {r_b.mean():>8.4f} {ci:>26} {p:>6.3f}  {verdict}",
            flush=True,
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
