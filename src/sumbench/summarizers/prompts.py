"""Prompts for LLM summarizers: named built-ins, files, and the one way a template is filled.

A prompt is a template with any of ``{article}``, ``{title}``, ``{words}`` and ``{sentences}`` (the
target length the suite asks for); other braces must be doubled (``{{`` / ``}}``), as in
:meth:`str.format`. A summarizer's ``prompt`` parameter is a built-in name (:data:`PROMPTS`) or a path to
a UTF-8 text file holding a template. The template's text, not its name, is what a cache key and the
manifest hold (:func:`prompt_hash`), so editing a prompt file never serves stale summaries.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from pathlib import Path

from sumbench.records import Document

__all__ = ["FIELDS", "PROMPTS", "SYSTEM", "Prompt", "load_prompt", "prompt_hash"]

#: The placeholders a template may use.
FIELDS = ("article", "title", "words", "sentences")

#: The built-in prompts (``prompt = "news"`` in a suite).
PROMPTS = {
    "news": (
        "Summarize the following news article in about {words} words ({sentences} sentences). "
        "Use only facts stated in the article; keep names and numbers exact.\n\n"
        "Title: {title}\n\nArticle:\n{article}\n\nSummary:"
    ),
    "tldr": "{article}\n\nTL;DR:",
    "one-sentence": "Summarize this news article in one sentence.\n\n{article}\n\nOne-sentence summary:",
    "headline-lede": (
        "Write the opening paragraph a newsroom would put under 'No time to read? Get a summary' for this "
        "article: {sentences} sentences, at most {words} words, neutral tone.\n\n{article}"
    ),
}

#: The default system message of chat models.
SYSTEM = "You are a careful news editor who writes short, faithful summaries."


@dataclass(frozen=True)
class Prompt:
    """A checked template; :meth:`render` fills it for one document."""

    template: str
    source: str = "inline"

    def __post_init__(self) -> None:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(self.template) if name is not None}
        except ValueError as exc:
            raise ValueError(f"prompt {self.source}: not a valid template ({exc}); double literal braces") from None
        unknown = sorted(n for n in names if n not in FIELDS)
        if unknown:
            raise ValueError(
                f"prompt {self.source}: unknown placeholder {{{unknown[0]}}}; a prompt may use "
                + ", ".join("{" + f + "}" for f in FIELDS)
            )
        if "article" not in names:
            raise ValueError(f"prompt {self.source}: the template never includes {{article}}")

    def render(self, doc: Document, *, words: int, sentences: int, article: str | None = None) -> str:
        """The prompt for ``doc`` (``article`` overrides the document's text: a cut-to-fit version)."""
        return self.template.format(
            article=doc.text if article is None else article,
            title=doc.title or "",
            words=words,
            sentences=sentences,
        )

    @property
    def hash(self) -> str:
        return prompt_hash(self.template)


def prompt_hash(template: str) -> str:
    """SHA-256 of a template's text (12 hex digits): what identifies a prompt in caches and manifests."""
    return hashlib.sha256(template.encode("utf-8")).hexdigest()[:12]


def load_prompt(prompt: str) -> Prompt:
    """A built-in prompt by name, or the template in the file at ``prompt``; anything else is a
    ``ValueError`` naming the built-ins."""
    if prompt in PROMPTS:
        return Prompt(PROMPTS[prompt], source=f"'{prompt}'")
    path = Path(prompt).expanduser()
    if path.suffix or "/" in prompt or "\\" in prompt:
        if not path.is_file():
            raise ValueError(f"prompt file not found: {path}")
        return Prompt(path.read_text(encoding="utf-8"), source=str(path))
    raise ValueError(f"unknown prompt {prompt!r}: give a built-in ({', '.join(PROMPTS)}) or a path to a .txt file")
