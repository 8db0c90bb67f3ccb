"""Stage 3: an ``Extraction`` becomes the RDF graph of its article.

One article is one named graph, named by the article IRI. Deals and actors get IRIs from
their identity (a deal from its parties, a country from its ISO code), so the same deal
reported by several articles is one node with a status claim and evidence from each.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SDO, XSD, Graph, Literal, URIRef

from graph.model import Actor, Deal, Evidence, Extraction
from graph.vocab import (
    ACTOR_CLASS,
    ID,
    PG,
    PREFIXES,
    actor_iri,
    article_iri,
    author_iri,
    deal_iri,
    digest,
    outlet_iri,
    purpose_iri,
    status_iri,
    wikidata_iri,
)


def article_graph_iri(extraction: Extraction) -> URIRef:
    """The name of the article's graph (its IRI)."""
    return article_iri(extraction.article.key)


def plain(text: str) -> str:
    """A name as a label stores it: without invisible format characters (zero-width spaces
    and joiners, direction marks and overrides, soft hyphens), white space folded. Evidence
    keeps its sentence exactly as written; a label is for reading and searching.

    >>> plain("Ana Lopez\u200b and the \u202eUK\u202c")
    'Ana Lopez and the UK'
    """
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Cf").split())


def deal_label(deal: Deal, extraction: Extraction) -> str:
    """A readable label: the parties' labels, payers first, then what tells it from another
    deal between them."""
    ordered = list(dict.fromkeys([*deal.payers, *deal.parties]))
    label = " – ".join(plain(extraction.actor(key).label) for key in ordered)
    if deal.distinction:  # another deal between the same parties: "… (2023)"
        label += f" ({deal.distinction})"
    return label


def to_graph(extraction: Extraction) -> Graph:
    """Build the RDF graph of one article's extraction."""
    graph = Graph(identifier=article_graph_iri(extraction))
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    article = extraction.article
    art = article_graph_iri(extraction)

    graph.add((art, RDF.type, SDO.NewsArticle))
    graph.add((art, SDO.headline, Literal(article.headline)))
    graph.add((art, SDO.articleBody, Literal(article.text)))
    if article.standfirst:
        graph.add((art, SDO.abstract, Literal(article.standfirst)))
    if article.published:
        graph.add((art, SDO.datePublished, Literal(article.published, datatype=XSD.date)))
    if article.url:
        graph.add((art, SDO.url, URIRef(article.url)))
    if article.source_name:
        graph.add((art, DCTERMS.source, Literal(article.source_name)))

    def evidence(ev: Evidence) -> URIRef:
        node = ID[f"evidence/{article.key}/{ev.start}-{ev.end}"]
        graph.add((node, RDF.type, PG.Evidence))
        graph.add((node, PROV.value, Literal(ev.text)))
        graph.add((node, PG.startOffset, Literal(ev.start, datatype=XSD.nonNegativeInteger)))
        graph.add((node, PG.endOffset, Literal(ev.end, datatype=XSD.nonNegativeInteger)))
        graph.add((node, PROV.wasQuotedFrom, art))
        return node

    for actor in extraction.actors:
        _add_actor(graph, actor)
        node = actor_iri(actor.key)
        graph.add((art, SDO.mentions, node))
        for ev in actor.evidence:
            graph.add((node, PG.evidence, evidence(ev)))

    # The byline and the outlet are metadata: an author or outlet the story also names as an
    # actor is that actor; otherwise a schema.org node of its own, outside the actor network.
    actors_by_label = {(a.type, a.label): a for a in extraction.actors}
    for name in article.authors:
        person = actors_by_label.get(("Person", name))
        node = actor_iri(person.key) if person else author_iri(name)
        if person is None:
            graph.add((node, RDF.type, SDO.Person))
            graph.add((node, RDFS.label, Literal(plain(name))))
        graph.add((art, SDO.author, node))
    if article.outlet:
        body = next(
            (a for a in extraction.actors if a.label == article.outlet and a.type != "Person"),
            None,
        )
        node = actor_iri(body.key) if body else outlet_iri(article.outlet)
        if body is None:
            graph.add((node, RDF.type, SDO.Organization))
            graph.add((node, RDFS.label, Literal(plain(article.outlet))))
        graph.add((art, SDO.publisher, node))

    for deal in extraction.deals:
        node = deal_iri([str(actor_iri(key)) for key in deal.parties], deal.distinction)
        graph.add((node, RDF.type, PG.Deal))
        graph.add((node, RDFS.label, Literal(deal_label(deal, extraction))))
        for key in deal.parties:
            graph.add((node, PG.party, actor_iri(key)))
        for key in deal.payers:
            graph.add((node, PG.payer, actor_iri(key)))
        for key in deal.payees:
            graph.add((node, PG.payee, actor_iri(key)))
        for purpose in deal.purposes:
            graph.add((node, PG.purpose, purpose_iri(purpose)))
        if deal.amount:
            graph.add((node, PG.amount, Literal(deal.amount)))
        if deal.amount_value is not None:
            value = Decimal(str(deal.amount_value)).quantize(Decimal(1))
            graph.add((node, PG.amountValue, Literal(value, datatype=XSD.decimal)))
        if deal.currency:
            graph.add((node, PG.currency, Literal(deal.currency)))
        if deal.amount_per:
            graph.add((node, PG.amountPer, Literal(deal.amount_per)))
        if deal.amount_equivalent:
            graph.add((node, PG.amountEquivalent, Literal(deal.amount_equivalent)))
        for key in deal.criticised_by:
            graph.add((node, PG.criticisedBy, actor_iri(key)))
        evidence_nodes = [evidence(ev) for ev in deal.evidence]
        for ev_node in evidence_nodes:
            graph.add((node, PG.evidence, ev_node))
        claim = ID[f"claim/{article.key}/{digest(str(node))}"]
        graph.add((node, PG.statusClaim, claim))
        graph.add((claim, RDF.type, PG.StatusClaim))
        graph.add((claim, PG.status, status_iri(deal.status)))
        graph.add((claim, DCTERMS.source, art))
        if article.published:
            graph.add((claim, DCTERMS.date, Literal(article.published, datatype=XSD.date)))
        for ev_node in evidence_nodes[:1]:
            graph.add((claim, PG.evidence, ev_node))

    for index, statement in enumerate(extraction.statements):
        node = ID[f"statement/{article.key}/{index}"]
        graph.add((node, RDF.type, PG.Statement))
        graph.add((node, PG.speaker, actor_iri(statement.speaker)))
        graph.add((node, PG.quote, Literal(statement.quote)))
        graph.add((node, PG.evidence, evidence(statement.evidence)))
    return graph


def _add_actor(graph: Graph, actor: Actor) -> None:
    node = actor_iri(actor.key)
    graph.add((node, RDF.type, ACTOR_CLASS[actor.type]))
    graph.add((node, RDFS.label, Literal(plain(actor.label))))
    if actor.iso_code:
        graph.add((node, PG.isoCode, Literal(actor.iso_code)))
    if actor.wikidata:
        graph.add((node, OWL.sameAs, wikidata_iri(actor.wikidata)))
    if actor.part_of:
        graph.add((node, PG.partOf, actor_iri(actor.part_of)))
    if actor.role:
        graph.add((node, PG.role, Literal(plain(actor.role))))
    for mention in actor.mentions:
        graph.add((node, PG.mentionedAs, Literal(plain(mention))))
