import json

import pytest

from sumbench.corpora import load_corpus
from sumbench.records import Document
from sumbench.summarizers import Budget, SummarizerError, build, get_params, registered
from sumbench.testing import ConformanceError, check_summarizer, sample_documents
from sumbench.text import split_sentences

# Parameters that make a registered summarizer testable offline and fast.
TEST_PARAMS = {
    "precomputed": {"field": "system_summary"},
    "supervised": {"train_limit": 40},
}
NEEDS = {
    "hf-seq2seq": "a model directory (tested in test_neural.py)",
    "hf-causal": "a model directory or GGUF file (tested in test_hf_causal.py)",
    "openai-chat": "an OpenAI-compatible server (tested in test_openai_chat.py)",
}
NEURAL = {"embedding-centroid", "embedding-mmr"}  # load a sentence-embedding model: slow


def _doc(text: str, refs=("ref",), **meta) -> Document:
    return Document("d", text, tuple(split_sentences(text)), tuple(refs), meta=meta)


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.slow) if n in NEURAL else n for n in sorted(registered())]
)
def test_every_registered_summarizer_conforms(name):
    if name in NEEDS:
        pytest.skip(f"{name} needs {NEEDS[name]}")
    try:
        summarizer = build(name, TEST_PARAMS.get(name, {}))
    except SummarizerError as exc:
        if "neural" in str(exc) or "No module named" in str(exc):
            pytest.skip(f"{name}: optional dependency missing ({exc})")
        raise
    docs = [
        Document(d.id, d.text, d.sentences, d.references, meta={"system_summary": f"summary of {d.id}"})
        for d in sample_documents()
    ]
    try:
        check_summarizer(summarizer, docs)
    except ImportError as exc:
        pytest.skip(f"{name}: optional dependency missing ({exc})")


def test_conformance_check_catches_nondeterminism_and_bad_params():
    class Flaky:
        def __init__(self):
            self.calls = 0

        def summarize(self, doc):
            self.calls += 1
            return str(self.calls)

    with pytest.raises(ConformanceError, match="not deterministic"):
        check_summarizer(Flaky())

    class Forgetful:
        def __init__(self, k=3):
            self.size = k

        def summarize(self, doc):
            return ""

    with pytest.raises(ConformanceError, match="stores no attribute 'k'"):
        check_summarizer(Forgetful())

    class NotAString:
        def summarize(self, doc):
            return ["a list"]

    with pytest.raises(ConformanceError, match="returned list"):
        check_summarizer(NotAString())


def test_lead_takes_first_sentences_in_order_joined_by_newlines():
    doc = _doc("One is here. Two is here. Three is here. Four is here.")
    assert build("lead", {"k": 2}).summarize(doc) == "One is here.\nTwo is here."
    assert build("lead", {"max_words": 7}).summarize(doc) == "One is here.\nTwo is here."
    assert build("lead", {"ratio": 0.5}).summarize(doc) == "One is here.\nTwo is here."


def test_budget_validation():
    with pytest.raises(ValueError, match="give one budget"):
        Budget(k=2, ratio=0.5)
    with pytest.raises(ValueError, match="positive integer"):
        Budget(k=0)
    with pytest.raises(SummarizerError, match="ratio must be in"):
        build("lead", {"ratio": 2.0})


def test_random_is_seeded_and_keeps_document_order():
    doc = load_corpus("cnndm-summeval").documents[0]
    a = build("random", {"k": 3, "seed": 1}).summarize(doc)
    assert a == build("random", {"k": 3, "seed": 1}).summarize(doc)
    picks = [doc.sentences.index(s) for s in a.split("\n")]
    assert picks == sorted(picks)
    others = {build("random", {"k": 3, "seed": s}).summarize(doc) for s in range(2, 8)}
    assert len(others | {a}) > 1


def test_oracle_rouge_is_at_least_leads_on_every_document():
    from sumbench.scoring.rouge import RougeScorer

    scorer = RougeScorer(["rouge1", "rouge2"], use_stemmer=True, multiref="max")

    def objective(doc, summary):  # the oracle's target: mean ROUGE-1/2 F, best reference
        return max(
            (s["rouge1"].fmeasure + s["rouge2"].fmeasure) / 2
            for s in (scorer.score(r, summary) for r in doc.references)
        )

    corpus = load_corpus("cnndm-summeval", limit=25)
    oracle, lead = build("oracle", {"k": 3}), build("lead", {"k": 3})
    better = 0
    for doc in corpus.documents:
        by_oracle, by_lead = objective(doc, oracle.summarize(doc)), objective(doc, lead.summarize(doc))
        assert by_oracle >= by_lead - 1e-12, doc.id
        better += by_oracle > by_lead
    assert better >= 20  # and strictly better on most documents
    assert build("oracle", {"max_words": 30}).summarize(corpus.documents[0]).split().__len__() <= 30


def test_oracle_picks_the_sentence_that_matches_the_reference():
    doc = _doc("Cats sleep a lot. The mayor resigned on Monday. Dogs bark.", refs=("The mayor resigned Monday.",))
    assert build("oracle", {"k": 2}).summarize(doc) == "The mayor resigned on Monday."


def test_textrank_prefers_the_central_sentence():
    doc = _doc(
        "Bananas are yellow fruit. The election results show the mayor won the election vote. "
        "The mayor thanked voters after the election. Voters chose the mayor in a close vote. "
        "Penguins live in Antarctica."
    )
    assert "election" in build("textrank", {"k": 1}).summarize(doc)


def test_precomputed_from_file_and_field(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text(
        json.dumps({"id": "d", "summary": "from file", "system": "A"})
        + "\n"
        + json.dumps({"id": "d", "summary": "other", "system": "B"})
        + "\n"
    )
    doc = _doc("Article text.", out="from field")
    assert build("precomputed", {"file": str(path), "system": "A"}).summarize(doc) == "from file"
    assert build("precomputed", {"field": "out"}).summarize(doc) == "from field"
    with pytest.raises(SummarizerError, match="exactly one"):
        build("precomputed", {})
    missing = Document("zzz", "t", ("t",), ("r",))
    with pytest.raises(KeyError, match="no summary for document 'zzz'"):
        build("precomputed", {"file": str(path), "system": "A"}).summarize(missing)


def test_unknown_name_and_parameter_suggest_alternatives():
    with pytest.raises(SummarizerError, match=r"unknown summarizer 'laed'.*Did you mean 'lead'.*Registered"):
        build("laed")
    with pytest.raises(SummarizerError, match=r"no parameter 'kk'.*Did you mean 'k'"):
        build("lead", {"kk": 3})


def test_plugin_by_path_and_by_module(tmp_path, monkeypatch):
    plugin = tmp_path / "my_plugin.py"
    plugin.write_text(
        "class Shout:\n"
        "    '''Upper-cased first sentence.'''\n"
        "    def __init__(self, punct='!'):\n"
        "        self.punct = punct\n"
        "    def summarize(self, doc):\n"
        "        return doc.sentences[0].upper() + self.punct if doc.sentences else ''\n"
    )
    doc = _doc("Hello there. Bye.")
    by_path = build("my_plugin.py:Shout", {"punct": "?"}, base_dir=tmp_path)
    assert by_path.summarize(doc) == "HELLO THERE.?"
    assert get_params(by_path) == {"punct": "?"}
    monkeypatch.syspath_prepend(str(tmp_path))
    assert build("my_plugin:Shout").summarize(doc) == "HELLO THERE.!"
    with pytest.raises(SummarizerError, match=r"has no 'Shuot'.*Did you mean 'Shout'"):
        build("my_plugin:Shuot")
    with pytest.raises(SummarizerError, match="not found"):
        build("nowhere.py:Shout", base_dir=tmp_path)


def test_example_plugin_in_repo_is_conformant():
    from conftest import REPO

    plugin = build(f"{REPO / 'summarizers' / 'first_sentence_plus.py'}:LeadPlusQuote", {"extra": 1})
    check_summarizer(plugin)
    doc = _doc('The fire started at noon. Crews arrived fast. "It was huge," a witness said.')
    assert plugin.summarize(doc) == 'The fire started at noon.\n"It was huge," a witness said.'
