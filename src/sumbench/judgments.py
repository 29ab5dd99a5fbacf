"""Human judgments of system summaries: one row per (document, system) with the summary and its scores.

:func:`load_judgments` reads a bundled judgments file (``summeval``, ``frank``, ``newsroom``: see
``datasets/judgments/``), a local ``.jsonl`` / ``.jsonl.gz`` / ``.csv`` / ``.parquet`` file, a Hugging Face
dataset (``hf:NAME``) or a folder written by ``Dataset.save_to_disk``. Scores come from a nested object
(``human_scores``, as in the bundled files) or, when a row has none, from its flat numeric columns (as CSV
files and Hugging Face tables usually have them). Every error is one line naming the file and line (or
dataset and row), raised as :class:`~sumbench.errors.CorpusError`.

The result, :class:`Judgments`, carries a :attr:`~Judgments.fingerprint` (SHA-256 over the canonical rows)
so that a run can record exactly which judgments it was compared with, and gives the scores of one
dimension as a systems x documents matrix (:meth:`Judgments.matrix`). The bundled files can be read by the
``precomputed`` summarizer directly (``file = <path>``, ``system = "M11"``, ``summary_field =
"system_summary"``); :meth:`Judgments.write_jsonl` writes such a file for judgments from anywhere else.
"""

from __future__ import annotations

import difflib
import functools
import gzip
import hashlib
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from sumbench.corpora import _file_records, _hf_disk_records, _hf_records, _Records, bundled_dir
from sumbench.errors import CorpusError

__all__ = ["Judgment", "Judgments", "bundled_judgments", "load_judgments"]

_FORMATS = (".jsonl", ".jsonl.gz", ".json", ".json.gz", ".csv", ".csv.gz", ".parquet")


@dataclass(frozen=True)
class Judgment:
    """The human scores of one system's summary of one document (``scores``: dimension -> value; a
    dimension the row has no value for is absent)."""

    doc_id: str
    system: str
    summary: str
    scores: Mapping[str, float] = field(hash=False)


@dataclass(frozen=True)
class Judgments:
    """Human judgments as loaded by :func:`load_judgments`.

    ``source`` is what was asked for (a bundled name, a path, ``hf:NAME``), ``path`` the file or folder
    read (``None`` for ``hf:`` datasets), ``rows`` the judgments in source order, ``dimensions`` the
    score dimensions (first-seen order, or the order asked for) and ``fingerprint`` a short SHA-256 hex
    over the canonical rows (sorted by document and system; ids, systems, summaries and every score),
    independent of the file format and row order.
    """

    source: str
    path: str | None
    rows: tuple[Judgment, ...]
    dimensions: tuple[str, ...]
    fingerprint: str

    def __len__(self) -> int:
        return len(self.rows)

    def systems(self) -> tuple[str, ...]:
        """The systems, in the order they first appear."""
        return tuple(dict.fromkeys(row.system for row in self.rows))

    def doc_ids(self) -> tuple[str, ...]:
        """The documents judged, in the order they first appear."""
        return tuple(dict.fromkeys(row.doc_id for row in self.rows))

    def matrix(
        self, dimension: str, systems: Sequence[str] | None = None, doc_ids: Sequence[str] | None = None
    ) -> np.ndarray:
        """The scores of ``dimension`` as a ``len(systems) x len(doc_ids)`` float array (default: all
        systems and documents, in first-seen order), NaN where a (system, document) pair has no judgment
        or no value for the dimension (systems or documents not in the judgments give NaN rows/columns)."""
        if dimension not in self.dimensions:
            raise CorpusError(f"{self._origin()}: {_unknown('dimension', dimension, self.dimensions)}")
        systems = self.systems() if systems is None else tuple(systems)
        doc_ids = self.doc_ids() if doc_ids is None else tuple(doc_ids)
        system_index = {s: i for i, s in enumerate(systems)}
        doc_index = {d: j for j, d in enumerate(doc_ids)}
        out = np.full((len(systems), len(doc_ids)), np.nan, dtype=np.float64)
        for row in self.rows:
            i, j = system_index.get(row.system), doc_index.get(row.doc_id)
            if i is not None and j is not None and dimension in row.scores:
                out[i, j] = row.scores[dimension]
        return out

    def summaries(self, system: str) -> dict[str, str]:
        """Document id -> the summary ``system`` wrote (the documents it was judged on)."""
        out = {row.doc_id: row.summary for row in self.rows if row.system == system}
        if not out:
            raise CorpusError(f"{self._origin()}: {_unknown('system', system, self.systems())}")
        return out

    def write_jsonl(self, path: str | Path) -> Path:
        """Write the rows as JSON Lines (gzipped when ``path`` ends in ``.gz``): ``id``, ``system``,
        ``system_summary`` and ``human_scores``, the layout of the bundled files. The ``precomputed``
        summarizer reads it with ``summary_field = "system_summary"`` and ``system = NAME``, and
        :func:`load_judgments` reads it back to the same rows and fingerprint. Gzip output carries no
        timestamp, so the same judgments give the same bytes."""
        path = Path(path)
        text = "".join(
            json.dumps(
                {"id": r.doc_id, "system": r.system, "system_summary": r.summary, "human_scores": dict(r.scores)},
                ensure_ascii=False,
            )
            + "\n"
            for r in self.rows
        ).encode("utf-8")
        if path.name.lower().endswith(".gz"):
            buffer = io.BytesIO()
            with gzip.GzipFile(filename=path.name[:-3], mode="wb", fileobj=buffer, mtime=0) as handle:
                handle.write(text)
            text = buffer.getvalue()
        path.write_bytes(text)
        return path

    def _origin(self) -> str:
        return self.path or self.source


def bundled_judgments() -> dict[str, Path]:
    """Bundled judgments name -> file (``datasets/judgments/NAME.jsonl.gz``, each with a card ``NAME.md``)."""
    folder = bundled_dir() / "judgments"
    return {p.name[: -len(".jsonl.gz")]: p for p in sorted(folder.glob("*.jsonl.gz"))}


def load_judgments(
    source: str,
    *,
    base_dir: Path | None = None,
    id_field: str = "id",
    system_field: str = "system",
    summary_field: str = "system_summary",
    scores_field: str | None = "human_scores",
    dimensions: Sequence[str] | None = None,
    split: str | None = None,
) -> Judgments:
    """Load human judgments: one row per (document, system) with the summary and its scores.

    ``source`` is a bundled judgments name (:func:`bundled_judgments`: ``summeval``, ``frank``,
    ``newsroom``), a ``.jsonl`` / ``.jsonl.gz`` / ``.csv`` / ``.parquet`` file (relative paths are taken
    from ``base_dir``), ``hf:NAME`` (``datasets.load_dataset(NAME, split=split or "test")``) or a folder
    written by ``save_to_disk`` (also as ``hf-disk:PATH``; ``split`` picks one of a ``DatasetDict``).

    A row's scores are the object in ``scores_field`` when the row has one; otherwise its flat numeric
    columns other than the id, system and summary fields (a column whose first non-empty value is not a
    number is taken as metadata and left out). An empty value (``None``, ``""``, NaN) is a missing score.
    ``dimensions`` keeps only those dimensions, in that order; one that no row has is an error that lists
    the available ones. A missing field, a score that is not a number, a duplicate (document, system), an
    empty source and an unknown bundled name raise :class:`CorpusError` naming the file and line.
    """
    records, path = _open(source, base_dir, split)
    wanted = tuple(dimensions) if dimensions is not None else None
    if wanted is not None and not wanted:
        raise CorpusError(f"{records.origin}: 'dimensions' is empty (name at least one, or leave it out for all)")
    if wanted is not None and len(set(wanted)) != len(wanted):
        raise CorpusError(f"{records.origin}: dimensions {list(wanted)} name one more than once")
    reserved = {id_field, system_field, summary_field} | ({scores_field} if scores_field else set())
    column_kind: dict[str, bool] = {}  # flat column -> whether it holds scores (decided by its first value)
    seen: dict[tuple[str, str], str] = {}
    parsed: list[tuple[str, str, str, dict[str, float]]] = []
    available: dict[str, None] = {}
    for location, record in records.read():
        if isinstance(record, CorpusError):
            raise record
        where = records.where(location)
        doc_id, system, summary = _identity(where, record, id_field, system_field, summary_field)
        key = (doc_id, system)
        if key in seen:
            raise CorpusError(
                f"{where}: duplicate judgment of document {doc_id!r} by system {system!r} (first at {seen[key]})"
            )
        seen[key] = where
        if scores_field and record.get(scores_field) is not None:
            scores, named = _nested_scores(where, record[scores_field], scores_field, wanted)
        else:
            scores, named = _flat_scores(where, record, reserved, column_kind, wanted)
        available.update(dict.fromkeys(named))
        parsed.append((doc_id, system, summary, scores))
    if not parsed:
        raise CorpusError(f"{records.origin}: no judgments (the source is empty)")
    if wanted is not None:
        for name in wanted:
            if name not in available:
                raise CorpusError(f"{records.origin}: {_unknown('dimension', name, tuple(available))}")
        order = wanted
    else:
        order = tuple(dict.fromkeys(d for *_, scores in parsed for d in scores))
        if not order:
            raise CorpusError(
                f"{records.origin}: no scores found (no {scores_field!r} field, and no numeric columns besides "
                f"{id_field!r}, {system_field!r} and {summary_field!r})"
                if scores_field
                else f"{records.origin}: no numeric score columns besides {id_field!r}, {system_field!r} and "
                f"{summary_field!r}"
            )
    rows = tuple(
        Judgment(doc_id, system, summary, MappingProxyType({d: scores[d] for d in order if d in scores}))
        for doc_id, system, summary, scores in parsed
    )
    return Judgments(source=source, path=path, rows=rows, dimensions=order, fingerprint=_fingerprint(rows))


# --------------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------------


def _open(source: str, base_dir: Path | None, split: str | None) -> tuple[_Records, str | None]:
    """The records of ``source`` and the path read (``None`` for a Hugging Face hub dataset)."""
    if source.startswith("hf:"):
        name = source[3:]
        if not name:
            raise CorpusError("hf: needs a dataset name (hf:NAME)")
        chosen = split or "test"
        read = functools.partial(_hf_records, name, None, chosen, False)
        return _Records(source, f"hf:{name}[{chosen}]: row ", read), None
    bundled = bundled_judgments()
    if source in bundled:
        path = bundled[source]
        return _file_records(path), str(path)
    disk = source.startswith("hf-disk:")
    path = _resolve(source[len("hf-disk:") :] if disk else source, base_dir, bundled)
    if disk or path.is_dir():
        return _Records(str(path), f"{path}: row ", functools.partial(_hf_disk_records, path, split)), str(path)
    if not path.name.lower().endswith(_FORMATS):
        raise CorpusError(
            f"{path}: unknown judgments format (use .jsonl, .jsonl.gz, .csv, .parquet or a save_to_disk folder)"
        )
    return _file_records(path), str(path)


def _resolve(source: str, base_dir: Path | None, bundled: Mapping[str, Path]) -> Path:
    candidate = Path(source).expanduser()
    if not candidate.is_absolute() and base_dir is not None:
        candidate = base_dir / candidate
    if candidate.exists():
        return candidate
    known = ", ".join(bundled) or "none"
    looks_like_name = "/" not in source and "\\" not in source and not source.lower().endswith(_FORMATS)
    if looks_like_name:
        close = difflib.get_close_matches(source, list(bundled), n=3, cutoff=0.6)
        hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
        raise CorpusError(
            f"judgments {source!r}: not a bundled name{hint} nor an existing file ({candidate}); "
            f"bundled judgments are: {known}"
        )
    raise CorpusError(f"judgments {source!r}: no such file ({candidate}); bundled judgments are: {known}")


# --------------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------------


def _identity(
    where: str, record: Mapping[str, Any], id_field: str, system_field: str, summary_field: str
) -> tuple[str, str, str]:
    for required in (id_field, system_field, summary_field):
        if required not in record:
            fields = ", ".join(sorted(map(str, record)))
            raise CorpusError(f"{where}: missing field {required!r} (fields: {fields})")
    doc_id = "" if record[id_field] is None else str(record[id_field]).strip()
    if not doc_id:
        raise CorpusError(f"{where}: empty document id in field {id_field!r}")
    system = "" if record[system_field] is None else str(record[system_field]).strip()
    if not system:
        raise CorpusError(f"{where}: empty system name in field {system_field!r}")
    summary = record[summary_field]
    if not isinstance(summary, str):
        raise CorpusError(f"{where}: field {summary_field!r} must be a string, not {type(summary).__name__}")
    return doc_id, system, summary


def _nested_scores(
    where: str, value: Any, scores_field: str, wanted: tuple[str, ...] | None
) -> tuple[dict[str, float], list[str]]:
    """The scores of a nested object, and all the dimensions it names (empty ones too)."""
    if isinstance(value, str):  # a CSV cell holding the JSON object
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise CorpusError(f"{where}: field {scores_field!r} is not a JSON object ({_show(value)})") from None
    if not isinstance(value, Mapping):
        raise CorpusError(
            f"{where}: field {scores_field!r} must be an object of dimension -> number, not {type(value).__name__}"
        )
    scores: dict[str, float] = {}
    names = [str(dimension) for dimension in value]
    for name, raw in zip(names, value.values()):
        if wanted is not None and name not in wanted:
            continue
        try:
            score = _number(raw)
        except ValueError:
            raise CorpusError(
                f"{where}: score {name!r} in field {scores_field!r} is not a number ({_show(raw)})"
            ) from None
        if score is not None:
            scores[name] = score
    return scores, names


def _flat_scores(
    where: str,
    record: Mapping[str, Any],
    reserved: set[str],
    column_kind: dict[str, bool],
    wanted: tuple[str, ...] | None,
) -> tuple[dict[str, float], list[str]]:
    """The scores in a row's flat columns, and the score columns it has (empty ones too).

    Without ``wanted``, a column's first non-empty value decides whether it holds scores (a number) or
    metadata (anything else, left out); later text in a score column is an error. Columns named in
    ``wanted`` must hold numbers (or nothing)."""
    scores: dict[str, float] = {}
    columns: list[str] = []
    for column, raw in record.items():
        name = str(column)
        if name in reserved or (wanted is not None and name not in wanted):
            continue
        try:
            score = _number(raw)
        except ValueError:
            if wanted is None and not column_kind.setdefault(name, False):
                continue  # a metadata column
            raise CorpusError(f"{where}: score {name!r} is not a number ({_show(raw)})") from None
        if score is not None and wanted is None and not column_kind.setdefault(name, True):
            continue  # a number in a metadata column
        if wanted is not None or column_kind.get(name):
            columns.append(name)
        if score is not None:
            scores[name] = score
    return scores, columns


def _number(value: Any) -> float | None:
    """``value`` as a finite float, or ``None`` for an empty value (None, blank text, NaN). Raises
    ``ValueError`` for anything else (text that is no number, infinity, a bool, a list...)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
    elif isinstance(value, str):
        if not value.strip():
            return None
        number = float(value.strip())
    else:
        raise ValueError(value)
    if math.isnan(number):
        return None
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _unknown(kind: str, name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    hint = f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""
    return f"unknown {kind} {name!r}{hint}; available: {', '.join(known) or 'none'}"


def _fingerprint(rows: Sequence[Judgment]) -> str:
    """SHA-256 (first 16 hex digits) over the rows sorted by (document, system): id, system, summary and the
    scores sorted by dimension, as canonical JSON (floats as Python's shortest round-trip repr)."""
    digest = hashlib.sha256()
    for row in sorted(rows, key=lambda r: (r.doc_id, r.system)):
        canonical = [row.doc_id, row.system, row.summary, sorted(row.scores.items())]
        digest.update(json.dumps(canonical, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()[:16]
