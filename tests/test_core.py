"""The ``PolicyGraph`` facade over hand-built extractions (no NLP model): the JSON contract of
``deals`` and ``entities``, cross-article deal tracking, export round trips and ``query``.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import CONTRACT_ACTOR_KEYS, CONTRACT_DEAL_KEYS, CONTRACT_SOURCE_KEYS
from rdflib import XSD, Dataset, Graph, Literal
from rdflib.compare import isomorphic
from rdflib.term import Node

from graph.article import Metadata
from graph.core import DATASET_FORMATS, EXPORT_FORMATS, DealRows, PolicyGraph, to_csv
from graph.errors import InputError, PolicyGraphError, ValidationError
from graph.model import STATUSES, Extraction
from graph.rdf import article_graph_iri, to_graph
from graph.store import EmbeddedStore, Store
from graph.vocab import CHANGES, actor_iri, deal_iri

DEAL_KEYS = CONTRACT_DEAL_KEYS
SOURCE_KEYS = CONTRACT_SOURCE_KEYS
ACTOR_KEYS = CONTRACT_ACTOR_KEYS
UK, TURKEY = str(actor_iri("country/GB")), str(actor_iri("country/TR"))
KURDISTAN = str(actor_iri("region/IQ-KR"))
UK_TURKEY = str(deal_iri([UK, TURKEY]))
UK_KURDISTAN = str(deal_iri([UK, KURDISTAN]))


@pytest.fixture
def pg() -> Iterator[PolicyGraph]:
    """A PolicyGraph over an empty in-memory store."""
    with PolicyGraph(EmbeddedStore()) as graph:
        yield graph


def write(pg: PolicyGraph, *extractions: Extraction) -> None:
    pg.store.replace_graphs([to_graph(e) for e in extractions])


def dump(pg: PolicyGraph, raw: bool = False) -> list[str]:
    """The store's quads, sorted; ``raw``: the article graphs alone, without the change log."""
    return sorted(line for line in pg.export("nquads", raw=raw).splitlines() if line)


def as_stored(graph: Graph) -> Graph:
    """``graph`` as Oxigraph keeps it: every integer subtype becomes xsd:integer."""

    def term(node: Node) -> Node:
        if isinstance(node, Literal) and node.datatype == XSD.nonNegativeInteger:
            return Literal(str(node), datatype=XSD.integer)
        return node

    stored = Graph(identifier=graph.identifier)
    for s, p, o in graph:
        stored.add((s, p, term(o)))
    return stored


def test_core_deals_follow_the_json_contract(
    pg: PolicyGraph, sample_extraction: Extraction
) -> None:
    write(pg, sample_extraction)

    deals = pg.deals()

    json.dumps(deals)  # plain JSON values only
    assert [d["iri"] for d in deals] == [UK_KURDISTAN, UK_TURKEY]  # sorted by label
    for deal in deals:
        assert deal.keys() >= DEAL_KEYS
        assert isinstance(deal["label"], str) and deal["label"]
        assert isinstance(deal["purposes"], list)
        for role in ("parties", "payers", "payees", "criticised_by"):
            for actor in deal[role]:
                assert actor.keys() == ACTOR_KEYS
        for source in deal["sources"]:
            assert source.keys() >= SOURCE_KEYS
            assert source["date"] == "2024-11-18"
    kurdistan, turkey = deals
    assert turkey == turkey | {
        "label": "United Kingdom – Turkey",
        "status": "concluded",
        "purposes": ["border_control"],
        "amount": "£12 million",
    }
    assert turkey["parties"] == [  # sorted by IRI
        {
            "iri": UK,
            "label": "United Kingdom",
            "type": "Country",
            "iso_code": "GB",
            "wikidata": WD + "Q145",
        },
        {
            "iri": TURKEY,
            "label": "Turkey",
            "type": "Country",
            "iso_code": "TR",
            "wikidata": WD + "Q43",
        },
    ]
    assert [a["label"] for a in turkey["payers"]] == ["United Kingdom"]
    assert [a["label"] for a in turkey["payees"]] == ["Turkey"]
    assert turkey["criticised_by"] == [
        {
            "iri": str(actor_iri("organisation/human-rights-groups")),
            "label": "human rights groups",
            "type": "Organisation",
            "iso_code": None,
            "wikidata": None,
        }
    ]
    evidence = sample_extraction.deals[0].evidence[0]
    assert [{k: s[k] for k in SOURCE_KEYS} for s in turkey["sources"]] == [
        {
            "article": str(article_graph_iri(sample_extraction)),
            "date": "2024-11-18",
            "sentence": evidence.text,
        }
    ]
    assert sample_extraction.article.text[evidence.start : evidence.end] == evidence.text
    assert kurdistan["status"] == "negotiating"
    assert kurdistan["payers"] == kurdistan["payees"] == []
    assert kurdistan["amount"] is None
    assert [a["type"] for a in kurdistan["parties"]] == ["Country", "Region"]


WD = "http://www.wikidata.org/entity/"


def test_core_deals_of_one_deal(pg: PolicyGraph, sample_extraction: Extraction) -> None:
    write(pg, sample_extraction)

    assert [d["iri"] for d in pg.deals(UK_TURKEY)] == [UK_TURKEY]
    assert pg.deals("https://w3id.org/policygraph/id/deal/none") == []


def test_core_entities_are_actors_with_mentions(
    pg: PolicyGraph, sample_extraction: Extraction
) -> None:
    write(pg, sample_extraction)

    entities = pg.entities()

    for entity in entities:
        assert entity.keys() == ACTOR_KEYS | {"mentions"}
    assert [(e["type"], e["label"]) for e in entities] == [
        ("Country", "Iraq"),
        ("Country", "Turkey"),
        ("Country", "United Kingdom"),
        ("Organisation", "human rights groups"),
        ("Person", "Keir Starmer"),
        ("Region", "Kurdistan Region"),
    ]
    by_label = {e["label"]: e for e in entities}
    assert by_label["United Kingdom"]["mentions"] == ["UK", "United Kingdom"]
    assert by_label["Kurdistan Region"]["iso_code"] == "IQ-KR"
    assert by_label["Keir Starmer"]["iso_code"] is None


def test_core_same_deal_from_two_articles_is_one_deal_with_the_later_status(
    pg: PolicyGraph, sample_extraction: Extraction, later_extraction: Extraction
) -> None:
    # the later-dated article is written first: status follows dates, not write order
    write(pg, later_extraction)
    write(pg, sample_extraction)

    deals = [d for d in pg.deals() if d["iri"] == UK_TURKEY]

    assert len(deals) == 1
    deal = deals[0]
    assert deal["status"] == "negotiating"  # 2 December, over "concluded" on 18 November
    assert [(s["date"], s["article"]) for s in deal["sources"]] == [
        ("2024-11-18", str(article_graph_iri(sample_extraction))),
        ("2024-12-02", str(article_graph_iri(later_extraction))),
    ]
    assert [c["status"] for c in deal["status_history"]] == ["concluded", "negotiating"]
    assert deal["amount"] == "£12 million"  # only the earlier article gives one


def test_core_later_status_wins_whatever_the_status_order(
    pg: PolicyGraph, extraction_factory: Callable[..., Extraction]
) -> None:
    earlier = extraction_factory(status="suspended", published=date(2024, 1, 1))
    later = extraction_factory(
        "UK and Turkey reopen talks\nThe United Kingdom is in talks with Turkey.",
        date(2024, 2, 1),
        "c.txt",
        status="proposed",
    )
    write(pg, later, earlier)

    assert [d["status"] for d in pg.deals(UK_TURKEY)] == ["proposed"]


@pytest.mark.parametrize("fmt", DATASET_FORMATS)
def test_core_export_parses_back_into_an_isomorphic_dataset(
    pg: PolicyGraph, sample_extraction: Extraction, later_extraction: Extraction, fmt: str
) -> None:
    graphs = [to_graph(sample_extraction), to_graph(later_extraction)]
    pg.store.replace_graphs(graphs)

    text = pg.export(fmt)

    parsed = Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's parsers use its old API
        parsed.parse(data=text, format=EXPORT_FORMATS[fmt])
    named = {g.identifier: g for g in parsed.graphs() if len(g)}
    assert set(named) == {g.identifier for g in graphs}  # nothing in the default graph
    for graph in graphs:
        assert isomorphic(named[graph.identifier], as_stored(graph))


def test_core_export_turtle_is_the_union_of_the_article_graphs(
    pg: PolicyGraph, sample_extraction: Extraction, later_extraction: Extraction
) -> None:
    graphs = [to_graph(sample_extraction), to_graph(later_extraction)]
    pg.store.replace_graphs(graphs)

    parsed = Graph().parse(data=pg.export("turtle"), format="turtle")  # real Turtle

    union = Graph()
    for graph in graphs:
        union += as_stored(graph)
    assert isomorphic(parsed, union)


def test_core_export_refuses_an_unknown_format(pg: PolicyGraph) -> None:
    with pytest.raises(InputError, match="'xml'"):
        pg.export("xml")


def test_core_query_refuses_an_update_without_update(
    pg: PolicyGraph, sample_extraction: Extraction
) -> None:
    write(pg, sample_extraction)
    before = dump(pg)

    with pytest.raises(InputError, match="--update"):
        pg.query("PREFIX x: <urn:x:>\n# clean up\nDROP ALL")

    assert dump(pg) == before


def test_core_query_runs_an_update_with_update(pg: PolicyGraph) -> None:
    update = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> rdfs:label 'a' } }"

    assert pg.query(update, update=True) is None

    table = pg.query("SELECT ?l WHERE { GRAPH <urn:x:g> { ?s rdfs:label ?l } }")
    assert table is not None and table.values() == [{"l": "a"}]
    [logged] = pg.changes()
    assert (logged["kind"], logged["graph"], logged["added"]) == ("update", "urn:x:g", 1)


def test_core_prepare_text_reads_validates_and_writes_nothing(
    pg: PolicyGraph,
    fake_extractor: list,
    extraction_factory: Callable[..., Extraction],
    sample_text: str,
) -> None:
    expected = extraction_factory()
    meta = Metadata(date(2024, 11, 18), source_name="a.txt")

    prepared = pg.prepare_text(sample_text, meta, "a.txt")

    assert prepared.extraction == expected
    assert isomorphic(prepared.graph, to_graph(expected))
    assert dump(pg) == []
    pg.write([prepared])
    assert len(dump(pg, raw=True)) == len(prepared.graph)


def test_core_ingest_of_a_good_and_a_bad_file_writes_nothing(
    pg: PolicyGraph, fake_extractor: list, tmp_path: Path, sample_text: str
) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text(sample_text, encoding="utf-8")
    bad.write_text(" \n", encoding="utf-8")

    with pytest.raises(InputError, match=r"bad\.txt: empty file"):
        pg.ingest([good, bad])

    assert fake_extractor == []  # every file is read before any is extracted
    assert dump(pg) == []
    report = pg.ingest([good], date="2024-11-18")
    assert [p.source for p in report.articles] == [str(good)]
    assert report.triples == len(dump(pg, raw=True))


def test_core_resolve_actor_by_label_code_mention_or_iri(
    pg: PolicyGraph, sample_extraction: Extraction
) -> None:
    write(pg, sample_extraction)

    for name in ("United Kingdom", "gb", "UK", UK, "  united kingdom "):
        assert pg.resolve_actor(name) == UK
    with pytest.raises(InputError, match="'Atlantis'"):
        pg.resolve_actor("Atlantis")


def test_core_statements_and_articles(pg: PolicyGraph, sample_extraction: Extraction) -> None:
    write(pg, sample_extraction)

    [statement] = pg.statements()
    assert statement["quote"] == "This deal with Turkey will save lives."
    assert statement["speaker"] == str(actor_iri("person/keir-starmer"))
    assert pg.statements(UK) == []
    [article] = pg.articles()
    assert article["headline"] == "UK agrees to pay Turkey to stop migrant boats"
    assert article["date"] == "2024-11-18"


def test_core_to_csv_flattens_lists_and_actors() -> None:
    rows = [{"label": "A", "payers": [{"label": "UK"}, {"label": "France"}], "amount": None}]

    assert to_csv(rows).splitlines() == ["label,payers,amount", "A,UK; France,"]
    assert to_csv([]) == "\r\n"


def test_core_deals_do_not_depend_on_the_order_rows_come_in(
    pg: PolicyGraph, sample_extraction: Extraction
) -> None:
    """Two articles giving a deal the same status on the same day: the same one wins, however
    the store orders its rows (here: the article IRI decides)."""
    write(pg, sample_extraction)
    rows = pg.deal_rows()
    claim = next(c for c in rows.claims if c["deal"] == UK_TURKEY)
    twin = {**claim, "article": claim["article"] + "-twin", "label": "the twin's label"}
    forward = DealRows([*rows.claims, twin], rows.roles, rows.details, rows.evidence)
    backward = DealRows([twin, *reversed(rows.claims)], rows.roles, rows.details, rows.evidence)
    ahead = next(d for d in pg.deals(rows=forward) if d["iri"] == UK_TURKEY)
    behind = next(d for d in pg.deals(rows=backward) if d["iri"] == UK_TURKEY)
    assert ahead == behind
    assert ahead["label"] == "the twin's label"  # "…-twin" sorts after the original article


BOGUS_CLAIM = """
INSERT DATA { GRAPH <urn:x:hand> {
  <urn:x:deal> a pg:Deal ; rdfs:label "A hand-written deal" ; pg:statusClaim <urn:x:claim> .
  <urn:x:claim> a pg:StatusClaim ; pg:status <https://w3id.org/policygraph/status/bogus> ;
                dcterms:date 2024 .
} }
"""


def test_core_readers_tolerate_what_shacl_would_reject(
    pg: PolicyGraph, sample_extraction: Extraction
) -> None:
    write(pg, sample_extraction)
    pg.store.update(BOGUS_CLAIM)  # another tool wrote it, past policygraph's validation

    deals = {d["iri"]: d for d in pg.deals()}
    assert deals["urn:x:deal"]["status"] == "bogus"
    assert UK_TURKEY in deals
    assert pg.timeline("urn:x:deal")[0]["status"] == "bogus"
    assert pg.network() is not None


def test_core_update_is_validated_like_an_ingest_and_refused_whole(
    pg: PolicyGraph, sample_extraction: Extraction
) -> None:
    write(pg, sample_extraction)
    before = dump(pg)
    bogus = (
        f"INSERT {{ GRAPH ?g {{ ?claim pg:status <https://w3id.org/policygraph/status/bogus> }} }}"
        f" WHERE {{ GRAPH ?g {{ <{UK_TURKEY}> pg:statusClaim ?claim }} }}"
    )

    with pytest.raises(ValidationError, match="SHACL violation"):
        pg.query(bogus, update=True)

    assert dump(pg) == before
    assert {d["status"] for d in pg.deals()} <= set(STATUSES)


def test_core_update_that_conforms_changes_only_its_graphs(
    pg: PolicyGraph, sample_extraction: Extraction
) -> None:
    write(pg, sample_extraction)
    rename = (
        f"DELETE {{ GRAPH ?g {{ <{UK_TURKEY}> rdfs:label ?old }} }}"
        f" INSERT {{ GRAPH ?g {{ <{UK_TURKEY}> rdfs:label 'UK pays Turkey' }} }}"
        f" WHERE {{ GRAPH ?g {{ <{UK_TURKEY}> rdfs:label ?old }} }}"
    )

    changed = pg.update(rename)

    assert changed == [str(article_graph_iri(sample_extraction))]
    assert {d["label"] for d in pg.deals() if d["iri"] == UK_TURKEY} == {"UK pays Turkey"}


def test_core_update_of_the_default_graph_is_refused(pg: PolicyGraph) -> None:
    with pytest.raises(InputError, match="default graph"):
        pg.query("INSERT DATA { <urn:x:a> rdfs:label 'a' }", update=True)

    assert dump(pg) == []


def test_core_update_writes_literals_exactly_as_the_update_gave_them(pg: PolicyGraph) -> None:
    update = (
        'INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:d> "2024-01-01+00:00"^^xsd:date ;'
        ' <urn:x:b> " true"^^xsd:boolean ; <urn:x:n> "007"^^xsd:integer } }'
    )

    direct = EmbeddedStore()  # the same update run straight on a store, no policygraph
    direct.update(update)

    pg.update(update)

    def raw(store: Store) -> list[str]:
        assert isinstance(store, EmbeddedStore)
        lines = store._store.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines()
        return sorted(line for line in lines if not line.endswith(f"<{CHANGES}> ."))

    assert raw(pg.store) == raw(direct)


def test_core_update_with_a_blank_node_in_two_graphs_writes_both(pg: PolicyGraph) -> None:
    pg.update("INSERT DATA { GRAPH <urn:a> { _:b <urn:p> '1' } GRAPH <urn:c> { _:b <urn:p> '2' } }")

    assert pg.store.graph_names() == sorted([str(CHANGES), "urn:a", "urn:c"])


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ("INSERT DATA { GRAPH <urn:g> { << <urn:a> <urn:b> <urn:c> >> <urn:p> 1 } }", "RDF-star"),
        ("INSERT DATA { GRAPH _:g { <urn:a> <urn:b> 1 } }", "blank node"),
    ],
)
def test_core_update_refuses_what_it_cannot_write_in_one_line(
    pg: PolicyGraph, update: str, message: str
) -> None:
    try:
        pg.update(update)
    except PolicyGraphError as error:  # a syntax error where the engine has no such form
        assert message in str(error) or "syntax error" in str(error), error
    else:
        raise AssertionError("the update was written")
    assert dump(pg) == []
