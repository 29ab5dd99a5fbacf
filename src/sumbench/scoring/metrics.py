"""Per-document scoring: every metric's values for every (document, system) pair, and the built-in
metrics (ROUGE, lengths, extractiveness) written against :class:`sumbench.scoring.base.Metric`.

Scoring is kept apart from aggregation: the rows made here are written to ``scores.csv`` and the
statistics resample them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sumbench.languages import (
    canonical_language,
    counts_tokens_as_words,
    language_stemmer,
    language_tokenizer,
    sentence_splitter,
    word_count,
)
from sumbench.languages import signature as language_signature
from sumbench.records import Document, DocumentScores, Failure, Summary
from sumbench.scoring._rouge_core import nltk_stem
from sumbench.scoring.base import Metric, MetricItem, MetricResult
from sumbench.scoring.extractiveness import EXTRACTIVENESS_COLUMNS, Article, extractiveness
from sumbench.scoring.lengths import LENGTH_COLUMNS, DocumentLengths, length_stats
from sumbench.scoring.quality import answer_kind
from sumbench.scoring.rouge import RougeScorer, truncate_text


def rouge_columns(rouge_types: Sequence[str]) -> list[str]:
    """``rouge1_p, rouge1_r, rouge1_f, ...`` in the suite's order."""
    return [f"{t}_{part}" for t in rouge_types for part in ("p", "r", "f")]


#: Suffix of the length-matched ROUGE F columns (``rouge2_f_lm``): see :func:`length_matched_columns`.
LENGTH_MATCHED_SUFFIX = "_lm"


def length_matched_columns(rouge_types: Sequence[str]) -> list[str]:
    """``rouge1_f_lm, ...``: ROUGE F of each summary cut, as ROUGE-1.5.5's ``-l N`` cuts, to N = its
    document's mean reference length in whitespace words (rounded; a shorter summary is unchanged)."""
    return [f"{t}_f{LENGTH_MATCHED_SUFFIX}" for t in rouge_types]


#: The accounting columns of a run with an LLM summarizer: tokens, latency and cost of each summary as
#: its Generation reported them (empty for summarizers that report none), and ``answered``: 1 for an
#: answer, 0 for a refusal, an empty or a cut-off answer (:func:`sumbench.scoring.quality.answer_kind`).
ACCOUNTING_COLUMNS = ("prompt_tokens", "completion_tokens", "latency_s", "cost_usd", "answered")


def accounting_values(summary: Summary) -> dict[str, float]:
    """The :data:`ACCOUNTING_COLUMNS` of one summary (NaN where its summarizer reported nothing)."""
    meta = summary.meta
    values = {name: float(meta[name]) if meta.get(name) is not None else math.nan for name in ACCOUNTING_COLUMNS[:4]}
    values["answered"] = 1.0 if answer_kind(summary.text, meta.get("finish_reason")) == "answer" else 0.0
    return values


def reference_length(doc: Document | Sequence[str]) -> int:
    """The length a length-matched summary is cut to: the mean whitespace word count of the document's
    references (a document, or its references), rounded (at least 1)."""
    references = doc.references if isinstance(doc, Document) else doc
    counts = [len(r.split()) for r in references]
    return max(1, round(sum(counts) / len(counts))) if counts else 1


# --------------------------------------------------------------------------------------------------
# The built-in metrics (entry-point group ``sumbench.metrics``: rouge, lengths, extractiveness)
# --------------------------------------------------------------------------------------------------
class Rouge:
    """ROUGE F, precision and recall of each summary against its references, by sumbench's own engine
    (:class:`~sumbench.scoring.rouge.RougeScorer`; the parameters are its settings, see ``[scoring]``).

    ``length_matched`` adds the :func:`length_matched_columns`: ROUGE F of the summary cut, as Perl's
    ``-l`` cuts, to its document's :func:`reference_length` (the raw columns are unchanged)."""

    version = "1"

    def __init__(
        self,
        rouge_types: Sequence[str] = ("rouge1", "rouge2", "rougeL", "rougeLsum"),
        use_stemmer: bool = True,
        multiref: str | None = None,
        lsum_split: str = "splitter",
        compat: str = "rouge-score",
        max_words: int | None = None,
        max_bytes: int | None = None,
        length_matched: bool = False,
        w_weight: float = 1.2,
        language: str | None = None,
        tokenizer: str | None = None,
    ) -> None:
        self.rouge_types = rouge_types
        self.use_stemmer = use_stemmer
        self.multiref = multiref
        self.lsum_split = lsum_split
        self.compat = compat
        self.max_words = max_words
        self.max_bytes = max_bytes
        self.length_matched = length_matched
        self.w_weight = w_weight
        self.language = language
        self.tokenizer = tokenizer

    @property
    def scorer(self) -> RougeScorer:
        """The engine with these settings, built on first use (a bad setting raises ValueError)."""
        built = self.__dict__.get("_scorer")
        if built is None:
            built = RougeScorer(
                list(self.rouge_types),
                use_stemmer=self.use_stemmer,
                compat=self.compat,
                lsum_split=self.lsum_split,
                multiref=self.multiref,
                max_words=self.max_words,
                max_bytes=self.max_bytes,
                w_weight=self.w_weight,
            )
            self.__dict__["_scorer"] = built
        return built

    def scorer_for(self, language: str = "en") -> RougeScorer:
        """The engine for documents in ``language`` (the ``language`` parameter, when set, wins): the
        default engine for English with the rouge-score tokenizer (unchanged numbers), else one whose
        tokenizer is the language's (or ``tokenizer``), stemmed by its Snowball stemmer when
        ``use_stemmer`` (Porter for English), with its sentence splitter for Lsum; built once each."""
        lang = canonical_language(self.language or language)
        if lang == "en" and self.tokenizer in (None, "rouge-score"):
            return self.scorer
        if self.compat == "perl":
            raise ValueError(
                f'compat = "perl" is English-only (ROUGE-1.5.5 keeps only a-z and 0-9); this document is '
                f"{lang!r}{'' if self.tokenizer is None else f' with tokenizer {self.tokenizer!r}'}"
            )
        built: dict[str, RougeScorer] = self.__dict__.setdefault("_by_language", {})
        scorer = built.get(lang)
        if scorer is None:
            scorer = built[lang] = RougeScorer(
                list(self.rouge_types),
                tokenizer=LanguageTokens(lang, self.tokenizer, self.use_stemmer),
                compat=self.compat,
                lsum_split=self.lsum_split,
                multiref=self.multiref,
                max_words=self.max_words,
                max_bytes=self.max_bytes,
                w_weight=self.w_weight,
                sentence_splitter=sentence_splitter(lang),
            )
        return scorer

    def validate(self) -> None:
        self.scorer  # noqa: B018 - building it checks every setting
        if self.language is not None or self.tokenizer is not None:
            self.scorer_for(self.language or "en")

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("_scorer", "_by_language")}

    @property
    def columns(self) -> tuple[str, ...]:
        types = self.scorer.rouge_types
        return (*rouge_columns(types), *(length_matched_columns(types) if self.length_matched else ()))

    def signature(self) -> str:
        if self.language is not None:
            signature = self.scorer_for(self.language).signature()
        elif self.tokenizer in (None, "rouge-score"):
            # English documents as always; any other document language by its recommended tools
            signature = self.scorer.signature() + "|lang=per-document(en: as shown; others: recommended)"
        else:
            signature = self.scorer.signature() + f"|lang=per-document|tok={self.tokenizer}"
        if self.length_matched:
            signature += "|length-matched:-l=mean reference words"
        return signature

    def score_batch(self, items: Sequence[MetricItem]) -> list[MetricResult]:
        by_language: dict[str, list[int]] = {}
        for i, item in enumerate(items):
            by_language.setdefault(self.language or item.language, []).append(i)
        if len(by_language) == 1:
            return self._score_language(next(iter(by_language)), items)
        out: list[MetricResult] = [ValueError("not scored")] * len(items)
        for language, indices in by_language.items():
            for i, result in zip(indices, self._score_language(language, [items[i] for i in indices])):
                out[i] = result
        return out

    def _score_language(self, language: str, items: Sequence[MetricItem]) -> list[MetricResult]:
        try:
            scorer = self.scorer_for(language)
        except ValueError as exc:
            return [exc for _ in items]
        if self.length_matched and language != "en" and counts_tokens_as_words(language):
            problem = ValueError(f"length_matched cuts at whitespace words; {language!r} is written without spaces")
            return [problem for _ in items]
        targets = [list(item.references) for item in items]
        results = _rouge_batch(scorer, targets, [item.summary for item in items])
        if self.length_matched:
            cut = [truncate_text(item.summary, max_words=reference_length(item.references)) for item in items]
            matched = _rouge_batch(scorer, targets, cut)
            out: list[MetricResult] = []
            for raw, extra in zip(results, matched):
                if isinstance(raw, Exception) or isinstance(extra, Exception):
                    out.append(raw if isinstance(raw, Exception) else extra)
                else:
                    values = dict(raw)
                    values.update(
                        {f"{k[: -len('_f')]}_f{LENGTH_MATCHED_SUFFIX}": v for k, v in extra.items() if k.endswith("_f")}
                    )
                    out.append(values)
            return out
        return list(results)


def _rouge_batch(scorer: RougeScorer, targets: list[list[str]], predictions: list[str]) -> list[MetricResult]:
    """One ROUGE batch as column values; when the batch raises, each pair alone (to find the bad ones)."""
    try:
        results: list[dict[str, Any] | Exception] = list(scorer.score_batch(targets, predictions))
    except Exception:  # noqa: BLE001 - find which pairs fail, score the rest
        results = []
        for target, prediction in zip(targets, predictions):
            try:
                results.append(scorer.score_multi(target, prediction))
            except Exception as exc:  # noqa: BLE001 - recorded per document
                results.append(exc)
    return [r if isinstance(r, Exception) else _rouge_values(r) for r in results]


def _rouge_values(result: dict[str, Any]) -> dict[str, float]:
    values: dict[str, float] = {}
    for rouge_type, score in result.items():
        values[f"{rouge_type}_p"] = float(score.precision)
        values[f"{rouge_type}_r"] = float(score.recall)
        values[f"{rouge_type}_f"] = float(score.fmeasure)
    return values


class LanguageTokens:
    """ROUGE's tokenizer for one language: its tokenizer (:func:`sumbench.languages.language_tokenizer`)
    and, when ``stem``, its Snowball stemmer (English: rouge-score's Porter rule, tokens over 3 chars).
    ``signature`` names all of it for the ROUGE signature."""

    def __init__(self, language: str, tokenizer: str | None = None, stem: bool = True) -> None:
        self.language = language
        self.tokenizer = tokenizer
        self.stem = stem

    def tokenize(self, text: str) -> list[str]:
        tokens = language_tokenizer(self.language, self.tokenizer).tokenize(text)
        if not self.stem:
            return tokens
        if self.language == "en":
            return [t for t in map(nltk_stem, tokens) if t]
        stemmer = language_stemmer(self.language)
        return tokens if stemmer is None else [stemmer(t) for t in tokens]

    @property
    def signature(self) -> str:
        return language_signature(self.language, self.tokenizer, stemming=self.stem)


class Lengths:
    """Length statistics of each summary: ``words``, ``sentences``, ``compression`` (article words per
    summary word) and ``ref_ratio`` (summary words / mean reference words); see :mod:`.lengths`."""

    version = "1"
    columns = LENGTH_COLUMNS

    def signature(self) -> str:
        return f"lengths|words=whitespace (zh, ja: tokens)|sentences=the document language's splitter|v{self.version}"

    def score_batch(self, items: Sequence[MetricItem]) -> list[MetricResult]:
        per_doc: dict[str, DocumentLengths] = {}
        out: list[MetricResult] = []
        for item in items:
            lengths = per_doc.get(item.doc_id)
            lang = item.language
            if lengths is None:
                refs = item.references
                lengths = per_doc[item.doc_id] = DocumentLengths(
                    word_count(item.article, lang), sum(word_count(r, lang) for r in refs) / max(1, len(refs))
                )
            out.append(length_stats(lengths, item.summary, lang))
        return out


class Extractiveness:
    """How much of each summary is copied from its article: coverage, density, novel N-grams and
    redundancy (Grusky et al., 2018; see :mod:`.extractiveness`). Each article is analysed once per batch."""

    version = "1"
    columns = EXTRACTIVENESS_COLUMNS

    def signature(self) -> str:
        return f"extractiveness|tok=text.tokenize (other languages: their tokenizer)|v{self.version}"

    def score_batch(self, items: Sequence[MetricItem]) -> list[MetricResult]:
        articles: dict[str, Article] = {}
        out: list[MetricResult] = []
        for item in items:
            article = articles.get(item.doc_id)
            if article is None:
                if item.language == "en":
                    article = Article(item.article)
                else:
                    article = Article(item.article, language_tokenizer(item.language).tokenize)
                articles[item.doc_id] = article
            out.append(extractiveness(article, item.summary))
        return out


def standard_metrics(rouge: Rouge | None = None) -> list[Metric]:
    """The metrics every run scores: ROUGE (default settings unless given), lengths, extractiveness."""
    return [rouge or Rouge(), Lengths(), Extractiveness()]


# --------------------------------------------------------------------------------------------------
# Scoring a batch of summaries with a suite's metrics
# --------------------------------------------------------------------------------------------------
def _metric_results(metric: Metric, items: Sequence[MetricItem]) -> list[MetricResult]:
    """``metric`` over ``items``: its batch, or when the batch raises (or answers the wrong number of
    results) each item alone, so one bad summary fails only its own pair."""
    try:
        results = list(metric.score_batch(items))
        if len(results) == len(items):
            return results
    except Exception:  # noqa: BLE001 - find which items fail, score the rest
        pass
    out: list[MetricResult] = []
    for item in items:
        try:
            got = list(metric.score_batch([item]))
            if len(got) != 1:
                raise ValueError(f"score_batch returned {len(got)} results for 1 summary")
            out.append(got[0])
        except Exception as exc:  # noqa: BLE001 - recorded per document
            out.append(exc)
    return out


def metric_name(metric: Metric) -> str:
    """How errors name a metric: its class name."""
    return type(metric).__name__


def score_summaries(
    documents: dict[str, Document],
    summaries: Sequence[Summary],
    metrics: Sequence[Metric],
    accounting: bool = False,
) -> tuple[list[DocumentScores], list[Failure]]:
    """Score all summaries with every metric, one batch per metric; a pair that a metric cannot score
    becomes a failure naming the metric (one bad pair never stops the run). ``accounting`` adds the
    :data:`ACCOUNTING_COLUMNS` from each summary's ``meta``.

    Rows and failures follow the order of ``summaries``; each row's values follow the metrics' order
    and each metric's declared columns (a column it leaves out is NaN)."""
    items = []
    for s in summaries:
        doc = documents[s.doc_id]
        items.append(MetricItem(s.doc_id, s.system, s.text, tuple(doc.references), doc.text, doc.language))
    values: list[dict[str, float]] = [{} for _ in summaries]
    errors: list[str | None] = [None] * len(summaries)
    for metric in metrics:
        columns = tuple(metric.columns)
        for i, result in enumerate(_metric_results(metric, items)):
            if errors[i] is not None:
                continue
            if isinstance(result, Exception):
                errors[i] = f"{metric_name(metric)}: {type(result).__name__}: {result}"
                continue
            row = values[i]
            for column in columns:
                got = result.get(column)
                row[column] = math.nan if got is None else float(got)
    rows: list[DocumentScores] = []
    failures: list[Failure] = []
    for i, summary in enumerate(summaries):
        error = errors[i]
        if error is None and accounting:
            try:
                values[i].update(accounting_values(summary))
            except Exception as exc:  # noqa: BLE001 - one bad pair never stops the run
                error = f"accounting: {type(exc).__name__}: {exc}"
        if error is not None:
            failures.append(Failure(summary.doc_id, summary.system, "score", error))
        else:
            rows.append(DocumentScores(summary.doc_id, summary.system, values[i]))
    return rows, failures
