"""The metric plugin point: registry, suites' [[metrics]], per-item failures, signatures in the manifest."""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path

import pytest

from sumbench.errors import PluginError, SuiteError
from sumbench.records import Document, Summary
from sumbench.runfolder import load_run
from sumbench.runner import run_suite
from sumbench.scoring.base import Metric, MetricItem
from sumbench.scoring.metrics import Extractiveness, Lengths, Rouge, score_summaries, standard_metrics
from sumbench.scoring.registry import build_metric, registered
from sumbench.suite import load_suite, resolve_suite

PLUGIN = textwrap.dedent(
    '''
    class SummaryWords:
        """Words in the summary, divided by ``per``."""

        columns = ("summary_words",)

        def __init__(self, per: int = 1):
            self.per = per

        def signature(self) -> str:
            return f"summary-words|per:{self.per}|v1"

        def score_batch(self, items):
            out = []
            for item in items:
                if "EXPLODE" in item.summary:
                    out.append(ValueError("cannot count an explosion"))
                else:
                    out.append({"summary_words": len(item.summary.split()) / self.per})
            return out


    class Broken:
        columns = ("summary_words",)

        def signature(self) -> str:
            return "broken"

        def score_batch(self, items):
            raise RuntimeError("the whole batch fails")
    '''
)


def _docs() -> dict[str, Document]:
    return {
        f"d{k}": Document(
            f"d{k}", f"Article {k} says the mayor opened a bridge. It cost money.", (), (f"ref {k} mayor",)
        )
        for k in range(3)
    }


def test_builtins_are_registered_through_the_entry_point_group():
    names = set(registered())
    assert {"rouge", "lengths", "extractiveness", "bertscore", "facts"} <= names


def test_unknown_metric_and_parameter_say_did_you_mean():
    with pytest.raises(PluginError, match="Did you mean 'rouge'"):
        build_metric("rogue")
    with pytest.raises(PluginError, match=r"has no parameter 'rouge_type'\. Did you mean 'rouge_types'"):
        build_metric("rouge", {"rouge_type": ["rouge1"]})
    with pytest.raises(PluginError, match="bad parameters"):
        build_metric("rouge", {"rouge_types": ["rouge0"]})


def test_builtins_satisfy_the_protocol_and_score_like_before():
    for metric in standard_metrics():
        assert isinstance(metric, Metric)
        assert metric.signature()
    docs = _docs()
    summaries = [Summary(d, "s", "the mayor opened a bridge") for d in docs]
    rows, failures = score_summaries(docs, summaries, [Rouge(["rouge1"]), Lengths(), Extractiveness()])
    assert not failures
    assert list(rows[0].values)[:3] == ["rouge1_p", "rouge1_r", "rouge1_f"]
    assert rows[0].values["words"] == 5.0


def test_one_failing_item_fails_only_its_pair_and_names_the_metric(tmp_path):
    plugin = tmp_path / "wordy.py"
    plugin.write_text(PLUGIN, encoding="utf-8")
    metric = build_metric(f"{plugin}:SummaryWords", {"per": 2})
    docs = _docs()
    summaries = [Summary("d0", "s", "one two"), Summary("d1", "s", "EXPLODE now"), Summary("d2", "s", "a b c d")]
    rows, failures = score_summaries(docs, summaries, [Rouge(["rouge1"]), metric])
    assert [r.doc_id for r in rows] == ["d0", "d2"]
    assert rows[1].values["summary_words"] == 2.0
    (failure,) = failures
    assert failure.doc_id == "d1" and failure.stage == "score"
    assert "SummaryWords: ValueError: cannot count an explosion" in failure.error


def test_a_batch_that_raises_is_scored_item_by_item(tmp_path):
    plugin = tmp_path / "broken.py"
    plugin.write_text(PLUGIN, encoding="utf-8")
    metric = build_metric(f"{plugin}:Broken")
    docs = _docs()
    rows, failures = score_summaries(docs, [Summary(d, "s", "text") for d in docs], [metric])
    assert not rows and len(failures) == 3
    assert all("the whole batch fails" in f.error for f in failures)


def test_a_metric_leaving_out_a_column_gives_nan():
    class Partial:
        columns = ("a", "b")

        def signature(self) -> str:
            return "partial"

        def score_batch(self, items: list[MetricItem]) -> list[dict[str, float]]:
            return [{"a": 1.0} for _ in items]

    docs = _docs()
    rows, _ = score_summaries(docs, [Summary("d0", "s", "x")], [Partial()])
    assert rows[0].values["a"] == 1.0 and math.isnan(rows[0].values["b"])


def _suite(tmp_path: Path, news_jsonl: Path, metrics: str) -> Path:
    path = tmp_path / "suite.toml"
    path.write_text(
        f'name = "m"\n[corpus]\nsource = "{news_jsonl}"\n[[summarizers]]\nuse = "lead"\nparams = {{ k = 1 }}\n'
        f'[scoring]\nrouge_types = ["rouge1"]\n{metrics}',
        encoding="utf-8",
    )
    return path


def test_a_suite_metric_from_a_file_adds_its_column_and_signature(tmp_path, news_jsonl):
    (tmp_path / "wordy.py").write_text(PLUGIN, encoding="utf-8")
    suite = load_suite(
        _suite(tmp_path, news_jsonl, '[[metrics]]\nuse = "wordy.py:SummaryWords"\nparams = { per = 1 }\n')
    )
    resolved = resolve_suite(suite)
    assert resolved.metrics[-1] == "summary_words"
    result = run_suite(resolved, out_dir=tmp_path / "run", use_cache=False, render=False)
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    signatures = manifest["metric_signatures"]
    assert signatures["rouge"].startswith("rouge1|")
    assert any(v == "summary-words|per:1|v1" for v in signatures.values())
    run = load_run(result.run_dir)
    assert run.manifest.metric_signatures == signatures
    words = run.scores.values("lead", "summary_words")
    assert len(words) and all(w >= 1 for w in words)


def test_suite_metric_errors_name_the_table(tmp_path, news_jsonl):
    (tmp_path / "wordy.py").write_text(PLUGIN.replace('("summary_words",)', '("words",)', 1), encoding="utf-8")
    suite = load_suite(_suite(tmp_path, news_jsonl, '[[metrics]]\nuse = "wordy.py:SummaryWords"\n'))
    with pytest.raises(SuiteError, match=r"\[\[metrics\]\] #1 .*column 'words' is already written by \[scoring\]"):
        resolve_suite(suite)
    with pytest.raises(SuiteError, match=r"\[metrics #1\] unknown key 'param'"):
        load_suite(_suite(tmp_path, news_jsonl, '[[metrics]]\nuse = "facts"\nparam = {}\n'))
    suite = load_suite(_suite(tmp_path, news_jsonl, '[[metrics]]\nuse = "fact"\n'))
    with pytest.raises(SuiteError, match=r"\[\[metrics\]\] #1 \(fact\): unknown metric 'fact'. Did you mean 'facts'"):
        resolve_suite(suite)


def test_a_third_party_distribution_registers_a_metric(tmp_path, monkeypatch):
    info = tmp_path / "wordy_metrics-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: wordy-metrics\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[sumbench.metrics]\nwordy = wordy_metrics:SummaryWords\n", encoding="utf-8")
    (tmp_path / "wordy_metrics.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "wordy" in registered()
    metric = build_metric("wordy", {"per": 3})
    assert metric.signature() == "summary-words|per:3|v1"


def test_the_plugin_guide_metric_is_the_example_file_and_runs(tmp_path, news_jsonl):
    root = Path(__file__).resolve().parents[1]
    guide = (root / "summarizers" / "README.md").read_text(encoding="utf-8")
    example = root / "summarizers" / "capitalised_metric.py"
    code = example.read_text(encoding="utf-8")
    assert f"```python\n{code}```" in guide
    assert len([line for line in code.splitlines() if line.strip()]) <= 15
    suite = load_suite(_suite(tmp_path, news_jsonl, f'[[metrics]]\nuse = "{example}:CapitalisedShare"\n'))
    result = run_suite(suite, out_dir=tmp_path / "run", use_cache=False, render=False)
    shares = load_run(result.run_dir).scores.values("lead", "capitalised_share")
    assert len(shares) == 3 and all(0 < s <= 1 for s in shares)


def test_list_shows_the_registered_metrics(capsys):
    from sumbench.cli import main

    assert main(["list"]) == 0
    out = capsys.readouterr().out
    metrics = out.split("Metrics (", 1)[1].split("Bundled corpora", 1)[0]
    for name in ("bertscore", "facts", "rouge", "lengths", "extractiveness"):
        assert f"  {name} " in metrics
    assert "num_layers (default None)" in metrics
