"""Find summarizer classes: registered names (entry-point group ``sumbench.summarizers``, which the
built-ins use too), ``module:Class`` or ``path/to/file.py:Class``. Nothing is imported until asked for.
"""

from __future__ import annotations

import inspect
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

from sumbench import entrypoints
from sumbench.errors import PluginError
from sumbench.summarizers.adapter import Plugin
from sumbench.summarizers.base import Summarizer

GROUP = "sumbench.summarizers"

#: The name this module's errors had before :mod:`sumbench.errors`; the same class.
SummarizerError = PluginError


def registered() -> dict[str, EntryPoint]:
    """Registered summarizer names -> entry points (loaded lazily); a name registered twice by two
    distributions is an error naming both."""
    return entrypoints.registered(GROUP, "summarizer")


def resolve(use: str, base_dir: Path | None = None) -> type:
    """The class named by ``use``: a registered name, ``module:Class`` or ``file.py:Class``."""
    return _checked(entrypoints.resolve_class(use, GROUP, "summarizer", base_dir), use)


def _checked(cls: Any, use: str) -> type:
    if not inspect.isclass(cls) or not issubclass(cls, Summarizer):
        raise SummarizerError(f"summarizer {use!r} is not a class with a summarize(doc) method")
    return cls


def parameters(cls: type) -> dict[str, inspect.Parameter]:
    """The constructor parameters of a summarizer class (its public knobs)."""
    return entrypoints.constructor_parameters(cls)


def build(use: str, params: dict[str, Any] | None = None, base_dir: Path | None = None) -> Any:
    """Instantiate and validate the summarizer ``use`` with ``params``; unknown parameters fail with a
    hint. (A suite's summarizers are built by :func:`sumbench.suite.resolve_suite`.)"""
    return build_plugin(resolve(use, base_dir), use, params).instance


def build_plugin(cls: type, use: str, params: dict[str, Any] | None = None) -> Plugin:
    """Instantiate and validate an already resolved class (``use`` names it in errors), adapted as a
    :class:`~sumbench.summarizers.adapter.Plugin`."""
    params = dict(params or {})
    entrypoints.check_parameters(cls, use, params, "summarizer")
    try:
        instance = cls(**params)
    except (TypeError, ValueError) as exc:
        raise SummarizerError(f"summarizer {use!r}: bad parameters {params}: {exc}") from exc
    except Exception as exc:
        raise SummarizerError(f"summarizer {use!r}: its constructor raised {type(exc).__name__}: {exc}") from exc
    plugin = Plugin.wrap(instance, use)
    try:
        plugin.params()  # fails early when __init__ does not store its arguments
        plugin.validate()
    except (TypeError, ValueError) as exc:
        raise SummarizerError(f"summarizer {use!r}: bad parameters {params}: {exc}") from exc
    return plugin


def doc_line(cls: type) -> str:
    """The first paragraph of a class's docstring, on one line."""
    doc = (inspect.getdoc(cls) or "").strip()
    return " ".join(doc.split("\n\n", 1)[0].split())
