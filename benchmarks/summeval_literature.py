"""Our correlations of ROUGE (and BERTScore) with SummEval's expert judgments, beside the published rows.

Reads only bundled data (the 100 CNN/DailyMail articles with 11 references each, and the expert
judgments of the 16 systems' summaries), scores each summary with sumbench's metrics and correlates
them with :mod:`sumbench.scoring.correlation`, in the set-ups the papers used:

- summary level (per document across the 16 systems, averaged), Spearman rho and Kendall tau, against
  UniEval (Zhong et al., 2022, Table 1), reprinted in G-Eval (Liu et al., 2023, Table 1);
- system level Kendall tau against SummEval (Fabbri et al., 2021, Table 2: 11 references, expert
  annotations, 17 system outputs: M23 in two variants; the bundle has 16).

Each set-up is computed with 11 references (multi-reference: the max over references, as rouge-score
and bert-score do) and with the original CNN/DM highlight alone (reference 1), because the papers differ
in this. Run: ``python benchmarks/summeval_literature.py [--bertscore]`` (BERTScore needs the neural
extra; it runs all-MiniLM-L6-v2 layer 6, not the papers' roberta-large, so expect different numbers).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from sumbench.corpora import load_corpus
from sumbench.judgments import load_judgments
from sumbench.records import Summary
from sumbench.scoring.base import Metric
from sumbench.scoring.correlation import level_correlation
from sumbench.scoring.metrics import Rouge, score_summaries

# (metric, dimension) -> (spearman, kendall): UniEval Table 1 / G-Eval Table 1, summary level
SUMMARY_LEVEL = {
    "rouge1_f": {
        "coherence": (0.167, 0.126),
        "consistency": (0.160, 0.130),
        "fluency": (0.115, 0.094),
        "relevance": (0.326, 0.252),
    },
    "rouge2_f": {
        "coherence": (0.184, 0.139),
        "consistency": (0.187, 0.155),
        "fluency": (0.159, 0.128),
        "relevance": (0.290, 0.219),
    },
    "rougeL_f": {
        "coherence": (0.128, 0.099),
        "consistency": (0.115, 0.092),
        "fluency": (0.105, 0.084),
        "relevance": (0.311, 0.237),
    },
    "bertscore_f": {
        "coherence": (0.284, 0.211),
        "consistency": (0.110, 0.090),
        "fluency": (0.193, 0.158),
        "relevance": (0.312, 0.243),
    },
}
# SummEval Table 2: system-level Kendall tau, expert annotations, 11 references
SYSTEM_LEVEL = {
    "rouge1_f": {"coherence": 0.2500, "consistency": 0.5294, "fluency": 0.5240, "relevance": 0.4118},
    "rouge2_f": {"coherence": 0.1618, "consistency": 0.5882, "fluency": 0.4797, "relevance": 0.2941},
    "rougeL_f": {"coherence": 0.0735, "consistency": 0.1471, "fluency": 0.2583, "relevance": 0.2353},
    "bertscore_f": {"coherence": 0.2059, "consistency": 0.0441, "fluency": 0.2435, "relevance": 0.4265},
}
DIMENSIONS = ("coherence", "consistency", "fluency", "relevance")


def _matrices(metrics: list[Metric], references: int | None) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    corpus = load_corpus("cnndm-summeval")
    judgments = load_judgments("summeval")
    systems = judgments.systems()
    docs = {d.id: d for d in corpus.documents}
    if references is not None:
        from dataclasses import replace

        docs = {k: replace(d, references=d.references[:references]) for k, d in docs.items()}
    doc_ids = tuple(d for d in docs if d in set(judgments.doc_ids()))
    summaries = [Summary(j.doc_id, j.system, j.summary) for j in judgments.rows if j.doc_id in docs]
    rows, failures = score_summaries(docs, summaries, metrics)
    if failures:
        raise SystemExit(f"{len(failures)} summaries could not be scored: {failures[0]}")
    s_index = {s: i for i, s in enumerate(systems)}
    d_index = {d: j for j, d in enumerate(doc_ids)}
    columns = [c for m in metrics for c in m.columns if c in SUMMARY_LEVEL or c == "rougeLsum_f"]
    X = {c: np.full((len(systems), len(doc_ids)), np.nan) for c in columns}
    for row in rows:
        for c in columns:
            X[c][s_index[row.system], d_index[row.doc_id]] = row.values[c]
    Z = {dim: judgments.matrix(dim, systems, doc_ids) for dim in DIMENSIONS}
    return X, Z


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bertscore", action="store_true", help="also BERTScore F (needs sumbench[neural])")
    args = parser.parse_args(argv)
    extra: list[Metric] = []
    if args.bertscore:
        from sumbench.scoring.bertscore import BERTScore

        extra.append(BERTScore())
    rouge_score = Rouge(("rouge1", "rouge2", "rougeL"), use_stemmer=True, multiref="max")
    perl = Rouge(("rouge1", "rouge2", "rougeLsum"), use_stemmer=True, compat="perl", lsum_split="splitter")
    setups = (
        ([rouge_score, *extra], None, "rouge-score rules, 11 references (max over references)"),
        ([rouge_score, *extra], 1, "rouge-score rules, 1 reference (the CNN/DM highlight)"),
        (
            [perl],
            None,
            "ROUGE-1.5.5 rules (compat=perl, -m, 11 references pooled as the script's -f A); ROUGE-L is the "
            "script's summary-level LCS over sentences split by sumbench's splitter",
        ),
    )
    for metrics, refs, name in setups:
        X, Z = _matrices(metrics, refs)
        if "rougeLsum_f" in X:
            X["rougeL_f"] = X.pop("rougeLsum_f")
        print(f"\n## {name}\n")
        print(
            "| metric | dimension | summary rho (ours / UniEval) | summary tau (ours / UniEval) | "
            "system tau (ours / SummEval) |"
        )
        print("|---|---|---|---|---|")
        for metric in X:
            for dim in DIMENSIONS:
                rho = level_correlation(X[metric], Z[dim], "summary", "spearman")
                tau = level_correlation(X[metric], Z[dim], "summary", "kendall")
                sys_tau = level_correlation(X[metric], Z[dim], "system", "kendall")
                p_rho, p_tau = SUMMARY_LEVEL[metric][dim]
                p_sys = SYSTEM_LEVEL[metric][dim]
                print(
                    f"| {metric} | {dim} | {rho:.3f} / {p_rho:.3f} | {tau:.3f} / {p_tau:.3f} | "
                    f"{sys_tau:.4f} / {p_sys:.4f} |"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
