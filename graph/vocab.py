"""Every IRI policygraph uses, in one place.

The ontology lives under the stable base ``https://w3id.org/policygraph/``: terms in ``PG``,
status and purpose concepts in ``STATUS`` and ``PURPOSE`` (SKOS concept schemes), minted
instance IRIs under ``ID``. A typo in a term raises ``AttributeError`` (``_fail = True``).

Examples
--------
>>> str(PG.Deal)
'https://w3id.org/policygraph/ontology#Deal'
>>> str(STATUS.negotiating)
'https://w3id.org/policygraph/status/negotiating'
>>> PG.Dael
Traceback (most recent call last):
...
AttributeError: term 'Dael' not in namespace 'https://w3id.org/policygraph/ontology#'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from graph.model import ACTOR_TYPES

BASE = "https://w3id.org/policygraph/"


class PG(DefinedNamespace):
    """The policygraph ontology (``ontology/policy.ttl``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Actor: URIRef
    Country: URIRef
    Region: URIRef
    Supranational: URIRef
    Person: URIRef
    Organisation: URIRef
    Government: URIRef
    PoliticalParty: URIRef
    Event: URIRef
    Deal: URIRef
    StatusClaim: URIRef
    Statement: URIRef
    Evidence: URIRef
    DealStatus: URIRef  # skos:ConceptScheme
    DealPurpose: URIRef  # skos:ConceptScheme
    Correction: URIRef  # an analyst's correction (prov:Activity), in graph id:curation
    Change: URIRef  # one write's record in the change log (prov:Activity), in id:changes

    # actor properties
    isoCode: URIRef
    partOf: URIRef
    role: URIRef
    mentionedAs: URIRef

    # deal properties
    party: URIRef
    payer: URIRef
    payee: URIRef
    status: URIRef
    statusClaim: URIRef
    purpose: URIRef
    amount: URIRef
    amountValue: URIRef
    amountPer: URIRef
    amountEquivalent: URIRef
    currency: URIRef
    criticisedBy: URIRef
    evidence: URIRef

    # statement properties
    speaker: URIRef
    quote: URIRef

    # evidence properties
    startOffset: URIRef
    endOffset: URIRef

    # correction properties
    correctionKind: URIRef
    sequence: URIRef
    target: URIRef
    into: URIRef
    newValue: URIRef
    previousValue: URIRef
    inArticle: URIRef
    undoneBy: URIRef
    newPayer: URIRef
    newPayee: URIRef
    newStatus: URIRef
    newType: URIRef
    sentence: URIRef
    sentenceStart: URIRef
    sentenceEnd: URIRef

    # change log properties
    changeKind: URIRef
    changedGraph: URIRef
    triplesAdded: URIRef
    triplesRemoved: URIRef


class STATUS(DefinedNamespace):
    """Deal status concepts, in the order a deal usually moves through them."""

    _NS = Namespace(BASE + "status/")
    _fail = True

    proposed: URIRef
    negotiating: URIRef
    concluded: URIRef
    suspended: URIRef
    terminated: URIRef


class PURPOSE(DefinedNamespace):
    """Deal purpose concepts."""

    _NS = Namespace(BASE + "purpose/")
    _fail = True

    prevent_departures: URIRef
    border_control: URIRef
    returns: URIRef
    relocation: URIRef
    offshore_processing: URIRef
    resettlement: URIRef
    anti_smuggling: URIRef
    labour_mobility: URIRef
    development_aid: URIRef
    budget_support: URIRef
    military_base: URIRef
    sovereignty: URIRef
    natural_resources: URIRef
    trade: URIRef
    climate_finance: URIRef
    reparations: URIRef


ID = Namespace(BASE + "id/")
CURATION = ID["curation"]  # the named graph of the analysts' corrections
CHANGES = ID["changes"]  # the named graph of the change log
WD = Namespace("http://www.wikidata.org/entity/")
WD_PAGE = Namespace("https://www.wikidata.org/wiki/")

PREFIXES: dict[str, str] = {
    "pg": str(PG._NS),
    "status": str(STATUS._NS),
    "purpose": str(PURPOSE._NS),
    "id": str(ID),
    "wd": str(WD),
    "schema": str(SDO),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


def prefixed(iri: str) -> str | None:
    """``iri`` written with the longest of ``PREFIXES`` that covers it, or None if none does.

    >>> prefixed("https://w3id.org/policygraph/id/actor/country/GB"), prefixed("https://x.org/a")
    ('id:actor/country/GB', None)
    """
    best = max(
        (p for p, ns in PREFIXES.items() if iri.startswith(ns) and len(iri) > len(ns)),
        key=lambda p: len(PREFIXES[p]),
        default=None,
    )
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else None


def expand(name: str) -> str:
    """A prefixed name (``id:deal/…``) as its full IRI, the inverse of ``prefixed``; any other
    text as it is.

    >>> expand("id:actor/country/GB"), expand("GB+TR")
    ('https://w3id.org/policygraph/id/actor/country/GB', 'GB+TR')
    """
    prefix, colon, local = name.partition(":")
    return PREFIXES[prefix] + local if colon and prefix in PREFIXES and local else name


ACTOR_CLASS: dict[str, URIRef] = {name: PG[name] for name in ACTOR_TYPES}
CLASS_ACTOR_TYPE: dict[str, str] = {str(iri): name for name, iri in ACTOR_CLASS.items()}


def slug(text: str) -> str:
    """An IRI-safe lower-case slug of ``text``.

    >>> slug("Keir Starmer")
    'keir-starmer'
    >>> slug("Türkiye & Co.")
    'turkiye-co'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "x"


def digest(*parts: str) -> str:
    """A short stable hash of ``parts``, for IRIs of things without a natural name."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def actor_iri(key: str) -> URIRef:
    """The IRI of an actor from its key (``country/GB``, ``person/keir-starmer``)."""
    return ID["actor/" + key]


def actor_key(iri: str) -> str:
    """The key of an actor IRI (the inverse of ``actor_iri``: what follows ``/actor/``); any
    other IRI as it is.

    >>> actor_key(str(actor_iri("country/GB"))), actor_key("https://x.org/a")
    ('country/GB', 'https://x.org/a')
    """
    return iri.split("/actor/", 1)[1] if "/actor/" in iri else iri


def author_iri(name: str) -> URIRef:
    """The IRI of a byline's author: metadata of an article, not an actor of its story."""
    return ID["author/" + slug(name)]


def outlet_iri(name: str) -> URIRef:
    """The IRI of the outlet that published an article (metadata, not an actor)."""
    return ID["outlet/" + slug(name)]


def article_iri(key: str) -> URIRef:
    """The IRI of an article, which is also the name of its graph."""
    return ID["article/" + key]


def deal_iri(party_keys: list[str], distinction: str | None = None) -> URIRef:
    """The IRI of a deal: its identity is its set of parties, not the article that reported
    it, and, for a second deal between the same parties, what tells the two apart (the year
    it is dated by, or its place in the article).

    >>> deal_iri(["a", "b"]) == deal_iri(["b", "a"]) != deal_iri(["a", "b"], "2023")
    True
    """
    parts = sorted(set(party_keys))
    return ID["deal/" + (digest(*parts, f"#{distinction}") if distinction else digest(*parts))]


def correction_iri(number: int) -> URIRef:
    """The IRI of the ``number``-th correction (``id:correction/3``)."""
    return ID[f"correction/{number}"]


def agent_iri(name: str) -> URIRef:
    """The IRI of the person a correction or change is attributed to (a ``prov:Agent``)."""
    return ID["agent/" + slug(name)]


def change_iri(time: str, graph: str, kind: str) -> URIRef:
    """The IRI of one change-log record: a write's kind, time and named graph."""
    return ID["change/" + digest(time, graph, kind)]


def status_iri(name: str) -> URIRef:
    """The SKOS concept for a status name."""
    return STATUS[name]


def purpose_iri(name: str) -> URIRef:
    """The SKOS concept for a purpose name."""
    return PURPOSE[name]


def wikidata_iri(qid: str) -> URIRef:
    """The Wikidata entity IRI of a QID."""
    return WD[qid]


def wikidata_page(qid: str) -> str:
    """The human-readable Wikidata page of a QID (for a link a person clicks)."""
    return str(WD_PAGE[qid])
