"""Validate the rule-based fact checks (:mod:`sumbench.scoring.facts`) against FRANK's human labels.

FRANK (Pagnoni et al., 2021) annotates 2,246 system summaries of 250 CNN/DailyMail and 249 XSum
articles with factual errors; ``Factuality`` is the share of a summary's sentences without an error.
A summary is labelled unfaithful (1) when ``Factuality < 1``. For each score this prints the ROC AUC
(``sklearn.metrics.roc_auc_score``; 0.5 = chance) and the point-biserial correlation with the label,
overall and by the document's ``dataset`` (cnndm, xsum), the per-kind shares with NaN (no fact of that
kind) read as 0, plus how often each kind occurs and how often a flagged summary is really unfaithful.
``novel_1gram`` (extractiveness) is printed as a reference point: a model-free score that any fact
check should be compared with.

    python benchmarks/validate_facts.py [--corpus ../shared/corpora/frank499.jsonl.gz]
                                        [--judgments ../shared/corpora/frank499_judgments.jsonl.gz]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import pointbiserialr
from sklearn.metrics import roc_auc_score

from sumbench.scoring.base import MetricItem
from sumbench.scoring.extractiveness import Article, extractiveness
from sumbench.scoring.facts import FACT_KINDS, FactChecks

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = ROOT.parent / "shared" / "corpora"


def read_jsonl_gz(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def auc_r(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    if len(set(labels.tolist())) < 2 or np.all(scores == scores[0]):
        return math.nan, math.nan
    return float(roc_auc_score(labels, scores)), float(pointbiserialr(labels, scores)[0])


def items_of(corpus: Path, judgments: Path) -> tuple[list[MetricItem], list[dict[str, Any]], list[str]]:
    """The judged summaries as metric items, their judgment rows and their documents' ``dataset``."""
    docs = {str(d["id"]): d for d in read_jsonl_gz(corpus)}
    rows = [r for r in read_jsonl_gz(judgments) if str(r["id"]) in docs]
    items = [
        MetricItem(str(r["id"]), str(r["system"]), str(r["system_summary"]), (), str(docs[str(r["id"])]["article"]))
        for r in rows
    ]
    return items, rows, [str(docs[str(r["id"])].get("dataset", "")) for r in rows]


def evaluate(title: str, items: list[MetricItem], labels: np.ndarray, splits: list[tuple[str, np.ndarray]]) -> None:
    """Print the AUC / point-biserial table and the flag statistics of both name settings."""
    print(title)
    for split, mask in splits:
        print(f"  {split}: n={int(mask.sum())}, unfaithful={int(labels[mask].sum())} ({labels[mask].mean():.1%})")
    print()
    arts: dict[str, Article] = {}
    novel = np.array(
        [extractiveness(arts.setdefault(it.article, Article(it.article)), it.summary)["novel_1gram"] for it in items]
    )
    for lowercase_names in (False, True):
        metric = FactChecks(lowercase_names=lowercase_names)
        t0 = time.perf_counter()
        out = metric.score_batch(items)
        seconds = time.perf_counter() - t0
        failed = [o for o in out if isinstance(o, Exception)]
        if failed:
            raise SystemExit(f"{len(failed)} items failed, first: {failed[0]!r}")
        values = [o for o in out if not isinstance(o, Exception)]
        print(f"== {metric.signature()}: {seconds:.2f} s for {len(items)} summaries ==")
        print(f"{'score (NaN -> 0)':<28}" + "".join(f"{s + ' AUC':>11}{s + ' r_pb':>12}" for s, _ in splits))
        cols = ["unsupported_facts"] + [f"unsupported_{k}" for k in FACT_KINDS] + ["checked_facts"]
        table = {c: np.nan_to_num(np.array([v[c] for v in values], dtype=float)) for c in cols}
        table["(reference) novel_1gram"] = novel
        for col, x in table.items():
            line = f"{col:<28}"
            for _, mask in splits:
                auc, r = auc_r(x[mask], labels[mask])
                line += f"{auc:>11.3f}{r:>12.3f}"
            print(line)
        print()
        heads = ("summaries", "with kind", "flagged", "P(err|flag)", "P(err|ok)")
        print(f"{'kind':<8}{'split':<7}" + "".join(f"{h:>{w}}" for h, w in zip(heads, (10, 10, 9, 13, 11))))
        for kind in (*FACT_KINDS, "any"):
            if kind == "any":
                share = np.array([v["unsupported_facts"] for v in values], dtype=float)
                share = np.where(np.array([v["checked_facts"] for v in values]) > 0, share, np.nan)
            else:
                share = np.array([v[f"unsupported_{kind}"] for v in values], dtype=float)
            for split, mask in splits:
                has = ~np.isnan(share) & mask
                flag = has & (share > 0)
                ok = has & (share == 0)
                p_flag = labels[flag].mean() if flag.any() else math.nan
                p_ok = labels[ok].mean() if ok.any() else math.nan
                print(
                    f"{kind:<8}{split:<7}{int(mask.sum()):>10}{int(has.sum()):>10}{int(flag.sum()):>9}"
                    f"{p_flag:>13.3f}{p_ok:>11.3f}"
                )
        print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPORA / "frank499.jsonl.gz")
    ap.add_argument("--judgments", type=Path, default=DEFAULT_CORPORA / "frank499_judgments.jsonl.gz")
    ap.add_argument(
        "--summeval",
        type=Path,
        default=DEFAULT_CORPORA / "cnndm_summeval100.jsonl.gz",
        help="also check against SummEval's expert consistency (cased summaries: exercises the name check); "
        "its judgments are the file beside it ending _judgments.jsonl.gz; 'none' to skip",
    )
    args = ap.parse_args()

    items, rows, dataset = items_of(args.corpus, args.judgments)
    labels = np.array([1 if r["human_scores"]["Factuality"] < 1 else 0 for r in rows])
    ds = np.array(dataset)
    splits = [("all", np.ones(len(rows), bool)), ("cnndm", ds == "cnndm"), ("xsum", ds == "xsum")]
    n_docs = len({it.doc_id for it in items})
    evaluate(f"FRANK: {len(rows)} summaries of {n_docs} articles; unfaithful = Factuality < 1", items, labels, splits)

    if str(args.summeval) != "none" and args.summeval.is_file():
        judgments = args.summeval.with_name(args.summeval.name.replace(".jsonl.gz", "_judgments.jsonl.gz"))
        items, rows, _ = items_of(args.summeval, judgments)
        labels = np.array([1 if r["human_scores"]["consistency"] < 5 else 0 for r in rows])
        evaluate(
            f"SummEval: {len(rows)} summaries of {len({it.doc_id for it in items})} CNN/DM articles; "
            "unfaithful = expert consistency < 5 (mean of 3)",
            items,
            labels,
            [("all", np.ones(len(rows), bool))],
        )


if __name__ == "__main__":
    main()
