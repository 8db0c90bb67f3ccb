"""The change log: every write records what it changed, in the named graph ``id:changes``.

One ``pg:Change`` (a PROV-O activity) per named graph a write touched: its kind (``ingest``,
``reextract``, ``correct``, ``undo``, ``remove``, ``update``), when, who, and how many
triples it added and removed. The records are written in the same transaction as the write
itself, so the log never tells of a write that did not happen, nor misses one that did.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from rdflib import PROV, RDF, RDFS, XSD, Graph, Literal, URIRef

from graph.errors import InputError
from graph.store import as_stored
from graph.vocab import CHANGES, PG, agent_iri, change_iri

CHANGE_KINDS = ("ingest", "reextract", "correct", "undo", "remove", "update")


def canonical(graph: Graph) -> set[tuple[Any, Any, Any]]:
    """A graph's triples as the store keeps them (an integer subtype reads as xsd:integer),
    so a graph and what was written of it compare equal."""
    return set(as_stored(graph))


def counted(old: Graph, new: Graph) -> tuple[int, int]:
    """How many triples going from ``old`` to ``new`` adds and removes."""
    before, after = canonical(old), canonical(new)
    return len(after - before), len(before - after)


def log_graph(kind: str, agent: str, time: str, counts: Iterable[tuple[str, int, int]]) -> Graph:
    """The change-log records of one write: one per (named graph, added, removed)."""
    if kind not in CHANGE_KINDS:
        raise ValueError(kind)
    graph = Graph(identifier=CHANGES)
    who = agent_iri(agent)
    graph.add((who, RDF.type, PROV.Agent))
    graph.add((who, RDFS.label, Literal(agent)))
    for name, added, removed in counts:
        node = change_iri(time, name, kind)
        graph.add((node, RDF.type, PG.Change))
        graph.add((node, RDF.type, PROV.Activity))
        graph.add((node, PG.changeKind, Literal(kind)))
        graph.add((node, PG.changedGraph, URIRef(name)))
        graph.add((node, PG.triplesAdded, Literal(added, datatype=XSD.integer)))
        graph.add((node, PG.triplesRemoved, Literal(removed, datatype=XSD.integer)))
        graph.add((node, PROV.endedAtTime, Literal(time, datatype=XSD.dateTime)))
        graph.add((node, PROV.wasAssociatedWith, who))
    return graph


def parse_since(text: str | None) -> datetime | None:
    """``--since``: a date (``2026-12-01``, from its start) or a time
    (``2026-12-01T09:30:00Z``, UTC unless it names its offset); None for no bound."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    try:
        if "T" not in value:
            return datetime.combine(date.fromisoformat(value), time.min, UTC)
        return moment(value)
    except ValueError:
        raise InputError(
            f"--since {text!r}: not a date (2026-12-01) or a time (2026-12-01T09:30:00Z)"
        ) from None


def moment(value: str) -> datetime:
    """A stored xsd:dateTime as an aware datetime (UTC when it names no offset)."""
    found = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def records(
    rows: Iterable[Mapping[str, Any]], since: datetime | None = None
) -> list[dict[str, Any]]:
    """The change log's rows (``ontology/queries/changes.rq``) from ``since`` on, oldest
    first."""
    out = []
    for row in rows:
        try:
            when = moment(str(row["time"]))
        except ValueError:
            continue  # a hand-written record that is no time of ours
        if since is None or when >= since:
            record = {k: row[k] for k in ("time", "kind", "graph", "added", "removed", "agent")}
            out.append((when, record))
    out.sort(key=lambda item: (item[0], item[1]["graph"]))
    return [record for _, record in out]
