import json
import subprocess
import sys

import pytest

from sumbench.cli import main


@pytest.mark.slow
def test_sumbench_run_without_arguments_runs_the_default_suite(tmp_path):
    """`sumbench run` from any folder: the default suite, the run folder printed as the last line."""
    completed = subprocess.run(
        [sys.executable, "-m", "sumbench.cli", "run", "--limit", "8", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    run_dir = tmp_path / completed.stdout.strip().splitlines()[-1]
    assert run_dir.parent == tmp_path / "reports" and run_dir.name.startswith("news-")
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["corpus"]["documents"] == 8
    assert [s["label"] for s in manifest["systems"]] == ["lead-3", "random-3", "oracle-3", "textrank-3", "lead+quote"]
    assert (run_dir / "report.html").is_file()


def test_run_options_second_run_from_cache_and_report_rerender(suite_file, tmp_path, capsys):
    suite = str(suite_file('use = "lead"\n\n[[summarizers]]\nuse = "random"'))
    cache = str(tmp_path / "cache.sqlite")
    assert (
        main(["run", suite, "--out", str(tmp_path / "r1"), "--limit", "2", "--seed", "5", "--cache", cache, "--quiet"])
        == 0
    )
    out = capsys.readouterr()
    assert out.out.strip().splitlines()[-1] == str(tmp_path / "r1")
    assert json.loads((tmp_path / "r1" / "manifest.json").read_text())["seed"] == 5
    assert (
        main(["run", suite, "--out", str(tmp_path / "r2"), "--limit", "2", "--seed", "5", "--cache", cache, "--quiet"])
        == 0
    )
    assert "none recomputed" in capsys.readouterr().err

    report = tmp_path / "r1" / "report.md"
    report.unlink()
    assert main(["report", str(tmp_path / "r1")]) == 0
    assert report.is_file() and "lead" in report.read_text()


def test_compare_two_runs(suite_file, tmp_path, capsys):
    suite = str(suite_file('use = "lead"\nparams = { k = 1 }'))
    main(["run", suite, "--out", str(tmp_path / "a"), "--no-cache", "--quiet"])
    suite = str(suite_file('use = "lead"\nparams = { k = 2 }'))
    main(["run", suite, "--out", str(tmp_path / "b"), "--no-cache", "--quiet"])
    capsys.readouterr()
    assert main(["compare", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "cmp")]) == 0
    assert (tmp_path / "cmp" / "compare.html").is_file()


def test_list_shows_summarizers_with_parameters_and_corpora(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "lead" in out and "The first sentences of the article" in out
    assert "k (default None)" in out
    assert "cnndm-summeval" in out and "100 documents, 11 references per document" in out


def test_summarize_a_file_and_stdin(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("First sentence here. Second sentence here. Third one.")
    assert main(["summarize", str(article), "--with", "lead", "--param", "k=2"]) == 0
    assert capsys.readouterr().out == "First sentence here.\nSecond sentence here.\n"
    completed = subprocess.run(
        [sys.executable, "-m", "sumbench.cli", "summarize", "-", "--with", "lead", "--param", "k=1"],
        input="Alpha is first. Beta is second.",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.stdout == "Alpha is first.\n"


def test_errors_are_messages_not_tracebacks(tmp_path, capsys):
    assert main(["summarize", "-", "--with", "laed"]) == 2  # fails before reading stdin
    bad = tmp_path / "bad.toml"
    bad.write_text('[[summarizers]]\nuse = "laed"\n')
    assert main(["run", str(bad), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "sumbench: error:" in err and "Did you mean 'lead'" in err


def test_train_a_learned_summarizer_of_a_suite(suite_file, tmp_path, capsys):
    suite = suite_file(
        f'use = "supervised"\nlabel = "sup"\nparams = {{ train_source = "frank-cnndm", train_limit = 25, '
        f'model_dir = "{tmp_path / "models"}" }}'
    )
    assert main(["train", str(suite), "--summarizer", "sup"]) == 0
    model = capsys.readouterr().out.strip().splitlines()[-1]
    assert model.endswith(".joblib") and (tmp_path / "models").is_dir()
    assert main(["train", str(suite), "--summarizer", "sup"]) == 0  # cached: the same file again
    assert capsys.readouterr().out.strip().splitlines()[-1] == model
    assert main(["train", str(suite), "--summarizer", "nope"]) != 0


def test_train_and_run_with_a_seed_use_one_model_file(suite_file, tmp_path, capsys):
    """`sumbench train` and `sumbench run` resolve the suite alike: seed 7 reaches both, one model file."""
    models = tmp_path / "models"
    suite = suite_file(
        f'use = "supervised"\nlabel = "sup"\nparams = {{ train_source = "frank-cnndm", train_limit = 25, '
        f'model_dir = "{models}" }}'
    )
    suite.write_text(suite.read_text().replace("seed = 1", "seed = 7"))
    assert main(["train", str(suite), "--summarizer", "sup"]) == 0
    trained = sorted(models.iterdir())
    assert len(trained) == 1
    assert main(["run", str(suite), "--out", str(tmp_path / "run"), "--no-cache", "--quiet"]) == 0
    assert sorted(models.iterdir()) == trained  # the run found the trained model: nothing new was trained
    system = json.loads((tmp_path / "run" / "manifest.json").read_text())["systems"][0]
    assert system["params"]["seed"] == 7
    assert main(["list", str(suite)]) == 0
    assert "seed=7" in capsys.readouterr().out


def test_user_errors_are_one_line_bugs_show_a_traceback(tmp_path, capsys):
    (tmp_path / "ctor.py").write_text(
        "class Boom:\n    def __init__(self):\n        raise KeyError('no config')\n"
        "    def summarize(self, doc):\n        return ''\n"
    )
    article = tmp_path / "a.txt"
    article.write_text("One sentence. Two sentences.")
    assert main(["summarize", str(article), "--with", f"{tmp_path / 'ctor.py'}:Boom"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "its constructor raised KeyError: 'no config'" in err
    assert main(["--debug", "summarize", str(article), "--with", f"{tmp_path / 'ctor.py'}:Boom"]) == 2
    assert "Traceback" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "absent")]) == 2
    assert "not a folder" in capsys.readouterr().err
    (tmp_path / "bug.py").write_text(
        "class Bug:\n    def __init__(self):\n        pass\n    def summarize(self, doc):\n        return 1 / 0\n"
    )
    completed = subprocess.run(
        [sys.executable, "-m", "sumbench.cli", "summarize", str(article), "--with", f"{tmp_path / 'bug.py'}:Bug"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1 and "Traceback" in completed.stderr and "ZeroDivisionError" in completed.stderr
