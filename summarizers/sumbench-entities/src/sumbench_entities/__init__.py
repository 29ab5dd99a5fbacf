"""sumbench-entities: a third-party summarizer published through the ``sumbench.summarizers`` entry point."""

import re

_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\b")


class EntityDensity:
    """Sentences with the most distinct capitalised names (not counting each sentence's first word)."""

    version = "1"

    def __init__(self, k: int = 3):
        self.k = k

    def summarize(self, doc) -> str:
        def names(sentence: str) -> int:
            rest = sentence.split(" ", 1)[1] if " " in sentence else ""
            return len(set(_NAME.findall(rest)))

        ranked = sorted(range(len(doc.sentences)), key=lambda i: (-names(doc.sentences[i]), i))
        return "\n".join(doc.sentences[i] for i in sorted(ranked[: self.k]))
