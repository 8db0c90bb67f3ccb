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
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import networkx as nx

from graph import network
from graph.core import to_csv
from graph.curation import Correction, describe
from graph.errors import InputError
from graph.model import ACTOR_TYPES, STATUSES
from graph.network import EDGE_KINDS
from graph.queries import NAMED_GRAPH_HINT, is_update, reads_default_graph_only
from graph.store import Table, directory_version
from graph.vocab import PREFIXES, actor_key, prefixed, wikidata_page

ROW_LIMIT = 5000
QUERY_TIMEOUT = 20.0
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

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=])")


def md_escape(text: object) -> str:
    r"""Text made inert for ``st.markdown``: every Markdown punctuation character escaped.

    >>> print(md_escape("<script>*x*</script> [a](b) :red[c] $d$"))
    \<script\>\*x\*\</script\> \[a\]\(b\) \:red\[c\] \$d\$
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


_ANCHOR = re.compile(r"<(?=a\b)", re.IGNORECASE)


def canvas_text(text: object) -> str:
    """Text for the network canvas's info panel, which builds a link from any ``<a href>`` in
    a value: a word joiner after ``<`` keeps such text looking the same but inert.

    >>> canvas_text('<A href="https://x.example">x</A> <b>')
    '<\u2060A href="https://x.example">x</A> <b>'
    """
    return _ANCHOR.sub("<\u2060", "" if text is None else str(text))


def readable(name: str | None) -> str:
    """A code name for people: ``prevent_departures`` → ``prevent departures``.

    >>> readable("PoliticalParty"), readable("party_to_deal_with")
    ('political party', 'party to deal with')
    """
    if not name:
        return ""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return spaced.replace("_", " ").lower()


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``number`` and ``noun`` in agreement, with thousands separated.

    >>> counted(1, "deal"), counted(0, "deal"), counted(12_000, "source")
    ('1 deal', '0 deals', '12,000 sources')
    >>> counted(2, "entry", "entries")
    '2 entries'
    """
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


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
    graph: nx.MultiDiGraph,
    width: float = 600.0,
    height: float = 400.0,
    seed: int = 7,
    layout: str = "sides",
) -> dict[str, tuple[float, float]]:
    """Preset canvas positions, computed here so the browser never runs a layout.

    ``sides``: payers in a left column, payees in a right one, the rest in a band below. The
    columns are ordered to limit crossings; actors that neither only pay nor are only paid
    are placed by a spring layout (fixed seed) around the columns. Without any payment, or
    with ``layout="force"``, the whole graph is a spring layout. The result is deterministic.
    """
    nodes = sorted(graph.nodes, key=lambda n: (_label(graph, n).casefold(), n))
    if not nodes:
        return {}
    margin = 40.0
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from(sorted({(u, v) for u, v in graph.edges() if u != v}))
    pays_edges = set()
    if layout == "sides":
        pays_edges = {(u, v) for u, v, d in graph.edges(data=True) if d.get("kind") == "pays"}
    payers = {u for u, _ in pays_edges}
    payees = {v for _, v in pays_edges}
    left = [n for n in nodes if n in payers and n not in payees]
    right = [n for n in nodes if n in payees and n not in payers]

    partners: dict[str, set[str]] = {}
    for a, b in pays_edges:
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)

    def barycentre(node: str, ranks: dict[str, int], default: int) -> float:
        linked = [ranks[other] for other in partners.get(node, ()) if other in ranks]
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
    graph: nx.MultiDiGraph, deals: Iterable[Mapping[str, Any]], layout: str = "sides"
) -> dict[str, list[dict[str, Any]]]:
    """The actor network as streamlit-cytoscape elements with preset positions.

    A node's ``label`` is its actor type (the component styles nodes by it) and ``name`` its
    caption. An edge's ``label`` is its kind; ``caption`` shows status and amount on payments.
    A deal edge carries the deal's current status, not the status of the first report.
    Links of one kind between the same two actors are drawn as one edge: for several deals
    its id ends in ``*`` (see ``AGGREGATE``), its caption counts them and ``weight`` is the
    count.
    """
    by_iri = {deal["iri"]: deal for deal in deals}
    where = positions(graph, layout=layout)
    nodes = []
    for node in sorted(graph.nodes, key=lambda n: (_label(graph, n).casefold(), n)):
        attrs = graph.nodes[node]
        data = {
            "id": node,
            "label": attrs.get("type") or UNKNOWN_TYPE,
            "name": canvas_text(_label(graph, node)),
        }
        if attrs.get("iso_code"):
            data["iso_code"] = attrs["iso_code"]
        x, y = where[node]
        nodes.append({"data": data, "position": {"x": x, "y": y}})
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for u, v, attrs in graph.edges(data=True):
        groups.setdefault((attrs["kind"], u, v), []).append(attrs)
    edges = []
    for (kind, u, v), links in sorted(groups.items()):
        if len(links) > 1:
            statuses = sorted({_status(link, by_iri) for link in links} - {""})
            data = {
                "id": edge_id(u, v, kind, AGGREGATE),
                "source": u,
                "target": v,
                "label": kind,
                "caption": counted(len(links), "deal" if kind != "said" else "quote"),
                "status": statuses[0] if len(statuses) == 1 else "",
                "weight": len(links),
            }
            edges.append({"data": data})
            continue
        attrs = links[0]
        deal = by_iri.get(attrs.get("deal") or "")
        status = _status(attrs, by_iri)
        amount = deal.get("amount") if deal else None
        data = {
            "id": edge_id(u, v, kind, attrs.get("deal")),
            "source": u,
            "target": v,
            "label": kind,
            "caption": canvas_text(_edge_caption(kind, status, amount)),
            "status": status,
            "weight": 1,
        }
        if deal:
            data["deal"] = canvas_text(deal["label"])
        if amount:
            data["amount"] = canvas_text(amount)
        edges.append({"data": data})
    if len(edges) > EDGE_LIMIT:  # the heaviest: payments first, then by how many deals
        edges.sort(key=lambda e: (e["data"]["label"] != "pays", -e["data"]["weight"]))
        edges = sorted(edges[:EDGE_LIMIT], key=lambda e: e["data"]["id"])
    if len(edges) > CAPTION_LIMIT:  # hundreds of edge labels make the canvas unreadable, and slow
        for edge in edges:
            edge["data"]["caption"] = ""
    return {"nodes": nodes, "edges": edges}


AGGREGATE = "*"
EDGE_LIMIT = 600
CAPTION_LIMIT = 250


def edge_count(graph: nx.MultiDiGraph) -> int:
    """How many edges ``network_elements`` would draw without its ``EDGE_LIMIT``: one per kind
    and pair of actors."""
    return len({(attrs["kind"], u, v) for u, v, attrs in graph.edges(data=True)})


def _status(attrs: Mapping[str, Any], deals: Mapping[str, Mapping[str, Any]]) -> str:
    deal = deals.get(attrs.get("deal") or "")
    return str((deal["status"] if deal else attrs.get("status")) or "")


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


def choices(elements: Mapping[str, list[dict[str, Any]]]) -> dict[str, str]:
    """Everything on the canvas that can be picked, element id to a readable name.

    Payments first, then the other links, then actors.

    >>> elements = {"nodes": [{"data": {"id": "a", "name": "A", "label": "Country"}},
    ...                       {"data": {"id": "b", "name": "B", "label": "Country"}}],
    ...             "edges": [{"data": {"id": "pays|a|b|d", "source": "a", "target": "b",
    ...                                 "label": "pays", "caption": "concluded · €5m"}}]}
    >>> list(choices(elements).values())
    ['A → B · pays · concluded · €5m', 'A (Country)', 'B (Country)']
    """
    names = {node["data"]["id"]: str(node["data"]["name"]) for node in elements["nodes"]}
    order = {kind: i for i, kind in enumerate(EDGE_KINDS)}
    links = []
    for edge in elements["edges"]:
        data = edge["data"]
        kind = data["label"]
        arrow = "—" if kind == "party_to_deal_with" else "→"
        name = f"{names[data['source']]} {arrow} {names[data['target']]} · {KIND_LABELS[kind]}"
        caption = data.get("caption") or data.get("status")
        if caption and caption != kind:
            name += f" · {caption}"
        links.append((order[kind], name.casefold(), data["id"], name))
    actors = sorted(
        (names[n["data"]["id"]].casefold(), n["data"]["id"], n["data"]["label"])
        for n in elements["nodes"]
    )
    return {
        **{element: name for _, _, element, name in sorted(links)},
        **{node: f"{names[node]} ({kind})" for _, node, kind in actors},
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


def actor_detail(
    actor: Mapping[str, Any],
    deals: Iterable[Mapping[str, Any]],
    statements: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Everything the dashboard shows about one actor: its facts, the deals it has a role in
    and what it said."""
    said = [
        {"quote": s.get("quote") or "", "sentence": s.get("sentence") or "", "date": s.get("date")}
        for s in statements
        if s.get("speaker") == actor["iri"]
    ]
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
        "statements": said,
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
    statements: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any] | None:
    """The detail record of a canvas element (actor, deal link, several links drawn as one,
    or statement), or None."""
    if not element:
        return None
    if element in graph.nodes:
        actor = actors.get(element) or {
            "iri": element,
            "label": _label(graph, element),
            "type": graph.nodes[element].get("type"),
        }
        return actor_detail(actor, deals, statements)
    parsed = parse_edge_id(element)
    if parsed is None:
        return None
    source, target, kind, deal_iri = parsed
    if deal_iri == AGGREGATE:
        return links_detail(graph, source, target, kind, deals)
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


def links_detail(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    kind: str,
    deals: Iterable[Mapping[str, Any]],
) -> dict[str, Any] | None:
    """The deals behind one edge that stands for several links of a kind between two actors;
    each row's ``element`` is the id of that one link, for its own detail."""
    if source not in graph or target not in graph:
        return None
    by_iri = {deal["iri"]: deal for deal in deals}
    rows = []
    for _, other, attrs in graph.out_edges(source, data=True):
        if other != target or attrs["kind"] != kind:
            continue
        deal = by_iri.get(attrs.get("deal") or "", {})
        rows.append(
            {
                "deal": deal.get("label") or attrs.get("deal") or "",
                "status": _status(attrs, by_iri),
                "amount": deal.get("amount") or "",
                "sources": len(attrs.get("sources", [])),
                "element": edge_id(source, target, kind, attrs.get("deal")),
            }
        )
    if not rows:
        return None
    arrow = "—" if kind == "party_to_deal_with" else "→"
    link = f"{_label(graph, source)} {arrow} {_label(graph, target)} ({KIND_LABELS[kind]})"
    return {
        "kind": "links",
        "iri": None,
        "title": f"{counted(len(rows), 'link')}: {link}",
        "link": link,
        "facts": {},
        "links": sorted(rows, key=lambda r: (r["deal"].casefold(), r["element"])),
    }


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


def graph_hint(text: str, table: Table) -> str | None:
    """The hint for a query that found nothing because it reads only the default graph, which
    policygraph leaves empty; None if it found something or names graphs.

    >>> graph_hint("ASK { ?s a pg:Deal }", Table(["ask"], [{"ask": None}])) is not None
    True
    >>> graph_hint("SELECT ?s WHERE { GRAPH ?g { ?s a pg:Deal } }", Table(["s"], [])) is None
    True
    """
    empty = not table.rows or table.values() in ([{"ask": False}], [{"ask": None}])
    return no_rows_hint(text, found=not empty)


def no_rows_hint(text: str, found: bool) -> str | None:
    """``graph_hint`` for an answer already printed, known only by whether it found anything
    (a row, or an ASK's true)."""
    return NAMED_GRAPH_HINT if not found and reads_default_graph_only(text) else None


def table_rows(table: Table, limit: int = ROW_LIMIT) -> tuple[list[str], list[dict[str, Any]], int]:
    """A query result as ``(columns, first `limit` rows, total row count)``."""
    rows = table.values()
    return list(table.columns), rows[:limit], len(rows)


def table_json(table: Table) -> str:
    """A query result in the W3C SPARQL 1.1 Query Results JSON format.

    >>> from graph.store import Cell
    >>> result = json.loads(table_json(Table(["x"], [{"x": Cell("uri", "https://a")}, {}])))
    >>> result["head"], result["results"]["bindings"]
    ({'vars': ['x']}, [{'x': {'type': 'uri', 'value': 'https://a'}}, {}])
    """
    bindings = []
    for row in table.rows:
        binding = {}
        for column in table.columns:
            cell = row.get(column)
            if cell is None:
                continue
            term = {"type": cell.kind, "value": cell.value}
            if cell.datatype:
                term["datatype"] = cell.datatype
            if cell.lang:
                term["xml:lang"] = cell.lang
            binding[column] = term
        bindings.append(binding)
    return json.dumps(
        {"head": {"vars": list(table.columns)}, "results": {"bindings": bindings}},
        ensure_ascii=False,
    )


def iri_columns(table: Table) -> list[str]:
    """The columns whose every bound value is an IRI (at least one bound)."""
    found = []
    for column in table.columns:
        cells = [row.get(column) for row in table.rows]
        bound = [cell for cell in cells if cell is not None]
        if bound and all(cell.kind == "uri" for cell in bound):
            found.append(column)
    return found


GRAPH_LIMIT = 1000


def result_elements(
    table: Table,
    source: str,
    target: str,
    actors: Mapping[str, Mapping[str, Any]],
    limit: int = GRAPH_LIMIT,
) -> dict[str, list[dict[str, Any]]]:
    """The rows of a result with two IRI columns as a graph: one edge ``source → target`` per
    distinct pair (the first ``limit``), actors named and coloured by type, other IRIs in
    prefixed form, positions by a seeded spring layout."""
    found: dict[tuple[str, str], None] = {}
    for row in table.rows:
        first, second = row.get(source), row.get(target)
        if first is not None and second is not None:
            found[(first.value, second.value)] = None
        if len(found) >= limit:
            break
    pairs = list(found)
    drawn = nx.MultiDiGraph()
    for a, b in pairs:
        for node in (a, b):
            actor = actors.get(node, {})
            drawn.add_node(
                node, label=actor.get("label") or (prefixed(node) or node), type=actor.get("type")
            )
        drawn.add_edge(a, b, key=f"{source}|{target}", kind=f"{source} → {target}")
    where = positions(drawn, layout="force")
    nodes = [
        {
            "data": {
                "id": node,
                "label": attrs["type"] or UNKNOWN_TYPE,
                "name": canvas_text(attrs["label"]),
            },
            "position": {"x": where[node][0], "y": where[node][1]},
        }
        for node, attrs in drawn.nodes(data=True)
    ]
    edges = [
        {"data": {"id": f"{a}|{b}", "source": a, "target": b, "label": "result", "caption": ""}}
        for a, b in pairs
    ]
    return {"nodes": nodes, "edges": edges}


def table_csv(table: Table) -> str:
    """Every row of a query result as CSV."""
    return to_csv(table.values(), table.columns)


# --- choosing what the network canvas shows -------------------------------------------

LAYOUTS = {"sides": "payers left, payees right", "force": "force (computed in Python)"}
COLLAPSIBLE = ("Region", "Government")


@dataclass(frozen=True)
class NetworkFilter:
    """What the Network page shows: the filters and aggregation a user chose.

    Empty ``types`` means every type; ``since``/``until`` are ISO dates bounding the dates of a
    link's sources; ``top`` keeps the ``top`` most linked actors (None: all); ``collapse`` folds
    regions and governments into their country when the country is in the store.
    """

    kinds: tuple[str, ...] = DEFAULT_KINDS
    statuses: tuple[str, ...] = tuple(STATUSES)
    types: tuple[str, ...] = ()
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    search: str = ""
    top: int | None = None
    collapse: bool = False
    isolated: bool = False


def date_span(graph: nx.MultiDiGraph) -> tuple[str, str] | None:
    """The earliest and latest source date (ISO day) on any link, or None when none is dated."""
    dates = [
        str(source["date"])[:10]
        for _, _, attrs in graph.edges(data=True)
        for source in attrs.get("sources", [])
        if source.get("date")
    ]
    return (min(dates), max(dates)) if dates else None


def date_range(picked: object, span: tuple[str, str]) -> tuple[str | None, str | None]:
    """``(since, until)`` for a date-range widget's value: None for an end the user left at
    the edge of ``span`` (so undated links still show), and nothing while half picked.

    >>> import datetime as dt
    >>> span = ("2020-01-01", "2024-12-31")
    >>> date_range((dt.date(2020, 1, 1), dt.date(2023, 6, 1)), span)
    (None, '2023-06-01')
    >>> date_range((dt.date(2021, 1, 1),), span)
    (None, None)
    """
    if not isinstance(picked, tuple | list) or len(picked) != 2:
        return None, None
    since, until = (day.isoformat() for day in picked)
    return (None if since <= span[0] else since), (None if until >= span[1] else until)


def country_of(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Each region or government that belongs to a country in ``graph``, mapped to it.

    A region names its country with ``part_of``; otherwise the first two letters of an ISO
    3166-2 code (``IQ-KR``) name it.
    """
    by_code = {
        str(attrs["iso_code"]).upper(): node
        for node, attrs in graph.nodes(data=True)
        if attrs.get("type") == "Country" and attrs.get("iso_code")
    }
    folded = {}
    for node, attrs in graph.nodes(data=True):
        if attrs.get("type") not in COLLAPSIBLE:
            continue
        parent = attrs.get("part_of")
        if parent not in graph or graph.nodes[parent].get("type") != "Country":
            parent = by_code.get(str(attrs.get("iso_code") or "")[:2].upper())
        if parent and parent != node:
            folded[node] = parent
    return folded


def _in_span(sources: Iterable[Mapping[str, Any]], since: str | None, until: str | None) -> bool:
    if not since and not until:
        return True
    for source in sources:
        when = str(source.get("date") or "")[:10]
        if when and (not since or when >= since) and (not until or when <= until):
            return True
    return False


def _matches(term: str, *texts: object) -> bool:
    return any(term in str(text).casefold() for text in texts if text)


def select_network(
    graph: nx.MultiDiGraph, deals: Iterable[Mapping[str, Any]], chosen: NetworkFilter
) -> nx.MultiDiGraph:
    """The part of the actor network that ``chosen`` asks for, as a new network.

    A link passes when its kind and its deal's current status are chosen, a source is dated in
    the range, both actors have a chosen type, it touches the chosen actor, and the search text
    occurs in an actor's name, the deal's label or an evidence sentence. Then, if asked,
    regions and governments fold into their country, and only the ``top`` most linked actors
    (and the chosen actor) stay.

    >>> g = network.build(
    ...     [{"iri": "a", "label": "A", "type": "Country"},
    ...      {"iri": "b", "label": "B", "type": "Country"},
    ...      {"iri": "c", "label": "C", "type": "Person"}],
    ...     [{"kind": "pays", "source": "a", "target": "b", "deal": "d", "status": "concluded",
    ...       "date": "2024-01-02", "article": "x", "evidence": "A pays B."},
    ...      {"kind": "criticises", "source": "c", "target": "b", "deal": "d",
    ...       "status": "concluded", "date": "2023-05-01", "article": "y", "evidence": "C."}])
    >>> sorted(select_network(g, [], NetworkFilter()).nodes)
    ['a', 'b', 'c']
    >>> sorted(select_network(g, [], NetworkFilter(since="2024-01-01")).nodes)
    ['a', 'b']
    >>> sorted(select_network(g, [], NetworkFilter(types=("Country",), search="pays")).nodes)
    ['a', 'b']
    """
    current = {deal["iri"]: deal for deal in deals}
    kinds, statuses, types = set(chosen.kinds), set(chosen.statuses), set(chosen.types)
    term = chosen.search.strip().casefold()
    fold = country_of(graph) if chosen.collapse else {}
    focus = fold.get(chosen.actor, chosen.actor) if chosen.actor else None

    def type_of(node: str) -> str:
        return str(graph.nodes[node].get("type") or UNKNOWN_TYPE)

    picked = nx.MultiDiGraph()
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        if attrs["kind"] not in kinds:
            continue
        deal = current.get(attrs.get("deal") or "")
        status = deal["status"] if deal else attrs.get("status")
        if status and status not in statuses:
            continue
        a, b = fold.get(u, u), fold.get(v, v)  # types are those of what is drawn: folded
        if types and not (type_of(a) in types and type_of(b) in types):
            continue
        if not _in_span(attrs.get("sources", []), chosen.since, chosen.until):
            continue
        if term and not _matches(
            term,
            _label(graph, u),
            _label(graph, v),
            deal["label"] if deal else "",
            *(s.get("sentence") for s in attrs.get("sources", [])),
        ):
            continue
        if attrs["kind"] == "party_to_deal_with":  # an undirected link: kept in IRI order
            a, b = min(a, b), max(a, b)
        if a == b or (focus and focus not in (a, b)):
            continue
        if picked.has_edge(a, b, key):  # two folded links of one deal: keep both sources
            merged = picked.edges[a, b, key]["sources"]
            merged.extend(s for s in attrs.get("sources", []) if s not in merged)
            continue
        picked.add_edge(a, b, key=key, **{**attrs, "sources": list(attrs.get("sources", []))})
    if chosen.isolated:
        picked.add_nodes_from(
            n for n in graph.nodes if n not in fold and (not types or type_of(n) in types)
        )
    for node in picked.nodes:
        picked.nodes[node].update(graph.nodes[node])
    if chosen.top is not None and picked.number_of_nodes() > chosen.top:
        ranked = most_linked(picked)
        keep = set(ranked[: chosen.top])
        if focus and focus in picked:
            keep.add(focus)
        picked = nx.MultiDiGraph(picked.subgraph(keep))
    return picked


def most_linked(graph: nx.MultiDiGraph) -> list[str]:
    """Actors by the number of distinct actors they are linked to, then by links, then name."""
    simple = nx.Graph(graph.to_undirected(as_view=True))

    def rank(node: str) -> tuple[int, int, str]:
        return (-simple.degree(node), -graph.degree(node), _label(graph, node).casefold())

    return sorted(graph.nodes, key=rank)


def size_note(shown: nx.MultiDiGraph, total: nx.MultiDiGraph) -> str:
    """How much of the network the canvas shows, in words."""
    return (
        f"{shown.number_of_nodes():,} of {counted(total.number_of_nodes(), 'actor')} · "
        f"{shown.number_of_edges():,} of {counted(total.number_of_edges(), 'link')}"
    )


TOP_ACTORS = 60
LINK_COLUMNS = ("deal", "status", "amount", "sources")
ANALYSES = ("Actor network", "Centrality", "Shortest path", "Ego network")


def focus(
    graph: nx.MultiDiGraph,
    analysis: str,
    first: str | None = None,
    second: str | None = None,
    radius: int = 1,
) -> nx.MultiDiGraph:
    """The network an analysis draws: the whole selection, the links along the shortest path
    from ``first`` to ``second``, or the ego network of ``first`` within ``radius`` links.

    >>> g = network.build([], [
    ...     {"kind": "pays", "source": s, "target": t, "deal": s + t, "status": "concluded",
    ...      "date": None, "article": "x", "evidence": ""} for s, t in ("ab", "bc", "cd")])
    >>> sorted(focus(g, "Shortest path", "a", "c").edges())
    [('a', 'b'), ('b', 'c')]
    >>> sorted(focus(g, "Ego network", "d").nodes)
    ['c', 'd']
    """
    if analysis == "Shortest path":
        path = network.shortest_path(graph, first, second) if first and second else []
        steps = set(pairwise(path))
        steps |= {(b, a) for a, b in steps}
        chosen = [(u, v, k) for u, v, k in graph.edges(keys=True) if (u, v) in steps]
        return nx.MultiDiGraph(graph.edge_subgraph(chosen))
    if analysis == "Ego network":
        if not first or first not in graph:
            return nx.MultiDiGraph()
        return nx.MultiDiGraph(network.ego(graph, first, radius))
    return graph


def path_names(graph: nx.MultiDiGraph, first: str | None, second: str | None) -> list[str]:
    """The names along the shortest path between two actors; empty when there is none."""
    if not first or not second:
        return []
    return [_label(graph, node) for node in network.shortest_path(graph, first, second)]


def centrality_rows(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """The centrality ranking of ``graph`` with a readable type and a link to each actor page."""
    return [
        {
            "rank": i,
            "actor": row["label"],
            "type": readable(row["type"]).capitalize() or "unknown",
            "degree": row["degree"],
            "betweenness": row["betweenness"],
            "page": actor_link(row["iri"]),
        }
        for i, row in enumerate(network.centrality(graph), start=1)
    ]


def actor_link(iri: str) -> str:
    """The relative URL of an actor's page on the dashboard.

    >>> actor_link("https://w3id.org/policygraph/id/actor/country/GB")
    'actor?actor=country%2FGB'
    """
    return "actor?" + urlencode({"actor": actor_key(iri)})


def find_actor(actors: Mapping[str, Mapping[str, Any]], wanted: str | None) -> str | None:
    """The IRI of the actor named by a URL key, IRI, ISO code, label or mention, or None.

    >>> find_actor({"https://x/actor/country/GB": {"label": "United Kingdom", "iso_code": "GB",
    ...             "mentions": ["UK"]}}, "uk")
    'https://x/actor/country/GB'
    """
    if not wanted:
        return None
    folded = wanted.strip().casefold()
    for iri, actor in actors.items():
        names = [
            iri,
            actor_key(iri),
            actor.get("label") or "",
            actor.get("iso_code") or "",
            *(actor.get("mentions") or []),
        ]
        if folded in (str(name).casefold() for name in names):
            return iri
    return None


def actor_page(
    actor: Mapping[str, Any],
    deals: Iterable[Mapping[str, Any]],
    statements: Iterable[Mapping[str, Any]],
    mentioned_in: Iterable[Mapping[str, Any]],
) -> dict[str, Any]:
    """Everything known about one actor: its facts, deals, payments out and in, statements,
    and the articles that mention it."""
    record = actor_detail(actor, deals, statements)
    iri = actor["iri"]
    out, into = [], []
    for deal in deals:
        for payer in deal.get("payers", []):
            for payee in deal.get("payees", []):
                row = {
                    "deal": deal["label"],
                    "status": deal["status"],
                    "amount": deal.get("amount") or "",
                    "last reported": deal.get("last_reported") or "",
                }
                if payer["iri"] == iri:
                    out.append({"to": payee["label"], **row, "page": actor_link(payee["iri"])})
                if payee["iri"] == iri:
                    into.append({"from": payer["label"], **row, "page": actor_link(payer["iri"])})
    record["pays"] = out
    record["paid_by"] = into
    record["articles"] = [
        {
            "date": article.get("date") or "",
            "headline": article.get("headline") or "",
            "outlet": article.get("outlet") or "",
            "called": article.get("mentions") or "",
            "url": web_url(article.get("url")),
        }
        for article in mentioned_in
    ]
    return record


def actor_names(actors: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Every actor, IRI to ``label (type)``, sorted by label.

    >>> actor_names({"b": {"label": "Tunisia", "type": "Country"}, "a": {"label": "EU"}})
    {'a': 'EU (Actor)', 'b': 'Tunisia (Country)'}
    """
    named = {
        iri: f"{actor.get('label') or iri} ({actor.get('type') or UNKNOWN_TYPE})"
        for iri, actor in actors.items()
    }
    return dict(sorted(named.items(), key=lambda item: (item[1].casefold(), item[0])))


# --- the deal tracker -----------------------------------------------------------------


def search_deals(
    deals: Iterable[Mapping[str, Any]],
    text: str = "",
    since: str | None = None,
    until: str | None = None,
    paid_only: bool = False,
) -> list[Mapping[str, Any]]:
    """The deals whose label, actors, purposes, amount or evidence contain ``text``, that were
    reported at some time in ``[since, until]``, and (if ``paid_only``) have a payer.

    >>> deals = [{"label": "UK – Rwanda", "parties": [], "purposes": [], "sources": [],
    ...           "first_reported": "2022-04-14", "last_reported": "2024-07-22", "payers": []}]
    >>> len(search_deals(deals, "rwanda")), len(search_deals(deals, since="2025-01-01"))
    (1, 0)
    """
    term = text.strip().casefold()
    found = []
    for deal in deals:
        if paid_only and not deal.get("payers"):
            continue
        first = str(deal.get("first_reported") or "")[:10]
        last = str(deal.get("last_reported") or first)[:10]
        if since and (not last or last < since):
            continue
        if until and (not first or first > until):
            continue
        if term and not _matches(
            term,
            deal["label"],
            deal.get("amount"),
            *(readable(p) for p in deal.get("purposes", [])),
            *(a["label"] for role in ("parties", "criticised_by") for a in deal.get(role, [])),
            *(s.get("sentence") for s in deal.get("sources", [])),
        ):
            continue
        found.append(deal)
    return found


def reported_span(deals: Iterable[Mapping[str, Any]]) -> tuple[str, str] | None:
    """The first and last day any deal was reported, or None when no report is dated."""
    days = [
        str(deal[key])[:10]
        for deal in deals
        for key in ("first_reported", "last_reported")
        if deal.get(key)
    ]
    return (min(days), max(days)) if days else None


def sources_by_article(deal: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The deal's evidence grouped by source article, newest first: each with its headline,
    outlet, date, web URL, what status it reported and its sentences."""
    claimed = {c.get("article"): c.get("status") for c in deal.get("status_history", [])}
    grouped: dict[str, dict[str, Any]] = {}
    for source in deal.get("sources", []):
        article = str(source.get("article") or "")
        entry = grouped.setdefault(
            article,
            {
                **evidence_rows([source])[0],
                "status": claimed.get(article) or "",
                "sentences": [],
            },
        )
        sentence = source.get("sentence") or ""
        if sentence and sentence not in entry["sentences"]:
            entry["sentences"].append(sentence)
    for entry in grouped.values():
        del entry["sentence"]
    return sorted(grouped.values(), key=lambda e: (e["date"], e["headline"]), reverse=True)


def status_timeline(deal: Mapping[str, Any]) -> dict[str, Any]:
    """A Vega-Lite spec of the deal's status over time: one point per dated claim, on a
    status axis ordered from hinted to terminated, joined by a step line. The data is inline
    and text reaches the chart only as data (tooltips), never as markup."""
    values = [
        {"date": str(c["date"])[:10], "status": c["status"], "sentence": c.get("sentence") or ""}
        for c in deal.get("status_history", [])
        if c.get("date")
    ]
    encoding = {
        "x": {"field": "date", "type": "temporal", "title": "reported"},
        "y": {"field": "status", "type": "ordinal", "sort": list(STATUSES), "title": None},
    }
    return {
        "data": {"values": values},
        "height": 40 + 28 * len(STATUSES),
        "encoding": encoding,
        "layer": [
            {"mark": {"type": "line", "interpolate": "step-after", "color": "#999999"}},
            {
                "mark": {"type": "point", "filled": True, "size": 90},
                "encoding": {
                    "color": {"field": "status", "type": "nominal", "legend": None},
                    "tooltip": [
                        {"field": "date", "type": "temporal"},
                        {"field": "status", "type": "nominal"},
                        {"field": "sentence", "type": "nominal"},
                    ],
                },
            },
        ],
    }


def node_names(graph: nx.MultiDiGraph, within: Iterable[str] | None = None) -> dict[str, str]:
    """The actors of ``graph`` (or those of them in ``within``), id to label, sorted by label.

    >>> g = network.build([{"iri": "b", "label": "Tunisia"}, {"iri": "a", "label": "EU"}], [])
    >>> node_names(g)
    {'a': 'EU', 'b': 'Tunisia'}
    """
    nodes = graph.nodes if within is None else [n for n in within if n in graph]
    named = {node: _label(graph, node) for node in nodes}
    return dict(sorted(named.items(), key=lambda item: (item[1].casefold(), item[0])))


# --- curation ------------------------------------------------------------------------------

CORRECTION_COLUMNS = ["id", "change", "state", "agent", "time", "note"]


def correction_rows(
    corrections: Iterable[Correction],
    orphans: Iterable[Mapping[str, Any]],
    names: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Corrections as the Curation page and ``policygraph corrections`` list them: what each
    does in words, and whether it is active, undone, or orphaned (its target is gone)."""
    missing = {o["id"]: o["missing"] for o in orphans}
    rows = []
    for correction in corrections:
        record = correction.record()
        state = "undone" if record["undone"] else "active"
        if record["id"] in missing:
            gone = missing[record["id"]]
            state = f"orphaned ({prefixed(gone) or gone} is gone)"
        label = correction.label or describe(correction, names)
        time = str(record["time"])[:19].replace("T", " ")
        rows.append({**record, "change": label, "state": state, "time": time})
    return rows


def undoable(rows: Iterable[Mapping[str, Any]]) -> dict[int, str]:
    """The corrections that can still be undone, number to what a person reads."""
    return {
        int(row["id"]): f"{row['id']}: {row['change']}"
        for row in rows
        if not str(row["state"]).startswith("undone")
    }


def sentence_choices(sentences: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """An article's sentences to pick an added deal's evidence from: text to a shortened line."""
    return {
        str(s["text"]): (str(s["text"]) if len(s["text"]) <= 120 else str(s["text"])[:117] + "…")
        for s in sentences
    }


def fix_line(fix: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A queued fix in one line."""
    values = ", ".join(names.get(v, v) for v in fix["values"])
    return f"{fix['kind']} {names.get(fix['target'], fix['target'])}" + (
        f" → {values}" if values else ""
    )


def change_rows(log: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The change log as the Curation page shows it: times to the second, graphs prefixed."""
    return [
        {
            **row,
            "time": str(row["time"])[:19].replace("T", " "),
            "graph": prefixed(str(row["graph"])) or row["graph"],
        }
        for row in log
    ]
