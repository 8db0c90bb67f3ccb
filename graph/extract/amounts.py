"""Amounts of money as written ("£120m", "about €3bn over three years", "multi-million
pound") read into a value and an ISO 4217 currency, keeping the text as written."""

from __future__ import annotations

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
    r"(?P<symbol>[£€$])?\s?(?P<number>\d[\d,]*(?:\.\d+)?)\s?"
    r"(?P<scale>bn|mn|tn|k|m|b|thousand|million|billion|trillion)?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    """An amount as written, with its value and currency where the text gives them."""

    text: str
    value: float | None
    currency: str | None


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
    """
    currency = None
    value = None
    match = _NUMBER.search(text)
    if match and (match.group("symbol") or match.group("scale")):
        number = float(match.group("number").replace(",", ""))
        scale = SCALES.get((match.group("scale") or "").lower(), 1.0)
        value = number * scale
        if match.group("symbol"):
            currency = SYMBOLS[match.group("symbol")]
    if currency is None:
        for symbol, code in SYMBOLS.items():
            if symbol in text:
                currency = code
                break
    if currency is None:
        for word in re.findall(r"[a-z]+", text.lower()):
            if word in WORDS:
                currency = WORDS[word]
                break
    return Amount(text, value, currency)
