import pytest

from conftest import REPO
from sumbench.suite import SuiteError, load_suite, resolve_suite, with_overrides


def test_default_suite_is_valid():
    suite = load_suite(REPO / "benchmarks" / "news.toml")
    assert suite.name == "news" and suite.corpus.source == "cnndm-summeval"
    assert [s.label for s in suite.summarizers] == ["lead-3", "random-3", "oracle-3", "textrank-3", "lead+quote"]
    assert suite.scoring.rouge_types == ("rouge1", "rouge2", "rougeL", "rougeLsum")


def test_relative_paths_resolve_against_the_suite_file(suite_file, news_jsonl):
    suite = load_suite(suite_file())
    assert suite.corpus.source == str(news_jsonl.resolve())
    assert with_overrides(suite, limit=2, seed=9).corpus.limit == 2
    assert with_overrides(suite, seed=9).seed == 9


@pytest.mark.parametrize(
    "summarizers, extra, corpus, message",
    [
        ('use = "lead"\ncolour = 1', "", "", r"\[summarizers #1\] unknown key 'colour'"),
        ('use = "laed"', "", "", r"unknown summarizer 'laed'.*Did you mean 'lead'"),
        ('use = "lead"\nparams = { kk = 3 }', "", "", r"no parameter 'kk'.*Did you mean 'k'"),
        ('use = "lead"\nparams = { k = 0 }', "", "", r"k must be a positive integer"),
        ('use = "lead"', 'rouge_types = ["rouge2", "rougeX"]', "", r"\[scoring\] unknown rouge type 'rougeX'"),
        ('use = "lead"', 'multiref = "avg"', "", r"\[scoring\] unknown multiref 'avg'; known: max, mean"),
        ('use = "lead"', "max_words = 100\nmax_bytes = 600", "", r"\[scoring\] give max_words or max_bytes, not both"),
        (
            'use = "lead"',
            'primary = "rouge2"',
            "",
            r"\[scoring\] primary: 'rouge2' is not a scored metric \(did you mean",
        ),
        ('use = "lead"', 'primary = "rouge2_f"\nrouge_types = ["rouge1"]', "", r"primary: 'rouge2_f' is not a scored"),
        ('use = "lead"', "confidence = 95", "", r"\[scoring\] confidence must be between 0 and 1"),
        ('use = "lead"', "max_words = true", "", r"max_words must be an integer, not a boolean"),
        ('use = "lead"', "seeds = 3", "", r"\[scoring\] unknown key 'seeds'"),
        (
            'use = "lead"',
            "",
            'text_feild = "x"',
            r"\[corpus\] unknown key 'text_feild' \(did you mean 'text_field'\?\)",
        ),
        ('use = "lead"', "", "limit = 0", r"\[corpus\] limit must be at least 1"),
        ('use = "lead"\n\n[[summarizers]]\nuse = "lead"', "", "", r"label 'lead' is used twice"),
        ('use = "missing.py:X"', "", "", r"plugin file not found"),
    ],
)
def test_validation_errors_name_table_and_key(suite_file, summarizers, extra, corpus, message):
    with pytest.raises(SuiteError, match=message) as info:
        resolve_suite(load_suite(suite_file(summarizers, extra, corpus)))
    assert "suite.toml" in str(info.value)


def test_missing_corpus_and_bad_toml(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[corpus]\nsource = "nope.jsonl"\n[[summarizers]]\nuse = "lead"\n')
    with pytest.raises(SuiteError, match=r"\[corpus\] source 'nope.jsonl' is neither a bundled corpus"):
        load_suite(path)
    path.write_text("name = \n")
    with pytest.raises(SuiteError, match="invalid TOML"):
        load_suite(path)
    path.write_text('name = "x"\n')
    with pytest.raises(SuiteError, match=r"no \[\[summarizers\]\]"):
        load_suite(path)
    with pytest.raises(SuiteError, match="suite file not found"):
        load_suite(tmp_path / "absent.toml")


def test_path_parameters_resolve_but_bundled_sources_stay(tmp_path, news_jsonl):
    from sumbench.suite import _resolve_path_param

    assert _resolve_path_param("file", "out.jsonl", tmp_path) == str((tmp_path / "out.jsonl").resolve())
    assert _resolve_path_param("train_source", "frank-cnndm", tmp_path) == "frank-cnndm"
    assert _resolve_path_param("train_source", news_jsonl.name, tmp_path) == str(news_jsonl.resolve())
    assert _resolve_path_param("k", "3", tmp_path) == "3"


def test_resolution_builds_each_summarizer_once_with_its_final_parameters(suite_file):
    suite = load_suite(
        suite_file(
            'use = "random"\nlabel = "r"\n\n[[summarizers]]\nuse = "random"\nlabel = "r7"\nparams = { seed = 7 }',
            extra='primary = "rouge1_f"',
        )
    )
    resolved = resolve_suite(suite)
    assert [dict(s.params)["seed"] for s in resolved.summarizers] == [1, 7]  # the suite's seed, or its own
    assert resolved.primary_metric == "rouge1_f" and resolved.metrics[:3] == ("rouge1_p", "rouge1_r", "rouge1_f")
    first = resolved.summarizers[0]
    assert first.plugin.instance.seed == 1 and first.version == "1"
    assert first.cache_key == first.cache_key and first.cache_key != resolved.summarizers[1].cache_key
    assert resolve_suite(with_overrides(suite, seed=3)).summarizers[0].params["seed"] == 3
    assert resolve_suite(load_suite(suite_file())).primary_metric == "rouge2_f"
