import csv
import json

import pytest

from sumbench.reports.verdicts import verdict
from sumbench.runfolder import SCHEMA_VERSION, load_run
from sumbench.runner import RunError, run_suite
from sumbench.suite import load_suite


def _read_jsonl(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


FAILING_PLUGIN = '''
class FailsOnBridge:
    """Fails on one document."""
    def __init__(self):
        pass
    def summarize(self, doc):
        if "bridge" in doc.text:
            raise RuntimeError("cannot summarize bridges")
        return doc.sentences[0]
'''


def test_run_folder_contents_and_cache_hits_on_rerun(suite_file, tmp_path):
    suite = load_suite(
        suite_file('use = "lead"\nlabel = "lead-2"\nparams = { k = 2 }\n\n[[summarizers]]\nuse = "random"')
    )
    cache = tmp_path / "c.sqlite"
    first = run_suite(suite, out_dir=tmp_path / "run1", cache_path=cache)
    assert first.cache_hits == 0 and first.cache_misses == 6
    run = tmp_path / "run1"
    for name in (
        "manifest.json",
        "documents.jsonl",
        "summaries.jsonl",
        "scores.csv",
        "aggregates.json",
        "significance.json",
        "failures.jsonl",
        "report.md",
        "report.html",
    ):
        assert (run / name).is_file(), name
    assert list((run / "figures").glob("*.png"))
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["seed"] == 1 and manifest["corpus"]["documents"] == 3
    assert manifest["rouge_signature"].startswith("rouge1,2,L,Lsum|")
    assert len(manifest["corpus"]["fingerprint"]) == 64
    assert {"python", "sumbench", "numpy"} <= set(manifest["versions"])
    assert manifest["systems"][1]["params"]["seed"] == 1  # the suite's seed reaches the random summarizer
    with open(run / "scores.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6
    assert list(rows[0])[:5] == ["doc_id", "system", "rouge1_p", "rouge1_r", "rouge1_f"]
    assert {"rougeLsum_f", "words", "sentences", "compression", "coverage", "density"} <= set(rows[0])
    aggregates = json.loads((run / "aggregates.json").read_text())
    r2 = next(a for a in aggregates if a["system"] == "lead-2" and a["metric"] == "rouge2_f")
    assert r2["ci_low"] <= r2["mean"] <= r2["ci_high"] and r2["n"] == 3
    assert _read_jsonl(run / "failures.jsonl") == []

    second = run_suite(suite, out_dir=tmp_path / "run2", cache_path=cache)
    assert second.cache_hits == 6 and second.cache_misses == 0
    assert all(s["cached"] for s in _read_jsonl(tmp_path / "run2" / "summaries.jsonl"))
    assert (tmp_path / "run2" / "scores.csv").read_text() == (run / "scores.csv").read_text()


def test_changed_parameters_miss_the_cache(suite_file, tmp_path):
    cache = tmp_path / "c.sqlite"
    run_suite(
        load_suite(suite_file('use = "lead"\nparams = { k = 1 }')),
        out_dir=tmp_path / "a",
        cache_path=cache,
        render=False,
    )
    again = run_suite(
        load_suite(suite_file('use = "lead"\nparams = { k = 2 }')),
        out_dir=tmp_path / "b",
        cache_path=cache,
        render=False,
    )
    assert again.cache_hits == 0


def test_a_failing_document_is_recorded_and_the_run_goes_on(suite_file, tmp_path):
    (tmp_path / "flaky.py").write_text(FAILING_PLUGIN)
    suite = load_suite(suite_file('use = "flaky.py:FailsOnBridge"\nlabel = "flaky"\n\n[[summarizers]]\nuse = "lead"'))
    result = run_suite(suite, out_dir=tmp_path / "run", use_cache=False)
    failures = _read_jsonl(tmp_path / "run" / "failures.jsonl")
    assert failures == [
        {
            "doc_id": "n2",
            "system": "flaky",
            "stage": "summarize",
            "error": "RuntimeError: cannot summarize bridges (flaky.py:8)",
        }
    ]
    assert len(load_run(tmp_path / "run").scores) == 5 and result.systems[0].failures == 1
    aggregates = json.loads((tmp_path / "run" / "aggregates.json").read_text())
    assert next(a for a in aggregates if a["system"] == "flaky" and a["metric"] == "rouge1_f")["n"] == 2
    assert "cannot summarize bridges" in (tmp_path / "run" / "report.html").read_text()
    assert "cannot summarize bridges" in (tmp_path / "run" / "report.md").read_text()


def test_a_summarizer_refusing_the_corpus_stops_before_work(suite_file, tmp_path):
    (tmp_path / "picky.py").write_text(
        "class Picky:\n    def __init__(self):\n        pass\n"
        "    def prepare(self, documents):\n        raise ValueError('trained on n1')\n"
        "    def summarize(self, doc):\n        return ''\n"
    )
    suite = load_suite(suite_file('use = "picky.py:Picky"'))
    with pytest.raises(RunError, match="refused the corpus: trained on n1"):
        run_suite(suite, out_dir=tmp_path / "run", use_cache=False)
    assert not (tmp_path / "run").exists()


@pytest.mark.slow
def test_default_suite_ranks_oracle_over_lead_over_random(tmp_path):
    from conftest import REPO

    result = run_suite(
        load_suite(REPO / "benchmarks" / "news.toml"), out_dir=tmp_path / "news", use_cache=False, render=False
    )
    r2 = {a.system: a for a in result.aggregates if a.metric == "rouge2_f"}
    assert r2["oracle-3"].mean > r2["lead-3"].mean > r2["random-3"].mean
    assert r2["oracle-3"].ci_low > r2["lead-3"].ci_high  # clearly separated
    run = load_run(tmp_path / "news")
    lead_random = next(c for c in run.comparisons if c.metric == "rouge2_f" and {c.a, c.b} == {"lead-3", "random-3"})
    assert lead_random.significant and "beats" in verdict(lead_random)
    assert run.manifest.primary_metric == "rouge2_f" and run.manifest.schema_version == SCHEMA_VERSION


def test_baseline_verdicts_in_both_reports(suite_file, tmp_path):
    suite = load_suite(
        _rewrite_with_baseline(suite_file('use = "lead"\n\n[[summarizers]]\nuse = "random"\nparams = { k = 1 }'))
    )
    run_suite(suite, out_dir=tmp_path / "run", use_cache=False)
    assert json.loads((tmp_path / "run" / "manifest.json").read_text())["baseline"] == "lead"
    md = (tmp_path / "run" / "report.md").read_text()
    html = (tmp_path / "run" / "report.html").read_text()
    assert "## Against the baseline (lead)" in md and 'id="baseline"' in html
    assert md.count("random") >= 4 and "ROUGE-2 F" in md.split("## Against the baseline")[1].split("##")[0]


def _rewrite_with_baseline(path):
    path.write_text(path.read_text().replace("seed = 1", 'seed = 1\nbaseline = "lead"'))
    return path


def test_baseline_must_name_a_summarizer(suite_file):
    from sumbench.suite import SuiteError

    path = suite_file()
    path.write_text(path.read_text().replace("seed = 1", 'seed = 1\nbaseline = "lead-9"'))
    with pytest.raises(SuiteError, match="baseline 'lead-9' is not a summarizer label"):
        load_suite(path)


def test_lsum_newline_policy_warns_about_one_line_multi_sentence_texts(suite_file, tmp_path, news_jsonl):
    from conftest import NEWS

    two_sentence_reference = {**NEWS[0], "summaries": ["The council approved a budget. Schools gain most."]}
    news_jsonl.write_text("".join(json.dumps(r) + "\n" for r in [two_sentence_reference, *NEWS[1:]]))
    suite = load_suite(suite_file('use = "lead"', extra='lsum_split = "newline"'))
    run_suite(suite, out_dir=tmp_path / "run", use_cache=False, render=False)
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert "lsum=newline" in manifest["rouge_signature"]
    assert any("ROUGE-Lsum/Wsum with lsum_split='newline'" in w for w in manifest["warnings"])
    quiet = run_suite(load_suite(suite_file('use = "lead"')), out_dir=tmp_path / "r2", use_cache=False, render=False)
    assert json.loads((quiet.run_dir / "manifest.json").read_text())["warnings"] == []
