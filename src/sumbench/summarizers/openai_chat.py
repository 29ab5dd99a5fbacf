"""Summaries from a chat model behind any OpenAI-compatible endpoint: OpenAI, vLLM, Ollama, the llama.cpp
server, LiteLLM, ``transformers serve``...

Needs the ``llm`` extra (``pip install 'sumbench[llm]'``): the official ``openai`` client, imported on first
use. The client's own retries are off: this module retries 408, 409, 429, 5xx, timeouts, connection
errors and malformed answers itself, with exponential backoff, jitter and the server's ``Retry-After``,
so what happens on each fault is explicit (and tested against a fake server).

The API key never passes through sumbench's parameters: ``api_key_env`` names the environment variable
that holds it, and the key is read when the client is made. It is kept only inside the client object,
which stays behind when the summarizer is copied to a worker process (the copy makes its own), and it is
scrubbed from every error message this module writes.
"""

from __future__ import annotations

import http
import importlib
import importlib.util
import json
import math
import os
import random
import re
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sumbench.errors import PluginError
from sumbench.records import Document, Generation
from sumbench.summarizers import prompts

__all__ = ["MISSING_EXTRA", "OPENAI_URL", "OpenAIChat", "RequestFailed"]

#: The endpoint ``base_url = None`` means (set explicitly: ``OPENAI_BASE_URL`` is not consulted, so the
#: cache key always says which server answered).
OPENAI_URL = "https://api.openai.com/v1"

#: The one line a missing ``openai`` package gives.
MISSING_EXTRA = "openai-chat needs the llm extra: pip install 'sumbench[llm]'"

TRUNCATE_MODES = ("head", "refuse")

#: Statuses worth another try (as the openai client's own retry rule: timeout, conflict, rate limit, 5xx).
RETRY_STATUSES = frozenset({408, 409, 429})

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SECRET_LIKE = re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}")  # OpenAI-style keys (sk-..., sk-proj-...)
# a sentence end (with closing quotes or brackets) followed by whitespace, or a line break
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|\n")


class RequestFailed(RuntimeError):
    """A request that failed for good: its retries were spent, or retrying could not help (a 400 or 401).
    The message names the endpoint and the model, never the API key."""


class _Malformed(Exception):
    """A 200 answer that is not a chat completion (not JSON, no choices)."""


class OpenAIChat:
    """Abstractive summaries from a chat model behind any OpenAI-compatible endpoint (the ``llm`` extra).

    Parameters (all part of the cache key, with the endpoint and the prompt and system texts' hashes):

    * ``model`` (required): the model name the server knows (``"gpt-4o-mini"``, a vLLM model path...).
    * ``base_url``: the endpoint, e.g. ``"http://127.0.0.1:8000/v1"``; ``None`` is OpenAI's.
    * ``api_key_env``: the *name* of the environment variable holding the API key (never the key). A
      local server that needs no key gets a placeholder when the variable is unset; OpenAI's endpoint
      fails validation without it.
    * ``prompt``: a built-in prompt (``news``, ``tldr``, ``one-sentence``, ``headline-lede``) or the path
      to a template file (relative to the working directory); see :mod:`sumbench.summarizers.prompts`.
    * ``system``: the system message; ``None`` is :data:`~sumbench.summarizers.prompts.SYSTEM`, ``""``
      sends none.
    * ``temperature`` (0-2), ``top_p`` (``None``: the server's), ``max_tokens``, ``seed`` (``None``: not
      sent; a suite gives its own ``seed`` when none is set): sent with each request.
    * ``words``, ``sentences``: the target length the template asks for.
    * ``max_concurrency``: requests in flight at once in ``summarize_batch``.
    * ``max_retries``: retries of one document's request (429, 5xx, 408, 409, timeouts, connection errors;
      at most 2 for malformed answers); ``timeout_s``: seconds per request.
    * ``context_tokens``: the model's context window; when set, an article that would not fit beside the
      prompt and ``max_tokens`` (estimated at 3 characters a token, on the safe side) is cut to fit.
      ``truncate = "head"`` keeps its start (``Generation.truncated``), ``"refuse"`` fails the document.
    * ``price_per_1m_input``, ``price_per_1m_output``: the price per million tokens, for the report.

    ``summarize`` returns a :class:`~sumbench.records.Generation` (text, token counts, latency, finish
    reason, the model the server reports, retries). Refusals are returned, not raised: a filtered answer
    keeps the server's ``content_filter`` and its text (often ``""``); a message with a ``refusal`` field
    gets ``finish_reason = "refusal"`` and the refusal's words as its text. An empty article gets ``""``
    without a request.
    """

    version = "1"
    reports_usage = True  # the report's tokens, latency, cost and answer-rate columns
    #: Parameters that never change a summary: in the manifest, not in the cache key (so raising the
    #: concurrency or correcting a price re-requests nothing).
    cache_exempt = (
        "api_key_env",
        "max_concurrency",
        "max_retries",
        "timeout_s",
        "price_per_1m_input",
        "price_per_1m_output",
    )

    # backoff: attempt n waits a random time in [d/2, d], d = min(cap, base * 2**n), and at least the
    # server's Retry-After (capped). Private class attributes, so tests can make them short.
    _backoff_base_s = 0.5
    _backoff_cap_s = 30.0
    _retry_after_cap_s = 120.0
    _malformed_retries = 2
    _chars_per_token = 3.0  # for cutting articles to context_tokens: fewer than most tokenizers' ~4
    _message_overhead_tokens = 16  # chat-template tokens around the messages

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        api_key_env: str = "OPENAI_API_KEY",
        prompt: str = "news",
        system: str | None = None,
        temperature: float = 0.0,
        top_p: float | None = None,
        max_tokens: int = 256,
        seed: int | None = None,
        words: int = 60,
        sentences: int = 3,
        max_concurrency: int = 4,
        max_retries: int = 5,
        timeout_s: float = 60.0,
        context_tokens: int | None = None,
        truncate: str = "head",
        price_per_1m_input: float | None = None,
        price_per_1m_output: float | None = None,
    ):
        self.model = model
        self.base_url = base_url
        self.api_key_env = api_key_env
        self.prompt = prompt
        self.system = system
        self.temperature = temperature
        self.top_p = top_p
        self.max_tokens = max_tokens
        self.seed = seed
        self.words = words
        self.sentences = sentences
        self.max_concurrency = max_concurrency
        self.max_retries = max_retries
        self.timeout_s = timeout_s
        self.context_tokens = context_tokens
        self.truncate = truncate
        self.price_per_1m_input = price_per_1m_input
        self.price_per_1m_output = price_per_1m_output

    def __getstate__(self) -> dict[str, Any]:
        # the client (which holds the key), its lock and the kept results stay behind: a copy makes its own
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __repr__(self) -> str:
        return f"OpenAIChat(model={self.model!r}, endpoint={self.endpoint()!r}, api_key_env={self.api_key_env!r})"

    # ----------------------------------------------------------------------------------- parameters

    def validate(self) -> None:
        """Check the parameters, the prompt, the key variable (for OpenAI's endpoint) and the extra."""
        if not isinstance(self.model, str) or not self.model.strip():
            raise ValueError(f"model must be a non-empty string (the name the server knows), not {self.model!r}")
        if self.base_url is not None:
            parts = urlsplit(self.base_url) if isinstance(self.base_url, str) else None
            if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(
                    "base_url must be an http(s) URL such as http://127.0.0.1:8000/v1, or None for OpenAI's"
                )
            try:
                parts.port  # noqa: B018 - raises ValueError for a port that is not a number
            except ValueError:
                raise ValueError("base_url has an invalid port") from None
        if not isinstance(self.api_key_env, str) or not _ENV_NAME.fullmatch(self.api_key_env):
            # the value is not echoed: a key pasted here by mistake must not land in an error message
            raise ValueError(
                "api_key_env must be the name of the environment variable that holds the API key "
                "(such as OPENAI_API_KEY), never the key itself"
            )
        if not isinstance(self.prompt, str):
            raise ValueError(f"prompt must be a built-in prompt name or a file path, not {self.prompt!r}")
        try:
            self._prompt()
        except ValueError as exc:
            raise ValueError(f"prompt: {exc}") from None
        if self.system is not None and not isinstance(self.system, str):
            raise ValueError(f"system must be a string or None, not {self.system!r}")
        if not _is_number(self.temperature) or not 0 <= self.temperature <= 2:
            raise ValueError(f"temperature must be a number from 0 to 2, not {self.temperature!r}")
        if self.top_p is not None and (not _is_number(self.top_p) or not 0 < self.top_p <= 1):
            raise ValueError(f"top_p must be a number in (0, 1] or None, not {self.top_p!r}")
        for name in ("max_tokens", "words", "sentences", "max_concurrency"):
            _positive_int(getattr(self, name), name)
        if self.seed is not None and not _is_int(self.seed):
            raise ValueError(f"seed must be an integer or None, not {self.seed!r}")
        if not _is_int(self.max_retries) or self.max_retries < 0:
            raise ValueError(f"max_retries must be a non-negative integer, not {self.max_retries!r}")
        if not _is_number(self.timeout_s) or not self.timeout_s > 0:
            raise ValueError(f"timeout_s must be a positive number of seconds, not {self.timeout_s!r}")
        if self.truncate not in TRUNCATE_MODES:
            raise ValueError(f"truncate must be one of {', '.join(map(repr, TRUNCATE_MODES))}, not {self.truncate!r}")
        if self.context_tokens is not None:
            _positive_int(self.context_tokens, "context_tokens")
            empty = Document("", "", (), ())
            room = self.context_tokens - self.max_tokens - self._overhead_tokens(empty)
            if room < 1:
                raise ValueError(
                    f"context_tokens ({self.context_tokens}) leaves no room for an article beside max_tokens "
                    f"({self.max_tokens}) and the prompt (about {self._overhead_tokens(empty)} tokens)"
                )
        for name in ("price_per_1m_input", "price_per_1m_output"):
            value = getattr(self, name)
            if value is not None and (not _is_number(value) or value < 0):
                raise ValueError(f"{name} must be a non-negative number or None, not {value!r}")
        if self.base_url is None and not os.environ.get(self.api_key_env):
            raise ValueError(
                f"api_key_env: the environment variable {self.api_key_env} is not set, and OpenAI's endpoint "
                "needs an API key (set it, or give base_url for a local server)"
            )
        if not _openai_installed():
            raise PluginError(MISSING_EXTRA)

    def endpoint(self) -> str:
        """The endpoint, normalized: lower-case scheme and host, no default port, no credentials, no query,
        no trailing slash (its identity in the cache key, and how messages name it)."""
        return normalize_url(self.base_url if self.base_url is not None else OPENAI_URL)

    def system_text(self) -> str:
        return prompts.SYSTEM if self.system is None else self.system

    def fingerprint(self) -> str:
        """Extra cache-key material: the endpoint and the hashes of the prompt and system texts, so that
        editing a prompt file, or pointing at another server, never serves stale summaries."""
        return (
            f"endpoint={self.endpoint()} prompt={self._prompt().hash} system={prompts.prompt_hash(self.system_text())}"
        )

    def _prompt(self) -> prompts.Prompt:
        """The prompt, loaded once per instance (the fingerprint and the requests see the same text)."""
        loaded = self.__dict__.get("_prompt_obj")
        if loaded is None or loaded[0] != self.prompt:
            loaded = (self.prompt, prompts.load_prompt(self.prompt))
            self.__dict__["_prompt_obj"] = loaded
        return loaded[1]

    # --------------------------------------------------------------------------------------- client

    def _lock(self) -> threading.Lock:
        lock: threading.Lock = self.__dict__.setdefault("_lock_obj", threading.Lock())
        return lock

    def _client(self) -> tuple[Any, Any]:
        """``(openai module, client)``, made once per instance; the key is read from the environment now."""
        made = self.__dict__.get("_client_obj")
        if made is not None:
            return made
        with self._lock():
            made = self.__dict__.get("_client_obj")
            if made is not None:
                return made
            openai = _import_openai()
            key = os.environ.get(self.api_key_env)
            if not key:
                if self.base_url is None:
                    raise PluginError(
                        f"openai-chat: the environment variable {self.api_key_env} is not set, and OpenAI's "
                        "endpoint needs an API key"
                    )
                key = "no-key"  # local servers take any key, but the client insists on one
            client = openai.OpenAI(
                api_key=key,
                base_url=self.base_url if self.base_url is not None else OPENAI_URL,
                timeout=float(self.timeout_s),
                max_retries=0,
            )
            made = (openai, client)
            self.__dict__["_client_obj"] = made
            return made

    def _scrub(self, text: str) -> str:
        """``text`` without the API key (and anything shaped like one)."""
        key = os.environ.get(self.api_key_env) if isinstance(self.api_key_env, str) else None
        if key and len(key) >= 4:
            text = text.replace(key, "***")
        return _SECRET_LIKE.sub("***", text)

    # ----------------------------------------------------------------------------------- the request

    def _overhead_tokens(self, doc: Document) -> int:
        """Estimated tokens of everything but the article: system message, the filled template, chat markup."""
        template = self._prompt().render(doc, words=self.words, sentences=self.sentences, article="")
        return (
            self._estimate_tokens(self.system_text()) + self._estimate_tokens(template) + self._message_overhead_tokens
        )

    def _estimate_tokens(self, text: str) -> int:
        return math.ceil(len(text) / self._chars_per_token)

    def fit_article(self, doc: Document) -> tuple[str, bool]:
        """The article as sent, and whether it was cut to fit ``context_tokens``."""
        if self.context_tokens is None:
            return doc.text, False
        room = self.context_tokens - self.max_tokens - self._overhead_tokens(doc)
        needed = self._estimate_tokens(doc.text)
        if needed <= room:
            return doc.text, False
        if self.truncate == "refuse" or room < 1:
            raise ValueError(
                f"openai-chat: document {doc.id!r} is too long for context_tokens={self.context_tokens}: "
                f"about {needed} tokens of article, room for {max(room, 0)} (truncate = {self.truncate!r})"
            )
        return _cut(doc.text, int(room * self._chars_per_token)), True

    def messages(self, doc: Document) -> tuple[list[dict[str, str]], bool]:
        """The chat messages for ``doc`` and whether its article was cut."""
        article, truncated = self.fit_article(doc)
        user = self._prompt().render(doc, words=self.words, sentences=self.sentences, article=article)
        system = self.system_text()
        messages = [{"role": "system", "content": system}] if system else []
        messages.append({"role": "user", "content": user})
        return messages, truncated

    def _request_kwargs(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }
        if self.top_p is not None:
            kwargs["top_p"] = self.top_p
        if self.seed is not None:
            kwargs["seed"] = self.seed
        return kwargs

    def generate(self, doc: Document) -> Generation:
        """One document's summary, retried as the class docstring says; :class:`RequestFailed` when it
        finally fails, ``ValueError`` for an article too long with ``truncate = "refuse"``."""
        if not doc.text.strip():
            return Generation("", latency_s=0.0)
        messages, truncated = self.messages(doc)
        openai, client = self._client()
        kwargs = self._request_kwargs(messages)
        where = f"from {self.endpoint()} (model {self.model!r})"
        started = time.perf_counter()
        attempt = malformed = 0
        while True:
            retry_after: float | None = None
            try:
                raw = client.chat.completions.with_raw_response.create(**kwargs)
                body = raw.text
            except openai.APIStatusError as exc:
                status = int(exc.status_code)
                problem = f"{status} {_phrase(status)}"
                if status not in RETRY_STATUSES and status < 500:
                    detail = _server_message(exc.body)
                    raise RequestFailed(
                        self._scrub(f"openai-chat: {problem} {where}" + (f": {detail}" if detail else ""))
                    ) from None
                retry_after = _retry_after(exc.response.headers)
            except openai.APITimeoutError:
                problem = f"timed out after {self.timeout_s:g} s"
            except openai.APIConnectionError as exc:
                problem = f"connection error ({_cause(exc)})"
            except openai.APIError as exc:  # anything else the client raises: not worth retrying
                raise RequestFailed(self._scrub(f"openai-chat: {type(exc).__name__} {where}: {exc}")) from None
            else:
                try:
                    return _generation(
                        body, truncated=truncated, retries=attempt, latency=time.perf_counter() - started
                    )
                except _Malformed as exc:
                    problem = str(exc)
                    malformed += 1
                    if malformed > min(self._malformed_retries, self.max_retries):
                        raise RequestFailed(
                            self._scrub(f"openai-chat: {_retries(attempt)} exhausted: {problem} {where}")
                        ) from None
            if attempt >= self.max_retries:
                raise RequestFailed(self._scrub(f"openai-chat: {_retries(attempt)} exhausted: {problem} {where}"))
            time.sleep(self._delay(attempt, retry_after))
            attempt += 1

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        ceiling = min(self._backoff_cap_s, self._backoff_base_s * 2**attempt)
        delay = random.uniform(ceiling / 2, ceiling)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self._retry_after_cap_s))
        return delay

    # ------------------------------------------------------------------------------------ summarizing

    def summarize(self, doc: Document) -> Generation:
        """The summary of ``doc``; a result kept from a failed ``summarize_batch`` is returned (or its
        error raised) without a new request."""
        key = (doc.id, doc.text_hash)
        with self._lock():
            kept: dict[tuple[str, str], Generation | BaseException] = self.__dict__.get("_kept_obj", {})
            result = kept.pop(key, None)
        if isinstance(result, BaseException):
            raise result
        if result is not None:
            return result
        return self.generate(doc)

    def summarize_batch(self, docs: Sequence[Document]) -> list[Generation]:
        """Summaries of ``docs`` in order, ``max_concurrency`` requests at a time.

        When some documents fail, the batch raises :class:`RequestFailed` naming them, and keeps every
        result: the one-by-one pass that follows (see :mod:`sumbench.summarizers.adapter`) gets each
        success back from :meth:`summarize` without a new request, and each failure's own error.
        """
        docs = list(docs)
        with self._lock():
            self.__dict__["_kept_obj"] = {}  # results of an earlier batch that nobody asked for
        if not docs:
            return []
        if any(doc.text.strip() for doc in docs):
            self._client()  # a missing extra or key fails the batch once, before any thread starts
        pool = ThreadPoolExecutor(max_workers=min(self.max_concurrency, len(docs)), thread_name_prefix="openai-chat")
        try:
            futures: list[Future[Generation]] = [pool.submit(self.generate, doc) for doc in docs]
            wait(futures)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C: start nothing more
            raise
        pool.shutdown()
        failed = [(doc, f.exception()) for doc, f in zip(docs, futures) if f.exception() is not None]
        if not failed:
            return [f.result() for f in futures]
        kept: dict[tuple[str, str], Generation | BaseException] = {}
        for doc, future in zip(docs, futures):
            error = future.exception()
            kept[(doc.id, doc.text_hash)] = error if error is not None else future.result()
        with self._lock():
            self.__dict__["_kept_obj"] = kept
        names = ", ".join(repr(doc.id) for doc, _ in failed[:5]) + (", ..." if len(failed) > 5 else "")
        raise RequestFailed(
            f"openai-chat: {len(failed)} of {len(docs)} documents failed ({names}; first: {failed[0][1]}); "
            f"the {len(docs) - len(failed)} summaries made are kept, not requested again"
        )


# ---------------------------------------------------------------------------------------- helpers


def _openai_installed() -> bool:
    if "openai" in sys.modules:
        return sys.modules["openai"] is not None
    return importlib.util.find_spec("openai") is not None


def _import_openai() -> Any:
    try:
        return importlib.import_module("openai")
    except ImportError:
        raise PluginError(MISSING_EXTRA) from None


def normalize_url(url: str) -> str:
    """``url`` as an identity: lower-case scheme and host, no credentials, default port, query, fragment or
    trailing slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    return urlunsplit((scheme, host, parts.path.rstrip("/"), "", ""))


def _generation(body: str, *, truncated: bool, retries: int, latency: float) -> Generation:
    """A :class:`Generation` from a chat completion's JSON text; :class:`_Malformed` when it is not one."""
    try:
        data = json.loads(body)
    except ValueError:
        raise _Malformed(f"malformed response (not JSON: {body[:60]!r})") from None
    if not isinstance(data, dict):
        raise _Malformed(f"malformed response (JSON {type(data).__name__}, not an object)")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        error = data.get("error")
        if error:
            raise _Malformed(f"error in a 200 response: {_server_message(error)}")
        raise _Malformed("malformed response (no choices)")
    choice = choices[0]
    message = choice.get("message")
    if not isinstance(message, dict):
        raise _Malformed("malformed response (a choice without a message)")
    content = message.get("content")
    if isinstance(content, list):  # content parts
        content = "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    text = content.strip() if isinstance(content, str) else ""
    finish = choice.get("finish_reason")
    finish = str(finish) if finish is not None else None
    refusal = message.get("refusal")
    if isinstance(refusal, str) and refusal.strip():
        text = text or refusal.strip()  # the refusal's words, so the report can tell it from an empty answer
        if finish in (None, "stop"):
            finish = "refusal"
    usage = data.get("usage")
    if not isinstance(usage, dict):
        usage = {}
    model = data.get("model")
    return Generation(
        text,
        prompt_tokens=_int_or_none(usage.get("prompt_tokens")),
        completion_tokens=_int_or_none(usage.get("completion_tokens")),
        latency_s=latency,
        finish_reason=finish,
        model=model if isinstance(model, str) else None,
        truncated=truncated,
        retries=retries,
    )


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asks to wait: ``retry-after-ms``, or ``Retry-After`` in seconds or as an HTTP date."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return max(0.0, float(value) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _cut(text: str, max_chars: int) -> str:
    """The start of ``text`` in at most ``max_chars`` characters, ending at a sentence end when one falls in
    the second half, else at a space."""
    if len(text) <= max_chars:
        return text
    head = text[: max_chars + 1]  # one more: a sentence end at the limit is followed by whitespace there
    ends = [m.end() for m in _SENTENCE_END.finditer(head) if m.end() <= max_chars]
    if ends and ends[-1] >= max_chars // 2:
        return text[: ends[-1]].rstrip()
    space = text.rfind(" ", 0, max_chars + 1)
    return text[: space if space > max_chars // 2 else max_chars].rstrip()


def _server_message(body: object) -> str:
    """The server's own words about an error, on one line and short."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            body = inner.get("message") or inner.get("detail") or json.dumps(inner)
        else:
            body = inner
    text = " ".join(str(body).split()) if body is not None else ""
    return text[:200] + ("..." if len(text) > 200 else "")


def _cause(exc: BaseException) -> str:
    """The underlying reason of a connection error (``ConnectError: [Errno 111] Connection refused``)."""
    cause = exc.__cause__ or exc.__context__
    return f"{type(cause).__name__}: {cause}" if cause is not None else str(exc)


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "error"


def _retries(n: int) -> str:
    return f"{n} retry" if n == 1 else f"{n} retries"


def _int_or_none(value: Any) -> int | None:
    return value if _is_int(value) else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _positive_int(value: Any, name: str) -> None:
    if not _is_int(value) or value < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
