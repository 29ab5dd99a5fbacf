"""sumbench's errors: one hierarchy of problems a user can fix.

The CLI prints a :class:`SumbenchError` as one line (``sumbench: error: ...``) with exit status 2; any
other exception is a bug and shows its traceback (``--debug`` shows the whole chain for both). Each
message names the file, line, table, key or document concerned. The subclasses stay ``ValueError`` s
(the run folder's too) so code written against earlier versions keeps catching them.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CorpusError", "PluginError", "RunError", "RunFolderError", "SuiteError", "SumbenchError"]


class SumbenchError(Exception):
    """A problem with the user's input or setup, stated in one line."""


class SuiteError(SumbenchError, ValueError):
    """An invalid suite: the message names the file, table and key."""


class CorpusError(SumbenchError, ValueError):
    """A corpus that cannot be loaded: the message names the file and line or row."""


class PluginError(SumbenchError, ValueError):
    """An unknown summarizer, a bad parameter, or a plugin that cannot be loaded or built."""


class RunError(SumbenchError, RuntimeError):
    """A run that cannot start or go on (a summarizer refusing the corpus, an existing run folder)."""


class RunFolderError(SumbenchError, ValueError):
    """A run-folder file is missing or malformed; ``path`` and ``line`` say where."""

    def __init__(self, path: str | Path, detail: str, line: int | None = None):
        self.path = Path(path)
        self.line = line
        self.detail = detail
        where = f"{self.path}" + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {detail}")
