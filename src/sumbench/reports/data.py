"""Read a run folder (see the runner's contract) into an immutable :class:`Run`.

Everything a report shows comes from here, so every file is checked as it is read
and a problem is reported as a :class:`RunFolderError` naming the file and, for line
oriented files, the line (1-based; scores.csv counts its header as line 1).

Only numpy is needed; ``Run.scores.to_pandas()`` gives a DataFrame if pandas is
installed.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Run", "RunFolderError", "ScoreTable", "load_run"]

REQUIRED_FILES = ("manifest.json", "documents.jsonl", "summaries.jsonl", "scores.csv", "aggregates.json")
OPTIONAL_FILES = ("significance.json", "failures.jsonl")


class RunFolderError(ValueError):
    """A run folder file is missing or malformed.  ``path`` and ``line`` say where."""

    def __init__(self, path: Path, message: str, line: int | None = None):
        self.path = Path(path)
        self.line = line
        where = f"{self.path}" + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class ScoreTable:
    """scores.csv as columns: one row per (document, system) that was scored."""

    doc_ids: tuple[str, ...]
    systems: tuple[str, ...]
    columns: Mapping[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.doc_ids)

    @property
    def names(self) -> tuple[str, ...]:
        """Numeric column names in file order."""
        return tuple(self.columns)

    def column(self, name: str) -> np.ndarray:
        return self.columns[name]

    def mask(self, system: str) -> np.ndarray:
        return np.array([s == system for s in self.systems], dtype=bool)

    def by_doc(self, system: str, metric: str) -> dict[str, float]:
        """``{doc_id: value}`` of one metric for one system."""
        col = self.columns[metric]
        return {d: float(col[k]) for k, (d, s) in enumerate(zip(self.doc_ids, self.systems)) if s == system}

    def values(self, system: str, metric: str) -> np.ndarray:
        """The metric's values for one system (rows in file order), NaNs kept."""
        return self.columns[metric][self.mask(system)]

    def to_pandas(self):  # pragma: no cover - convenience
        import pandas as pd

        return pd.DataFrame({"doc_id": list(self.doc_ids), "system": list(self.systems), **self.columns})


@dataclass(frozen=True)
class Run:
    """A run folder, read and checked.  Lists are tuples of plain dicts."""

    path: Path
    manifest: dict[str, Any]
    documents: tuple[dict[str, Any], ...]
    summaries: tuple[dict[str, Any], ...]
    scores: ScoreTable
    aggregates: tuple[dict[str, Any], ...]
    significance: tuple[dict[str, Any], ...] = ()
    failures: tuple[dict[str, Any], ...] = ()
    _doc_index: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)
    _summary_index: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)
    _agg_index: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._doc_index.update({d["id"]: d for d in self.documents})
        self._summary_index.update({(s["doc_id"], s["system"]): s for s in self.summaries})
        self._agg_index.update({(a["system"], a["metric"]): a for a in self.aggregates})

    # --- what the run is about -------------------------------------------------
    @property
    def name(self) -> str:
        return str(self.manifest.get("suite_name") or self.path.name)

    @property
    def systems(self) -> tuple[str, ...]:
        """System labels: manifest order, then any others seen in scores/summaries."""
        out: list[str] = [str(s["label"]) for s in self.manifest.get("systems", []) if isinstance(s, Mapping) and "label" in s]
        for s in (*self.scores.systems, *(x["system"] for x in self.summaries)):
            if s not in out:
                out.append(s)
        return tuple(out)

    @property
    def metrics(self) -> tuple[str, ...]:
        """Numeric score columns: the manifest's order first, then the rest of scores.csv."""
        names = self.scores.names
        listed = [m for m in self.manifest.get("metrics", []) if m in names]
        return tuple(listed + [m for m in names if m not in listed])

    @property
    def rouge_metrics(self) -> tuple[str, ...]:
        return tuple(m for m in self.metrics if m.startswith("rouge"))

    @property
    def f_metrics(self) -> tuple[str, ...]:
        """ROUGE F columns (``rouge*_f``), or all ROUGE columns if there are no F ones."""
        f = tuple(m for m in self.rouge_metrics if m.endswith("_f"))
        return f or self.rouge_metrics

    @property
    def primary_metric(self) -> str | None:
        """rouge2_f if scored, else the first ROUGE F column, else the first metric."""
        if "rouge2_f" in self.metrics:
            return "rouge2_f"
        if self.f_metrics:
            return self.f_metrics[0]
        return self.metrics[0] if self.metrics else None

    @property
    def confidence(self) -> float:
        try:
            c = float(self.manifest.get("confidence", 0.95))
        except (TypeError, ValueError):
            return 0.95
        return c if 0 < c < 1 else 0.95

    @property
    def alpha(self) -> float:
        return 1.0 - self.confidence

    # --- look-ups ----------------------------------------------------------------
    def document(self, doc_id: str) -> dict[str, Any] | None:
        return self._doc_index.get(doc_id)

    def summary(self, doc_id: str, system: str) -> dict[str, Any] | None:
        return self._summary_index.get((doc_id, system))

    def aggregate(self, system: str, metric: str) -> dict[str, Any] | None:
        return self._agg_index.get((system, metric))

    def mean(self, system: str, metric: str) -> float:
        """Aggregate mean if recorded, else the mean of the per-document scores."""
        a = self.aggregate(system, metric)
        if a is not None and _finite(a.get("mean")):
            return float(a["mean"])
        if metric not in self.scores.columns:
            return math.nan
        v = self.scores.values(system, metric)
        v = v[~np.isnan(v)]
        return float(v.mean()) if v.size else math.nan


def _finite(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


# --- readers -------------------------------------------------------------------------
def _read_json(path: Path, kind: type) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RunFolderError(path, "missing file (is this a sumbench run folder?)") from None
    except UnicodeDecodeError as e:
        raise RunFolderError(path, f"not UTF-8 text ({e})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise RunFolderError(path, f"invalid JSON: {e.msg} (column {e.colno})", line=e.lineno) from None
    if not isinstance(data, kind):
        raise RunFolderError(path, f"expected a JSON {'object' if kind is dict else 'array'}, got {type(data).__name__}")
    return data


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        fh = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise RunFolderError(path, "missing file (is this a sumbench run folder?)") from None
    with fh:
        lineno = 0
        try:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise RunFolderError(path, f"invalid JSON: {e.msg} (column {e.colno})", line=lineno) from None
                if not isinstance(obj, dict):
                    raise RunFolderError(path, f"expected a JSON object, got {type(obj).__name__}", line=lineno)
                yield lineno, obj
        except UnicodeDecodeError as e:
            raise RunFolderError(path, f"not UTF-8 text ({e})", line=lineno + 1) from None


def _need(path: Path, obj: Mapping[str, Any], key: str, kind: type | tuple[type, ...], line: int | None = None,
          allow_none: bool = False) -> Any:
    if key not in obj:
        raise RunFolderError(path, f"missing field {key!r}", line=line)
    v = obj[key]
    if v is None and allow_none:
        return v
    if kind is str and isinstance(v, int) and not isinstance(v, bool):
        return str(v)  # numeric ids are tolerated and read as strings
    if not isinstance(v, kind) or isinstance(v, bool) and kind is not bool:
        raise RunFolderError(path, f"field {key!r} should be {_kind_name(kind)}, got {type(v).__name__}", line=line)
    return v


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", list: "a list", dict: "an object", bool: "true/false", float: "a number", int: "an integer"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def _num(v: Any) -> float:
    """A JSON number or null (NaN)."""
    if v is None:
        return math.nan
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError
    return float(v)


def _read_documents(path: Path) -> tuple[dict[str, Any], ...]:
    docs: list[dict[str, Any]] = []
    seen: set[str] = set()
    for lineno, obj in _read_jsonl(path):
        doc_id = _need(path, obj, "id", str, lineno)
        if doc_id in seen:
            raise RunFolderError(path, f"duplicate document id {doc_id!r}", line=lineno)
        seen.add(doc_id)
        title = obj.get("title")
        if title is not None and not isinstance(title, str):
            raise RunFolderError(path, f"field 'title' should be a string or null, got {type(title).__name__}", line=lineno)
        text = _need(path, obj, "text", str, lineno)
        refs = _need(path, obj, "references", list, lineno)
        if not all(isinstance(r, str) for r in refs):
            raise RunFolderError(path, "field 'references' should be a list of strings", line=lineno)
        docs.append({**obj, "id": doc_id, "title": title, "text": text, "references": list(refs)})
    return tuple(docs)


def _read_summaries(path: Path) -> tuple[dict[str, Any], ...]:
    out: list[dict[str, Any]] = []
    for lineno, obj in _read_jsonl(path):
        doc_id = _need(path, obj, "doc_id", str, lineno)
        system = _need(path, obj, "system", str, lineno)
        summary = _need(path, obj, "summary", str, lineno)
        out.append({**obj, "doc_id": doc_id, "system": system, "summary": summary, "cached": bool(obj.get("cached", False))})
    return tuple(out)


def _read_failures(path: Path) -> tuple[dict[str, Any], ...]:
    if not path.exists():
        return ()
    out: list[dict[str, Any]] = []
    for lineno, obj in _read_jsonl(path):
        out.append({
            **obj,
            "doc_id": _need(path, obj, "doc_id", str, lineno, allow_none=True),
            "system": _need(path, obj, "system", str, lineno, allow_none=True),
            "stage": str(obj.get("stage", "")),
            "error": str(obj.get("error", "")),
        })
    return tuple(out)


def _read_scores(path: Path) -> ScoreTable:
    try:
        fh = path.open(encoding="utf-8", newline="")
    except FileNotFoundError:
        raise RunFolderError(path, "missing file (is this a sumbench run folder?)") from None
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise RunFolderError(path, "empty file: expected a header 'doc_id,system,...'", line=1) from None
        except (csv.Error, UnicodeDecodeError) as e:
            raise RunFolderError(path, f"unreadable CSV: {e}", line=1) from None
        header = [h.strip() for h in header]
        if header[:2] != ["doc_id", "system"]:
            raise RunFolderError(path, f"header should start with 'doc_id,system', got {','.join(header[:2])!r}", line=1)
        names = header[2:]
        if len(set(names)) != len(names):
            raise RunFolderError(path, "duplicate column names in the header", line=1)
        doc_ids: list[str] = []
        systems: list[str] = []
        rows: list[list[float]] = []
        seen: set[tuple[str, str]] = set()
        lineno = 1
        try:
            for row in reader:
                lineno = reader.line_num
                if not row or all(not c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    raise RunFolderError(path, f"expected {len(header)} fields, got {len(row)}", line=lineno)
                key = (row[0], row[1])
                if key in seen:
                    raise RunFolderError(path, f"duplicate row for document {row[0]!r}, system {row[1]!r}", line=lineno)
                seen.add(key)
                vals: list[float] = []
                for name, cell in zip(names, row[2:]):
                    cell = cell.strip()
                    if cell == "" or cell.lower() in ("nan", "na", "null", "none"):
                        vals.append(math.nan)
                        continue
                    try:
                        vals.append(float(cell))
                    except ValueError:
                        raise RunFolderError(path, f"column {name!r}: {cell!r} is not a number", line=lineno) from None
                doc_ids.append(row[0])
                systems.append(row[1])
                rows.append(vals)
        except (csv.Error, UnicodeDecodeError) as e:
            raise RunFolderError(path, f"unreadable CSV: {e}", line=lineno + 1) from None
    matrix = np.array(rows, dtype=float).reshape(len(rows), len(names))
    columns = {name: matrix[:, k].copy() for k, name in enumerate(names)}
    return ScoreTable(tuple(doc_ids), tuple(systems), columns)


def _read_records(path: Path, required: dict[str, type | tuple[type, ...]], numeric: tuple[str, ...],
                  optional: bool = False) -> tuple[dict[str, Any], ...]:
    if optional and not path.exists():
        return ()
    data = _read_json(path, list)
    out = []
    for k, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise RunFolderError(path, f"entry {k} should be an object, got {type(rec).__name__}")
        rec = dict(rec)
        for key, kind in required.items():
            if key not in rec:
                raise RunFolderError(path, f"entry {k}: missing field {key!r}")
            if not isinstance(rec[key], kind):
                raise RunFolderError(path, f"entry {k}: field {key!r} should be {_kind_name(kind)}, got {type(rec[key]).__name__}")
        for key in numeric:
            if key in rec:
                try:
                    rec[key] = _num(rec[key])
                except TypeError:
                    raise RunFolderError(path, f"entry {k}: field {key!r} should be a number, got {rec[key]!r}") from None
        out.append(rec)
    return tuple(out)


def load_run(path: str | Path) -> Run:
    """Read and check the run folder at ``path``.

    Required: manifest.json, documents.jsonl, summaries.jsonl, scores.csv,
    aggregates.json.  Optional (empty when absent): significance.json,
    failures.jsonl.  Raises :class:`RunFolderError` naming the file (and line).
    """
    root = Path(path)
    if not root.is_dir():
        raise RunFolderError(root, "not a directory (expected a sumbench run folder)")
    manifest = _read_json(root / "manifest.json", dict)
    mpath = root / "manifest.json"
    if "systems" in manifest and not isinstance(manifest["systems"], list):
        raise RunFolderError(mpath, "field 'systems' should be a list")
    if "metrics" in manifest and not (isinstance(manifest["metrics"], list) and all(isinstance(m, str) for m in manifest["metrics"])):
        raise RunFolderError(mpath, "field 'metrics' should be a list of column names")
    for k, s in enumerate(manifest.get("systems", [])):
        if not isinstance(s, dict) or not isinstance(s.get("label"), str):
            raise RunFolderError(mpath, f"systems[{k}] should be an object with a string 'label'")
    documents = _read_documents(root / "documents.jsonl")
    summaries = _read_summaries(root / "summaries.jsonl")
    scores = _read_scores(root / "scores.csv")
    aggregates = _read_records(
        root / "aggregates.json", {"system": str, "metric": str}, ("mean", "ci_low", "ci_high", "n"))
    significance = _read_records(
        root / "significance.json", {"metric": str, "a": str, "b": str},
        ("diff", "diff_low", "diff_high", "p_bootstrap", "p_permutation", "p_bootstrap_holm", "p_permutation_holm", "n"),
        optional=True)
    failures = _read_failures(root / "failures.jsonl")
    return Run(root, manifest, documents, summaries, scores, aggregates, significance, failures)
