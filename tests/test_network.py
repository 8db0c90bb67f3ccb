"""Stage 5, the actor network: a tiny hand-made graph, and the projection of a real store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest

from graph import network
from graph.core import PolicyGraph
from graph.model import Extraction
from graph.rdf import to_graph
from graph.store import EmbeddedStore
from graph.vocab import actor_iri, deal_iri

ACTORS = [
    {"iri": "uk", "label": "United Kingdom", "type": "Country", "iso_code": "GB"},
    {"iri": "tr", "label": "Turkey", "type": "Country", "iso_code": "TR"},
    {
        "iri": "kr",
        "label": "Kurdistan Region",
        "type": "Region",
        "iso_code": "IQ-KR",
        "part_of": "iq",
    },
    {"iri": "hrg", "label": "human rights groups", "type": "Organisation"},
    {"iri": "iq", "label": "Iraq", "type": "Country", "iso_code": "IQ"},
]


def edge(
    kind: str,
    source: str,
    target: str,
    deal: str,
    status: str | None,
    day: str | None,
    article: str,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "source": source,
        "target": target,
        "deal": deal,
        "status": status,
        "date": day,
        "article": article,
        "evidence": f"{source} {kind} {target} ({article})",
    }


EDGES = [
    edge("pays", "uk", "tr", "d1", "concluded", "2024-11-18", "a1"),
    edge("party_to_deal_with", "tr", "uk", "d1", "concluded", "2024-11-18", "a1"),
    edge("criticises", "hrg", "tr", "d1", "concluded", "2024-11-18", "a1"),
    edge("party_to_deal_with", "kr", "uk", "d2", "negotiating", "2024-11-18", "a1"),
    # the same deal again, from a later article: one edge, two sources, the later status
    edge("pays", "uk", "tr", "d1", "suspended", "2024-12-02", "a2"),
    # a node only an edge names
    edge("said", "pm", "tr", "s1", None, "2024-11-18", "a1"),
]


@pytest.fixture
def tiny() -> nx.MultiDiGraph:
    return network.build(ACTORS, EDGES)


def test_network_build_makes_one_node_per_actor_and_one_edge_per_deal(
    tiny: nx.MultiDiGraph,
) -> None:
    assert set(tiny.nodes) == {"uk", "tr", "kr", "hrg", "iq", "pm"}
    assert tiny.nodes["kr"] == {
        "label": "Kurdistan Region",
        "type": "Region",
        "iso_code": "IQ-KR",
        "wikidata": None,
        "part_of": "iq",
    }
    assert tiny.nodes["pm"]["label"] == "pm"  # unknown actors are labelled by their IRI
    assert tiny.number_of_edges() == 5
    pays = tiny.edges["uk", "tr", "pays|d1"]
    assert [s["article"] for s in pays["sources"]] == ["a1", "a2"]
    assert (pays["status"], pays["date"]) == ("suspended", "2024-12-02")
    assert pays["evidence"] == "uk pays tr (a2)"


def test_network_build_keeps_the_latest_status_whatever_the_row_order() -> None:
    forward = network.build(ACTORS, EDGES)
    backward = network.build(ACTORS, list(reversed(EDGES)))

    for graph in (forward, backward):
        assert graph.edges["uk", "tr", "pays|d1"]["status"] == "suspended"
    assert network.pays(forward) == network.pays(backward)


def test_network_pays(tiny: nx.MultiDiGraph) -> None:
    assert network.pays(tiny) == [("United Kingdom", "Turkey", "d1", "suspended")]


def test_network_neighbours_in_both_directions(tiny: nx.MultiDiGraph) -> None:
    found = dict(network.neighbours(tiny, "tr"))

    assert list(found) == ["uk", "hrg", "pm"]  # sorted by label: "United…", "human…", "pm"
    assert sorted((link["kind"], link["direction"]) for link in found["uk"]) == [
        ("party_to_deal_with", "out"),
        ("pays", "in"),
    ]
    assert [(link["kind"], link["direction"]) for link in found["hrg"]] == [("criticises", "in")]
    assert network.neighbours(tiny, "iq") == []


def test_network_shortest_path_ignores_direction(tiny: nx.MultiDiGraph) -> None:
    assert network.shortest_path(tiny, "kr", "hrg") == ["kr", "uk", "tr", "hrg"]
    assert network.shortest_path(tiny, "kr", "iq") == []  # not linked
    assert network.shortest_path(tiny, "kr", "atlantis") == []  # not a node


def test_network_centrality(tiny: nx.MultiDiGraph) -> None:
    rows = network.centrality(tiny)

    assert [r["label"] for r in rows[:2]] == ["Turkey", "United Kingdom"]
    by_label = {r["label"]: r for r in rows}
    assert by_label["Turkey"]["degree"] == pytest.approx(3 / 5)
    assert by_label["United Kingdom"]["betweenness"] > 0
    assert by_label["Iraq"] == {
        "iri": "iq",
        "label": "Iraq",
        "type": "Country",
        "degree": 0.0,
        "betweenness": 0.0,
    }
    assert network.centrality(nx.MultiDiGraph()) == []


def test_network_ego(tiny: nx.MultiDiGraph) -> None:
    assert set(network.ego(tiny, "kr").nodes) == {"kr", "uk"}
    assert set(network.ego(tiny, "kr", radius=2).nodes) == {"kr", "uk", "tr"}


# --- the projection of a store --------------------------------------------------------------

UK, TURKEY = str(actor_iri("country/GB")), str(actor_iri("country/TR"))
KURDISTAN, IRAQ = str(actor_iri("region/IQ-KR")), str(actor_iri("country/IQ"))
STARMER = str(actor_iri("person/keir-starmer"))
CRITICS = str(actor_iri("organisation/human-rights-groups"))


@pytest.fixture
def projected(
    sample_extraction: Extraction, later_extraction: Extraction
) -> Iterator[tuple[PolicyGraph, nx.MultiDiGraph]]:
    with PolicyGraph(EmbeddedStore()) as pg:
        pg.store.replace_graphs([to_graph(later_extraction), to_graph(sample_extraction)])
        yield pg, pg.network()


def test_network_of_a_store_has_uk_paying_turkey(
    projected: tuple[PolicyGraph, nx.MultiDiGraph],
) -> None:
    pg, graph = projected

    uk_turkey = str(deal_iri([UK, TURKEY]))
    assert network.pays(graph) == [("United Kingdom", "Turkey", uk_turkey, "negotiating")]
    [deal] = pg.deals(uk_turkey)
    assert deal["status"] == "negotiating"  # the network and `deals` agree
    pays = graph.edges[UK, TURKEY, "pays|" + uk_turkey]
    assert sorted(s["date"] for s in pays["sources"]) == ["2024-11-18", "2024-12-02"]


def test_network_of_a_store_links_every_kind(
    projected: tuple[PolicyGraph, nx.MultiDiGraph],
) -> None:
    _, graph = projected

    kinds = {(u, v, d["kind"]) for u, v, d in graph.edges(data=True)}

    assert (UK, TURKEY, "pays") in kinds
    assert {(UK, TURKEY, "party_to_deal_with"), (UK, KURDISTAN, "party_to_deal_with")} <= kinds
    assert (CRITICS, TURKEY, "criticises") in kinds and (CRITICS, UK, "criticises") in kinds
    assert (STARMER, TURKEY, "said") in kinds  # the quote names Turkey
    assert graph.nodes[KURDISTAN]["type"] == "Region" and graph.nodes[IRAQ]["iso_code"] == "IQ"
    assert set(graph.nodes) == {UK, TURKEY, KURDISTAN, IRAQ, STARMER, CRITICS}


def test_network_of_a_store_analyses(projected: tuple[PolicyGraph, nx.MultiDiGraph]) -> None:
    pg, graph = projected

    path = network.shortest_path(
        graph, pg.resolve_actor("Kurdistan"), pg.resolve_actor("Keir Starmer")
    )
    assert [graph.nodes[n]["label"] for n in path] == [
        "Kurdistan Region",
        "United Kingdom",
        "Turkey",
        "Keir Starmer",
    ]
    assert [graph.nodes[n]["label"] for n, _ in network.neighbours(graph, KURDISTAN)] == [
        "United Kingdom"
    ]
    assert network.centrality(graph)[0]["label"] in {"Turkey", "United Kingdom"}
    assert set(network.ego(graph, KURDISTAN, radius=1).nodes) == {KURDISTAN, UK}
