"""Amounts of money as written ("£120m", "about €3bn over three years", "multi-million
pound") read into a value and an ISO 4217 currency, keeping the text as written."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD"}
WORDS = {
    "pound": "GBP", "pounds": "GBP", "sterling": "GBP",
    "euro": "EUR", "euros": "EUR",
    "dollar": "USD", "dollars": "USD",
}  # fmt: skip
SCALES = {
    "k": 1e3, "thousand": 1e3,
    "m": 1e6, "mn": 1e6, "million": 1e6,
    "bn": 1e9, "b": 1e9, "billion": 1e9,
    "trillion": 1e12, "tn": 1e12,
}  # fmt: skip
_NUMBER = re.compile(
    r"(?P<symbol>[£€$])?\s?(?P<number>\d[\d,]*(?:\.\d+)?)[-\s]?"
    r"(?P<scale>bn|mn|tn|k|m|b|thousand|million|billion|trillion)?\b",
    re.IGNORECASE,
)
_EQUIVALENT = re.compile(r"\((?P<equivalent>[£€$][^()]+)\)")
_PER = re.compile(
    r"\b(?:a|per|each|every)\s+(?P<per>year|month|week|head|person)\b|\b(?P<annual>annually)\b"
    r"|\bfor\s+(?:every|each)\s+(?P<unit>person|migrant|asylum\s+seeker|refugee|individual)\b",
    re.IGNORECASE,
)
# No sum a government pays comes near a quadrillion: a longer figure is a run of digits that is
# no amount (or a float's infinity), and its value is left unknown, the text kept as written.
# (An xsd:decimal of 10^28 or more would not fit the 28 digits the RDF stage rounds with.)
MAX_VALUE = 1e15
_VAGUE = re.compile(
    r"\b(?:hundreds|tens|millions|billions)\s+of\b|\bmulti-?(?:million|billion)", re.I
)


@dataclass(frozen=True)
class Amount:
    """An amount as written, with its value and currency where the text gives them."""

    text: str
    value: float | None
    currency: str | None
    per: str | None = None  # "year" for "£101m a year", "person" for "$5,000 for every person"
    equivalent: str | None = None  # "$1.07 billion" of "1 billion-euro ($1.07 billion)"

    def __repr__(self) -> str:
        extra = "".join(
            f", {k}={v!r}" for k, v in (("per", self.per), ("equivalent", self.equivalent)) if v
        )
        return (
            f"Amount(text={self.text!r}, value={self.value!r}, currency={self.currency!r}{extra})"
        )


def parse_amount(text: str) -> Amount:
    """Read the value and currency of an amount written in a news article.

    >>> parse_amount("£120m")
    Amount(text='£120m', value=120000000.0, currency='GBP')
    >>> parse_amount("about €3bn over three years")
    Amount(text='about €3bn over three years', value=3000000000.0, currency='EUR')
    >>> parse_amount("€105 million")
    Amount(text='€105 million', value=105000000.0, currency='EUR')
    >>> parse_amount("multi-million pound")
    Amount(text='multi-million pound', value=None, currency='GBP')
    >>> parse_amount("1.5 billion euros")
    Amount(text='1.5 billion euros', value=1500000000.0, currency='EUR')
    >>> parse_amount("1 billion-euro ($1.07 billion)").equivalent
    '$1.07 billion'
    >>> parse_amount("£101m a year for 99 years")  # a rate, never a total
    Amount(text='£101m a year for 99 years', value=None, currency='GBP', per='year')
    >>> parse_amount("hundreds of millions of euros")
    Amount(text='hundreds of millions of euros', value=None, currency='EUR')
    >>> parse_amount("£" + "9" * 30 + "bn").value is None  # no real sum: value unknown
    True
    """
    equivalent_match = _EQUIVALENT.search(text)
    equivalent = equivalent_match["equivalent"].strip() if equivalent_match else None
    main = _EQUIVALENT.sub(" ", text)  # the amount itself, not its equivalent
    rate = _PER.search(main)
    per = None
    if rate:
        per = "year" if rate["annual"] else (rate["per"] or "person").lower()
        per = "person" if per == "head" or rate["unit"] else per
    currency = None
    value = None
    match = None if _VAGUE.search(main) else _NUMBER.search(main)
    if match and (match.group("symbol") or match.group("scale")):
        number = float(match.group("number").replace(",", ""))
        scale = SCALES.get((match.group("scale") or "").lower(), 1.0)
        value = number * scale
        if not math.isfinite(value) or value > MAX_VALUE:
            value = None
        if match.group("symbol"):
            currency = SYMBOLS[match.group("symbol")]
    if currency is None:
        for symbol, code in SYMBOLS.items():
            if symbol in main:
                currency = code
                break
    if currency is None:
        for word in re.findall(r"[a-z]+", main.lower()):
            if word in WORDS:
                currency = WORDS[word]
                break
    if per is not None:
        value = None  # a yearly or per-head figure is never stored as the total
    return Amount(text, value, currency, per, equivalent)
