"""Find and build metrics: registered names (entry-point group ``sumbench.metrics``, which the
built-ins use too: rouge, lengths, extractiveness, bertscore, facts), ``module:Class`` or
``path/to/file.py:Class``. Nothing is imported until asked for; see :mod:`sumbench.scoring.base`.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

from sumbench import entrypoints
from sumbench.errors import PluginError
from sumbench.scoring.base import Metric

__all__ = ["GROUP", "build_metric", "lower_is_better", "metric_params", "registered", "resolve"]

GROUP = "sumbench.metrics"


def registered() -> dict[str, EntryPoint]:
    """Registered metric names -> entry points (loaded lazily)."""
    return entrypoints.registered(GROUP, "metric")


def resolve(use: str, base_dir: Path | None = None) -> type:
    """The metric class named by ``use``: a registered name, ``module:Class`` or ``file.py:Class``."""
    cls = entrypoints.resolve_class(use, GROUP, "metric", base_dir)
    if not inspect.isclass(cls) or not all(callable(getattr(cls, m, None)) for m in ("score_batch", "signature")):
        raise PluginError(f"metric {use!r} is not a class with score_batch(items) and signature() methods")
    return cls


def metric_params(metric: Any) -> dict[str, Any]:
    """A metric's constructor parameters as stored on the instance (its provenance)."""
    return {name: getattr(metric, name, None) for name in entrypoints.constructor_parameters(type(metric))}


def lower_is_better(metric: Metric) -> tuple[str, ...]:
    """The columns of ``metric`` where a lower value means a better summary (its optional
    ``lower_is_better``; none by default), each one of its declared columns."""
    declared = tuple(getattr(metric, "lower_is_better", ()) or ())
    unknown = [c for c in declared if c not in tuple(metric.columns)]
    if unknown:
        raise PluginError(f"metric {type(metric).__name__}: lower_is_better names undeclared columns {unknown}")
    return declared


def build_metric(use: str, params: Mapping[str, Any] | None = None, base_dir: Path | None = None) -> Metric:
    """Resolve, instantiate and validate the metric ``use`` with ``params``: unknown parameters fail with
    a hint; a metric's optional ``validate()`` runs now; its declared columns must be unique names."""
    cls = resolve(use, base_dir)
    params = dict(params or {})
    entrypoints.check_parameters(cls, use, params, "metric")
    try:
        metric = cls(**params)
        validate = getattr(metric, "validate", None)
        if callable(validate):
            validate()
        columns = tuple(metric.columns)
        signature = metric.signature()
    except PluginError:
        raise
    except (TypeError, ValueError, ImportError) as exc:
        raise PluginError(f"metric {use!r}: bad parameters {params}: {exc}") from exc
    if not columns or not all(isinstance(c, str) and c for c in columns) or len(set(columns)) != len(columns):
        raise PluginError(f"metric {use!r} must declare unique, non-empty column names; it declares {columns!r}")
    if not isinstance(signature, str) or not signature:
        raise PluginError(f"metric {use!r}: signature() must return a non-empty string")
    lower_is_better(metric)
    return metric
