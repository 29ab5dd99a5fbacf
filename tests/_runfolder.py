"""Small but realistic synthetic run folders, built as the typed records of :mod:`sumbench.runfolder`
and written by its ``write_run`` (the same writer the runner uses).

``write_run(path)`` writes 3 systems x 12 documents with one failed (document,
system), a document whose article and title carry hostile HTML, a summary with
``<b>bold</b>``, a document id that is not anchor-safe, and a system label with HTML
and mathtext characters.  ``write_run(path, variant="b")`` writes a second run of the
"same" suite for comparison: the ``lead`` system takes three sentences instead of
two (ROUGE moves), one system is dropped, one is added and one document is gone.

ROUGE here is a small self-contained approximation (unigram, bigram and LCS F with
max over references) -- good enough to look real, not meant to be correct ROUGE. Confidence
intervals and pairwise tests are sumbench's own (:mod:`sumbench.scoring.aggregate`).
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sumbench import runfolder
from sumbench.records import Aggregate, DocumentScores, Failure, Summary
from sumbench.runfolder import Comparison, CorpusInfo, DocumentEntry, Manifest, SystemEntry
from sumbench.scoring.aggregate import aggregate, score_matrices, significance
from sumbench.scoring.extractiveness import EXTRACTIVENESS_COLUMNS, extractiveness
from sumbench.scoring.lengths import LENGTH_COLUMNS

HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=2">'
HOSTILE_TITLE = "<script>window.__pwned=3</script>Breaking: markets & <i>more</i>"
BOLD = "<b>bold</b>"
HOSTILE_DOC = "doc-03"
ODD_DOC = "cnn/2019 #7 <a>"
FAILED = ("doc-05", "textrank")
FAILURE_ERROR = "TimeoutError: summarizer took > 30 s <on this input>"
ODD_SYSTEM = "tail <&> $x$"

_WORDS = (
    "government council minister report city police court market bank energy price "
    "election vote school health hospital water storm river bridge company workers "
    "union strike plan budget tax growth inflation rate season team coach match goal "
    "player club fans stadium museum artist film festival study scientists climate "
    "carbon emissions village farmers harvest rain drought road rail airport flights"
).split()
_FILLER = "the a of in on for to and with by from at as after over said new".split()
_TOKEN = re.compile(r"[a-z0-9]+")
_SENT = re.compile(r"(?<=[.!?])\s+")


def _sentence(rng: random.Random) -> str:
    n = rng.randint(9, 18)
    words = [rng.choice(_WORDS) if rng.random() < 0.6 else rng.choice(_FILLER) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _tok(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _sentences(text: str) -> list[str]:
    return [s for s in _SENT.split(text.strip()) if s]


def _prf(overlap: int, n_sum: int, n_ref: int) -> tuple[float, float, float]:
    p = overlap / n_sum if n_sum else 0.0
    r = overlap / n_ref if n_ref else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _ngram_overlap(s: list[str], r: list[str], n: int) -> tuple[float, float, float]:
    cs = Counter(tuple(s[k : k + n]) for k in range(len(s) - n + 1))
    cr = Counter(tuple(r[k : k + n]) for k in range(len(r) - n + 1))
    return _prf(sum((cs & cr).values()), sum(cs.values()), sum(cr.values()))


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _rouge(summary: str, refs: list[str]) -> dict[str, float]:
    s = _tok(summary)
    out: dict[str, float] = {}
    for name, fn in (
        ("rouge1", lambda r: _ngram_overlap(s, r, 1)),
        ("rouge2", lambda r: _ngram_overlap(s, r, 2)),
        ("rougeL", lambda r: _prf(_lcs(s, r), len(s), len(r))),
    ):
        best = max((fn(_tok(ref)) for ref in refs), key=lambda t: t[2])
        out[f"{name}_p"], out[f"{name}_r"], out[f"{name}_f"] = best
    return out


ROUGE_METRICS = tuple(f"{r}_{x}" for r in ("rouge1", "rouge2", "rougeL") for x in ("p", "r", "f"))
METRICS = (*ROUGE_METRICS, *LENGTH_COLUMNS, *EXTRACTIVENESS_COLUMNS)
TESTED = ("rouge1_f", "rouge2_f", "rougeL_f")


@dataclass(frozen=True)
class Synthetic:
    """The records of one synthetic run folder, as :func:`sumbench.runfolder.write_run` takes them."""

    manifest: Manifest
    documents: tuple[DocumentEntry, ...]
    summaries: tuple[Summary, ...]
    scores: tuple[DocumentScores, ...]
    aggregates: tuple[Aggregate, ...]
    comparisons: tuple[Comparison, ...]
    failures: tuple[Failure, ...]

    def write(self, path: str | Path) -> Path:
        return runfolder.write_run(
            path,
            self.manifest,
            documents=self.documents,
            summaries=self.summaries,
            scores=self.scores,
            aggregates=self.aggregates,
            comparisons=self.comparisons,
            failures=self.failures,
        )


def _documents(seed: int, variant: str) -> list[DocumentEntry]:
    rng = random.Random(seed)  # the corpus is the same in both variants
    doc_ids = [f"doc-{k:02d}" for k in range(1, 13)]
    doc_ids[6] = ODD_DOC
    documents = []
    for k, doc_id in enumerate(doc_ids):
        sents = [_sentence(rng) for _ in range(rng.randint(8, 14))]
        title = " ".join(_tok(sents[0])[:5]).title() if k % 4 else None
        if doc_id == HOSTILE_DOC:
            sents[0] = f"Officials said {HOSTILE_SCRIPT} the market fell."
            sents[1] = f"A picture {HOSTILE_IMG} went viral & spread."
            title = HOSTILE_TITLE
        refs = []
        for _ in range(2 if k % 3 == 0 else 1):
            words = " ".join([sents[0], sents[rng.randint(1, 3)]]).split()
            for _ in range(len(words) // 3):  # paraphrase a third of the words
                words[rng.randrange(len(words))] = rng.choice(_WORDS)
            refs.append(" ".join(words))
        documents.append(DocumentEntry(doc_id, " ".join(sents), tuple(refs), title))
    if variant == "b":
        documents = [d for d in documents if d.id != "doc-12"]
    return documents


def _systems(variant: str) -> dict[str, Callable[[DocumentEntry, random.Random], str]]:
    def lead(d: DocumentEntry, srng: random.Random) -> str:
        return " ".join(_sentences(d.text)[: 3 if variant == "b" else 2])

    def textrank(d: DocumentEntry, srng: random.Random) -> str:
        sents = _sentences(d.text)
        out = " ".join(sents[i] for i in sorted(srng.sample(range(len(sents)), 2)))
        return out + f" It was {BOLD} news." if d.id == "doc-02" else out

    def tail(d: DocumentEntry, srng: random.Random) -> str:
        return " ".join(_sentences(d.text)[-2:]) + " " + " ".join(srng.choice(_WORDS) for _ in range(5)) + "."

    def lead1(d: DocumentEntry, srng: random.Random) -> str:
        return _sentences(d.text)[0]

    if variant == "b":
        return {"lead": lead, "textrank": textrank, "lead1": lead1}
    return {"lead": lead, "textrank": textrank, ODD_SYSTEM: tail}


def _values(d: DocumentEntry, summary: str) -> dict[str, float]:
    words = len(_tok(summary))
    ref_words = float(np.mean([len(_tok(r)) for r in d.references]))
    return {
        **_rouge(summary, list(d.references)),
        "words": float(words),
        "sentences": float(len(_sentences(summary))),
        "compression": len(_tok(d.text)) / words,
        "ref_ratio": words / ref_words,
        **extractiveness(d.text, summary),
    }


def synthetic_run(
    *, variant: str = "a", seed: int = 13, primary: str = "rouge2_f", baseline: str | None = "lead"
) -> Synthetic:
    """The records of a synthetic run (see the module docstring); ``primary``: the suite's primary metric."""
    documents = _documents(seed, variant)
    systems = _systems(variant)
    summaries: list[Summary] = []
    scores: list[DocumentScores] = []
    failures: list[Failure] = []
    for label, summarize in systems.items():
        srng = random.Random(f"{seed}-{label}")
        for d in documents:
            if (d.id, label) == FAILED:
                failures.append(Failure(d.id, label, "summarize", FAILURE_ERROR))
                continue
            text = summarize(d, srng)
            summaries.append(Summary(d.id, label, text, cached=label == "lead"))
            scores.append(DocumentScores(d.id, label, _values(d, text)))

    labels = list(systems)
    matrices = score_matrices(scores, labels, [d.id for d in documents], METRICS)
    aggregates = aggregate(matrices, labels, n_samples=1000, confidence=0.95, seed=seed)
    # 12 documents: below MIN_DOCUMENTS, so the minimum is turned off to exercise the reports' verdicts
    comparisons = significance(matrices, labels, TESTED, n_samples=1000, confidence=0.95, seed=seed, min_documents=0)

    manifest = Manifest(
        suite_name="synthetic-news" + ("" if variant == "a" else "-v2"),
        suite={"corpus": "synthetic", "systems": [{"use": "lead"}], "rouge": ["rouge1", "rouge2", "rougeL"]},
        suite_path=None,
        created="2025-01-02T03:04:05+00:00" if variant == "a" else "2025-02-03T04:05:06+00:00",
        seed=seed,
        versions={"python": "3.11.7", "sumbench": "0.1.0", "numpy": np.__version__},
        corpus=CorpusInfo(
            "synthetic",
            "tests/_runfolder.py",
            "sha256:0123abcd",
            len(documents),
            sum(len(d.references) for d in documents) / len(documents),
        ),
        rouge_signature="rouge1,2,L|stem=none|tok=[a-z0-9]+|multiref=max",
        systems=tuple(
            SystemEntry(label, label.split()[0], {"k": 2}, "1", cache_key=f"key-{k}") for k, label in enumerate(labels)
        ),
        metrics=METRICS,
        primary_metric=primary,
        confidence=0.95,
        bootstrap_samples=1000,
        significance_samples=1000,
        baseline=baseline,
        text_pipeline="synthetic-1",
        cache=runfolder.CacheCounts(hits=12, misses=24),
        warnings=("synthetic corpus: numbers mean nothing", "a warning with <html> & stuff"),
        failures=len(failures),
    )
    return Synthetic(
        manifest,
        tuple(documents),
        tuple(summaries),
        tuple(scores),
        tuple(aggregates),
        tuple(comparisons),
        tuple(failures),
    )


def write_run(path: str | Path, **options: Any) -> Path:
    """Write :func:`synthetic_run` (``variant``, ``seed``, ``primary``, ``baseline``) as a run folder at ``path``."""
    return synthetic_run(**options).write(path)


def compare_without_minimum(monkeypatch: Any) -> None:
    """Let ``compare_runs`` test the 11 shared documents of two synthetic runs: below
    :data:`~sumbench.scoring.stats.MIN_DOCUMENTS`, so the minimum is turned off (``min_documents=0``)."""
    import functools
    import importlib

    from sumbench.scoring import stats

    module = importlib.import_module("sumbench.reports.compare")
    monkeypatch.setattr(module, "paired_tests", functools.partial(stats.paired_tests, min_documents=0))


# --- large synthetic runs: the reports' size and memory at scale --------------------------------------
LARGE_ROUGE = tuple(f"{r}_{x}" for r in ("rouge1", "rouge2", "rougeL", "rougeLsum") for x in ("p", "r", "f"))
LARGE_METRICS = (*LARGE_ROUGE, *LENGTH_COLUMNS, *EXTRACTIVENESS_COLUMNS)
LARGE_SYSTEMS = ("lead-3", "textrank-3", "random-3")


class _Large:
    """A large synthetic run, drawn once as compact arrays and turned into records document by
    document, so the records of any one file can be streamed to ``write_run`` without holding them all.

    Articles are ``sentences`` sentences drawn from a pool of generated ones (so texts are realistic in
    size, about 14 words a sentence); references paraphrase two or three article sentences; the systems
    take three sentences (the first three, a seeded choice, a random one); scores are drawn per document
    (not computed), with ``words`` / ``sentences`` / ``compression`` / ``ref_ratio`` true to the texts.
    ``bad`` documents are failures of the last system.
    """

    def __init__(self, n_documents: int, sentences: int, seed: int) -> None:
        self.n, self.seed = n_documents, seed
        rng = np.random.default_rng(seed)
        pool_rng = random.Random(seed)
        self.pool = [_sentence(pool_rng) for _ in range(4000)]
        self.pool_words = np.array([len(s.split()) for s in self.pool])
        self.sents = rng.integers(0, len(self.pool), size=(n_documents, sentences), dtype=np.int32)
        self.n_refs = np.where(rng.random(n_documents) < 0.2, 2, 1)
        self.picks = rng.integers(0, sentences, size=(n_documents, len(LARGE_SYSTEMS), 3), dtype=np.int32)
        self.picks[:, 0] = np.arange(3)  # lead-3
        self.picks.sort(axis=2)
        self.rouge = rng.beta(4, 9, size=(n_documents, len(LARGE_SYSTEMS), len(LARGE_ROUGE)))
        self.rouge[:, 0] = np.minimum(self.rouge[:, 0] * 1.25, 1.0)  # lead is better
        self.extra = rng.random((n_documents, len(LARGE_SYSTEMS), len(EXTRACTIVENESS_COLUMNS)))
        self.failed = {(k, len(LARGE_SYSTEMS) - 1) for k in range(7, n_documents, max(n_documents // 5, 1))}

    def doc_id(self, k: int) -> str:
        return f"news-{k:06d}"

    def document(self, k: int) -> DocumentEntry:
        sents = [self.pool[i] for i in self.sents[k]]
        refs = []
        for r in range(int(self.n_refs[k])):
            words = " ".join(sents[r : r + 2 + r]).split()
            for j in range(0, len(words), 3):  # paraphrase a third of the words
                words[j] = _WORDS[(k + j + r) % len(_WORDS)]
            refs.append(" ".join(words))
        title = " ".join(sents[0].split()[:5]).title() if k % 3 else None
        return DocumentEntry(self.doc_id(k), " ".join(sents), tuple(refs), title)

    def summary_sentences(self, k: int, s: int) -> list[int]:
        return [int(self.sents[k, j]) for j in self.picks[k, s]]

    def summaries(self) -> Any:
        for s, label in enumerate(LARGE_SYSTEMS):
            for k in range(self.n):
                if (k, s) not in self.failed:
                    text = " ".join(self.pool[i] for i in self.summary_sentences(k, s))
                    yield Summary(self.doc_id(k), label, text, cached=s == 0)

    def scores(self) -> Any:
        article_words = self.pool_words[self.sents].sum(axis=1)
        for s, label in enumerate(LARGE_SYSTEMS):
            for k in range(self.n):
                if (k, s) in self.failed:
                    continue
                words = float(self.pool_words[self.summary_sentences(k, s)].sum())
                ref_words = float(np.mean([len(r.split()) for r in self.document(k).references]))
                values = dict(zip(LARGE_ROUGE, self.rouge[k, s].tolist()))
                values.update(words=words, sentences=3.0, compression=article_words[k] / words)
                values.update(ref_ratio=words / ref_words)
                values.update(zip(EXTRACTIVENESS_COLUMNS, self.extra[k, s].tolist()))
                yield DocumentScores(self.doc_id(k), label, values)

    def aggregates(self) -> list[Aggregate]:
        out = []
        for s, label in enumerate(LARGE_SYSTEMS):
            ok = np.array([(k, s) not in self.failed for k in range(self.n)])
            for m, metric in enumerate(LARGE_ROUGE):
                v = self.rouge[ok, s, m]
                half = 1.96 * float(v.std()) / math.sqrt(v.size)
                out.append(
                    Aggregate(label, metric, float(v.mean()), float(v.mean()) - half, float(v.mean()) + half, v.size)
                )
        return out

    def comparisons(self) -> list[Comparison]:
        out = []
        for metric in ("rouge1_f", "rouge2_f", "rougeL_f", "rougeLsum_f"):
            m = LARGE_ROUGE.index(metric)
            for a in range(len(LARGE_SYSTEMS)):
                for b in range(a + 1, len(LARGE_SYSTEMS)):
                    ma, mb = float(self.rouge[:, a, m].mean()), float(self.rouge[:, b, m].mean())
                    d, sig = ma - mb, a == 0
                    p = 0.001 if sig else 0.4
                    la, lb = LARGE_SYSTEMS[a], LARGE_SYSTEMS[b]
                    out.append(
                        Comparison(metric, la, lb, ma, mb, d, d - 0.002, d + 0.002, p, p, p, p, sig, self.n, 1000)
                    )
        return out

    def manifest(self) -> Manifest:
        return Manifest(
            suite_name="large-synthetic",
            suite={"corpus": "synthetic"},
            suite_path=None,
            created="2025-01-02T03:04:05+00:00",
            seed=self.seed,
            versions={"python": "3.11", "sumbench": "0.1.0"},
            corpus=CorpusInfo("synthetic", "tests/_runfolder.py", "sha256:large", self.n, float(self.n_refs.mean())),
            rouge_signature="rouge1,2,L,Lsum|synthetic",
            systems=tuple(SystemEntry(label, label.split("-")[0], {"k": 3}, "1") for label in LARGE_SYSTEMS),
            metrics=LARGE_METRICS,
            primary_metric="rouge2_f",
            baseline=LARGE_SYSTEMS[0],
            failures=len(self.failed),
        )


def write_large_run(path: str | Path, n_documents: int, *, sentences: int = 30, seed: int = 7) -> Path:
    """Write a run of ``n_documents`` x 3 systems (``sentences`` sentences an article) at ``path``,
    streaming every record to ``write_run``: writing holds compact arrays, never the texts."""
    large = _Large(n_documents, sentences, seed)
    return runfolder.write_run(
        path,
        large.manifest(),
        documents=(large.document(k) for k in range(n_documents)),
        summaries=large.summaries(),
        scores=large.scores(),
        aggregates=large.aggregates(),
        comparisons=large.comparisons(),
        failures=[
            Failure(large.doc_id(k), LARGE_SYSTEMS[s], "summarize", "synthetic failure")
            for k, s in sorted(large.failed)
        ],
    )
