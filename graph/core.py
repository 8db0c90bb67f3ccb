"""The one facade over the pipeline: the CLI and the dashboard both call ``PolicyGraph``.

article → extract → rdf → store → network. Nothing here prints or draws; callers do.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import RDFS, SDO, Dataset, Graph, URIRef

from graph import changes, curation, network, queries
from graph.article import (
    Metadata,
    check_text,
    parse_article,
    parse_date,
    parse_url,
    read_text,
    rebuild_article,
    replace_undecodable,
)
from graph.curation import CURATED, Correction, Overlay
from graph.errors import ExtractionError, InputError, PolicyGraphError
from graph.model import Article, Extraction, status_rank
from graph.rdf import to_graph
from graph.store import Mode, Store, Table, open_store, trial_update
from graph.validate import check
from graph.vocab import CHANGES, CLASS_ACTOR_TYPE, CURATION, PREFIXES, expand

# export format -> rdflib serialiser; Turtle has no named graphs, so it gets their union
EXPORT_FORMATS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}
DATASET_FORMATS = ("trig", "nquads", "jsonld")


@dataclass
class Prepared:
    """One article read, extracted and validated, not yet written."""

    source: str
    extraction: Extraction
    graph: Graph


@dataclass(frozen=True)
class DealRows:
    """The rows of the four deal queries (``ontology/queries/deal-*.rq``), read once and
    shared by ``PolicyGraph.deals`` and ``PolicyGraph.network``."""

    claims: list[dict[str, Any]]
    roles: list[dict[str, Any]]
    details: list[dict[str, Any]]
    evidence: list[dict[str, Any]]


@dataclass
class IngestReport:
    """What an ingest wrote."""

    articles: list[Prepared] = field(default_factory=list)
    fixes: int = 0  # corrections made with the write (the Ingest page's fixes)

    @property
    def triples(self) -> int:
        """How many triples were written."""
        return sum(len(p.graph) for p in self.articles)


def _number(value: Any) -> float | None:
    """A stored amount as a number; None where it is missing or no number (a hand-written
    update may store anything)."""
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def default_agent() -> str:
    """Whom a correction or change is attributed to unless ``--as`` says: the OS user."""
    import getpass

    try:
        return getpass.getuser() or "analyst"
    except (KeyError, OSError):  # no name for this uid (a container's user)
        return "analyst"


class PolicyGraph:
    """policygraph over one store: ingest articles, read deals and actors, query, analyse."""

    def __init__(
        self,
        store: Store | None = None,
        model: str | None = None,
        *,
        location: str | None = None,
        mode: Mode = "read",
        agent: str | None = None,
    ) -> None:
        self._store = store
        self.location = location
        self.mode = mode
        self.model = model
        self.agent = agent or default_agent()
        self._nlp: Any = None
        self._overlay: Overlay | None = None

    @classmethod
    def open(
        cls,
        location: str | None,
        mode: Mode = "read",
        model: str | None = None,
        agent: str | None = None,
    ) -> PolicyGraph:
        """policygraph over the store at ``location`` (a directory or a SPARQL endpoint URL);
        its writes are attributed to ``agent`` (default: the OS user).

        The store itself is opened on first use, so extraction (seconds) never holds it.
        """
        return cls(None, model, location=location, mode=mode, agent=agent)

    @property
    def store(self) -> Store:
        """The store, opened on first use."""
        if self._store is None:
            self._store = open_store(self.location, self.mode)
        return self._store

    def close(self) -> None:
        """Close the store, if it was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> PolicyGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ------------------------------------------------------------------------

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline, loaded on first use."""
        if self._nlp is None:
            from graph.extract import load_pipeline

            self._nlp = load_pipeline(self.model)
        return self._nlp

    def extract(
        self, article: Article, progress: Callable[[int], None] | None = None
    ) -> Extraction:
        """Read actors, deals and statements from a parsed article with the NLP pipeline;
        ``progress(n)`` is told of every ``n`` sentences parsed."""
        from graph.extract import extract

        return extract(article, self.nlp, progress)

    def extract_text(
        self,
        text: str,
        meta: Metadata,
        source: str,
        progress: Callable[[int], None] | None = None,
    ) -> Extraction:
        """Parse and extract one article's text, not validated; a crash is one line."""
        return self.extract_article(parse_article(text, meta), source, progress)

    def extract_article(
        self, article: Article, source: str, progress: Callable[[int], None] | None = None
    ) -> Extraction:
        """Extract a parsed article, not validated; a crash is one line."""
        try:
            return self.extract(article, progress)
        except PolicyGraphError:
            raise
        except Exception as error:  # a bug must still leave the user one line and the store
            raise ExtractionError(
                f"{source}: extraction failed ({type(error).__name__}: {error}); "
                "nothing was written, please report this article"
            ) from error

    def prepare_text(self, text: str, meta: Metadata, source: str) -> Prepared:
        """Parse, extract and validate one article's text; nothing is written."""
        return self._prepare(self.extract_text(text, meta, source), source)

    @staticmethod
    def _prepare(extraction: Extraction, source: str) -> Prepared:
        graph = to_graph(extraction)
        check(graph, source)
        return Prepared(source, extraction, graph)

    def prepare_files(
        self,
        paths: Sequence[Path],
        date: str | None = None,
        url: str | None = None,
        outlet: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Prepared]:
        """Read and check every file first, so one bad file stops the ingest before any write.

        ``progress(done, total)`` counts sentences parsed, over every file."""
        published = parse_date(date)
        url = parse_url(url)
        if outlet is not None:
            check_text(outlet, "--outlet")
        texts = [(path, read_text(path)) for path in paths]
        if url and len(paths) > 1:
            raise InputError("--url: names one article, but several files were given")
        articles = [
            (
                path,
                parse_article(
                    text, Metadata(published, url, outlet, replace_undecodable(path.name))
                ),
            )
            for path, text in texts
        ]
        total = sum(len(article.sentences) for _, article in articles)
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress(done, total)

        return [
            self._prepare(self.extract_article(article, str(path), advance), str(path))
            for path, article in articles
        ]

    def write(self, prepared: Sequence[Prepared], kind: str = "ingest") -> IngestReport:
        """Write prepared articles in one transaction, replacing their earlier graphs, with
        the change log's record of what each write added and removed."""
        graphs = [p.graph for p in prepared]
        self.store.replace_graphs(graphs, self._log(kind, graphs))
        self._overlay = None
        return IngestReport(list(prepared))

    def _log(
        self,
        kind: str,
        graphs: Sequence[Graph],
        removed: Sequence[str] = (),
        before: Mapping[str, Graph] | None = None,
    ) -> Graph:
        """The change-log records of writing ``graphs`` (replacing what is stored under their
        names, read unless ``before`` has it) and dropping the graphs named ``removed``."""
        counts = []
        for graph in graphs:
            name = str(graph.identifier)
            old = (before or {}).get(name)
            if old is None:
                old = self.store.graph_triples(name)
            added, dropped = changes.counted(old, graph)
            counts.append((name, added, dropped))
        for name in removed:
            counts.append((name, 0, len(self.store.graph_triples(name))))
        log = changes.log_graph(kind, self.agent, curation.now(), counts)
        check(log, f"change log of {kind}")
        return log

    def ingest(self, paths: Sequence[Path], **options: Any) -> IngestReport:
        """Ingest article files: all of them or, on any error, none."""
        return self.write(self.prepare_files(paths, **options))

    # --- reading ------------------------------------------------------------------------

    def select(self, name: str, **bindings: Any) -> list[dict[str, Any]]:
        """Run a stored query from ``ontology/queries/`` with bound values, as plain rows."""
        bound = {k: v for k, v in bindings.items() if v is not None}
        return self.store.select(queries.load(name), bound).values()

    def query(self, text: str, update: bool = False, limit: int | None = None) -> Table | None:
        """Run a user's SPARQL: read-only unless ``update`` is true; a query's first
        ``limit`` rows only, if given (the rest are never computed where the query allows)."""
        if queries.is_update(text):
            if not update:
                raise InputError("query: this is a SPARQL update; pass --update to run it")
            self.update(text)
            return None
        return self.store.select(text, limit=limit)

    def update(self, text: str, before_write: Callable[[], None] | None = None) -> list[str]:
        """Run a user's SPARQL update as an ingest is run: tried first on a copy of the store,
        then every named graph it changed is checked against the SHACL shapes, and only if all
        conform are those graphs written, in one transaction. Returns the changed graphs.

        policygraph keeps the default graph empty, so an update that writes there is refused.
        ``before_write`` is called once the update has been checked, just before the write.
        """
        changed = trial_update(self.store, text)
        for graph in changed:
            check(graph.graph, f"update of graph <{graph.name}>")
        log = self._log("update", [c.graph for c in changed])
        if before_write is not None:
            before_write()
        self.store.write_changed(changed, log)
        self._overlay = None
        return [str(graph.name) for graph in changed]

    def actors(self) -> dict[str, dict[str, Any]]:
        """Every actor by IRI, with the corrections applied: the CLI's Actor record plus
        ``mentions``."""
        raw = self.raw_actors()
        return self.overlay(raw).apply_actors(raw)

    def raw_actors(self) -> dict[str, dict[str, Any]]:
        """Every actor by IRI as extraction stored it: the CLI's Actor record plus
        ``mentions``.

        Where articles disagree on a fact (two labels for one IRI), the first in sort order
        is kept, so the result does not depend on the order the store returns rows in."""
        facts: dict[str, dict[str, set[str]]] = {}
        types: dict[str, str] = {}
        for row in self.select("actors"):
            iri = row["actor"]
            types[iri] = min(types.get(iri, row["type"]), row["type"])
            facts.setdefault(iri, {}).setdefault(_local(row["property"]), set()).add(row["value"])

        def first(values: set[str] | None) -> str | None:
            return min(values) if values else None

        found: dict[str, dict[str, Any]] = {}
        for iri in sorted(facts, key=lambda i: (first(facts[i].get("label")) or i, i)):
            known = facts[iri]
            found[iri] = {
                "iri": iri,
                "label": first(known.get("label")) or _local(iri),
                "type": CLASS_ACTOR_TYPE.get(types[iri], _local(types[iri])),
                "iso_code": first(known.get("isoCode")),
                "wikidata": first(known.get("sameAs")),
                "part_of": first(known.get("partOf")),
                "role": first(known.get("role")),
                "mentions": sorted(known.get("mentionedAs", ())),
            }
        return found

    def entities(self) -> list[dict[str, Any]]:
        """Every actor with its mentions, sorted by type then label (the ``entities`` JSON)."""
        keys = ("iri", "label", "type", "iso_code", "wikidata", "mentions")
        records = [{k: a[k] for k in keys} for a in self.actors().values()]
        return sorted(records, key=lambda a: (a["type"], a["label"]))

    def deal_rows(self, deal: str | None = None, overlay: Overlay | None = None) -> DealRows:
        """The rows every deal record and deal link is assembled from (or one deal's), with
        the corrections (``overlay``, read from the store unless given) applied.

        The four queries run side by side: the store answers them in parallel (about 1.7 times
        faster on two cores for a store of 10,000 deals)."""
        overlay = self.overlay() if overlay is None else overlay
        # a corrected deal may gather rows stored under other IRIs: read those IRIs' rows
        stored = overlay.deal_sources(deal) if deal else [None]
        names = ("deal-claims", "deal-roles", "deal-details", "deal-evidence")
        _ = self.store  # open it here, once, before the threads share it
        with ThreadPoolExecutor(max_workers=len(names)) as pool:
            found = list(
                pool.map(
                    lambda name: [
                        row
                        for iri in stored
                        for row in self.select(name, deal=URIRef(iri) if iri else None)
                    ],
                    names,
                )
            )
        rows = DealRows(*found)
        if overlay.empty:
            return rows
        claims, roles, evidence = rows.claims, rows.roles, rows.evidence
        if overlay.added:  # added deals' rows, read like the stored ones: a later correction
            articles = {a["article"]: a for a in self.articles()}  # of one applies to them
            added = overlay.added_rows(articles, self.actors())
            claims, roles, evidence = claims + added[0], roles + added[1], evidence + added[2]
        claims = overlay.apply_claims(claims)
        roles = overlay.apply_roles(roles, claims)
        evidence = overlay.apply_evidence(evidence)
        rows = DealRows(claims, roles, overlay.apply_details(rows.details), evidence)
        if deal:
            rows = DealRows(
                *([r for r in part if r["deal"] == deal] for part in rows.__dict__.values())
            )
        return rows

    # --- corrections ----------------------------------------------------------------------

    def corrections(self) -> list[Correction]:
        """Every correction made, oldest first, undone ones included."""
        return curation.from_rows(self.select("corrections"))

    def adopt(self, overlay: Overlay) -> None:
        """Apply ``overlay`` (corrections a cache already read) instead of reading them."""
        self._overlay = overlay

    def overlay(self, raw: Mapping[str, Mapping[str, Any]] | None = None) -> Overlay:
        """The corrections and the register's folds, ready to apply (read once per facade;
        a write through the facade reads them again)."""
        if self._overlay is None:
            self._overlay = Overlay.build(
                self.corrections(), self.raw_actors() if raw is None else raw
            )
        return self._overlay

    def proposals(self) -> list[dict[str, Any]]:
        """The register's probable merges, for the analyst to accept (``merge-actors``) or
        reject (``keep-apart``)."""
        raw = self.raw_actors()
        actors = self.overlay(raw).apply_actors(raw)
        return [p.record(actors) for p in self.overlay().proposals]

    def correct(
        self,
        kind: str,
        target: str,
        values: Sequence[str] = (),
        *,
        into: str | None = None,
        articles: Sequence[str] = (),
        date: str | None = None,
        note: str | None = None,
        payers: Sequence[str] = (),
        payees: Sequence[str] = (),
        sentence: str | None = None,
        status: str | None = None,
    ) -> Correction:
        """Make one correction (see ``graph.curation.KINDS``): every name is resolved the way
        the CLI resolves it (an IRI, prefixed name, label, ISO code or mention), the values
        are checked, and the correction is validated under SHACL before it is written to
        ``id:curation`` with its change-log record, in one transaction."""
        if kind not in curation.KINDS:
            raise InputError(f"correct: unknown kind {kind!r}; use {', '.join(curation.KINDS)}")
        for text in (target, *values, *(into or "",), *articles, note or "", sentence or ""):
            check_text(text, kind)
        actor_kind = kind in curation.ACTOR_KINDS
        # everything a correction checks against is read once: on a large store every read
        # is a pass over it
        actors = self.actors()
        deals: dict[str, dict[str, Any]] = {}  # the deals read so far, by IRI
        every = [False]  # whether all of them have been read

        def actor(name: str) -> str:
            return self.resolve_actor(name, actors)

        def resolve(name: str) -> str:
            if actor_kind:
                return actor(name)
            wanted = expand(name.strip())
            if wanted.startswith(PREFIXES["id"] + "deal/"):  # an IRI: read that deal alone
                deals.update({d["iri"]: d for d in self.deals(wanted, actors=actors)})
                if wanted in deals:
                    return wanted
            if not every[0]:
                deals.update({d["iri"]: d for d in self.deals(actors=actors)})
                every[0] = True
            return self.resolve_deal(name, list(deals.values()))

        number = max((c.number for c in self.corrections()), default=0) + 1
        previous: tuple[str, ...] = ()
        fields: dict[str, Any] = {}
        if kind == "add-deal":
            parties = [actor(v) for v in [target, *values]]
            if len(set(parties)) < 2:
                raise InputError("add-deal: a deal has at least two parties")
            fields["payers"] = tuple(actor(v) for v in payers)
            fields["payees"] = tuple(actor(v) for v in payees)
            article = self._one_article(articles, kind)
            fields["evidence"] = self._sentence(article, sentence, kind)
            fields["status"] = status or "proposed"
            if fields["status"] not in curation.STATUSES:
                raise InputError(
                    f"add-deal: status {status!r} is none of {', '.join(curation.STATUSES)}"
                )
            iri = curation.added_deal_iri(number, parties)
            values, articles = tuple(sorted(set(parties))), (article,)
        else:
            iri = resolve(target)
            if kind in curation.ROLE_KINDS:
                values = tuple(sorted({actor(v) for v in values}))
                self._check_roles(kind, deals.get(iri), values, actors)
            values = curation.check_values(kind, tuple(values))
            if into is not None:
                into = resolve(into)
                if into == iri:
                    raise InputError(f"{kind}: {target!r} and the other name one and the same")
            elif kind in curation.MERGES:
                raise InputError(f"{kind}: name the other {'actor' if actor_kind else 'deal'}")
            if kind in ("split-actor", "split-deal"):
                articles = tuple(self.resolve_article(a)["article"] for a in articles)
                if not articles:
                    raise InputError(f"{kind}: name the articles whose reports are to split off")
            if kind == "split-deal":
                reported = {s["article"] for s in deals[iri]["sources"]}
                if reported and set(articles) >= reported:
                    raise InputError(
                        "split-deal: these are all the articles that report it; name only "
                        "those that report the other deal"
                    )
            if kind == "split-actor":
                label = " ".join(values[0].split()) if values else ""
                if not label:
                    raise InputError("split-actor: give the new actor's name")
                new_type = values[1] if len(values) > 1 else actors[iri]["type"]
                if new_type not in curation.ACTOR_TYPES:
                    raise InputError(f"split-actor: {new_type!r} is no actor type")
                fields["new_type"] = new_type
                values = (label,)
            if kind == "set-status":
                date = (parse_date(date) or datetime.now(UTC).date()).isoformat()
            previous = self._previous(kind, iri, actors, deals.get(iri))
        correction = Correction(
            number=number,
            kind=kind,
            target=iri,
            agent=self.agent,
            time=curation.now(),
            into=into,
            values=tuple(values),
            articles=tuple(articles),
            date=date,
            note=" ".join(note.split()) if note and note.strip() else None,
            previous=previous,
            **fields,
        )
        names = self.names(actors, list(deals.values()))
        correction = replace(correction, label=curation.describe(correction, names))
        self._write_curation(curation.to_triples(correction), "correct")
        return correction

    def undo(self, number: int | str) -> Correction:
        """Undo a correction (by its number or IRI): it stays on record, marked undone by
        whom and when, and is no longer applied."""
        text = expand(str(number).strip())
        base = PREFIXES["id"] + "correction/"
        wanted = text.removeprefix(base) if text.startswith(base) else text
        found = next((c for c in self.corrections() if str(c.number) == wanted), None)
        if found is None:
            raise InputError(
                f"undo {number}: no such correction; `policygraph corrections` lists them"
            )
        if not found.active:
            raise InputError(f"undo {number}: already undone ({found.undone} by {found.undone_by})")
        done = curation.undone(found, self.agent)
        self._write_curation(curation.to_triples(done), "undo")
        return done

    def _check_roles(
        self,
        kind: str,
        record: Mapping[str, Any] | None,
        values: tuple[str, ...],
        actors: Mapping[str, Any],
    ) -> None:
        """A payer or payee is a party of the deal (pg:payer and pg:payee are sub-properties
        of pg:party): name a new one a party first."""
        if kind not in ("set-payers", "set-payees") or record is None:
            return
        parties = {a["iri"] for a in record["parties"]}
        for actor in values:
            if actor not in parties:
                name = actors.get(actor, {}).get("label", actor)
                raise InputError(
                    f"{kind}: {name} is not a party of {record['label']}; "
                    "set its parties first (set-parties)"
                )

    def _write_curation(self, triples: Graph, kind: str) -> None:
        """Add one correction's triples to ``id:curation``. They are validated on their own
        (each correction is a whole node with its agent, and the shapes look at nothing
        else), so the check does not grow with the corrections already stored."""
        check(triples, kind)
        stored = self.store.graph_triples(str(CURATION))
        graph = Graph(identifier=CURATION)
        for triple in (*stored, *triples):
            graph.add(triple)
        self.store.replace_graphs([graph], self._log(kind, [graph], before={str(CURATION): stored}))
        self._overlay = None

    def _one_article(self, articles: Sequence[str], kind: str) -> str:
        if len(articles) != 1:
            raise InputError(f"{kind}: name the one article the evidence sentence is in")
        return str(self.resolve_article(articles[0])["article"])

    def _sentence(self, article: str, sentence: str | None, kind: str) -> tuple[int, int, str]:
        """The evidence sentence chosen from the stored article, with its offsets."""
        text = self.stored_article(self.resolve_article(article)).text
        wanted = " ".join((sentence or "").split())
        if not wanted:
            raise InputError(f"{kind}: give the evidence sentence, as the article writes it")
        start = text.find(wanted)
        if start < 0:
            raise InputError(f"{kind}: the sentence {wanted[:60]!r} is not in that article")
        return start, start + len(wanted), wanted

    def _previous(
        self,
        kind: str,
        iri: str,
        actors: Mapping[str, Any],
        record: Mapping[str, Any] | None,
    ) -> tuple[str, ...]:
        """What a correction replaces, as it read before it."""
        if kind in curation.ACTOR_KINDS:
            field_name = {"retype": "type", "rename": "label", "set-iso": "iso_code"}.get(kind)
            field_name = field_name or ("wikidata" if kind == "set-wikidata" else None)
            value = actors[iri].get(field_name) if field_name else None
            return (str(value),) if value else ()
        if record is None:
            return ()
        if kind in curation.ROLE_KINDS:
            key = {"party": "parties", "critic": "criticised_by"}.get(
                curation.ROLE_KINDS[kind], curation.ROLE_KINDS[kind] + "s"
            )
            return tuple(a["iri"] for a in record[key])
        value = {"set-status": record["status"], "set-amount": record["amount"]}.get(kind)
        if kind == "set-purposes":
            return tuple(record["purposes"])
        return (str(value),) if value else ()

    def names(
        self,
        actors: Mapping[str, Mapping[str, Any]] | None = None,
        deals: Sequence[Mapping[str, Any]] | None = None,
    ) -> dict[str, str]:
        """Every actor's and deal's label by IRI, as users read them (for messages), and the
        stored labels of those the corrections merged away or deleted. ``actors`` and
        ``deals`` are read unless the caller has them."""
        found = {iri: str(a["label"]) for iri, a in self.raw_actors().items()}
        found.update({iri: str(a["label"]) for iri, a in (actors or self.actors()).items()})
        found.update({str(r["deal"]): str(r["label"]) for r in self.select("deal-claims")})
        found.update({d["iri"]: d["label"] for d in (deals if deals is not None else self.deals())})
        return found

    def orphans(self) -> list[dict[str, Any]]:
        """The active corrections whose target no longer exists in the stored graph (after a
        re-extraction with newer rules, or a removed article), each with what is missing."""
        overlay = self.overlay()
        raw = self.raw_actors()
        deals = {r["deal"] for r in self.select("deal-claims")}
        articles = {a["article"] for a in self.articles()}
        return [
            {**c.record(), "missing": missing}
            for c, missing in overlay.orphans(raw, deals, articles)
        ]

    def stored_article(self, row: Mapping[str, Any]) -> Article:
        """The ``Article`` an article's stored graph holds (``row`` as ``articles`` gives it):
        its text split into sentences as extraction split it, with its metadata."""
        graph = self.store.graph_triples(str(row["article"]))
        node = URIRef(row["article"])
        authors = [
            str(graph.value(a, RDFS.label))
            for a in sorted(graph.objects(node, SDO.author), key=str)
        ]
        standfirst = graph.value(node, SDO.abstract)
        published = graph.value(node, SDO.datePublished)
        meta = Metadata(
            parse_date(str(published)) if published else None,
            str(row["url"]) if row.get("url") else None,
            None,
            str(row["source"]) if row.get("source") else None,
        )
        return rebuild_article(
            str(graph.value(node, SDO.articleBody) or row["headline"]),
            str(standfirst) if standfirst else None,
            meta,
            " and ".join(authors) or None,
            str(row["outlet"]) if row.get("outlet") else None,
        )

    def article_sentences(self, article: str) -> list[dict[str, Any]]:
        """The sentences of a stored article (named as ``resolve_article`` takes it), as
        extraction splits them, each with its offsets: what evidence may be chosen from."""
        parsed = self.stored_article(self.resolve_article(article))
        return [
            {"start": s.start, "end": s.end, "text": s.text, "part": s.part}
            for s in parsed.sentences
        ]

    def changed_deals(self, since: str) -> set[str]:
        """The deals something changed for since ``since`` (a date or time): reported by an
        article ingested, re-extracted or removed since, or corrected since."""
        moment = changes.parse_since(since)
        graphs = {c["graph"] for c in self.changes(since)}
        found = {r["deal"] for r in self.deal_rows().claims if r["article"] in graphs}
        for c in self.corrections():
            times = [c.time, *([c.undone] if c.undone else [])]
            recent = moment is None or any(changes.moment(t) >= moment for t in times)
            if c.kind in curation.DEAL_KINDS and recent:
                found |= {d for d in (self.overlay().deal(c.target), c.into) if d}
        return found

    def changes(self, since: str | None = None) -> list[dict[str, Any]]:
        """The change log from ``since`` (a date or time) on, oldest first."""
        return changes.records(self.select("changes"), changes.parse_since(since))

    def reextract(self, progress: Callable[[int, int], None] | None = None) -> IngestReport:
        """Extract every stored article again from its stored text with today's rules, and
        replace its graph, in one transaction; corrections are kept and applied to the new
        graphs (``orphans`` reports any whose target the new rules no longer produce)."""
        rows = self.articles()
        prepared = []
        for done, row in enumerate(rows, start=1):
            source = str(row.get("source") or row["article"])
            article = self.extract_article(self.stored_article(row), source)
            prepared.append(self._prepare(article, source))
            if progress:
                progress(done, len(rows))
        return self.write(prepared, "reextract")

    def deals(
        self,
        deal: str | None = None,
        actors: Mapping[str, Mapping[str, Any]] | None = None,
        rows: DealRows | None = None,
    ) -> list[dict[str, Any]]:
        """Every deal (or one) as the ``deals`` JSON contract; the status is the latest claim.

        ``actors`` (``self.actors()``) and ``rows`` (``self.deal_rows(deal)``) are read from
        the store unless the caller already has them: on a large store that takes a while."""
        actors = self.actors() if actors is None else actors
        rows = self.deal_rows(deal) if rows is None else rows

        keys = ("iri", "label", "type", "iso_code", "wikidata")

        @cache
        def known(iri: str) -> tuple[tuple[str, Any], ...]:
            record = actors.get(iri) or {"iri": iri, "label": _local(iri), "type": "Organisation"}
            return tuple((k, record.get(k)) for k in keys)

        def actor(iri: str) -> dict[str, Any]:
            return dict(known(iri))

        # a deal whose actors a correction renamed, merged or split, or whose roles it set,
        # is labelled from its actors as they read now; any other keeps its stored label
        overlay = self._overlay
        changed = set()
        if overlay is not None and not overlay.empty:
            changed = {a for a, f in overlay.actor_facts.items() if "label" in f}
            changed |= set(overlay.actor_into.values()) | set(overlay.new_actors)
        merged_into = {overlay.deal(d) for d in overlay.deal_into} if overlay else set()
        relabelled = bool(changed) or bool(overlay and (overlay.roles or merged_into))

        def relabel(deal: str, stored: str, roles: Mapping[str, list[str]]) -> str:
            members = [*sorted(roles.get("payer", [])), *sorted(roles.get("party", []))]
            touched = overlay is not None and (deal in overlay.roles or deal in merged_into)
            if not (set(members) & changed) and not touched:
                return stored
            names = [str(actor(a)["label"]) for a in dict.fromkeys(members)]
            # what tells it from another deal between the same parties: " (2023)"
            tail = re.search(r" \([^()]*\)$", stored)
            return " – ".join(names) + (tail.group(0) if tail else "")

        records: dict[str, dict[str, Any]] = {}
        for row in rows.claims:
            record = records.setdefault(
                row["deal"],
                {"iri": row["deal"], "history": [], "roles": {}, "purposes": [], "amounts": []},
            )
            claim = {
                "status": row["status"],
                "date": row["date"],
                "article": row["article"],
                "sentence": row["sentence"],
                "label": row["label"],
            }
            if claim not in record["history"]:
                record["history"].append(claim)
        for row in rows.roles:
            if row["deal"] in records:
                roles = records[row["deal"]]["roles"].setdefault(row["role"], [])
                if row["actor"] not in roles:
                    roles.append(row["actor"])
        for row in rows.details:
            if row["deal"] not in records:
                continue
            record = records[row["deal"]]
            if row["purpose"] and row["purpose"] not in record["purposes"]:
                record["purposes"].append(row["purpose"])
            if row["amount"]:
                value = _number(row["value"])
                written = (
                    row["amount"],
                    value,
                    row["currency"],
                    row.get("per"),
                    row.get("equivalent"),
                )
                record["amounts"].append((row["article"], written))
        sources: dict[str, list[dict[str, Any]]] = {}
        for row in rows.evidence:
            source = {
                "article": row["article"],
                "date": row["date"],
                "sentence": row["sentence"],
                "headline": row["headline"],
                "outlet": row["outlet"],
                "url": row["url"],
                "start": row["start"],
                "end": row["end"],
            }
            sources.setdefault(row["deal"], []).append(source)
        for found in sources.values():  # in reading order: by date, article, then offset
            found.sort(key=lambda s: (s["date"] or "", s["article"], s["start"] or 0))

        out = []
        for iri, record in records.items():
            best = {c["sentence"] for c in record["history"]}
            # each article's best evidence (the one its status claim cites) comes first
            ranked = sorted(sources.get(iri, []), key=lambda s: s["sentence"] not in best)
            history = sorted(
                record["history"],
                key=lambda c: (str(c["date"] or ""), status_rank(c["status"]), str(c["article"])),
            )
            latest = history[-1]
            latest_article = latest["article"]
            amounts = (
                [a for art, a in record["amounts"] if art == CURATED]
                or [a for art, a in record["amounts"] if art == latest_article]
                or [a for _, a in record["amounts"]]
            )
            roles = record["roles"]
            out.append(
                {
                    "iri": iri,
                    "label": relabel(iri, latest["label"], roles)
                    if relabelled
                    else latest["label"],
                    "status": latest["status"],
                    "parties": [actor(a) for a in sorted(roles.get("party", []))],
                    "payers": [actor(a) for a in sorted(roles.get("payer", []))],
                    "payees": [actor(a) for a in sorted(roles.get("payee", []))],
                    "purposes": sorted(record["purposes"]),
                    "amount": amounts[-1][0] if amounts else None,
                    "amount_value": amounts[-1][1] if amounts else None,
                    "currency": amounts[-1][2] if amounts else None,
                    "amount_per": amounts[-1][3] if amounts else None,
                    "amount_equivalent": amounts[-1][4] if amounts else None,
                    "criticised_by": [actor(a) for a in sorted(roles.get("critic", []))],
                    "sources": ranked,
                    "status_history": [
                        {k: c[k] for k in ("status", "date", "article", "sentence")}
                        for c in history
                    ],
                    "first_reported": history[0]["date"],
                    "last_reported": latest["date"],
                }
            )
        return sorted(out, key=lambda d: d["label"])

    def resolve_deal(self, name: str, deals: Sequence[Mapping[str, Any]] | None = None) -> str:
        """The IRI of the deal named by IRI, label, or its parties' ISO codes or labels joined
        by ``+`` or ``,`` in any order (``GB+TR``); parties may be left out if that leaves one
        deal (``GB+IQ-KR`` for the deal of GB, IQ and IQ-KR)."""
        wanted = expand(name.strip()).casefold()
        parts = {p.strip() for p in re.split(r"[+,]", wanted) if p.strip()}
        candidates = []
        for deal in self.deals() if deals is None else deals:
            if wanted in {deal["iri"].casefold(), deal["label"].casefold()}:
                return str(deal["iri"])
            names = {
                n.casefold() for a in deal["parties"] for n in (a["label"], a["iso_code"]) if n
            }
            if len(parts) > 1 and parts <= names:
                candidates.append((len(deal["parties"]), deal))
        fewest = [d for n, d in candidates if n == min(c[0] for c in candidates)]
        if len(fewest) == 1:
            return str(fewest[0]["iri"])
        if fewest:
            labels = "; ".join(d["label"] for d in fewest)
            raise InputError(f"deal {name!r}: more than one deal matches ({labels})")
        raise InputError(f"deal {name!r}: not found; `policygraph deals` lists them")

    def timeline(self, deal: str) -> list[dict[str, Any]]:
        """The dated status claims of one deal, oldest first, each with its article; with
        corrections, the deal's corrected history (merged reports, set statuses)."""
        iri = self.resolve_deal(deal)
        if self.overlay().empty:
            return self.select("status-history", deal=URIRef(iri))
        found = self.deals(iri)
        articles = {a["article"]: a for a in self.articles()}
        return [
            {
                "deal": iri,
                "date": claim["date"],
                "status": claim["status"],
                "article": claim["article"],
                "headline": articles.get(claim["article"], {}).get("headline")
                or ("(a correction)" if claim["article"] == CURATED else None),
                "outlet": articles.get(claim["article"], {}).get("outlet"),
                "sentence": claim["sentence"],
            }
            for claim in (found[0]["status_history"] if found else [])
        ]

    def statements(self, speaker: str | None = None) -> list[dict[str, Any]]:
        """Who said what, with the sentence and article."""
        overlay = self.overlay()
        if overlay.empty:
            return self.select("statements", speaker=URIRef(speaker) if speaker else None)
        rows = overlay.apply_statements(self.select("statements"), "speaker")
        return [r for r in rows if speaker is None or r["speaker"] == speaker]

    def articles(self) -> list[dict[str, Any]]:
        """Every ingested article."""
        return self.select("articles")

    def resolve_article(self, name: str) -> dict[str, Any]:
        """The article named by its IRI (or prefixed name), the file it was read from, or its
        headline (any case); ``InputError`` if none or more than one matches."""
        wanted = expand(name.strip())
        rows = self.articles()
        for key in ("article", "source", "headline"):
            found = [
                row
                for row in rows
                if row.get(key) and str(row[key]).casefold() == wanted.casefold()
            ]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                listed = "; ".join(str(row["article"]) for row in found)
                raise InputError(
                    f"article {name!r}: more than one matches ({listed}); give its IRI"
                )
        raise InputError(f"article {name!r}: not found; `policygraph articles` lists them")

    def remove(self, name: str) -> dict[str, Any]:
        """Remove one article and everything that came from it (its named graph: what other
        articles say of the same actors and deals stays). Returns the article's record."""
        article = self.resolve_article(name)
        size = self.select("article-size", article=URIRef(article["article"]))
        name = str(article["article"])
        self.store.drop_graphs([name], self._log("remove", [], [name]))
        self._overlay = None
        return {**article, "triples": size[0]["triples"] if size else 0}

    def articles_mentioning(self, actor: str) -> list[dict[str, Any]]:
        """The articles that mention one actor (IRI), newest first, with their words for it."""
        rows = []
        for stored in self.overlay().sources(actor):
            rows += [
                {**r, "actor": actor} for r in self.select("actor-articles", actor=URIRef(stored))
            ]
        rows.sort(key=lambda r: str(r["headline"]))
        return sorted(rows, key=lambda r: str(r["date"] or ""), reverse=True)

    def export(self, fmt: str = "trig", raw: bool = False) -> str:
        """The whole store serialised: ``trig``, ``nquads`` and ``jsonld`` keep every article's
        named graph; ``turtle``, which cannot name graphs, holds their union.

        The article graphs have the corrections applied (merged actors and deals under one
        IRI, corrected facts and roles, deleted ones gone), and the corrections and the change
        log come in graphs of their own; ``raw`` gives extraction alone, as stored."""
        if fmt not in EXPORT_FORMATS:
            raise InputError(f"export: unknown format {fmt!r}; use {', '.join(EXPORT_FORMATS)}")
        quads: Iterable[tuple[Any, Any, Any, URIRef]] = self.store.quads()
        if raw:
            quads = (q for q in quads if q[3] not in (CURATION, CHANGES))
        else:
            overlay = self.overlay()
            if not overlay.empty:
                quads = overlay.apply_quads(list(quads), self.actors(), CURATION, CHANGES)
        if fmt == "turtle":
            union = Graph()
            for prefix, namespace in PREFIXES.items():
                union.bind(prefix, namespace)
            for s, p, o, _ in quads:
                union.add((s, p, o))
            return union.serialize(format="turtle")
        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace)
        for s, p, o, g in quads:
            dataset.graph(g).add((s, p, o))
        with warnings.catch_warnings():
            # rdflib 7.6's own dataset serialisers call its deprecated Dataset.contexts() & co.
            warnings.filterwarnings("ignore", r"Dataset\.\w+ is deprecated", DeprecationWarning)
            return dataset.serialize(format=EXPORT_FORMATS[fmt])

    # --- network ------------------------------------------------------------------------

    def network(
        self,
        actors: Mapping[str, Mapping[str, Any]] | None = None,
        rows: DealRows | None = None,
    ) -> nx.MultiDiGraph:
        """The actor network: deal links from the deal rows, "said" links from one SELECT.

        ``actors`` and ``rows`` are read from the store unless the caller already has them."""
        actors = self.actors() if actors is None else actors
        rows = self.deal_rows() if rows is None else rows
        edges = network.deal_edges(rows.claims, rows.roles, rows.evidence)
        said = self.overlay().apply_statements(self.select("said-edges"), "source", "target")
        edges += network.said_edges([r for r in said if r["source"] != r["target"]])
        return network.build(actors.values(), edges)

    def resolve_actor(
        self, name: str, actors: Mapping[str, Mapping[str, Any]] | None = None
    ) -> str:
        """The IRI of the actor named by IRI (or prefixed name), ISO code, label or mention
        (case-insensitive)."""
        wanted = expand(name.strip()).casefold()
        if not wanted:
            raise InputError("actor '': empty; give its name, ISO code or IRI")
        actors = self.actors() if actors is None else actors
        # an IRI first, then a label; then an actor the corrections or the register folded
        # away, named as stored (to keep it apart or split it off again); then a code, and
        # only then a word some article used for it
        stored = self.raw_actors()
        for pool, names in (
            (actors, lambda iri, a: [iri]),
            (actors, lambda iri, a: [a["label"]]),
            (stored, lambda iri, a: [iri, a["label"]]),
            (actors, lambda iri, a: [a["iso_code"] or ""]),
            (actors, lambda iri, a: a["mentions"]),
        ):
            for iri, actor in pool.items():
                if wanted in (n.casefold() for n in names(iri, actor) if n):
                    return iri
        raise InputError(f"actor {name!r}: not found; `policygraph entities` lists them")


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as CSV; lists of actors or strings are joined with ``; ``."""
    rows = list(rows)
    columns = list(columns or (rows[0].keys() if rows else []))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _flat(row.get(c)) for c in columns})
    return buffer.getvalue()


def _flat(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(_flat(v)) for v in value)
    if isinstance(value, dict):
        return value.get("label") or value.get("sentence") or json.dumps(value)
    return "" if value is None else value
