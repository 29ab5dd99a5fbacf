"""Find summarizer classes: registered names (entry-point group ``sumbench.summarizers``, which the
built-ins use too), ``module:Class`` or ``path/to/file.py:Class``. Nothing is imported until asked for.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import inspect
import sys
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from sumbench.errors import PluginError
from sumbench.summarizers.adapter import Plugin
from sumbench.summarizers.base import Summarizer

GROUP = "sumbench.summarizers"

#: The name this module's errors had before :mod:`sumbench.errors`; the same class.
SummarizerError = PluginError


def _distribution(ep: EntryPoint) -> str:
    dist = ep.dist
    return f"{dist.name} {dist.version}" if dist is not None else "an unknown distribution"


def registered() -> dict[str, EntryPoint]:
    """Registered summarizer names -> entry points (loaded lazily).

    Two installed distributions registering the same name is an error naming both: which one a
    suite gets must never depend on installation order.
    """
    found: dict[str, EntryPoint] = {}
    for ep in sorted(entry_points(group=GROUP), key=lambda e: (e.name, e.value)):
        first = found.get(ep.name)
        if first is None:
            found[ep.name] = ep
        elif (first.value, _distribution(first)) != (ep.value, _distribution(ep)):
            raise PluginError(
                f"summarizer name {ep.name!r} is registered twice: by {_distribution(first)} ({first.value}) "
                f"and by {_distribution(ep)} ({ep.value}); uninstall one of them"
            )
    return found


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"{hint} Registered summarizers: {', '.join(known) or '(none: is sumbench installed?)'}."


def resolve(use: str, base_dir: Path | None = None) -> type:
    """The class named by ``use``: a registered name, ``module:Class`` or ``file.py:Class``."""
    if ":" not in use:
        eps = registered()
        if use not in eps:
            raise SummarizerError(f"unknown summarizer {use!r}.{_did_you_mean(use, list(eps))}")
        try:
            loaded = eps[use].load()
        except ImportError as exc:
            raise SummarizerError(
                f"summarizer {use!r} cannot be loaded: {exc} (is the extra it needs installed? see `sumbench list`)"
            ) from exc
        return _checked(loaded, use)
    target, _, class_name = use.rpartition(":")
    if target.endswith(".py"):
        module = _load_file(target, base_dir)
    else:
        try:
            module = importlib.import_module(target)
        except ImportError as exc:
            raise SummarizerError(f"summarizer {use!r}: cannot import module {target!r} ({exc})") from exc
    if not hasattr(module, class_name):
        public = [n for n, v in vars(module).items() if inspect.isclass(v) and not n.startswith("_")]
        raise SummarizerError(
            f"summarizer {use!r}: {target} has no {class_name!r}."
            + (
                f" Did you mean {difflib.get_close_matches(class_name, public, n=1)[0]!r}?"
                if difflib.get_close_matches(class_name, public, n=1)
                else ""
            )
        )
    return _checked(getattr(module, class_name), use)


def _load_file(target: str, base_dir: Path | None) -> Any:
    path = Path(target)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    path = path.resolve()
    if not path.is_file():
        raise SummarizerError(f"summarizer plugin file not found: {path}")
    module_name = f"sumbench_plugin_{abs(hash(str(path)))}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[module_name]
        raise SummarizerError(f"summarizer plugin {path} failed to import: {exc!r}") from exc
    return module


def _checked(cls: Any, use: str) -> type:
    if not inspect.isclass(cls) or not issubclass(cls, Summarizer):
        raise SummarizerError(f"summarizer {use!r} is not a class with a summarize(doc) method")
    return cls


def parameters(cls: type) -> dict[str, inspect.Parameter]:
    """The constructor parameters of a summarizer class (its public knobs)."""
    return {
        n: p
        for n, p in inspect.signature(cls).parameters.items()
        if n != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }


def build(use: str, params: dict[str, Any] | None = None, base_dir: Path | None = None) -> Any:
    """Instantiate and validate the summarizer ``use`` with ``params``; unknown parameters fail with a
    hint. (A suite's summarizers are built by :func:`sumbench.suite.resolve_suite`.)"""
    return build_plugin(resolve(use, base_dir), use, params).instance


def build_plugin(cls: type, use: str, params: dict[str, Any] | None = None) -> Plugin:
    """Instantiate and validate an already resolved class (``use`` names it in errors), adapted as a
    :class:`~sumbench.summarizers.adapter.Plugin`."""
    params = dict(params or {})
    known = parameters(cls)
    for name in params:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise SummarizerError(
                f"summarizer {use!r} has no parameter {name!r}.{hint} Its parameters: {', '.join(known) or '(none)'}"
            )
    missing = [n for n, p in known.items() if p.default is inspect.Parameter.empty and n not in params]
    if missing:
        raise SummarizerError(f"summarizer {use!r} needs parameter(s) {', '.join(missing)}")
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
