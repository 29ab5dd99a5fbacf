"""Rule-based fact checks: numbers, dates, quotes and names of a summary against its article."""

from __future__ import annotations

import gzip
import json
import math

import pytest

import sumbench.scoring.facts as facts_module
from _shared import shared_corpora  # noqa: F401  (a fixture)
from sumbench.scoring.base import Metric, MetricItem
from sumbench.scoring.facts import FACT_COLUMNS, ArticleFacts, Fact, FactChecks, FactReport, check_facts

ARTICLE = (
    "Gary Locke will be confirmed as Kilmarnock’s permanent manager on Friday - exactly eight weeks after he "
    "was asked to take charge. An announcement will be made by the Rugby Park club on Friday morning, with the "
    "former Hearts boss being given a three-year deal. And on Thursday the 39-year-old paid tribute to the "
    "players. He replaced Allan Johnston in February. The deal is worth $5m over 3,500,000 days. Some 40 per "
    "cent of fans agreed. Twelve players signed on March 3, 2015. Hillary Rodham Clinton said ‘I’d be over the "
    'moon to get it as it’s something I’ve worked hard towards,’ and added: "We don\'t know." He joined in '
    "1994. Half a million people watched the third game."
)


def facts_of(summary: str, article: str = ARTICLE, kind: str = "numbers", **kw) -> list[tuple[str, bool]]:
    """(text, supported) of the summary's facts of one kind."""
    return [(f.text, f.supported) for f in check_facts(summary, article, **kw).of(kind)]


def value_supported(summary: str, article: str) -> bool:
    """The single number fact of ``summary`` and whether ``article`` supports it."""
    found = check_facts(summary, article).numbers
    assert len(found) == 1, found
    return found[0].supported


# --------------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "article"),
    [
        ("It cost 3.5 million.", "It cost 3,500,000."),
        ("It cost 3,500,000.", "It cost 3.5 million."),
        ("It cost 3.5m.", "It cost 3,500,000."),
        ("it cost 3.5 million .", "It cost 3.5m."),
        ("Twelve players left.", "12 players left."),
        ("12 players left.", "Twelve players left."),
        ("twenty-five players left.", "25 players left."),
        ("It has one hundred and twenty rooms.", "It has 120 rooms."),
        ("A dozen players left.", "12 players left."),
        ("Two dozen players left.", "24 players left."),
        ("Half a million people came.", "500,000 people came."),
        ("A million people came.", "1,000,000 people came."),
        ("He finished third.", "He finished 3rd."),
        ("He finished 3rd.", "He was third."),
        ("His 21st goal.", "His twenty-first goal."),
        ("Some 40% agreed.", "Some 40 per cent agreed."),
        ("Some forty percent agreed.", "Some 40%."),
        ("some 40 % agreed .", "Some 40 percent agreed."),
        ("They paid $5m.", "They paid 5 million dollars."),
        ("they paid $ 5 million .", "They paid $5,000,000."),
        ("It cost £2.3 billion.", "It cost £2.3bn."),
        ("it cost # 2.3 bn .", "It cost £2,300,000,000."),
        ("The 39-year-old left.", "Locke, 39, left."),
        ("The 39-year-old left.", "Locke, aged 39, left."),
        ("more than 25, 000 fans.", "More than 25,000 fans."),
        ("He ran the 100m.", "He ran 100 metres."),
        ("A 100m deal.", "A 100 million deal."),
        ("It cost 3.5 million.", "It cost 3,470,000."),  # the summary rounds the article
        ("Some 40% agreed.", "Some 39.6% agreed."),
        ("Some 40% agreed.", "40 people agreed."),  # a unit only on one side
    ],
)
def test_equal_numbers_are_supported(summary, article):
    assert value_supported(summary, article)


@pytest.mark.parametrize(
    ("summary", "article"),
    [
        ("It cost 3.6 million.", "It cost 3,500,000."),
        ("It cost 3,470,000.", "It cost 3.5 million."),  # never rounded the other way
        ("Thirteen players left.", "12 players left."),
        ("Some 41% agreed.", "Some 40 per cent agreed."),
        ("Some 40% agreed.", "It cost $40."),  # percent is not dollars
        ("They paid $5m.", "They paid £5m."),
        ("The 54-year-old left.", "Locke, 39, left in 1954."),
        ("He finished fourth.", "He finished 3rd."),
    ],
)
def test_different_numbers_are_unsupported(summary, article):
    assert not value_supported(summary, article)


def test_number_values_are_normalised():
    report = check_facts("They paid $ 5 million , 40 % of 3.5m and a dozen , aged 39 .", ARTICLE)
    assert [f.value for f in report.numbers] == ["5000000 dollar", "40 percent", "3500000", "12", "39 age"]


def test_what_is_not_a_number_claim():
    # a lone "one", "first", "second" as time, vague plurals and years are not number facts
    summary = "One of the players was the first to leave in 2015, within a second, as thousands watched."
    assert check_facts(summary, ARTICLE).numbers == ()
    # a compound with "one", and "second" after a possessive, are
    assert facts_of("One million people and twenty-one players watched his second goal.") == [
        ("One million", False),
        ("twenty-one", False),
        ("second", False),
    ]


def test_ptb_lowercase_summary_against_natural_article():
    summary = "the 39-year-old paid $ 5 million , 40 % of fans . twelve players signed on march 3 , 2015 ."
    report = check_facts(summary, ARTICLE)
    assert [(f.text, f.supported) for f in report.numbers] == [
        ("39-year-old", True),
        ("$ 5 million", True),
        ("40 %", True),
        ("twelve", True),
    ]
    assert [(f.text, f.supported) for f in report.dates] == [("march 3 , 2015", True)]
    assert math.isnan(report.share("names"))  # a lower-cased summary: no name check


def test_xsum_escaped_apostrophes_and_mojibake_pound():
    summary = "the club\\'s owner paid $ 1m (Â # 800, 000) for a ``new stand\\'\\'."
    article = "The club's owner paid $1m (£800,000) for a new stand, he said."
    report = check_facts(summary, article)
    assert [(f.value, f.supported) for f in report.numbers] == [("1000000 dollar", True), ("800000 pound", True)]
    assert [(f.text, f.supported) for f in report.quotes] == [("new stand", True)]


# --------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("They signed on 3 March 2015.", [("3 March 2015", True)]),
        ("they signed on march 3rd .", [("march 3rd", True)]),
        ("They signed on 4 March 2015.", [("4 March 2015", False)]),
        ("They signed on March 3, 2016.", [("March 3, 2016", False)]),
        ("He will be confirmed on friday .", [("friday", True)]),
        ("He will be confirmed on Tuesday.", [("Tuesday", False)]),
        ("He joined in 1994.", [("1994", True)]),
        ("He joined in 1995.", [("1995", False)]),
        ("He joined in the 1990s.", [("1990s", True)]),
        ("He joined in the 1980s.", [("1980s", False)]),
        ("He replaced Johnston in February.", [("February", True)]),
        ("He replaced Johnston in may.", [("may", False)]),
        ("He may leave and fans may march.", []),  # the modal and the verb
        ("He met Theresa May.", []),
        ("Friday, March 3, 2015 was the day.", [("Friday, March 3, 2015", True)]),
    ],
)
def test_dates(summary, expected):
    assert facts_of(summary, ARTICLE, "dates") == expected


def test_weekday_with_possessive_and_years_are_not_numbers():
    article = "Benzema was injured in Tuesday's 0-0 draw in 2015."
    report = check_facts("he was injured on tuesday in 2015 .", article)
    assert [(f.value, f.supported) for f in report.dates] == [("weekday=tuesday", True), ("year=2015", True)]
    assert report.numbers == ()


# --------------------------------------------------------------------------------------------------
# Quotes
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ('He said "I\'d be over the moon" about it.', [("I'd be over the moon", True)]),
        ("He said “Over the MOON, to get it” about it.", [("Over the MOON, to get it", True)]),
        ("He said ‘something I’ve worked hard towards’.", [("something I’ve worked hard towards", True)]),
        ("locke : `` i 'd be over the moon '' .", [("i 'd be over the moon", True)]),
        ("`` we do n't know , '' she said .", [("we do n't know ,", True)]),
        ("He said 'over the moon' today.", [("over the moon", True)]),
        ('He said "over the sun" today.', [("over the sun", False)]),
        ('He said "over the moon to get something" today.', [("over the moon to get something", False)]),
        ('He said "over the moon ... worked hard towards".', [("over the moon ... worked hard towards", True)]),
        # each sentence of a quote is checked on its own (quote marks paired wrongly span the narrative)
        (
            'He said "Twelve players signed on March 3, 2015. He joined in 1994." today.',
            [("Twelve players signed on March 3, 2015. He joined in 1994.", True)],
        ),
        ("it 's the club 's manager .", []),  # PTB clitics are not quotes
        ("The players' union and the fans' club.", []),
    ],
)
def test_quotes(summary, expected):
    assert facts_of(summary, ARTICLE, "quotes") == expected


# --------------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("Gary Locke will be confirmed.", [("Gary Locke", True)]),
        ("The club confirmed Locke.", [("Locke", True)]),  # a surname
        ("Mr Locke is the manager.", [("Locke", True)]),  # a title is dropped
        ("Gary Johnston will be confirmed.", [("Gary Johnston", False)]),  # both words in the article
        ("Hillary Clinton said it.", [("Hillary Clinton", True)]),  # inside Hillary Rodham Clinton
        ("They met at Rugby Park.", [("Rugby Park", True)]),
        ("Former Hearts boss Locke left.", [("Hearts", True), ("Locke", True)]),
        ("Yesterday the players left.", []),  # a common word opening a sentence
        ("The manager left. Smith said so.", [("Smith", False)]),
        ("He joined Kilmarnock's rivals.", [("Kilmarnock's", True)]),
        ("The BBC said so.", [("BBC", False)]),
        ("The Bank of England agreed.", [("Bank", False), ("England", False)]),  # "of" does not join
        ("Locke left Rugby Park The club said so.", [("Locke", True), ("Rugby Park", True)]),  # no full stop
        ("Fans of Rugby Park Hearts came.", [("Rugby Park Hearts", True)]),  # two article names run together
    ],
)
def test_names_in_cased_summaries(summary, expected):
    assert facts_of(summary, ARTICLE, "names") == expected


def test_lowercase_summary_has_no_name_check():
    report = check_facts("gary johnston will be confirmed by smith .", ARTICLE)
    assert report.names == () and not report.names_checked
    assert math.isnan(report.share("names"))
    assert math.isnan(report.scores()["unsupported_names"])
    # UNK placeholders do not make a summary cased
    assert not check_facts("gary UNK will be confirmed .", ARTICLE).names_checked


def test_lowercase_names_option_recovers_article_names():
    article = "Craig Venter is one of the world's best-known scientists, said Rugby Park officials."
    report = check_facts("jk venter is one of the scientists at rugby park .", article, lowercase_names=True)
    assert report.names_checked
    assert [(f.text, f.supported) for f in report.names] == [("jk venter", False), ("rugby park", True)]
    assert report.share("names") == 0.5


# --------------------------------------------------------------------------------------------------
# Offsets, report and metric
# --------------------------------------------------------------------------------------------------


def test_offsets_point_at_the_spans():
    summary = 'Gary Johnston paid $ 7 million on 4 March 2015 , saying "over the sun" .'
    report = check_facts(summary, ARTICLE)
    for f in report.facts:
        assert summary[f.start : f.end] == f.text
    spans = {(f.kind, f.text) for f in report.unsupported}
    assert spans == {
        ("name", "Gary Johnston"),
        ("number", "$ 7 million"),
        ("date", "4 March 2015"),
        ("quote", "over the sun"),
    }
    assert summary.index("$ 7 million") == report.numbers[0].start
    assert [f.start for f in report.facts] == sorted(f.start for f in report.facts)


def test_report_scores_and_nan_rules():
    report = check_facts("Gary Locke paid $5m and $7m in 2016.", ARTICLE)
    scores = report.scores()
    assert set(scores) == set(FACT_COLUMNS)
    assert scores["unsupported_numbers"] == 0.5
    assert scores["unsupported_dates"] == 1.0
    assert math.isnan(scores["unsupported_quotes"])
    assert scores["unsupported_names"] == 0.0
    assert scores["unsupported_facts"] == 2.0
    assert scores["checked_facts"] == 4.0
    empty = check_facts("", ARTICLE).scores()
    assert empty["unsupported_facts"] == 0.0 and empty["checked_facts"] == 0.0
    assert all(math.isnan(empty[f"unsupported_{k}"]) for k in ("numbers", "dates", "quotes", "names"))
    assert isinstance(report, FactReport) and isinstance(report.numbers[0], Fact)
    with pytest.raises(ValueError):
        report.of("people")


def test_metric_columns_signature_and_kinds():
    metric = FactChecks()
    assert isinstance(metric, Metric)
    assert (
        tuple(metric.columns)
        == FACT_COLUMNS
        == (
            "unsupported_numbers",
            "unsupported_dates",
            "unsupported_quotes",
            "unsupported_names",
            "unsupported_facts",
            "checked_facts",
        )
    )
    assert metric.signature() == "facts|kinds:numbers,dates,quotes,names|v1"
    assert FactChecks(kinds=["dates", "numbers"]).signature() == "facts|kinds:numbers,dates|v1"
    assert FactChecks(lowercase_names=True).signature() == "facts|kinds:numbers,dates,quotes,names|lowercase-names|v1"
    with pytest.raises(ValueError):
        FactChecks(kinds=("numbers", "people"))
    item = MetricItem("d", "s", "Gary Smith paid $7m in 2016.", ("ref",), ARTICLE)
    (only_numbers,) = FactChecks(kinds=("numbers",)).score_batch([item])
    assert not isinstance(only_numbers, Exception)
    assert only_numbers["unsupported_numbers"] == 1.0
    assert math.isnan(only_numbers["unsupported_dates"]) and math.isnan(only_numbers["unsupported_names"])
    assert only_numbers["unsupported_facts"] == 1.0 and only_numbers["checked_facts"] == 1.0
    (everything,) = FactChecks().score_batch([item])
    assert not isinstance(everything, Exception)
    assert everything["unsupported_facts"] == 3.0 and everything["checked_facts"] == 3.0


def test_batch_analyses_each_article_once(monkeypatch):
    other = "Manchester City beat QPR 3-1 on Sunday, with 45,000 fans watching."
    items = [
        MetricItem("d1", "a", "Gary Locke paid $5m on Friday.", (), ARTICLE),
        MetricItem("d2", "a", "City beat QPR 3-1 on Sunday.", (), other),
        MetricItem("d1", "b", "gary locke paid $ 6m on monday .", (), ARTICLE),
        MetricItem("d2", "b", "City beat QPR 2-1 before 45,000 fans.", (), other),
        MetricItem("d1", "c", "", (), ARTICLE),
    ]
    made: list[str] = []
    real = facts_module.ArticleFacts

    class Counting(real):
        def __init__(self, text: str) -> None:
            made.append(text)
            super().__init__(text)

    monkeypatch.setattr(facts_module, "ArticleFacts", Counting)
    out = FactChecks().score_batch(items)
    assert len(made) == 2
    monkeypatch.setattr(facts_module, "ArticleFacts", real)
    for item, got in zip(items, out):
        expected = check_facts(item.summary, ArticleFacts(item.article)).scores()
        assert not isinstance(got, Exception)
        assert got.keys() == expected.keys()
        for key, value in expected.items():
            assert (math.isnan(value) and math.isnan(got[key])) or got[key] == value
    assert out[1]["unsupported_facts"] == 0.0
    assert out[2]["unsupported_numbers"] == 1.0 and out[2]["unsupported_dates"] == 1.0
    assert out[3]["unsupported_numbers"] == pytest.approx(1 / 3)


@pytest.mark.shared
def test_frank_flags_are_mostly_real_errors(shared_corpora):  # noqa: F811
    """On FRANK, a summary with an unsupported fact is far more often unfaithful than one without."""

    def rows(name):
        with gzip.open(shared_corpora / name, "rt", encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    docs = {d["id"]: d["article"] for d in rows("frank499.jsonl.gz")}
    judged = [r for r in rows("frank499_judgments.jsonl.gz") if r["id"] in docs]
    items = [MetricItem(r["id"], r["system"], r["system_summary"], (), docs[r["id"]]) for r in judged]
    out = FactChecks().score_batch(items)
    assert not any(isinstance(o, Exception) for o in out)
    flagged = [r["human_scores"]["Factuality"] < 1 for r, o in zip(judged, out) if o["unsupported_facts"] > 0]
    clean = [r["human_scores"]["Factuality"] < 1 for r, o in zip(judged, out) if o["unsupported_facts"] == 0]
    assert len(flagged) > 100
    assert sum(flagged) / len(flagged) > sum(clean) / len(clean) + 0.2
