"""Human judgments: the bundled files, every source format, errors, the score matrix and the fingerprint."""

from __future__ import annotations

import csv
import gzip
import json
import math

import numpy as np
import pytest

from sumbench.corpora import bundled_corpora, bundled_dir
from sumbench.errors import CorpusError
from sumbench.judgments import Judgment, Judgments, bundled_judgments, load_judgments
from sumbench.summarizers.precomputed import Precomputed

BUNDLED = {
    # name: (corpus, rows, systems, dimensions)
    "summeval": ("cnndm-summeval", 1600, 16, ("coherence", "consistency", "fluency", "relevance")),
    "frank": ("frank", 2246, 9, ("Factuality",)),
    "newsroom": ("newsroom", 420, 7, ("coherence", "fluency", "informativeness", "relevance")),
}
FRANK_ERROR_TYPES = ("RelE", "EntE", "CircE", "OutE", "GramE", "CorefE", "LinkE", "Other")

ROWS = [
    {"id": "d1", "system": "A", "system_summary": "A one.", "human_scores": {"coherence": 4.0, "fluency": 3.5}},
    {"id": "d1", "system": "B", "system_summary": "B one.", "human_scores": {"coherence": 2.0, "fluency": 5.0}},
    {"id": "d2", "system": "A", "system_summary": "A two.", "human_scores": {"coherence": 1.0, "fluency": 2.0}},
    {"id": "d3", "system": "B", "system_summary": 'B three, "quoted".', "human_scores": {"coherence": 3.0}},
]


def _ids(path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line)["id"] for line in handle if line.strip()]


def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _write_csv(path, rows, columns=("id", "system", "system_summary", "coherence", "fluency")):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        for r in rows:
            flat = {k: v for k, v in r.items() if k != "human_scores"}
            writer.writerow({c: flat.get(c, r.get("human_scores", {}).get(c, "")) for c in columns})
    return path


def _same(a: Judgments, b: Judgments) -> None:
    assert a.rows == b.rows
    assert a.dimensions == b.dimensions
    assert a.fingerprint == b.fingerprint


# --------------------------------------------------------------------------------------------------
# Bundled judgments
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_judgments_load_with_their_counts_and_dimensions(name):
    corpus, rows, systems, dimensions = BUNDLED[name]
    judgments = load_judgments(name)
    assert len(judgments.rows) == rows
    assert len(judgments.systems()) == systems
    assert set(dimensions) <= set(judgments.dimensions)
    assert judgments.path == str(bundled_judgments()[name])
    assert all(set(row.scores) == set(judgments.dimensions) for row in judgments.rows)  # no gaps
    assert len(judgments.fingerprint) == 16
    # every judged document is in the bundled corpus of the same texts
    assert set(judgments.doc_ids()) <= set(_ids(bundled_corpora()[corpus]))


def test_bundled_judgment_scales():
    summeval, frank, newsroom = (load_judgments(n) for n in ("summeval", "frank", "newsroom"))
    assert len(summeval.doc_ids()) == 100 and len(frank.doc_ids()) == 499 and len(newsroom.doc_ids()) == 60
    for judgments in (summeval, newsroom):  # 1-5 Likert, mean of 3 annotators: multiples of 1/3
        values = np.array([v for row in judgments.rows for v in row.scores.values()])
        assert values.min() >= 1 and values.max() <= 5
        assert np.allclose(values * 3, np.round(values * 3))
    assert len(frank.dimensions) == 23 and set(FRANK_ERROR_TYPES) <= set(frank.dimensions)
    for row in frank.rows:  # shares of sentences, each error-type score at least the overall factuality
        assert all(0 <= v <= 1 for v in row.scores.values())
        assert all(v >= row.scores["Factuality"] for v in row.scores.values())
    assert set(frank.systems()) == {"bart", "bert_sum", "bus", "pgn", "s2s", "BERTS2S", "PtGen", "TConvS2S", "TranS2S"}


def test_summeval_judgments_are_the_bundled_system_outputs():
    judgments = load_judgments("summeval")
    with gzip.open(bundled_dir() / "system_outputs" / "cnndm-summeval-systems.jsonl.gz", "rt") as handle:
        outputs = {(r["id"], r["system"]): r for r in map(json.loads, handle)}
    assert len(outputs) == len(judgments.rows)
    for row in judgments.rows:
        published = outputs[row.doc_id, row.system]
        assert published["summary"] == row.summary
        assert published["human_scores"] == dict(row.scores)


def test_bundled_corpus_list_has_frank_and_newsroom_but_no_judgments():
    corpora = bundled_corpora()
    assert {"frank", "newsroom"} <= set(corpora)
    assert not any("judgments" in str(path.parent) for path in corpora.values())
    assert set(bundled_judgments()) == {"summeval", "frank", "newsroom"}
    for name, path in bundled_judgments().items():
        card = path.with_name(f"{name}.md").read_text().lower()
        assert "source" in card and "license" in card and "fields" in card and "annotator" in card


def test_precomputed_summarizer_reads_a_bundled_judgments_file():
    from sumbench.records import Document

    judgments = load_judgments("newsroom")
    path = bundled_judgments()["newsroom"]
    summarizer = Precomputed(file=str(path), system="lede3", summary_field="system_summary")
    doc_id = judgments.doc_ids()[0]
    doc = Document(doc_id, "Text.", ("Text.",), ("Ref.",))
    assert summarizer.summarize(doc) == judgments.summaries("lede3")[doc_id]


# --------------------------------------------------------------------------------------------------
# Formats
# --------------------------------------------------------------------------------------------------


def test_flat_csv_and_nested_jsonl_give_the_same_judgments(tmp_path):
    nested = load_judgments("j.jsonl", base_dir=_write_jsonl(tmp_path / "j.jsonl", ROWS).parent)
    flat = load_judgments(str(_write_csv(tmp_path / "j.csv", ROWS)))
    _same(nested, flat)
    assert nested.dimensions == ("coherence", "fluency")
    assert nested.rows[0] == Judgment("d1", "A", "A one.", {"coherence": 4.0, "fluency": 3.5})
    assert "fluency" not in nested.rows[3].scores  # an empty CSV cell is a missing score
    assert nested.systems() == ("A", "B") and nested.doc_ids() == ("d1", "d2", "d3")


def test_flat_layout_skips_text_columns_and_reads_parquet(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    flat = [{k: v for k, v in r.items() if k != "human_scores"} | {"model": "m", **r["human_scores"]} for r in ROWS[:3]]
    pq.write_table(pa.Table.from_pylist(flat), tmp_path / "j.parquet")
    judgments = load_judgments(str(tmp_path / "j.parquet"))
    _same(judgments, load_judgments(str(_write_jsonl(tmp_path / "j.jsonl", ROWS[:3]))))
    assert "model" not in judgments.dimensions


def test_hugging_face_dataset_saved_to_disk_loads(tmp_path):
    datasets = pytest.importorskip("datasets")
    flat = [{k: v for k, v in r.items() if k != "human_scores"} | r["human_scores"] for r in ROWS[:3]]
    datasets.Dataset.from_list(flat).save_to_disk(str(tmp_path / "flat"))
    datasets.Dataset.from_list(ROWS[:3]).save_to_disk(str(tmp_path / "nested"))
    reference = load_judgments(str(_write_jsonl(tmp_path / "j.jsonl", ROWS[:3])))
    _same(load_judgments(str(tmp_path / "flat")), reference)
    _same(load_judgments(f"hf-disk:{tmp_path / 'nested'}"), reference)
    loaded = load_judgments("flat", base_dir=tmp_path)
    assert loaded.path == str(tmp_path / "flat")


def test_hugging_face_hub_source_and_its_row_errors(monkeypatch):
    datasets = pytest.importorskip("datasets")
    calls = []

    def fake_load_dataset(name, config=None, split=None, streaming=False):
        calls.append((name, config, split))
        rows = ROWS[:2] if name == "org/good" else [ROWS[0], {"id": "d9", "system": "A", "human_scores": {}}]
        return datasets.Dataset.from_list(rows)

    monkeypatch.setattr(datasets, "load_dataset", fake_load_dataset)
    judgments = load_judgments("hf:org/good")
    assert calls == [("org/good", None, "test")]
    assert judgments.path is None and judgments.source == "hf:org/good" and len(judgments.rows) == 2
    load_judgments("hf:org/good", split="validation")
    assert calls[-1] == ("org/good", None, "validation")
    with pytest.raises(CorpusError, match=r"^hf:org/bad\[test\]: row 2: field 'system_summary' must be a string"):
        load_judgments("hf:org/bad")


def test_dimensions_select_and_order(tmp_path):
    path = str(_write_jsonl(tmp_path / "j.jsonl", ROWS))
    judgments = load_judgments(path, dimensions=["fluency"])
    assert judgments.dimensions == ("fluency",)
    assert all(set(row.scores) <= {"fluency"} for row in judgments.rows)
    assert load_judgments(path, dimensions=["fluency", "coherence"]).dimensions == ("fluency", "coherence")


def test_write_jsonl_round_trips_and_feeds_precomputed(tmp_path):
    from sumbench.records import Document

    judgments = load_judgments(str(_write_csv(tmp_path / "j.csv", ROWS)))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    out = judgments.write_jsonl(tmp_path / "a" / "out.jsonl.gz")
    assert out.read_bytes() == judgments.write_jsonl(tmp_path / "b" / "out.jsonl.gz").read_bytes()  # no timestamp
    _same(load_judgments(str(out)), judgments)
    summarizer = Precomputed(file=str(out), system="B", summary_field="system_summary")
    assert summarizer.summarize(Document("d3", "Text.", ("Text.",), ("Ref.",))) == 'B three, "quoted".'


# --------------------------------------------------------------------------------------------------
# Matrix and fingerprint
# --------------------------------------------------------------------------------------------------


def test_matrix_shape_and_nan_placement(tmp_path):
    judgments = load_judgments(str(_write_jsonl(tmp_path / "j.jsonl", ROWS)))
    coherence = judgments.matrix("coherence")
    assert coherence.shape == (2, 3)
    expected = np.array([[4.0, 1.0, np.nan], [2.0, np.nan, 3.0]])
    np.testing.assert_array_equal(coherence, expected)
    fluency = judgments.matrix("fluency", systems=["B", "A", "Z"], doc_ids=["d3", "d1"])
    assert fluency.shape == (3, 2)
    np.testing.assert_array_equal(fluency, np.array([[np.nan, 5.0], [np.nan, 3.5], [np.nan, np.nan]]))
    with pytest.raises(CorpusError, match=r"unknown dimension 'coherance' \(did you mean 'coherence'\?\)"):
        judgments.matrix("coherance")
    assert judgments.summaries("A") == {"d1": "A one.", "d2": "A two."}
    with pytest.raises(CorpusError, match=r"unknown system 'a'"):
        judgments.summaries("a")


def test_fingerprint_is_stable_and_sensitive_to_a_score(tmp_path):
    first = load_judgments(str(_write_jsonl(tmp_path / "a.jsonl", ROWS)))
    assert load_judgments(str(tmp_path / "a.jsonl")).fingerprint == first.fingerprint
    reordered = load_judgments(str(_write_jsonl(tmp_path / "b.jsonl", ROWS[::-1])))
    assert reordered.fingerprint == first.fingerprint
    changed = json.loads(json.dumps(ROWS))
    changed[2]["human_scores"]["fluency"] = 2.0000001
    assert load_judgments(str(_write_jsonl(tmp_path / "c.jsonl", changed))).fingerprint != first.fingerprint
    assert load_judgments("summeval").fingerprint == load_judgments("summeval").fingerprint


# --------------------------------------------------------------------------------------------------
# Errors: one line, naming the file and line
# --------------------------------------------------------------------------------------------------


def _error(tmp_path, rows, name="bad.jsonl", **kwargs) -> str:
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text(rows, encoding="utf-8")
    else:
        path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_judgments(str(path), **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_error_missing_field(tmp_path):
    rows = [ROWS[0], {"id": "d2", "system_summary": "x", "human_scores": {"coherence": 1}}]
    message = _error(tmp_path, rows)
    assert message.startswith(f"{tmp_path / 'bad.jsonl'}:2: missing field 'system'")


def test_error_non_numeric_score_nested_and_flat(tmp_path):
    rows = [ROWS[0], {**ROWS[1], "human_scores": {"coherence": "good"}}]
    assert _error(tmp_path, rows).startswith(
        f"{tmp_path / 'bad.jsonl'}:2: score 'coherence' in field 'human_scores' is not a number ('good')"
    )
    text = "id,system,system_summary,coherence\nd1,A,x,3\nd2,A,y,three\n"
    assert _error(tmp_path, text, name="bad.csv").startswith(
        f"{tmp_path / 'bad.csv'}:3: score 'coherence' is not a number ('three')"
    )
    assert _error(tmp_path, [ROWS[0], {**ROWS[1], "human_scores": {"coherence": math.inf}}]).startswith(
        f"{tmp_path / 'bad.jsonl'}:2: score 'coherence'"
    )


def test_error_duplicate_document_and_system(tmp_path):
    message = _error(tmp_path, [ROWS[0], ROWS[1], ROWS[0]])
    path = tmp_path / "bad.jsonl"
    assert message == f"{path}:3: duplicate judgment of document 'd1' by system 'A' (first at {path}:1)"


def test_error_empty_file(tmp_path):
    assert _error(tmp_path, []) == f"{tmp_path / 'bad.jsonl'}: no judgments (the source is empty)"
    header_only = "id,system,system_summary,coherence\n"
    assert (
        _error(tmp_path, header_only, name="bad.csv") == f"{tmp_path / 'bad.csv'}: no judgments (the source is empty)"
    )


def test_error_malformed_json_line(tmp_path):
    assert _error(tmp_path, [ROWS[0], "{not json"]).startswith(f"{tmp_path / 'bad.jsonl'}:2: malformed JSON")


def test_error_unknown_bundled_name_and_dimension(tmp_path):
    with pytest.raises(CorpusError, match=r"judgments 'sumeval': not a bundled name \(did you mean 'summeval'\?\)"):
        load_judgments("sumeval")
    with pytest.raises(CorpusError, match=r"no such file .*bundled judgments are: frank, newsroom, summeval"):
        load_judgments("missing.jsonl", base_dir=tmp_path)
    message = _error(tmp_path, ROWS, dimensions=["fluancy"])
    assert message == (
        f"{tmp_path / 'bad.jsonl'}: unknown dimension 'fluancy' (did you mean 'fluency'?); "
        "available: coherence, fluency"
    )


def test_error_no_scores_at_all(tmp_path):
    rows = [{"id": "d1", "system": "A", "system_summary": "x", "note": "text"}]
    assert "no scores found" in _error(tmp_path, rows)
