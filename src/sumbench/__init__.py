"""sumbench: benchmark news summarizers with trustworthy ROUGE, uncertainty and reports."""

__version__ = "0.1.0"
