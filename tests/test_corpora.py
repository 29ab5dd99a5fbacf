import csv
import json

import pytest

from conftest import NEWS
from sumbench.corpora import CorpusError, FieldMap, bundled_corpora, load_corpus


def test_bundled_default_corpus_has_100_documents_with_11_references():
    corpus = load_corpus("cnndm-summeval")
    assert len(corpus.documents) == 100
    assert {len(d.references) for d in corpus.documents} == {11}
    assert all(d.sentences for d in corpus.documents)
    assert len(corpus.fingerprint) == 64
    assert set(bundled_corpora()) >= {"cnndm-summeval", "frank-cnndm", "xsum"}


def test_bundled_corpora_have_cards():
    for name, path in bundled_corpora().items():
        card = path.with_name(f"{name}.md")
        assert card.is_file(), f"{name} has no card"
        text = card.read_text().lower()
        assert "source" in text and "license" in text and "fields" in text


def test_jsonl_multi_reference_and_title(news_jsonl):
    corpus = load_corpus(str(news_jsonl))
    assert [d.id for d in corpus.documents] == ["n1", "n2", "n3"]
    assert len(corpus.documents[0].references) == 2
    assert corpus.documents[0].title == "Council passes budget"
    assert corpus.documents[0].sentences[0] == "The city council approved a new budget on Tuesday."


def test_limit_and_relative_path(news_jsonl):
    corpus = load_corpus(news_jsonl.name, base_dir=news_jsonl.parent, limit=2)
    assert len(corpus.documents) == 2


def test_csv_with_several_reference_fields(tmp_path):
    path = tmp_path / "news.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["doc", "body", "ref_a", "ref_b"])
        writer.writeheader()
        writer.writerow({"doc": "a", "body": "One sentence. Two sentences.", "ref_a": "One.", "ref_b": "Two."})
    corpus = load_corpus(str(path), fields=FieldMap("doc", "body", ("ref_a", "ref_b"), None))
    assert corpus.documents[0].references == ("One.", "Two.")


def test_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "news.parquet"
    pq.write_table(pa.Table.from_pylist(NEWS), path)
    corpus = load_corpus(str(path))
    assert len(corpus.documents) == 3 and corpus.documents[0].references[1] == "A new city budget passed."


def test_hugging_face_code_path_on_local_files(news_jsonl, tmp_path):
    datasets = pytest.importorskip("datasets")
    via_builder = load_corpus("hf:json", hf_config=str(news_jsonl), hf_split="test")
    assert [d.id for d in via_builder.documents] == ["n1", "n2", "n3"]
    saved = tmp_path / "saved"
    datasets.Dataset.from_list(NEWS).save_to_disk(str(saved))
    from_disk = load_corpus(f"hf-disk:{saved}")
    assert from_disk.fingerprint == via_builder.fingerprint
    datasets.DatasetDict({"test": datasets.Dataset.from_list(NEWS)}).save_to_disk(str(tmp_path / "dd"))
    with pytest.raises(CorpusError, match="name one with 'split'"):
        load_corpus(f"hf-disk:{tmp_path / 'dd'}")
    assert len(load_corpus(f"hf-disk:{tmp_path / 'dd'}", hf_split="test").documents) == 3


def test_hf_presets_map_fields():
    from sumbench.corpora import HF_PRESETS

    assert HF_PRESETS["cnn_dailymail"].config == "3.0.0"
    assert HF_PRESETS["cnn_dailymail"].fields.reference_fields == ("highlights",)
    assert HF_PRESETS["xsum"].fields.text_field == "document"


def _write(tmp_path, lines):
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_malformed_json_names_file_and_line(tmp_path):
    path = _write(tmp_path, [json.dumps(NEWS[0]), "{not json"])
    with pytest.raises(CorpusError, match=r"bad.jsonl:2: malformed JSON"):
        load_corpus(str(path))


@pytest.mark.parametrize(
    "record, message",
    [
        ({"id": "x", "summaries": ["s"]}, "missing field 'article'"),
        ({"id": "x", "article": "  ", "summaries": ["s"]}, "empty text"),
        ({"id": "x", "article": "Text."}, "missing reference field 'summaries'"),
        ({"id": "x", "article": "Text.", "summaries": [""]}, "no non-empty reference"),
        ({"id": "x", "article": "Text.", "summaries": 3}, "string or a list of strings"),
    ],
)
def test_bad_records_name_line_and_problem(tmp_path, record, message):
    path = _write(tmp_path, [json.dumps(NEWS[0]), json.dumps(record)])
    with pytest.raises(CorpusError, match=rf"bad.jsonl:2: .*{message}"):
        load_corpus(str(path))


def test_duplicate_id_names_both_lines(tmp_path):
    path = _write(tmp_path, [json.dumps(NEWS[0]), json.dumps(NEWS[1]), json.dumps(NEWS[0])])
    with pytest.raises(CorpusError, match=r"bad.jsonl:3: duplicate id 'n1' \(first at .*bad.jsonl:1\)"):
        load_corpus(str(path))


def test_skip_bad_documents_records_them(tmp_path):
    path = _write(tmp_path, [json.dumps(NEWS[0]), json.dumps({"id": "x", "article": ""}), json.dumps(NEWS[1])])
    corpus = load_corpus(str(path), on_bad_document="skip")
    assert [d.id for d in corpus.documents] == ["n1", "n2"]
    assert len(corpus.skipped) == 1 and "empty text" in corpus.skipped[0].error


def test_unknown_source_lists_bundled_corpora():
    with pytest.raises(CorpusError, match=r"bundled corpora are: .*cnndm-summeval"):
        load_corpus("no-such-corpus")
