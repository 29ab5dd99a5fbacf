"""Every verdict agrees with the interval and the p it quotes, and every ranking uses the common set.

The decision of a pairwise test, its Holm-adjusted interval and its Holm-adjusted p come from one
procedure (:mod:`sumbench.scoring.stats`), so: significant <=> the adjusted interval excludes 0 <=>
p_holm < alpha, exactly; and no sentence says "not distinguishable" beside an interval that excludes 0,
nor "beats" beside one that contains it.  A pair on fewer shared documents than the minimum
(:data:`sumbench.scoring.stats.MIN_DOCUMENTS`) is not tested: no interval, never significant, and its
sentence says "not tested" (never "beats" nor "not distinguishable").  Checked on constructed score
matrices (ties, NaNs, many pairs, tiny n, several levels, with the minimum and without it), on older
records, and on real runs of the shipped suites.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from sumbench.records import Aggregate
from sumbench.reports.common import metric_label
from sumbench.reports.verdicts import is_close_call, is_significant, verdict
from sumbench.runfolder import Comparison, _aggregate_from, _aggregate_json, _Fields, load_run
from sumbench.runner import run_suite
from sumbench.scoring.aggregate import aggregate, common_documents, significance
from sumbench.scoring.stats import MIN_DOCUMENTS
from sumbench.suite import load_suite, with_overrides

REPO = Path(__file__).resolve().parents[1]
_INTERVAL = re.compile(r"CI ([+-][0-9.e+-]+) to ([+-][0-9.e+-]+)")
_P = re.compile(r"p([=<])([0-9.e-]+)\)?")


def _roundtrip(c: Comparison) -> Comparison:
    """Through significance.json's JSON form and back."""
    return Comparison.from_json(_Fields(Path("significance.json"), json.loads(json.dumps(c.to_json()))))


def check_verdict(c: Comparison) -> str:
    """Assert that ``c`` agrees with itself and with its sentence; return the sentence's kind."""
    text = verdict(c)
    alpha = round(1 - c.confidence, 12)
    assert is_close_call(c) == (not is_significant(c))
    if c.n == 0:
        assert "cannot be compared" in text and not is_significant(c)
        return "none"
    if not c.tested:  # too few shared documents: no interval, p 1, never significant, said so
        assert c.n < c.min_documents, c
        assert not c.significant and not is_significant(c) and c.p_bootstrap == c.p_bootstrap_holm == 1.0
        assert all(math.isnan(x) for x in (c.diff_low, c.diff_high, c.adj_low, c.adj_high, c.adj_confidence))
        assert f"are not tested on {metric_label(c.metric)}: " in text, text
        assert f"below the {c.min_documents} a paired bootstrap needs" in text and "no interval" in text, text
        assert not any(w in text for w in (" beats ", "not distinguishable", "borderline", "CI", "p=", "p<")), text
        return "untested"
    assert c.n >= c.min_documents or not c.min_documents, c
    if c.adjusted:
        excludes = c.adj_low > 0 or c.adj_high < 0
        assert c.significant == excludes == (c.p_bootstrap_holm < alpha), c
        assert (c.diff_low > 0 or c.diff_high < 0) == (c.p_bootstrap < alpha), c  # the unadjusted pair too
        assert c.adj_low <= c.diff_low <= c.diff_high <= c.adj_high
        assert is_significant(c) == c.significant
        assert "Holm-adjusted" in text and "unadjusted" not in text
    else:
        assert "unadjusted" in text
    (low, high), *_ = (tuple(float(x) for x in m) for m in _INTERVAL.findall(text))
    p_kind, p_value = _P.findall(text)[-1]
    if " beats " in text:
        assert is_significant(c) and 0 < low <= high, text
        assert p_kind == "<" or float(p_value) < alpha, text
        return "beats"
    assert not is_significant(c)
    if "not distinguishable" in text:
        assert low <= 0 <= high, text
        assert p_kind == "=" and float(p_value) >= alpha, text
        return "tie"
    assert "borderline" in text and not c.adjusted, text
    return "borderline"


# --- constructed cases -------------------------------------------------------------------------------------
def _matrix(rng: np.random.Generator, systems: int, docs: int, *, ties: bool, nan: float) -> np.ndarray:
    base = rng.uniform(0.05, 0.5, docs)
    skill = rng.normal(0, 0.03, (systems, 1)) * rng.integers(0, 2, (systems, 1))
    m = np.clip(base + skill + rng.normal(0, 0.06, (systems, docs)), 0, 1)
    if ties:
        m = np.round(m, 1)
        m[1] = m[0]  # two identical systems
    m[rng.uniform(size=m.shape) < nan] = np.nan
    return m


@pytest.mark.parametrize("min_documents", [MIN_DOCUMENTS, 0], ids=["minimum", "no-minimum"])
@pytest.mark.parametrize("confidence", [0.95, 0.9, 0.99, 0.5])
def test_constructed_verdicts_agree_with_their_intervals(confidence: float, min_documents: int) -> None:
    rng = np.random.default_rng(int(confidence * 1000))
    kinds: dict[str, int] = {}
    cases = [(2, 2), (3, 3), (4, 10), (6, 40), (12, 25), (3, 1)]  # (systems, documents): tiny n, many pairs
    for k, (systems, docs) in enumerate(cases):
        names = [f"sys{i}" for i in range(systems)]
        matrices = {
            "rouge2_f": _matrix(rng, systems, docs, ties=k % 2 == 0, nan=0.1 if docs > 3 else 0.0),
            "rouge1_f": _matrix(rng, systems, docs, ties=False, nan=0.0),
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            records = significance(
                matrices,
                names,
                list(matrices),
                n_samples=int(rng.integers(50, 700)),
                confidence=confidence,
                seed=k,
                min_documents=min_documents,
            )
        assert len(records) == 2 * systems * (systems - 1) // 2
        for c in records:
            again = _roundtrip(c)
            assert again.to_json() == c.to_json() and again.adjusted == again.tested
            assert again.tested == (c.n >= max(min_documents, 1)) and again.min_documents == min_documents
            assert c.family == sum(r.tested for r in records if r.metric == c.metric)
            kind = check_verdict(again)
            kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds.get("beats") and kinds.get("tie")  # both kinds of sentence were checked
    assert bool(kinds.get("untested")) == bool(min_documents)  # 2, 3 and 10 documents are below 20


def test_older_records_quote_the_unadjusted_interval_consistently() -> None:
    rng = np.random.default_rng(3)
    kinds = set()
    for _ in range(400):
        low = float(rng.normal(0, 0.02))
        c = Comparison(
            "rouge2_f", "a", "b", 0.3, 0.29, low + 0.01, low, low + 0.02, float(rng.uniform(0, 0.2)), 0.5,
            0.5, float(rng.uniform(0, 0.2)), bool(rng.integers(0, 2)), 50, 1000, 0.95,
        )  # fmt: skip
        assert not c.adjusted
        kinds.add(check_verdict(_roundtrip(c)))
    assert kinds == {"beats", "tie", "borderline"}


def test_the_issue_sentence_cannot_happen() -> None:
    # "not distinguishable ... (difference +1.26 points, 95% CI +0.04 to +2.47, Holm-adjusted p=1.00)": the
    # quoted interval is now the Holm-adjusted one, so a pair whose quoted interval excludes 0 is significant
    rng = np.random.default_rng(0)
    base = rng.uniform(0.1, 0.3, 100)
    m = np.vstack([base + 0.0126 + rng.normal(0, 0.05, 100), base + rng.normal(0, 0.05, 100)])
    m = np.vstack([m, base[None, :] + rng.normal(0, 0.05, (8, 100))])
    names = ["lead-3", "supervised-3"] + [f"s{i}" for i in range(8)]
    records = significance({"rouge2_f": m}, names, ["rouge2_f"], n_samples=20_000, confidence=0.95, seed=0)
    for c in records:
        check_verdict(c)
    issue = records[0]  # lead-3 vs supervised-3: the unadjusted interval excludes 0, Holm does not reject
    assert issue.diff_low > 0 and issue.p_bootstrap < 0.05 and not issue.significant
    assert verdict(issue).startswith("lead-3 and supervised-3 are not distinguishable on ROUGE-2 F at 95%")
    assert "Holm-adjusted 95% CI -" in verdict(issue)


def _untested(**fields: object) -> Comparison:
    base: dict = dict(
        metric="rouge2_f", a="lead-3", b="textrank-3", mean_a=0.2, mean_b=0.1874, diff=0.0126,
        diff_low=math.nan, diff_high=math.nan, p_bootstrap=1.0, p_permutation=0.03, p_bootstrap_holm=1.0,
        p_permutation_holm=0.09, significant=False, n=12, n_samples=2000, confidence=0.95, wins=9, ties=0,
        losses=3, family=4, min_documents=20,
    )  # fmt: skip
    base.update(fields)
    return Comparison(**base)


def test_untested_pairs_say_so() -> None:
    c = _untested()
    assert not c.tested and not c.adjusted and not is_significant(c) and is_close_call(c)
    assert verdict(c) == (
        "lead-3 and textrank-3 are not tested on ROUGE-2 F: 12 shared documents, below the 20 a paired bootstrap "
        "needs (difference +1.26 points, no interval)."
    )
    assert verdict(c, 0.95) == verdict(c)  # the level it was run at may be repeated
    with pytest.raises(ValueError):
        verdict(c, 0.99)
    assert check_verdict(c) == "untested" and check_verdict(_roundtrip(c)) == "untested"
    assert _roundtrip(c) == dataclasses.replace(c)  # min_documents and the null interval survive significance.json
    one = _untested(n=1, metric="words", diff=-3.0, mean_a=40.0, mean_b=43.0, wins=0, losses=1)
    assert verdict(one) == (
        "lead-3 and textrank-3 are not tested on words: 1 shared document, below the 20 a paired bootstrap "
        "needs (difference -3, no interval)."
    )
    # even a (hand-made) record that claims significance is not significant without an interval
    assert not is_significant(_untested(significant=True)) and " beats " not in verdict(_untested(significant=True))


def test_older_records_have_no_minimum() -> None:
    # significance.json written before the minimum: no min_documents (read as 0), tested on any n
    entry = _untested(diff_low=0.001, diff_high=0.02, p_bootstrap=0.01, p_bootstrap_holm=0.04, significant=True)
    old = {k: v for k, v in entry.to_json().items() if k != "min_documents"}
    c = Comparison.from_json(_Fields(Path("significance.json"), old))
    assert c.min_documents == 0 and c.tested and c.n == 12 and not c.adjusted
    assert check_verdict(c) == "beats" and verdict(c).startswith("lead-3 beats textrank-3")
    assert Comparison("m", "a", "b", 0.2, 0.1, 0.1, 0.05, 0.15, 0.01, 0.01, 0.01, 0.01, True, 3, 100).tested


# --- unequal coverage: ranked by the common set ----------------------------------------------------------
def test_aggregates_use_the_common_set_and_keep_the_own_mean() -> None:
    # "fragile" fails on the 3 hard documents of 10; on its 7 it beats "steady"'s 10-document mean, but on
    # the 7 documents both were scored on, steady is better
    hard = np.array([0.02, 0.03, 0.01])
    steady = np.concatenate([np.full(7, 0.50) + np.arange(7) * 0.01, hard])
    fragile = np.concatenate([steady[:7] - 0.05, np.full(3, np.nan)])
    matrices = {"rouge2_f": np.vstack([steady, fragile])}
    assert common_documents(matrices).sum() == 7
    got = {a.system: a for a in aggregate(matrices, ["steady", "fragile"], n_samples=500, confidence=0.95, seed=0)}
    assert got["steady"].n == got["fragile"].n == 7
    assert got["steady"].mean == pytest.approx(steady[:7].mean()) and got["steady"].mean > got["fragile"].mean
    assert got["steady"].own_n == 10 and got["steady"].own_mean == pytest.approx(steady.mean())
    assert got["fragile"].own_n == 7 and got["fragile"].own_mean == pytest.approx(fragile[:7].mean())
    assert got["fragile"].own_mean > got["steady"].own_mean  # what ranking on own documents would have shown
    for a in got.values():
        assert _aggregate_from(_Fields(Path("aggregates.json"), _aggregate_json(a))) == a
    old = {"system": "x", "metric": "m", "mean": 0.25, "ci_low": 0.2, "ci_high": 0.3, "n": 9}
    assert _aggregate_from(_Fields(Path("aggregates.json"), old)) == Aggregate("x", "m", 0.25, 0.2, 0.3, 9, 0.25, 9)
    (c,) = significance(matrices, ["steady", "fragile"], ["rouge2_f"], n_samples=400, confidence=0.95, seed=0)
    assert c.n == 7 and c.wins == 7 and not c.tested and not c.significant  # 7 documents: below the minimum
    assert verdict(c) == (
        "steady and fragile are not tested on ROUGE-2 F: 7 shared documents, below the 20 a paired bootstrap "
        "needs (difference +5.00 points, no interval)."
    )
    kw = dict(n_samples=400, confidence=0.95, seed=0, min_documents=0)
    (c,) = significance(matrices, ["steady", "fragile"], ["rouge2_f"], **kw)  # type: ignore[arg-type]
    assert c.n == 7 and c.wins == 7 and c.significant and verdict(c).startswith("steady beats fragile")


FRAGILE = '''
class Fragile:
    """Fails on the hard documents; elsewhere returns the second sentence."""
    def __init__(self):
        pass
    def summarize(self, doc):
        if doc.id.startswith("hard"):
            raise RuntimeError("too hard")
        return doc.sentences[1]
'''


def test_a_run_ranks_unequal_coverage_on_the_common_set(tmp_path: Path) -> None:
    records = []
    for i in range(7):
        town = ["Ashford", "Brill", "Corby", "Dunmore", "Elgin", "Frome", "Gort"][i]
        lead = f"The town of {town} opened a new public library on Monday morning."
        second = f"The town of {town} opened a new public library for children."
        records.append({"id": f"easy{i}", "article": f"{lead} {second} Officials spoke.", "summaries": [lead]})
    for i in range(3):
        records.append(
            {
                "id": f"hard{i}",
                "article": f"Rain fell on the valley number {i}. Farmers waited. Prices rose.",
                "summaries": ["Volcanic geology explains mineral deposits under distant islands."],
            }
        )
    (tmp_path / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (tmp_path / "fragile.py").write_text(FRAGILE)
    suite = tmp_path / "suite.toml"
    suite.write_text(
        'name = "coverage"\nseed = 0\n\n[corpus]\nsource = "corpus.jsonl"\n\n'
        '[[summarizers]]\nuse = "lead"\nlabel = "steady"\nparams = { k = 1 }\n\n'
        '[[summarizers]]\nuse = "fragile.py:Fragile"\nlabel = "fragile"\n\n'
        "[scoring]\nbootstrap_samples = 200\n",
        encoding="utf-8",
    )
    result = run_suite(load_suite(suite), out_dir=tmp_path / "run", use_cache=False, render=False)
    run = load_run(tmp_path / "run")
    assert result.manifest.common_documents == run.manifest.common_documents == 7
    got = {a.system: a for a in run.aggregates if a.metric == "rouge2_f"}
    steady_by_doc = run.scores.by_doc("steady", "rouge2_f")
    easy = [steady_by_doc[f"easy{i}"] for i in range(7)]
    assert got["steady"].n == 7 and got["steady"].mean == pytest.approx(np.mean(easy))
    assert got["steady"].own_n == 10 and got["steady"].own_mean == pytest.approx(np.mean(list(steady_by_doc.values())))
    assert got["fragile"].own_mean > got["steady"].own_mean  # #1 on its own 7 documents ...
    assert got["steady"].mean > got["fragile"].mean  # ... but not on the documents both were scored on
    c = next(c for c in run.comparisons if c.metric == "rouge2_f")
    # a real run on 7 common documents: below MIN_DOCUMENTS, so the pair is not tested, and the report says so
    assert c.n == 7 and not c.tested and not c.significant and (c.wins, c.ties, c.losses) == (7, 0, 0)
    assert c.min_documents == MIN_DOCUMENTS and c.family == 0
    assert verdict(c).startswith(
        "steady and fragile are not tested on ROUGE-2 F: 7 shared documents, below the 20 a paired bootstrap needs"
    )
    assert [check_verdict(c) for c in run.comparisons] == ["untested"] * len(run.comparisons)


# --- real runs of the shipped suites -----------------------------------------------------------------------
def _check_real_run(tmp_path: Path, name: str, limit: int) -> None:
    suite = with_overrides(load_suite(REPO / "benchmarks" / f"{name}.toml"), limit=limit)
    run_suite(suite, out_dir=tmp_path / name, use_cache=False, render=False)
    run = load_run(tmp_path / name)
    systems = len(run.systems)
    pairs = systems * (systems - 1) // 2
    assert run.comparisons and all(c.adjusted for c in run.comparisons)
    assert run.manifest.common_documents == limit
    assert all(a.n == limit for a in run.aggregates if a.metric.startswith("rouge"))
    kinds = [check_verdict(c) for c in run.comparisons]
    assert "beats" in kinds
    for c in run.comparisons:
        assert c.family == pairs and c.n_samples == run.manifest.significance_samples
        assert c.wins + c.ties + c.losses == c.n
        assert math.isclose(c.diff, c.mean_a - c.mean_b, abs_tol=1e-12)


def test_news_suite_verdicts_agree_with_their_intervals(tmp_path: Path) -> None:
    _check_real_run(tmp_path, "news", 30)


@pytest.mark.slow
def test_zoo_suite_verdicts_agree_with_their_intervals(tmp_path: Path) -> None:
    _check_real_run(tmp_path, "zoo", 30)
