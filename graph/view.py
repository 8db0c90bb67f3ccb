"""Presentation helpers for the dashboard: plain data in, plain data out, no Streamlit.

The dashboard pages only place widgets; everything they show is shaped here from what
``PolicyGraph`` returns (deal records, actor records, the networkx actor network, query
tables), so it can be tested without a browser.

Element ids on the network canvas are the actor IRI for a node and
``kind|source|target|deal`` for an edge (see ``edge_id``).

Examples
--------
>>> from graph import network
>>> g = network.build(
...     [{"iri": "a", "label": "A", "type": "Country"},
...      {"iri": "b", "label": "B", "type": "Country"}],
...     [{"kind": "pays", "source": "a", "target": "b", "deal": "d", "status": "concluded",
...       "date": None, "article": "x", "evidence": "A pays B."}])
>>> deal = {"iri": "d", "label": "A – B", "status": "concluded", "amount": "€5m"}
>>> elements = network_elements(g, [deal])
>>> [(n["data"]["name"], n["position"]["x"]) for n in elements["nodes"]]
[('A', 40.0), ('B', 560.0)]
>>> elements["edges"][0]["data"]["caption"]
'concluded · €5m'
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from graph import network
from graph.core import to_csv
from graph.errors import InputError
from graph.model import ACTOR_TYPES
from graph.network import EDGE_KINDS
from graph.queries import is_update
from graph.store import Table, directory_version
from graph.vocab import PREFIXES, wikidata_page

ROW_LIMIT = 5000
DEFAULT_STORE = "data/store"
DEFAULT_KINDS = ("pays", "criticises")
UNKNOWN_TYPE = "Actor"

KIND_LABELS = {
    "pays": "pays",
    "party_to_deal_with": "party to a deal with",
    "criticises": "criticises",
    "said": "said (about)",
}

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
TYPE_COLOURS = {
    "Country": ("#0072B2", "blue"),
    "Region": ("#56B4E9", "light blue"),
    "Supranational": ("#009E73", "green"),
    "Person": ("#E69F00", "orange"),
    "Organisation": ("#CC79A7", "pink"),
    "Government": ("#D55E00", "vermilion"),
    "PoliticalParty": ("#F0E442", "yellow"),
    "Event": ("#999999", "grey"),
    UNKNOWN_TYPE: ("#000000", "black"),
}

# Cytoscape.js styles per edge kind: every kind has its own line style.
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "pays": {
        "color": "#0072B2",
        "directed": True,
        "line": "solid arrow, labelled with status and amount",
        "custom": {"line-style": "solid", "width": 2.5},
    },
    "party_to_deal_with": {
        "color": "#888888",
        "directed": False,
        "line": "grey dotted line",
        "custom": {"line-style": "dotted", "width": 1.5},
    },
    "criticises": {
        "color": "#D55E00",
        "directed": True,
        "line": "vermilion dashed arrow",
        "custom": {"line-style": "dashed", "width": 1.5, "target-arrow-shape": "tee"},
    },
    "said": {
        "color": "#009E73",
        "directed": True,
        "line": "green dash-dot arrow",
        "custom": {
            "line-style": "dashed",
            "line-dash-pattern": [6, 2, 1, 2],
            "width": 1.5,
            "target-arrow-shape": "vee",
        },
    },
}

# The component's defaults hide labels below 10 px on screen; our layout is zoomed to fit.
_READABLE = {"min-zoomed-font-size": 0}


# --- the store ------------------------------------------------------------------------


def store_location(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """The store named by ``--store`` in ``argv``, else ``$POLICYGRAPH_STORE``, else ``data/store``.

    ``argv`` is ``sys.argv``: ``streamlit run dashboard/app.py -- --store DIR`` passes what
    follows ``--`` to the script. Anything else in it is ignored.

    >>> store_location(["app.py", "--store", "x/store"], {})
    'x/store'
    >>> store_location(["pytest", "-q", "-p", "no:cacheprovider"], {"POLICYGRAPH_STORE": "/tmp/s"})
    '/tmp/s'
    >>> store_location(["app.py", "--store"], {})
    'data/store'
    """
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False, exit_on_error=False)
    parser.add_argument("--store")
    try:
        known, _ = parser.parse_known_args(list(argv[1:]))
        wanted = known.store
    except argparse.ArgumentError:
        wanted = None
    return wanted or environ.get("POLICYGRAPH_STORE") or DEFAULT_STORE


def store_version(location: str | None) -> str:
    """A cheap token that changes when a writer commits, computed without opening the store.

    For a directory it is the token ``EmbeddedStore.version()`` gives; for a missing directory
    ``"0"`` (an empty store); for a SPARQL endpoint or ``:memory:`` it is ``""`` (unknown).

    >>> store_version("http://localhost:7878/query")
    ''
    >>> store_version("/nonexistent/store")
    '0'
    """
    if not location or location == ":memory:" or location.startswith(("http://", "https://")):
        return ""
    path = Path(location)
    if not path.exists():
        return "0"
    return directory_version(path)


# --- text -----------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$])")


def md_escape(text: object) -> str:
    r"""Text made inert for ``st.markdown``: every Markdown punctuation character escaped.

    >>> print(md_escape("<script>*x*</script> [a](b) :red[c] $d$"))
    \<script\>\*x\*\</script\> \[a\]\(b\) \:red\[c\] \$d\$
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


def readable(name: str | None) -> str:
    """A code name for people: ``prevent_departures`` → ``prevent departures``.

    >>> readable("PoliticalParty"), readable("party_to_deal_with")
    ('political party', 'party to deal with')
    """
    if not name:
        return ""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return spaced.replace("_", " ").lower()


def labels(actors: Iterable[Mapping[str, Any]]) -> str:
    """Actor labels joined with commas."""
    return ", ".join(str(a.get("label") or a.get("iri")) for a in actors)


def wikidata_url(value: str | None) -> str | None:
    """The Wikidata page of an entity IRI or QID.

    >>> wikidata_url("http://www.wikidata.org/entity/Q145")
    'https://www.wikidata.org/wiki/Q145'
    """
    if not value:
        return None
    qid = value.rstrip("/").rsplit("/", 1)[-1]
    return wikidata_page(qid) if re.fullmatch(r"Q\d+", qid) else None


def legend() -> dict[str, str]:
    """What the colours and line styles of the network mean, as plain text."""
    nodes = " · ".join(
        f"{readable(t).capitalize()}: {TYPE_COLOURS[t][1]}"
        for t in ACTOR_TYPES
        if t in TYPE_COLOURS
    )
    edges = " · ".join(f"{KIND_LABELS[k]}: {EDGE_STYLES[k]['line']}" for k in EDGE_KINDS)
    return {"nodes": nodes, "edges": edges}


# --- deals ----------------------------------------------------------------------------


def pay_links(deal: Mapping[str, Any]) -> list[str]:
    """``payer → payee`` for every payer and payee of a deal.

    >>> pay_links({"payers": [{"label": "UK"}], "payees": [{"label": "Turkey"}]})
    ['UK → Turkey']
    """
    return [
        f"{payer['label']} → {payee['label']}"
        for payer in deal.get("payers", [])
        for payee in deal.get("payees", [])
    ]


DEAL_COLUMNS = (
    "label",
    "parties",
    "payer → payee",
    "status",
    "purposes",
    "amount",
    "critics",
    "sources",
    "first reported",
    "last reported",
    "iri",
)


def deal_rows(deals: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One flat row per deal, for a table and its CSV."""
    return [
        {
            "label": deal["label"],
            "parties": labels(deal["parties"]),
            "payer → payee": "; ".join(pay_links(deal)),
            "status": deal["status"],
            "purposes": ", ".join(readable(p) for p in deal["purposes"]),
            "amount": deal.get("amount") or "",
            "critics": labels(deal["criticised_by"]),
            "sources": len(deal["sources"]),
            "first reported": deal.get("first_reported") or "",
            "last reported": deal.get("last_reported") or "",
            "iri": deal["iri"],
        }
        for deal in deals
    ]


def deals_csv(deals: Iterable[Mapping[str, Any]]) -> str:
    """The deal table as CSV."""
    return to_csv(deal_rows(deals), DEAL_COLUMNS)


def deals_json(deals: Iterable[Mapping[str, Any]]) -> str:
    """The deal records (the ``deals`` JSON contract) as indented JSON."""
    return json.dumps(list(deals), indent=2, ensure_ascii=False, default=str)


def deal_actors(deals: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Every actor with a role in some deal, IRI to label, sorted by label."""
    found: dict[str, str] = {}
    for deal in deals:
        for role in ("parties", "payers", "payees", "criticised_by"):
            for actor in deal.get(role, []):
                found[actor["iri"]] = actor["label"]
    return dict(sorted(found.items(), key=lambda item: (item[1].casefold(), item[0])))


def roles_of(actor: str, deal: Mapping[str, Any]) -> list[str]:
    """The roles ``actor`` has in ``deal``: party, payer, payee, critic."""
    names = {"parties": "party", "payers": "payer", "payees": "payee", "criticised_by": "critic"}
    return [
        name for key, name in names.items() if any(a["iri"] == actor for a in deal.get(key, []))
    ]


def filter_deals(
    deals: Iterable[Mapping[str, Any]],
    statuses: Iterable[str] | None = None,
    actor: str | None = None,
) -> list[Mapping[str, Any]]:
    """The deals with one of ``statuses`` (all if None) in which ``actor`` has a role."""
    wanted = None if statuses is None else set(statuses)
    return [
        deal
        for deal in deals
        if (wanted is None or deal["status"] in wanted) and (not actor or roles_of(actor, deal))
    ]


def web_url(url: str | None) -> str:
    """``url`` if it is an http(s) address, else ``""`` (never a ``javascript:`` link).

    >>> web_url("https://news.example/a"), web_url("javascript:alert(1)")
    ('https://news.example/a', '')
    """
    return url if url and re.match(r"https?://", url, re.IGNORECASE) else ""


def evidence_rows(sources: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each evidence sentence with the headline, outlet, date and (web) URL of its article,
    and ``cite``: those three as one line."""
    rows = []
    for source in sources:
        headline = source.get("headline") or ""
        outlet = source.get("outlet") or ""
        when = source.get("date") or ""
        rows.append(
            {
                "sentence": source.get("sentence") or "",
                "headline": headline,
                "outlet": outlet,
                "date": when,
                "url": web_url(source.get("url")),
                "cite": " · ".join(part for part in (headline, outlet, when) if part),
            }
        )
    return rows


def history_rows(deal: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The deal's status claims, oldest first."""
    return [
        {
            "date": claim.get("date") or "",
            "status": claim["status"],
            "sentence": claim.get("sentence") or "",
        }
        for claim in deal.get("status_history", [])
    ]


def deal_detail(deal: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the dashboard shows about one deal."""
    return {
        "kind": "deal",
        "iri": deal["iri"],
        "title": deal["label"],
        "facts": {
            "status": deal["status"],
            "parties": labels(deal["parties"]),
            "payer → payee": "; ".join(pay_links(deal)) or "not reported",
            "purposes": ", ".join(readable(p) for p in deal["purposes"]) or "not reported",
            "amount": deal.get("amount") or "not reported",
            "criticised by": labels(deal["criticised_by"]) or "nobody reported",
            "first reported": deal.get("first_reported") or "unknown",
            "last reported": deal.get("last_reported") or "unknown",
        },
        "evidence": evidence_rows(deal["sources"]),
        "history": history_rows(deal),
    }


def pays_rows(
    graph: nx.MultiDiGraph,
    deals: Iterable[Mapping[str, Any]],
    statuses: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Who pays whom (``graph.network.pays``), one row per link, with the deal's current
    status and amount: the canvas's "pays" edges as a table."""
    wanted = None if statuses is None else set(statuses)
    records = {deal["iri"]: deal for deal in deals}
    rows = []
    for payer, payee, iri, edge_status in network.pays(graph):
        deal = records.get(iri, {})
        status = deal.get("status") or edge_status
        if wanted is not None and status not in wanted:
            continue
        rows.append(
            {
                "link": f"{payer} → {payee}",
                "payer": payer,
                "payee": payee,
                "status": status,
                "amount": deal.get("amount") or "",
                "deal": deal.get("label") or iri,
            }
        )
    unique = {tuple(row.values()): row for row in rows}.values()
    return sorted(unique, key=lambda r: (r["payer"].casefold(), r["payee"].casefold(), r["deal"]))


# --- the network canvas ---------------------------------------------------------------


def edge_id(source: str, target: str, kind: str, deal: str | None) -> str:
    """The canvas id of an edge.

    >>> parse_edge_id(edge_id("a", "b", "pays", "d"))
    ('a', 'b', 'pays', 'd')
    """
    return "|".join((kind, source, target, deal or ""))


def parse_edge_id(element: str) -> tuple[str, str, str, str] | None:
    """``(source, target, kind, deal)`` of an edge id, or None for anything else."""
    parts = element.split("|")
    if len(parts) != 4 or parts[0] not in EDGE_KINDS:
        return None
    kind, source, target, deal = parts
    return source, target, kind, deal


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label") or node)


def positions(
    graph: nx.MultiDiGraph, width: float = 600.0, height: float = 400.0, seed: int = 7
) -> dict[str, tuple[float, float]]:
    """Preset canvas positions: payers in a left column, payees in a right one, the rest between.

    The columns are ordered to limit crossings; actors that neither only pay nor are only paid
    are placed by a spring layout (fixed seed) around the columns. Without any payment the
    whole graph is a spring layout. The result is deterministic.
    """
    nodes = sorted(graph.nodes, key=lambda n: (_label(graph, n).casefold(), n))
    if not nodes:
        return {}
    margin = 40.0
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from(sorted((u, v) for u, v in graph.edges() if u != v))
    pays_edges = {(u, v) for u, v, d in graph.edges(data=True) if d.get("kind") == "pays"}
    payers = {u for u, _ in pays_edges}
    payees = {v for _, v in pays_edges}
    left = [n for n in nodes if n in payers and n not in payees]
    right = [n for n in nodes if n in payees and n not in payers]

    def barycentre(node: str, ranks: dict[str, int], default: int) -> float:
        linked = [ranks[b] for a, b in pays_edges if a == node and b in ranks]
        linked += [ranks[a] for a, b in pays_edges if b == node and a in ranks]
        return sum(linked) / len(linked) if linked else float(default)

    # two sweeps of the barycentre heuristic: each payee near its payers, and back
    for _ in range(2):
        left_rank = {n: i for i, n in enumerate(left)}
        right = sorted(right, key=lambda n: (barycentre(n, left_rank, len(left)), n))
        right_rank = {n: i for i, n in enumerate(right)}
        left = sorted(left, key=lambda n: (barycentre(n, right_rank, len(right)), n))

    def column(members: list[str], x: float) -> dict[str, tuple[float, float]]:
        count = len(members)
        return {n: (x, -1.0 + 2.0 * (i + 0.5) / count) for i, n in enumerate(members)}

    fixed = {**column(left, -1.0), **column(right, 1.0)}
    if fixed and len(fixed) < len(nodes):
        unit = nx.spring_layout(simple, pos=fixed, fixed=list(fixed), seed=seed)
        placed = {n: (float(x), float(y)) for n, (x, y) in unit.items()}
        middle = [n for n in nodes if n not in fixed]
        xs = [placed[n][0] for n in middle]
        ys = [placed[n][1] for n in middle]
        for n in middle:  # the free actors (critics, speakers) in a band below the columns
            x = _rescale(placed[n][0], min(xs), max(xs), -0.6, 0.6)
            y = _rescale(placed[n][1], min(ys), max(ys), 1.25, 1.6)
            placed[n] = (x, y)
    elif fixed:
        placed = fixed
    else:
        unit = nx.spring_layout(simple, seed=seed)
        placed = {n: (float(x), float(y)) for n, (x, y) in unit.items()}
        xs = [p[0] for p in placed.values()]
        ys = [p[1] for p in placed.values()]
        placed = {
            n: (_rescale(x, min(xs), max(xs), -1, 1), _rescale(y, min(ys), max(ys), -1, 1))
            for n, (x, y) in placed.items()
        }
    low = min(y for _, y in placed.values())
    high = max(max(y for _, y in placed.values()), low + 1e-9)
    return {
        n: (
            round(margin + (x + 1) / 2 * (width - 2 * margin), 1),
            round(_rescale(y, low, high, margin, height - margin), 1),
        )
        for n, (x, y) in placed.items()
    }


def _rescale(value: float, low: float, high: float, to_low: float, to_high: float) -> float:
    if high - low < 1e-9:
        return (to_low + to_high) / 2
    return to_low + (value - low) / (high - low) * (to_high - to_low)


def _edge_caption(kind: str, status: str | None, amount: str | None) -> str:
    if kind == "pays":
        return " · ".join(part for part in (status, amount) if part)
    if kind == "party_to_deal_with":
        return ""
    return kind


def network_elements(
    graph: nx.MultiDiGraph, deals: Iterable[Mapping[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """The whole actor network as streamlit-cytoscape elements with preset positions.

    A node's ``label`` is its actor type (the component styles nodes by it) and ``name`` its
    caption. An edge's ``label`` is its kind; ``caption`` shows status and amount on payments.
    A deal edge carries the deal's current status, not the status of the first report.
    """
    by_iri = {deal["iri"]: deal for deal in deals}
    where = positions(graph)
    nodes = []
    for node in sorted(graph.nodes, key=lambda n: (_label(graph, n).casefold(), n)):
        attrs = graph.nodes[node]
        data = {
            "id": node,
            "label": attrs.get("type") or UNKNOWN_TYPE,
            "name": _label(graph, node),
        }
        if attrs.get("iso_code"):
            data["iso_code"] = attrs["iso_code"]
        x, y = where[node]
        nodes.append({"data": data, "position": {"x": x, "y": y}})
    edges = []
    for u, v, attrs in sorted(
        graph.edges(data=True), key=lambda e: (e[2]["kind"], e[0], e[1], e[2].get("deal") or "")
    ):
        kind = attrs["kind"]
        deal = by_iri.get(attrs.get("deal") or "")
        status = deal["status"] if deal else attrs.get("status")
        amount = deal.get("amount") if deal else None
        data = {
            "id": edge_id(u, v, kind, attrs.get("deal")),
            "source": u,
            "target": v,
            "label": kind,
            "caption": _edge_caption(kind, status, amount),
            "status": status or "",
        }
        if deal:
            data["deal"] = deal["label"]
        if amount:
            data["amount"] = amount
        edges.append({"data": data})
    return {"nodes": nodes, "edges": edges}


def filter_elements(
    elements: Mapping[str, list[dict[str, Any]]],
    kinds: Iterable[str],
    statuses: Iterable[str],
    isolated: bool = False,
) -> dict[str, list[dict[str, Any]]]:
    """The edges of the chosen kinds and statuses (edges without a status always pass), and
    the nodes they touch; every node too when ``isolated``. Positions are kept."""
    kinds, statuses = set(kinds), set(statuses)
    edges = [
        edge
        for edge in elements["edges"]
        if edge["data"]["label"] in kinds
        and (not edge["data"]["status"] or edge["data"]["status"] in statuses)
    ]
    touched = {e["data"]["source"] for e in edges} | {e["data"]["target"] for e in edges}
    nodes = [n for n in elements["nodes"] if isolated or n["data"]["id"] in touched]
    return {"nodes": nodes, "edges": edges}


def node_styles() -> list[dict[str, Any]]:
    """Keyword arguments of one ``NodeStyle`` per actor type."""
    return [
        {
            "label": kind,
            "color": colour,
            "caption": "name",
            "custom_styles": {**_READABLE, "font-size": 9, "text-wrap": "wrap"},
        }
        for kind, (colour, _) in TYPE_COLOURS.items()
    ]


def edge_styles() -> list[dict[str, Any]]:
    """Keyword arguments of one ``EdgeStyle`` per edge kind."""
    return [
        {
            "label": kind,
            "color": style["color"],
            "caption": "caption",
            "directed": style["directed"],
            "custom_styles": {
                **_READABLE,
                "font-size": 7,
                "color": "#ffffff",
                **style["custom"],
            },
        }
        for kind, style in EDGE_STYLES.items()
    ]


PRESET_LAYOUT = {"name": "preset", "fit": True, "padding": 70, "animate": False}


def choices(graph: nx.MultiDiGraph, deals: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Everything on the canvas that can be picked, element id to a readable name.

    Payments first, then the other links, then actors.
    """
    by_iri = {deal["iri"]: deal for deal in deals}
    order = {kind: i for i, kind in enumerate(EDGE_KINDS)}
    links = []
    for u, v, attrs in graph.edges(data=True):
        kind = attrs["kind"]
        deal = by_iri.get(attrs.get("deal") or "")
        arrow = "—" if kind == "party_to_deal_with" else "→"
        name = f"{_label(graph, u)} {arrow} {_label(graph, v)} · {KIND_LABELS[kind]}"
        status = deal["status"] if deal else attrs.get("status")
        if status:
            name += f" · {status}"
        if kind == "pays" and deal and deal.get("amount"):
            name += f" · {deal['amount']}"
        links.append((order[kind], name.casefold(), edge_id(u, v, kind, attrs.get("deal")), name))
    actors = sorted(
        (
            (_label(graph, n).casefold(), n, f"{_label(graph, n)} ({graph.nodes[n].get('type')})")
            for n in graph.nodes
        ),
    )
    return {
        **{element: name for _, _, element, name in sorted(links)},
        **{node: name for _, node, name in actors},
    }


def tapped(event: Any, seen: Any) -> str | None:
    """The element id a canvas event picked, if the event is new (its timestamp unseen).

    >>> event = {"action": "pick", "data": {"target_id": "a"}, "timestamp": 2}
    >>> tapped(event, seen=1), tapped(event, seen=2), tapped(None, seen=None)
    ('a', None, None)
    """
    if not isinstance(event, Mapping) or event.get("timestamp") == seen:
        return None
    data = event.get("data")
    target = data.get("target_id") if isinstance(data, Mapping) else None
    return str(target) if target else None


def actor_detail(actor: Mapping[str, Any], deals: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Everything the dashboard shows about one actor, with the deals it has a role in."""
    involved = [
        {
            "deal": deal["label"],
            "roles": ", ".join(roles_of(actor["iri"], deal)),
            "status": deal["status"],
            "amount": deal.get("amount") or "",
        }
        for deal in deals
        if roles_of(actor["iri"], deal)
    ]
    return {
        "kind": "actor",
        "iri": actor["iri"],
        "title": actor.get("label") or actor["iri"],
        "facts": {
            "type": readable(actor.get("type")).capitalize() or "unknown",
            "ISO code": actor.get("iso_code") or "none",
            "role": actor.get("role") or "",
            "mentions": ", ".join(actor.get("mentions") or []) or "none",
        },
        "wikidata": wikidata_url(actor.get("wikidata")),
        "deals": involved,
    }


def statement_detail(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    key: str,
    articles: Iterable[Mapping[str, Any]],
) -> dict[str, Any]:
    """What a speaker said about an actor, with the article of every sentence."""
    by_iri = {a["article"]: a for a in articles}
    attrs = graph.edges[source, target, key]
    sources = [
        {
            "sentence": s.get("sentence"),
            "date": s.get("date") or by_iri.get(s.get("article") or "", {}).get("date"),
            "headline": by_iri.get(s.get("article") or "", {}).get("headline"),
            "outlet": by_iri.get(s.get("article") or "", {}).get("outlet"),
            "url": by_iri.get(s.get("article") or "", {}).get("url"),
        }
        for s in attrs.get("sources", [])
    ]
    return {
        "kind": "statement",
        "iri": attrs.get("deal"),
        "title": f"{_label(graph, source)} said, about {_label(graph, target)}",
        "facts": {"speaker": _label(graph, source), "about": _label(graph, target)},
        "evidence": evidence_rows(sources),
    }


def detail(
    element: str | None,
    graph: nx.MultiDiGraph,
    actors: Mapping[str, Mapping[str, Any]],
    deals: Sequence[Mapping[str, Any]],
    articles: Iterable[Mapping[str, Any]],
) -> dict[str, Any] | None:
    """The detail record of a canvas element (actor, deal link or statement), or None."""
    if not element:
        return None
    if element in graph.nodes:
        actor = actors.get(element) or {
            "iri": element,
            "label": _label(graph, element),
            "type": graph.nodes[element].get("type"),
        }
        return actor_detail(actor, deals)
    parsed = parse_edge_id(element)
    if parsed is None:
        return None
    source, target, kind, deal_iri = parsed
    if not graph.has_edge(source, target, f"{kind}|{deal_iri}"):
        return None
    if kind == "said":
        return statement_detail(graph, source, target, f"{kind}|{deal_iri}", articles)
    for deal in deals:
        if deal["iri"] == deal_iri:
            record = deal_detail(deal)
            arrow = "—" if kind == "party_to_deal_with" else "→"
            record["link"] = (
                f"{_label(graph, source)} {arrow} {_label(graph, target)} ({KIND_LABELS[kind]})"
            )
            return record
    return None


# --- SPARQL ---------------------------------------------------------------------------


def prefix_note() -> str:
    """The predeclared prefixes, for the query editor."""
    return ", ".join(f"{prefix}:" for prefix in PREFIXES)


def refuse_update(text: str) -> None:
    """Raise ``InputError`` for a SPARQL update: the dashboard only reads."""
    if is_update(text):
        raise InputError(
            "the dashboard is read-only: SPARQL updates (INSERT, DELETE, …) are refused; "
            "use `policygraph query --update` to change the store"
        )
    if not text.strip():
        raise InputError("the query is empty")


def table_rows(table: Table, limit: int = ROW_LIMIT) -> tuple[list[str], list[dict[str, Any]], int]:
    """A query result as ``(columns, first `limit` rows, total row count)``."""
    rows = table.values()
    return list(table.columns), rows[:limit], len(rows)


def table_csv(table: Table) -> str:
    """Every row of a query result as CSV."""
    return to_csv(table.values(), table.columns)
