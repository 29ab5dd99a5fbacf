"""Roles, groups, seeded stratified samples and junk detection: from the suite to the run folder."""

import json

import pytest

from sumbench.corpora import FieldMap, open_corpus, stratified_sample
from sumbench.errors import CorpusError, SuiteError
from sumbench.runfolder import load_run
from sumbench.runner import run_suite
from sumbench.scoring.quality import junk_kind
from sumbench.suite import load_suite, resolve_suite, with_overrides

JUNK_PLUGIN = '''
class Junky:
    """Punctuation on documents that mention a bridge, nothing on the first one, else the lede."""
    def __init__(self):
        pass
    def summarize(self, doc):
        if "bridge" in doc.text:
            return ".\\n!\\n! '"
        if doc.id == "n3":
            return "   "
        return doc.sentences[0]
'''

CONSTANT_PLUGIN = """
class Same:
    def __init__(self):
        pass
    def summarize(self, doc):
        return "The same words every time."
"""


def test_builtins_declare_roles_and_suites_override(suite_file):
    suite = load_suite(
        suite_file(
            'use = "lead"\n\n[[summarizers]]\nuse = "oracle"\n\n[[summarizers]]\nuse = "random"\n'
            '\n[[summarizers]]\nuse = "textrank"\nrole = "baseline"\nlabel = "tr"'
        )
    )
    resolved = resolve_suite(suite)
    assert [s.role for s in resolved.summarizers] == ["baseline", "upper-bound", "lower-bound", "baseline"]
    assert resolved.baseline == "lead"  # the first baseline-role summarizer


def test_suite_baseline_key_makes_that_system_the_baseline(suite_file):
    path = suite_file('use = "lead"\n\n[[summarizers]]\nuse = "textrank"')
    text = path.read_text().replace("seed = 1\n", 'seed = 1\nbaseline = "textrank"\n')
    path.write_text(text)
    resolved = resolve_suite(load_suite(path))
    assert resolved.baseline == "textrank"
    assert {s.label: s.role for s in resolved.summarizers} == {"lead": "baseline", "textrank": "baseline"}


def test_unknown_role_is_one_line_with_a_suggestion(suite_file):
    with pytest.raises(SuiteError, match=r"role 'upper_bound' is not a role \(did you mean 'upper-bound'\?\)"):
        load_suite(suite_file('use = "oracle"\nrole = "upper_bound"'))


def test_bound_cannot_be_the_suite_baseline(suite_file):
    path = suite_file('use = "oracle"\nrole = "upper-bound"')
    path.write_text(path.read_text().replace("seed = 1\n", 'seed = 1\nbaseline = "oracle"\n'))
    with pytest.raises(SuiteError, match="cannot be a bound"):
        load_suite(path)


def test_roles_reach_the_manifest_and_the_run(suite_file, tmp_path):
    suite = load_suite(
        suite_file('use = "lead"\n\n[[summarizers]]\nuse = "oracle"\n\n[[summarizers]]\nuse = "textrank"')
    )
    run_suite(suite, out_dir=tmp_path / "run", cache_path=tmp_path / "c.sqlite", render=False)
    run = load_run(tmp_path / "run")
    assert [run.role(s) for s in run.systems] == ["baseline", "upper-bound", "candidate"]
    assert run.baseline == "lead" and run.bounds == ("oracle",) and run.candidates == ("textrank",)
    assert run.contestants == ("lead", "textrank")


def test_group_field_and_id_pattern(tmp_path):
    corpus = tmp_path / "c.jsonl"
    rows = [
        {
            "id": f"{cat}-{k}",
            "article": f"Story {k}. It is about {cat}.",
            "summaries": [f"About {cat}."],
            "category": cat,
        }
        for cat in ("sport", "politics")
        for k in range(3)
    ]
    corpus.write_text("\n".join(json.dumps(r) for r in rows))
    docs = list(open_corpus(str(corpus), fields=FieldMap(group_field="category")))
    assert [d.group for d in docs] == ["sport"] * 3 + ["politics"] * 3
    docs = list(open_corpus(str(corpus), fields=FieldMap(group_id_pattern=r"^([a-z]+)-")))
    assert [d.group for d in docs] == ["sport"] * 3 + ["politics"] * 3
    with pytest.raises(CorpusError, match=r"c.jsonl:1: document 'sport-0' has no group field 'topic'"):
        list(open_corpus(str(corpus), fields=FieldMap(group_field="topic")))


def test_stratified_sample_is_seeded_proportional_and_in_corpus_order():
    groups = {"a": [f"a{k}" for k in range(80)], "b": [f"b{k}" for k in range(20)]}
    one = stratified_sample(groups, 10, seed=3)
    assert one == stratified_sample(groups, 10, seed=3)
    assert one != stratified_sample(groups, 10, seed=4)
    assert sum(x.startswith("a") for x in one) == 8 and sum(x.startswith("b") for x in one) == 2
    assert stratified_sample(groups, 500, seed=0) == groups["a"] + groups["b"]


def test_sample_draws_from_the_whole_corpus_not_the_first_n():
    first = [d.id for d in open_corpus("cnndm-summeval", limit=10)]
    pattern = FieldMap(group_id_pattern="^(cnn|dm)")
    sampled = [d for d in open_corpus("cnndm-summeval", fields=pattern, sample=10, seed=0)]
    assert len(sampled) == 10 and [d.id for d in sampled] != first
    # stratified: the 13 CNN and 87 DailyMail articles of the corpus give 1 and 9 of 10
    assert sorted(d.group for d in sampled).count("cnn") == 1
    again = [d.id for d in open_corpus("cnndm-summeval", fields=pattern, sample=10, seed=0)]
    assert again == [d.id for d in sampled]


def test_sample_from_the_command_line_override(suite_file):
    suite = with_overrides(load_suite(suite_file()), sample=2)
    assert suite.corpus.sample == 2
    with pytest.raises(SuiteError, match="--sample must be at least 1"):
        with_overrides(load_suite(suite_file()), sample=0)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("", "empty"), (" \n\t", "whitespace"), (".\n!\n! '", "punctuation"), ("Ünïcode.", None), ("北京", None)],
)
def test_junk_kinds(text, kind):
    assert junk_kind(text) == kind


def test_junk_and_constant_summaries_are_counted_and_warned(suite_file, tmp_path):
    (tmp_path / "junky.py").write_text(JUNK_PLUGIN)
    (tmp_path / "same.py").write_text(CONSTANT_PLUGIN)
    suite = load_suite(
        suite_file('use = "junky.py:Junky"\nlabel = "junky"\n\n[[summarizers]]\nuse = "same.py:Same"\nlabel = "same"')
    )
    result = run_suite(suite, out_dir=tmp_path / "run", cache_path=tmp_path / "c.sqlite", render=False)
    entries = {s.label: s for s in result.manifest.systems}
    assert dict(entries["junky"].junk) == {"whitespace": 1, "punctuation": 1}
    assert not entries["junky"].constant and entries["same"].constant
    warnings = " | ".join(result.manifest.warnings)
    assert "junky: 2 of 3 summaries are junk (1 whitespace-only, 1 punctuation-only" in warnings
    assert "same: the same summary for all 3 documents" in warnings
    reread = load_run(tmp_path / "run").manifest.systems
    assert dict(reread[0].junk) == {"whitespace": 1, "punctuation": 1} and reread[1].constant


def test_empty_references_are_dropped_counted_and_warned(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"id": "x", "article": "A story. More.", "summaries": ["A story.", "  ", "..."]})
        + "\n"
        + json.dumps({"id": "y", "article": "Another. Text.", "summaries": ["Another."]})
    )
    (tmp_path / "s.toml").write_text(f'name = "e"\n[corpus]\nsource = "{corpus}"\n[[summarizers]]\nuse = "lead"\n')
    result = run_suite(
        load_suite(tmp_path / "s.toml"), out_dir=tmp_path / "run", cache_path=tmp_path / "c", render=False
    )
    assert result.manifest.empty_references == 2
    assert any(
        "2 empty or punctuation-only references dropped (e.g. document x)" in w for w in result.manifest.warnings
    )


def test_a_grid_expands_one_summarizer_into_labelled_systems(suite_file, tmp_path):
    (tmp_path / "short.txt").write_text("Summarize: {article}")
    suite = load_suite(
        suite_file(
            'use = "textrank"\nlabel = "tr"\nparams = { damping = 0.85 }\n'
            'grid = { k = [1, 2], stemming = [false, true] }\n\n[[summarizers]]\nuse = "lead"'
        )
    )
    labels = [s.label for s in suite.summarizers]
    assert labels == [
        "tr [k=1, stemming=false]",
        "tr [k=1, stemming=true]",
        "tr [k=2, stemming=false]",
        "tr [k=2, stemming=true]",
        "lead",
    ]
    first = suite.summarizers[0]
    assert first.params == {"damping": 0.85, "k": 1, "stemming": False}
    assert first.family == "tr" and first.variant == {"k": 1, "stemming": False}
    result = run_suite(suite, out_dir=tmp_path / "run", cache_path=tmp_path / "c", render=False)
    assert [s.label for s in result.manifest.systems][:4] == labels[:4]


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ("grid = { k = 3 }", "grid.k must be a non-empty list"),
        ("grid = { k = [] }", "grid.k must be a non-empty list"),
        ("params = { k = 2 }\ngrid = { k = [1, 3] }", "'k' is in both params and grid"),
        ("grid = {}", "grid is empty"),
    ],
)
def test_bad_grids_are_one_line(suite_file, grid, message):
    with pytest.raises(SuiteError, match=message):
        load_suite(suite_file(f'use = "lead"\n{grid}'))


def test_a_prompt_file_beside_the_suite_resolves(suite_file, tmp_path):
    (tmp_path / "mine.txt").write_text("Summarize: {article}")
    suite = load_suite(
        suite_file(
            'use = "lead"\nlabel = "a"\n\n[[summarizers]]\nuse = "random"\nlabel = "b"\n'
            'grid = { prompt = ["mine.txt", "news"] }'
        )
    )
    # random takes no prompt, but the suite reads the grid before resolution: the file value resolved
    assert suite.summarizers[1].params["prompt"] == str((tmp_path / "mine.txt").resolve())
    assert suite.summarizers[1].label == "b [prompt=mine]" and suite.summarizers[2].params["prompt"] == "news"
