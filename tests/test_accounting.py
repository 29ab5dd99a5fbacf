"""Accounting of LLM summaries: a summarizer that returns Generation records tokens, latency, finish
reason, model id and cost; the runner keeps them in summaries.jsonl, scores.csv and the cache; answers
that are refusals, empty or cut off are counted."""

import json
import math

import pytest

from sumbench.records import Summary
from sumbench.reports import findings
from sumbench.runfolder import load_run
from sumbench.runner import run_suite
from sumbench.scoring.metrics import ACCOUNTING_COLUMNS, accounting_values
from sumbench.scoring.quality import answer_kind
from sumbench.suite import load_suite

FAKE_LLM = '''
from sumbench.records import Generation

class FakeLLM:
    """Answers with the lede; refuses on the bridge story; runs out of tokens on the storm."""
    reports_usage = True
    calls = 0

    def __init__(self, price_per_1m_input=2.0, price_per_1m_output=10.0):
        self.price_per_1m_input = price_per_1m_input
        self.price_per_1m_output = price_per_1m_output

    def summarize(self, doc):
        type(self).calls += 1
        if "bridge" in doc.text:
            return Generation("I'm sorry, but I can't help with that.", 50, 9, 0.25, "stop", "fake-1")
        if "storm" in doc.text:
            return Generation(doc.sentences[0], 40, 64, 0.5, "length", "fake-1")
        return Generation(doc.sentences[0], 100, 20, 0.75, "stop", "fake-1", retries=1)
'''


@pytest.mark.parametrize(
    ("text", "finish", "kind"),
    [
        ("The council passed a budget.", "stop", "answer"),
        ("I'm sorry, but I can't summarize this.", "stop", "refusal"),
        ("“I cannot help with that request.”", None, "refusal"),
        ("As an AI model, I will not.", "stop", "refusal"),
        ("Anything.", "content_filter", "refusal"),
        (" .. ", "stop", "empty"),
        ("The council passed a", "length", "cut-off"),
        ("Sorry state of the roads worries drivers.", "stop", "answer"),
    ],
)
def test_answer_kinds(text, finish, kind):
    assert answer_kind(text, finish) == kind


def test_accounting_values_from_a_summary():
    s = Summary("d", "x", "A summary.", meta={"prompt_tokens": 10, "completion_tokens": 3, "latency_s": 0.2})
    values = accounting_values(s)
    assert values["prompt_tokens"] == 10 and values["answered"] == 1.0 and math.isnan(values["cost_usd"])


def test_accounting_reaches_the_run_folder_and_survives_the_cache(suite_file, tmp_path):
    (tmp_path / "fake_llm.py").write_text(FAKE_LLM)
    path = suite_file('use = "fake_llm.py:FakeLLM"\nlabel = "llm"\n\n[[summarizers]]\nuse = "lead"')
    cache = tmp_path / "c.sqlite"
    first = run_suite(load_suite(path), out_dir=tmp_path / "r1", cache_path=cache, render=False)
    assert set(ACCOUNTING_COLUMNS) <= set(first.manifest.metrics)
    run = load_run(tmp_path / "r1")
    meta = {s.doc_id: dict(s.meta) for s in run.summaries if s.system == "llm"}
    assert meta["n1"] == {
        "prompt_tokens": 100,
        "completion_tokens": 20,
        "latency_s": 0.75,
        "finish_reason": "stop",
        "model": "fake-1",
        "retries": 1,
        "cost_usd": pytest.approx((100 * 2.0 + 20 * 10.0) / 1e6),
    }
    answered = run.scores.by_doc("llm", "answered")
    assert answered == {"n1": 1.0, "n2": 0.0, "n3": 0.0}  # a refusal and a cut-off answer
    assert math.isnan(run.scores.by_doc("lead", "prompt_tokens")["n1"])  # lead reports no usage
    assert run.scores.by_doc("lead", "answered") == {"n1": 1.0, "n2": 1.0, "n3": 1.0}
    # a second run serves every summary from the cache, with the same accounting
    second = run_suite(load_suite(path), out_dir=tmp_path / "r2", cache_path=cache, render=False)
    assert second.cache_misses == 0
    again = {s.doc_id: dict(s.meta) for s in load_run(tmp_path / "r2").summaries if s.system == "llm"}
    assert again == meta
    rows = [json.loads(line) for line in (tmp_path / "r2" / "summaries.jsonl").read_text().splitlines()]
    assert all(r["cached"] for r in rows)


def test_a_failing_generation_is_recorded_and_never_cached(suite_file, tmp_path):
    (tmp_path / "flaky.py").write_text(
        "from sumbench.records import Generation\n"
        "class Flaky:\n"
        "    reports_usage = True\n"
        "    def __init__(self):\n        pass\n"
        "    def summarize(self, doc):\n"
        "        if 'bridge' in doc.text:\n            raise TimeoutError('server timed out after 3 retries')\n"
        "        return Generation(doc.sentences[0], 5, 5, 0.1, 'stop', 'm')\n"
    )
    path = suite_file('use = "flaky.py:Flaky"\nlabel = "flaky"')
    cache = tmp_path / "c.sqlite"
    result = run_suite(load_suite(path), out_dir=tmp_path / "r1", cache_path=cache, render=False)
    assert [(f.doc_id, f.stage) for f in result.failures] == [("n2", "summarize")]
    again = run_suite(load_suite(path), out_dir=tmp_path / "r2", cache_path=cache, render=False)
    assert again.cache_misses == 1  # the failed document is asked again, the others come from the cache


def test_the_report_accounts_per_system(suite_file, tmp_path):
    (tmp_path / "fake_llm.py").write_text(FAKE_LLM)
    path = suite_file('use = "fake_llm.py:FakeLLM"\nlabel = "llm"\n\n[[summarizers]]\nuse = "lead"')
    run_suite(load_suite(path), out_dir=tmp_path / "r", cache_path=tmp_path / "c", render=False)
    table = findings.accounting(load_run(tmp_path / "r"))
    row = next(r for r in table["rows"] if r["system"] == "llm")
    assert row["prompt_tokens"] == pytest.approx((100 + 50 + 40) / 3)
    assert row["latency_p50"] == pytest.approx(0.5) and row["latency_p95"] == pytest.approx(0.725)
    assert row["cost_per_1000"] == pytest.approx(1000 * (190 * 2.0 + 93 * 10.0) / 1e6 / 3)
    assert row["answer_rate"] == pytest.approx(1 / 3)
    assert row["kinds"] == {"answer": 1, "refusal": 1, "cut-off": 1}
    assert "lead" not in {r["system"] for r in table["rows"]}


def test_parameters_that_never_change_a_summary_stay_out_of_the_cache_key(suite_file, monkeypatch):
    pytest.importorskip("openai")
    from sumbench.suite import resolve_suite

    monkeypatch.setenv("SUMBENCH_TEST_KEY", "sk-test")

    def key(extra):
        path = suite_file(
            'use = "openai-chat"\nparams = { model = "m", base_url = "http://127.0.0.1:9/v1", '
            f'api_key_env = "SUMBENCH_TEST_KEY"{extra} }}'
        )
        return resolve_suite(load_suite(path)).summarizers[0].cache_key

    base = key("")
    assert key(", max_concurrency = 16, timeout_s = 5.0, price_per_1m_input = 0.15") == base
    assert key(", temperature = 0.7") != base
    assert key(', prompt = "tldr"') != base
