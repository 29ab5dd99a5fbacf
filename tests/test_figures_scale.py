"""Figures at scale: 20+ systems stay readable, no colour repeats, bounds are reference lines, the
forest and per-group figures.

:func:`write_many_system_run` writes a synthetic run of any number of systems and documents (with the
built-in roles: a ``lead`` baseline, an ``oracle`` upper bound and a ``random`` lower bound, long and
hostile labels, document groups and a few failures), fast enough for 16 systems x 5,000 documents.
Scores are drawn, not computed; aggregates and pairwise tests are normal approximations with a Holm
adjustment (numbers that look real, nothing more).
"""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from sumbench import runfolder
from sumbench.records import Aggregate, DocumentScores, Failure, Summary
from sumbench.reports import load_run, plots
from sumbench.runfolder import Comparison, CorpusInfo, DocumentEntry, Manifest, SystemEntry
from sumbench.scoring.extractiveness import EXTRACTIVENESS_COLUMNS
from sumbench.scoring.lengths import LENGTH_COLUMNS

ROUGE = tuple(f"{r}_{x}" for r in ("rouge1", "rouge2", "rougeL", "rougeLsum") for x in ("p", "r", "f"))
METRICS = (*ROUGE, *LENGTH_COLUMNS, *EXTRACTIVENESS_COLUMNS)
TESTED = ("rouge1_f", "rouge2_f", "rougeL_f", "rougeLsum_f")
GROUPS = ("world", "business", "sport", "science-and-technology")

#: Candidate labels: realistic, some long, one with mathtext and HTML specials.
CANDIDATES = (
    "pegasus-large-cnn",
    "bart-large-cnn",
    "t5-3b-summarize-cnn-dailymail-beam4",
    "textrank-3",
    "lexrank-3",
    "tail <&> $x$",
    "distilbart-12-6-cnn",
    "brio-cnndm",
    "led-base-16384",
    "flan-t5-xl-zero-shot",
    "llama-2-7b-chat-one-shot",
    "mistral-7b-instruct-v0.2",
    "bertsum-ext",
    "matchsum",
    "luhn-3",
    "lsa-3",
    "kl-sum",
    "sumbasic",
    "centroid-bert",
    "prophetnet-large-cnndm",
    "gpt-3.5-turbo-zero-shot-with-a-very-long-prompt-name",
    "sentence-bert-mmr",
    "oreo",
    "gsum",
    "simcls",
    "summarunner",
)
_WORDS = "council minister market energy price vote school storm river company strike budget tax club".split()


def _sentence(rng: np.random.Generator) -> str:
    words = rng.choice(_WORDS, size=int(rng.integers(8, 15)))
    return " ".join(words).capitalize() + "."


def many_system_run(
    n_systems: int, n_documents: int, *, baseline: bool = True, bounds: bool = True, groups: bool = True, seed: int = 5
) -> tuple[Manifest, dict[str, Any]]:
    """The manifest and records of a synthetic run of ``n_systems`` systems (the built-in roles among
    them unless turned off) and ``n_documents`` documents."""
    rng = np.random.default_rng(seed)
    specials: list[tuple[str, str, str]] = []
    if baseline:
        specials.append(("lead", "lead", "baseline"))
    if bounds:
        specials += [("oracle", "oracle", "upper-bound"), ("random", "random", "lower-bound")]
    n_candidates = n_systems - len(specials)
    if not 0 < n_candidates <= len(CANDIDATES):
        raise ValueError(f"between {len(specials) + 1} and {len(specials) + len(CANDIDATES)} systems")
    systems = [(c, c.split("-")[0], "candidate") for c in CANDIDATES[:n_candidates]]
    systems[1:1] = specials  # the roles sit among the candidates in the manifest, not at its end
    labels = [s[0] for s in systems]
    doc_ids = [f"news-{k:05d}" for k in range(n_documents)]
    group_of = rng.choice(len(GROUPS), size=n_documents, p=[0.4, 0.3, 0.2, 0.1]) if groups else None
    documents = []
    pool = [_sentence(rng) for _ in range(300)]
    for k, doc_id in enumerate(doc_ids):
        sents = [pool[i] for i in rng.integers(0, len(pool), size=8)]
        refs = (" ".join(sents[:2]),) if k % 4 else (" ".join(sents[:2]), " ".join(sents[1:3]))
        group = GROUPS[int(group_of[k])] if group_of is not None else None
        documents.append(DocumentEntry(doc_id, " ".join(sents), refs, None, group))

    quality = {"lead": 0.30, "oracle": 0.52, "random": 0.17}
    lengths = {"lead": 55.0, "oracle": 48.0, "random": 60.0}
    for k, (label, _, role) in enumerate(systems):
        if role == "candidate":
            quality[label] = 0.22 + 0.14 * rng.random()
            lengths[label] = 30.0 + 50.0 * rng.random()
    group_effect = rng.normal(0, 0.03, size=(len(labels), len(GROUPS)))
    failed = {(labels[-1], doc_ids[k]) for k in range(3, n_documents, max(n_documents // 4, 1))}

    summaries, scores, matrix = [], [], {m: np.full((len(labels), n_documents), np.nan) for m in TESTED}
    for i, label in enumerate(labels):
        q = quality[label] + (group_effect[i, group_of] if group_of is not None else 0.0)
        base = np.clip(rng.normal(q, 0.09, size=n_documents), 0.0, 1.0)
        words = np.maximum(rng.normal(lengths[label], 9.0, size=n_documents).round(), 3.0)
        for k, doc_id in enumerate(doc_ids):
            if (label, doc_id) in failed:
                continue
            values = {}
            for r, scale in (("rouge1", 1.5), ("rouge2", 0.6), ("rougeL", 1.2), ("rougeLsum", 1.3)):
                f = min(base[k] * scale, 1.0)
                values.update({f"{r}_p": min(f * 1.1, 1.0), f"{r}_r": f * 0.9, f"{r}_f": f})
            values.update(
                words=float(words[k]),
                sentences=float(max(round(words[k] / 18), 1)),
                compression=110.0 / words[k],
                ref_ratio=words[k] / 30.0,
                coverage=float(np.clip(0.75 + 0.2 * base[k], 0, 1)),
                density=float(1.0 + 20.0 * base[k]),
                fragment_compression=110.0 / words[k],
                novel_1gram=0.1,
                novel_2gram=0.2,
                novel_3gram=0.3,
                redundancy_1gram=0.05,
                redundancy_2gram=0.01,
            )
            for m in TESTED:
                matrix[m][i, k] = values[m]
            scores.append(DocumentScores(doc_id, label, values))
            if k < 5:
                summaries.append(Summary(doc_id, label, documents[k].text[:80]))

    aggregates = []
    for i, label in enumerate(labels):
        rows = [s for s in scores if s.system == label]
        for m in ROUGE:
            v = np.array([s.values[m] for s in rows])
            half = 1.96 * float(v.std()) / math.sqrt(v.size)
            aggregates.append(Aggregate(label, m, float(v.mean()), float(v.mean()) - half, float(v.mean()) + half, v.size))

    comparisons = _comparisons(labels, matrix)
    manifest = Manifest(
        suite_name=f"synthetic-{n_systems}-systems",
        suite={"corpus": "synthetic"},
        suite_path=None,
        created="2025-01-02T03:04:05+00:00",
        seed=seed,
        versions={"python": "3.11", "sumbench": "0.1.0"},
        corpus=CorpusInfo("synthetic", "tests/test_figures_scale.py", "sha256:many", n_documents, 1.25),
        rouge_signature="synthetic",
        systems=tuple(SystemEntry(label, use, {}, "1", role=role) for label, use, role in systems),
        metrics=METRICS,
        primary_metric="rouge2_f",
        baseline="lead" if baseline else None,
        failures=len(failed),
    )
    records = {
        "documents": documents,
        "summaries": summaries,
        "scores": scores,
        "aggregates": aggregates,
        "comparisons": comparisons,
        "failures": [Failure(d, s, "summarize", "synthetic failure") for s, d in sorted(failed)],
    }
    return manifest, records


def _comparisons(labels: list[str], matrix: dict[str, np.ndarray]) -> list[Comparison]:
    """Every pair on every tested metric: paired normal-approximation tests, Holm-adjusted per metric
    (with Holm-consistent intervals when :class:`Comparison` has the fields)."""
    names = {f.name for f in dataclasses.fields(Comparison)}
    out = []
    z = 1.959963984540054
    for metric, values in matrix.items():
        pairs = []
        for a in range(len(labels)):
            for b in range(a + 1, len(labels)):
                ok = np.isfinite(values[a]) & np.isfinite(values[b])
                d = values[a, ok] - values[b, ok]
                se = max(float(d.std()) / math.sqrt(d.size), 1e-9)
                p = math.erfc(abs(float(d.mean())) / se / math.sqrt(2))
                pairs.append((a, b, float(d.mean()), se, p, int(ok.sum()), values[a, ok].mean(), values[b, ok].mean()))
        order = sorted(range(len(pairs)), key=lambda k: pairs[k][4])
        holm = [0.0] * len(pairs)
        running = 0.0
        for rank, k in enumerate(order):
            running = max(running, min(1.0, (len(pairs) - rank) * pairs[k][4]))
            holm[k] = running
        for k, (a, b, diff, se, p, n, ma, mb) in enumerate(pairs):
            extra = {}
            if "adj_low" in names:
                za = 1.3 * z  # wider than the unadjusted interval, as a Holm-consistent one is
                extra = {"adj_low": diff - za * se, "adj_high": diff + za * se, "adj_confidence": 0.95}
            if "wins" in names:
                extra.update(wins=n // 2, ties=0, losses=n - n // 2)
            out.append(
                Comparison(
                    metric, labels[a], labels[b], float(ma), float(mb), diff, diff - z * se, diff + z * se,
                    p, p, holm[k], holm[k], holm[k] < 0.05, n, 1000, **extra,
                )
            )  # fmt: skip
    return out


def write_many_system_run(path: str | Path, n_systems: int, n_documents: int, **options: Any) -> Path:
    """Write :func:`many_system_run` as a run folder at ``path``."""
    manifest, records = many_system_run(n_systems, n_documents, **options)
    return runfolder.write_run(path, manifest, **records)
