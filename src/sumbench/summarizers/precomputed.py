"""Summaries made elsewhere, read from a corpus field or a JSONL/CSV file."""

from __future__ import annotations

from pathlib import Path

from sumbench.records import Document


class MissingSummary(KeyError):
    """No precomputed summary for a document."""

    def __str__(self) -> str:
        return str(self.args[0])


class Precomputed:
    """Scores summaries produced elsewhere: from a document field (``field``) or a file of
    ``{id, summary}`` rows (``file``, optionally filtered to one ``system``)."""

    version = "1"
    cacheable = False  # reading a file is cheaper than the cache, and the file may change

    def __init__(
        self,
        file: str | None = None,
        field: str | None = None,
        system: str | None = None,
        id_field: str = "id",
        summary_field: str = "summary",
        system_field: str = "system",
    ):
        self.file = file
        self.field = field
        self.system = system
        self.id_field = id_field
        self.summary_field = summary_field
        self.system_field = system_field

    def validate(self) -> None:
        if (self.file is None) == (self.field is None):
            raise ValueError("give exactly one of 'file' (a JSONL/CSV of {id, summary}) or 'field'")
        if self.file is not None and not Path(self.file).is_file():
            raise ValueError(f"precomputed summaries file not found: {self.file}")

    def _outputs(self) -> dict[str, str]:
        """The file's summaries by document id, read once."""
        cached = self.__dict__.get("_loaded")
        if cached is None:
            if self.file is None:
                raise ValueError("precomputed: no 'file' to read summaries from (validate() checks this)")
            from sumbench.corpora import load_system_outputs  # lazy: a data loader, not text processing

            cached = load_system_outputs(
                Path(self.file),
                id_field=self.id_field,
                summary_field=self.summary_field,
                system_field=self.system_field if self.system is not None else None,
                system=self.system,
            )
            self.__dict__["_loaded"] = cached
        return cached

    def summarize(self, doc: Document) -> str:
        self.validate()
        if self.field is not None:
            if self.field not in doc.meta:
                raise MissingSummary(f"document {doc.id!r} has no field {self.field!r}")
            return str(doc.meta[self.field])
        outputs = self._outputs()
        if doc.id not in outputs:
            raise MissingSummary(f"{self.file}: no summary for document {doc.id!r}")
        return outputs[doc.id]
