"""Fact checks without a model: the numbers, dates, quoted spans and names of a summary that its
article does not support.

A summary makes checkable claims of four kinds. Each is found by rules (no model, no download), given
a normalised ``value`` and looked up in the summary's **article** (never the references):

``numbers``
    Digits and number words with their multiplier and unit, normalised to one value: ``3.5 million`` =
    ``3,500,000`` = ``3.5m``; ``twelve`` = ``12``; ``a dozen`` = ``12``; ``half a million`` = ``500000``;
    ordinals ``third`` = ``3rd`` = ``3``; percentages ``40 per cent`` = ``40%`` = ``forty percent``; money
    ``$5m``, ``£2.3 billion``, ``5 million dollars`` (currency from a symbol or a word; ``#`` before a
    digit is the pound, as in PTB-tokenized CNN/DailyMail); ages ``the 39-year-old`` / ``aged 39`` = 39.
    PTB-tokenized text (``$ 5 million``, ``40 %``) and XSum's ``25, 000`` read the same. A number with
    an ambiguous suffix gets every reading: ``100m`` is 100 (metres) or 100,000,000 (unless a currency
    makes it millions). A summary number is *supported* when one of its readings equals one of the
    article's numbers (any number the article states, years and days of dates included) and the
    units are compatible: a unit (percent, a currency, age) counts only when both sides state one.
    Rounding is allowed one way: ``3.5 million`` is supported by an article's ``3,470,000`` (closer
    than half the summary's last stated digit, here 0.1 million), never the reverse.

    Not number claims (in the summary; the article side counts them all): a lone ``one`` (a pronoun or
    a determiner far more often than a count: ``one of the``, ``one day``; ``one million`` and
    ``twenty-one`` count), ``first`` (nearly always present and rarely a checkable count), ``second``
    unless after a determiner or possessive (``the second``, ``his second``: else it is usually the
    unit of time), vague plurals (``dozens``, ``hundreds``, ``thousands``, ``millions``), ``half`` on
    its own, years and day numbers (they are dates) and tokens such as ``g20``, ``mp3``, ``twenty20``.

``dates``
    Years (``2015``, a four-digit 1000-2099 with no comma, currency, multiplier or unit), decades
    (``1990s``), months (``in march``), month with day (``march 3``, ``3 march 2015``, ``3rd of march``)
    and weekdays (``on friday``); one fact per date expression, e.g. ``friday, march 3, 2015``. ``may``
    and ``march`` are months only beside a day or year number or after a time preposition (``in may``,
    ``since march``); else they are the verbs (or ``Theresa May``). Abbreviated months (``Jan.``)
    count only before a number. *Supported* when the article mentions every component: the year (as
    a year or any number), the decade (or a year in it), the month, the same month *and* day in one
    expression, and the weekday.

``quotes``
    Spans inside quotes: straight ``"..."``, curly ``“...”`` and ``‘...’``, PTB ````...''`` and
    ``'...'`` single quotes that are not apostrophes or clitics (``'s``). *Supported* when the quoted
    words occur contiguously in the article, compared case- and punctuation-insensitively with
    whitespace normalised and contractions unified (``do n't`` = ``don't``); an ellipsis (``...``,
    ``…``) or a sentence end inside the quote splits it into parts that must each occur (so quote marks
    paired wrongly, across the narrative between two quotes, do not make a false alarm).

``names``
    Sequences of capitalised words (``Gary Locke``, ``Rugby Park``; initials, hyphens and particles such
    as ``de``/``van``/``al`` join them, ``of`` does not: ``Bank of England`` is two names); leading
    function words and titles (``The``, ``Mr``, ``President``) are dropped; a capitalised function word
    ends a name (``Serie A The result``: a missing full stop); months, weekdays, ``I`` and ``UNK`` are
    not names, short all-capitals words (``US``, ``BBC``) always are. A capitalised
    word at the start of a sentence (or after an opening quote or colon) counts only if the article
    writes it capitalised mid-sentence at least as often as lower-case, or if the article never has it
    in lower case and it is not one of the built-in common English words (``Yesterday``, ``However``).
    *Supported* when the name's words occur contiguously in the article (case-insensitive, possessive
    ``'s`` dropped), a one-word name (a surname) when the word occurs in the article, and a longer
    name also when all its words lie in one of the article's names (``Hillary Clinton`` in ``Hillary
    Rodham Clinton``) or when it is a whole article name followed by a supported name (``Anfield
    Wenger``: a full stop missing). A wrong first name (``Gary Johnston`` when the article has ``Gary
    Locke`` and ``Allan Johnston``) is unsupported.

    A lower-cased summary (no upper-case letter apart from ``UNK`` placeholders: most PTB-lowercased
    system outputs) has no capitalisation signal, so by default its name check is *not applicable*
    (``unsupported_names`` NaN, no name fact counted). ``lowercase_names=True`` instead recovers its
    names from the article: a word sequence equal to a name the article capitalises (or to the last
    word of one, a surname) is a supported name, and a run of words that do not occur in the article
    (nor as an inflection of an article word), are not built-in common English words and do not end
    like a verb, adverb or abstract noun (``-ed``, ``-ing``, ``-ly``, ``-tion`` ...) is an unsupported
    "name", one name with a recovered name right after it (``jk venter`` against the article's ``Craig
    Venter``). On FRANK (``benchmarks/validate_facts.py``) this raises the ROC AUC of
    ``unsupported_facts`` from 0.59 to 0.75, but what it flags is largely new content words rather than
    names (``jumped``, ``pm``), and making it more name-like (a larger common-word list) lowers the gain:
    it is a novel-word signal, weaker than ``novel_1gram`` of the extractiveness metric (AUC 0.83). So it
    is off by default and ``unsupported_names`` stays a name check.

Columns of :class:`FactChecks` (scores.csv): ``unsupported_numbers``, ``unsupported_dates``,
``unsupported_quotes``, ``unsupported_names``: the share (0-1) of that kind's facts in the summary that
the article does not support, NaN when the summary has none of that kind (or the kind is not checked);
``unsupported_facts``: the number of unsupported facts of all checked kinds (0.0 when none; a detector
score, higher = more likely unfaithful); ``checked_facts``: the number of facts checked. A number
inside a quote is both a quote fact and a number fact.

:func:`check_facts` gives the facts themselves (:class:`FactReport`, with character offsets into the
summary so a report can highlight the unsupported spans). Several summaries of one article share the
article's analysis: build an :class:`ArticleFacts` once and pass it instead of the text (the metric
does this per batch).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sumbench.scoring.base import MetricItem, MetricResult

__all__ = [
    "FACT_COLUMNS",
    "FACT_KINDS",
    "ArticleFacts",
    "Fact",
    "FactChecks",
    "FactReport",
    "check_facts",
]

#: The kinds of fact, in column order.
FACT_KINDS: tuple[str, ...] = ("numbers", "dates", "quotes", "names")

#: Column names of :class:`FactChecks`, in the order scores.csv uses.
FACT_COLUMNS: tuple[str, ...] = (
    "unsupported_numbers",
    "unsupported_dates",
    "unsupported_quotes",
    "unsupported_names",
    "unsupported_facts",
    "checked_facts",
)

# The singular ``Fact.kind`` of each plural kind.
_SINGULAR = {"numbers": "number", "dates": "date", "quotes": "quote", "names": "name"}


@dataclass(frozen=True)
class Fact:
    """One checkable fact of a summary: its kind (``number``, ``date``, ``quote`` or ``name``), its text
    ``summary[start:end]``, whether the article supports it and its normalised value (``3500000
    dollar``, ``month=3 day=3 year=2015``, the quote's or name's normalised words)."""

    kind: str
    text: str
    start: int
    end: int
    supported: bool
    value: str


@dataclass(frozen=True)
class FactReport:
    """The facts of one summary by kind, each in summary order. ``names_checked`` is False when the
    name check did not apply (a lower-cased summary, or names not among the kinds checked)."""

    numbers: tuple[Fact, ...] = ()
    dates: tuple[Fact, ...] = ()
    quotes: tuple[Fact, ...] = ()
    names: tuple[Fact, ...] = ()
    kinds: tuple[str, ...] = FACT_KINDS
    names_checked: bool = True

    def of(self, kind: str) -> tuple[Fact, ...]:
        """The facts of one kind (``numbers``, ``dates``, ``quotes``, ``names``)."""
        if kind not in FACT_KINDS:
            raise ValueError(f"unknown fact kind {kind!r}; expected one of {', '.join(FACT_KINDS)}")
        facts: tuple[Fact, ...] = getattr(self, kind)
        return facts

    @property
    def facts(self) -> tuple[Fact, ...]:
        """All facts, by start offset."""
        return tuple(sorted((f for k in FACT_KINDS for f in self.of(k)), key=lambda f: (f.start, f.end)))

    @property
    def unsupported(self) -> tuple[Fact, ...]:
        """The facts the article does not support, by start offset."""
        return tuple(f for f in self.facts if not f.supported)

    def share(self, kind: str) -> float:
        """Share (0-1) of the facts of ``kind`` that are unsupported; NaN when there are none or the
        kind was not checked."""
        if kind not in self.kinds or (kind == "names" and not self.names_checked):
            return math.nan
        facts = self.of(kind)
        if not facts:
            return math.nan
        return sum(1 for f in facts if not f.supported) / len(facts)

    def scores(self) -> dict[str, float]:
        """The :data:`FACT_COLUMNS` of this report."""
        out = {f"unsupported_{k}": self.share(k) for k in FACT_KINDS}
        facts = self.facts
        out["unsupported_facts"] = float(sum(1 for f in facts if not f.supported))
        out["checked_facts"] = float(len(facts))
        return out


# --------------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------------

_NUM, _WORD, _PUNCT = 0, 1, 2

_TOKEN_RE = re.compile(
    r"(?P<num>(?:\d{1,3}(?:, ?\d{3})+(?!\d)|\d+)(?:\.\d+)?)(?P<suf>[^\W\d_]+)?(?![^\W_])"
    r"|(?P<word>[^\W\d_][^\W_]*(?:['’][^\W\d_]+)*)"
    r"|(?P<mixed>[^\W_]+)"
    r"|(?P<punct>``|''|\.\.\.|[^\w\s]|_)"
)


_POSSESSIVE = re.compile(r"['’]s?$")


class _Tok:
    """One token: its text and lower-case text, character span, kind (number, word, punctuation),
    for a number its digits (``1,000`` -> ``1000``) and attached letter suffix (``5m`` -> ``m``), and
    whether whitespace precedes it."""

    __slots__ = ("base", "end", "gap", "kind", "low", "num", "start", "suf", "text")

    def __init__(self, text: str, start: int, end: int, kind: int, num: str, suf: str, gap: bool) -> None:
        self.text = text
        self.low = low = text.lower()
        # without a possessive: "Tuesday's" is Tuesday
        self.base = _POSSESSIVE.sub("", low) if kind == _WORD and ("'" in low or "’" in low) else low
        self.start = start
        self.end = end
        self.kind = kind
        self.num = num
        self.suf = suf
        self.gap = gap

    def __repr__(self) -> str:  # debugging aid
        return f"_Tok({self.text!r}, {self.start})"


def _clean(text: str) -> str:
    """Length-preserving repairs, so offsets stay those of the original: XSum's escaped apostrophes
    (``russia\\'s``, ``\\'\\'``) become a space and the apostrophe, and the mojibake ``Â`` of ``Â£``
    a space."""
    if "\\" in text:
        text = text.replace("\\'\\'", " '' ").replace("\\'", " '")
    if "Â" in text:
        text = text.replace("Â", " ")
    return text


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    prev_end = 0
    for m in _TOKEN_RE.finditer(text):
        start, end = m.span()
        gap = start > prev_end or start == 0
        prev_end = end
        group = m.lastgroup
        if group == "num" or group == "suf":
            num = m.group("num")
            suf = m.group("suf") or ""
            out.append(_Tok(m.group(), start, end, _NUM, num.replace(" ", "").replace(",", ""), suf.lower(), gap))
        elif group == "punct":
            out.append(_Tok(m.group(), start, end, _PUNCT, "", "", gap))
        else:
            out.append(_Tok(m.group(), start, end, _WORD, "", "", gap))
    return out


_CLITIC_SPLIT = re.compile(r"(?<=[^\W_])(?=n't\b)|(?<=[^\W_])(?='(?:s|re|ve|ll|d|m)\b)")
_NORM_PIECE = re.compile(r"[^\W_]+")


def _norm_word(low: str) -> list[str]:
    """Normalised pieces of one lower-cased token: contractions split as PTB splits them (``don't`` ->
    ``do nt``, ``locke's`` -> ``locke s``), apostrophes dropped, other punctuation separating."""
    if low.isalnum():
        return [low]
    if "'" in low or "’" in low:
        low = _CLITIC_SPLIT.sub(" ", low.replace("’", "'")).replace("'", "")
    return _NORM_PIECE.findall(low)


# PTB's bracket tokens (-LRB- for "("): punctuation, dropped like the brackets themselves.
_PTB_BRACKETS = frozenset("lrb rrb lsb rsb lcb rcb".split())


def _norm_tokens(toks: Iterable[_Tok]) -> list[str]:
    out: list[str] = []
    for t in toks:
        if t.kind != _PUNCT and t.low not in _PTB_BRACKETS:
            out.extend(_norm_word(t.low))
    return out


def _norm_text(text: str) -> list[str]:
    """Normalised words of a text, for contiguous matching: lower case, no punctuation, contractions
    unified (``do n't`` = ``don't`` -> ``do nt``)."""
    return _norm_tokens(_tokens(_clean(text)))


# --------------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------------

_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
        "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth".split()
    )
}
_ORDINALS.update(
    {
        w: 10 * (i + 2)
        for i, w in enumerate("twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split())
    }
)
_ORDINALS.update({"hundredth": 100, "thousandth": 1000, "millionth": 1_000_000})
_BIG = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# Attached or PTB-separated abbreviations of a multiplier; the unambiguous ones always multiply, ``m``,
# ``k`` and ``b`` only after a currency (else they are also read as a unit: ``100m`` is also metres).
_MULT_ABBR = {"bn": 10**9, "mn": 10**6, "mln": 10**6, "tn": 10**12, "m": 10**6, "k": 10**3, "b": 10**9}
_MULT_ABBR.update(_BIG)
_MULT_SURE = {"bn", "mn", "mln", "tn", "thousand", "million", "billion", "trillion"}
_CURRENCY_SYMBOLS = {"$": "dollar", "£": "pound", "€": "euro", "¥": "yen", "#": "pound"}
_CURRENCY_WORDS = {
    "dollar": "dollar",
    "dollars": "dollar",
    "pound": "pound",
    "pounds": "pound",
    "sterling": "pound",
    "euro": "euro",
    "euros": "euro",
    "yen": "yen",
    "yuan": "yuan",
    "rupee": "rupee",
    "rupees": "rupee",
    "francs": "franc",
    "roubles": "rouble",
    "rubles": "rouble",
}
# Sub-units: the value in the main unit is the number times the scale.
_SUBUNITS = {"pence": ("pound", Decimal("0.01")), "p": ("pound", Decimal("0.01")), "cents": ("dollar", Decimal("0.01"))}
_ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}
_POSSESSIVE_DETERMINERS = {"the", "his", "her", "its", "their", "our", "my", "your", "s"}

_MONTHS = {
    w: i + 1
    for i, w in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
_MONTH_ABBR = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_AMBIGUOUS_MONTHS = {"may", "march"}
_MONTH_CONTEXT = set(
    "in since until till from through during early late mid last next of by before after between".split()
)
_WEEKDAYS = set("monday tuesday wednesday thursday friday saturday sunday".split())

# Closed-class words and titles a capitalised sequence never starts with; particles inside names.
_FUNCTION_WORDS = frozenset(
    """a an the this that these those his her its their our my your some any every each no all both
    in on at for of to from by with without about after before during since until into onto over under
    between through against among across behind beyond near off out up down upon within along around
    and or but nor so yet if when while as because although though unless whether where why how what
    which who whom whose than then there here it he she they we you i me him them us one ones
    is are was were be been being am do does did has have had will would shall should can could may
    might must also not just only even still now today yesterday tomorrow tonight however meanwhile
    more most many much such very too again already""".split()
)
_TITLES = frozenset(
    """mr mrs ms miss dr prof professor sir dame lord lady rev reverend st saint president
    chancellor minister secretary senator sen rep gov governor mayor judge general gen captain capt
    colonel col sergeant sgt lieutenant lt officer inspector detective coach manager chairman chief
    king queen prince princess duke duchess pope bishop archbishop father brother sister""".split()
)
_PARTICLES = frozenset("de del della der den van von da di du la le al el bin ibn".split())
_NOT_NAMES = frozenset("i unk lrb rrb lsb rsb lcb rcb".split())

# Common English words: never a name on their own at the start of a sentence, never an unsupported
# "name" of a lower-cased summary (a short hand-made list of frequent function and content words).
_COMMON_WORDS = _FUNCTION_WORDS | frozenset(
    """able about above accept according account across act action add added affect afternoon age ago
    agree agreed ahead aid aim air allow allowed almost alone already although always amid amount
    announce announced another answer anyone anything appear appeared area areas argue arm army arrest
    arrested ask asked attack attempt authorities available away baby back bad ball ban bank base based
    battle became become becomes began begin behind believe believed best better big bill birth black
    blood board body book born boss boy boys break bring british brought build building business buy
    call called came campaign car care career case cases cause caused centre century chance change
    changed charge charged charges child children choice city claim claimed claims class clear close
    closed club coming comes community company concern concerns continue continued control cost costs
    council country couple course court crime crisis cup current cut damage daughter day days dead deal
    death decided decision deny described despite die died different difficult director discovered
    does doing done door double drive driver drop drug drugs due early earlier economic economy end
    ended enough entire even evening event events ever every evidence expected experts face faced fact
    family fan fans far father fear feel felt few fight final finally financial find finds fire firm
    first five fled follow following food force forced foreign former found four free friend friends
    front full fund further future game games gave get gets getting girl girls give given giving go
    goal goals going good got government great green ground group groups grow growing guilty half hand
    happened hard head health hear heard held help helped high hit hold holds home hope hospital hour
    hours house huge human idea important including increase independent industry information injured
    injury inquiry inside instead interest international investigation involved issue issues job jobs
    join joined keep kept key kill killed killing kind knew know known lack land large last late later
    latest launch launched law lead leader leaders leading least leave leaving led left legal less
    level life like likely line list little live lives living local long look looking lost lot love low
    made main major make makes making man manager many march match matter may mean means medical meet
    meeting member members men might million minister minutes miss missing money month months morning
    mother move moved much murder music name named national near nearly need needed never new news next
    night nine none north number officer officers official officials often old once online open opened
    order other others own paid parents part party pass past pay people per percent period person
    place plan plans play played player players playing plea point police political poor popular
    position possible power president press pressure prime prison private problem problems public put
    question race raised range rate reached read real reason received recent record release released
    remain remains report reported reports research result return returned revealed right rise risk
    road role room rose round rule rules run running safe safety said same saw say saying says school
    season second security see seen sent series service set seven several share she shot show showed
    shows side sign signed since six small social son south speaking spent staff stage start started
    state statement states stay still stop story street strong student students study success such
    suffered support sure system take taken taking talk talks team tell ten term terms test think
    thought three time times title told took top total toward town trade trial tried trust try trying
    turn turned two under union until use used using victim victims video visit want wanted war watch
    water way week weekend weeks well went west whole wife win winning woman women won word words work
    worked workers working world worth year years young
    click here photo photos picture pictures image images video videos update scroll tap loading""".split()
)


# --------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------


def _int_token(t: _Tok) -> int | None:
    """The integer of a plain number token (no decimals), else None."""
    if t.kind != _NUM or "." in t.num:
        return None
    return int(t.num)


def _is_day(toks: Sequence[_Tok], k: int) -> bool:
    if k >= len(toks):
        return False
    t = toks[k]
    v = _int_token(t)
    return v is not None and 1 <= v <= 31 and len(t.num) <= 2 and t.suf in ("", "st", "nd", "rd", "th")


def _is_year(toks: Sequence[_Tok], k: int) -> bool:
    """A four-digit 1000-2099 with no comma, decimals, currency, multiplier or unit (``2015``, ``1990s``)."""
    if k >= len(toks):
        return False
    t = toks[k]
    if t.kind != _NUM or len(t.num) != 4 or not t.num.isdigit() or "," in t.text or t.suf not in ("", "s"):
        return False
    if not 1000 <= int(t.num) <= 2099:
        return False
    if k > 0 and toks[k - 1].text in _CURRENCY_SYMBOLS:
        return False
    if t.suf == "s":
        return True
    if k + 1 < len(toks):
        nxt = toks[k + 1].low
        if nxt in _MULT_ABBR or nxt in _CURRENCY_WORDS or nxt in ("%", "per", "percent", "pc", "dozen"):
            return False
        if nxt == "-" and k + 2 < len(toks) and toks[k + 2].low in ("year", "years"):
            return False
    return True


def _month_at(toks: Sequence[_Tok], k: int) -> tuple[int, int] | None:
    """``(month, index after it)`` if ``toks[k]`` names a month here."""
    if k >= len(toks) or toks[k].kind != _WORD:
        return None
    low = toks[k].base
    n = len(toks)
    if low in _MONTHS:
        month = _MONTHS[low]
        if low in _AMBIGUOUS_MONTHS:
            near_number = (
                k + 1 < n and toks[k + 1].kind == _NUM and (_is_day(toks, k + 1) or _is_year(toks, k + 1))
            ) or (k > 0 and _is_day(toks, k - 1))
            prev = toks[k - 1].low if k > 0 else ""
            if prev == "-" and k > 1:
                prev = toks[k - 2].low
            if not near_number and prev not in _MONTH_CONTEXT:
                return None
        return month, k + 1
    if low in _MONTH_ABBR:
        j = k + 1
        if j < n and toks[j].text == "." and not toks[j].gap:
            j += 1
        if j < n and (_is_day(toks, j) or _is_year(toks, j)):
            return _MONTH_ABBR[low], j
    return None


@dataclass
class _DateMention:
    first: int  # token range [first, last)
    last: int
    year: int | None = None
    decade: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: str | None = None

    def value(self) -> str:
        parts = []
        if self.weekday:
            parts.append(f"weekday={self.weekday}")
        if self.day is not None:
            parts.append(f"day={self.day}")
        if self.month is not None:
            parts.append(f"month={self.month}")
        if self.year is not None:
            parts.append(f"year={self.year}")
        if self.decade is not None:
            parts.append(f"decade={self.decade}s")
        return " ".join(parts)


def _skip_comma(toks: Sequence[_Tok], k: int) -> int:
    return k + 1 if k < len(toks) and toks[k].text == "," else k


def _parse_date(toks: Sequence[_Tok], i: int) -> _DateMention | None:
    n = len(toks)
    d = _DateMention(i, i)
    k = i
    if toks[k].base in _WEEKDAYS:
        d.weekday = toks[k].base
        k += 1
        d.last = k
        k = _skip_comma(toks, k)
        if k < n and toks[k].low == "the":
            k += 1
    # day [of] month
    if _is_day(toks, k):
        j = k + 1
        if j < n and toks[j].low == "of":
            j += 1
        got = _month_at(toks, j)
        if got is not None:
            d.day = _int_token(toks[k])
            d.month, k = got
            d.last = k
    if d.month is None:
        got = _month_at(toks, k)
        if got is not None:
            d.month, k = got
            d.last = k
            if _is_day(toks, k) and not (k + 1 < n and toks[k + 1].text == ":" and not toks[k + 1].gap):
                d.day = _int_token(toks[k])
                k += 1
                d.last = k
    if d.month is not None:
        j = _skip_comma(toks, k)
        if _is_year(toks, j) and toks[j].suf == "":
            d.year = int(toks[j].num)
            d.last = j + 1
    elif d.weekday is None and _is_year(toks, k):
        if toks[k].suf == "s":
            d.decade = int(toks[k].num)
        else:
            d.year = int(toks[k].num)
        d.last = k + 1
    if d.last == i:
        return None
    return d


def _dates(toks: Sequence[_Tok]) -> list[_DateMention]:
    out: list[_DateMention] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if t.kind == _NUM or t.base in _WEEKDAYS or t.base in _MONTHS or t.base in _MONTH_ABBR:
            d = _parse_date(toks, i)
            if d is not None:
                out.append(d)
                i = d.last
                continue
        i += 1
    return out


# --------------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------------

#: One reading of a number: (value, unit or None, precision). The precision is the place of its last
#: stated digit in the value's own unit: ``3.5 million`` -> 100000, ``40`` -> 1.
_Reading = tuple[Decimal, str | None, Decimal]


@dataclass
class _NumberMention:
    first: int
    last: int
    readings: list[_Reading]

    def value(self) -> str:
        v, unit, _ = self.readings[0]
        return _fmt(v) + (f" {unit}" if unit else "")


def _fmt(v: Decimal) -> str:
    return format(v.normalize(), "f")


def _parse_number_words(toks: Sequence[_Tok], k: int) -> tuple[int, int, bool, int] | None:
    """Number words from ``toks[k]``: ``(value, end index, ordinal, words used)``, or None."""
    n = len(toks)
    total = 0
    current = 0
    last = ""  # kind of the previous number word: unit, tens, hundred, big
    words = 0
    ordinal = False
    j = k
    while j < n:
        t = toks[j]
        w = t.low
        if t.kind == _PUNCT:
            # a hyphen inside a compound number: twenty-five, twenty-first
            if t.text == "-" and last == "tens" and not t.gap and j + 1 < n and not toks[j + 1].gap:
                nxt = toks[j + 1].low
                if (nxt in _UNITS and 0 < _UNITS[nxt] < 10) or (nxt in _ORDINALS and _ORDINALS[nxt] < 10):
                    j += 1
                    continue
            break
        if t.kind != _WORD:
            break
        if w in _UNITS:
            v = _UNITS[w]
            if last == "unit" or (last == "tens" and v >= 10):
                break
            current += v
            last = "unit"
        elif w in _TENS:
            if last in ("unit", "tens"):
                break
            current += _TENS[w]
            last = "tens"
        elif w == "hundred":
            if last == "hundred":
                break
            current = (current or 1) * 100
            last = "hundred"
        elif w in _BIG:
            if last == "big" and current == 0:
                break
            total += (current or 1) * _BIG[w]
            current = 0
            last = "big"
        elif w == "dozen":
            if last not in ("", "unit", "tens"):
                break
            current = (current or 1) * 12
            last = "big"
        elif w in _ORDINALS:
            v = _ORDINALS[w]
            if last == "unit" or (last == "tens" and v >= 10):
                break
            if v >= 100:
                current = (current or 1) * v
            else:
                current += v
            ordinal = True
            words += 1
            j += 1
            break
        elif w == "and" and last in ("hundred", "big") and j + 1 < n:
            nxt = toks[j + 1].low
            if nxt in _UNITS or nxt in _TENS or nxt in _ORDINALS:
                j += 1
                continue
            break
        else:
            break
        words += 1
        j += 1
    if words == 0:
        return None
    return total + current, j, ordinal, words


def _parse_number(
    toks: Sequence[_Tok], i: int, claims: bool, taken: Sequence[bool]
) -> tuple[_NumberMention | None, int]:
    """A number mention starting at ``toks[i]``, and the index to continue from. ``claims``: apply the
    summary's rules of what counts as a claim (see the module docstring)."""
    n = len(toks)
    t = toks[i]
    currency: str | None = None
    k = i
    if t.text in _CURRENCY_SYMBOLS and k + 1 < n and not taken[k + 1]:
        nxt = toks[k + 1]
        if nxt.kind == _NUM or (t.text != "#" and (nxt.low in _UNITS or nxt.low in _TENS or nxt.low in ("a", "an"))):
            currency = _CURRENCY_SYMBOLS[t.text]
            k += 1
    t = toks[k]
    unit: str | None = currency
    scale = Decimal(1)
    mults: list[int] = [1]
    mult_fixed = False
    is_claim = True
    precision = Decimal(1)
    if t.kind == _NUM:
        try:
            mant = Decimal(t.num)
        except InvalidOperation:
            return None, i + 1
        exponent = mant.as_tuple().exponent
        precision = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
        suf = t.suf
        if suf:
            if suf in _MULT_ABBR:
                m = _MULT_ABBR[suf]
                mults = [m] if (currency or suf in _MULT_SURE) else [m, 1]
                mult_fixed = True
            elif suf == "pc":
                unit = "percent"
            elif suf in _SUBUNITS and currency is None:
                sub_unit, scale = _SUBUNITS[suf]
                unit = sub_unit
        k += 1
    else:
        lead = Decimal(1)
        j = k
        if t.low in ("a", "an") and k + 1 < n and (toks[k + 1].low in _BIG or toks[k + 1].low in ("hundred", "dozen")):
            j = k + 1
        elif (
            t.low == "half"
            and k + 2 < n
            and toks[k + 1].low in ("a", "an")
            and (toks[k + 2].low in _BIG or toks[k + 2].low == "dozen")
        ):
            lead = Decimal("0.5")
            j = k + 2
        parsed = _parse_number_words(toks, j)
        if parsed is None:
            return None, i + 1
        value, end, _ordinal, words = parsed
        mant = Decimal(value) * lead
        if words == 1 and j == k:
            w = toks[k].low
            if w == "one" or w == "first":
                is_claim = False
            elif w == "second":
                prev = toks[k - 1].low if k > 0 else ""
                is_claim = prev in _POSSESSIVE_DETERMINERS
        k = end
        last_word = toks[end - 1].low
        if last_word in _BIG or last_word == "dozen":
            mult_fixed = True
            if last_word in _BIG:  # three million: stated to the million (half a million: to 0.1 million)
                precision = Decimal(_BIG[last_word]) * (lead if lead < 1 else 1) / (10 if lead < 1 else 1)
    # a multiplier after the number: 3.5 million, $ 5 m, 2 bn
    if not mult_fixed and k < n and not taken[k]:
        w = toks[k].low
        if w in _BIG or w == "hundred" or w == "dozen":
            mults = [_BIG.get(w) or (100 if w == "hundred" else 12)]
            k += 1
        elif w in _MULT_ABBR and (currency or w in _MULT_SURE):
            mults = [_MULT_ABBR[w]]
            k += 1
    # a unit after it: 40 %, 40 per cent, 5 million dollars, 39-year-old, 39 years old
    if k < n and not taken[k]:
        w = toks[k].low
        if w == "%" or w in ("percent", "pc") or w == "percentage":
            unit = "percent"
            k += 1
        elif w == "per" and k + 1 < n and toks[k + 1].low == "cent":
            unit = "percent"
            k += 2
        elif w in _CURRENCY_WORDS and unit is None:
            unit = _CURRENCY_WORDS[w]
            k += 1
        elif w in _SUBUNITS and w != "p" and unit is None:
            unit, scale = _SUBUNITS[w]
            k += 1
        elif (
            w == "-"
            and k + 3 < n
            and toks[k + 1].low in ("year", "years")
            and toks[k + 2].text == "-"
            and toks[k + 3].low == "old"
        ):
            unit = "age"
            k += 4
        elif w in ("year", "years") and k + 1 < n and toks[k + 1].low == "old":
            unit = "age"
            k += 2
    if i > 0 and toks[i - 1].low == "aged" and unit is None:
        unit = "age"
    if claims and not is_claim:
        return None, k
    if t.kind == _NUM:
        readings: list[_Reading] = [
            (mant * m * scale, unit if m == mults[0] else None, precision * m * scale) for m in mults
        ]
    else:
        readings = [(mant * scale, unit, precision * scale)]
    if scale != 1:
        readings.append((mant, "pence" if unit == "pound" else "cents", precision))
    return _NumberMention(i, k, readings), k


def _numbers(toks: Sequence[_Tok], taken: Sequence[bool], claims: bool) -> list[_NumberMention]:
    out: list[_NumberMention] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if taken[i]:
            i += 1
            continue
        starts = (
            t.kind == _NUM
            or t.text in _CURRENCY_SYMBOLS
            or t.low in _UNITS
            or t.low in _TENS
            or t.low in _ORDINALS
            or t.low in ("a", "an", "half", "hundred", "dozen")
            or t.low in _BIG
        )
        if not starts:
            i += 1
            continue
        mention, nxt = _parse_number(toks, i, claims, taken)
        if mention is not None:
            out.append(mention)
        i = max(nxt, i + 1)
    return out


def _number_supported(mention: _NumberMention, article: Sequence[_Reading]) -> bool:
    for value, unit, precision in mention.readings:
        for a_value, a_unit, a_precision in article:
            if unit is not None and a_unit is not None and unit != a_unit:
                continue
            if a_value == value:
                return True
            # the summary rounds the article's more precise number
            if precision > a_precision and abs(a_value - value) * 2 < precision:
                return True
    return False


# --------------------------------------------------------------------------------------------------
# Quotes
# --------------------------------------------------------------------------------------------------

_QUOTE_RES = (
    re.compile(r"``(.+?)(?:''|\"|”)", re.S),
    re.compile(r"“(.+?)(?:”|\"|'')", re.S),
    re.compile(r"\"(.+?)\"", re.S),
    re.compile(r"‘(.+?)’(?![^\W_])", re.S),
    re.compile(r"(?:(?<=[\s(\[])|^)'(?!(?:s|re|ve|ll|d|m|t|em|n)\b)(?=[^\W_])([^'\n]+?)(?<=[^\s])'(?![^\W_])"),
)
# Where a quote is checked in parts: an ellipsis (words left out) and a sentence end (the parts of a
# quote of several sentences, or the narrative between two quotes that a summary's quote marks pair
# wrongly, each occur in the article, not necessarily side by side).
_QUOTE_PARTS = re.compile(r"\.\s*\.\s*\.|…|\[\s*\.*\s*\]|(?<=[^\W_][.!?])\s+|(?<=[a-z][.!?])(?=[A-Z])|(?<=\s[.!?])\s+")
_MAX_QUOTE_WORDS = 80


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Content spans (inside the marks) of the quotes of ``text``, the first kind of mark winning."""
    whole: list[tuple[int, int]] = []
    spans: list[tuple[int, int]] = []
    for rx in _QUOTE_RES:
        for m in rx.finditer(text):
            s0, e0 = m.span()
            if any(s0 < e2 and s2 < e0 for s2, e2 in whole):
                continue
            whole.append((s0, e0))
            spans.append(m.span(1))
    out = []
    for s, e in sorted(spans):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


# --------------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------------

_OPENERS = {"``", "“", "‘", '"', "'", "(", "[", "-", "–", "—", "*", "''", "”", "’"}
_OPENING = {"``", "“", "‘", "(", "["}
_ENDERS = {".", "!", "?", ":", ";", "...", "…"}


def _acronym(t: _Tok) -> bool:
    """A short all-capitals word (``US``, ``BBC``): a name even when it spells a common word."""
    return 1 < len(t.text) <= 4 and t.text.isupper()


def _is_cap(t: _Tok) -> bool:
    return t.kind == _WORD and t.text[0].isupper() and t.low not in _NOT_NAMES


def _sentence_initial(toks: Sequence[_Tok], text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and toks[j].kind == _PUNCT and toks[j].text in _OPENERS:
        if toks[j].text in _OPENING:
            return True
        j -= 1
    if j < 0:
        return True
    if toks[j].text in _ENDERS:
        return True
    return "\n" in text[toks[j].end : toks[i].start]


@dataclass
class _NameMention:
    first: int
    last: int
    norm: tuple[str, ...]


def _capital_stats(toks: Sequence[_Tok], text: str) -> tuple[Counter[str], Counter[str]]:
    """How often each word is written in lower case, and capitalised mid-sentence."""
    lower: Counter[str] = Counter()
    cap_mid: Counter[str] = Counter()
    for i, t in enumerate(toks):
        if t.kind != _WORD:
            continue
        if t.text[0].isupper():
            if not _sentence_initial(toks, text, i):
                cap_mid[_key(t)] += 1
        elif t.text[0].islower():
            lower[_key(t)] += 1
    return lower, cap_mid


def _key(t: _Tok) -> str:
    """A word's key in the capitalisation counts: its first normalised piece (``Locke's`` -> ``locke``)."""
    pieces = _norm_word(t.low)
    return pieces[0] if pieces else t.low


def _initial_is_name(low: str, lower: Mapping[str, int], cap_mid: Mapping[str, int]) -> bool:
    """The sentence-initial heuristic: a capitalised first word of a sentence is a name if the article
    writes it capitalised mid-sentence at least as often as in lower case, or never in lower case and
    it is not a common English word."""
    caps = cap_mid.get(low, 0)
    lows = lower.get(low, 0)
    if caps and caps >= lows:
        return True
    return lows == 0 and low not in _COMMON_WORDS and _stem(low) not in _COMMON_WORDS


def _names(
    toks: Sequence[_Tok],
    text: str,
    taken: Sequence[bool],
    lower: Mapping[str, int],
    cap_mid: Mapping[str, int],
) -> list[_NameMention]:
    """Capitalised name sequences, leading function words, titles and non-name sentence openers dropped."""
    out: list[_NameMention] = []
    n = len(toks)
    i = 0
    while i < n:
        if taken[i] or not _is_cap(toks[i]):
            i += 1
            continue
        seq = [i]
        j = i + 1
        while j < n:
            t = toks[j]
            prev = toks[seq[-1]]
            if not taken[j] and _is_cap(t) and t.gap and "\n" not in text[prev.end : t.start]:
                if t.low in _FUNCTION_WORDS and t.low not in ("may", "will") and not _acronym(t):
                    break  # "Serie A The result": a new sentence whose full stop is missing
                seq.append(j)
                j += 1
            elif (
                t.text in ("-", ".")
                and not t.gap
                and j + 1 < n
                and _is_cap(toks[j + 1])
                and not taken[j + 1]
                and (
                    (t.text == "-" and not toks[j + 1].gap)
                    or (t.text == "." and len(prev.text) == 1 and toks[j + 1].low not in _FUNCTION_WORDS)
                )
            ):
                seq.append(j + 1)
                j += 2
            elif t.low in _PARTICLES and t.kind == _WORD and j + 1 < n and _is_cap(toks[j + 1]) and not taken[j + 1]:
                seq.extend((j, j + 1))
                j += 2
            else:
                break
        # drop leading function words, titles and sentence openers that are not names
        k = 0
        while k < len(seq):
            t = toks[seq[k]]
            low = t.low
            if not _acronym(t) and (low in _FUNCTION_WORDS or low in _TITLES or low in _PARTICLES):
                k += 1
                continue
            if len(t.text) > 4 and t.text.isupper() and (low in _COMMON_WORDS or lower.get(_key(t), 0)):
                k += 1  # a shouted word: UPDATE, CLICK HERE
                continue
            if k == 0 and _sentence_initial(toks, text, seq[0]) and not _initial_is_name(_key(t), lower, cap_mid):
                k += 1
                continue
            break
        kept = seq[k:]
        # a particle never ends a name
        while kept and toks[kept[-1]].low in _PARTICLES:
            kept.pop()
        if kept:
            norm = tuple(_norm_tokens(toks[a] for a in kept))
            if norm and norm[-1] == "s" and len(norm) > 1:
                norm = norm[:-1]
            if norm and any(len(p) > 1 for p in norm):
                out.append(_NameMention(kept[0], kept[-1] + 1, norm))
        i = j
    return out


def _stem(w: str) -> str:
    """A crude suffix-stripping stem, to tell an inflection of an article word from a new word."""
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: len(w) - len(suffix)] + repl
    return w


def _is_lowercase(text: str) -> bool:
    """No upper-case letter apart from ``UNK`` placeholders."""
    if "UNK" in text:
        text = text.replace("UNK", "")
    return not any(c.isupper() for c in text)


# --------------------------------------------------------------------------------------------------
# The article, analysed once
# --------------------------------------------------------------------------------------------------


class ArticleFacts:
    """An article analysed once for the fact checks of any number of its summaries: its normalised
    words (for quotes and names), its numbers, dates and capitalised names."""

    __slots__ = (
        "cap_mid",
        "day_months",
        "decades",
        "joined",
        "lower",
        "months",
        "name_index",
        "name_sets",
        "name_tuples",
        "numbers",
        "_stems",
        "text",
        "vocab",
        "weekdays",
        "years",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        clean = _clean(text)
        toks = _tokens(clean)
        norm = _norm_tokens(toks)
        self.joined = " " + " ".join(norm) + " "
        self.vocab = frozenset(norm)
        self._stems: frozenset[str] | None = None
        taken = [False] * len(toks)
        years: set[int] = set()
        decades: set[int] = set()
        months: set[int] = set()
        day_months: set[tuple[int, int]] = set()
        weekdays: set[str] = set()
        numbers: list[_Reading] = []
        for d in _dates(toks):
            for k in range(d.first, d.last):
                taken[k] = True
            if d.year is not None:
                years.add(d.year)
            if d.decade is not None:
                decades.add(d.decade)
            if d.month is not None:
                months.add(d.month)
                if d.day is not None:
                    day_months.add((d.month, d.day))
            if d.weekday:
                weekdays.add(d.weekday)
        for k, t in enumerate(toks):  # the years and days of dates also count as plain numbers
            v = _int_token(t) if taken[k] else None
            if v is not None:
                numbers.append((Decimal(v), None, Decimal(1)))
            if t.base in _WEEKDAYS:
                weekdays.add(t.base)
        for mention in _numbers(toks, taken, claims=False):
            numbers.extend(mention.readings)
        self.numbers = numbers
        self.years = years | {int(v) for v, _, _ in numbers if v == v.to_integral_value() and 1000 <= v <= 2099}
        self.decades = decades
        self.months = months
        self.day_months = day_months
        self.weekdays = weekdays
        self.lower, self.cap_mid = _capital_stats(toks, clean)
        names = _names(toks, clean, taken, self.lower, self.cap_mid)
        self.name_sets = [frozenset(m.norm) for m in names]
        self.name_tuples = frozenset(m.norm for m in names)
        # names a lower-cased summary may mention: not a common word on its own, not mostly lower case
        # (and the last word of a longer name: a surname)
        index: dict[str, set[tuple[str, ...]]] = {}
        for m in names:
            if len(m.norm) > 1:
                index.setdefault(m.norm[0], set()).add(m.norm)
            w = m.norm[-1]
            if not (w in _COMMON_WORDS or self.lower.get(w, 0) > self.cap_mid.get(w, 0)):
                index.setdefault(w, set()).add((w,))
        self.name_index = index

    def stems(self) -> frozenset[str]:
        """The article's words and their crude stems (made on first use)."""
        if self._stems is None:
            self._stems = frozenset(_stem(w) for w in self.vocab) | self.vocab
        return self._stems

    def contains(self, words: Sequence[str]) -> bool:
        """Whether ``words`` (normalised) occur contiguously in the article."""
        return bool(words) and f" {' '.join(words)} " in self.joined

    def in_one_name(self, words: Sequence[str]) -> bool:
        """Whether all ``words`` lie in one of the article's capitalised names."""
        need = set(words)
        return any(need <= s for s in self.name_sets)


# --------------------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------------------


def _date_supported(d: _DateMention, art: ArticleFacts) -> bool:
    if d.year is not None and d.year not in art.years:
        return False
    if (
        d.decade is not None
        and d.decade not in art.decades
        and not any(d.decade <= y < d.decade + 10 for y in art.years)
    ):
        return False
    if d.month is not None:
        if d.day is not None:
            if (d.month, d.day) not in art.day_months:
                return False
        elif d.month not in art.months:
            return False
    return not (d.weekday and d.weekday not in art.weekdays)


def _name_supported(norm: tuple[str, ...], art: ArticleFacts) -> bool:
    if len(norm) == 1:
        return norm[0] in art.vocab
    if art.contains(norm) or art.in_one_name(norm):
        return True
    # two names run together ("Anfield Wenger": a full stop missing): a leading whole article name and
    # a supported rest
    return any(norm[:cut] in art.name_tuples and _name_supported(norm[cut:], art) for cut in range(1, len(norm)))


def _span(text: str, toks: Sequence[_Tok], first: int, last: int) -> tuple[int, int, str]:
    s, e = toks[first].start, toks[last - 1].end
    return s, e, text[s:e]


# Endings of verbs, adverbs and abstract nouns: a new word with one is a word, not a name.
_WORD_ENDINGS = (
    "ed",
    "ing",
    "ly",
    "tion",
    "tions",
    "sion",
    "ment",
    "ments",
    "ness",
    "ity",
    "ies",
    "ous",
    "ive",
    "able",
)


def _lowercase_names(text: str, toks: Sequence[_Tok], taken: Sequence[bool], art: ArticleFacts) -> list[Fact]:
    """Names of a lower-cased summary: the article's names found in it (supported) and runs of words
    the article lacks that look like names (unsupported): not common words, not inflections of an
    article word, no verb/adverb/abstract-noun ending. A run right before a found name is one name with
    it (``jk venter`` against the article's ``Craig Venter``)."""
    # (norm word, token index) of the summary's words
    words: list[tuple[str, int]] = []
    for i, t in enumerate(toks):
        if t.kind == _PUNCT or taken[i]:
            continue
        for piece in _norm_word(t.low):
            words.append((piece, i))
    n = len(words)
    groups: list[tuple[int, int, bool]] = []  # (first word, end word, novel)
    k = 0
    while k < n:
        cands = art.name_index.get(words[k][0])
        best = 0
        if cands:
            for cand in cands:
                m = len(cand)
                if m > best and k + m <= n and all(words[k + a][0] == cand[a] for a in range(m)):
                    best = m
        if best:
            groups.append((k, k + best, False))
            k += best
            continue
        w = words[k][0]
        if (
            w.isalpha()
            and len(w) > 1
            and w not in art.vocab
            and _stem(w) not in art.stems()
            and w not in _COMMON_WORDS
            and _stem(w) not in _COMMON_WORDS
            and w not in _NOT_NAMES
            and not w.endswith(_WORD_ENDINGS)
        ):
            if groups and groups[-1][2] and groups[-1][1] == k and words[k][1] - words[k - 1][1] <= 1:
                groups[-1] = (groups[-1][0], k + 1, True)
            else:
                groups.append((k, k + 1, True))
        k += 1
    facts: list[Fact] = []
    g = 0
    while g < len(groups):
        first, end, novel = groups[g]
        if novel and g + 1 < len(groups):
            f2, e2, novel2 = groups[g + 1]
            if not novel2 and f2 == end and words[f2][1] - words[end - 1][1] <= 1:
                end = e2
                g += 1
        s, e, span = _span(text, toks, words[first][1], words[end - 1][1] + 1)
        facts.append(Fact("name", span, s, e, not novel, " ".join(w for w, _ in words[first:end])))
        g += 1
    return facts


def check_facts(
    summary: str,
    article: str | ArticleFacts,
    *,
    kinds: Iterable[str] = FACT_KINDS,
    lowercase_names: bool = False,
) -> FactReport:
    """The checkable facts of ``summary`` and whether ``article`` (its text, or an :class:`ArticleFacts`
    made from it) supports each. See the module docstring for the rules of each kind."""
    wanted = tuple(k for k in FACT_KINDS if k in set(kinds))
    art = article if isinstance(article, ArticleFacts) else ArticleFacts(article)
    text = _clean(summary)
    toks = _tokens(text)
    taken = [False] * len(toks)
    dates: list[Fact] = []
    for d in _dates(toks):
        for k in range(d.first, d.last):
            taken[k] = True
        if "dates" in wanted:
            s, e, span = _span(summary, toks, d.first, d.last)
            dates.append(Fact("date", span, s, e, _date_supported(d, art), d.value()))
    numbers: list[Fact] = []
    if "numbers" in wanted:
        for m in _numbers(toks, taken, claims=True):
            s, e, span = _span(summary, toks, m.first, m.last)
            numbers.append(Fact("number", span, s, e, _number_supported(m, art.numbers), m.value()))
    quotes: list[Fact] = []
    if "quotes" in wanted:
        for s, e in _quote_spans(text):
            norm = _norm_text(text[s:e])
            if not norm or len(norm) > _MAX_QUOTE_WORDS:
                continue
            parts = [p for p in (_norm_text(part) for part in _QUOTE_PARTS.split(text[s:e])) if p]
            supported = all(art.contains(p) for p in parts)
            quotes.append(Fact("quote", summary[s:e], s, e, supported, " ".join(norm)))
    names: list[Fact] = []
    names_checked = "names" in wanted
    if names_checked:
        if not _is_lowercase(text):
            lower, cap_mid = art.lower, art.cap_mid
            for nm in _names(toks, text, taken, lower, cap_mid):
                s, e, span = _span(summary, toks, nm.first, nm.last)
                names.append(Fact("name", span, s, e, _name_supported(nm.norm, art), " ".join(nm.norm)))
        elif lowercase_names:
            names = _lowercase_names(summary, toks, taken, art)
        else:
            names_checked = False
    return FactReport(
        numbers=tuple(numbers),
        dates=tuple(dates),
        quotes=tuple(quotes),
        names=tuple(names),
        kinds=wanted,
        names_checked=names_checked,
    )


class FactChecks:
    """Unsupported numbers, dates, quotes and names of each summary against its article, by rules (no
    model; see :mod:`sumbench.scoring.facts`). ``kinds``: the kinds checked (default all four; a kind
    left out has NaN share and adds nothing to the counts). ``lowercase_names``: check the names of a
    lower-cased summary by the article's names and novel rare words (off: NaN). Each article is
    analysed once per batch."""

    version = "1"
    columns = FACT_COLUMNS
    #: Fewer unsupported facts is better: a meta-evaluation negates these columns before correlating.
    lower_is_better = FACT_COLUMNS[:-1]

    def __init__(self, kinds: Sequence[str] = FACT_KINDS, lowercase_names: bool = False) -> None:
        unknown = [k for k in kinds if k not in FACT_KINDS]
        if unknown:
            raise ValueError(f"unknown fact kinds {unknown}; expected some of {', '.join(FACT_KINDS)}")
        self.kinds = tuple(k for k in FACT_KINDS if k in kinds)
        self.lowercase_names = lowercase_names

    def signature(self) -> str:
        extra = "|lowercase-names" if self.lowercase_names else ""
        return f"facts|kinds:{','.join(self.kinds)}{extra}|v{self.version}"

    def score_batch(self, items: Sequence[MetricItem]) -> list[MetricResult]:
        articles: dict[str, ArticleFacts] = {}
        out: list[MetricResult] = []
        for item in items:
            art = articles.get(item.article)
            if art is None:
                art = articles[item.article] = ArticleFacts(item.article)
            report = check_facts(item.summary, art, kinds=self.kinds, lowercase_names=self.lowercase_names)
            out.append(report.scores())
        return out
