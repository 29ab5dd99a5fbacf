"""SQLite cache of summaries, keyed by summarizer identity and document text.

The default location is ``$SUMBENCH_CACHE_DIR/summaries.sqlite`` or, without that variable,
``~/.cache/sumbench/summaries.sqlite``; ``sumbench run --cache PATH`` overrides it and
``--no-cache`` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sumbench.text import TEXT_PIPELINE_VERSION

_SCHEMA = """
CREATE TABLE IF NOT EXISTS summaries (
    summarizer_key TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    summary TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    meta TEXT,
    PRIMARY KEY (summarizer_key, text_hash)
)
"""


def default_cache_path() -> Path:
    """``$SUMBENCH_CACHE_DIR/summaries.sqlite``, else ``~/.cache/sumbench/summaries.sqlite``."""
    root = os.environ.get("SUMBENCH_CACHE_DIR")
    base = Path(root) if root else Path.home() / ".cache" / "sumbench"
    return base / "summaries.sqlite"


def summarizer_key(use: str, params: dict[str, Any], version: str, fingerprint: str = "") -> str:
    """A stable key for one configured summarizer: its name, parameters, version and fingerprint, and
    the version of sumbench's text pipeline (sentence splitter and tokenizers), which shapes every
    extractive summary: changing the pipeline never serves stale summaries."""
    payload = json.dumps(
        {
            "use": use,
            "params": params,
            "version": version,
            "fingerprint": fingerprint,
            "text_pipeline": TEXT_PIPELINE_VERSION,
        },
        sort_keys=True,
        default=repr,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class SummaryCache:
    """Get and put summaries; safe for several processes at once (WAL journal)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(self.path)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute(_SCHEMA)
        columns = {row[1] for row in self._connection.execute("PRAGMA table_info(summaries)")}
        if "meta" not in columns:  # a cache written before summaries carried their accounting
            self._connection.execute("ALTER TABLE summaries ADD COLUMN meta TEXT")
        self._connection.commit()

    def get_many(self, key: str, text_hashes: Iterable[str]) -> dict[str, str]:
        """Cached summaries of the given documents (by text hash) for one summarizer key."""
        return {h: summary for h, (summary, _) in self.get_entries(key, text_hashes).items()}

    def get_entries(self, key: str, text_hashes: Iterable[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """Cached summaries of the given documents with how each was made (tokens, latency, ...; empty
        when it recorded nothing), read in one query per 500 documents."""
        hashes = list(dict.fromkeys(text_hashes))
        found: dict[str, tuple[str, dict[str, Any]]] = {}
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            rows = self._connection.execute(
                f"SELECT text_hash, summary, meta FROM summaries WHERE summarizer_key = ? "
                f"AND text_hash IN ({','.join('?' * len(chunk))})",
                (key, *chunk),
            )
            found.update((h, (summary, json.loads(meta) if meta else {})) for h, summary, meta in rows.fetchall())
        return found

    def put_many(self, key: str, items: Iterable[tuple[str, str] | tuple[str, str, dict[str, Any] | None]]) -> None:
        """Store ``(text_hash, summary)`` or ``(text_hash, summary, meta)`` rows for one summarizer key
        (``meta``: how the summary was made, kept so a cache hit reports the same accounting). Only
        summaries are ever stored: a failed document has no row, so errors are never cached."""
        rows = []
        for item in items:
            meta = item[2] if len(item) > 2 else None
            rows.append((key, item[0], item[1], json.dumps(meta, sort_keys=True) if meta else None))
        with self._connection:
            self._connection.executemany(
                "INSERT OR REPLACE INTO summaries (summarizer_key, text_hash, summary, meta) VALUES (?, ?, ?, ?)",
                rows,
            )

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> SummaryCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
