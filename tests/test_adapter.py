"""The plugin adapter: hooks looked up once, batch failures recorded, duplicate registrations refused."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

import sumbench
from sumbench.errors import PluginError
from sumbench.records import Document
from sumbench.summarizers.adapter import Plugin
from sumbench.summarizers.registry import registered


def _docs(n: int = 3) -> list[Document]:
    return [
        Document(f"d{k}", f"Sentence {k}. Another {k}.", (f"Sentence {k}.", f"Another {k}."), ("r",)) for k in range(n)
    ]


class First:
    def __init__(self):
        pass

    def summarize(self, doc):
        if doc.id == "d1":
            raise RuntimeError("no second document")
        return doc.sentences[0]


class BrokenBatch(First):
    def summarize_batch(self, docs):
        raise MemoryError("out of GPU memory")


class ShortBatch(First):
    def summarize_batch(self, docs):
        return [d.sentences[0] for d in docs][:-1]


class NotStrBatch(First):
    def summarize_batch(self, docs):
        return [None for _ in docs]


class GoodBatch(First):
    def summarize_batch(self, docs):
        return [d.sentences[-1] for d in docs]


def test_hooks_are_found_once_and_absent_ones_are_none():
    plain = Plugin.wrap(First())
    assert plain.batch_hook is None and plain.prepare_hook is None and plain.train_hook is None
    assert plain.version == "0" and plain.cacheable and plain.fingerprint() == "" and not plain.trainable
    with pytest.raises(PluginError, match="has no training step"):
        plain.train()
    assert Plugin.wrap(GoodBatch()).batch_hook is not None
    with pytest.raises(PluginError, match="has no summarize"):
        Plugin.wrap(object(), "thing")


def test_a_good_batch_is_used_as_is():
    outcome = Plugin.wrap(GoodBatch()).summarize_documents(_docs(), "good")
    assert outcome.summaries == {"d0": "Another 0.", "d1": "Another 1.", "d2": "Another 2."}
    assert outcome.failures == () and outcome.warnings == ()


@pytest.mark.parametrize(
    "cls, problem",
    [
        (BrokenBatch, "raised MemoryError: out of GPU memory (test_adapter.py:"),
        (ShortBatch, "returned 2 summaries for 3 documents"),
        (NotStrBatch, "returned NoneType instead of str"),
    ],
)
def test_a_failing_batch_is_recorded_then_retried_one_by_one(cls, problem):
    ticks: list[int] = []
    outcome = Plugin.wrap(cls()).summarize_documents(_docs(), "sys", ticks.append)
    assert len(outcome.warnings) == 1
    warning = outcome.warnings[0]
    assert warning.startswith("summarizer 'sys': summarize_batch ") and problem in warning
    assert warning.endswith("retried the 3 documents one by one")
    assert outcome.summaries == {"d0": "Sentence 0.", "d2": "Sentence 2."}
    assert [(f.doc_id, f.stage) for f in outcome.failures] == [("d1", "summarize")]
    assert "RuntimeError: no second document" in outcome.failures[0].error
    assert sum(ticks) == 3


def test_a_failing_batch_reaches_the_manifest(tmp_path, suite_file):
    from sumbench.runner import run_suite
    from sumbench.suite import load_suite

    plugin = tmp_path / "batchy.py"
    plugin.write_text(
        "class Batchy:\n    def __init__(self):\n        pass\n"
        "    def summarize(self, doc):\n        return doc.sentences[0]\n"
        "    def summarize_batch(self, docs):\n        raise ValueError('batch of ' + str(len(docs)))\n",
        encoding="utf-8",
    )
    result = run_suite(
        load_suite(suite_file('use = "batchy.py:Batchy"')), out_dir=tmp_path / "run", use_cache=False, render=False
    )
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert any(
        "summarize_batch raised ValueError: batch of 3" in w and "retried the 3 documents" in w
        for w in manifest["warnings"]
    )
    assert result.systems[0].summaries == 3 and not result.failures


def _fake_distribution(site: Path, name: str, target: str) -> None:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[sumbench.summarizers]\nnewsy = {target}\n", encoding="utf-8")


def test_two_distributions_registering_one_name_is_an_error_naming_both(tmp_path, monkeypatch):
    _fake_distribution(tmp_path, "plugin_one", "plugin_one:Newsy")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "newsy" in registered()  # one registration is fine
    _fake_distribution(tmp_path, "plugin_two", "plugin_two:Newsy")
    with pytest.raises(PluginError) as info:
        registered()
    text = str(info.value)
    assert "'newsy' is registered twice" in text and "plugin_one 1.0" in text and "plugin_two 1.0" in text


def test_no_module_but_the_adapter_looks_up_hooks_with_getattr():
    """Optional hooks are found in one place per kind of plugin (the summarizer adapter; for metrics, their
    registry): no other module calls getattr/hasattr with a hook name."""
    hooks = {"summarize_batch", "prepare", "train", "fingerprint", "validate", "cacheable", "version"}
    root = Path(sumbench.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "adapter.py" or path.relative_to(root).as_posix() == "scoring/registry.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in ("getattr", "hasattr")
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in hooks
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not offenders, offenders


def test_python_310_reads_param_values_without_tomllib():
    """`--param` goes through suite.parse_toml_value, which falls back to tomli on Python 3.10."""
    from sumbench.suite import parse_toml_value

    assert parse_toml_value("3") == 3 and parse_toml_value("0.5") == 0.5 and parse_toml_value("true") is True
    assert parse_toml_value('"x y"') == "x y" and parse_toml_value("english") == "english"
    cli = Path(sumbench.__file__).with_name("cli.py").read_text(encoding="utf-8")
    assert "tomllib" not in cli
    assert sys.version_info >= (3, 11) or "tomli" in sys.modules
