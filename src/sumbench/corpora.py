"""Read corpora (bundled, JSONL / CSV / Parquet, Hugging Face ``datasets``) as documents, lazily.

:func:`open_corpus` gives a :class:`CorpusStream`: documents are read, validated and yielded one at a
time, so memory does not grow with the corpus (only the ids seen so far are kept, to reject duplicates).
:func:`load_corpus` reads such a stream to the end into a :class:`~sumbench.records.Corpus`. Every
source goes through the same field mapping and validation, and every error names the file and line (or
row) of the bad record; a byte that is not UTF-8 is named with its line and byte offset. Articles are
split into sentences by :func:`sumbench.text.split_sentences`.
"""

from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import io
import json
import re
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np

from sumbench.errors import CorpusError
from sumbench.languages import LanguageError, canonical_language, sentence_splitter
from sumbench.records import Corpus, Document, Failure

# --------------------------------------------------------------------------------------------------
# Corpus loading
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldMap:
    """Which record fields hold the id, the article, the references and (optionally) the title."""

    id_field: str = "id"
    text_field: str = "article"
    reference_fields: tuple[str, ...] = ("summaries",)
    title_field: str | None = "title"
    #: The record field whose value is a document's group (``category``), if any.
    group_field: str | None = None
    #: A regular expression whose first match in the id (its first group, if it has one) is the group.
    group_id_pattern: str | None = None
    #: Every document's language (ISO 639-1), unless ``language_field`` names a record field holding it.
    language: str = "en"
    language_field: str | None = None


@dataclass(frozen=True)
class HFPreset:
    """Field mapping and default config/split of a well-known Hugging Face summarization dataset."""

    path: str
    config: str | None
    split: str
    fields: FieldMap


HF_PRESETS: dict[str, HFPreset] = {
    "cnn_dailymail": HFPreset("cnn_dailymail", "3.0.0", "test", FieldMap("id", "article", ("highlights",), None)),
    "xsum": HFPreset("xsum", None, "test", FieldMap("id", "document", ("summary",), None)),
    "multi_news": HFPreset("multi_news", None, "test", FieldMap("id", "document", ("summary",), None)),
}


def bundled_dir() -> Path:
    """Folder of the bundled corpora: ``sumbench/_bundled`` in a wheel, ``datasets/`` in a checkout."""
    packaged = Path(__file__).resolve().parent / "_bundled"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "datasets"
    if checkout.is_dir():
        return checkout
    raise CorpusError(f"bundled corpora not found (looked in {packaged} and {checkout})")


def bundled_corpora() -> dict[str, Path]:
    """Bundled corpus name -> file (``datasets/NAME.jsonl.gz``, each with a card ``NAME.md``)."""
    return {p.name[: -len(".jsonl.gz")]: p for p in sorted(bundled_dir().glob("*.jsonl.gz"))}


# --------------------------------------------------------------------------------------------------
# Opening a corpus: a stream of documents
# --------------------------------------------------------------------------------------------------


def open_corpus(
    source: str,
    *,
    fields: FieldMap = FieldMap(),
    limit: int | None = None,
    base_dir: Path | None = None,
    hf_config: str | None = None,
    hf_split: str | None = None,
    on_bad_document: str = "error",
    streaming: bool = False,
    sample: int | None = None,
    seed: int = 0,
) -> CorpusStream:
    """Open a corpus for one lazy pass: a bundled name, a local ``.jsonl[.gz]``/``.csv[.gz]``/``.parquet``
    path (relative to ``base_dir``), ``hf:NAME`` (Hugging Face ``load_dataset``, split ``hf_split``,
    config ``hf_config``) or ``hf-disk:PATH`` (``load_from_disk``).

    The source is checked now (the file exists and has a known format, ``hf:json`` names its files); it
    is opened, and read record by record, only as the stream is iterated. ``limit`` stops after that many
    documents without reading further. ``on_bad_document="skip"`` records a bad record, a malformed JSON
    line or a line that is not UTF-8 in :attr:`CorpusStream.skipped` instead of raising. Local files are
    always read incrementally (Parquet by record batches); ``streaming=True`` makes ``hf:`` sources a
    Hugging Face ``IterableDataset`` (nothing downloaded or prepared up front). Without it ``hf:`` data is
    prepared on disk by ``datasets`` at the first read, then read lazily from its memory-mapped files, as
    ``hf-disk:`` always is. ``sample`` reads a seeded sample (``seed``) of that many documents instead of the
    first ones, stratified by group when ``fields`` names one (:func:`stratified_sample`; one extra pass).
    """
    _check_on_bad(on_bad_document)
    records, fields = _open_source(source, fields, base_dir, hf_config, hf_split, streaming)
    if sample is not None and sample < 1:
        raise CorpusError(f"a sample needs at least 1 document, got {sample}")
    return CorpusStream(
        _corpus_name(source), records, fields, limit=limit, on_bad_document=on_bad_document, sample=sample, seed=seed
    )


def load_corpus(
    source: str,
    *,
    fields: FieldMap = FieldMap(),
    limit: int | None = None,
    base_dir: Path | None = None,
    hf_config: str | None = None,
    hf_split: str | None = None,
    on_bad_document: str = "error",
) -> Corpus:
    """Load a whole corpus into memory: :func:`open_corpus` (same arguments) read to the end.

    ``on_bad_document="skip"`` records bad records as skipped failures instead of raising.
    """
    stream = open_corpus(
        source,
        fields=fields,
        limit=limit,
        base_dir=base_dir,
        hf_config=hf_config,
        hf_split=hf_split,
        on_bad_document=on_bad_document,
    )
    return stream.materialize()


def stream_records(
    records: Iterable[tuple[str, dict[str, Any]]],
    *,
    name: str,
    origin: str,
    fields: FieldMap = FieldMap(),
    limit: int | None = None,
    on_bad_document: str = "error",
) -> CorpusStream:
    """A :class:`CorpusStream` over ``(location, record)`` pairs from anywhere (a generator, a list):
    the same validation, limit, skipping and fingerprint as a file. ``records`` is iterated lazily;
    :meth:`CorpusStream.reopen` iterates it again (so give a list, not a generator, to reopen)."""
    _check_on_bad(on_bad_document)
    return CorpusStream(name, _Records(origin, "", lambda: iter(records)), fields, limit, on_bad_document)


def records_to_corpus(
    records: Iterable[tuple[str, dict[str, Any]]],
    *,
    name: str,
    origin: str,
    fields: FieldMap,
    limit: int | None = None,
    on_bad: str = "error",
) -> Corpus:
    """Turn ``(location, record)`` pairs into a validated :class:`Corpus` (duplicate ids rejected)."""
    return CorpusStream(name, _Records(origin, "", lambda: iter(records)), fields, limit, on_bad).materialize()


def _check_on_bad(on_bad_document: str) -> None:
    if on_bad_document not in ("error", "skip"):
        raise CorpusError(f"on_bad_document must be 'error' or 'skip', not {on_bad_document!r}")


# What a record source yields: (location, record), or (location, CorpusError) for a line that cannot be
# read as a record (malformed JSON, not UTF-8), which the stream raises or, in skip mode, records. The
# location is an int (line or row; the text is ``prefix + str(n)``, so the ids-seen table stays small)
# or, from :func:`stream_records`, the location text itself. Errors that end the file (an unreadable
# gzip stream, a CSV header that is not UTF-8) are raised by the source directly.
_Location: TypeAlias = "int | str"
_Item: TypeAlias = "tuple[_Location, dict[str, Any] | CorpusError]"


@dataclass(frozen=True)
class _Records:
    """Where records come from: ``read()`` opens the source afresh and yields its items."""

    origin: str
    prefix: str
    read: Callable[[], Iterator[_Item]]

    def where(self, location: _Location) -> str:
        return location if isinstance(location, str) else f"{self.prefix}{location}"


class CorpusStream:
    """The documents of a corpus, read, validated and yielded one at a time (see :func:`open_corpus`).

    A stream is an iterator: one pass. A ``for`` loop that stops early can be resumed by another
    ``for`` (or ``next``); iterating again once the stream has ended (read to the end, failed or
    closed) raises ``RuntimeError``; :meth:`reopen` gives a fresh stream over the same source for
    another pass. The source is opened at the first ``next`` and closed at the end, on :meth:`close`,
    or when a ``with`` block around the stream exits.

    As iteration proceeds, :attr:`skipped` collects the :class:`~sumbench.records.Failure` of every bad
    record skipped (``on_bad_document="skip"``), and :attr:`documents_seen` /
    :attr:`references_per_document` count the documents yielded so far. Once the stream has been read
    to the end, :attr:`fingerprint` is that of the equivalent :class:`~sumbench.records.Corpus`
    (computed incrementally, with the same SHA-256 input). A corpus with no valid document raises
    :class:`CorpusError` at the end, as :func:`load_corpus` does.

    Memory is bounded by one record plus the table of ids seen (id -> line), kept to name the first copy
    of a duplicate id.
    """

    def __init__(
        self,
        name: str,
        records: _Records,
        fields: FieldMap = FieldMap(),
        limit: int | None = None,
        on_bad_document: str = "error",
        sample: int | None = None,
        seed: int = 0,
    ) -> None:
        self.name = name
        self.source = records.origin
        self.fields = fields
        self.limit = limit
        self.on_bad_document = on_bad_document
        self.sample = sample
        self.seed = seed
        self.skipped: list[Failure] = []
        self.documents_seen = 0
        #: References dropped for holding no letter or digit, and the first documents that had one.
        self.empty_references = 0
        self.empty_reference_documents: list[str] = []
        self._records = records
        self._reference_count = 0
        self._digest = hashlib.sha256()
        self._fingerprint: str | None = None
        self._documents: Generator[Document, None, None] | None = None
        self._ended = False

    def __repr__(self) -> str:
        state = "read to the end" if self._fingerprint else "ended" if self._ended else "open"
        return f"<CorpusStream {self.name!r} from {self.source!r}: {state}, {self.documents_seen} documents yielded>"

    def __iter__(self) -> CorpusStream:
        if self._ended:
            raise RuntimeError(
                f"the corpus stream {self.name!r} has ended (a stream is one pass): use reopen() to read it again"
            )
        return self

    def __next__(self) -> Document:
        if self._documents is None:
            if self._ended:
                raise StopIteration
            self._documents = self._generate()
        return next(self._documents)

    def __enter__(self) -> CorpusStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop reading and close the source (the stream has then ended)."""
        self._ended = True
        if self._documents is not None:
            self._documents.close()

    def reopen(self) -> CorpusStream:
        """A fresh stream over the same source, fields, limit and skip mode."""
        return CorpusStream(
            self.name, self._records, self.fields, self.limit, self.on_bad_document, self.sample, self.seed
        )

    @property
    def exhausted(self) -> bool:
        """Whether the stream has been read to the end (limit or end of source) without an error."""
        return self._fingerprint is not None

    @property
    def fingerprint(self) -> str:
        """SHA-256 over ids, texts and references (:attr:`Corpus.fingerprint`): known once read to the end."""
        if self._fingerprint is None:
            raise RuntimeError(
                f"the fingerprint of corpus stream {self.name!r} is known only once it has been read to the end"
            )
        return self._fingerprint

    @property
    def references_per_document(self) -> float:
        """Mean number of references of the documents yielded so far (0.0 before the first)."""
        return self._reference_count / self.documents_seen if self.documents_seen else 0.0

    def materialize(self) -> Corpus:
        """Read the whole stream (not started yet) into a :class:`Corpus`: :func:`load_corpus`'s result."""
        if self._documents is not None or self._ended:
            raise RuntimeError(f"materialize() needs a corpus stream that has not been started ({self.name!r} has)")
        with self:
            documents = tuple(self)
        return Corpus(name=self.name, source=self.source, documents=documents, skipped=tuple(self.skipped))

    def _chosen(self) -> frozenset[str] | None:
        """With ``sample``: the ids of a seeded sample of ``sample`` documents (of the first ``limit``),
        stratified by group when the fields name one (each group gets its share of the sample, largest
        remainders first, at least one document per group while the sample allows). One extra pass over
        the source reads the ids."""
        if self.sample is None:
            return None
        population = CorpusStream(self.name, self._records, self.fields, self.limit, self.on_bad_document)
        groups: dict[str | None, list[str]] = {}
        with population:
            for doc in population:
                groups.setdefault(doc.group, []).append(doc.id)
        return frozenset(stratified_sample(groups, self.sample, self.seed))

    def _generate(self) -> Generator[Document, None, None]:
        records, fields, skip = self._records, self.fields, self.on_bad_document == "skip"
        chosen = self._chosen()
        seen: dict[str, _Location] = {}
        items = records.read()
        considered = 0
        try:
            while self.limit is None or considered < self.limit:
                item = next(items, None)
                if item is None:
                    break
                location, record = item
                if isinstance(record, CorpusError):
                    if not skip:
                        raise record
                    self.skipped.append(Failure(None, None, "load", str(record)))
                    continue
                where = records.where(location)
                try:
                    doc, dropped = _document(where, record, fields)
                    if doc.id in seen:
                        raise CorpusError(f"{where}: duplicate id {doc.id!r} (first at {records.where(seen[doc.id])})")
                except CorpusError as exc:
                    if skip:
                        self.skipped.append(Failure(str(record.get(fields.id_field, where)), None, "load", str(exc)))
                        continue
                    raise
                seen[doc.id] = location
                considered += 1
                if chosen is not None and doc.id not in chosen:
                    continue
                for part in (doc.id, doc.text, *doc.references):
                    self._digest.update(part.encode("utf-8"))
                    self._digest.update(b"\x00")
                self._digest.update(b"\x01")
                self.documents_seen += 1
                self._reference_count += len(doc.references)
                if dropped:
                    self.empty_references += dropped
                    if len(self.empty_reference_documents) < 3:
                        self.empty_reference_documents.append(doc.id)
                yield doc
            if not self.documents_seen:
                raise CorpusError(f"{self.source}: no documents loaded")
            self._fingerprint = self._digest.hexdigest()
        finally:
            self._ended = True
            close = getattr(items, "close", None)
            if close is not None:
                close()


# --------------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------------


def _open_source(
    source: str,
    fields: FieldMap,
    base_dir: Path | None,
    hf_config: str | None,
    hf_split: str | None,
    streaming: bool,
) -> tuple[_Records, FieldMap]:
    if source.startswith("hf:"):
        name = source[3:]
        preset = HF_PRESETS.get(name)
        config = hf_config if hf_config is not None else (preset.config if preset else None)
        split = hf_split or (preset.split if preset else "test")
        if name in ("json", "csv", "parquet") and not config:
            raise CorpusError(f"hf:{name} needs 'config' naming the data file(s)")
        if preset and fields == FieldMap():
            fields = preset.fields
        read = functools.partial(_hf_records, name, config, split, streaming)
        return _Records(source, f"hf:{name}[{split}]: row ", read), fields
    if source.startswith("hf-disk:"):
        path = _resolve(source[len("hf-disk:") :], base_dir)
        return _Records(str(path), f"{path}: row ", functools.partial(_hf_disk_records, path, hf_split)), fields
    if source in bundled_corpora():
        path = bundled_corpora()[source]
        return _Records(str(path), f"{path}:", functools.partial(_jsonl_records, path)), fields
    return _file_records(_resolve(source, base_dir)), fields


def _corpus_name(source: str) -> str:
    if source.startswith(("hf:", "hf-disk:")):
        return source
    name = Path(source).name
    for suffix in (".gz", ".jsonl", ".json", ".csv", ".parquet"):
        name = name.removesuffix(suffix)
    return name


def _resolve(path: str, base_dir: Path | None) -> Path:
    candidate = Path(path).expanduser()
    if not candidate.is_absolute() and base_dir is not None:
        candidate = base_dir / candidate
    if not candidate.exists():
        known = ", ".join(bundled_corpora())
        raise CorpusError(f"corpus {path!r}: no such file ({candidate}); bundled corpora are: {known}")
    return candidate


def _file_records(path: Path) -> _Records:
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".json", ".json.gz")):
        return _Records(str(path), f"{path}:", functools.partial(_jsonl_records, path))
    if name.endswith((".csv", ".csv.gz")):
        return _Records(str(path), f"{path}:", functools.partial(_csv_records, path))
    if name.endswith(".parquet"):
        return _Records(str(path), f"{path}: row ", functools.partial(_parquet_records, path))
    raise CorpusError(f"{path}: unknown corpus format (use .jsonl, .jsonl.gz, .csv or .parquet)")


def _is_gzip(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def _open_binary(path: Path) -> io.BufferedIOBase:
    if _is_gzip(path):
        return gzip.open(path, "rb")
    return open(path, "rb")


_UTF8_BOM = b"\xef\xbb\xbf"


def _lines(path: Path, handle: io.BufferedIOBase) -> Iterator[tuple[int, int, bytes]]:
    """``(line number from 1, byte offset of the line's start, the line with its ending)``.

    Lines end at ``\\n``, ``\\r\\n`` or ``\\r``, as in Python's text mode (so line numbers are those the
    text-mode readers gave). Offsets count bytes of the file (of the decompressed data for ``.gz``). A
    UTF-8 byte-order mark at the start of the file is dropped.
    These bytes never occur inside a UTF-8 multi-byte character, so lines can be decoded one by one.
    """
    number = offset = 0
    try:
        for chunk in handle:
            if not offset and chunk.startswith(_UTF8_BOM):  # as Excel's "CSV UTF-8" writes
                chunk = chunk[len(_UTF8_BOM) :]
                offset = len(_UTF8_BOM)
            for line in _split_at_cr(chunk) if b"\r" in chunk else (chunk,):
                number += 1
                yield number, offset, line
                offset += len(line)
    except (OSError, EOFError, zlib.error) as exc:
        raise CorpusError(f"{path}:{number + 1}: cannot read the file ({exc})") from exc


def _split_at_cr(chunk: bytes) -> list[bytes]:
    """Split a ``\\n``-terminated chunk at the lone ``\\r`` line endings inside it."""
    lines: list[bytes] = []
    start = 0
    cr = chunk.find(b"\r")
    while cr != -1:
        end = cr + 2 if chunk[cr + 1 : cr + 2] == b"\n" else cr + 1
        lines.append(chunk[start:end])
        start = end
        cr = chunk.find(b"\r", start)
    if start < len(chunk):
        lines.append(chunk[start:])
    return lines


def _not_utf8(path: Path, number: int, offset: int, line: bytes, exc: UnicodeDecodeError) -> CorpusError:
    where = f"offset {offset + exc.start}" + (" of the decompressed data" if _is_gzip(path) else "")
    return CorpusError(
        f"{path}:{number}: not UTF-8 (byte 0x{line[exc.start]:02x} at {where}); corpora are read as UTF-8: "
        "convert the file (from Windows-1252, say: iconv -f cp1252 -t utf-8)"
    )


def _jsonl_records(path: Path) -> Iterator[_Item]:
    with _open_binary(path) as handle:
        for number, offset, raw in _lines(path, handle):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield number, _not_utf8(path, number, offset, raw, exc)
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, CorpusError(f"{path}:{number}: malformed JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(record, dict):
                yield number, CorpusError(f"{path}:{number}: expected a JSON object, got {type(record).__name__}")
                continue
            yield number, record


def _csv_records(path: Path) -> Iterator[_Item]:
    """CSV records located by the line where each ends (quoted fields may span lines). A record with a
    line that is not UTF-8 is yielded as that line's error (the line is decoded with replacement
    characters so that the parser stays in step); a header that is not UTF-8 stops the file."""
    undecodable: list[CorpusError] = []
    # Python's text mode, which this reader reproduces, left line endings as they were in a plain file
    # (newline="") and turned them into "\n" in a gzip one (newline=None): quoted fields keep them so.
    to_lf = _is_gzip(path)

    def text_lines(handle: io.BufferedIOBase) -> Iterator[str]:
        for number, offset, raw in _lines(path, handle):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                undecodable.append(_not_utf8(path, number, offset, raw, exc))
                line = raw.decode("utf-8", "replace")
            if to_lf and line.endswith("\r"):
                line = line[:-1] + "\n"
            elif to_lf and line.endswith("\r\n"):
                line = line[:-2] + "\n"
            yield line

    with _open_binary(path) as handle:
        reader = csv.DictReader(text_lines(handle))
        try:
            header = reader.fieldnames
            if undecodable:
                raise undecodable[0]
            if header is None:
                return
            for record in reader:
                if undecodable:
                    yield reader.line_num, undecodable[0]
                    undecodable.clear()
                    continue
                yield reader.line_num, dict(record)
        except csv.Error as exc:
            raise CorpusError(f"{path}:{reader.line_num}: malformed CSV ({exc})") from None


# rows per Parquet record batch: a few MB of news articles at a time
_PARQUET_BATCH_ROWS = 256


def _parquet_records(path: Path) -> Iterator[_Item]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise CorpusError(f"{path}: not a readable Parquet file ({exc})") from None
    row = 0
    try:
        for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH_ROWS):
            for record in batch.to_pylist():
                row += 1
                yield row, record
    finally:
        parquet.close()


def _import_datasets():
    try:
        import datasets
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise CorpusError("Hugging Face corpora need the 'datasets' package: pip install 'sumbench[hf]'") from exc
    return datasets


def _hf_records(name: str, config: str | None, split: str, streaming: bool) -> Iterator[_Item]:
    """Rows of ``datasets.load_dataset(name, config, split=split, streaming=streaming)``.

    ``name`` may also be a builder such as ``json`` with ``config`` naming the data file(s):
    ``hf:json`` + ``config = "data/test.jsonl"`` loads local files through the same code path.
    ``streaming=True`` gives an ``IterableDataset``: rows are read (downloaded) as they are needed.
    """
    datasets = _import_datasets()
    if name in ("json", "csv", "parquet"):
        dataset = datasets.load_dataset(name, data_files={split: config}, split=split, streaming=streaming)
    else:
        dataset = datasets.load_dataset(name, config, split=split, streaming=streaming)
    for row, record in enumerate(dataset, start=1):
        yield row, dict(record)


def _hf_disk_records(path: Path, split: str | None) -> Iterator[_Item]:
    datasets = _import_datasets()
    loaded = datasets.load_from_disk(str(path))
    if isinstance(loaded, datasets.DatasetDict):
        if split is None:
            raise CorpusError(f"{path}: a DatasetDict with splits {sorted(loaded)}; name one with 'split'")
        if split not in loaded:
            raise CorpusError(f"{path}: no split {split!r}; it has {sorted(loaded)}")
        loaded = loaded[split]
    for row, record in enumerate(loaded, start=1):
        yield row, dict(record)


# --------------------------------------------------------------------------------------------------
# Records -> documents
# --------------------------------------------------------------------------------------------------


def _references(value: Any, where: str, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            try:
                parsed = json.loads(stripped)
            except json.JSONDecodeError:
                return [value]
            if isinstance(parsed, list) and all(isinstance(v, str) for v in parsed):
                return parsed
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    raise CorpusError(f"{where}: field {field!r} must hold a string or a list of strings")


def _document(where: str, record: dict[str, Any], fields: FieldMap) -> tuple[Document, int]:
    """The document of one record, and how many of its references were dropped for holding no letter or
    digit (empty, whitespace or punctuation only)."""
    for required in (fields.id_field, fields.text_field):
        if required not in record:
            raise CorpusError(f"{where}: missing field {required!r} (fields: {', '.join(sorted(map(str, record)))})")
    doc_id = str(record[fields.id_field]).strip()
    if not doc_id:
        raise CorpusError(f"{where}: empty id in field {fields.id_field!r}")
    text = record[fields.text_field]
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: document {doc_id!r} has empty text in field {fields.text_field!r}")
    references: list[str] = []
    dropped = 0
    for field in fields.reference_fields:
        if field not in record:
            raise CorpusError(f"{where}: document {doc_id!r} is missing reference field {field!r}")
        for r in _references(record[field], where, field):
            if any(ch.isalnum() for ch in r):
                references.append(r)
            else:
                dropped += 1
    if not references:
        raise CorpusError(
            f"{where}: document {doc_id!r} has no reference summary with a letter or digit in it"
            + (f" ({dropped} empty or punctuation-only)" if dropped else "")
        )
    title = record.get(fields.title_field) if fields.title_field else None
    group: str | None = None
    if fields.group_field is not None:
        if fields.group_field not in record or record[fields.group_field] in (None, ""):
            raise CorpusError(
                f"{where}: document {doc_id!r} has no group field {fields.group_field!r} ([corpus] group_field)"
            )
        group = str(record[fields.group_field])
    elif fields.group_id_pattern is not None:
        match = re.search(fields.group_id_pattern, doc_id)
        if match is None:
            raise CorpusError(
                f"{where}: document id {doc_id!r} does not match group_id_pattern {fields.group_id_pattern!r}"
            )
        group = match.group(1) if match.re.groups else match.group(0)
    language = fields.language
    if fields.language_field is not None:
        value = record.get(fields.language_field)
        if not isinstance(value, str) or not value.strip():
            raise CorpusError(
                f"{where}: document {doc_id!r} has no language in field {fields.language_field!r} "
                "([corpus] language_field)"
            )
        try:
            language = canonical_language(value)
        except LanguageError as exc:
            raise CorpusError(f"{where}: document {doc_id!r}: {exc}") from None
    meta = {
        k: v
        for k, v in record.items()
        if k not in {fields.id_field, fields.text_field, *fields.reference_fields, fields.title_field}
        and isinstance(v, (str, int, float, bool))
    }
    return Document(
        id=doc_id,
        text=text,
        sentences=tuple(sentence_splitter(language)(text)),
        references=tuple(references),
        title=str(title) if title else None,
        meta=meta,
        group=group,
        language=language,
    ), dropped


def stratified_sample(groups: Mapping[str | None, Sequence[str]], size: int, seed: int) -> list[str]:
    """A seeded sample of ``size`` ids from ``{group: ids}`` (all of them when there are fewer): each group
    gets ``size`` x its share, rounded by largest remainder (ties to the larger group, then the group name),
    and its ids are drawn uniformly with ``numpy.random.default_rng(seed)``. The same groups, size and
    seed give the same sample."""
    if size < 1:
        raise ValueError(f"a sample needs at least 1 document, got {size}")
    total = sum(len(ids) for ids in groups.values())
    if size >= total:
        return [i for ids in groups.values() for i in ids]
    names = sorted(groups, key=lambda g: "" if g is None else str(g))
    quotas = {g: size * len(groups[g]) / total for g in names}
    counts = {g: int(quotas[g]) for g in names}
    rest = size - sum(counts.values())
    for g in sorted(names, key=lambda g: (-(quotas[g] - counts[g]), -len(groups[g])))[:rest]:
        counts[g] += 1
    rng = np.random.default_rng(seed % 2**64)
    out: list[str] = []
    for g in names:
        ids = groups[g]
        picks: list[int] = rng.choice(len(ids), size=counts[g], replace=False).tolist() if counts[g] else []
        out.extend(ids[k] for k in sorted(picks))
    return out


def load_system_outputs(
    path: Path,
    *,
    id_field: str = "id",
    summary_field: str = "summary",
    system_field: str | None = None,
    system: str | None = None,
) -> dict[str, str]:
    """Read ``{id, summary}`` JSONL (optionally filtered to one ``system``): doc id -> summary text."""
    outputs: dict[str, str] = {}
    records = _file_records(path)
    for location, record in records.read():
        if isinstance(record, CorpusError):
            raise record
        where = records.where(location)
        if system_field and system is not None and str(record.get(system_field)) != system:
            continue
        for required in (id_field, summary_field):
            if required not in record:
                raise CorpusError(f"{where}: missing field {required!r}")
        doc_id = str(record[id_field])
        if doc_id in outputs:
            raise CorpusError(f"{where}: duplicate summary for document {doc_id!r}")
        summary = record[summary_field]
        if not isinstance(summary, str):
            raise CorpusError(f"{where}: field {summary_field!r} must be a string")
        outputs[doc_id] = summary
    if system is not None and not outputs:
        raise CorpusError(f"{path}: no rows for system {system!r}")
    return outputs
