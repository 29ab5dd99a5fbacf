"""The drill-down of ``report.html``: which documents it embeds (its budget), their anchors, and what
each shows, as plain data.

A document shows every system's summary first (the ``<mark>``-ed spans are the word pairs the summary
shares with a reference; when the run checked facts, the numbers, names, quotes and dates that the
article does not contain are underlined: :func:`unsupported_spans`, :func:`fact_runs`), then its
references, then the article split into sentences; each summary lists the article sentences it copied
from (:func:`copied_sentences`), which the page marks on demand.
Corpus and summarizer strings stay plain text here: highlighting is a list of ``(text, marked)``
segments and the article a list of ``(text, is_sentence)`` pieces, for the template to escape.

Each document is read in its own language (:attr:`~sumbench.runfolder.DocumentEntry.language`): English
words are lower-cased ``[A-Za-z0-9]+`` runs, its sentences those of :func:`sumbench.text.split_sentences`
and its function words :data:`FUNCTION_WORDS`; any other language takes its tokenizer (Chinese and
Japanese: word segmentation), its sentence splitter and its stopwords-iso list
(:mod:`sumbench.languages`), and each token is found back in the text, so a mark covers the
characters the token came from.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple

import numpy as np

from sumbench.languages import (
    LanguageError,
    canonical_language,
    language_tokenizer,
    sentence_splitter,
    stopwords,
    word_count,
)
from sumbench.runfolder import DocumentEntry, Run
from sumbench.text import split_sentences

from .common import fmt, metric_label

log = logging.getLogger(__name__)

__all__ = [
    "DRILL_DOWN_DOCUMENTS",
    "FUNCTION_WORDS",
    "LEDE_CHARS",
    "anchor_ids",
    "article_sentences",
    "copied_sentences",
    "display_scale",
    "drill_down",
    "drill_down_documents",
    "drill_down_note",
    "fact_runs",
    "fact_settings",
    "function_words",
    "highlight",
    "lede",
    "reference_ngrams",
    "score_label",
    "unsupported_spans",
]

# --- the drill-down's budget -------------------------------------------------------------------
#: How many documents the drill-down of ``report.html`` embeds at most (beyond each system's best and
#: worst): a larger run shows a seeded sample.
DRILL_DOWN_DOCUMENTS = 300


def drill_down_documents(run: Run, budget: int = DRILL_DOWN_DOCUMENTS) -> frozenset[str] | None:
    """The documents the drill-down embeds when the run has more than ``budget``: each system's best and
    worst on the primary metric, and a seeded random sample (the manifest's seed) of the other scored
    documents up to ``budget`` in all. None when every document fits.

    Needs only the scores and the manifest, so it can choose what :func:`~sumbench.runfolder.load_run`
    keeps (its ``keep_documents``) before any text is read.
    """
    from .model import best_worst  # model re-exports this module's names: import it when called

    if budget < 0:
        raise ValueError(f"the drill-down budget should be 0 or more documents, got {budget}")
    scored = run.scores.document_ids()
    if max(run.manifest.corpus.documents, len(scored), run.document_count) <= budget:
        return None
    keep: set[str] = set()
    for extremes in best_worst(run).values():
        keep.update(extremes[kind]["doc_id"] for kind in ("best", "worst"))
    rest = [d for d in scored if d not in keep]
    size = min(max(budget - len(keep), 0), len(rest))
    if size:
        rng = np.random.default_rng(run.manifest.seed % 2**64)
        keep.update(rest[k] for k in rng.choice(len(rest), size=size, replace=False).tolist())
    return frozenset(keep)


def drill_down_note(run: Run) -> str | None:
    """The sentence that says the drill-down shows only some documents (None when it shows them all)."""
    if not run.partial:
        return None
    return (
        f"The drill-down shows {len(run.documents):,} of {run.document_count:,} documents: each system's best "
        "and worst, and a random sample; scores.csv has every document."
    )


# --- anchors ---------------------------------------------------------------------------
def anchor_ids(doc_ids: Iterable[str], prefix: str = "doc-") -> dict[str, str]:
    """A unique, HTML-id and URL-fragment safe anchor per document id.

    Ids made only of ``[A-Za-z0-9_-]`` keep their text (``doc-<id>``); others are
    reduced to those characters and get a short hash of the original id, so two
    different ids never share an anchor.
    """
    out: dict[str, str] = {}
    used: set[str] = set()
    for doc_id in doc_ids:
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", doc_id).strip("-")[:60]
        anchor = prefix + safe
        if safe != doc_id or not safe:
            anchor += ("-" if safe else "") + hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:8]
        base, k = anchor, 2
        while anchor in used:
            anchor, k = f"{base}-{k}", k + 1
        used.add(anchor)
        out[doc_id] = anchor
    return out


# --- highlighting ----------------------------------------------------------------------
_TOKEN = re.compile(r"[A-Za-z0-9]+")


#: Words too common to make a shared word pair worth marking on their own (``in the``, ``to a``).
FUNCTION_WORDS = frozenset(
    """a an and are as at be been but by did do does for from had has have he her his i if in into is it
    its me my no not of on or our s she so t than that the their them then there these they this those to
    us was we were what when which who will with would you your""".split()
)
_SENTENCE_END = re.compile(r"[.!?]")
# other languages: their sentence punctuation too (ellipsis, Arabic, Urdu, Devanagari, Armenian,
# Ethiopic, CJK full stops and their half-/full-width forms)
_ANY_SENTENCE_END = re.compile(r"[.!?…؟۔।॥։።。！？｡]")


class _Tools(NamedTuple):
    """How the drill-down reads one language: tokens, tokens with their character spans, sentences, the
    words whose pairs are not worth marking, and the sentence punctuation."""

    tokens: Callable[[str], list[str]]
    spans: Callable[[str], tuple[list[str], list[tuple[int, int] | None]]]
    sentences: Callable[[str], list[str]]
    function_words: frozenset[str]
    sentence_end: re.Pattern[str]


def _english_tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def _english_spans(text: str) -> tuple[list[str], list[tuple[int, int] | None]]:
    matches = list(_TOKEN.finditer(text))
    return [m.group(0).lower() for m in matches], [m.span() for m in matches]


_ENGLISH = _Tools(_english_tokens, _english_spans, split_sentences, FUNCTION_WORDS, _SENTENCE_END)


@cache
def _tools(language: str) -> _Tools:
    """The :class:`_Tools` of ``language`` (English's for ``"en"``, and, with a warning, for a language
    whose packages are not installed or that the language table does not know: the report still
    renders, with English highlighting)."""
    if language == "en":
        return _ENGLISH
    try:
        code = canonical_language(language)
        if code == "en":
            return _ENGLISH
        tokenize = language_tokenizer(code).tokenize
        return _Tools(
            tokenize,
            lambda text: _locate(text, tokenize(text), code in ("tr", "az")),
            sentence_splitter(code),
            stopwords(code),
            _ANY_SENTENCE_END,
        )
    except LanguageError as exc:  # a missing package (MissingPackageError) or an unknown language
        log.warning("drill-down: %s; %r documents are highlighted as English", exc, language)
        return _ENGLISH


def _folded(text: str, turkish: bool) -> tuple[str, list[tuple[int, int]]]:
    """``text`` NFKC-normalised and lower-cased as the language tokenizers see it, and for each of its
    characters the ``(start, end)`` in ``text`` of the character (with the combining marks that follow
    it) it came from. Each letter or digit is normalised with its combining marks, so compositions
    (``e`` + U+0301 -> ``é``) and expansions (``ﬁ`` -> ``fi``, ``İ`` -> ``i``) keep their offsets."""
    out: list[str] = []
    origin: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while start < n:
        end = start + 1
        if text[start].isalnum():  # a mark after a space or a sign stays on its own (it starts a token)
            while end < n and unicodedata.combining(text[end]):
                end += 1
        piece = text[start:end]
        if not piece.isascii():
            piece = unicodedata.normalize("NFKC", piece)
        if turkish:
            piece = piece.replace("I", "ı").replace("İ", "i")
        piece = piece.lower()
        if "\u0307" in piece:  # "İ".lower() is "i" + COMBINING DOT ABOVE
            piece = piece.replace("i\u0307", "i")
        out.append(piece)
        origin.extend([(start, end)] * len(piece))
        start = end
    return "".join(out), origin


def _locate(text: str, tokens: list[str], turkish: bool = False) -> tuple[list[str], list[tuple[int, int] | None]]:
    """``tokens`` (a language tokenizer's, in reading order) with the ``(start, end)`` character span
    of each in ``text``, found in order in the normalised text (:func:`_folded`); ``None`` for a token
    that cannot be found there (it is never marked)."""
    folded, origin = _folded(text, turkish)
    spans: list[tuple[int, int] | None] = []
    pos = 0
    for token in tokens:
        at = folded.find(token, pos) if token else -1
        if at < 0:
            spans.append(None)
            continue
        pos = at + len(token)
        spans.append((origin[at][0], origin[pos - 1][1]))
    return tokens, spans


def _tokens(text: str, language: str = "en") -> list[str]:
    return _tools(language).tokens(text)


def _ngrams(toks: Sequence[str], n: int = 2) -> set[tuple[str, ...]]:
    return {tuple(toks[k : k + n]) for k in range(len(toks) - n + 1)}


def reference_ngrams(references: Sequence[str], n: int = 2, *, language: str = "en") -> set[tuple[str, ...]]:
    """Every n-gram (default bigram) of the references' words: lower-cased ``[A-Za-z0-9]+`` words for
    English, the tokens of the language's tokenizer otherwise."""
    grams: set[tuple[str, ...]] = set()
    for ref in references:
        grams.update(_ngrams(_tokens(ref, language), n))
    return grams


def function_words(language: str = "en") -> frozenset[str]:
    """The words whose pairs a restrained highlight skips: :data:`FUNCTION_WORDS` for English, the
    language's stop words (stopwords-iso) otherwise."""
    return _tools(language).function_words


def highlight(
    text: str,
    grams: set[tuple[str, ...]],
    n: int = 2,
    *,
    skip_words: frozenset[str] = frozenset(),
    within_sentences: bool = False,
    language: str = "en",
) -> list[tuple[str, bool]]:
    """Split ``text`` into ``(segment, marked)`` pieces, marking every run of words
    that belongs to an n-gram (default bigram) found in ``grams``. Words are those of
    :func:`reference_ngrams` for ``language``; a mark covers the characters of the
    text its words came from. The pieces concatenate back to ``text`` exactly; they
    are raw text, for the template to escape.

    For a restrained highlight: an n-gram made only of ``skip_words`` (``in the``) marks nothing, and
    with ``within_sentences`` neither does one that spans a sentence end (``found . The``)."""
    tools = _tools(language)
    toks, located = tools.spans(text)
    found = [span is not None for span in located]
    spans = [span or (0, 0) for span in located]
    sentence_end = tools.sentence_end
    marked = [False] * len(toks)
    linked = [False] * len(toks)  # token k and k + 1 are in one marked n-gram: one <mark> spans both
    for k in range(len(toks) - n + 1):
        gram = tuple(toks[k : k + n])
        if gram not in grams or (skip_words and all(t in skip_words for t in gram)):
            continue
        if not all(found[k : k + n]):
            continue
        if within_sentences and any(
            sentence_end.search(text, spans[j][1], spans[j + 1][0]) for j in range(k, k + n - 1)
        ):
            continue
        for j in range(k, k + n):
            marked[j] = True
            linked[j] = linked[j] or j < k + n - 1
    segments: list[tuple[str, bool]] = []
    pos = 0
    k = 0
    while k < len(toks):
        if not marked[k]:
            k += 1
            continue
        start = max(spans[k][0], pos)  # tokens of one character (½ -> 1, 2) share its span
        while k + 1 < len(toks) and linked[k]:
            k += 1
        end = spans[k][1]
        k += 1
        if end <= start:
            continue
        if start > pos:
            segments.append((text[pos:start], False))
        segments.append((text[start:end], True))
        pos = end
    if pos < len(text):
        segments.append((text[pos:], False))
    return segments


# --- unsupported facts ---------------------------------------------------------------------------
#: The longest fact text a title quotes, in characters.
FACT_TITLE_CHARS = 80


def fact_settings(run: Run) -> dict[str, Any] | None:
    """How the run checked facts (the suite's ``facts`` metric: ``kinds``, ``lowercase_names``), or None
    when it did not (no ``unsupported_facts`` column)."""
    if "unsupported_facts" not in run.scores.columns:
        return None
    from sumbench.scoring.facts import FACT_KINDS

    settings: dict[str, Any] = {"kinds": tuple(FACT_KINDS), "lowercase_names": False}
    for entry in run.manifest.suite.get("metrics") or ():
        if not hasattr(entry, "get") or entry.get("use") != "facts":
            continue
        params = entry.get("params") or {}
        params = {**params, **{k: v for k, v in entry.items() if k not in ("use", "params")}}
        if params.get("kinds"):
            settings["kinds"] = tuple(str(k) for k in params["kinds"])
        settings["lowercase_names"] = bool(params.get("lowercase_names", False))
    return settings


def unsupported_spans(summary: str, article: Any, settings: Mapping[str, Any]) -> list[tuple[int, int, str]]:
    """``(start, end, title)`` of each stretch of ``summary`` that states a fact the article (its text or a
    :class:`~sumbench.scoring.facts.ArticleFacts`) does not contain (:func:`~sumbench.scoring.facts.check_facts`
    with the run's ``settings``), overlapping facts merged; the title says what each is, e.g.
    ``not in the article: number 3.5 million``."""
    from sumbench.scoring.facts import check_facts

    report = check_facts(
        summary, article, kinds=settings.get("kinds", ()), lowercase_names=bool(settings.get("lowercase_names"))
    )
    spans: list[list[Any]] = []
    for f in sorted(report.unsupported, key=lambda f: (f.start, f.end)):
        if f.end <= f.start:
            continue
        text = " ".join(f.text.split())
        if len(text) > FACT_TITLE_CHARS:
            text = text[: FACT_TITLE_CHARS - 1] + "…"
        what = f"{f.kind} \u201c{text}\u201d" if f.kind == "quote" else f"{f.kind} {text}"
        if spans and f.start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], f.end)
            spans[-1][2].append(what)
        else:
            spans.append([f.start, f.end, [what]])
    return [(a, b, "not in the article: " + "; ".join(whats)) for a, b, whats in spans]


def fact_runs(
    segments: Sequence[tuple[str, bool]], spans: Sequence[tuple[int, int, str]]
) -> list[tuple[str | None, list[tuple[str, bool]]]]:
    """``segments`` (the highlighted summary: ``(text, marked)`` pieces) regrouped into runs that lie
    wholly inside or outside the ``spans`` of :func:`unsupported_spans`: ``(title, pieces)``, ``title``
    None outside. The pieces still concatenate back to the summary."""
    cuts = sorted({k for a, b, _ in spans for k in (a, b)})
    runs: list[tuple[str | None, list[tuple[str, bool]]]] = []
    last: int | None = -1  # the span of the last run (None: outside every span; -1: no run yet)
    pos = 0
    for text, marked in segments:
        end = pos + len(text)
        bounds = [pos, *(c for c in cuts if pos < c < end), end]
        for a, b in itertools.pairwise(bounds):
            inside = next((k for k, (s, e, _) in enumerate(spans) if s <= a and b <= e), None)
            piece = (text[a - pos : b - pos], marked)
            if runs and inside == last:
                runs[-1][1].append(piece)
            else:
                runs.append((spans[inside][2] if inside is not None else None, [piece]))
                last = inside
        pos = end
    return runs


# --- article sentences, and which of them a summary copied -------------------------------------
def article_sentences(text: str, *, language: str = "en") -> list[tuple[str, bool]]:
    """``text`` as ``(piece, is_sentence)``: the sentences of the language's splitter (the toolkit's for
    English) and the whitespace between them. The pieces concatenate back to ``text`` exactly; sentence
    ``k`` is the ``k``-th piece with ``is_sentence`` true."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for sentence in _tools(language).sentences(text):
        start = text.find(sentence, pos)
        if start < 0:  # cannot happen (the splitter returns substrings in order); keep the text whole
            return [(text, False)] if text else []
        if start > pos:
            pieces.append((text[pos:start], False))
        pieces.append((sentence, True))
        pos = start + len(sentence)
    if pos < len(text):
        pieces.append((text[pos:], False))
    return pieces


#: A summary sentence copied from an article sentence shares at least this share of its word pairs with
#: it, or of the article sentence's.
COPIED_SHARE = 0.5


def _content_ngrams(text: str, language: str = "en") -> set[tuple[str, ...]]:
    skip = function_words(language)
    return {g for g in _ngrams(_tokens(text, language)) if not all(t in skip for t in g)}


def copied_sentences(article: Sequence[str], summary: str, *, language: str = "en") -> list[int]:
    """Indices of the ``article`` sentences that ``summary`` copied from. A summary sentence copied from
    an article sentence when they share at least :data:`COPIED_SHARE` of the summary sentence's word
    pairs (bigrams; pairs of function words such as ``in the`` do not count), or of the article
    sentence's (at least 3): an extracted sentence, a sentence cut down, or one fused from two. A
    paraphrase marks nothing. Words, function words and the summary's sentences are ``language``'s."""
    grams = [_content_ngrams(s, language) for s in article]
    out: set[int] = set()
    for sentence in _tools(language).sentences(summary):
        own = _content_ngrams(sentence, language)
        if not own:
            continue
        for k, g in enumerate(grams):
            shared = len(own & g)
            if shared >= 2 and (shared >= COPIED_SHARE * len(own) or (shared >= 3 and shared >= COPIED_SHARE * len(g))):
                out.add(k)
    return sorted(out)


# --- titles ------------------------------------------------------------------------------------
#: The longest lede shown as a document's title, in characters (a word boundary and an ellipsis before).
LEDE_CHARS = 100


def lede(text: str, limit: int = LEDE_CHARS, *, language: str = "en") -> str:
    """The article's first sentence (``language``'s splitter), cut at a word boundary to at most ``limit``
    characters (``…`` added): a document's title when the corpus has none (CNN/DailyMail ids are hashes)."""
    sentences = _tools(language).sentences(text)
    first = " ".join(sentences[0].split()) if sentences else ""
    if len(first) <= limit:
        return first
    cut = first[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def display_scale(metric: str) -> float:
    """What a value of ``metric`` is multiplied by when shown (100 for ROUGE, 1 for word counts): the
    sort keys of the page are in the units its numbers are shown in."""
    shown = fmt(metric, 1.0).rstrip("%x")
    try:
        return float(shown)
    except ValueError:
        return 1.0


# --- the drill-down's documents ------------------------------------------------------------------
def _card(run: Run, doc: DocumentEntry, system: str, index: int, ctx: Mapping[str, Any]) -> dict[str, Any]:
    pm: str | None = ctx["pm"]
    row = ctx["row_of"].get((doc.id, system))
    column, words_column = ctx["score_column"], ctx["words_column"]
    score = float(column[row]) if row is not None and column is not None else math.nan
    summary = run.summary(doc.id, system)
    language = doc.language
    segments = (
        highlight(
            summary.text, ctx["grams"], skip_words=function_words(language), within_sentences=True, language=language
        )
        if summary
        else None
    )
    facts = None
    if segments is not None and summary is not None and ctx["facts"] is not None:
        spans = unsupported_spans(summary.text, ctx["article_facts"], ctx["facts"])
        facts = {"runs": fact_runs(segments, spans), "unsupported": len(spans)}
    return {
        "system": system,
        "index": index,
        "segments": segments,
        "facts": facts,
        "sources": copied_sentences(ctx["sentences"], summary.text, language=language) if summary else [],
        "cached": bool(summary and summary.cached),
        "score": score,
        "sort": f"{score * ctx['scale']:.4f}" if math.isfinite(score) else "",
        "score_text": fmt(pm, score) if pm else "–",
        "words": float(words_column[row]) if row is not None and words_column is not None else None,
        "failure": ctx["failed"].get((doc.id, system)),
    }


def drill_down(run: Run, anchors: Mapping[str, str], systems: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The documents of the drill-down (every document the run holds the text of), in corpus order.

    ``systems``: the order of each document's summary cards (the leaderboard's); the run's systems
    not in it follow. Each document: ``id``, ``anchor``, ``title`` (the corpus title, or the lede
    when it has none; ``lede`` says which), ``search``, ``article`` (``(piece, is_sentence)``),
    ``article_words``, ``references`` (plain strings), ``cards``, ``top`` (the card with the best score),
    ``n_failed`` and ``facts_checked`` (whether the run checked facts). Each card: ``system``, ``index``
    (its place in ``systems``), ``segments``
    (``(text, marked)``, None without a summary), ``facts`` (None unless the run checked facts: ``runs``,
    the segments regrouped by :func:`fact_runs`, and ``unsupported``, how many stretches are underlined),
    ``sources`` (the article sentences it copied from),
    ``score``, ``sort`` (the score in shown units, for the page's sorting), ``score_text``, ``words``,
    ``cached`` and ``failure``.
    """
    order = list(dict.fromkeys([*(systems or ()), *run.systems]))
    pm = run.primary_metric
    shown = {d.id for d in run.documents}
    ctx: dict[str, Any] = {
        "pm": pm,
        "scale": display_scale(pm) if pm else 1.0,
        "row_of": {(d, s): k for k, (d, s) in enumerate(zip(run.scores.doc_ids, run.scores.systems)) if d in shown},
        "score_column": run.scores.columns.get(pm) if pm else None,
        "words_column": run.scores.columns.get("words"),
        "failed": {(f.doc_id, f.system): f for f in run.failures},
        "facts": fact_settings(run),
    }
    docs = []
    for d in run.documents:
        if ctx["facts"] is not None:
            from sumbench.scoring.facts import ArticleFacts

            ctx["article_facts"] = ArticleFacts(d.text)  # analysed once for every summary of the document
        pieces = article_sentences(d.text, language=d.language)
        ctx["grams"] = reference_ngrams(d.references, language=d.language)
        ctx["sentences"] = [p for p, is_sentence in pieces if is_sentence]
        cards = [_card(run, d, s, k, ctx) for k, s in enumerate(order)]
        finite = [c for c in cards if math.isfinite(c["score"])]
        title = d.title.strip() if d.title and d.title.strip() else None
        shown_title = title or lede(d.text, language=d.language)
        docs.append(
            {
                "id": d.id,
                "anchor": anchors[d.id],
                "title": shown_title,
                "lede": title is None,
                "search": f"{d.id} {shown_title}".lower(),
                "article": pieces,
                "article_words": word_count(d.text, d.language),
                "references": list(d.references),
                "cards": cards,
                "top": max(finite, key=lambda c: c["score"]) if finite else None,
                "n_failed": sum(1 for c in cards if c["failure"]),
                "facts_checked": ctx["facts"] is not None,
            }
        )
    return docs


def score_label(run: Run) -> str:
    """How a card's score is labelled (``ROUGE-2 F``)."""
    return metric_label(run.primary_metric) if run.primary_metric else "score"
