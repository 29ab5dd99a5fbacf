"""Write small but realistic synthetic run folders, following the runner's contract.

``write_run(path)`` writes 3 systems x 12 documents with one failed (document,
system), a document whose article and title carry hostile HTML, a summary with
``<b>bold</b>``, a document id that is not anchor-safe, and a system label with HTML
and mathtext characters.  ``write_run(path, variant="b")`` writes a second run of the
"same" suite for comparison: the ``lead`` system takes three sentences instead of
two (ROUGE moves), one system is dropped, one is added and one document is gone.

ROUGE here is a small self-contained approximation (unigram, bigram and LCS F with
max over references) -- good enough to look real, not meant to be correct ROUGE.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
from pathlib import Path

import numpy as np

from sumbench.scoring.extractiveness import EXTRACTIVENESS_COLUMNS, extractiveness

HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=2">'
HOSTILE_TITLE = "<script>window.__pwned=3</script>Breaking: markets & <i>more</i>"
BOLD = "<b>bold</b>"
HOSTILE_DOC = "doc-03"
ODD_DOC = "cnn/2019 #7 <a>"
FAILED = ("doc-05", "textrank")
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
    from collections import Counter

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


def _bootstrap_ci(x: np.ndarray, rng: np.random.Generator, samples: int = 1000) -> tuple[float, float]:
    idx = rng.integers(0, len(x), size=(samples, len(x)))
    means = x[idx].mean(axis=1)
    return float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))


def _holm(ps: list[float]) -> list[float]:
    order = sorted(range(len(ps)), key=lambda k: ps[k])
    out = [0.0] * len(ps)
    running = 0.0
    for rank, k in enumerate(order):
        running = max(running, min(1.0, (len(ps) - rank) * ps[k]))
        out[k] = running
    return out


def write_run(path: str | Path, *, variant: str = "a", seed: int = 13) -> Path:
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
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
        text = " ".join(sents)
        n_refs = 2 if k % 3 == 0 else 1
        refs = []
        for _ in range(n_refs):
            picked = [sents[0], sents[rng.randint(1, 3)]]
            ref = " ".join(picked)
            words = ref.split()
            for _ in range(len(words) // 3):  # paraphrase a third of the words
                words[rng.randrange(len(words))] = rng.choice(_WORDS)
            refs.append(" ".join(words))
        documents.append({"id": doc_id, "title": title, "text": text, "references": refs})
    if variant == "b":
        documents = [d for d in documents if d["id"] != "doc-12"]

    def lead(d, srng):
        return " ".join(_sentences(d["text"])[: 3 if variant == "b" else 2])

    def textrank(d, srng):
        sents = _sentences(d["text"])
        picked = sorted(srng.sample(range(len(sents)), 2))
        out = " ".join(sents[i] for i in picked)
        if d["id"] == "doc-02":
            out += f" It was {BOLD} news."
        return out

    def tail(d, srng):
        return " ".join(_sentences(d["text"])[-2:]) + " " + " ".join(srng.choice(_WORDS) for _ in range(5)) + "."

    def lead1(d, srng):
        return _sentences(d["text"])[0]

    systems = {"lead": lead, "textrank": textrank, ODD_SYSTEM: tail}
    if variant == "b":
        systems = {"lead": lead, "textrank": textrank, "lead1": lead1}

    rouge_metrics = [f"{r}_{x}" for r in ("rouge1", "rouge2", "rougeL") for x in ("p", "r", "f")]
    length_metrics = ["words", "sentences", "compression", "ref_ratio"]
    metrics = rouge_metrics + length_metrics + list(EXTRACTIVENESS_COLUMNS)

    summaries, rows, failures = [], [], []
    for label, fn in systems.items():
        srng = random.Random(f"{seed}-{label}")
        for d in documents:
            if (d["id"], label) == FAILED:
                failures.append({"doc_id": d["id"], "system": label, "stage": "summarize",
                                 "error": "TimeoutError: summarizer took > 30 s <on this input>"})
                continue
            summ = fn(d, srng)
            summaries.append({"doc_id": d["id"], "system": label, "summary": summ, "cached": label == "lead"})
            words = len(_tok(summ))
            ref_words = float(np.mean([len(_tok(r)) for r in d["references"]]))
            row = {"doc_id": d["id"], "system": label, **_rouge(summ, d["references"]),
                   "words": words, "sentences": len(_sentences(summ)),
                   "compression": len(_tok(d["text"])) / words, "ref_ratio": words / ref_words,
                   **extractiveness(d["text"], summ)}
            rows.append(row)

    with (root / "scores.csv").open("w", encoding="utf-8", newline="") as fh:
        import csv

        w = csv.writer(fh)
        w.writerow(["doc_id", "system", *metrics])
        for r in rows:
            w.writerow([r["doc_id"], r["system"], *(repr(float(r[m])) for m in metrics)])

    nrng = np.random.default_rng(seed)
    aggregates = []
    for label in systems:
        sys_rows = [r for r in rows if r["system"] == label]
        for m in metrics:
            x = np.array([r[m] for r in sys_rows], dtype=float)
            lo, hi = _bootstrap_ci(x, nrng)
            aggregates.append({"system": label, "metric": m, "mean": float(x.mean()),
                               "ci_low": lo, "ci_high": hi, "n": int(len(x))})

    significance = []
    names = {"rouge1_f": "ROUGE-1 F", "rouge2_f": "ROUGE-2 F", "rougeL_f": "ROUGE-L F"}
    for m in ("rouge1_f", "rouge2_f", "rougeL_f"):
        recs = []
        for a, b in itertools.combinations(systems, 2):
            va = {r["doc_id"]: r[m] for r in rows if r["system"] == a}
            vb = {r["doc_id"]: r[m] for r in rows if r["system"] == b}
            shared = sorted(set(va) & set(vb))
            d = np.array([va[k] - vb[k] for k in shared])
            lo, hi = _bootstrap_ci(d, nrng)
            boots = d[nrng.integers(0, len(d), size=(1000, len(d)))].mean(axis=1)
            p_boot = float(min(1.0, 2 * min((boots <= 0).mean(), (boots >= 0).mean())))
            signs = nrng.choice([-1.0, 1.0], size=(1000, len(d)))
            p_perm = float(((np.abs((signs * d).mean(axis=1)) >= abs(d.mean()) - 1e-12).sum() + 1) / 1001)
            recs.append({"metric": m, "a": a, "b": b, "diff": float(d.mean()), "diff_low": lo, "diff_high": hi,
                         "p_bootstrap": p_boot, "p_permutation": p_perm, "n": len(d)})
        for key in ("p_bootstrap", "p_permutation"):
            for rec, p in zip(recs, _holm([r[key] for r in recs])):
                rec[f"{key}_holm"] = p
        for rec in recs:
            sig = max(rec["p_bootstrap_holm"], rec["p_permutation_holm"]) < 0.05
            better = rec["a"] if rec["diff"] > 0 else rec["b"]
            if sig:
                rec["verdict"] = (f"{better} is better than {rec['b'] if better == rec['a'] else rec['a']} on "
                                  f"{names[m]} at 95% (diff {rec['diff']:+.3f}, p={rec['p_permutation_holm']:.3f}, Holm).")
            else:
                rec["verdict"] = (f"{rec['a']} and {rec['b']} are not distinguishable on {names[m]} at 95% "
                                  f"(diff {rec['diff']:+.3f}, CI [{rec['diff_low']:+.3f}, {rec['diff_high']:+.3f}], "
                                  f"p={rec['p_permutation_holm']:.2f}, Holm).")
            rec["significant"] = sig
        significance.extend(recs)

    manifest = {
        "suite_name": "synthetic-news" + ("" if variant == "a" else "-v2"),
        "suite": {"corpus": "synthetic", "systems": [{"use": "lead"}], "rouge": ["rouge1", "rouge2", "rougeL"]},
        "suite_path": None,
        "created": "2025-01-02T03:04:05+00:00" if variant == "a" else "2025-02-03T04:05:06+00:00",
        "seed": seed,
        "versions": {"python": "3.11.7", "sumbench": "0.1.0", "numpy": np.__version__},
        "corpus": {"name": "synthetic", "source": "tests/_runfolder.py", "fingerprint": "sha256:0123abcd",
                   "documents": len(documents),
                   "references_per_document": sum(len(d["references"]) for d in documents) / len(documents)},
        "rouge_signature": "rouge1,2,L|stem=none|tok=[a-z0-9]+|multiref=max",
        "systems": [{"label": label, "use": label.split()[0], "params": {"k": 2}, "version": "1"} for label in systems],
        "metrics": metrics,
        "confidence": 0.95,
        "bootstrap_samples": 1000,
        "cache": {"hits": 12, "misses": 24},
        "warnings": ["synthetic corpus: numbers mean nothing", "a warning with <html> & stuff"],
        "failures": len(failures),
    }
    (root / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    with (root / "documents.jsonl").open("w", encoding="utf-8") as fh:
        for d in documents:
            fh.write(json.dumps(d) + "\n")
    with (root / "summaries.jsonl").open("w", encoding="utf-8") as fh:
        for s in summaries:
            fh.write(json.dumps(s) + "\n")
    (root / "aggregates.json").write_text(json.dumps(aggregates, indent=1), encoding="utf-8")
    (root / "significance.json").write_text(json.dumps(significance, indent=1), encoding="utf-8")
    with (root / "failures.jsonl").open("w", encoding="utf-8") as fh:
        for f in failures:
            fh.write(json.dumps(f) + "\n")
    assert not any(math.isnan(r["rouge1_f"]) for r in rows)
    return root
