"""Summarizers: the protocol, the registry and one module per built-in method."""

from sumbench.summarizers.base import Budget, ExtractiveSummarizer, Summarizer, get_params
from sumbench.summarizers.registry import SummarizerError, build, registered, resolve

__all__ = [
    "Budget",
    "ExtractiveSummarizer",
    "Summarizer",
    "SummarizerError",
    "build",
    "get_params",
    "registered",
    "resolve",
]
