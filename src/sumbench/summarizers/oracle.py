"""Greedy extractive oracle: the upper bound that sentence extraction can reach on a document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from sumbench.languages import canonical_language, language_stemmer, language_tokenizer, word_count
from sumbench.records import Document
from sumbench.scoring._rouge_core import rs_tokenize
from sumbench.summarizers.base import ExtractiveSummarizer

# Tokens are ROUGE's own, so the oracle optimises what is scored: for English rouge-score's tokenizer
# and Porter stemmer; for any other language the tokens ROUGE takes for a document in that language
# (sumbench.scoring.metrics.LanguageTokens: the language's tokenizer, then its Snowball stemmer).


def rouge_tokens(language: str, stem: bool) -> Callable[[str], tuple[str, ...]]:
    """The tokens ROUGE scores a text of ``language`` with (stemmed when ``stem``), as a function."""
    code = "en" if language == "en" else canonical_language(language)
    if code == "en":
        return lambda text: rs_tokenize(text, stem)
    tokenize = language_tokenizer(code).tokenize
    stemmer = language_stemmer(code) if stem else None
    if stemmer is None:
        return lambda text: tuple(tokenize(text))
    return lambda text: tuple(map(stemmer, tokenize(text)))


def _ngrams(tokens: tuple[str, ...], n: int) -> Counter:
    return Counter(zip(*(tokens[i:] for i in range(n))))


def _f1(overlap: int, produced: int, wanted: int) -> float:
    if overlap == 0:
        return 0.0
    precision, recall = overlap / produced, overlap / wanted
    return 2 * precision * recall / (precision + recall)


class Oracle(ExtractiveSummarizer):
    """Greedy oracle (Nallapati et al. 2017): adds the sentence that most raises mean ROUGE-1/2 F
    (best reference) until no sentence helps or the budget is spent; never below lead.

    Each pick scores every remaining sentence against the references: memory is linear in the
    article and time linear per pick, so documents of any size take the same (exact) path (a 1 MB
    article, ~8,000 sentences, takes a few seconds for 3 sentences).

    ROUGE is computed with the tokens the run's ROUGE takes for the document's language (its tokenizer
    and, with ``use_stemmer``, its stemmer: Porter for English, Snowball for most others, none for
    Chinese and Japanese), and a word budget counts words in that language.
    """

    version = "2"
    role = "upper-bound"  # see sumbench.records.ROLES

    def __init__(
        self,
        k: int | None = None,
        max_words: int | None = None,
        ratio: float | None = None,
        use_stemmer: bool = True,
    ):
        self.k = k
        self.max_words = max_words
        self.ratio = ratio
        self.use_stemmer = use_stemmer

    def rank(self, doc: Document) -> list[int]:
        """The chosen sentences, in the order the search added them."""
        orders = (1, 2)
        tokens = rouge_tokens(doc.language, self.use_stemmer)
        sentence_grams = [{n: _ngrams(tokens(s), n) for n in orders} for s in doc.sentences]
        reference_grams = [{n: _ngrams(tokens(r), n) for n in orders} for r in doc.references]
        budget = self.budget()
        word_limit = budget.word_limit(doc)
        lengths = [word_count(s, doc.language) for s in doc.sentences] if word_limit is not None else []
        max_sentences = (budget.k or 3) if word_limit is None else len(doc.sentences)
        chosen: list[int] = []
        current: dict[int, Counter[tuple[str, ...]]] = {n: Counter() for n in orders}
        best_score, words_used = 0.0, 0
        while len(chosen) < max_sentences:
            best_index: int | None = None
            for index, grams in enumerate(sentence_grams):
                if index in chosen:
                    continue
                if word_limit is not None and words_used + lengths[index] > word_limit:
                    continue
                score = _objective({n: current[n] + grams[n] for n in orders}, reference_grams)
                if score > best_score:
                    best_index, best_score = index, score
            if best_index is None:
                break
            chosen.append(best_index)
            if word_limit is not None:
                words_used += lengths[best_index]
            current = {n: current[n] + sentence_grams[best_index][n] for n in orders}
        # Greedy search is not optimal: never return less than the lead under the same budget.
        lead = budget.select(list(range(len(doc.sentences))), doc)
        lead_grams = {n: sum((sentence_grams[i][n] for i in lead), Counter()) for n in orders}
        if not chosen or _objective(lead_grams, reference_grams) > best_score:
            return lead
        return chosen


def _objective(candidate: dict[int, Counter], references: list[dict[int, Counter]]) -> float:
    """Mean of ROUGE-1 and ROUGE-2 F against the best-matching reference (multi-reference = max)."""
    best = 0.0
    for reference in references:
        total = 0.0
        for n, wanted in reference.items():
            produced = candidate[n]
            overlap = sum((produced & wanted).values())
            total += _f1(overlap, sum(produced.values()), sum(wanted.values()))
        best = max(best, total / len(reference))
    return best
