"""samples = N: each document summarized N times (seeded per sample, cached per index); its scores are
the means over the samples, with the spread between them kept."""

import json
import math

import numpy as np
import pytest

from sumbench.errors import SuiteError
from sumbench.reports import findings
from sumbench.runfolder import load_run
from sumbench.runner import run_suite
from sumbench.suite import load_suite, resolve_suite, sample_seed


def _suite(suite_file, samples):
    return load_suite(
        suite_file(
            f'use = "random"\nlabel = "rnd"\nparams = {{ k = 1 }}\nsamples = {samples}\n\n[[summarizers]]\nuse = "lead"'
        )
    )


def test_samples_are_seeded_per_index_and_cached_under_it(suite_file):
    resolved = resolve_suite(_suite(suite_file, 3))
    base = resolved.summarizers[0]
    extra = resolved.samples["rnd"]
    assert [s.label for s in extra] == ["rnd#1", "rnd#2"] and [s.sample for s in extra] == [1, 2]
    assert [s.params["seed"] for s in extra] == [sample_seed(1, 1), sample_seed(1, 2)]
    assert base.params["seed"] == 1  # sample 0 is the system as it would run with samples = 1
    keys = {base.cache_key, *(s.cache_key for s in extra)}
    assert len(keys) == 3
    assert resolve_suite(_suite(suite_file, 1)).summarizers[0].cache_key == base.cache_key
    assert "sample_sd" in resolved.metrics


def test_scores_are_means_over_samples_with_their_spread(suite_file, tmp_path):
    run_suite(_suite(suite_file, 3), out_dir=tmp_path / "run", cache_path=tmp_path / "c", render=False)
    run = load_run(tmp_path / "run")
    rows = [json.loads(line) for line in (tmp_path / "run" / "summaries.jsonl").read_text().splitlines()]
    samples = sorted((r["doc_id"], r.get("sample", 0)) for r in rows if r["system"] == "rnd")
    assert samples == [(d, k) for d in ("n1", "n2", "n3") for k in (0, 1, 2)]
    assert len(run.scores.values("rnd", "rouge2_f")) == 3  # one row per document
    # the row's value is the mean of the three samples' own scores
    from sumbench.records import Document, Summary
    from sumbench.scoring.metrics import score_summaries
    from sumbench.text import split_sentences

    docs = {d.id: Document(d.id, d.text, tuple(split_sentences(d.text)), d.references) for d in run.documents}
    per_sample = [Summary(r["doc_id"], "x", r["summary"]) for r in rows if r["system"] == "rnd" and r["doc_id"] == "n1"]
    scored, _ = score_summaries(docs, per_sample, resolve_suite(_suite(suite_file, 3)).scoring_metrics)
    values = [r.values["rouge2_f"] for r in scored]
    assert run.scores.by_doc("rnd", "rouge2_f")["n1"] == pytest.approx(np.mean(values))
    sd = run.scores.by_doc("rnd", "sample_sd")["n1"]
    assert sd == pytest.approx(np.std(values, ddof=1)) or (math.isnan(sd) and len(set(values)) == 1)
    assert math.isnan(run.scores.by_doc("lead", "sample_sd")["n1"])  # lead has one sample
    # the drill-down and quality counts see the first sample
    assert run.summary("n1", "rnd").sample == 0


def test_raising_samples_only_makes_the_new_ones(suite_file, tmp_path):
    cache = tmp_path / "c.sqlite"
    first = run_suite(_suite(suite_file, 2), out_dir=tmp_path / "a", cache_path=cache, render=False)
    assert first.cache_misses == 6  # rnd and lead, 3 documents (sample 1 is made but not a system's summary)
    second = run_suite(_suite(suite_file, 3), out_dir=tmp_path / "b", cache_path=cache, render=False)
    assert second.cache_misses == 0 and second.cache_hits == 6
    made = second.systems[0]
    assert made.summaries == 3


def test_samples_is_a_positive_integer(suite_file):
    with pytest.raises(SuiteError, match="samples must be above 0"):
        _suite(suite_file, 0)


def test_the_report_shows_the_spread_between_samples(suite_file, tmp_path):
    run_suite(_suite(suite_file, 4), out_dir=tmp_path / "run", cache_path=tmp_path / "c", render=False)
    spread = findings.sampling(load_run(tmp_path / "run"))
    assert spread is not None and [r["system"] for r in spread["rows"]] == ["rnd"]
    row = spread["rows"][0]
    sds = load_run(tmp_path / "run").scores.values("rnd", "sample_sd")
    assert row["mean_sd"] == pytest.approx(float(np.nanmean(sds)))
    assert row["noise"] == pytest.approx(float(np.sqrt(np.nanmean(sds**2) / 4 / 3)))
