"""The supervised (learned, scikit-learn) extractive summarizer: cached training, fingerprint,
refusal to evaluate on training documents, ranking and budgets."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import random
import re
from pathlib import Path

import numpy as np
import pytest

from sumbench.corpora import bundled_corpora, load_corpus
from sumbench.records import Document
from sumbench.summarizers import supervised
from sumbench.summarizers.base import get_params
from sumbench.summarizers.registry import SummarizerError, build
from sumbench.summarizers.supervised import (
    FEATURE_NAMES,
    Supervised,
    default_model_dir,
    normalized_text_hash,
    sentence_features,
)


def _frank_records(n: int, start: int = 0) -> list[dict]:
    with gzip.open(bundled_corpora()["frank-cnndm"], "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return records[start : start + n]


def _write_jsonl(path, records) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def train_file(tmp_path_factory):
    """30 bundled frank-cnndm records as a local JSONL training corpus."""
    return _write_jsonl(tmp_path_factory.mktemp("train") / "train.jsonl", _frank_records(30))


@pytest.fixture(scope="module")
def trained(train_file, tmp_path_factory):
    """A logistic model trained once on ``train_file`` (k=3) in its own model folder."""
    summarizer = Supervised(k=3, train_source=train_file, model_dir=str(tmp_path_factory.mktemp("models")))
    summarizer.train()
    return summarizer


@pytest.fixture
def fit_counter(monkeypatch):
    calls = []
    real_fit = supervised._fit

    def counting_fit(estimator, features, labels):
        calls.append(features.shape)
        return real_fit(estimator, features, labels)

    monkeypatch.setattr(supervised, "_fit", counting_fit)
    return calls


def _eval_docs(n: int = 5) -> list[Document]:
    return list(load_corpus("cnndm-summeval", limit=n).documents)


# --------------------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------------------


def test_init_only_stores_parameters(tmp_path):
    summarizer = Supervised(
        k=2, train_source=str(tmp_path / "missing.jsonl"), model="gradient_boosting", seed=7, model_dir=str(tmp_path)
    )
    assert get_params(summarizer) == {
        "k": 2,
        "max_words": None,
        "ratio": None,
        "train_source": str(tmp_path / "missing.jsonl"),
        "train_split": None,
        "train_limit": None,
        "model": "gradient_boosting",
        "seed": 7,
        "model_dir": str(tmp_path),
    }
    assert not any(tmp_path.iterdir())  # nothing loaded or trained by the constructor


@pytest.mark.parametrize(
    "params, message",
    [
        ({"model": "svm"}, "model must be one of"),
        ({"train_limit": 0}, "train_limit"),
        ({"train_limit": "10"}, "train_limit"),
        ({"seed": 1.5}, "seed"),
        ({"train_source": ""}, "train_source"),
        ({"k": 2, "max_words": 50}, "give one budget"),
    ],
)
def test_validate_rejects_bad_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        Supervised(**params).validate()


def test_registry_build_fails_on_bad_model():
    with pytest.raises(SummarizerError, match="model must be one of"):
        build("sumbench.summarizers.supervised:Supervised", {"model": "svm"})
    assert isinstance(build("sumbench.summarizers.supervised:Supervised", {"k": 2}), Supervised)


def test_default_model_dir_follows_cache_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("SUMBENCH_CACHE_DIR", str(tmp_path))
    assert default_model_dir() == tmp_path / "models"
    monkeypatch.delenv("SUMBENCH_CACHE_DIR")
    assert default_model_dir().parts[-3:] == (".cache", "sumbench", "models")


# --------------------------------------------------------------------------------------------------
# features
# --------------------------------------------------------------------------------------------------


def test_features_shape_and_ranges():
    doc = _eval_docs(1)[0]
    features = sentence_features(doc)
    assert features.shape == (len(doc.sentences), len(FEATURE_NAMES))
    assert np.isfinite(features).all()
    column = dict(zip(FEATURE_NAMES, features.T))
    assert column["is_first"][0] == 1 and column["is_first"][1:].sum() == 0
    assert (column["relative_position"] >= 0).all() and (column["relative_position"] < 1).all()
    assert np.all(np.diff(column["absolute_position"]) >= 0)
    assert column["has_title"].sum() == 0  # no title in this corpus
    titled = Document("t", doc.text, doc.sentences, doc.references, title=doc.sentences[0])
    assert sentence_features(titled)[0, FEATURE_NAMES.index("similarity_to_title")] == pytest.approx(1.0)


def test_features_of_degenerate_documents():
    assert sentence_features(Document("e", "x", (), ("r",))).shape == (0, len(FEATURE_NAMES))
    one = sentence_features(Document("o", "The of and.", ("The of and.",), ("r",)))  # stop words only
    assert one.shape == (1, len(FEATURE_NAMES)) and np.isfinite(one).all()


def test_features_ignore_tokenization_style():
    natural = "He said it's 3.5 times bigger, officials told CNN."
    ptb = "He said it 's 3.5 times bigger , officials told CNN ."
    a = sentence_features(Document("a", natural, (natural, "Another one here."), ("r",)))
    b = sentence_features(Document("b", ptb, (ptb, "Another one here ."), ("r",)))
    np.testing.assert_allclose(a, b)


# --------------------------------------------------------------------------------------------------
# training and the model cache
# --------------------------------------------------------------------------------------------------


def test_train_writes_model_file_and_reuses_it(train_file, tmp_path, fit_counter):
    first = Supervised(k=3, train_source=train_file, model_dir=str(tmp_path))
    path = first.train()
    assert path.is_file() and path.parent == tmp_path
    assert path.name.startswith("supervised-logistic-") and path.suffix == ".joblib"
    assert len(fit_counter) == 1
    stamp = path.stat().st_mtime_ns

    assert first.train() == path  # same instance
    second = Supervised(k=3, train_source=train_file, model_dir=str(tmp_path))
    assert second.train() == path  # fresh instance, same parameters and data
    assert second.fingerprint() == first.fingerprint()
    second.summarize(_eval_docs(1)[0])
    assert len(fit_counter) == 1, "the cached model file was retrained"
    assert path.stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary files left


def test_model_key_follows_training_parameters(train_file, tmp_path):
    base = Supervised(k=3, train_source=train_file, model_dir=str(tmp_path))
    paths = {
        base.model_path(),
        Supervised(k=2, train_source=train_file, model_dir=str(tmp_path)).model_path(),
        Supervised(k=3, train_source=train_file, model_dir=str(tmp_path), seed=1).model_path(),
        Supervised(k=3, train_source=train_file, model_dir=str(tmp_path), train_limit=10).model_path(),
        Supervised(k=3, train_source=train_file, model_dir=str(tmp_path), model="gradient_boosting").model_path(),
    }
    assert len(paths) == 5
    # changing a parameter on an instance drops its cached path (scikit-learn set_params style)
    base.k = 2
    assert base.model_path() == Supervised(k=2, train_source=train_file, model_dir=str(tmp_path)).model_path()


def test_code_hash_covers_every_module_labels_and_features_depend_on():
    import sumbench

    package = Path(sumbench.__file__).resolve().parent
    hashed = {p.resolve() for p in supervised.keyed_source_files()}
    needed = {
        package / "text.py",  # the sentence splitter
        package / "summarizers" / "supervised.py",  # features
        package / "summarizers" / "_text.py",  # TF-IDF and PageRank (re-exported by textrank)
        package / "summarizers" / "base.py",  # the budget
        package / "summarizers" / "oracle.py",  # the labels
        package / "scoring" / "_rouge_core.py",  # the oracle's tokens
        package / "scoring" / "_rouge_porter.py",  # and their stems
    }
    assert needed <= hashed, f"not in the model key: {sorted(map(str, needed - hashed))}"


def test_code_hash_follows_each_hashed_file(monkeypatch):
    files = supervised.keyed_source_files()
    original = Path.read_bytes
    hashes = {supervised._code_hash()}
    for edited in files:
        monkeypatch.setattr(Path, "read_bytes", lambda self, e=edited: original(self) + (b"#" if self == e else b""))
        hashes.add(supervised._code_hash())
    assert len(hashes) == len(files) + 1


def test_model_key_follows_the_text_pipeline_version(train_file, tmp_path, monkeypatch):
    before = Supervised(k=3, train_source=train_file, model_dir=str(tmp_path)).model_path()
    monkeypatch.setattr(supervised, "TEXT_PIPELINE_VERSION", "changed")
    assert Supervised(k=3, train_source=train_file, model_dir=str(tmp_path)).model_path() != before


def test_fingerprint_changes_when_training_data_changes(trained, tmp_path):
    fingerprint = trained.fingerprint()
    assert fingerprint == hashlib.sha256(trained.model_path().read_bytes()).hexdigest()

    records = _frank_records(30)
    records[0]["summaries"] = ["A different reference summary about something else entirely."]
    changed = Supervised(
        k=3, train_source=_write_jsonl(tmp_path / "changed.jsonl", records), model_dir=str(trained.model_path().parent)
    )
    assert changed.model_path() != trained.model_path()
    assert changed.fingerprint() != fingerprint
    assert changed.model_path().is_file()  # fingerprint() trained the new model


def test_train_split_and_limit_select_training_documents(train_file, tmp_path):
    splits = [r["split"] for r in _frank_records(30)]
    valid = Supervised(train_source=train_file, train_split="valid", model_dir=str(tmp_path))
    assert len(valid.training_corpus().documents) == splits.count("valid")
    limited = Supervised(train_source=train_file, train_split="valid", train_limit=3, model_dir=str(tmp_path))
    assert [d.id for d in limited.training_corpus().documents] == [d.id for d in valid.training_corpus().documents[:3]]
    assert len(Supervised(train_source=train_file, train_limit=5).training_corpus().documents) == 5
    with pytest.raises(ValueError, match=r"train_split 'nope' keeps no document.*test, valid"):
        Supervised(train_source=train_file, train_split="nope").training_corpus()


def test_summarize_trains_lazily_without_prepare(train_file, tmp_path):
    summarizer = Supervised(k=3, train_source=train_file, model_dir=str(tmp_path / "fresh"))
    doc = _eval_docs(1)[0]
    summary = summarizer.summarize(doc)
    assert summarizer.model_path().is_file()
    assert len(summary.split("\n")) == 3
    assert all(line in doc.sentences for line in summary.split("\n"))
    assert summarizer.summarize_batch([doc, doc]) == [summary, summary]


def test_gradient_boosting_model(train_file, tmp_path):
    summarizer = Supervised(k=2, train_source=train_file, model="gradient_boosting", model_dir=str(tmp_path))
    assert summarizer.train().name.startswith("supervised-gradient_boosting-")
    for doc in _eval_docs(3):
        scores = summarizer.sentence_scores(doc)
        assert scores.shape == (len(doc.sentences),) and ((scores >= 0) & (scores <= 1)).all()
        assert len(summarizer.summarize(doc).split("\n")) == min(2, len(doc.sentences))


def _synthetic_docs(count: int, seed: int) -> list[dict]:
    """Articles of random words whose reference is their first sentence, nothing else."""
    rng = random.Random(seed)
    vocabulary = [f"{a}{b}" for a in "bcdfghjklmnpr" for b in ("ax", "el", "im", "on", "us", "ra", "to")]
    records = []
    for number in range(count):
        sentences = [
            " ".join(rng.choice(vocabulary) for _ in range(rng.randint(8, 20))).capitalize() + "."
            for _ in range(rng.randint(6, 12))
        ]
        records.append({"id": f"syn-{seed}-{number}", "article": " ".join(sentences), "summaries": [sentences[0]]})
    return records


def test_learns_to_prefer_the_first_sentence(tmp_path):
    train_source = _write_jsonl(tmp_path / "lead.jsonl", _synthetic_docs(40, seed=1))
    summarizer = Supervised(k=1, train_source=train_source, model_dir=str(tmp_path / "models"))
    corpus = summarizer.training_corpus()
    assert all(len(d.sentences) >= 6 for d in corpus.documents)
    unseen = load_corpus(_write_jsonl(tmp_path / "unseen.jsonl", _synthetic_docs(10, seed=2))).documents
    for doc in (*unseen, *_eval_docs(5)):
        assert summarizer.rank(doc)[0] == 0, doc.id
        assert summarizer.summarize(doc) == doc.sentences[0]
        scores = summarizer.sentence_scores(doc)
        assert scores[0] > scores[1:].max()


# --------------------------------------------------------------------------------------------------
# refusing to evaluate on training documents
# --------------------------------------------------------------------------------------------------


def test_prepare_accepts_unseen_documents(trained):
    trained.prepare(_eval_docs(10))


def test_prepare_refuses_training_documents(trained):
    training = trained.training_corpus().documents
    documents = [*_eval_docs(3), training[4], training[7]]
    with pytest.raises(ValueError) as caught:
        trained.prepare(documents)
    message = str(caught.value)
    assert "2 evaluation document(s)" in message
    assert training[4].id in message and training[7].id in message
    assert "train.jsonl" in message


def test_prepare_refuses_a_retokenized_copy_under_another_id(trained):
    original = trained.training_corpus().documents[0]
    ptb = re.sub(r"([,.!?])", r" \1", original.text).replace("'s", " 's")
    copy = Document("renamed", ptb, tuple(ptb.split(" . ")), original.references)
    assert copy.text_hash != original.text_hash
    with pytest.raises(ValueError, match=rf"1 evaluation document\(s\).*renamed \(= training {original.id}\)"):
        trained.prepare([copy])


def test_default_training_corpus_does_not_overlap_the_default_evaluation_corpus(tmp_path):
    # the bundled training corpus is meant for evaluating on cnndm-summeval: prepare must accept it
    summarizer = Supervised(k=3, train_limit=40, model_dir=str(tmp_path))
    evaluation = load_corpus("cnndm-summeval").documents
    summarizer.prepare(evaluation)
    training = {normalized_text_hash(d.text) for d in load_corpus("frank-cnndm").documents}
    assert not training & {normalized_text_hash(d.text) for d in evaluation}


# --------------------------------------------------------------------------------------------------
# ranking and budgets
# --------------------------------------------------------------------------------------------------


def test_rank_is_a_permutation_by_score(trained):
    for doc in _eval_docs(5):
        ranked = trained.rank(doc)
        assert sorted(ranked) == list(range(len(doc.sentences)))
        scores = trained.sentence_scores(doc)
        assert all(scores[a] >= scores[b] for a, b in itertools.pairwise(ranked))


def test_rank_ties_keep_document_order(trained, monkeypatch):
    doc = _eval_docs(1)[0]
    monkeypatch.setattr(Supervised, "sentence_scores", lambda self, d: np.full(len(d.sentences), 0.5))
    assert trained.rank(doc) == list(range(len(doc.sentences)))
    scores = np.array([0.2, 0.9, 0.2, 0.9] + [0.1] * (len(doc.sentences) - 4))
    monkeypatch.setattr(Supervised, "sentence_scores", lambda self, d: scores)
    assert trained.rank(doc)[:4] == [1, 3, 0, 2]


@pytest.mark.parametrize("budget", [{"k": 1}, {"k": 2}, {"k": 4}, {"max_words": 40}, {"ratio": 0.2}])
def test_summaries_respect_budgets_and_document_order(trained, budget):
    summarizer = Supervised(train_source=trained.train_source, model_dir=trained.model_dir, **budget)
    for doc in _eval_docs(5):
        lines = summarizer.summarize(doc).split("\n")
        positions = [doc.sentences.index(line) for line in lines]
        assert positions == sorted(positions)
        if "k" in budget:
            assert len(lines) == min(budget["k"], len(doc.sentences))
        else:
            limit = summarizer.budget().word_limit(doc)
            assert len(lines) == 1 or sum(len(line.split()) for line in lines) <= limit


def test_empty_document(trained):
    empty = Document("empty", " ", (), ("ref",))
    assert trained.summarize(empty) == ""
    assert trained.rank(empty) == []
