"""Everything a suite can get wrong fails in ``resolve_suite``, before any summarizing.

The walk: every ``raise ValueError`` in the scorer's constructor and in the built-in summarizers'
parameter checks (found by reading their source) must be reached by one of the suites below, and each
of those suites must fail with a :class:`SuiteError` naming the suite file and the table. A new check
added without a case here fails :func:`test_every_parameter_check_is_reached_from_a_suite`.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import sumbench
from sumbench.errors import SuiteError
from sumbench.suite import load_suite, resolve_suite

SRC = Path(sumbench.__file__).parent

#: (module file, function) pairs whose ValueErrors are checked from a suite.
CHECKED = {
    "scoring/rouge.py": {"parse_rouge_types", "__init__"},
    "summarizers/base.py": {"__post_init__"},
    "summarizers/_text.py": {"check_text_params"},
    "summarizers/_torch.py": {"validate_device", "validate_model"},
    "summarizers/hf_seq2seq.py": {"validate", "_positive_int"},
    **{
        f"summarizers/{name}.py": {"validate"}
        for name in (
            "lsa",
            "lexrank",
            "centroid",
            "sumbasic",
            "textrank",
            "luhn",
            "klsum",
            "mmr",
            "precomputed",
            "supervised",
            "embedding",
        )
    },
}

#: ValueErrors deliberately not reachable from a suite's parameters, and why.
NOT_FROM_A_SUITE = {
    # parse_rouge_types: the suite's own type check refuses an empty or non-string list first
    ("scoring/rouge.py", "no rouge type given"),
    # a custom tokenizer object is a Python-API option; a suite has no tokenizer key
    ("scoring/rouge.py", "tokenizer must be None"),
    # a sentence splitter object likewise; and a suite with compat = "perl" and another language is
    # refused by the suite itself, first ("compat = \"perl\" is English-only")
    ("scoring/rouge.py", "sentence_splitter must be None"),
}

S = '[[summarizers]]\nuse = "{use}"\nparams = {{ {params} }}\n'

CASES = [
    # the shared extractive budget
    ("lead", "k = 0", "", "k must be a positive integer"),
    ("lead", "k = 2, max_words = 5", "", "give one budget"),
    ("lead", "max_words = 0", "", "max_words must be a positive integer"),
    ("lead", "ratio = 2.0", "", "ratio must be in"),
    # classic summarizers
    ("textrank", 'stop_words = "french"', "", "stop_words must be 'auto', 'english' or None"),
    ("textrank", "stemming = 1", "", "stemming must be True or False"),
    ("textrank", "damping = 1.0", "", "damping must be in"),
    ("lexrank", "damping = 0.0", "", "damping must be in"),
    ("lexrank", "threshold = 1.0", "", "threshold must be None or in"),
    ("lsa", 'variant = "svd"', "", "variant must be one of"),
    ("lsa", "n_topics = 0", "", "n_topics must be None or a positive integer"),
    ("lsa", 'weighting = "idf"', "", "weighting must be one of"),
    ("centroid", "redundancy_threshold = 0.0", "", "redundancy_threshold must be None or in"),
    ("sumbasic", "top_word = 1", "", "top_word must be True or False"),
    ("luhn", "min_count = 0", "", "min_count must be a positive integer"),
    ("luhn", "max_gap = -1", "", "max_gap must be a non-negative integer"),
    ("klsum", "smoothing = 0", "", "smoothing must be a positive number"),
    ("mmr", "lambda_ = 2", "", "lambda_ must be in"),
    ("precomputed", "", "", "give exactly one of 'file'"),
    ("precomputed", 'file = "absent.jsonl"', "", "precomputed summaries file not found"),
    # learned
    ("supervised", 'model = "svm"', "", "model must be one of"),
    ("supervised", 'train_source = " "', "", "train_source must name a corpus"),
    ("supervised", "train_split = 1", "", "train_split must be a string"),
    ("supervised", "train_limit = 0", "", "train_limit must be a positive integer"),
    ("supervised", 'seed = "x"', "", "seed must be an integer"),
    ("supervised", "model_dir = 1", "", "model_dir must be a folder path"),
    # neural (validated without loading a model)
    ("embedding-centroid", "model = 1", "", "model must be a Hugging Face model id"),
    ("embedding-centroid", 'model = "./no/such/dir"', "", "looks like a local path, but no such directory"),
    ("embedding-centroid", "batch_size = 0", "", "batch_size must be a positive integer"),
    ("embedding-centroid", "max_seq_length = 0", "", "max_seq_length must be a positive integer or None"),
    ("embedding-centroid", 'device = "tpu"', "", "device must be 'auto', 'cpu'"),
    ("embedding-centroid", "device = 1", "", "device must be a string"),
    ("embedding-mmr", "lambda_ = 2", "", "lambda_ must be a number in"),
    ("hf-seq2seq", 'model = "org/model", batch_size = 0', "", "batch_size must be a positive integer"),
    ("hf-seq2seq", 'model = "org/model", min_new_tokens = -1', "", "min_new_tokens must be a non-negative"),
    ("hf-seq2seq", 'model = "org/model", min_new_tokens = 9, max_new_tokens = 5', "", "exceeds max_new_tokens"),
    ("hf-seq2seq", 'model = "org/model", length_penalty = "x"', "", "length_penalty must be a number"),
    ("hf-seq2seq", 'model = "org/model", do_sample = 1', "", "do_sample must be true or false"),
    ("hf-seq2seq", 'model = "org/model", seed = "x"', "", "seed must be an integer"),
    ("hf-seq2seq", 'model = "org/model", prefix = 1', "", "prefix must be a string or None"),
    # the scorer
    ("lead", "", 'rouge_types = ["rouge2", "rougeX"]', "unknown rouge type 'rougeX'"),
    ("lead", "", 'compat = "perl5"', "unknown compat 'perl5'"),
    ("lead", "", 'lsum_split = "nltk"', "unknown lsum_split 'nltk'"),
    ("lead", "", 'multiref = "avg"', "unknown multiref 'avg'"),
    ("lead", "", "max_words = 0", "max_words must be a positive int"),
    ("lead", "", "max_words = 100\nmax_bytes = 665", "give max_words or max_bytes, not both"),
    ("lead", "", 'rouge_types = ["rougeW"]\nw_weight = 0', "w_weight must be"),
]


def _raise_lines() -> set[tuple[str, int]]:
    """(file, line) of every ``raise ValueError`` in the checked functions."""
    found: set[tuple[str, int]] = set()
    for rel, functions in CHECKED.items():
        path = SRC / rel
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in functions:
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.Raise)
                        and isinstance(inner.exc, ast.Call)
                        and getattr(inner.exc.func, "id", None) == "ValueError"
                    ):
                        text = " ".join(lines[inner.lineno - 1 : inner.end_lineno])
                        if not any(rel == f and snippet in text for f, snippet in NOT_FROM_A_SUITE):
                            found.add((str(path), inner.lineno))
    return found


def _write_suite(tmp_path: Path, use: str, params: str, scoring: str) -> Path:
    path = tmp_path / "suite.toml"
    path.write_text(f'name = "t"\n\n{S.format(use=use, params=params)}\n[scoring]\n{scoring}\n', encoding="utf-8")
    return path


def test_every_parameter_check_is_reached_from_a_suite(tmp_path):
    pytest.importorskip("torch")  # the neural summarizers' checks need the neural extra installed
    targets = _raise_lines()
    files = {f for f, _ in targets}
    hit: set[tuple[str, int]] = set()

    def tracer(frame, event, arg):
        if frame.f_code.co_filename not in files:
            return None

        def local(frame, event, arg):
            if event == "line":
                hit.add((frame.f_code.co_filename, frame.f_lineno))
            return local

        return local

    for use, params, scoring, message in CASES:
        suite = load_suite(_write_suite(tmp_path, use, params, scoring))
        sys.settrace(tracer)
        try:
            with pytest.raises(SuiteError) as info:
                resolve_suite(suite)
        finally:
            sys.settrace(None)
        text = str(info.value)
        assert message in text, (use, params, scoring, text)
        assert "suite.toml" in text and ("[[summarizers]] #1" in text or "[scoring]" in text), text
    missed = sorted(targets - hit)
    assert not missed, (
        "parameter checks no suite case reaches (add a case to CASES, or to NOT_FROM_A_SUITE with a reason): "
        + ", ".join(f"{Path(f).relative_to(SRC)}:{line}" for f, line in missed)
    )


def test_a_bad_scorer_setting_fails_before_any_summary_is_made(tmp_path):
    from sumbench.runner import run_suite

    made: list[str] = []
    plugin = tmp_path / "plugin.py"
    plugin.write_text(
        "import pathlib\n"
        "class Marks:\n"
        "    def __init__(self):\n        pass\n"
        "    def summarize(self, doc):\n"
        f"        pathlib.Path({str(tmp_path / 'made')!r}).write_text('x')\n"
        "        return doc.text\n",
        encoding="utf-8",
    )
    suite = load_suite(_write_suite(tmp_path, "plugin.py:Marks", "", "max_words = 100\nmax_bytes = 665"))
    with pytest.raises(SuiteError, match="give max_words or max_bytes, not both"):
        run_suite(suite, out_dir=tmp_path / "run", use_cache=False)
    assert not (tmp_path / "made").exists() and not (tmp_path / "run").exists() and not made
