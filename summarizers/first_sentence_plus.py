"""Example plugin: the lead sentence plus the article's most "newsy" sentence.

Load it from a suite by path (relative to the suite file):

    [[summarizers]]
    use = "../summarizers/first_sentence_plus.py:LeadPlusQuote"
    params = { extra = 1 }
"""

import re

_QUOTE = re.compile(r"[\"“”]|``|''| said\b| says\b")


class LeadPlusQuote:
    """Lead sentence plus the first `extra` sentences that quote someone (said/says or quotes)."""

    version = "1"

    def __init__(self, extra: int = 1):
        self.extra = extra  # store parameters unchanged: they are the cache key

    def summarize(self, doc) -> str:
        if not doc.sentences:
            return ""
        quoted = [i for i, s in enumerate(doc.sentences[1:], start=1) if _QUOTE.search(s)]
        chosen = [0, *quoted[: self.extra]]
        return "\n".join(doc.sentences[i] for i in chosen)
