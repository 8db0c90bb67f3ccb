"""Every cache of the dashboard, and nothing else: each function takes explicit arguments and
calls ``graph.*``.

Frames are keyed by ``(location, version)``. ``version`` is ``graph.view.store_version``, a
cheap token read from the store directory on every rerun without opening it; a commit by
``policygraph ingest`` changes it, so the next rerun recomputes the frames. Nothing needs a
restart. A SPARQL endpoint has no such token (``""``), so its frames expire after ``TTL``
seconds instead.

The store is deliberately not a cached resource: an embedded Oxigraph directory must not be
read while another process writes it, so each cache miss opens a read-only view under the
directory's shared lock and closes it when done (``graph.store.DirectoryLock``). An ingest
waits for that moment, and the dashboard waits for an ingest's commit, never the reverse.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx
import streamlit as st

from graph import view
from graph.core import PolicyGraph
from graph.errors import InputError
from graph.queries import NamedQuery, catalogue
from graph.store import Table

TTL = 60


def store_location() -> str:
    """The store to read: ``-- --store DIR``, else ``$POLICYGRAPH_STORE``, else ``data/store``."""
    return view.store_location(sys.argv, os.environ)


def store_version(location: str) -> str:
    """The store's current version token (cheap: no store is opened)."""
    return view.store_version(location)


@contextmanager
def reading(location: str) -> Iterator[PolicyGraph]:
    """The store at ``location``, open read-only for the duration of one computation."""
    with PolicyGraph.open(location, "read") as graph:
        yield graph


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def deals(location: str, version: str) -> list[dict[str, Any]]:
    """Every deal record."""
    with reading(location) as graph:
        return graph.deals()


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def actors(location: str, version: str) -> dict[str, dict[str, Any]]:
    """Every actor record by IRI."""
    with reading(location) as graph:
        return graph.actors()


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def articles(location: str, version: str) -> list[dict[str, Any]]:
    """Every ingested article."""
    with reading(location) as graph:
        return graph.articles()


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def network(location: str, version: str) -> nx.MultiDiGraph:
    """The actor network."""
    with reading(location) as graph:
        return graph.network()


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def elements(location: str, version: str) -> dict[str, list[dict[str, Any]]]:
    """The whole network as canvas elements with preset positions."""
    return view.network_elements(network(location, version), deals(location, version))


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def choices(location: str, version: str) -> dict[str, str]:
    """Every pickable canvas element, id to name."""
    return view.choices(network(location, version), deals(location, version))


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def detail(location: str, version: str, element: str | None) -> dict[str, Any] | None:
    """The detail record of one canvas element."""
    return view.detail(
        element,
        network(location, version),
        actors(location, version),
        deals(location, version),
        articles(location, version),
    )


@st.cache_data(show_spinner=False)
def queries() -> list[NamedQuery]:
    """The example queries of ``ontology/queries/``."""
    return catalogue()


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def run_query(location: str, version: str, text: str) -> Table:
    """A user's read-only SPARQL query over the store; updates raise ``InputError``."""
    view.refuse_update(text)
    with reading(location) as graph:
        table = graph.query(text)
    if table is None:  # only an update returns None, and refuse_update stopped those
        raise InputError("the dashboard is read-only")
    return table
