"""Access to the shared corpora (real articles, references and system outputs) for tests.

Tests must reach ``../shared/corpora`` only through the ``shared_corpora`` fixture: import it
into a test module (``from _shared import shared_corpora``) and request it as an argument.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def shared_corpora_dir() -> Path:
    """``../shared/corpora`` beside the repo checkout (``/work/shared/corpora`` for ``/work/main``;
    in CI the repo is a fresh clone with ``../shared`` next to it)."""
    return Path(__file__).resolve().parents[2] / "shared" / "corpora"


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """Reads ../shared/corpora beside the repo checkout, located as
    ``Path(__file__).resolve().parents[2] / "shared" / "corpora"``; skips the test with a clear
    reason when that folder is absent."""
    path = shared_corpora_dir()
    if not path.is_dir():
        pytest.skip(f"shared corpora folder not found: {path} (expected ../shared/corpora beside the repo checkout)")
    return path


def read_jsonl_gz(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a gzipped JSON Lines file."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def references(row: dict[str, Any]) -> list[str]:
    """All references of a corpus row (``summaries`` may be a list or a JSON-encoded list)."""
    refs = row.get("summaries")
    if isinstance(refs, str):
        try:
            refs = json.loads(refs)
        except json.JSONDecodeError:
            refs = [refs]
    if not refs:
        refs = [row["summary"]]
    return [str(r) for r in refs]


def judged_outputs(corpora: Path) -> list[tuple[str, str, list[str], str]]:
    """Every system output of every ``*_judgments.jsonl.gz`` with its document's references:
    ``(corpus name, system, references, system_summary)``."""
    out: list[tuple[str, str, list[str], str]] = []
    for jpath in sorted(corpora.glob("*_judgments.jsonl.gz")):
        name = jpath.name[: -len("_judgments.jsonl.gz")]
        docs = {str(r["id"]): references(r) for r in read_jsonl_gz(corpora / f"{name}.jsonl.gz")}
        for row in read_jsonl_gz(jpath):
            refs = docs.get(str(row["id"]))
            if refs is not None:
                out.append((name, str(row["system"]), refs, str(row["system_summary"])))
    return out
