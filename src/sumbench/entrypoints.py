"""Finding plugin classes by name, the one way for summarizers and metrics alike: a registered name
(an entry point of the kind's group, which the built-ins use too), ``module:Class`` or
``path/to/file.py:Class``. Nothing is imported until asked for; an unknown name says "did you mean".
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

__all__ = ["constructor_parameters", "did_you_mean", "registered", "resolve_class"]


def _distribution(ep: EntryPoint) -> str:
    dist = ep.dist
    return f"{dist.name} {dist.version}" if dist is not None else "an unknown distribution"


def registered(group: str, kind: str) -> dict[str, EntryPoint]:
    """Registered names of entry-point ``group`` -> entry points (loaded lazily).

    Two installed distributions registering the same name is an error naming both: which one a
    suite gets must never depend on installation order."""
    found: dict[str, EntryPoint] = {}
    for ep in sorted(entry_points(group=group), key=lambda e: (e.name, e.value)):
        first = found.get(ep.name)
        if first is None:
            found[ep.name] = ep
        elif (first.value, _distribution(first)) != (ep.value, _distribution(ep)):
            raise PluginError(
                f"{kind} name {ep.name!r} is registered twice: by {_distribution(first)} ({first.value}) "
                f"and by {_distribution(ep)} ({ep.value}); uninstall one of them"
            )
    return found


def did_you_mean(name: str, known: list[str], kind: str) -> str:
    """`` Did you mean 'x'? Registered <kind>s: a, b.`` for an unknown ``name``."""
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"{hint} Registered {kind}s: {', '.join(known) or '(none: is sumbench installed?)'}."


def resolve_class(use: str, group: str, kind: str, base_dir: Path | None = None) -> Any:
    """The object named by ``use``: a name registered in ``group``, ``module:Class`` or ``file.py:Class``
    (relative to ``base_dir``). Errors are :class:`PluginError` naming ``kind`` and ``use``."""
    if ":" not in use:
        eps = registered(group, kind)
        if use not in eps:
            raise PluginError(f"unknown {kind} {use!r}.{did_you_mean(use, list(eps), kind)}")
        try:
            return eps[use].load()
        except ImportError as exc:
            raise PluginError(
                f"{kind} {use!r} cannot be loaded: {exc} (is the extra it needs installed? see `sumbench list`)"
            ) from exc
    target, _, class_name = use.rpartition(":")
    if target.endswith(".py"):
        module = _load_file(target, base_dir, kind)
    else:
        try:
            module = importlib.import_module(target)
        except ImportError as exc:
            raise PluginError(f"{kind} {use!r}: cannot import module {target!r} ({exc})") from exc
    if not hasattr(module, class_name):
        public = [n for n, v in vars(module).items() if inspect.isclass(v) and not n.startswith("_")]
        close = difflib.get_close_matches(class_name, public, n=1)
        raise PluginError(
            f"{kind} {use!r}: {target} has no {class_name!r}." + (f" Did you mean {close[0]!r}?" if close else "")
        )
    return getattr(module, class_name)


def _load_file(target: str, base_dir: Path | None, kind: str) -> Any:
    path = Path(target)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    path = path.resolve()
    if not path.is_file():
        raise PluginError(f"{kind} plugin file not found: {path}")
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
        raise PluginError(f"{kind} plugin {path} failed to import: {exc!r}") from exc
    return module


def constructor_parameters(cls: type) -> dict[str, inspect.Parameter]:
    """The constructor parameters of a plugin class (its public knobs)."""
    return {
        n: p
        for n, p in inspect.signature(cls).parameters.items()
        if n != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }


def check_parameters(cls: type, use: str, params: dict[str, Any], kind: str) -> None:
    """Unknown parameters fail with a hint; missing required ones are named."""
    known = constructor_parameters(cls)
    for name in params:
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise PluginError(
                f"{kind} {use!r} has no parameter {name!r}.{hint} Its parameters: {', '.join(known) or '(none)'}"
            )
    missing = [n for n, p in known.items() if p.default is inspect.Parameter.empty and n not in params]
    if missing:
        raise PluginError(f"{kind} {use!r} needs parameter(s) {', '.join(missing)}")
