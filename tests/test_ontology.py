"""The ontology (``ontology/policy.ttl``), its SHACL shapes, their examples and the SPARQL checks.

* every term of ``graph/vocab.py`` is declared and labelled in the ontology, and nothing else is;
* every shape has a valid example that conforms and an invalid one that fails on that shape only;
* targeted breakages of the valid examples fail on the property shape they break;
* every ``ontology/checks/*-violation.rq`` query finds nothing in the valid examples and finds the
  error in a dataset broken on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, Store
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, SDO, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, SH
from rdflib.term import Node

from graph.vocab import ACTOR_CLASS, CHANGES, CURATION, ID, PG, PURPOSE, STATUS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
POLICY = ONTOLOGY_DIR / "policy.ttl"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
EXAMPLES = ONTOLOGY_DIR / "examples"
CHECKS = ONTOLOGY_DIR / "checks"

PGSH = Namespace("https://w3id.org/policygraph/shapes#")
ONTOLOGY_IRI = URIRef("https://w3id.org/policygraph/ontology")
TERM_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    SKOS.ConceptScheme,
    SKOS.Concept,
}
SCORING_CLASS = {
    "proposed": "pending",
    "negotiating": "pending",
    "concluded": "active",
    "suspended": "suspended",
    "terminated": "ended",
}


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


@cache
def ontology() -> Graph:
    return Graph().parse(POLICY, format="turtle")


@cache
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def example(name: str) -> Graph:
    """A fresh copy of an example graph (callers may mutate it)."""
    return Graph().parse(EXAMPLES / name, format="turtle")


def vocab_terms(namespace: type) -> set[URIRef]:
    return {namespace[name] for name in namespace.__annotations__}


def target_shapes() -> list[str]:
    """Local names of the node shapes that have a target (helpers such as IsActor have none)."""
    graph = shapes()
    return sorted(
        str(shape).removeprefix(str(PGSH))
        for shape in set(graph.subjects(RDF.type, SH.NodeShape))
        if (shape, SH.targetClass, None) in graph
    )


def shape_members(shape: URIRef) -> set[Node]:
    """A node shape and the property shapes and SPARQL constraints that belong to it."""
    graph = shapes()
    return {shape} | set(graph.objects(shape, SH.property)) | set(graph.objects(shape, SH.sparql))


def validate_graph(data: Graph) -> tuple[bool, set[Node], list[str]]:
    """Conforms?, where the top-level results come from, and their messages.

    A result comes from its sh:sourceShape, or, for a SPARQL constraint, from the named
    constraint itself (sh:sourceConstraint), so that two SPARQL rules of one shape differ.
    """
    conforms, report, _ = validate(data, shacl_graph=shapes(), inference="none", advanced=True)
    assert isinstance(report, Graph), report
    results = list(report.objects(None, SH.result))
    sources = {
        report.value(result, SH.sourceConstraint)
        if report.value(result, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent
        else report.value(result, SH.sourceShape)
        for result in results
    }
    messages = [str(report.value(result, SH.resultMessage)) for result in results]
    return bool(conforms), sources, messages


def article_of(graph: Graph) -> Node:
    """The name of an example graph's named graph: its one article, or for the curation
    and change-log examples, which hold no article, ``id:curation`` or ``id:changes``."""
    articles = list(graph.subjects(RDF.type, SDO.NewsArticle))
    if not articles and (None, RDF.type, PG.Correction) in graph:
        return CURATION
    if not articles and (None, RDF.type, PG.Change) in graph:
        return CHANGES
    assert len(articles) == 1, articles
    return articles[0]


def load(store: Store, graph: Graph) -> None:
    """Load an article graph into the store, in the named graph of its article."""
    store.load(
        graph.serialize(format="turtle").encode("utf-8"),
        format=RdfFormat.TURTLE,
        to_graph=NamedNode(str(article_of(graph))),
    )


def rows(store: Store, query_file: Path) -> list[object]:
    return list(store.query(query_file.read_text(encoding="utf-8")))


# A mutation: for a node (a class with exactly one instance in the graph, or an IRI), replace all
# values of a property with the given ones (none: remove the property).
Change = tuple[URIRef, URIRef, tuple[Node, ...]]


def mutate(graph: Graph, *changes: Change) -> Graph:
    for who, prop, values in changes:
        instances = list(graph.subjects(RDF.type, who))
        if len(instances) == 1:
            node = instances[0]
        else:
            assert (who, None, None) in graph, f"{who} is neither a singleton class nor a node"
            node = who
        graph.remove((node, prop, None))
        for value in values:
            graph.add((node, prop, value))
    return graph


GB = ID["actor/country/GB"]
TR = ID["actor/country/TR"]
EU = ID["actor/supranational/EU"]
KURDISTAN = ID["actor/region/IQ-KR"]
BALKANS = ID["actor/region/western-balkans"]
EVIDENCE_TEXT = "Such deals would see Britain pay Ankara to stop migrants leaving its coast."


# --------------------------------------------------------------------------------------------
# the ontology
# --------------------------------------------------------------------------------------------


def test_ontology_policy_parses_with_metadata() -> None:
    graph = ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.created, RDFS.label, RDFS.comment):
        assert graph.value(ONTOLOGY_IRI, prop) is not None, prop
    assert graph.value(ONTOLOGY_IRI, DCTERMS.created).datatype == XSD.date


@pytest.mark.parametrize(
    "term",
    sorted(vocab_terms(PG) | vocab_terms(STATUS) | vocab_terms(PURPOSE)),
    ids=lambda term: str(term).rsplit("/", 1)[-1],
)
def test_ontology_declares_every_vocab_term(term: URIRef) -> None:
    graph = ontology()
    types = set(graph.objects(term, RDF.type))
    assert types & TERM_TYPES, f"{term} is not declared in policy.ttl"
    assert graph.value(term, RDFS.label) is not None, f"{term} has no rdfs:label"
    assert graph.value(term, RDFS.comment) is not None, f"{term} has no rdfs:comment"


def test_ontology_declares_nothing_outside_vocab() -> None:
    known = vocab_terms(PG) | vocab_terms(STATUS) | vocab_terms(PURPOSE)
    namespaces = (str(PG._NS), str(STATUS._NS), str(PURPOSE._NS))
    used = {
        node
        for triple in ontology()
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(namespaces)
    }
    assert used - known == set(), "terms in policy.ttl missing from graph/vocab.py"


def test_ontology_actor_classes_are_actors() -> None:
    graph = ontology()
    for cls in ACTOR_CLASS.values():
        supers = set(graph.transitive_objects(cls, RDFS.subClassOf))
        assert PG.Actor in supers, cls
    assert PROV.Agent in set(graph.objects(PG.Actor, RDFS.subClassOf))
    for prop in (PG.payer, PG.payee):
        assert (prop, RDFS.subPropertyOf, PG.party) in graph
    assert (PG.evidence, RDFS.subPropertyOf, PROV.wasDerivedFrom) in graph
    assert (PG.speaker, RDFS.subPropertyOf, PROV.wasAttributedTo) in graph


@pytest.mark.parametrize(
    ("scheme", "namespace"),
    [(PG.DealStatus, STATUS), (PG.DealPurpose, PURPOSE)],
    ids=["status", "purpose"],
)
def test_ontology_concept_schemes_are_complete(scheme: URIRef, namespace: type) -> None:
    graph = ontology()
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    in_scheme = set(graph.subjects(SKOS.inScheme, scheme))
    assert in_scheme == vocab_terms(namespace)
    for name in namespace.__annotations__:
        concept = namespace[name]
        assert (concept, RDF.type, SKOS.Concept) in graph
        assert graph.value(concept, SKOS.notation) == Literal(name)
        assert graph.value(concept, SKOS.prefLabel) is not None
        assert graph.value(concept, SKOS.definition) is not None
        if namespace is STATUS:
            comment = str(graph.value(concept, RDFS.comment))
            assert f"Scoring class: {SCORING_CLASS[name]}." in comment


# --------------------------------------------------------------------------------------------
# the shapes
# --------------------------------------------------------------------------------------------


def test_ontology_shapes_parse() -> None:
    assert target_shapes() == sorted(
        [
            "ActorShape",
            "ArticleShape",
            "ChangeShape",
            "CorrectionShape",
            "CountryShape",
            "DealShape",
            "EvidenceShape",
            "RegionShape",
            "StatementShape",
            "StatusClaimShape",
        ]
    )


def test_ontology_every_constraint_has_a_message() -> None:
    graph = shapes()
    constraints = {PGSH.IsActor}
    for name in target_shapes():
        constraints |= shape_members(PGSH[name]) - {PGSH[name]}
    for constraint in constraints:
        messages = list(graph.objects(constraint, SH.message))
        assert len(messages) == 1, f"{constraint} needs exactly one sh:message"


def test_ontology_shape_lists_match_vocab() -> None:
    graph = shapes()

    def listed(prop_shape: URIRef) -> set[Node]:
        return set(Collection(graph, graph.value(prop_shape, SH["in"])))

    assert listed(PGSH["StatusClaimShape-status"]) == vocab_terms(STATUS)
    assert listed(PGSH["DealShape-purpose"]) == vocab_terms(PURPOSE)
    actor_classes = set(ACTOR_CLASS.values()) | {PG.Actor}
    assert set(graph.objects(PGSH.ActorShape, SH.targetClass)) == actor_classes
    alternatives = Collection(graph, graph.value(PGSH.IsActor, SH["or"]))
    assert {graph.value(alt, SH["class"]) for alt in alternatives} == actor_classes


@pytest.mark.parametrize("shape", target_shapes())
def test_ontology_shape_has_examples(shape: str) -> None:
    assert (EXAMPLES / f"{shape}-valid.ttl").is_file()
    assert (EXAMPLES / f"{shape}-invalid.ttl").is_file()


@pytest.mark.parametrize("shape", target_shapes())
def test_ontology_valid_example_conforms(shape: str) -> None:
    conforms, _, messages = validate_graph(example(f"{shape}-valid.ttl"))
    assert conforms, messages


@pytest.mark.parametrize("shape", target_shapes())
def test_ontology_invalid_example_fails_on_its_shape(shape: str) -> None:
    path = EXAMPLES / f"{shape}-invalid.ttl"
    conforms, sources, messages = validate_graph(example(path.name))
    assert not conforms
    assert sources, "no violation reported"
    assert sources <= shape_members(PGSH[shape]), (sources, messages)
    # the comment at the top names the rule that breaks
    stated = re.search(r"^# Breaks pgsh:(\S+?):", path.read_text(encoding="utf-8"), re.M)
    assert stated, "the invalid example must say which rule it breaks"
    assert sources == {PGSH[stated.group(1)]}, messages


@dataclass(frozen=True)
class Breakage:
    """A valid example with some values replaced, expected to fail on one constraint only."""

    example: str
    changes: tuple[Change, ...]
    fails_on: str
    also_fails_on: tuple[str, ...] = ()  # constraints the same breakage necessarily also breaks


def _deal(*changes: tuple[URIRef, tuple[Node, ...]]) -> tuple[Change, ...]:
    return tuple((PG.Deal, prop, values) for prop, values in changes)


BREAKAGES = {
    "article two dates": Breakage(
        "ArticleShape-valid.ttl",
        (
            (
                SDO.NewsArticle,
                SDO.datePublished,
                (
                    Literal("2024-11-18", datatype=XSD.date),
                    Literal("2024-11-19", datatype=XSD.date),
                ),
            ),
        ),
        "ArticleShape-datePublished",
    ),
    "article date as string": Breakage(
        "ArticleShape-valid.ttl",
        ((SDO.NewsArticle, SDO.datePublished, (Literal("18 November 2024"),)),),
        "ArticleShape-datePublished",
    ),
    "article without body": Breakage(
        "ArticleShape-valid.ttl",
        ((SDO.NewsArticle, SDO.articleBody, ()),),
        "ArticleShape-articleBody",
    ),
    "article author literal": Breakage(
        "ArticleShape-valid.ttl",
        ((SDO.NewsArticle, SDO.author, (Literal("Dave Burke"),)),),
        "ArticleShape-author",
    ),
    "actor without label": Breakage(
        "ActorShape-valid.ttl", ((PG.Organisation, RDFS.label, ()),), "ActorShape-label"
    ),
    "actor two codes": Breakage(
        "ActorShape-valid.ttl",
        ((PG.Supranational, PG.isoCode, (Literal("EU"), Literal("EC"))),),
        "ActorShape-isoCode",
    ),
    "actor sameAs literal": Breakage(
        "ActorShape-valid.ttl",
        ((PG.Person, OWL.sameAs, (Literal("Q6383069"),)),),
        "ActorShape-sameAs",
    ),
    "country without code": Breakage(
        "CountryShape-valid.ttl", ((GB, PG.isoCode, ()),), "CountryShape-isoCode"
    ),
    "country lower-case code": Breakage(
        "CountryShape-valid.ttl", ((GB, PG.isoCode, (Literal("gb"),)),), "CountryShape-isoCode"
    ),
    "region part of a region": Breakage(
        "RegionShape-valid.ttl", ((KURDISTAN, PG.partOf, (BALKANS,)),), "RegionShape-partOf"
    ),
    "deal with one party": Breakage(
        "DealShape-valid.ttl", _deal((PG.party, (GB,)), (PG.payee, ())), "DealShape-party"
    ),
    "deal party not an actor": Breakage(
        "DealShape-valid.ttl",
        _deal((PG.party, (GB, TR, ID["actor/country/XX"]))),
        "DealShape-party",
    ),
    "deal payer not a party": Breakage(
        "DealShape-valid.ttl",
        _deal((PG.payer, (ID["actor/organisation/human-rights-groups"],))),
        "DealShape-paymentByParty",
    ),
    "deal payee not an actor": Breakage(
        "DealShape-valid.ttl",
        _deal((PG.party, (GB, TR, EU)), (PG.payee, (EU,))),
        "DealShape-payee",
        also_fails_on=("DealShape-party",),  # a payee is a party
    ),
    "deal payer is payee": Breakage(
        "DealShape-valid.ttl", _deal((PG.payee, (TR, GB))), "DealShape-payerNotPayee"
    ),
    "deal unknown purpose": Breakage(
        "DealShape-valid.ttl",
        _deal((PG.purpose, (PURPOSE.returns, URIRef(str(PURPOSE._NS) + "world_peace")))),
        "DealShape-purpose",
    ),
    "deal without evidence": Breakage(
        "DealShape-valid.ttl", _deal((PG.evidence, ())), "DealShape-evidence"
    ),
    "deal without status claim": Breakage(
        "DealShape-valid.ttl", _deal((PG.statusClaim, ())), "DealShape-statusClaim"
    ),
    "deal two amounts": Breakage(
        "DealShape-valid.ttl",
        _deal((PG.amount, (Literal("£120m"), Literal("multi-million pound")))),
        "DealShape-amount",
    ),
    "deal critic literal": Breakage(
        "DealShape-valid.ttl",
        _deal((PG.criticisedBy, (Literal("human rights groups"),))),
        "DealShape-criticisedBy",
    ),
    "claim without status": Breakage(
        "StatusClaimShape-valid.ttl",
        ((PG.StatusClaim, PG.status, ()),),
        "StatusClaimShape-status",
    ),
    "claim two statuses": Breakage(
        "StatusClaimShape-valid.ttl",
        ((PG.StatusClaim, PG.status, (STATUS.proposed, STATUS.concluded)),),
        "StatusClaimShape-status",
    ),
    "claim date as string": Breakage(
        "StatusClaimShape-valid.ttl",
        ((PG.StatusClaim, DCTERMS.date, (Literal("2024-11-18"),)),),
        "StatusClaimShape-date",
    ),
    "claim without evidence": Breakage(
        "StatusClaimShape-valid.ttl",
        ((PG.StatusClaim, PG.evidence, ()),),
        "StatusClaimShape-evidence",
    ),
    "evidence empty": Breakage(
        "EvidenceShape-valid.ttl",
        ((PG.Evidence, PROV.value, (Literal(""),)),),
        "EvidenceShape-value",
    ),
    "evidence negative start": Breakage(
        "EvidenceShape-valid.ttl",
        ((PG.Evidence, PG.startOffset, (Literal(-1),)),),
        "EvidenceShape-startOffset",
    ),
    "evidence decimal end": Breakage(
        "EvidenceShape-valid.ttl",
        ((PG.Evidence, PG.endOffset, (Literal("160.0", datatype=XSD.decimal),)),),
        "EvidenceShape-endOffset",
    ),
    "evidence empty span": Breakage(
        "EvidenceShape-valid.ttl",
        ((PG.Evidence, PG.endOffset, (Literal(85, datatype=XSD.nonNegativeInteger),)),),
        "EvidenceShape-offsetOrder",
    ),
    "evidence without article": Breakage(
        "EvidenceShape-valid.ttl",
        ((PG.Evidence, PROV.wasQuotedFrom, ()),),
        "EvidenceShape-wasQuotedFrom",
    ),
    "statement untyped speaker": Breakage(
        "StatementShape-valid.ttl",
        ((PG.Statement, PG.speaker, (ID["actor/person/nobody"],)),),
        "StatementShape-speaker",
    ),
    "statement without quote": Breakage(
        "StatementShape-valid.ttl", ((PG.Statement, PG.quote, ()),), "StatementShape-quote"
    ),
    "statement without evidence": Breakage(
        "StatementShape-valid.ttl", ((PG.Statement, PG.evidence, ()),), "StatementShape-evidence"
    ),
    "deal amount value negative": Breakage(
        "DealShape-valid.ttl",
        _deal((PG.amountValue, (Literal("-5", datatype=XSD.decimal),))),
        "DealShape-amountValue",
    ),
    "deal amount value as text": Breakage(
        "DealShape-valid.ttl",
        _deal((PG.amountValue, (Literal("120m"),))),
        "DealShape-amountValue",
    ),
    "deal amount per a decade": Breakage(
        "DealShape-valid.ttl", _deal((PG.amountPer, (Literal("decade"),))), "DealShape-amountPer"
    ),
    "deal two equivalents": Breakage(
        "DealShape-valid.ttl",
        _deal((PG.amountEquivalent, (Literal("$1bn"), Literal("$2bn")))),
        "DealShape-amountEquivalent",
    ),
    "deal currency not iso 4217": Breakage(
        "DealShape-valid.ttl", _deal((PG.currency, (Literal("pounds"),))), "DealShape-currency"
    ),
}


@pytest.mark.parametrize("case", BREAKAGES.values(), ids=BREAKAGES.keys())
def test_ontology_breakage_fails_on_its_constraint(case: Breakage) -> None:
    conforms, sources, messages = validate_graph(mutate(example(case.example), *case.changes))
    assert not conforms
    assert sources == {PGSH[name] for name in (case.fails_on, *case.also_fails_on)}, messages


def test_ontology_shapes_accept_data_read_back_from_oxigraph() -> None:
    """Oxigraph stores xsd:nonNegativeInteger as xsd:integer: offsets read back must still pass."""
    store = Store()
    valid = [example(path.name) for path in sorted(EXAMPLES.glob("*-valid.ttl"))]
    for graph in valid:
        load(store, graph)
    for graph in valid:
        name = NamedNode(str(article_of(graph)))
        dumped = store.dump(format=RdfFormat.TURTLE, from_graph=name)
        conforms, _, messages = validate_graph(Graph().parse(data=dumped, format="turtle"))
        assert conforms, messages


# --------------------------------------------------------------------------------------------
# the SPARQL checks
# --------------------------------------------------------------------------------------------


def _set_date(graph: Graph) -> Graph:
    return mutate(
        graph, (PG.StatusClaim, DCTERMS.date, (Literal("2024-11-17", datatype=XSD.date),))
    )


@dataclass(frozen=True)
class BrokenData:
    """A valid example broken so that one check must report it."""

    example: str
    breaks: Callable[[Graph], Graph]
    shacl_sees_it: bool  # False: only the SPARQL check catches it


BROKEN_DATA = {
    "evidence-offsets": BrokenData(
        "EvidenceShape-valid.ttl",
        lambda g: mutate(g, (PG.Evidence, PROV.value, (Literal(EVIDENCE_TEXT[:-1] + "s."),))),
        shacl_sees_it=False,
    ),
    "payer-not-party": BrokenData(
        "DealShape-valid.ttl",
        lambda g: mutate(g, (PG.Deal, PG.payee, (TR, EU))),
        shacl_sees_it=True,
    ),
    "region-without-country": BrokenData(
        "RegionShape-valid.ttl",
        lambda g: mutate(g, (KURDISTAN, PG.partOf, ())),
        shacl_sees_it=False,
    ),
    "claim-date": BrokenData("StatusClaimShape-valid.ttl", _set_date, shacl_sees_it=False),
    "article-provenance": BrokenData(
        "EvidenceShape-valid.ttl",
        lambda g: mutate(g, (PG.Evidence, PROV.wasQuotedFrom, (ID["article/ffffffffffffffff"],))),
        shacl_sees_it=False,
    ),
}
CHECK_FILES = sorted(CHECKS.glob("*-violation.rq"))


def test_ontology_every_check_has_broken_data() -> None:
    names = {path.name.removesuffix("-violation.rq") for path in CHECK_FILES}
    assert names == set(BROKEN_DATA)


@pytest.mark.parametrize("check", CHECK_FILES, ids=lambda path: path.stem)
def test_ontology_check_is_documented(check: Path) -> None:
    text = check.read_text(encoding="utf-8")
    assert text.startswith("# Purpose:")
    assert "# Parameters:" in text


@cache
def valid_store() -> Store:
    store = Store()
    for path in sorted(EXAMPLES.glob("*-valid.ttl")):
        load(store, example(path.name))
    return store


@pytest.mark.parametrize("check", CHECK_FILES, ids=lambda path: path.stem)
def test_ontology_check_passes_valid_examples(check: Path) -> None:
    assert rows(valid_store(), check) == []


@pytest.mark.parametrize("check", CHECK_FILES, ids=lambda path: path.stem)
def test_ontology_check_finds_broken_data(check: Path) -> None:
    broken = BROKEN_DATA[check.name.removesuffix("-violation.rq")]
    graph = broken.breaks(example(broken.example))
    conforms, _, _ = validate_graph(graph)
    assert conforms is not broken.shacl_sees_it
    store = Store()
    for path in sorted(EXAMPLES.glob("*-valid.ttl")):
        if path.name != broken.example:
            load(store, example(path.name))
    load(store, graph)
    assert len(rows(store, check)) >= 1


def test_ontology_offsets_check_counts_code_points() -> None:
    """The example body has non-ASCII characters before the evidence ("Türkiye", curly quotes)."""
    graph = example("StatementShape-valid.ttl")
    body = str(graph.value(article_of(graph), SDO.articleBody))
    evidence = next(graph.subjects(RDF.type, PG.Evidence))
    start = int(graph.value(evidence, PG.startOffset))
    end = int(graph.value(evidence, PG.endOffset))
    assert body[start:end] == str(graph.value(evidence, PROV.value))
    assert not body[:start].isascii()
    store = Store()
    load(store, graph)
    assert rows(store, CHECKS / "evidence-offsets-violation.rq") == []
