"""Test-wide fixtures: an isolated summary cache and small corpora written to temporary files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own summary cache folder (never the user's ~/.cache)."""
    monkeypatch.setenv("SUMBENCH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("MPLBACKEND", "Agg")


NEWS = [
    {
        "id": "n1",
        "title": "Council passes budget",
        "article": "The city council approved a new budget on Tuesday. The plan raises school spending by "
        "4 percent. Mayor Ana Ruiz said the vote was a victory. Critics say the forecasts are too rosy.",
        "summaries": ["The council approved a budget raising school spending.", "A new city budget passed."],
    },
    {
        "id": "n2",
        "title": "Bridge to reopen",
        "article": "The Elm Street bridge will reopen next week, officials said. Repairs took six months. "
        "Drivers had faced long detours. The work cost $2 million.",
        "summaries": ["The Elm Street bridge reopens next week after six months of repairs."],
    },
    {
        "id": "n3",
        "title": "Storm warning",
        "article": "Forecasters issued a storm warning for the coast. Winds could reach 90 mph. "
        "Schools will close on Friday. Residents were told to stock up on water.",
        "summaries": ["A storm warning was issued; schools close Friday."],
    },
]


@pytest.fixture
def news_jsonl(tmp_path) -> Path:
    """Three small news records (two references for the first) as JSON Lines."""
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in NEWS), encoding="utf-8")
    return path


@pytest.fixture
def suite_file(tmp_path, news_jsonl):
    """Write a suite TOML next to the corpus and return its path; pass extra TOML text to append."""

    def write(summarizers: str = 'use = "lead"\nparams = { k = 2 }', extra: str = "", corpus: str = "") -> Path:
        path = tmp_path / "suite.toml"
        path.write_text(
            f'name = "t"\nseed = 1\n\n[corpus]\nsource = "{news_jsonl.name}"\n{corpus}\n'
            f"[[summarizers]]\n{summarizers}\n\n[scoring]\nbootstrap_samples = 200\n{extra}",
            encoding="utf-8",
        )
        return path

    return write
