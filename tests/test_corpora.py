import csv
import gc
import gzip
import io
import itertools
import json
import re
import tracemalloc
import weakref

import pytest

from conftest import NEWS
from sumbench.corpora import CorpusError, FieldMap, bundled_corpora, load_corpus, open_corpus


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
        ({"id": "x", "article": "Text.", "summaries": [""]}, "no reference summary with a letter or digit"),
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


# --------------------------------------------------------------------------------------------------
# Streaming: open_corpus / CorpusStream
# --------------------------------------------------------------------------------------------------


def _same_as_loaded(stream, corpus):
    """A stream read to the end gives load_corpus's documents (meta included), skips and fingerprint."""
    documents = list(stream)
    assert documents == list(corpus.documents)
    assert [dict(d.meta) for d in documents] == [dict(d.meta) for d in corpus.documents]
    assert (stream.name, stream.source) == (corpus.name, corpus.source)
    assert stream.skipped == list(corpus.skipped)
    assert stream.exhausted
    assert stream.fingerprint == corpus.fingerprint
    assert stream.documents_seen == len(corpus.documents)
    assert stream.references_per_document == corpus.references_per_document


@pytest.mark.parametrize("name", sorted(bundled_corpora()))
def test_stream_matches_load_corpus_for_every_bundled_corpus(name):
    _same_as_loaded(open_corpus(name), load_corpus(name))
    _same_as_loaded(open_corpus(name, limit=17), load_corpus(name, limit=17))


def _write_news(tmp_path, fmt):
    """NEWS (plus a record whose quoted CSV field spans lines) in one of the local formats."""
    records = NEWS + [
        {"id": "n4", "title": "", "article": "Line one of four.\r\nLine two. Line three.", "summaries": ["Lines."]}
    ]
    path = tmp_path / f"news.{fmt}"
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\r\n" for r in records), encoding="utf-8")
    elif fmt == "jsonl.gz":
        path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode()))
    elif fmt in ("csv", "csv.gz"):
        buffer = io.StringIO(newline="")
        writer = csv.DictWriter(buffer, fieldnames=["id", "title", "article", "summaries"])
        writer.writeheader()
        for r in records:
            writer.writerow({**r, "summaries": json.dumps(r["summaries"])})
        data = buffer.getvalue().encode()
        path.write_bytes(gzip.compress(data) if fmt == "csv.gz" else data)
    else:
        pq = pytest.importorskip("pyarrow.parquet")
        import pyarrow as pa

        pq.write_table(pa.Table.from_pylist(records), path)
    return path


@pytest.mark.parametrize("fmt", ["jsonl", "jsonl.gz", "csv", "csv.gz", "parquet"])
def test_stream_matches_load_corpus_for_local_files(tmp_path, fmt):
    path = _write_news(tmp_path, fmt)
    corpus = load_corpus(str(path))
    assert [d.id for d in corpus.documents] == ["n1", "n2", "n3", "n4"]
    _same_as_loaded(open_corpus(str(path)), corpus)
    _same_as_loaded(open_corpus(path.name, base_dir=tmp_path, limit=2), load_corpus(str(path), limit=2))


def test_parquet_is_read_by_record_batches(tmp_path, monkeypatch):
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    from sumbench import corpora

    rows = [
        {"id": f"d{i}", "article": f"Story {i} happened. It mattered.", "summaries": [f"Story {i}."]}
        for i in range(700)
    ]
    path = tmp_path / "many.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=250)
    expected = load_corpus(str(path))

    def no_whole_table(*args, **kwargs):
        raise AssertionError("the whole table was read")

    monkeypatch.setattr(pq, "read_table", no_whole_table)
    monkeypatch.setattr(pq.ParquetFile, "read", no_whole_table)
    batches = []
    real_iter_batches = pq.ParquetFile.iter_batches

    def counting_iter_batches(self, *args, **kwargs):
        for batch in real_iter_batches(self, *args, **kwargs):
            batches.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", counting_iter_batches)
    stream = open_corpus(str(path))
    next(stream)
    assert batches == [corpora._PARQUET_BATCH_ROWS]  # one batch read for the first document
    assert [d.id for d in stream] == [f"d{i}" for i in range(1, 700)]
    assert stream.fingerprint == expected.fingerprint
    assert sum(batches) == 700 and max(batches) <= corpora._PARQUET_BATCH_ROWS


@pytest.mark.parametrize("streaming", [False, True])
def test_stream_hugging_face_json_builder_on_a_local_file(news_jsonl, monkeypatch, streaming):
    datasets = pytest.importorskip("datasets")
    corpus = load_corpus("hf:json", hf_config=str(news_jsonl), hf_split="test")
    made = []
    real_load_dataset = datasets.load_dataset

    def spy(*args, **kwargs):
        made.append((kwargs.get("streaming"), real_load_dataset(*args, **kwargs)))
        return made[-1][1]

    monkeypatch.setattr(datasets, "load_dataset", spy)
    stream = open_corpus("hf:json", hf_config=str(news_jsonl), hf_split="test", streaming=streaming)
    assert made == []  # nothing is loaded before the stream is read
    _same_as_loaded(stream, corpus)
    assert made[0][0] is streaming
    assert isinstance(made[0][1], datasets.IterableDataset) is streaming


def test_stream_hugging_face_from_disk(tmp_path):
    datasets = pytest.importorskip("datasets")
    saved = tmp_path / "saved"
    datasets.Dataset.from_list(NEWS).save_to_disk(str(saved))
    _same_as_loaded(open_corpus(f"hf-disk:{saved}"), load_corpus(f"hf-disk:{saved}"))


def test_stream_does_not_read_ahead_of_the_documents_taken(tmp_path):
    path = _write(tmp_path, [json.dumps(NEWS[0]), json.dumps(NEWS[1]), "{not json", json.dumps(NEWS[2])])
    stream = open_corpus(str(path))
    assert [d.id for d in itertools.islice(stream, 2)] == ["n1", "n2"]  # line 3 is not parsed yet
    with pytest.raises(CorpusError, match=r"bad.jsonl:3: malformed JSON"):
        next(stream)
    # a limit stops before the bad line too: nothing past the last document is read
    assert [d.id for d in load_corpus(str(path), limit=2).documents] == ["n1", "n2"]


def test_stream_pulls_one_record_per_document_from_a_generator():
    from sumbench.corpora import stream_records

    pulled = []
    closed = []

    def records():
        try:
            for k, record in enumerate(NEWS * 1000):
                pulled.append(k)
                yield f"gen:{k}", {**record, "id": f"d{k}"}
        finally:
            closed.append(True)

    stream = stream_records(records(), name="gen", origin="gen")
    assert pulled == []  # opening reads nothing
    assert [d.id for d in itertools.islice(stream, 2)] == ["d0", "d1"]
    assert pulled == [0, 1]
    for doc in stream:  # a for loop resumes where islice stopped
        if doc.id == "d4":
            break
    assert pulled == [0, 1, 2, 3, 4] and stream.documents_seen == 5
    with pytest.raises(RuntimeError, match="read to the end"):
        _ = stream.fingerprint
    stream.close()
    assert closed == [True]
    with pytest.raises(RuntimeError, match="one pass"):
        iter(stream)
    # with a limit, the record after the last document is never pulled
    pulled.clear()
    limited = stream_records(records(), name="gen", origin="gen", limit=3)
    assert len(list(limited)) == 3 and pulled == [0, 1, 2] and limited.exhausted


def test_stream_keeps_no_yielded_document(tmp_path):
    path = _write(tmp_path, [json.dumps(r) for r in NEWS])
    stream = open_corpus(str(path))
    first = weakref.ref(next(stream))
    assert next(stream).id == "n2"  # (while suspended, the stream holds at most the document it last yielded)
    gc.collect()
    assert first() is None


def test_stream_is_one_pass_and_reopens(news_jsonl):
    stream = open_corpus(str(news_jsonl))
    assert [d.id for d in stream] == ["n1", "n2", "n3"]
    with pytest.raises(RuntimeError, match="reopen"):
        list(stream)
    again = stream.reopen()
    assert [d.id for d in again] == ["n1", "n2", "n3"] and again.fingerprint == stream.fingerprint
    started = stream.reopen()
    next(started)
    with pytest.raises(RuntimeError, match="not been started"):
        started.materialize()
    with stream.reopen() as third:
        next(third)
    assert not third.exhausted
    with pytest.raises(RuntimeError, match="one pass"):
        list(third)  # closed by the with block


def test_open_corpus_checks_the_source_before_reading(tmp_path):
    with pytest.raises(CorpusError, match="no such file"):
        open_corpus("missing.jsonl", base_dir=tmp_path)
    (tmp_path / "corpus.txt").write_text("x")
    with pytest.raises(CorpusError, match="unknown corpus format"):
        open_corpus(str(tmp_path / "corpus.txt"))
    with pytest.raises(CorpusError, match="on_bad_document"):
        open_corpus("cnndm-summeval", on_bad_document="ignore")
    with pytest.raises(CorpusError, match="needs 'config'"):
        open_corpus("hf:json")


def test_duplicate_id_in_a_stream_names_the_first_line(tmp_path):
    path = _write(tmp_path, [json.dumps(NEWS[0]), json.dumps(NEWS[1]), json.dumps(NEWS[0])])
    stream = open_corpus(str(path))
    with pytest.raises(CorpusError, match=r"bad.jsonl:3: duplicate id 'n1' \(first at .*bad.jsonl:1\)"):
        list(stream)
    skipping = open_corpus(str(path), on_bad_document="skip")
    assert [d.id for d in skipping] == ["n1", "n2"]
    assert skipping.skipped[0].doc_id == "n1" and "first at" in skipping.skipped[0].error


def test_byte_order_mark_is_ignored(tmp_path):
    jsonl = tmp_path / "bom.jsonl"
    jsonl.write_bytes(b"\xef\xbb\xbf" + "".join(json.dumps(r) + "\n" for r in NEWS).encode())
    assert [d.id for d in load_corpus(str(jsonl)).documents] == ["n1", "n2", "n3"]
    table = tmp_path / "bom.csv"
    table.write_bytes(b'\xef\xbb\xbfid,article,summaries\r\na,"One. Two.",One.\r\n')
    assert load_corpus(str(table)).documents[0].id == "a"


# --------------------------------------------------------------------------------------------------
# Bytes that are not UTF-8; skip mode for unreadable lines
# --------------------------------------------------------------------------------------------------


LATIN1_E_ACUTE = b"\xe9"  # "é" in Latin-1 / Windows-1252: not UTF-8 on its own


def _latin1_line(fmt):
    """Three records whose third line holds a Latin-1 'é' (0xe9), as raw bytes of the format."""
    if fmt.startswith("csv"):
        rows = [b"id,article,summaries", b'a,"One. Two.",One.', b'b,"Caf\xe9 opens. It is new.",Cafe.', b"c,Three.,T."]
    else:
        good = [json.dumps({"id": k, "article": "One. Two.", "summaries": ["One."]}).encode() for k in "ab"]
        rows = [*good, b'{"id": "c", "article": "Caf\xe9 opens.", "summaries": ["Cafe."]}']
    return b"\n".join(rows) + b"\n"


@pytest.mark.parametrize("fmt", ["jsonl", "jsonl.gz", "csv", "csv.gz"])
def test_not_utf8_names_file_line_and_byte_offset(tmp_path, fmt):
    data = _latin1_line(fmt)
    path = tmp_path / f"news.{fmt}"
    path.write_bytes(gzip.compress(data) if fmt.endswith(".gz") else data)
    offset = data.index(LATIN1_E_ACUTE)
    where = " of the decompressed data" if fmt.endswith(".gz") else ""
    message = rf"news\.{re.escape(fmt)}:3: not UTF-8 \(byte 0xe9 at offset {offset}{where}\); corpora are read as UTF-8"
    with pytest.raises(CorpusError, match=message):
        load_corpus(str(path))
    stream = open_corpus(str(path))
    before = 1 if fmt.startswith("csv") else 2  # the CSV header is line 1
    assert len(list(itertools.islice(stream, before))) == before  # the lines before it load
    with pytest.raises(CorpusError, match=message):
        next(stream)


def test_csv_not_utf8_inside_a_multiline_field_names_that_line(tmp_path):
    path = tmp_path / "news.csv"
    data = b'id,article,summaries\na,"Fine. Good.",Fine.\nb,"First line.\nCaf\xe9 line.",Cafe.\nc,"Last one.",Last.\n'
    path.write_bytes(data)
    offset = data.index(LATIN1_E_ACUTE)
    with pytest.raises(CorpusError, match=rf"news.csv:4: not UTF-8 \(byte 0xe9 at offset {offset}\)"):
        load_corpus(str(path))
    corpus = load_corpus(str(path), on_bad_document="skip")
    assert [d.id for d in corpus.documents] == ["a", "c"]
    assert [(f.doc_id, f.stage) for f in corpus.skipped] == [(None, "load")]
    assert "news.csv:4: not UTF-8" in corpus.skipped[0].error


def test_csv_header_not_utf8_stops_even_in_skip_mode(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(b"id,articl\xe9,summaries\na,One.,One.\n")
    with pytest.raises(CorpusError, match=r"news.csv:1: not UTF-8 \(byte 0xe9 at offset 9\)"):
        load_corpus(str(path), on_bad_document="skip")


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_skip_mode_records_unreadable_lines_and_keeps_the_good_ones(tmp_path, suffix):
    lines = [
        json.dumps(NEWS[0]).encode(),
        b"{not json",
        b'{"id": "latin", "article": "Caf\xe9.", "summaries": ["x"]}',
        b"[1, 2]",
        json.dumps({"id": "empty", "article": " ", "summaries": ["s"]}).encode(),
        json.dumps(NEWS[1]).encode(),
    ]
    data = b"\n".join(lines) + b"\n"
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    with pytest.raises(CorpusError, match=rf"bad{re.escape(suffix)}:2: malformed JSON"):
        load_corpus(str(path))
    stream = open_corpus(str(path), on_bad_document="skip")
    assert [d.id for d in stream] == ["n1", "n2"]
    assert [(f.doc_id, f.system, f.stage) for f in stream.skipped] == [
        (None, None, "load"),
        (None, None, "load"),
        (None, None, "load"),
        ("empty", None, "load"),
    ]
    errors = [f.error for f in stream.skipped]
    assert f"bad{suffix}:2: malformed JSON" in errors[0]
    offset = data.index(LATIN1_E_ACUTE)
    assert f"bad{suffix}:3: not UTF-8 (byte 0xe9 at offset {offset}" in errors[1]
    assert f"bad{suffix}:4: expected a JSON object" in errors[2]
    assert f"bad{suffix}:5: document 'empty' has empty text" in errors[3]
    corpus = load_corpus(str(path), on_bad_document="skip")
    assert corpus.skipped == tuple(stream.skipped) and corpus.fingerprint == stream.fingerprint


# --------------------------------------------------------------------------------------------------
# Memory
# --------------------------------------------------------------------------------------------------


def _peak_bytes(work):
    gc.collect()
    tracemalloc.start()
    try:
        result = work()
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_streaming_memory_does_not_grow_with_the_corpus(tmp_path):
    words = "council budget school bridge storm mayor forecast repairs drivers winds coast residents water".split()
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(20_000):
            sentences = [
                " ".join(words[(i + j + k) % len(words)] for k in range(12)).capitalize() + "." for j in range(3)
            ]
            record = {"id": f"doc-{i:05d}", "article": " ".join(sentences), "summaries": sentences[:2]}
            handle.write(json.dumps(record) + "\n")

    def stream_it():
        stream = open_corpus(str(path))
        count = sum(1 for _ in stream)
        return count, stream.fingerprint

    streamed, (count, fingerprint) = _peak_bytes(stream_it)
    loaded, corpus = _peak_bytes(lambda: load_corpus(str(path)))
    print(f"tracemalloc peak: streaming {streamed / 1e6:.1f} MB, load_corpus {loaded / 1e6:.1f} MB")
    assert count == len(corpus.documents) == 20_000 and fingerprint == corpus.fingerprint
    assert streamed < 30e6
    assert streamed * 5 <= loaded
