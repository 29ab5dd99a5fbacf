"""Abstractive summaries from a Hugging Face sequence-to-sequence model (BART, PEGASUS, T5, ...).

Needs the ``neural`` extra (``pip install 'sumbench[neural]'``); torch and transformers are imported
when the model is first used, never at import time.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Sequence
from typing import Any, TypeGuard

from sumbench.records import Document, Generation
from sumbench.summarizers import _torch

# the longest input a model's own limit is trusted up to when ``max_input_tokens`` is not given
MAX_INPUT_TOKENS_CAP = 16384
FALLBACK_INPUT_TOKENS = 1024


class HFSeq2Seq:
    """Abstractive summaries from any Hugging Face seq2seq model id or local directory (BART, PEGASUS, T5).

    Parameters (all part of the cache key):

    * ``model``: a hub id such as ``"facebook/bart-large-cnn"`` or a local directory holding
      ``config.json``, the weights and the tokenizer.
    * ``batch_size``: documents per ``generate`` call (sorted by length to waste little padding).
    * ``max_input_tokens``: inputs are truncated to this many tokens; ``None`` takes the model's limit
      (``tokenizer.model_max_length``, the config's position embeddings), capped at 16384.
    * ``num_beams``, ``max_new_tokens``, ``min_new_tokens``, ``length_penalty``,
      ``no_repeat_ngram_size``, ``do_sample``: passed to ``generate``. ``None`` leaves a setting to the
      model: its ``task_specific_params["summarization"]`` when the config has them (as the
      transformers summarization pipeline does: ``max_length``/``min_length`` stand in for the
      ``*_new_tokens`` limits then), else its ``generation_config``.
    * ``seed``: with ``do_sample``, each document is generated on its own from a seed mixed from
      ``seed`` and the document's text hash, so a summary depends on neither the batch it is in nor
      the order of documents. Without sampling, documents are batched.
    * ``prefix``: prepended to each article, e.g. ``"summarize: "`` for T5; ``None`` takes the
      config's ``task_specific_params["summarization"]["prefix"]`` when it has one, else nothing.
    * ``device``: ``"auto"`` (CUDA when available, else CPU), ``"cpu"``, ``"cuda:1"``, ...

    ``summarize`` and ``summarize_batch`` return :class:`~sumbench.records.Generation` records:
    ``prompt_tokens`` (the encoder input, special tokens included), ``completion_tokens`` (the generated
    tokens without the decoder start token; an end-of-sequence token counts), ``finish_reason``
    (``"stop"`` when the summary ended with an end-of-sequence token, ``"length"`` when a length limit cut
    it), ``model`` (the ``model`` parameter), ``truncated`` (the input was cut to :meth:`input_limit`)
    and ``latency_s``: the wall time of the ``generate`` call a document was in, split evenly among the
    documents of that batch.
    """

    version = "1"
    reports_usage = True

    def __init__(
        self,
        model: str,
        batch_size: int = 8,
        max_input_tokens: int | None = None,
        num_beams: int | None = None,
        max_new_tokens: int | None = None,
        min_new_tokens: int | None = None,
        length_penalty: float | None = None,
        no_repeat_ngram_size: int | None = None,
        do_sample: bool = False,
        seed: int = 0,
        prefix: str | None = None,
        device: str = "auto",
    ):
        self.model = model
        self.batch_size = batch_size
        self.max_input_tokens = max_input_tokens
        self.num_beams = num_beams
        self.max_new_tokens = max_new_tokens
        self.min_new_tokens = min_new_tokens
        self.length_penalty = length_penalty
        self.no_repeat_ngram_size = no_repeat_ngram_size
        self.do_sample = do_sample
        self.seed = seed
        self.prefix = prefix
        self.device = device

    def __getstate__(self) -> dict[str, Any]:
        # the loaded model and its lock stay behind: a copy (or another process) loads its own
        return {k: v for k, v in self.__dict__.items() if k not in ("_loaded", "_lock")}

    # ----------------------------------------------------------------------------------- parameters

    def validate(self) -> None:
        """Check the parameters and that the ``neural`` extra is installed (nothing is loaded)."""
        _torch.validate_model(self.model)
        _positive_int(self.batch_size, "batch_size")
        for name in ("max_input_tokens", "num_beams", "max_new_tokens"):
            if getattr(self, name) is not None:
                _positive_int(getattr(self, name), name)
        for name in ("min_new_tokens", "no_repeat_ngram_size"):
            value = getattr(self, name)
            if value is not None and (not _is_int(value) or value < 0):
                raise ValueError(f"{name} must be a non-negative integer or None, not {value!r}")
        if (
            self.min_new_tokens is not None
            and self.max_new_tokens is not None
            and self.min_new_tokens > self.max_new_tokens
        ):
            raise ValueError(f"min_new_tokens ({self.min_new_tokens}) exceeds max_new_tokens ({self.max_new_tokens})")
        if self.length_penalty is not None and (
            isinstance(self.length_penalty, bool) or not isinstance(self.length_penalty, (int, float))
        ):
            raise ValueError(f"length_penalty must be a number or None, not {self.length_penalty!r}")
        if not isinstance(self.do_sample, bool):
            raise ValueError(f"do_sample must be true or false, not {self.do_sample!r}")
        if not _is_int(self.seed):
            raise ValueError(f"seed must be an integer, not {self.seed!r}")
        if self.prefix is not None and not isinstance(self.prefix, str):
            raise ValueError(f"prefix must be a string or None, not {self.prefix!r}")
        _torch.validate_device(self.device)
        _torch.require(type(self).__name__, "torch", "transformers")

    def fingerprint(self) -> str:
        """Extra cache-key material: a hash of a local model directory's configs and weight files, or
        the hub id with the commit the local cache resolves it to (see :func:`_torch.fingerprint`)."""
        return _torch.fingerprint(self.model)

    # ------------------------------------------------------------------------------------- loading

    def _load(self) -> tuple[Any, Any, Any]:
        """``(torch, tokenizer, model)``, loaded once per instance on first use."""
        loaded = self.__dict__.get("_loaded")
        if loaded is not None:
            return loaded
        lock = self.__dict__.setdefault("_lock", threading.Lock())
        with lock:
            loaded = self.__dict__.get("_loaded")
            if loaded is not None:
                return loaded
            torch, transformers = _torch.torch_and_transformers(type(self).__name__)
            directory = _torch.local_dir(self.model)
            source = str(directory) if directory is not None else self.model
            tokenizer = transformers.AutoTokenizer.from_pretrained(source)
            model = transformers.AutoModelForSeq2SeqLM.from_pretrained(source)
            model.to(_torch.resolve_device(self.device, torch))
            model.eval()
            loaded = (torch, tokenizer, model)
            self.__dict__["_loaded"] = loaded
            return loaded

    def input_limit(self) -> int:
        """The number of tokens inputs are truncated to (loads the tokenizer and model)."""
        if self.max_input_tokens is not None:
            return self.max_input_tokens
        _, tokenizer, model = self._load()
        return model_input_limit(tokenizer, model.config)

    def _task_params(self, model: Any) -> dict[str, Any]:
        params = getattr(model.config, "task_specific_params", None) or {}
        summarization = params.get("summarization") if isinstance(params, dict) else None
        return dict(summarization) if isinstance(summarization, dict) else {}

    def effective_prefix(self) -> str:
        """The text put before each article: ``prefix``, else the model's summarization prefix."""
        if self.prefix is not None:
            return self.prefix
        _, _, model = self._load()
        return str(self._task_params(model).get("prefix") or "")

    def generation_kwargs(self) -> dict[str, Any]:
        """The keyword arguments given to ``generate``: the parameters that are set, over the model's
        summarization defaults (``task_specific_params``); the rest comes from its generation config."""
        _, _, model = self._load()
        task = self._task_params(model)
        kwargs: dict[str, Any] = {}
        for key in ("num_beams", "length_penalty", "no_repeat_ngram_size", "early_stopping"):
            if key in task:
                kwargs[key] = task[key]
        if self.max_new_tokens is not None:
            kwargs["max_new_tokens"] = self.max_new_tokens
        elif "max_length" in task:
            kwargs["max_length"] = task["max_length"]
        if self.min_new_tokens is not None:
            kwargs["min_new_tokens"] = self.min_new_tokens
        elif "min_length" in task:
            kwargs["min_length"] = task["min_length"]
        for key in ("num_beams", "length_penalty", "no_repeat_ngram_size"):
            if getattr(self, key) is not None:
                kwargs[key] = getattr(self, key)
        kwargs["do_sample"] = self.do_sample
        if not self.do_sample:
            # a model whose generation config samples would otherwise warn about unused settings
            kwargs.update(temperature=None, top_p=None, top_k=None)
        return kwargs

    # ---------------------------------------------------------------------------------- generation

    def encode(self, docs: Sequence[Document]) -> list[list[int]]:
        """Token ids of each document's input (prefix + article), truncated to :meth:`input_limit`."""
        _, tokenizer, _ = self._load()
        prefix = self.effective_prefix()
        encoded = tokenizer(
            [prefix + doc.text for doc in docs],
            truncation=True,
            max_length=self.input_limit(),
        )
        return [list(ids) for ids in encoded["input_ids"]]

    def truncated(self, docs: Sequence[Document]) -> list[bool]:
        """Whether each document's input is longer than :meth:`input_limit` (and so cut by :meth:`encode`)."""
        if not docs:
            return []
        _, tokenizer, _ = self._load()
        prefix = self.effective_prefix()
        limit = self.input_limit()
        encoded = tokenizer([prefix + doc.text for doc in docs], truncation=False, verbose=False)
        return [len(ids) > limit for ids in encoded["input_ids"]]

    def generate_token_ids(self, docs: Sequence[Document]) -> list[list[int]]:
        """The generated token ids of each document, in order: without the decoder start token and
        without padding (an end-of-sequence token, when generated, is kept)."""
        return [ids for ids, _, _ in self._generate(docs)]

    def _generate(self, docs: Sequence[Document]) -> list[tuple[list[int], int, float]]:
        """Per document, in order: the generated token ids (as :meth:`generate_token_ids`), the number
        of input tokens, and the document's share of its batch's wall time in seconds."""
        docs = list(docs)
        if not docs:
            return []
        torch, tokenizer, model = self._load()
        inputs = self.encode(docs)
        kwargs = self.generation_kwargs()
        results: list[list[int] | None] = [None] * len(docs)
        seconds = [0.0] * len(docs)
        if self.do_sample:
            groups = [[i] for i in range(len(docs))]
        else:
            order = sorted(range(len(docs)), key=lambda i: (len(inputs[i]), i))
            groups = [order[start : start + self.batch_size] for start in range(0, len(order), self.batch_size)]
        device = model.device
        for group in groups:
            started = time.perf_counter()
            batch = tokenizer.pad({"input_ids": [inputs[i] for i in group]}, padding=True, return_tensors="pt")
            batch = {key: value.to(device) for key, value in batch.items() if key in ("input_ids", "attention_mask")}
            seed = self._doc_seed(docs[group[0]]) if self.do_sample else self.seed
            devices = [device.index or 0] if device.type == "cuda" else []
            with torch.random.fork_rng(devices=devices):
                torch.manual_seed(seed)
                with torch.inference_mode():
                    output = model.generate(**batch, **kwargs)
            for row, index in zip(output.tolist(), group):
                results[index] = _strip_generated(row, model, tokenizer)
            share = (time.perf_counter() - started) / len(group)
            for index in group:
                seconds[index] = share
        return [(r if r is not None else [], len(ids), s) for r, ids, s in zip(results, inputs, seconds)]

    def _doc_seed(self, doc: Document) -> int:
        material = f"{self.seed}\x00{doc.text_hash}".encode()
        return int.from_bytes(hashlib.sha256(material).digest()[:8], "big") & 0x7FFF_FFFF_FFFF_FFFF

    def summarize_batch(self, docs: Sequence[Document]) -> list[Generation]:
        """Summaries of ``docs`` in their order, generated in length-sorted batches (an empty document
        gets an empty summary, with no tokens and no latency: nothing is generated for it)."""
        docs = list(docs)
        summaries = [
            Generation("", prompt_tokens=0, completion_tokens=0, latency_s=0.0, model=self.model) for _ in docs
        ]
        todo = [i for i, doc in enumerate(docs) if doc.text.strip()]
        if not todo:
            return summaries
        _, tokenizer, model = self._load()
        todo_docs = [docs[i] for i in todo]
        eos_ids = _eos_ids(model, tokenizer)
        for index, (token_ids, prompt_tokens, seconds), truncated in zip(
            todo, self._generate(todo_docs), self.truncated(todo_docs)
        ):
            text = tokenizer.decode(token_ids, skip_special_tokens=True, clean_up_tokenization_spaces=True).strip()
            summaries[index] = Generation(
                text,
                prompt_tokens=prompt_tokens,
                completion_tokens=len(token_ids),
                latency_s=seconds,
                finish_reason="stop" if token_ids and token_ids[-1] in eos_ids else "length",
                model=self.model,
                truncated=truncated,
            )
        return summaries

    def summarize(self, doc: Document) -> Generation:
        return self.summarize_batch([doc])[0]


def model_input_limit(tokenizer: Any, config: Any) -> int:
    """A model's input limit in tokens: the tokenizer's ``model_max_length`` and the config's position
    embeddings, whichever is smaller and set; capped at :data:`MAX_INPUT_TOKENS_CAP`."""
    candidates: list[int] = []
    tokenizer_limit = getattr(tokenizer, "model_max_length", None)
    if _is_int(tokenizer_limit) and 0 < tokenizer_limit <= 1_000_000:
        candidates.append(tokenizer_limit)
    for key in ("max_position_embeddings", "n_positions", "max_encoder_position_embeddings"):
        value = getattr(config, key, None)
        if _is_int(value) and value > 0:
            candidates.append(value)
            break
    limit = min(candidates) if candidates else FALLBACK_INPUT_TOKENS
    return min(limit, MAX_INPUT_TOKENS_CAP)


def _strip_generated(row: list[int], model: Any, tokenizer: Any) -> list[int]:
    """Drop the decoder start token, and the padding after the first end-of-sequence token, from one
    generated sequence (a row that ends without one was cut by the length limit and has no padding)."""
    start = getattr(model.config, "decoder_start_token_id", None)
    if row and start is not None and row[0] == start:
        row = row[1:]
    eos_ids = _eos_ids(model, tokenizer)
    for position, token in enumerate(row):
        if token in eos_ids:
            return row[: position + 1]
    return row


def _eos_ids(model: Any, tokenizer: Any) -> set[int]:
    """The end-of-sequence token ids: the model's generation config's and the tokenizer's."""
    eos = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
    eos_ids = set(eos if isinstance(eos, (list, tuple)) else [eos])
    eos_ids.add(tokenizer.eos_token_id)
    eos_ids.discard(None)
    return eos_ids


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive_int(value: Any, name: str) -> None:
    if not _is_int(value) or value < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
