"""Plain dataclasses passed between the pipeline stages.

article → extract → rdf → store → network: each stage takes and returns these, never a spaCy
``Doc`` or a Streamlit object, so every stage can be tested and replaced on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Literal

ActorType = Literal[
    "Country",
    "Region",
    "Supranational",
    "Person",
    "Organisation",
    "Government",
    "PoliticalParty",
    "Event",
]
ACTOR_TYPES: tuple[str, ...] = ActorType.__args__  # type: ignore[attr-defined]

Status = Literal["proposed", "negotiating", "concluded", "suspended", "terminated"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]


def status_rank(status: object) -> int:
    """Where a status stands in a deal's life (``proposed`` first); -1 for a value that is
    no status, such as one a hand-written update stored, so a reader never fails on it."""
    return STATUSES.index(status) if status in STATUSES else -1  # type: ignore[arg-type]


PURPOSES: tuple[str, ...] = (
    "prevent_departures",
    "border_control",
    "returns",
    "relocation",
    "offshore_processing",
    "resettlement",
    "anti_smuggling",
    "labour_mobility",
    "development_aid",
    "budget_support",
    "military_base",
    "sovereignty",
    "natural_resources",
    "trade",
    "climate_finance",
    "reparations",
)


@dataclass(frozen=True)
class Span:
    """A character range of the article text: ``text[start:end]``."""

    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article, with its offsets into ``Article.text``."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    part: Literal["headline", "standfirst", "body"] = "body"


@dataclass(frozen=True)
class Article:
    """A parsed news article: metadata plus the text split into sentences with offsets."""

    text: str
    headline: str
    sentences: tuple[Sentence, ...]
    standfirst: str | None = None
    author: str | None = None
    outlet: str | None = None
    published: date | None = None
    url: str | None = None
    source_name: str | None = None
    # the wire dateline opening the first paragraph ("LONDON (Reuters) - "), as text offsets:
    # where the story was filed, not an actor of it
    dateline: tuple[int, int] | None = None

    @cached_property
    def key(self) -> str:
        """A stable identity for the article: a hash of its text (white space folded).

        The text, not the URL, so ingesting the same article with and without ``--url`` (or
        from two addresses) replaces one graph instead of adding a second. Computed once:
        every evidence node's IRI holds it, so hashing it each time would make building an
        article's graph quadratic in its length.
        """
        import hashlib

        basis = " ".join(self.text.split())
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]

    @property
    def authors(self) -> list[str]:
        """The byline's names ("Jane Doe and John Roe" is two authors)."""
        import re

        return [name for name in re.split(r"\s+and\s+", self.author or "") if name.strip()]

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence containing character ``offset``."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        raise ValueError(f"offset {offset} is outside every sentence")


@dataclass(frozen=True)
class Evidence:
    """The exact sentence a fact was read from."""

    text: str
    start: int
    end: int


@dataclass
class Actor:
    """One real-world actor, resolved: every surface form that names it is in ``mentions``."""

    key: str
    label: str
    type: ActorType
    iso_code: str | None = None
    wikidata: str | None = None
    part_of: str | None = None
    role: str | None = None
    mentions: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Deal:
    """An agreement between parties, as one article reports it. Actors are referred to by key."""

    parties: list[str]
    payers: list[str] = field(default_factory=list)
    payees: list[str] = field(default_factory=list)
    status: Status = "proposed"
    purposes: list[str] = field(default_factory=list)
    amount: str | None = None
    amount_value: float | None = None  # a total only: None for a rate ("£101m a year")
    currency: str | None = None
    amount_per: str | None = None  # "year", "person": the amount is a rate, not a total
    amount_equivalent: str | None = None  # "$1.07 billion" of "1 billion-euro ($1.07 billion)"
    criticised_by: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    # what tells this deal from another one between the same parties that the article also
    # reports ("2023" for the package agreed in 2023, or "2" for the second); None for the
    # deal the parties alone name
    distinction: str | None = None


@dataclass
class Statement:
    """Something an actor said, with the quote as written."""

    speaker: str
    quote: str
    evidence: Evidence


@dataclass
class Extraction:
    """Everything read from one article."""

    article: Article
    actors: list[Actor]
    deals: list[Deal]
    statements: list[Statement]

    def actor(self, key: str) -> Actor:
        """The actor with this key."""
        for actor in self.actors:
            if actor.key == key:
                return actor
        raise KeyError(key)
