"""Load corpora (bundled, JSONL / CSV / Parquet, Hugging Face ``datasets``) into documents.

Every loader ends in :func:`records_to_corpus`, so field mapping, validation and error messages are
the same whatever the source. Errors name the file and line (or row) of the bad record. Articles are
split into sentences by :func:`sumbench.text.split_sentences`.
"""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sumbench.errors import CorpusError
from sumbench.records import Corpus, Document, Failure
from sumbench.text import split_sentences

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
    """Load a corpus from a bundled name, a local ``.jsonl[.gz]``/``.csv``/``.parquet`` path, ``hf:NAME``
    (Hugging Face ``load_dataset``) or ``hf-disk:PATH`` (``load_from_disk``).

    ``on_bad_document="skip"`` records bad records as skipped failures instead of raising.
    """
    if on_bad_document not in ("error", "skip"):
        raise CorpusError(f"on_bad_document must be 'error' or 'skip', not {on_bad_document!r}")
    if source.startswith("hf:"):
        name = source[3:]
        preset = HF_PRESETS.get(name)
        records = _hf_records(
            name,
            hf_config if hf_config is not None else (preset.config if preset else None),
            hf_split or (preset.split if preset else "test"),
        )
        if preset and fields == FieldMap():
            fields = preset.fields
        origin = source
    elif source.startswith("hf-disk:"):
        path = _resolve(source[len("hf-disk:") :], base_dir)
        records = _hf_disk_records(path, hf_split)
        origin = str(path)
    elif source in bundled_corpora():
        path = bundled_corpora()[source]
        records = _jsonl_records(path)
        origin = str(path)
    else:
        path = _resolve(source, base_dir)
        records = _file_records(path)
        origin = str(path)
    return records_to_corpus(
        records, name=_corpus_name(source), origin=origin, fields=fields, limit=limit, on_bad=on_bad_document
    )


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


def _file_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".json", ".json.gz")):
        return _jsonl_records(path)
    if name.endswith((".csv", ".csv.gz")):
        return _csv_records(path)
    if name.endswith(".parquet"):
        return _parquet_records(path)
    raise CorpusError(f"{path}: unknown corpus format (use .jsonl, .jsonl.gz, .csv or .parquet)")


def _open_text(path: Path):
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8", newline="")


def _jsonl_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    with _open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{where}: malformed JSON ({exc.msg} at column {exc.colno})") from None
            if not isinstance(record, dict):
                raise CorpusError(f"{where}: expected a JSON object, got {type(record).__name__}")
            yield where, record


def _csv_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    with _open_text(path) as handle:
        reader = csv.DictReader(handle)
        for record in reader:
            # line_num is the physical line where the record ended (quoted fields may span lines)
            yield f"{path}:{reader.line_num}", dict(record)


def _parquet_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    for row, record in enumerate(table.to_pylist(), start=1):
        yield f"{path}: row {row}", record


def _import_datasets():
    try:
        import datasets
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise CorpusError("Hugging Face corpora need the 'datasets' package: pip install 'sumbench[hf]'") from exc
    return datasets


def _hf_records(name: str, config: str | None, split: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Rows of ``datasets.load_dataset(name, config, split=split)``.

    ``name`` may also be a builder such as ``json`` with ``config`` naming the data file(s):
    ``hf:json`` + ``config = "data/test.jsonl"`` loads local files through the same code path.
    """
    datasets = _import_datasets()
    if name in ("json", "csv", "parquet"):
        if not config:
            raise CorpusError(f"hf:{name} needs 'config' naming the data file(s)")
        dataset = datasets.load_dataset(name, data_files={split: config}, split=split)
    else:
        dataset = datasets.load_dataset(name, config, split=split)
    return _dataset_rows(dataset, f"hf:{name}[{split}]")


def _hf_disk_records(path: Path, split: str | None) -> Iterator[tuple[str, dict[str, Any]]]:
    datasets = _import_datasets()
    loaded = datasets.load_from_disk(str(path))
    if isinstance(loaded, datasets.DatasetDict):
        if split is None:
            raise CorpusError(f"{path}: a DatasetDict with splits {sorted(loaded)}; name one with 'split'")
        if split not in loaded:
            raise CorpusError(f"{path}: no split {split!r}; it has {sorted(loaded)}")
        loaded = loaded[split]
    return _dataset_rows(loaded, str(path))


def _dataset_rows(dataset: Iterable[dict[str, Any]], label: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for row, record in enumerate(dataset, start=1):
        yield f"{label}: row {row}", dict(record)


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


def _document(where: str, record: dict[str, Any], fields: FieldMap) -> Document:
    for required in (fields.id_field, fields.text_field):
        if required not in record:
            raise CorpusError(f"{where}: missing field {required!r} (fields: {', '.join(sorted(record))})")
    doc_id = str(record[fields.id_field]).strip()
    if not doc_id:
        raise CorpusError(f"{where}: empty id in field {fields.id_field!r}")
    text = record[fields.text_field]
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: document {doc_id!r} has empty text in field {fields.text_field!r}")
    references: list[str] = []
    for field in fields.reference_fields:
        if field not in record:
            raise CorpusError(f"{where}: document {doc_id!r} is missing reference field {field!r}")
        references.extend(r for r in _references(record[field], where, field) if r.strip())
    if not references:
        raise CorpusError(f"{where}: document {doc_id!r} has no non-empty reference summary")
    title = record.get(fields.title_field) if fields.title_field else None
    meta = {
        k: v
        for k, v in record.items()
        if k not in {fields.id_field, fields.text_field, *fields.reference_fields, fields.title_field}
        and isinstance(v, (str, int, float, bool))
    }
    return Document(
        id=doc_id,
        text=text,
        sentences=tuple(split_sentences(text)),
        references=tuple(references),
        title=str(title) if title else None,
        meta=meta,
    )


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
    documents: list[Document] = []
    skipped: list[Failure] = []
    seen: dict[str, str] = {}
    for where, record in records:
        if limit is not None and len(documents) >= limit:
            break
        try:
            doc = _document(where, record, fields)
            if doc.id in seen:
                raise CorpusError(f"{where}: duplicate id {doc.id!r} (first at {seen[doc.id]})")
        except CorpusError as exc:
            if on_bad == "skip":
                skipped.append(Failure(str(record.get(fields.id_field, where)), None, "load", str(exc)))
                continue
            raise
        seen[doc.id] = where
        documents.append(doc)
    if not documents:
        raise CorpusError(f"{origin}: no documents loaded")
    return Corpus(name=name, source=origin, documents=tuple(documents), skipped=tuple(skipped))


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
    for where, record in _file_records(path):
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
