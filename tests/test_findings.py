"""The answer paragraph, the common-set ranking, roles in the leaderboard, head-to-head, groups and the
leaderboard export, on real runs of small suites."""

import csv
import io
import json
import math

import pytest

from sumbench.reports import findings, model
from sumbench.reports.markdown import render_markdown
from sumbench.runfolder import load_run
from sumbench.runner import run_suite
from sumbench.suite import load_suite

TRIMMER = '''
class Trimmer:
    """The lede minus its last three words; fails on the hard documents."""
    def __init__(self):
        pass
    def summarize(self, doc):
        if "hard" in doc.text:
            raise RuntimeError("cannot summarize hard documents")
        words = doc.sentences[0].split()
        return " ".join(words[:-3])
'''


def _corpus(path):
    rows = []
    for k in range(10):
        hard = k in (2, 5, 8)
        lede = f"Storm number {k} hit the northern coast on Monday and closed every school in the region."
        ref = "Officials counted damaged bridges while farmers mourned flooded fields." if hard else lede
        body = " The hard part came later." if hard else " Residents stocked up on water."
        rows.append({"id": f"d{k}", "article": lede + body + " Power returned on Tuesday.", "summaries": [ref]})
    path.write_text("\n".join(json.dumps(r) for r in rows))


@pytest.fixture
def coverage_run(tmp_path):
    _corpus(tmp_path / "c.jsonl")
    (tmp_path / "trimmer.py").write_text(TRIMMER)
    (tmp_path / "s.toml").write_text(
        'name = "coverage"\nseed = 0\n[corpus]\nsource = "c.jsonl"\n'
        '[[summarizers]]\nuse = "lead"\nlabel = "lead-1"\nrole = "candidate"\nparams = { k = 1 }\n'
        '[[summarizers]]\nuse = "trimmer.py:Trimmer"\nlabel = "trimmer"\n'
        '[[summarizers]]\nuse = "oracle"\nlabel = "oracle-1"\nparams = { k = 1 }\n'
        "[scoring]\nbootstrap_samples = 500\n"
    )
    run_suite(load_suite(tmp_path / "s.toml"), out_dir=tmp_path / "run", cache_path=tmp_path / "c.sqlite", render=False)
    return load_run(tmp_path / "run")


def test_unequal_coverage_ranks_by_the_common_set(coverage_run):
    run = coverage_run
    metric = run.primary_metric
    trim, lead = run.aggregate("trimmer", metric), run.aggregate("lead-1", metric)
    # over its own 7 documents the plugin looks better than lead over all 10 ...
    assert trim.own_n == 7 and lead.own_n == 10
    assert trim.own_mean > lead.own_mean
    # ... but every mean and test uses the 7 documents both completed, where lead is better
    assert trim.n == lead.n == 7
    assert lead.mean > trim.mean
    lb = model.leaderboard(run)
    assert [r["system"] for r in lb["rows"]] == ["lead-1", "trimmer"]
    trimmer = lb["rows"][1]
    assert trimmer["partial"] and trimmer["docs"] == 7 and "7/10 docs" in trimmer["flags"]
    # lead's mean over all 10 of its own documents stays available, labelled
    k = lb["metrics"].index(metric)
    assert lb["rows"][0]["own"][k]["n"] == 10 and math.isclose(lb["rows"][0]["own"][k]["mean"], lead.own_mean)
    answer = findings.answer(run)
    assert answer["best"] == "lead-1"
    assert answer["text"].startswith("lead-1 is the best candidate")
    assert "7 documents every system completed (3 of 10 left out" in answer["text"]
    assert any("trimmer completed 7 of 10 documents" in c for c in answer["cautions"])


def test_bounds_are_not_ranked_and_best_means_best_candidate(coverage_run):
    lb = model.leaderboard(coverage_run)
    assert [r["system"] for r in lb["bounds"]] == ["oracle-1"] and lb["bounds"][0]["rank"] is None
    assert all(r["system"] != "oracle-1" for r in lb["rows"])
    k = lb["metrics"].index(coverage_run.primary_metric)
    assert [r["system"] for r in lb["rows"] if r["cells"][k]["best"]] == ["lead-1"]
    assert not lb["bounds"][0]["cells"][k]["best"]


def test_answer_numbers_are_the_numbers_beside_them(coverage_run):
    run = coverage_run
    metric = run.primary_metric
    text = findings.answer(run)["text"]
    agg = run.aggregate("lead-1", metric)
    assert f"{100 * agg.mean:.2f} (95% CI {100 * agg.ci_low:.2f}–{100 * agg.ci_high:.2f})" in text
    oracle = run.mean("oracle-1", metric)
    assert f"upper bound oracle-1 ({100 * oracle:.2f})" in text
    assert f"{agg.mean / oracle:.0%} of the upper bound" in text


def test_head_to_head_counts_documents_on_the_common_set(coverage_run):
    h2h = findings.head_to_head(coverage_run)
    assert h2h["systems"] == ["lead-1", "trimmer"] and h2h["documents"] == 7
    cell = h2h["matrix"][0][1]
    assert cell["wins"] + cell["ties"] + cell["losses"] == 7 and cell["wins"] == 7
    back = h2h["matrix"][1][0]
    assert (back["wins"], back["ties"], back["losses"]) == (cell["losses"], cell["ties"], cell["wins"])


def test_leaderboard_exports(coverage_run):
    rows = list(csv.DictReader(io.StringIO(findings.leaderboard_csv(coverage_run))))
    assert [(r["rank"], r["system"], r["role"]) for r in rows] == [
        ("1", "lead-1", "candidate"),
        ("2", "trimmer", "candidate"),
        ("", "oracle-1", "upper-bound"),
    ]
    metric = coverage_run.primary_metric
    assert math.isclose(float(rows[0][metric]), coverage_run.aggregate("lead-1", metric).mean)
    tex = findings.leaderboard_latex(coverage_run)
    assert r"\begin{tabular}" in tex and r"\textit{oracle-1 (upper-bound)}" in tex and r"\textbf{" in tex
    assert findings.latex_escape("a_b & 50% #1") == r"a\_b \& 50\% \#1"


def test_markdown_opens_with_the_answer(coverage_run):
    text = render_markdown(coverage_run)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[:2] == ["## Answer", "## Leaderboard"] and headings[-1] == "## Run"
    assert findings.answer(coverage_run)["sentences"][0].split(":")[0] in text


def test_groups_give_per_group_leaderboards(tmp_path):
    (tmp_path / "s.toml").write_text(
        'name = "g"\n[corpus]\nsource = "cnndm-summeval"\nlimit = 20\ngroup_id_pattern = "^(cnn|dm)"\n'
        '[[summarizers]]\nuse = "lead"\n[[summarizers]]\nuse = "textrank"\n[scoring]\nbootstrap_samples = 200\n'
    )
    run_suite(load_suite(tmp_path / "s.toml"), out_dir=tmp_path / "run", cache_path=tmp_path / "c", render=False)
    run = load_run(tmp_path / "run")
    g = findings.groups(run)
    assert [x["name"] for x in g["groups"]] == ["dm", "cnn"]
    assert sum(x["documents"] for x in g["groups"]) == 20
    scores = run.scores
    by_doc = run.document_groups()
    for group in g["groups"]:
        row = next(r for r in group["rows"] if r["system"] == "textrank")
        values = [v for d, v in scores.by_doc("textrank", run.primary_metric).items() if by_doc[d] == group["name"]]
        assert math.isclose(row["mean"], sum(values) / len(values))
    assert g["groups"][0]["best"] == "textrank"  # the only candidate (lead is the baseline)


@pytest.mark.parametrize(("ratio", "flagged"), [(None, True), (8.0, False)])
def test_long_summaries_are_flagged_by_their_ratio_to_the_references(tmp_path, ratio, flagged):
    report = f"[report]\nlength_ratio = {ratio}\n" if ratio else ""
    (tmp_path / "s.toml").write_text(
        'name = "len"\n[corpus]\nsource = "cnndm-summeval"\nlimit = 8\n'
        '[[summarizers]]\nuse = "textrank"\nlabel = "textrank-5"\nparams = { k = 5 }\n'
        f"[scoring]\nbootstrap_samples = 200\nlength_matched = true\n{report}"
    )
    run_suite(load_suite(tmp_path / "s.toml"), out_dir=tmp_path / "run", cache_path=tmp_path / "c", render=False)
    run = load_run(tmp_path / "run")
    ratio_seen = run.mean("textrank-5", "ref_ratio")
    assert 2.5 < ratio_seen < 8  # five sentences against short crowd-sourced references
    flag = findings.length_flag(run, "textrank-5")
    assert (flag == f"{ratio_seen:.1f}x the reference length") is flagged
    row = model.leaderboard(run)["rows"][0]
    assert (flag in row["flags"]) is flagged
    q = findings.quality(run)
    assert q["has_matched"] and q["rows"][0]["matched_text"] != "–"
    # cut to the reference length, a long summary loses recall but gains precision: the column differs
    assert run.mean("textrank-5", "rouge2_f_lm") != run.mean("textrank-5", "rouge2_f")
    caution = "textrank-5's summaries are" in " ".join(findings.answer(run)["cautions"])
    assert caution is flagged
