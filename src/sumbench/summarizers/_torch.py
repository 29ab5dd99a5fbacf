"""Shared helpers of the neural summarizers: lazy imports of the ``neural`` extra, device choice and
the fingerprint of a model (extra cache-key material).

Nothing here imports torch or transformers at module import time: ``sumbench`` works without the
extra, and a neural summarizer says which command installs it the moment it is validated or used.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
from pathlib import Path
from typing import Any

from sumbench._models import NEURAL_HINT, cached_hub_commit, local_model_dir, looks_like_path, missing_modules

# files whose contents go into a local model's fingerprint (small, and they change what the model does)
_CONTENT_FILES = {
    "config.json",
    "generation_config.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "sentence_bert_config.json",
    "modules.json",
}
_CONTENT_LIMIT = 1 << 20  # hash at most 1 MiB of a config file's contents; larger ones by name/size/mtime


class NeuralDependencyError(ImportError, ValueError):
    """The ``neural`` extra (torch, transformers, a bundled model package) is not installed.

    Also a :class:`ValueError`, so the registry reports it as a summarizer error when a suite is
    validated instead of crashing with a bare traceback.
    """


def require(who: str, *modules: str) -> None:
    """Raise :class:`NeuralDependencyError` naming the install command when a module is missing."""
    missing = missing_modules(*modules)
    if missing:
        raise NeuralDependencyError(f"{who} needs {', '.join(missing)} (the 'neural' extra): {NEURAL_HINT}")


def import_module(who: str, name: str) -> Any:
    """Import ``name`` for ``who``; a missing module raises :class:`NeuralDependencyError`."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise NeuralDependencyError(
            f"{who} needs {name} (the 'neural' extra), which cannot be imported ({exc}): {NEURAL_HINT}"
        ) from exc


def torch_and_transformers(who: str) -> tuple[Any, Any]:
    """``(torch, transformers)``, imported now."""
    return import_module(who, "torch"), import_module(who, "transformers")


def resolve_device(device: str, torch: Any) -> Any:
    """``"auto"``: CUDA when available, else CPU; anything else is passed to ``torch.device``."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def validate_device(device: Any) -> None:
    """Check a ``device`` parameter's shape without importing torch."""
    if not isinstance(device, str) or not device:
        raise ValueError(f"device must be a string ('auto', 'cpu', 'cuda', 'cuda:1', ...), not {device!r}")
    kind = device.split(":", 1)[0]
    if kind not in ("auto", "cpu", "cuda", "mps", "xpu", "npu", "hpu", "meta") or (kind == "auto" and device != "auto"):
        raise ValueError(f"device must be 'auto', 'cpu', 'cuda', 'cuda:N', 'mps', ..., not {device!r}")


def validate_model(model: Any, name: str = "model") -> None:
    """A hub id (``org/name``) or an existing local directory."""
    if not isinstance(model, str) or not model.strip():
        raise ValueError(
            f"{name} must be a Hugging Face model id (e.g. 'facebook/bart-large-cnn') or a local "
            f"model directory, not {model!r}"
        )
    if looks_like_path(model) and not Path(model).expanduser().is_dir():
        raise ValueError(f"{name} {model!r} looks like a local path, but no such directory exists")


#: The local model directory ``model`` names, or None for a hub id.
local_dir = local_model_dir


def fingerprint(model: str) -> str:
    """Extra cache-key material for ``model``.

    A local directory: ``"local:"`` + SHA-256 over the contents of its config files and the names,
    sizes and modification times of every other file (weights, tokenizer), so replacing or retraining
    the model in place invalidates cached summaries. A hub id: ``"hub:ID@COMMIT"`` with the commit the
    local Hugging Face cache resolves ``main`` to (read offline), else ``"hub:ID"``.
    """
    directory = local_dir(model)
    if directory is not None:
        return "local:" + _directory_digest(directory)
    commit = cached_hub_commit(model)
    return f"hub:{model}@{commit}" if commit else f"hub:{model}"


def _directory_digest(directory: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(
        p
        for p in directory.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )
    for path in files:
        relative = path.relative_to(directory).as_posix()
        stat = path.stat()
        digest.update(relative.encode("utf-8") + b"\x00")
        if path.name in _CONTENT_FILES and stat.st_size <= _CONTENT_LIMIT:
            digest.update(b"content\x00" + path.read_bytes())
        else:
            digest.update(f"size={stat.st_size}\x00mtime_ns={stat.st_mtime_ns}".encode())
        digest.update(b"\x01")
    return digest.hexdigest()
