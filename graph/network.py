"""Stage 5: the store projected into a networkx ``MultiDiGraph`` of actors, and its analyses.

Nodes are actor IRIs with ``label``, ``type``, ``iso_code``, ``wikidata`` and ``part_of`` (the
IRI of the country a region belongs to). Edges have a
``kind`` (``pays``, ``party_to_deal_with``, ``criticises``, ``said``) and carry the deal IRI,
its status, the article and the evidence sentence.

Examples
--------
>>> g = build([{"iri": "a", "label": "A", "type": "Country"},
...            {"iri": "b", "label": "B", "type": "Country"}],
...           [{"kind": "pays", "source": "a", "target": "b", "deal": "d", "status": "concluded",
...             "date": None, "article": "x", "evidence": "A pays B."}])
>>> pays(g)
[('A', 'B', 'd', 'concluded')]
>>> [n for n, _ in neighbours(g, "a")]
['b']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any

import networkx as nx

from graph.model import status_rank

EDGE_KINDS = ("pays", "party_to_deal_with", "criticises", "said")


def build(
    actors: Iterable[Mapping[str, Any]], edges: Iterable[Mapping[str, Any]]
) -> nx.MultiDiGraph:
    """Build the actor network from actor records and edge records (one per deal and article)."""
    graph = nx.MultiDiGraph()
    for actor in actors:
        graph.add_node(
            actor["iri"],
            label=actor.get("label") or actor["iri"],
            type=actor.get("type"),
            iso_code=actor.get("iso_code"),
            wikidata=actor.get("wikidata"),
            part_of=actor.get("part_of"),
        )
    seen: set[tuple[str, str, str, str]] = set()
    for edge in edges:
        source, target, kind = edge["source"], edge["target"], edge["kind"]
        key = (source, target, kind, edge.get("deal") or "")
        for node in (source, target):
            if node not in graph:
                graph.add_node(
                    node, label=node, type=None, iso_code=None, wikidata=None, part_of=None
                )
        if key in seen:
            # the same deal reported by several articles: one edge, every source on it, and
            # the status and evidence of the latest report (as ``PolicyGraph.deals`` has it)
            data = graph.edges[source, target, key[2] + "|" + key[3]]
            if _source(edge) not in data["sources"]:
                data["sources"].append(_source(edge))
            if _recency(edge) > _recency(data):
                data.update(status=edge["status"], evidence=edge.get("evidence"), date=edge["date"])
            continue
        seen.add(key)
        graph.add_edge(
            source,
            target,
            key=kind + "|" + key[3],
            kind=kind,
            deal=edge.get("deal"),
            status=edge.get("status"),
            date=edge.get("date"),
            evidence=edge.get("evidence"),
            sources=[_source(edge)],
        )
    return graph


def deal_edges(
    claims: Iterable[Mapping[str, Any]],
    roles: Iterable[Mapping[str, Any]],
    evidence: Iterable[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """The deal links of the network as edge records, one per deal, article, link and evidence
    sentence, from the rows of ``deal-claims``, ``deal-roles`` and ``deal-evidence``.

    In each article that makes a status claim about a deal: every payer pays every payee,
    every two parties are "party to a deal with" each other, and every critic criticises each
    party; each link carries that article's status and date.

    >>> claims = [{"deal": "d", "article": "x", "status": "concluded", "date": "2024-01-02"}]
    >>> roles = [{"deal": "d", "article": "x", "role": r, "actor": a}
    ...          for r, a in [("party", "a"), ("party", "b"), ("payer", "a"), ("payee", "b")]]
    >>> [(e["kind"], e["source"], e["target"]) for e in deal_edges(claims, roles, [])]
    [('party_to_deal_with', 'a', 'b'), ('pays', 'a', 'b')]
    """
    claimed: dict[tuple[str, str], Mapping[str, Any]] = {}
    for claim in claims:
        key = (claim["deal"], claim["article"])
        if key not in claimed or _recency(claim) > _recency(claimed[key]):
            claimed[key] = claim
    sentences: dict[tuple[str, str], list[str | None]] = {}
    for row in sorted(evidence, key=lambda r: (r["deal"], r["article"], r.get("start") or 0)):
        said = sentences.setdefault((row["deal"], row["article"]), [])
        if row.get("sentence") and row["sentence"] not in said:
            said.append(row["sentence"])
    members: dict[tuple[str, str], dict[str, set[str]]] = {}
    for row in roles:
        members.setdefault((row["deal"], row["article"]), {}).setdefault(row["role"], set()).add(
            row["actor"]
        )
    edges = []
    for (deal, article), role in sorted(members.items()):
        latest = claimed.get((deal, article))
        if latest is None:
            continue
        parties = sorted(role.get("party", ()))
        links = [("party_to_deal_with", a, b) for a, b in combinations(parties, 2)]
        links += [
            ("pays", a, b)
            for a in sorted(role.get("payer", ()))
            for b in sorted(role.get("payee", ()))
        ]
        links += [("criticises", a, b) for a in sorted(role.get("critic", ())) for b in parties]
        for kind, source, target in sorted(links):
            for sentence in sentences.get((deal, article)) or [None]:
                edges.append(
                    {
                        "kind": kind,
                        "source": source,
                        "target": target,
                        "deal": deal,
                        "status": latest["status"],
                        "date": latest.get("date"),
                        "article": article,
                        "evidence": sentence,
                    }
                )
    return edges


def said_edges(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The "said" links of the network as edge records, from the rows of ``said-edges``."""
    return [
        {
            "kind": "said",
            "source": row["source"],
            "target": row["target"],
            "deal": row["statement"],
            "status": None,
            "date": row.get("date"),
            "article": row["article"],
            "evidence": row.get("evidence"),
        }
        for row in sorted(rows, key=lambda r: (r["statement"], r["target"], r["article"]))
    ]


def _recency(edge: Mapping[str, Any]) -> tuple[str, int]:
    status = edge.get("status")
    return (str(edge.get("date") or ""), status_rank(status))


def _source(edge: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "article": edge.get("article"),
        "date": edge.get("date"),
        "sentence": edge.get("evidence"),
        "status": edge.get("status"),
    }


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label", node))


def pays(graph: nx.MultiDiGraph) -> list[tuple[str, str, str, str]]:
    """Who pays whom: ``(payer label, payee label, deal IRI, status)``, sorted."""
    rows = {
        (_label(graph, u), _label(graph, v), d["deal"], d["status"])
        for u, v, d in graph.edges(data=True)
        if d["kind"] == "pays"
    }
    return sorted(rows)


def neighbours(graph: nx.MultiDiGraph, node: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """Every actor linked to ``node`` in either direction, with the links between them."""
    links: dict[str, list[dict[str, Any]]] = {}
    for _, v, data in graph.out_edges(node, data=True):
        links.setdefault(v, []).append({"direction": "out", **data})
    for u, _, data in graph.in_edges(node, data=True):
        links.setdefault(u, []).append({"direction": "in", **data})
    return sorted(links.items(), key=lambda item: _label(graph, item[0]))


def shortest_path(graph: nx.MultiDiGraph, source: str, target: str) -> list[str]:
    """The shortest chain of actors between two actors, ignoring direction; empty if none."""
    try:
        return list(nx.shortest_path(graph.to_undirected(as_view=True), source, target))
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []


def centrality(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Degree and betweenness centrality of every actor, most central first."""
    if graph.number_of_nodes() == 0:
        return []
    simple = nx.Graph(graph.to_undirected())
    degree = nx.degree_centrality(simple)
    betweenness = nx.betweenness_centrality(simple)
    rows = [
        {
            "iri": node,
            "label": _label(graph, node),
            "type": graph.nodes[node].get("type"),
            "degree": round(degree[node], 4),
            "betweenness": round(betweenness[node], 4),
        }
        for node in graph.nodes
    ]
    return sorted(rows, key=lambda r: (-r["degree"], -r["betweenness"], r["label"]))


def ego(graph: nx.MultiDiGraph, node: str, radius: int = 1) -> nx.MultiDiGraph:
    """The sub-network within ``radius`` links of ``node``."""
    return nx.ego_graph(graph, node, radius=radius, undirected=True)
