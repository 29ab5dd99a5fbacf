"""No silent zeros: the bundled multilingual sample scores right with each language's settings.

An identical summary scores 1.0 in each of the sample's 8 languages with the recommended settings;
with the English default the rouge-score tokenizer keeps a few digits of Chinese, Japanese, Russian,
Arabic and Hindi text (identical summaries score 0) and a run says so; English numbers are those of the
engine before languages existed; German umlauts and ß are letters; ``compat = "perl"`` and unknown codes
fail in one line; ``benchmarks/multilingual.toml`` runs and scores every language above 0.

Everything reads the bundled ``datasets/multilingual.jsonl.gz`` (card: ``datasets/multilingual.md``).
Tests of other languages than English skip, with the reason, when the ``languages`` extra is missing.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from sumbench.corpora import bundled_corpora, load_corpus
from sumbench.errors import SuiteError
from sumbench.languages import TokenizerCoverage, dropped_letter_share, language_tokenizer
from sumbench.runner import run_suite
from sumbench.scoring.base import MetricItem
from sumbench.scoring.metrics import Rouge
from sumbench.scoring.rouge import RougeScorer
from sumbench.suite import load_suite, parse_suite, resolve_suite, with_overrides
from sumbench.text import tokenize

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "benchmarks" / "multilingual.toml"
SYSTEM_OUTPUTS = REPO / "datasets" / "system_outputs" / "cnndm-summeval-systems.jsonl.gz"

#: The bundled sample: documents per language (datasets/multilingual.md).
COUNTS = {"zh": 60, "es": 36, "fr": 30, "ru": 30, "de": 21, "ar": 15, "hi": 15, "ja": 15}
#: The languages the rouge-score tokenizer (a-z, 0-9) all but erases.
NON_LATIN = ["zh", "ja", "ru", "ar", "hi"]
ROUGE_TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum", "rougeSU4"]
#: Every ROUGE column of ROUGE_TYPES.
COLUMNS = [f"{t}_{m}" for t in ROUGE_TYPES for m in ("p", "r", "f")]


def needs_languages() -> None:
    """Skip unless the ``languages`` extra is installed (tokenizers, stemmers, splitters, stop words)."""
    for module in ("regex", "jieba", "fugashi", "unidic_lite", "snowballstemmer", "pysbd", "stopwordsiso"):
        pytest.importorskip(module, reason=f"needs {module}: pip install -e '.[languages]'")


def read_jsonl_gz(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="module")
def sample() -> dict[str, list[dict[str, Any]]]:
    """The bundled sample's rows by language."""
    by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in read_jsonl_gz(bundled_corpora()["multilingual"]):
        by_lang[row["lang"]].append(row)
    return dict(by_lang)


def identical_items(rows: list[dict[str, Any]], language: str | None = None) -> list[MetricItem]:
    """Each row's reference scored against itself (the row's language unless ``language``)."""
    return [
        MetricItem(r["id"], "same", r["summary"], tuple(r["summaries"]), r["article"], language or r["lang"])
        for r in rows
    ]


# --------------------------------------------------------------------------------------------------
# The bundled sample and its card
# --------------------------------------------------------------------------------------------------


def test_the_bundled_sample_has_its_card_counts_and_no_unlicensed_rows(sample):
    assert {lang: len(rows) for lang, rows in sample.items()} == COUNTS
    rows = [r for rows in sample.values() for r in rows]
    assert len({r["id"] for r in rows}) == len(rows) == 222
    assert {r["source"] for r in rows} == {"lcsts", "xlsum", "mlsum", "gem-mlsum"}  # no OrangeSum
    assert sum(r["source"] == "lcsts" for r in rows) == 45
    assert all(r["summaries"] == [r["summary"]] and r["id"].startswith(f"{r['lang']}:") for r in rows)
    card = (REPO / "datasets" / "multilingual.md").read_text(encoding="utf-8")
    for lang, n in COUNTS.items():
        assert re.search(rf"\|\s*{lang}\s*\|[^|\n]*\|\s*{n}\s*\|", card), f"card has no count row for {lang}"
    corpus = load_corpus("multilingual")  # language_field is a suite option: the loader default is English
    assert len(corpus.documents) == 222


# --------------------------------------------------------------------------------------------------
# (a) identical summaries score 1.0 in every sample language
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", list(COUNTS))
def test_an_identical_summary_scores_1_in_every_sample_language(sample, lang):
    needs_languages()
    rouge = Rouge(ROUGE_TYPES)  # the defaults; each item's language picks its settings
    results = rouge.score_batch(identical_items(sample[lang]))
    for row, result in zip(sample[lang], results):
        assert not isinstance(result, Exception), f"{row['id']}: {result}"
        assert {c: result[c] for c in COLUMNS} == dict.fromkeys(COLUMNS, 1.0), row["id"]
    # the language's tokenizer keeps (nearly) every letter: the score is about the text, not its digits
    assert max(dropped_letter_share(r["summary"], language_tokenizer(lang)) for r in sample[lang]) < 0.01


# --------------------------------------------------------------------------------------------------
# (b) the English default on these languages: silent zeros, and a run that says so
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", NON_LATIN)
def test_the_english_default_keeps_only_digits_and_scores_identical_text_0(sample, lang):
    needs_languages()
    rows = sample[lang]
    english, native = Rouge(ROUGE_TYPES, language="en"), Rouge(ROUGE_TYPES)
    kept = [tokenize(r["summary"]) for r in rows]
    # rouge-score's tokenizer drops over 95% of these letters: what is left is numbers and Latin words
    coverage = TokenizerCoverage("rouge-score")
    for r in rows:
        coverage.add(r["summary"])
    assert coverage.share > 0.95 and coverage.guess() == lang
    native_tokens = sum(len(language_tokenizer(lang).tokenize(r["summary"])) for r in rows)
    assert sum(map(len, kept)) < 0.06 * native_tokens
    results = english.score_batch(identical_items(rows, "en"))
    for tokens, result in zip(kept, results):
        assert result["rouge1_f"] == (1.0 if tokens else 0.0)  # the identical text of the row: 0 or luck
    zeros = sum(result["rouge1_f"] == 0.0 for result in results)
    if lang == "ja":  # every Japanese reference has a number, so ROUGE is computed on ~3 digits each
        assert sum(map(len, kept)) / len(rows) < 4
    else:
        assert zeros >= len(rows) / 3, f"{zeros} silent zeros of {len(rows)}"
    assert all(v == 1.0 for result in native.score_batch(identical_items(rows)) for v in result.values())


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _suite(
    tmp_path: Path,
    corpus: str,
    scoring: str = "",
    summarizers: str = "",
    rouge_types: tuple[str, ...] = ("rouge1", "rouge2"),
) -> Path:
    """A suite file in ``tmp_path``: ``corpus`` and ``scoring`` are TOML lines of those tables; lead-2 by default."""
    path = tmp_path / "suite.toml"
    summarizers = summarizers or '[[summarizers]]\nuse = "lead"\nlabel = "lead-2"\nparams = { k = 2 }\n'
    path.write_text(
        f'name = "t"\nseed = 0\n\n[corpus]\n{corpus}\n\n{summarizers}\n'
        f"[scoring]\nrouge_types = {json.dumps(list(rouge_types))}\nbootstrap_samples = 100\n{scoring}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("lang", [*NON_LATIN, "de", "fr", "es"])
def test_a_run_with_the_english_default_warns_and_names_the_language(sample, lang, tmp_path):
    needs_languages()
    corpus = _write_jsonl(tmp_path / f"{lang}.jsonl", sample[lang][:6])
    english = run_suite(
        load_suite(_suite(tmp_path, f'source = "{corpus.name}"\nlanguage = "en"')),
        out_dir=tmp_path / "en",
        render=False,
    )
    warnings = json.loads((english.run_dir / "manifest.json").read_text())["warnings"]
    coverage = [w for w in warnings if "tokenizer drops" in w]
    assert len(coverage) == 1, warnings
    # the script names the language; accented Latin letters (umlauts, ß, é, ñ) could be many languages
    advice = f'language = "{lang}"' if lang in NON_LATIN else 'e.g. language = "de", "fr" or "es"'
    assert advice in coverage[0] and coverage[0].startswith("The rouge-score tokenizer drops"), coverage[0]
    # with the language set, the same corpus scores and warns about nothing
    right = run_suite(
        load_suite(_suite(tmp_path, f'source = "{corpus.name}"\nlanguage = "{lang}"')),
        out_dir=tmp_path / lang,
        render=False,
        force=True,
    )
    assert json.loads((right.run_dir / "manifest.json").read_text())["warnings"] == []
    assert next(a for a in right.aggregates if a.metric == "rouge1_f").mean > 0


# --------------------------------------------------------------------------------------------------
# (c) English numbers do not change
# --------------------------------------------------------------------------------------------------

#: SummEval systems whose published outputs are scored (300 pairs with 11 references each).
ENGLISH_SYSTEMS = ("M0", "M11", "M23")
#: sha256 of the (P, R, F) of ROUGE_TYPES of those 300 pairs (sorted by system, id; rounded to 12
#: places), computed by RougeScorer(ROUGE_TYPES, use_stemmer=True, lsum_split="splitter") at commit
#: 70c5d67, the last one before sumbench had languages.
ENGLISH_SHA256 = "86bd78fa2c9d7dd031b4a0f3d2372afc1b3d98914a9cb436efdc43453fced3c5"


@pytest.fixture(scope="module")
def english_pairs() -> list[tuple[str, str, list[str], str]]:
    """(system, id, references, summary) of ENGLISH_SYSTEMS on cnndm-summeval, sorted by system and id."""
    refs = {r["id"]: r["summaries"] for r in read_jsonl_gz(bundled_corpora()["cnndm-summeval"])}
    rows = [r for r in read_jsonl_gz(SYSTEM_OUTPUTS) if r["system"] in ENGLISH_SYSTEMS]
    return sorted((r["system"], r["id"], refs[r["id"]], r["summary"]) for r in rows)


def _values(result: dict[str, Any]) -> list[float]:
    return [getattr(result[t], a) for t in ROUGE_TYPES for a in ("precision", "recall", "fmeasure")]


def test_english_numbers_are_unchanged(english_pairs, tmp_path):
    assert len(english_pairs) == 300
    # the engine with the settings every English number was made with
    old = RougeScorer(ROUGE_TYPES, use_stemmer=True, lsum_split="splitter")
    expected = [_values(r) for r in old.score_batch([p[2] for p in english_pairs], [p[3] for p in english_pairs])]
    digest = hashlib.sha256(json.dumps([[round(v, 12) for v in row] for row in expected]).encode()).hexdigest()
    assert digest == ENGLISH_SHA256
    # Rouge() with its defaults (language "en" by the items), and with language = "en" given
    items = [MetricItem(doc, system, summary, tuple(refs), "") for system, doc, refs, summary in english_pairs]
    for rouge in (Rouge(ROUGE_TYPES), Rouge(ROUGE_TYPES, language="en")):
        got = rouge.score_batch(items)
        assert [[r[c] for c in COLUMNS] for r in got] == expected
    assert Rouge(ROUGE_TYPES, language="en").signature() == old.signature()
    # a run of a suite with [corpus] language = "en" written out: the same numbers in scores.csv
    summarizers = "".join(
        f'[[summarizers]]\nuse = "precomputed"\nlabel = "{s}"\n'
        f'params = {{ file = "{SYSTEM_OUTPUTS}", system = "{s}" }}\n\n'
        for s in ENGLISH_SYSTEMS
    )
    path = _suite(
        tmp_path,
        'source = "cnndm-summeval"\nlanguage = "en"',
        "use_stemmer = true",
        summarizers=summarizers,
        rouge_types=tuple(ROUGE_TYPES),
    )
    suite = load_suite(path)
    default = parse_suite(
        {
            "corpus": {"source": "cnndm-summeval"},
            "summarizers": [{"use": "lead"}],
            "scoring": {"rouge_types": ROUGE_TYPES},
        }
    )
    assert resolve_suite(suite).signature == resolve_suite(default).signature == old.signature()
    result = run_suite(suite, out_dir=tmp_path / "run", render=False)
    with open(result.run_dir / "scores.csv", newline="", encoding="utf-8") as handle:
        scores = {(r["system"], r["doc_id"]): [float(r[c]) for c in COLUMNS] for r in csv.DictReader(handle)}
    assert [scores[(system, doc)] for system, doc, _, _ in english_pairs] == expected


# --------------------------------------------------------------------------------------------------
# (d) German: umlauts and ß are letters
# --------------------------------------------------------------------------------------------------


def test_german_umlauts_and_sharp_s_are_letters_not_separators():
    needs_languages()
    rouge = Rouge(["rouge1"])

    def rouge1(summary: str, reference: str, language: str) -> float:
        return rouge.score_batch([MetricItem("g", "s", summary, (reference,), "", language)])[0]["rouge1_f"]

    # rouge-score's tokenizer reads "gr e stra e" and "gr e strafe": 2 shared tokens of 4 and 3
    assert rouge1("Größe Straße", "Grüße Strafe", "en") == pytest.approx(4 / 7)
    assert rouge1("Größe Straße", "Grüße Strafe", "de") == 0.0  # size, street vs greetings, punishment
    assert rouge1("Größe Straße", "Größe Straße", "de") == 1.0
    assert rouge1("Die Größe der Straßen", "die größe der straße", "de") == 1.0  # case, Snowball: Straßen ~ Straße


# --------------------------------------------------------------------------------------------------
# (e), (f) settings that cannot work fail in one line
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "corpus, scoring, names",
    [
        ('language = "de"', "", "language 'de'"),
        ('language_field = "lang"', "", "per-document languages ('lang')"),
        ("", 'language = "de"', "language 'de'"),
        ("", 'tokenizer = "unicode"', "tokenizer 'unicode'"),
    ],
)
def test_perl_compat_with_another_language_is_a_one_line_suite_error(tmp_path, corpus, scoring, names):
    path = _suite(tmp_path, f'source = "multilingual"\n{corpus}', f'compat = "perl"\n{scoring}')
    with pytest.raises(SuiteError) as error:
        load_suite(path)
    message = str(error.value)
    assert "\n" not in message
    assert 'compat = "perl" is English-only' in message and names in message, message
    # English with Perl stays allowed
    load_suite(_suite(tmp_path, 'source = "multilingual"\nlanguage = "en"', 'compat = "perl"'))


@pytest.mark.parametrize(
    "table, key, value, suggestion",
    [
        ("corpus", "language", "german", "'de'"),
        ("corpus", "language", "deu", "'de'"),
        ("scoring", "language", "Chinese", "'zh'"),
        ("scoring", "language", "jp", "'ja'"),
    ],
)
def test_an_unknown_language_code_gives_did_you_mean(tmp_path, table, key, value, suggestion):
    corpus = 'source = "multilingual"' + (f'\n{key} = "{value}"' if table == "corpus" else "")
    scoring = f'{key} = "{value}"' if table == "scoring" else ""
    with pytest.raises(SuiteError) as error:
        load_suite(_suite(tmp_path, corpus, scoring))
    message = str(error.value)
    assert "\n" not in message
    assert f"[{table}] {key}" in message and "did you mean" in message and suggestion in message, message


def test_an_unknown_language_in_a_record_names_the_document(tmp_path):
    corpus = _write_jsonl(
        tmp_path / "bad.jsonl", [{"id": "x1", "lang": "klingon", "article": "Qapla'.", "summaries": ["Q"]}]
    )
    suite = load_suite(_suite(tmp_path, f'source = "{corpus.name}"\nlanguage_field = "lang"'))
    with pytest.raises(Exception, match=r"x1.*klingon|klingon.*x1") as error:
        run_suite(suite, out_dir=tmp_path / "run", render=False)
    assert "\n" not in str(error.value)


# --------------------------------------------------------------------------------------------------
# (g) benchmarks/multilingual.toml
# --------------------------------------------------------------------------------------------------


def test_the_multilingual_suite_resolves():
    needs_languages()
    suite = load_suite(SUITE)
    assert suite.corpus.source == "multilingual"
    assert (suite.corpus.language_field, suite.corpus.group_field) == ("lang", "lang")
    assert [s.use for s in suite.summarizers] == ["lead", "textrank", "lexrank", "oracle"]
    assert suite.baseline == "lead-3" and suite.scoring.use_stemmer
    assert set(suite.scoring.rouge_types) >= {"rouge1", "rouge2", "rougeL", "rougeLsum"}
    resolved = resolve_suite(suite)
    assert "lang=per-document" in resolved.signature


@pytest.mark.slow
def test_the_multilingual_suite_runs_and_scores_every_language(tmp_path):
    needs_languages()
    suite = with_overrides(load_suite(SUITE), sample=30)  # stratified by language: 2-8 documents each
    result = run_suite(suite, out_dir=tmp_path / "run")
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert not [w for w in manifest["warnings"] if "tokenizer drops" in w], manifest["warnings"]
    assert result.failures == ()
    lang = {r["id"]: r["lang"] for r in read_jsonl_gz(bundled_corpora()["multilingual"])}
    means: dict[tuple[str, str], list[float]] = defaultdict(list)
    with open(result.run_dir / "scores.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            means[(row["system"], lang[row["doc_id"]])].append(float(row["rouge1_f"]))
    assert {g for _, g in means} == set(COUNTS)
    for system in ("lead-3", "textrank-3", "lexrank-3", "oracle-3"):
        for group in COUNTS:
            values = means[(system, group)]
            assert len(values) >= 2 and sum(values) / len(values) > 0, (system, group, values)
    report = (result.run_dir / "report.md").read_text(encoding="utf-8")
    assert "## By group (lang)" in report
    header = next(line for line in report.split("## By group (lang)")[1].splitlines() if line.startswith("| System"))
    assert all(f"| {g} (" in header for g in COUNTS), header


def test_the_readme_language_tables_are_the_language_table():
    from sumbench.languages import language_table

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Languages", 1)[1].split("\n## ", 1)[0]
    rows = {line for line in language_table().splitlines() if line.startswith("| ") and "---" not in line}
    shown = {line for line in section.splitlines() if line.startswith("| ") and line.count("|") == 7}
    assert shown and shown <= rows  # every row the README shows is the table's, as the code has it


def test_the_cache_keys_a_non_english_document_by_its_language_too():
    from sumbench.records import Document

    english = Document("a", "Same text.", ("Same text.",), ("r",))
    german = Document("a", "Same text.", ("Same text.",), ("r",), language="de")
    assert english.cache_hash == english.text_hash  # English keys are the ones every cached summary has
    assert german.cache_hash != english.cache_hash and german.text_hash == english.text_hash


def test_a_module_callable_tokenizer_from_a_suite(tmp_path, monkeypatch):
    """[scoring] tokenizer = "module:callable": the run's ROUGE uses it, and the signature names it."""
    (tmp_path / "my_tokens.py").write_text(
        "def split_on_bars(text):\n    return [t for t in text.lower().split('|') if t]\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    corpus = tmp_path / "bars.jsonl"
    corpus.write_text(
        json.dumps({"id": "b1", "article": "alpha|beta. gamma|delta.", "summaries": ["alpha|beta."]}) + "\n",
        encoding="utf-8",
    )
    suite = tmp_path / "bars.toml"
    suite.write_text(
        f'name = "bars"\n[corpus]\nsource = "{corpus.name}"\n[[summarizers]]\nuse = "lead"\nparams = {{ k = 1 }}\n'
        '[scoring]\nrouge_types = ["rouge1"]\ntokenizer = "my_tokens:split_on_bars"\n',
        encoding="utf-8",
    )
    from sumbench.runner import run_suite
    from sumbench.suite import load_suite

    result = run_suite(load_suite(suite), out_dir=tmp_path / "run", use_cache=False, render=False)
    assert "tok=module:my_tokens:split_on_bars" in result.manifest.rouge_signature
    from sumbench.runfolder import load_run

    assert load_run(result.run_dir).scores.values("lead", "rouge1_f")[0] == pytest.approx(1.0)
