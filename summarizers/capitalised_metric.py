# summarizers/capitalised_metric.py
class CapitalisedShare:
    """Share of the summary's words that start with a capital letter."""

    columns = ("capitalised_share",)  # the scores.csv columns this metric writes

    def __init__(self, min_length: int = 2):
        self.min_length = min_length  # parameters: stored, nothing else (no work in __init__)

    def signature(self) -> str:
        return f"capitalised-share|min_length:{self.min_length}|v1"

    def score_batch(self, items):
        out = []
        for item in items:
            words = [w for w in item.summary.split() if len(w) >= self.min_length]
            share = sum(w[0].isupper() for w in words) / len(words) if words else float("nan")
            out.append({"capitalised_share": share})
        return out
