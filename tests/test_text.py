"""The text pipeline at ground level (:mod:`sumbench.text`): its place in the import graph, its version
tied to its output, and the plain tokenizer."""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path

import sumbench
from sumbench.scoring._rouge_core import rs_tokenize
from sumbench.summarizers import _text as classic
from sumbench.text import TEXT_PIPELINE_VERSION, split_sentences, text_pipeline_signature, tokenize, words

PACKAGE = Path(sumbench.__file__).resolve().parent

# --------------------------------------------------------------------------------------------------
# import graph
# --------------------------------------------------------------------------------------------------


def _imports(path: Path) -> list[tuple[str, tuple[str, ...], bool]]:
    """``(module, names, lazy)`` for every import in ``path``: the absolute module imported from
    (relative imports resolved), the names taken from it and whether it sits inside a function."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.rpartition(".")[0] if path.name != "__init__.py" else module
    found: list[tuple[str, tuple[str, ...], bool]] = []

    def visit(node: ast.AST, lazy: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend((alias.name, (), lazy) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = package.rsplit(".", child.level - 1)[0] if child.level > 1 else package
                    base = f"{parent}.{base}" if base else parent
                names = tuple(alias.name for alias in child.names)
                found.append((base, names, lazy))
                found.extend((f"{base}.{name}", (), lazy) for name in names)  # from sumbench import corpora
            visit(child, lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), False)
    return found


def _modules_under(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (PACKAGE / folder).rglob("*.py"))


def test_scoring_and_summarizers_never_import_corpora_at_module_level():
    modules = _modules_under("scoring", "summarizers")
    assert len(modules) > 10
    eager = [
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in modules
        for module, _, lazy in _imports(path)
        if not lazy and (module == "sumbench.corpora" or module.startswith("sumbench.corpora."))
    ]
    assert not eager, "scoring/ and summarizers/ take text functions from sumbench.text, not sumbench.corpora"


def test_only_the_two_data_loading_summarizers_import_corpora_and_only_its_loaders():
    uses = {
        (str(path.relative_to(PACKAGE)), names)
        for path in _modules_under("scoring", "summarizers")
        for module, names, _ in _imports(path)
        if module == "sumbench.corpora"
    }
    assert uses == {
        ("summarizers/precomputed.py", ("load_system_outputs",)),
        ("summarizers/supervised.py", ("load_corpus",)),
    }


def test_text_module_imports_nothing_from_sumbench():
    imported = [module for module, _, _ in _imports(PACKAGE / "text.py")]
    assert imported and not [m for m in imported if m == "sumbench" or m.startswith("sumbench.")]


# --------------------------------------------------------------------------------------------------
# the text pipeline's version is tied to its output
# --------------------------------------------------------------------------------------------------

#: Awkward news text: abbreviations, initials and acronyms, straight and curly quotes, PTB tokens,
#: numbers and decimals, unicode letters, dashes and currency, newlines and blank lines.
SAMPLE = (
    'Mr. Smith met Gen. Allen and Dr. J. K. Rowling in Washington, D.C. on Jan. 5. He said: "It\'s done." '
    "The U.S. economy grew 3.5 percent, e.g. in retail. Then the U.N. Security Council voted 12-3!",
    "Townsend was a sub in Tottenham 's 0-0 draw . He could n't score . `` It 's fine . '' -LRB- AP -RRB- "
    "The club -lrb- Spurs -rrb- paid # 1.2 m ?",
    "Prices rose 1,000% in 2008-09, vs. 4.5% in No. 10's forecast.\n\nAmazon.com shares hit $1.2bn at "
    "12:30 p.m. Why? Nobody knows?! “We are running studies,” said O’Neill. ‘Generalizations won’t help.’",
    "Café owners in Zürich and São Paulo — naïve or not — paid €5m (£4.3m). İstanbul’s mayor ÉLYSÉE "
    "visited 北京 on 3½ days' notice. Ünal said “no.” The end.",
    "",
    "  \n ",
)


def _terms(sentences: list[str], stop_words: str | None, stemming: bool) -> dict[str, list]:
    terms = classic.analyze(sentences, stop_words, stemming)
    return {
        "vocabulary": list(terms.vocabulary),
        "counts": terms.counts.tolist(),
        "token_terms": terms.token_terms.tolist(),
        "token_sentences": terms.token_sentences.tolist(),
    }


def pipeline_output(texts: tuple[str, ...] = SAMPLE) -> list[dict[str, object]]:
    """Everything the text pipeline makes of ``texts``: sentences, words, plain tokens, ROUGE tokens
    (stemmed and not) and the classic summarizers' tokens and sentence terms (stop words and
    stemming on and off; the one-pass and the per-sentence path of :func:`analyze`)."""
    out: list[dict[str, object]] = []
    for text in texts:
        sentences = split_sentences(text)
        out.append(
            {
                "sentences": sentences,
                "words": words(text),
                "tokens": tokenize(text),
                "rouge": rs_tokenize(text, False),
                "rouge_stemmed": rs_tokenize(text, True),
                "classic_tokens": classic.tokenize(text),
                "terms": {
                    f"{stop_words}-{stemming}": _terms(sentences, stop_words, stemming)
                    for stop_words in ("english", None)
                    for stemming in (False, True)
                },
                "terms_of_pieces": _terms(text.split(". "), "english", True),  # pieces may hold newlines
            }
        )
    return out


#: TEXT_PIPELINE_VERSION -> SHA-256 of :func:`pipeline_output`. Add one entry per version; never edit one.
RECORDED = {
    "1": "3798461a21dfe74683d0cd10dc7566868dafa9f3b14916a6b6cb8dd2dab8a91a",
}


def test_text_pipeline_version_is_tied_to_its_output():
    digest = hashlib.sha256(json.dumps(pipeline_output(), sort_keys=True).encode("utf-8")).hexdigest()
    assert {TEXT_PIPELINE_VERSION: digest} == {TEXT_PIPELINE_VERSION: RECORDED.get(TEXT_PIPELINE_VERSION)}, (
        "the text pipeline's output changed: bump sumbench.text.TEXT_PIPELINE_VERSION (cached summaries "
        f"would be stale) and record the new hash here: {TEXT_PIPELINE_VERSION!r} -> {digest!r}"
    )


def test_recorded_versions_have_distinct_outputs():
    assert len(set(RECORDED.values())) == len(RECORDED)
    assert text_pipeline_signature() == f"text-pipeline {TEXT_PIPELINE_VERSION}"


# --------------------------------------------------------------------------------------------------
# words and the plain tokenizer
# --------------------------------------------------------------------------------------------------


def test_words_are_whitespace_separated():
    assert words(" It 's  3.5%\nof  U.S.\tGDP ") == ["It", "'s", "3.5%", "of", "U.S.", "GDP"]
    assert words("") == []


def test_tokenize_is_lowercase_alnum():
    assert tokenize("Hello, World! It's 2024 -- café") == ["hello", "world", "it", "s", "2024", "caf"]
    assert tokenize("The U.S. grew 3.5%") == ["the", "u", "s", "grew", "3", "5"]
    assert tokenize("") == []


def test_extractiveness_uses_the_one_tokenizer():
    from sumbench.scoring import extractiveness

    assert extractiveness.tokenize is tokenize
