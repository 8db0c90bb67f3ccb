"""Every cache of the dashboard, and nothing else: each function takes explicit arguments and
calls ``graph.*``.

Frames are keyed by ``(location, version)``. ``version`` is ``graph.view.store_version``, a
cheap token read from the store directory on every rerun without opening it; a commit by
``policygraph ingest`` changes it, so the next rerun recomputes the frames. Nothing needs a
restart. A SPARQL endpoint has no such token, so its version is the current minute instead
(``ENDPOINT_REFRESH``): its frames are recomputed at most once a minute. Entries expire after
``TTL`` only to free memory; an unchanged store stays warm.

The store-wide records (actors, deals, articles, statements, the network) are cached as
resources: one shared copy, never copied per rerun (a 10,000-deal network is megabytes), so
nothing may mutate them; ``graph.view`` only reads them and builds new objects.

The store is deliberately not a cached resource: an embedded Oxigraph directory must not be
read while another process writes it, so each cache miss opens a read-only view under the
directory's shared lock and closes it when done (``graph.store.DirectoryLock``). An ingest
waits for that moment, and the dashboard waits for an ingest's commit, never the reverse.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx
import streamlit as st

from graph import geo, review, view
from graph.core import DealRows, PolicyGraph
from graph.curation import Overlay
from graph.extract import model_name
from graph.queries import NamedQuery, catalogue
from graph.sandbox import FETCH_LIMIT, Result, Sandbox

TTL = 6 * 3600
ENDPOINT_REFRESH = 60

# an analysis of the network: (name, first actor, second actor, radius), see ``view.focus``
Analysis = tuple[str, str | None, str | None, int]
WHOLE: Analysis = ("Actor network", None, None, 1)


def store_location() -> str:
    """The store to read: ``-- --store DIR``, else ``$POLICYGRAPH_STORE``, else ``data/store``."""
    return view.store_location(sys.argv, os.environ)


def store_version(location: str) -> str:
    """The store's current version token (cheap: no store is opened); for a SPARQL endpoint,
    which has no such token, the current minute."""
    return view.store_version(location) or f"t{int(time.time() // ENDPOINT_REFRESH)}"


@contextmanager
def reading(location: str, version: str | None = None) -> Iterator[PolicyGraph]:
    """The store at ``location``, open read-only for the duration of one computation; with a
    ``version``, the corrections of that version are read once and shared (``overlay``)."""
    with PolicyGraph.open(location, "read") as graph:
        if version is not None:
            graph.adopt(overlay(location, version))
        yield graph


@st.cache_resource(ttl=TTL, max_entries=4, show_spinner=False)
def overlay(location: str, version: str) -> Overlay:
    """The analysts' corrections and the register's folds, read once per store version."""
    with reading(location) as graph:
        return graph.overlay()


@st.cache_resource(ttl=TTL, max_entries=4, show_spinner=False)
def deal_rows(location: str, version: str) -> DealRows:
    """The rows the deals and the network are both assembled from, read once."""
    with reading(location, version) as graph:
        return graph.deal_rows()


@st.cache_resource(ttl=TTL, max_entries=4, show_spinner=False)
def deals(location: str, version: str) -> list[dict[str, Any]]:
    """Every deal record."""
    known, rows = actors(location, version), deal_rows(location, version)
    with reading(location, version) as graph:
        return graph.deals(actors=known, rows=rows)


@st.cache_resource(ttl=TTL, max_entries=4, show_spinner=False)
def actors(location: str, version: str) -> dict[str, dict[str, Any]]:
    """Every actor record by IRI, with the corrections applied."""
    with reading(location, version) as graph:
        return graph.actors()


@st.cache_resource(ttl=TTL, max_entries=4, show_spinner=False)
def articles(location: str, version: str) -> list[dict[str, Any]]:
    """Every ingested article."""
    with reading(location) as graph:
        return graph.articles()


@st.cache_resource(ttl=TTL, max_entries=4, show_spinner=False)
def network(location: str, version: str) -> nx.MultiDiGraph:
    """The actor network."""
    known, rows = actors(location, version), deal_rows(location, version)
    with reading(location, version) as graph:
        return graph.network(actors=known, rows=rows)


@st.cache_resource(ttl=TTL, max_entries=4, show_spinner=False)
def statements(location: str, version: str) -> list[dict[str, Any]]:
    """Every statement with its speaker, quote and sentence."""
    with reading(location, version) as graph:
        return graph.statements()


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def articles_mentioning(location: str, version: str, actor: str) -> list[dict[str, Any]]:
    """The articles that mention one actor."""
    with reading(location, version) as graph:
        return graph.articles_mentioning(actor)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def date_span(location: str, version: str) -> tuple[str, str] | None:
    """The first and last source date on any link."""
    return view.date_span(network(location, version))


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def selection(location: str, version: str, chosen: view.NetworkFilter) -> nx.MultiDiGraph:
    """The part of the network the page's filters choose."""
    return view.select_network(network(location, version), deals(location, version), chosen)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def drawn(
    location: str, version: str, chosen: view.NetworkFilter, analysis: Analysis
) -> nx.MultiDiGraph:
    """The network an analysis draws from the selection."""
    return view.focus(selection(location, version, chosen), *analysis)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def elements(
    location: str, version: str, chosen: view.NetworkFilter, analysis: Analysis, layout: str
) -> dict[str, list[dict[str, Any]]]:
    """The drawn network as canvas elements, with positions computed once (networkx)."""
    return view.network_elements(
        drawn(location, version, chosen, analysis), deals(location, version), layout
    )


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def choices(
    location: str, version: str, chosen: view.NetworkFilter, analysis: Analysis, layout: str
) -> dict[str, str]:
    """Every pickable canvas element, id to name."""
    return view.choices(elements(location, version, chosen, analysis, layout))


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def centrality(location: str, version: str, chosen: view.NetworkFilter) -> list[dict[str, Any]]:
    """The centrality ranking of the selection."""
    return view.centrality_rows(selection(location, version, chosen))


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def detail(
    location: str,
    version: str,
    chosen: view.NetworkFilter,
    analysis: Analysis,
    element: str | None,
) -> dict[str, Any] | None:
    """The detail record of one canvas element."""
    return view.detail(
        element,
        drawn(location, version, chosen, analysis),
        actors(location, version),
        deals(location, version),
        articles(location, version),
        statements(location, version),
    )


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def actor_page(location: str, version: str, actor: str) -> dict[str, Any] | None:
    """Everything known about one actor, or None if the store has no such actor."""
    record = actors(location, version).get(actor)
    if record is None:
        return None
    return view.actor_page(
        record,
        deals(location, version),
        statements(location, version),
        articles_mentioning(location, version, actor),
    )


@st.cache_data(show_spinner=False)
def queries() -> list[NamedQuery]:
    """The example queries of ``ontology/queries/``."""
    return catalogue()


@st.cache_resource(show_spinner=False)
def sandbox() -> Sandbox:
    """The child process that runs the SPARQL page's queries, stopped at the timeout."""
    return Sandbox(timeout=view.QUERY_TIMEOUT, limit=FETCH_LIMIT)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def run_query(location: str, version: str, text: str) -> Result:
    """A user's read-only SPARQL query over the store; updates, errors and queries that run
    past the timeout raise a one-line ``PolicyGraphError``."""
    view.refuse_update(text)
    return sandbox().run(location, text)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def result_elements(
    location: str, version: str, text: str, source: str, target: str
) -> dict[str, list[dict[str, Any]]]:
    """A query result with two IRI columns as a graph, with positions computed once."""
    table = run_query(location, version, text).table
    return view.result_elements(table, source, target, actors(location, version))


# --- ingest ---
# The Ingest page reads articles without the store (extraction takes seconds and must not hold
# the store's lock), keeps each review in the session as plain data (``Review.to_state``), and
# opens the store for writing only for the moment of a commit.


def ingest_model() -> str:
    """The spaCy model package to extract with: ``$POLICYGRAPH_MODEL``, else the default."""
    return model_name()


@st.cache_resource(show_spinner=False, max_entries=2)
def ingest_extractor(model: str) -> PolicyGraph:
    """A ``PolicyGraph`` that only extracts (it never opens a store), shared by every session,
    with its spaCy pipeline loaded here, once (Streamlit runs this under a lock)."""
    extractor = PolicyGraph(None, model)
    _ = extractor.nlp
    return extractor


def ingest_review(
    model: str,
    text: str | None,
    files: list[tuple[str, bytes]],
    date: str | None,
    url: str | None,
    outlet: str | None,
) -> list[dict[str, Any]]:
    """Review pasted text and uploaded ``(name, bytes)`` files; each review as plain data."""
    found = review.review_inputs(ingest_extractor(model), text, files, date, url, outlet)
    return [item.to_state() for item in found]


def ingest_commit(
    location: str, reviews: list[dict[str, Any]], fixes: list[dict[str, Any]] | None = None
) -> str:
    """Write reviewed articles to the store in one transaction, then the fixes made in the
    review as corrections; the line saying what was written."""
    report = review.commit(
        location,
        [review.Review.from_state(state) for state in reviews],
        [review.Fix.from_state(fix) for fix in fixes or []],
    )
    return review.commit_message(report)


def ingest_fix_targets(reviews: list[dict[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
    """The reviewed articles' actors and deals, IRI to label, for the fixes form."""
    return review.fix_targets([review.Review.from_state(state) for state in reviews])


# --- map ---


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def map_arcs(location: str, version: str, statuses: tuple[str, ...]) -> list[dict[str, Any]]:
    """Payer → payee arcs between places, over the deals with one of ``statuses``."""
    return geo.map_arcs(deals(location, version), statuses)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def map_spec(location: str, version: str, statuses: tuple[str, ...]) -> dict[str, Any]:
    """The world map of those arcs as a Vega-Lite spec, its data inline."""
    return geo.map_spec(map_arcs(location, version, statuses))


# --- curation ---
# Corrections are written through the facade, opened for writing only for the moment of the
# write; the next rerun sees the store's new version and recomputes every frame.


def agent_default() -> str:
    """Whom the dashboard's corrections are attributed to until the analyst says: the OS user."""
    from graph.core import default_agent

    return default_agent()


def correct(
    location: str, agent: str, kind: str, target: str, values: list[str], **options: Any
) -> str:
    """Make one correction; the line saying what was done."""
    with PolicyGraph.open(location, "write", agent=agent) as graph:
        made = graph.correct(kind, target, values, **options)
    return f"Correction {made.number}: {made.label}"


def undo(location: str, agent: str, number: int) -> str:
    """Undo one correction; the line saying what was undone."""
    with PolicyGraph.open(location, "write", agent=agent) as graph:
        done = graph.undo(number)
    return f"Undone correction {done.number}: {done.label or done.kind}"


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def corrections(location: str, version: str) -> list[dict[str, Any]]:
    """Every correction as a row, with its state (active, undone, orphaned)."""
    with reading(location, version) as graph:
        return view.correction_rows(graph.corrections(), graph.orphans(), graph.names())


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def proposals(location: str, version: str) -> list[dict[str, Any]]:
    """The register's probable merges."""
    with reading(location, version) as graph:
        return graph.proposals()


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def changes(location: str, version: str, since: str | None) -> list[dict[str, Any]]:
    """The change log from ``since`` on."""
    with reading(location, version) as graph:
        return graph.changes(since)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def changed_deals(location: str, version: str, since: str) -> set[str]:
    """The deals changed since ``since``."""
    with reading(location, version) as graph:
        return graph.changed_deals(since)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def article_sentences(location: str, version: str, article: str) -> list[dict[str, Any]]:
    """The sentences of one stored article, to choose evidence from."""
    with reading(location, version) as graph:
        return graph.article_sentences(article)
